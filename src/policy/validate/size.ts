/**
 * Policy size and character-set limits. Sources: IAM User Guide, "IAM and AWS STS quotas" — policy documents may
 * contain only tab, line feed, carriage return and U+0020–U+00FF; whitespace is not counted; managed policies hold
 * 6,144 characters, a role's inline policies 10,240 in total, a role trust policy 2,048 by default (a quota that can
 * be raised), session policies 2,048; AWS Organizations quotas: an SCP holds 5,120 characters.
 */
import type { PolicyKind } from '../types.ts';
import type { ValidationContext } from './context.ts';

/** Where an identity policy can be attached (inline on a role, user or group, or as a managed policy). */
export const IDENTITY_POLICY_TYPES = ['inline-role', 'inline-user', 'inline-group', 'managed'] as const;
/** Where an identity policy will live; decides its size quota. */
export type IdentityPolicyType = (typeof IDENTITY_POLICY_TYPES)[number];

/** Character quotas (whitespace excluded). */
export const SIZE_QUOTAS = {
  managed: 6_144,
  'inline-role': 10_240,
  'inline-user': 2_048,
  'inline-group': 5_120,
  scp: 5_120,
  trust: 2_048,
  session: 2_048,
} as const;

/** Number of characters IAM counts: the compact JSON without any whitespace characters. */
export function policySize(document: unknown): number {
  return countNonWhitespace(JSON.stringify(document) ?? '');
}

function countNonWhitespace(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) n++;
  }
  return n;
}

/** The first character IAM would reject (outside tab, LF, CR, U+0020–U+00FF) in JSON text, or undefined. */
export function firstInvalidCharacter(text: string): string | undefined {
  // JSON.stringify escapes control characters, so only non-Latin-1 characters can remain.
  const m = /[^\t\n\r\u0020-\u00ff]/u.exec(text);
  return m?.[0];
}

function fmt(n: number): string {
  return n.toLocaleString('en-US');
}

/** Reports documents over the quota of their kind and characters IAM rejects. */
export function checkSize(
  ctx: ValidationContext,
  document: unknown,
  kind: PolicyKind,
  identityPolicyType: IdentityPolicyType,
): void {
  const text = JSON.stringify(document) ?? '';
  const bad = firstInvalidCharacter(text);
  if (bad !== undefined) {
    ctx.report(
      'INVALID_CHARACTER',
      `The policy contains "${bad}" (U+${(bad.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}); IAM accepts only tab, line feed, carriage return and U+0020–U+00FF.`,
      '',
    );
  }
  const size = countNonWhitespace(text);
  const over = (limit: number): string =>
    `The policy has ${fmt(size)} characters excluding whitespace; the limit is ${fmt(limit)}.`;
  switch (kind) {
    case 'identity': {
      const limit = SIZE_QUOTAS[identityPolicyType];
      if (size > limit) {
        ctx.report(
          'POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA',
          `${over(limit)} (${identityPolicyType} policy). Split it into several policies.`,
          '',
        );
      } else if (identityPolicyType !== 'managed' && size > SIZE_QUOTAS.managed) {
        ctx.report(
          'POLICY_SIZE_EXCEEDS_MANAGED_POLICY_QUOTA',
          `${over(SIZE_QUOTAS.managed)} for a managed policy; it fits only as an inline policy.`,
          '',
        );
      }
      break;
    }
    case 'boundary':
      if (size > SIZE_QUOTAS.managed)
        ctx.report(
          'POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA',
          `${over(SIZE_QUOTAS.managed)} (a permissions boundary is a managed policy).`,
          '',
        );
      break;
    case 'scp':
      if (size > SIZE_QUOTAS.scp) ctx.report('POLICY_SIZE_EXCEEDS_SCP_QUOTA', over(SIZE_QUOTAS.scp), '');
      break;
    case 'trust':
      if (size > SIZE_QUOTAS.trust)
        ctx.report(
          'POLICY_SIZE_EXCEEDS_TRUST_POLICY_QUOTA',
          `${over(SIZE_QUOTAS.trust)} by default; request a higher "Role trust policy length" quota or shorten it.`,
          '',
        );
      break;
    case 'session':
      if (size > SIZE_QUOTAS.session)
        ctx.report('POLICY_SIZE_EXCEEDS_SESSION_POLICY_QUOTA', over(SIZE_QUOTAS.session), '');
      break;
    default:
      // Resource-based policy quotas differ per service (S3 20 KB, SQS/SNS 8 KB...): not checked here.
      break;
  }
}
