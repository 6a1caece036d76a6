/**
 * Trust-policy factors (`kind: 'trust'`), after cloudsplaining's "assumable by" findings and AWS's guidance:
 * - any principal (`"*"`, `{"AWS": "*"}`, `arn:aws:iam::*:…`): critical without conditions;
 * - AWS account principals without an `sts:ExternalId` condition (IAM User Guide, "Access to AWS accounts owned
 *   by third parties"); an account root or wildcard path trusts every principal of that account;
 * - web-identity federation without `<provider>:sub` (any identity of the provider, e.g. any GitHub repository,
 *   can assume) or without `<provider>:aud`; SAML without `SAML:aud` (IAM User Guide, "Creating a role for web
 *   identity or OpenID Connect federation", "Configure SAML assertions").
 * Service principals add nothing.
 */
import type { Statement } from '../../types.ts';
import { type ConditionSummary, summariseConditions } from '../conditions.ts';
import { addHit, type Hits } from './hits.ts';

function restricts(values: readonly string[] | undefined): boolean {
  // `repo:*`, `system:serviceaccount:*` style values still let every identity of the provider through.
  return (values ?? []).some((v) => !/^[^*]*:\*+$/.test(v) && !/^\*+$/.test(v));
}

function providerHost(provider: string): string {
  const i = provider.indexOf('oidc-provider/');
  return (i >= 0 ? provider.slice(i + 'oidc-provider/'.length) : provider).toLowerCase();
}

function federated(st: Statement, provider: string, c: ConditionSummary, hits: Hits): void {
  const statementIndex = st.index;
  if (provider.includes(':saml-provider/')) {
    if (!restricts(c.positiveKeys.get('saml:aud'))) {
      addHit(hits, 'trust-federated-no-audience', true, {
        statementIndex,
        detail: `SAML provider ${provider} without a SAML:aud condition`,
      });
    }
    return;
  }
  const host = providerHost(provider);
  const aud = restricts(c.positiveKeys.get(`${host}:aud`));
  const sub = restricts(c.positiveKeys.get(`${host}:sub`)) || restricts(c.positiveKeys.get(`${host}:amr`));
  if (!sub) {
    addHit(hits, 'trust-federated-no-subject', !aud, {
      statementIndex,
      detail: `${provider} without a ${host}:sub condition${aud ? '' : ' (and no aud condition)'}`,
    });
  } else if (!aud) {
    addHit(hits, 'trust-federated-no-audience', true, {
      statementIndex,
      detail: `${provider} without a ${host}:aud condition`,
    });
  }
}

function isAccountWide(principal: string): boolean {
  return /^\d{12}$/.test(principal) || /:root$/.test(principal) || /[*?]/.test(principal);
}

/** True when `principal` (an account id or an IAM ARN) belongs to `accountId`. */
function isSameAccount(principal: string, accountId: string | undefined): boolean {
  if (accountId === undefined) return false;
  const account = /^\d{12}$/.test(principal)
    ? principal
    : /^arn:[^:]+:(?:iam|sts)::(\d{12}):/.exec(principal)?.[1];
  return account === accountId;
}

/**
 * Adds the trust factors of one Allow statement of a trust policy. Principals of `ownAccountId` (when known)
 * are not cross-account.
 */
export function collectTrust(st: Statement, hits: Hits, ownAccountId?: string): void {
  const c = summariseConditions(st.condition);
  for (const v of c.vacuous) {
    addHit(hits, 'vacuous-condition', true, {
      statementIndex: st.index,
      detail: `${v.operator} ${v.key} "${v.value}" matches every request`,
    });
  }
  const p = st.principal;
  if (p === undefined) return;
  const aws = p === '*' ? ['*'] : (p.AWS ?? []);
  for (const principal of aws) {
    if (principal === '*' || /^arn:[^:]*:iam::\*/.test(principal)) {
      addHit(hits, 'trust-any-principal', !c.conditional, {
        statementIndex: st.index,
        detail: `Principal ${principal}${c.conditional ? ' with conditions' : ' without conditions'}`,
      });
    } else if (!restricts(c.positiveKeys.get('sts:externalid')) && !isSameAccount(principal, ownAccountId)) {
      addHit(hits, 'trust-cross-account', isAccountWide(principal), {
        statementIndex: st.index,
        detail: `${principal} trusted without sts:ExternalId`,
      });
    }
  }
  if (p !== '*') for (const provider of p.Federated ?? []) federated(st, provider, c, hits);
}
