/**
 * Structural checks: Version, known elements, required elements per policy kind, Sids, empty arrays and the
 * Allow-with-Not* patterns. Source: IAM User Guide, "IAM JSON policy element reference" and "Access Analyzer policy
 * check reference"; parliament's NOTRESOURCE_WITH_ALLOW / NOTPRINCIPAL_WITH_ALLOW / DUPLICATE_SID.
 */
import type { Statement } from '../types.ts';
import {
  elementPath,
  hasPolicyVariable,
  pointerSegment,
  type StatementView,
  type ValidationContext,
} from './context.ts';

const CURRENT_VERSION = '2012-10-17';
const OLD_VERSION = '2008-10-17';
const TOP_LEVEL_ELEMENTS = ['Version', 'Id', 'Statement'] as const;
const STATEMENT_ELEMENTS = [
  'Sid',
  'Effect',
  'Principal',
  'NotPrincipal',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Condition',
] as const;

function unknownElementMessage(name: string, known: readonly string[], where: string): string {
  const sameLetters = known.find((k) => k.toLowerCase() === name.toLowerCase());
  return sameLetters
    ? `"${name}" is not a valid ${where} element; element names are case-sensitive: use "${sameLetters}".`
    : `"${name}" is not a valid ${where} element. Valid elements: ${known.join(', ')}.`;
}

function usesPolicyVariables(st: Statement): boolean {
  for (const r of st.resource ?? []) if (hasPolicyVariable(r)) return true;
  for (const r of st.notResource ?? []) if (hasPolicyVariable(r)) return true;
  for (const keys of Object.values(st.condition ?? {}))
    for (const values of Object.values(keys)) for (const v of values) if (hasPolicyVariable(v)) return true;
  return false;
}

/** Version element, top-level elements and an empty Statement list. */
export function checkDocument(ctx: ValidationContext): void {
  const { policy, raw } = ctx;
  const variables = policy.statements.some(usesPolicyVariables);
  if (policy.version === undefined) {
    ctx.report(
      'MISSING_VERSION',
      `Add "Version": "${CURRENT_VERSION}". Without it IAM applies ${OLD_VERSION}, where policy variables are literal text.`,
      '',
    );
  } else if (policy.version === OLD_VERSION) {
    ctx.report('OLD_VERSION', `Version ${OLD_VERSION} is outdated; use ${CURRENT_VERSION}.`, '/Version');
  } else if (policy.version !== CURRENT_VERSION) {
    ctx.report(
      'INVALID_VERSION',
      `Version "${policy.version}" is not valid; use "${CURRENT_VERSION}" (or the outdated "${OLD_VERSION}").`,
      '/Version',
    );
  }
  if (variables && (policy.version === undefined || policy.version === OLD_VERSION)) {
    ctx.report(
      'VARIABLE_UNSUPPORTED_IN_VERSION',
      `The policy uses policy variables such as \${aws:username}, which version ${OLD_VERSION} treats as literal text; set "Version": "${CURRENT_VERSION}".`,
      policy.version === undefined ? '' : '/Version',
    );
  }
  if (raw) {
    for (const key of Object.keys(raw)) {
      if (!(TOP_LEVEL_ELEMENTS as readonly string[]).includes(key)) {
        ctx.report(
          'INVALID_POLICY_ELEMENT',
          unknownElementMessage(key, TOP_LEVEL_ELEMENTS, 'top-level'),
          `/${pointerSegment(key)}`,
        );
      }
    }
  }
  if (policy.statements.length === 0) {
    ctx.report('MISSING_STATEMENT', 'The policy has no statements; add at least one.', '/Statement');
  }
}

function checkElements(ctx: ValidationContext, view: StatementView): void {
  if (!view.raw) return;
  for (const key of Object.keys(view.raw)) {
    if (!(STATEMENT_ELEMENTS as readonly string[]).includes(key)) {
      ctx.report(
        'INVALID_POLICY_ELEMENT',
        unknownElementMessage(key, STATEMENT_ELEMENTS, 'statement'),
        elementPath(view, key),
        view.statement.index,
      );
    }
  }
}

