/**
 * Principal value checks for resource and trust policies. Source: IAM User Guide, "AWS JSON policy elements:
 * Principal" — AWS principals are `*`, a 12-digit account id or an IAM/STS ARN; wildcards may not match part of a
 * principal; service principals are DNS names of the service. Access Analyzer: UNSUPPORTED_WILDCARD_IN_PRINCIPAL,
 * INVALID_PRINCIPAL_FORMAT, INVALID_ROLE_REFERENCE, INVALID_USER_REFERENCE.
 */

import { matchesWildcard } from '../wildcard.ts';
import type { FindingCode } from './codes.ts';
import {
  elementPath,
  entryPath,
  isRawObject,
  type StatementView,
  type ValidationContext,
} from './context.ts';

const SERVICE_PRINCIPAL_RE =
  /^[a-z0-9][a-z0-9-]*(\.[a-z0-9-]+)*\.(amazonaws\.com|amazonaws\.com\.cn|amazon\.com|c2s\.ic\.gov|sc2s\.sgov\.gov)$/i;

function checkValue(type: string, v: string): { code: FindingCode; message: string } | undefined {
  if (v === '*') return undefined;
  if (v.includes('${')) {
    return {
      code: 'VARIABLE_UNSUPPORTED_IN_ELEMENT',
      message: `"${v}": policy variables are supported only in Resource and Condition, not in principals.`,
    };
  }
  if (/[*?]/.test(v)) {
    return {
      code: 'UNSUPPORTED_WILDCARD_IN_PRINCIPAL',
      message: `"${v}": wildcards cannot match part of a principal; name it exactly, or use "*" with a condition such as aws:PrincipalArn.`,
    };
  }
  if (type === 'AWS') {
    if (/^AROA[A-Z0-9]{12,}$/.test(v))
      return {
        code: 'INVALID_ROLE_REFERENCE',
        message: `"${v}" is a role's unique id; use the role ARN (the id no longer matches if the role is recreated).`,
      };
    if (/^AIDA[A-Z0-9]{12,}$/.test(v))
      return {
        code: 'INVALID_USER_REFERENCE',
        message: `"${v}" is a user's unique id; use the user ARN (the id no longer matches if the user is recreated).`,
      };
    if (!/^\d{12}$/.test(v) && !/^arn:[a-z-]+:(iam|sts)::(\d{12}|aws):/.test(v))
      return {
        code: 'INVALID_PRINCIPAL_FORMAT',
        message: `"${v}" is not an AWS principal; use a 12-digit account id or an IAM or STS ARN.`,
      };
  }
  if (type === 'Service' && !SERVICE_PRINCIPAL_RE.test(v)) {
    return {
      code: 'INVALID_PRINCIPAL_FORMAT',
      message: `"${v}" is not a service principal; service principals look like lambda.amazonaws.com.`,
    };
  }
  return undefined;
}

function checkPrincipal(
  ctx: ValidationContext,
  view: StatementView,
  name: 'Principal' | 'NotPrincipal',
): void {
  const p = name === 'Principal' ? view.statement.principal : view.statement.notPrincipal;
  if (p === undefined || p === '*') return;
  const raw = view.raw?.[name];
  for (const [type, list] of Object.entries(p)) {
    const rawList = isRawObject(raw) ? raw[type] : undefined;
    const base = `${elementPath(view, name)}/${type}`;
    (list ?? []).forEach((v, i) => {
      const problem = checkValue(type, v);
      if (problem) {
        const path = typeof rawList === 'string' ? base : `${base}/${i}`;
        ctx.report(problem.code, problem.message, path, view.statement.index);
      }
    });
  }
}

const TRUST_ACTIONS = new Set(
  [
    'sts:AssumeRole',
    'sts:AssumeRoleWithSAML',
    'sts:AssumeRoleWithWebIdentity',
    'sts:TagSession',
    'sts:SetSourceIdentity',
    'sts:SetContext',
  ].map((a) => a.toLowerCase()),
);

/** A role trust policy only governs assuming the role (and the session tags, source identity and context). */
function checkTrustActions(ctx: ValidationContext, view: StatementView): void {
  const list = view.statement.action;
  if (!list) return;
  list.forEach((a, i) => {
    const lower = a.toLowerCase();
    if (lower === '*' || lower === 'sts:*' || TRUST_ACTIONS.has(lower) || !lower.includes(':')) return;
    if (lower.startsWith('sts:') && [...TRUST_ACTIONS].some((t) => matchesWildcard(lower, t))) return;
    ctx.report(
      'UNSUPPORTED_ACTION_IN_POLICY',
      `${a} has no effect in a role trust policy, which governs only sts:AssumeRole* and sts:TagSession, sts:SetSourceIdentity and sts:SetContext; grant it in the role's permissions policy.`,
      entryPath(view, 'Action', i),
      view.statement.index,
    );
  });
}

/** Checks principal values of resource and trust policies (other kinds already reject Principal). */
export function checkPrincipals(ctx: ValidationContext): void {
  if (ctx.kind !== 'resource' && ctx.kind !== 'trust') return;
  for (const view of ctx.statements) {
    checkPrincipal(ctx, view, 'Principal');
    checkPrincipal(ctx, view, 'NotPrincipal');
    if (ctx.kind === 'trust') checkTrustActions(ctx, view);
  }
}
