/**
 * Shared types of the policy engine. Every function in policy/ is pure: data in, data out, no I/O
 * (the IAM catalog is loaded once from packaged data, see iam-catalog.ts).
 */

export const ACCESS_LEVELS = ['List', 'Read', 'Tagging', 'Write', 'Permissions management'] as const;
export type AccessLevel = (typeof ACCESS_LEVELS)[number];

export const EFFECTS = ['Allow', 'Deny'] as const;
export type Effect = (typeof EFFECTS)[number];

/** A principal block as written in a resource or trust policy, normalised to arrays. `'*'` stays a string. */
export type Principal =
  | '*'
  | { AWS?: string[]; Service?: string[]; Federated?: string[]; CanonicalUser?: string[] };

/**
 * Condition block normalised: operator (as written, e.g. `ForAnyValue:StringLikeIfExists`) → key → values.
 * Values are always arrays of strings (booleans and numbers are stringified as IAM does).
 */
export type ConditionBlock = Record<string, Record<string, string[]>>;

/** One normalised statement. Exactly one of action/notAction and (for identity policies) resource/notResource. */
export interface Statement {
  /** Index in the policy's Statement array (0 for a single-object Statement). */
  index: number;
  sid?: string;
  effect: Effect;
  /** Action patterns as written (case preserved), or undefined when NotAction is used. */
  action?: string[];
  notAction?: string[];
  resource?: string[];
  notResource?: string[];
  principal?: Principal;
  notPrincipal?: Principal;
  condition?: ConditionBlock;
}

/** A parsed, normalised IAM policy document. */
export interface Policy {
  version?: string;
  id?: string;
  statements: Statement[];
  /** True when `Statement` was a single object rather than an array (affects JSON pointers). */
  statementIsObject: boolean;
}

/** Where a parsed element sits in the source text (1-based line and column). */
export interface SourcePosition {
  line: number;
  column: number;
  offset: number;
}

/** Map from JSON pointer (e.g. `/Statement/0/Action/1`) to the position of that value in the source. */
export type SourceMap = ReadonlyMap<string, SourcePosition>;

/** Codes of parse issues; they are also validation finding codes (see validate/codes.ts). */
export const PARSE_ISSUE_CODES = [
  'JSON_SYNTAX_ERROR',
  'INVALID_POLICY_STRUCTURE',
  'MISSING_STATEMENT',
  'MISSING_EFFECT',
  'INVALID_EFFECT',
  'MISSING_ACTION',
  'UNSUPPORTED_ELEMENT_COMBINATION',
] as const;
export type ParseIssueCode = (typeof PARSE_ISSUE_CODES)[number];

export interface ParseIssue {
  code: ParseIssueCode;
  message: string;
  line: number;
  column: number;
  offset: number;
  /** JSON pointer of the offending element, when the JSON was well-formed but the policy was not. */
  path?: string;
}

export interface ParsedPolicy {
  policy: Policy;
  /** Positions of elements; empty when the input was an object rather than text. */
  sourceMap: SourceMap;
  /** The original document, as parsed JSON. */
  raw: unknown;
}

/** The kind of policy being analysed; changes which elements are legal and which factors apply. */
export const POLICY_KINDS = ['identity', 'resource', 'trust', 'scp', 'boundary', 'session'] as const;
export type PolicyKind = (typeof POLICY_KINDS)[number];

export const FINDING_SEVERITIES = ['error', 'warning', 'suggestion'] as const;
export type FindingSeverity = (typeof FINDING_SEVERITIES)[number];

/** A validation finding, modelled on IAM Access Analyzer policy checks and parliament's codes. */
export interface Finding {
  code: string;
  severity: FindingSeverity;
  message: string;
  /** JSON pointer into the policy document, e.g. `/Statement/0/Action/2`. */
  path: string;
  statementIndex?: number;
}

/** A concrete IAM action with its metadata, e.g. `s3:GetObject` (canonical casing from the IAM data). */
export interface ExpandedAction {
  action: string;
  service: string;
  accessLevel: AccessLevel;
}

export const RISK_BANDS = ['low', 'medium', 'high', 'critical'] as const;
export type RiskBand = (typeof RISK_BANDS)[number];

export interface Evidence {
  statementIndex: number;
  action?: string;
  resource?: string;
  /** Free-form detail, e.g. the condition that was found vacuous. */
  detail?: string;
}

export interface RiskFactor {
  /** Stable identifier, e.g. `privilege-escalation`, `wildcard-action`. */
  id: string;
  title: string;
  /** Points this factor contributes to the score (the score is traceable to factors). */
  points: number;
  evidence: Evidence[];
}

export interface RiskReview {
  score: number;
  band: RiskBand;
  factors: RiskFactor[];
  suggestions: string[];
  summary: string;
}

/** Context that changes the score but is not in the policy text. */
export interface RiskContext {
  kind?: PolicyKind;
  accessType?: 'read-only' | 'read-write';
  durationHours?: number;
  environment?: string;
  /**
   * The 12-digit account the policy lives in. Trust policy principals in this account are not cross-account;
   * when absent, every account principal counts as possibly cross-account.
   */
  accountId?: string;
  /** Admin additions (never removals) to the sensitive services and high-impact action sets. */
  extraSensitiveServices?: string[];
  extraHighImpactActions?: string[];
}
