/**
 * What a statement's Condition block means for the risk score: whether it restricts anything at all (vacuous
 * conditions such as `StringLike "*"` or `IpAddress 0.0.0.0/0` do not), and whether it narrows *which
 * resources* the statement reaches (resource tags, S3 prefixes, service-specific keys) or only *when/from where*
 * it applies (source IP, MFA, time, TLS), which leaves the scope as wide as written.
 * Operator semantics: IAM User Guide, "IAM JSON policy elements: Condition operators".
 */
import type { ConditionBlock } from '../types.ts';

/** A key condition whose value matches every request (reported as evidence). */
export interface VacuousCondition {
  operator: string;
  key: string;
  value: string;
}

/** What a Condition block means for the score. */
export interface ConditionSummary {
  /** At least one key condition that actually restricts the request. */
  conditional: boolean;
  /** A restricting condition on a key that limits which resources the statement reaches. */
  scoping: boolean;
  vacuous: VacuousCondition[];
  /** Lower-case keys tested with a positive operator (Equals/Like) and a non-vacuous value → their values. */
  positiveKeys: Map<string, string[]>;
}

/**
 * Keys that describe the caller, the network, the time or the receiving service, not the resource. A condition on
 * them keeps the statement's resource scope as written. Source: IAM User Guide, "AWS global condition context
 * keys" and "IAM condition keys" (iam:PassedToService).
 */
const CONTEXT_ONLY_KEYS = new Set([
  'aws:sourceip',
  'aws:vpcsourceip',
  'aws:sourcevpc',
  'aws:sourcevpce',
  'aws:multifactorauthpresent',
  'aws:multifactorauthage',
  'aws:currenttime',
  'aws:epochtime',
  'aws:securetransport',
  'aws:requestedregion',
  'aws:useragent',
  'aws:referer',
  'aws:principalarn',
  'aws:principalaccount',
  'aws:principalorgid',
  'aws:principalorgpaths',
  'aws:principaltype',
  'aws:principalisawsservice',
  'aws:principalservicename',
  'aws:userid',
  'aws:username',
  'aws:viaawsservice',
  'aws:calledvia',
  'aws:calledviafirst',
  'aws:calledvialast',
  'aws:tokenissuetime',
  'aws:federatedprovider',
  'aws:sourceidentity',
  'aws:requesttag',
  'aws:tagkeys',
  'aws:ec2instancesourcevpc',
  'aws:ec2instancesourceprivateipv4',
  // Which service may receive the role, not which roles: iam:PassRole on * stays an escalation path.
  'iam:passedtoservice',
]);

const EMPTY: ConditionSummary = Object.freeze({
  conditional: false,
  scoping: false,
  vacuous: [],
  positiveKeys: new Map(),
}) as ConditionSummary;

/** `ForAnyValue:StringLikeIfExists` → `StringLike`. */
export function baseOperator(operator: string): string {
  const colon = operator.indexOf(':');
  const op = colon >= 0 ? operator.slice(colon + 1) : operator;
  return op.endsWith('IfExists') ? op.slice(0, -'IfExists'.length) : op;
}

/** True when the value makes the key condition match every request that carries the key. */
export function isVacuousValue(base: string, value: string): boolean {
  if (base === 'StringLike' || base === 'ArnLike') {
    return /^\*+$/.test(value) || /^arn(:\*)+$/.test(value) || /^(\*:)+\*$/.test(value);
  }
  if (base === 'IpAddress') {
    const v = value.trim();
    return v === '0.0.0.0/0' || v === '::/0' || v === '::0/0';
  }
  return false;
}

function contextOnly(key: string): boolean {
  const lower = key.toLowerCase();
  const slash = lower.indexOf('/');
  return CONTEXT_ONLY_KEYS.has(slash >= 0 ? lower.slice(0, slash) : lower);
}

/** Summarises a Condition block (undefined → unconditional). */
export function summariseConditions(block: ConditionBlock | undefined): ConditionSummary {
  if (!block) return EMPTY;
  const out: ConditionSummary = { conditional: false, scoping: false, vacuous: [], positiveKeys: new Map() };
  for (const [operator, keys] of Object.entries(block)) {
    const base = baseOperator(operator);
    const positive = !base.startsWith('Not') && !base.includes('Not');
    for (const [key, values] of Object.entries(keys)) {
      const vacuousValue = values.find((v) => isVacuousValue(base, v));
      if (vacuousValue !== undefined) {
        out.vacuous.push({ operator, key, value: vacuousValue });
        continue;
      }
      out.conditional = true;
      if (!contextOnly(key)) out.scoping = true;
      if (positive) {
        const lower = key.toLowerCase();
        out.positiveKeys.set(lower, [...(out.positiveKeys.get(lower) ?? []), ...values]);
      }
    }
  }
  return out;
}