/** Checks that only apply to a bare `Policy` (the parser rejects these shapes in text). */
function checkNormalisedShape(ctx: ValidationContext, view: StatementView): void {
  const st = view.statement;
  const i = st.index;
  if (st.effect === undefined) {
    ctx.report('MISSING_EFFECT', 'Add an Effect element with the value "Allow" or "Deny".', view.pointer, i);
  } else if (st.effect !== 'Allow' && st.effect !== 'Deny') {
    ctx.report('INVALID_EFFECT', `Effect must be "Allow" or "Deny".`, elementPath(view, 'Effect'), i);
  }
  if (st.action && st.notAction) {
    ctx.report(
      'UNSUPPORTED_ELEMENT_COMBINATION',
      'Action and NotAction cannot be used in the same statement; remove one.',
      view.pointer,
      i,
    );
  } else if (!st.action && !st.notAction) {
    ctx.report('MISSING_ACTION', 'Add an Action or NotAction element to the statement.', view.pointer, i);
  }
  if (st.resource && st.notResource) {
    ctx.report(
      'UNSUPPORTED_ELEMENT_COMBINATION',
      'Resource and NotResource cannot be used in the same statement; remove one.',
      view.pointer,
      i,
    );
  }
  if (st.principal && st.notPrincipal) {
    ctx.report(
      'UNSUPPORTED_ELEMENT_COMBINATION',
      'Principal and NotPrincipal cannot be used in the same statement; remove one.',
      view.pointer,
      i,
    );
  }
}

function checkKindElements(ctx: ValidationContext, view: StatementView): void {
  const st = view.statement;
  const i = st.index;
  const hasPrincipal = st.principal !== undefined || st.notPrincipal !== undefined;
  const principalName = st.principal !== undefined ? 'Principal' : 'NotPrincipal';
  const hasResource = st.resource !== undefined || st.notResource !== undefined;
  if (ctx.kind === 'resource' || ctx.kind === 'trust') {
    if (!hasPrincipal) {
      ctx.report(
        'MISSING_PRINCIPAL',
        `Add a Principal element: ${ctx.kind === 'trust' ? 'a role trust policy' : 'a resource-based policy'} must name who it applies to.`,
        view.pointer,
        i,
      );
    }
  } else if (hasPrincipal) {
    if (ctx.kind === 'scp') {
      ctx.report(
        'SCP_SYNTAX_ERROR_PRINCIPAL',
        'SCPs do not support Principal or NotPrincipal; use the aws:PrincipalArn condition key instead.',
        elementPath(view, principalName),
        i,
      );
    } else {
      ctx.report(
        'UNSUPPORTED_PRINCIPAL',
        `${principalName} is not supported in ${ctx.kind === 'identity' ? 'an identity-based' : `a ${ctx.kind}`} policy; remove it (the policy applies to the identity it is attached to).`,
        elementPath(view, principalName),
        i,
      );
    }
  }
  if (ctx.kind === 'trust') {
    if (hasResource) {
      const name = st.resource ? 'Resource' : 'NotResource';
      ctx.report(
        'INVALID_POLICY_ELEMENT',
        `${name} is not allowed in a role trust policy; the role itself is the resource.`,
        elementPath(view, name),
        i,
      );
    }
  } else if (!hasResource && ctx.kind !== 'resource') {
    // Resource-based policies of some services (ECR repositories, for one) omit Resource: it is the resource itself.
    ctx.report(
      'MISSING_RESOURCE',
      'Add a Resource or NotResource element to the statement.',
      view.pointer,
      i,
    );
  }
}

