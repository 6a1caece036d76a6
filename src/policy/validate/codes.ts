/**
 * Every finding code `validatePolicy` can return, with its severity and a one-line title.
 * Codes follow IAM Access Analyzer's policy-validation issue codes where one exists
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html; Access Analyzer's
 * SECURITY_WARNING and WARNING both map to `warning`) and parliament's finding codes otherwise
 * (https://github.com/duo-labs/parliament, BSD-3-Clause). docs/policy/validate.md explains each one.
 */
import type { FindingSeverity } from '../types.ts';

interface CodeInfo {
  severity: FindingSeverity;
  title: string;
}

const E = 'error' as const;
const W = 'warning' as const;
const S = 'suggestion' as const;

/** Code → severity and title. The single place severities are decided. */
export const FINDING_CODES = {
  // Parse issues passed through findingsFromParseIssues
  JSON_SYNTAX_ERROR: { severity: E, title: 'The document is not valid JSON' },
  INVALID_POLICY_STRUCTURE: { severity: E, title: 'An element has the wrong JSON type or shape' },
  // Document structure
  MISSING_VERSION: { severity: W, title: 'Version element missing (IAM then uses 2008-10-17)' },
  INVALID_VERSION: { severity: E, title: 'Version is neither 2012-10-17 nor 2008-10-17' },
  OLD_VERSION: { severity: S, title: 'Version 2008-10-17 lacks policy variables; use 2012-10-17' },
  VARIABLE_UNSUPPORTED_IN_VERSION: {
    severity: W,
    title: 'Policy variables are literal text before 2012-10-17',
  },
  MISSING_STATEMENT: { severity: E, title: 'Policy has no statements' },
  INVALID_POLICY_ELEMENT: { severity: E, title: 'Unknown or misplaced policy element' },
  MISSING_EFFECT: { severity: E, title: 'Statement has no Effect' },
  INVALID_EFFECT: { severity: E, title: 'Effect is neither Allow nor Deny' },
  MISSING_ACTION: { severity: E, title: 'Statement has no Action or NotAction' },
  MISSING_RESOURCE: { severity: E, title: 'Statement has no Resource or NotResource' },
  MISSING_PRINCIPAL: { severity: E, title: 'Resource or trust policy statement has no Principal' },
  UNSUPPORTED_PRINCIPAL: { severity: E, title: 'Principal in a policy type that does not support it' },
  SCP_SYNTAX_ERROR_PRINCIPAL: { severity: E, title: 'Principal or NotPrincipal in an SCP' },
  UNSUPPORTED_ELEMENT_COMBINATION: { severity: E, title: 'Mutually exclusive elements in one statement' },
  UNIQUE_SIDS_REQUIRED: { severity: E, title: 'Duplicate Sid in a policy type that requires unique Sids' },
  UNIQUE_SIDS_RECOMMENDED: { severity: W, title: 'Duplicate Sid in a resource policy' },
  UNSUPPORTED_SID: { severity: E, title: 'Sid has characters other than A-Z, a-z, 0-9' },
  EMPTY_SID_VALUE: { severity: S, title: 'Sid is an empty string' },
  EMPTY_ARRAY_ACTION: { severity: S, title: 'Action is an empty array' },
  EMPTY_ARRAY_RESOURCE: { severity: S, title: 'Resource is an empty array' },
  EMPTY_ARRAY_NOT_ACTION: { severity: W, title: 'NotAction is an empty array' },
  EMPTY_ARRAY_NOT_RESOURCE: { severity: W, title: 'NotResource is an empty array' },
  EMPTY_ARRAY_PRINCIPAL: { severity: S, title: 'Principal lists no principals' },
  EMPTY_OBJECT_PRINCIPAL: { severity: S, title: 'Principal is an empty object' },
  ALLOW_WITH_NOT_ACTION: { severity: W, title: 'Allow with NotAction grants every other action' },
  ALLOW_WITH_NOT_RESOURCE: { severity: W, title: 'Allow with NotResource grants every other resource' },
  ALLOW_WITH_NOT_PRINCIPAL: { severity: W, title: 'Allow with NotPrincipal grants every other principal' },
  REDUNDANT_STATEMENT: { severity: S, title: 'Statement is covered by another unconditional statement' },
  // Principals
  UNSUPPORTED_WILDCARD_IN_PRINCIPAL: { severity: E, title: 'Partial wildcard in a principal' },
  INVALID_PRINCIPAL_FORMAT: { severity: E, title: 'Principal value is not a valid principal' },
  INVALID_ROLE_REFERENCE: { severity: W, title: 'Principal uses a role unique id instead of its ARN' },
  INVALID_USER_REFERENCE: { severity: W, title: 'Principal uses a user unique id instead of its ARN' },
  UNSUPPORTED_ACTION_IN_POLICY: { severity: E, title: 'Action that a role trust policy cannot govern' },
  // Actions
  INVALID_ACTION: { severity: E, title: 'Action does not exist' },
  INVALID_SERVICE_IN_ACTION: { severity: E, title: 'Service prefix of the action does not exist' },
  WILDCARD_MATCHES_NO_ACTION: { severity: E, title: 'Action pattern matches no action' },
  REDUNDANT_ACTION: { severity: S, title: 'Action is already covered by another entry' },
  VARIABLE_UNSUPPORTED_IN_ELEMENT: { severity: E, title: 'Policy variable outside Resource and Condition' },
  // Resources
  INVALID_ARN_PREFIX: { severity: E, title: 'Resource is not an ARN' },
  MISSING_ARN_FIELD: { severity: E, title: 'ARN has fewer than six fields' },
  INVALID_PARTITION: { severity: E, title: 'ARN partition is unknown' },
  INVALID_ARN_SERVICE_CASE: { severity: E, title: 'ARN service is not lowercase' },
  UNKNOWN_ARN_SERVICE: { severity: W, title: 'ARN service is not a known service' },
  INVALID_ARN_REGION: { severity: E, title: 'ARN Region is not a Region code' },
  INVALID_ARN_ACCOUNT: { severity: E, title: 'ARN account is not a 12-digit account id' },
  ARN_REGION_NOT_ALLOWED: { severity: E, title: 'Service ARNs have no Region' },
  ARN_ACCOUNT_NOT_ALLOWED: { severity: E, title: 'Service ARNs have no account' },
  MISSING_ARN_REGION: { severity: E, title: 'Service ARNs require a Region' },
  INVALID_ARN_RESOURCE: { severity: E, title: 'ARN matches no resource type of its service' },
  RESOURCE_MISMATCH: { severity: W, title: 'Resources and actions of the statement do not fit together' },
  // Conditions
  EMPTY_OBJECT_CONDITION: { severity: S, title: 'Condition block or operator is empty' },
  EMPTY_ARRAY_CONDITION: { severity: S, title: 'Condition key has no values' },
  EMPTY_ARRAY_CONDITION_FORALLVALUES: {
    severity: S,
    title: 'ForAllValues with no values matches only absent keys',
  },
  EMPTY_ARRAY_CONDITION_FORANYVALUE: { severity: S, title: 'ForAnyValue with no values never matches' },
  EMPTY_ARRAY_CONDITION_IFEXISTS: { severity: S, title: 'IfExists with no values matches only absent keys' },
  INVALID_CONDITION_OPERATOR: { severity: E, title: 'Condition operator does not exist' },
  INVALID_CONDITION_KEY_FORMAT: { severity: E, title: 'Condition key is not prefix:name' },
  INVALID_GLOBAL_CONDITION_KEY: { severity: E, title: 'aws: condition key does not exist' },
  UNSUPPORTED_GLOBAL_CONDITION_KEY: { severity: E, title: 'aws:ARN is not supported' },
  MISSING_TAG_KEY_IN_CONDITION: { severity: E, title: 'Tag condition key without /tag-key' },
  INVALID_SERVICE: { severity: E, title: 'Condition key prefix is not a known service' },
  INVALID_SERVICE_CONDITION_KEY: { severity: E, title: 'Condition key does not exist in its service' },
  UNKNOWN_CONDITION_FOR_ACTION: {
    severity: W,
    title: 'Condition key belongs to none of the statement’s services',
  },
  DUPLICATE_KEYS_WITH_DIFFERENT_CASE: { severity: E, title: 'Same condition key twice with different case' },
  TYPE_MISMATCH: { severity: W, title: 'Operator type does not fit the condition key type' },
  TYPE_MISMATCH_BOOLEAN: { severity: W, title: 'Bool/Null value is not true or false' },
  TYPE_MISMATCH_DATE: { severity: W, title: 'Date operator value is not an ISO 8601 date or epoch' },
  TYPE_MISMATCH_NUMBER: { severity: W, title: 'Numeric operator value is not a number' },
  TYPE_MISMATCH_IP_RANGE: { severity: W, title: 'IP operator value is not an IP address or CIDR' },
  TYPE_MISMATCH_STRING: { severity: W, title: 'Binary operator value is not base64' },
  INVALID_CONDITION_MULTIPLE_BOOLEAN: { severity: E, title: 'Bool condition with several values' },
  INVALID_VARIABLE_FOR_OPERATOR: { severity: E, title: 'Policy variable with a non-String/ARN operator' },
  NULL_WITH_IF_EXISTS: { severity: E, title: 'Null operator with IfExists' },
  NULL_WITH_QUALIFIER: { severity: S, title: 'Null operator with ForAllValues/ForAnyValue' },
  MISSING_QUALIFIER: { severity: W, title: 'Multivalued key without ForAllValues/ForAnyValue' },
  FORALLVALUES_WITH_SINGLE_VALUED_KEY: { severity: W, title: 'ForAllValues on a single-valued key' },
  WILDCARD_WITHOUT_LIKE_OPERATOR: { severity: W, title: 'Wildcard in a value of a non-Like operator' },
  IMPROVE_IP_RANGE: { severity: S, title: 'CIDR has bits set after the prefix length' },
  PRIVATE_IP_ADDRESS: { severity: E, title: 'aws:SourceIp with only private addresses never matches' },
  PRIVATE_IP_ADDRESS_SUBSET: { severity: S, title: 'aws:SourceIp mixes private and public addresses' },
  PRIVATE_NOT_IP_ADDRESS: { severity: E, title: 'NotIpAddress on aws:SourceIp with only private addresses' },
  PRIVATE_NOT_IP_ADDRESS_SUBSET: {
    severity: S,
    title: 'NotIpAddress on aws:SourceIp mixes private and public',
  },
  // Size and characters
  POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA: {
    severity: E,
    title: 'Larger than the inline/managed policy quota',
  },
  POLICY_SIZE_EXCEEDS_MANAGED_POLICY_QUOTA: {
    severity: W,
    title: 'Too large to be a managed policy (6,144)',
  },
  POLICY_SIZE_EXCEEDS_SCP_QUOTA: { severity: E, title: 'Larger than the SCP quota (5,120)' },
  POLICY_SIZE_EXCEEDS_TRUST_POLICY_QUOTA: {
    severity: W,
    title: 'Larger than the default trust policy quota',
  },
  POLICY_SIZE_EXCEEDS_SESSION_POLICY_QUOTA: {
    severity: E,
    title: 'Larger than the session policy quota (2,048)',
  },
  INVALID_CHARACTER: { severity: E, title: 'Character outside the set IAM accepts' },
} as const satisfies Record<string, CodeInfo>;

/** Every code `validatePolicy` may return. */
export type FindingCode = keyof typeof FINDING_CODES;

/** Severity of a finding code (the single place severities are decided). */
export function severityOf(code: FindingCode): FindingSeverity {
  return FINDING_CODES[code].severity;
}