function checkEmptyArrays(ctx: ValidationContext, view: StatementView): void {
  const st = view.statement;
  const i = st.index;
  if (st.action?.length === 0)
    ctx.report(
      'EMPTY_ARRAY_ACTION',
      'This statement lists no actions and has no effect.',
      elementPath(view, 'Action'),
      i,
    );
  if (st.resource?.length === 0)
    ctx.report(
      'EMPTY_ARRAY_RESOURCE',
      'This statement lists no resources and has no effect.',
      elementPath(view, 'Resource'),
      i,
    );
  if (st.notAction?.length === 0)
    ctx.report(
      'EMPTY_ARRAY_NOT_ACTION',
      'NotAction is empty, so the statement applies to every action; list the excluded actions or use Action.',
      elementPath(view, 'NotAction'),
      i,
    );
  if (st.notResource?.length === 0)
    ctx.report(
      'EMPTY_ARRAY_NOT_RESOURCE',
      'NotResource is empty, so the statement applies to every resource; list the excluded resources or use Resource.',
      elementPath(view, 'NotResource'),
      i,
    );
  for (const name of ['Principal', 'NotPrincipal'] as const) {
    const p = name === 'Principal' ? st.principal : st.notPrincipal;
    if (p === undefined || p === '*') continue;
    const entries = Object.entries(p);
    if (entries.length === 0) {
      ctx.report(
        'EMPTY_OBJECT_PRINCIPAL',
        `${name} is an empty object; the statement applies to nobody.`,
        elementPath(view, name),
        i,
      );
    }
    for (const [type, list] of entries) {
      if (list && list.length === 0)
        ctx.report(
          'EMPTY_ARRAY_PRINCIPAL',
          `${name} ${type} lists no principals.`,
          `${elementPath(view, name)}/${type}`,
          i,
        );
    }
  }
}

function checkNotWithAllow(ctx: ValidationContext, view: StatementView): void {
  const st = view.statement;
  if (st.effect !== 'Allow') return;
  const i = st.index;
  if (st.notAction && st.notAction.length > 0)
    ctx.report(
      'ALLOW_WITH_NOT_ACTION',
      'Allow with NotAction grants every action not listed, including actions AWS adds later; list the allowed actions instead.',
      elementPath(view, 'NotAction'),
      i,
    );
  if (st.notResource && st.notResource.length > 0)
    ctx.report(
      'ALLOW_WITH_NOT_RESOURCE',
      'Allow with NotResource grants access to every resource not listed; list the allowed resources instead.',
      elementPath(view, 'NotResource'),
      i,
    );
  if (st.notPrincipal)
    ctx.report(
      'ALLOW_WITH_NOT_PRINCIPAL',
      'Allow with NotPrincipal grants access to every other principal, including anonymous ones; use Principal instead.',
      elementPath(view, 'NotPrincipal'),
      i,
    );
}

/** Sid rules: IAM accepts only ASCII letters and digits and requires unique Sids (resource policies are looser). */
function checkSids(ctx: ValidationContext): void {
  const seen = new Map<string, number>();
  const strict = ctx.kind !== 'resource';
  for (const view of ctx.statements) {
    const { sid, index } = view.statement;
    if (sid === undefined) continue;
    const path = elementPath(view, 'Sid');
    if (sid === '') {
      ctx.report('EMPTY_SID_VALUE', 'The Sid is an empty string; give it a value or remove it.', path, index);
      continue;
    }
    if (strict && !/^[A-Za-z0-9]+$/.test(sid)) {
      ctx.report(
        'UNSUPPORTED_SID',
        `Sid "${sid}" may contain only letters and digits (A-Z, a-z, 0-9).`,
        path,
        index,
      );
    }
    const first = seen.get(sid);
    if (first !== undefined) {
      ctx.report(
        strict ? 'UNIQUE_SIDS_REQUIRED' : 'UNIQUE_SIDS_RECOMMENDED',
        `Sid "${sid}" is already used by statement ${first}; Sids must be unique within a policy.`,
        path,
        index,
      );
    } else {
      seen.set(sid, index);
    }
  }
}

/** Runs every structural statement check. */
export function checkStatements(ctx: ValidationContext): void {
  for (const view of ctx.statements) {
    checkElements(ctx, view);
    if (!view.raw) checkNormalisedShape(ctx, view);
    checkKindElements(ctx, view);
    checkEmptyArrays(ctx, view);
    checkNotWithAllow(ctx, view);
  }
  checkSids(ctx);
}
