/**
 * Drafts least-privilege identity policies from a list of actions (with optional resource ARNs) or from a
 * service and access levels, in the manner of policy_sentry's "actions" and "CRUD" modes: one statement per
 * service, access level and resource type, with the ARNs supplied or, where none fits, the resource type's ARN
 * template from the IAM reference with `*` for the parts not known. Pure; never throws.
 */
import { err, ok, type Result } from '../lib/result.ts';
import {
  isArnShaped,
  type ScopedAction,
  scopeActionResources,
  unfilledPlaceholders,
} from './arn-template.ts';
import { dependentActionsFor } from './dependent-actions.ts';
import { expandActionPattern } from './expand.ts';
import { type ActionInfo, getIamCatalog } from './iam-catalog.ts';
import { ACCESS_LEVELS, type AccessLevel, type Effect, type Finding } from './types.ts';
import { hasWildcard } from './wildcard.ts';

export const DRAFT_ACCESS_TYPES = ['read-only', 'read-write'] as const;
export type DraftAccessType = (typeof DRAFT_ACCESS_TYPES)[number];

/** Access levels that `read-only` drafts accept; everything else is refused. */
export const READ_ONLY_ACCESS_LEVELS: readonly AccessLevel[] = ['List', 'Read'];

export interface DraftInput {
  /** Actions or action patterns (`s3:Get*`), expanded against the IAM catalog. */
  actions?: string[];
  /** Resource ARNs (wildcards allowed) to scope the actions to. */
  resources?: string[];
  /** With `accessLevels`: every action of this service at those levels (policy_sentry's CRUD mode). */
  service?: string;
  accessLevels?: AccessLevel[];
  accessType?: DraftAccessType;
  region?: string;
  accountId?: string;
  /** Defaults to `aws`. */
  partition?: string;
  /** Also grant the curated dependent actions (KMS keys for encrypted data, `iam:PassRole`), see dependent-actions.ts. */
  includeDependentActions?: boolean;
}

/** A statement in standard IAM policy JSON. */
export interface PolicyDocumentStatement {
  Sid?: string;
  Effect: Effect;
  Principal?: unknown;
  NotPrincipal?: unknown;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

/** A policy in standard IAM policy JSON. */
export interface PolicyDocument {
  Version: string;
  Id?: string;
  Statement: PolicyDocumentStatement[];
}

export interface DraftResult {
  policy: PolicyDocument;
  /** What the caller must still fill in or know: templated resources, defaults, added and omitted actions. */
  notes: string[];
}

/** IAM quotas, counted without whitespace (IAM User Guide, "IAM and AWS STS quotas"). */
export const MANAGED_POLICY_MAX_CHARS = 6144;
export const INLINE_ROLE_POLICY_MAX_CHARS = 10240;

/** Sid of the statement holding the actions that support only `Resource: "*"`. */
export const WILDCARD_ONLY_SID = 'WildcardResourceOnly';

const LEVEL_ALIASES = new Map<string, AccessLevel>(
  ACCESS_LEVELS.flatMap((level) => {
    const lower = level.toLowerCase();
    return [
      [lower, level],
      [lower.replace(/ /g, '-'), level],
      [lower.replace(/ /g, '_'), level],
      [lower.replace(/ /g, ''), level],
    ] as [string, AccessLevel][];
  }),
);

/**
 * Reads an access level as written by people (`read`, `permissions-management`, `Permissions management`).
 * Undefined for anything else.
 */
export function accessLevelOf(level: string): AccessLevel | undefined {
  const first = level.split(',')[0]?.trim().toLowerCase() ?? '';
  return LEVEL_ALIASES.get(first);
}

/** `network-interface` → `NetworkInterface`, `Permissions management` → `PermissionsManagement`. */
export function pascalCase(text: string): string {
  return text
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]?.toUpperCase() + w.slice(1))
    .join('');
}

function finding(code: string, message: string, path: string): Finding {
  return { code, severity: 'error', message, path };
}

/** The input list, or empty with a finding when the caller (JSON from the API) sent something else. */
function listOf(value: unknown, path: string, findings: Finding[]): unknown[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value;
  findings.push(finding('InvalidInput', `${path.slice(1)} must be a list.`, path));
  return [];
}

interface Requested {
  info: ActionInfo;
  /** From the service/access-level form: left out when resources are supplied and none fits. */
  fromLevels: boolean;
}

function collectRequested(input: DraftInput, findings: Finding[]): Map<string, Requested> {
  const catalog = getIamCatalog();
  const requested = new Map<string, Requested>();
  const readOnly = input.accessType === 'read-only';
  listOf(input.actions, '/actions', findings).forEach((pattern, i) => {
    const path = `/actions/${i}`;
    if (typeof pattern !== 'string' || pattern.trim() === '') {
      findings.push(finding('InvalidAction', `Action #${i + 1} is not an action name.`, path));
      return;
    }
    const matched = expandActionPattern(pattern.trim());
    if (matched.length === 0) {
      const what = hasWildcard(pattern) ? 'matches no action' : 'is not an action';
      findings.push(finding('UnknownAction', `${pattern} ${what} in the IAM reference.`, path));
      return;
    }
    const writes = matched.filter(
      (a) => !READ_ONLY_ACCESS_LEVELS.includes(accessLevelOf(a.accessLevel) ?? 'Write'),
    );
    if (readOnly && writes.length > 0) {
      const level = accessLevelOf(writes[0]?.accessLevel ?? '') ?? 'Write';
      const message = hasWildcard(pattern)
        ? `${pattern} includes ${writes.length} action(s) beyond List and Read (${writes
            .slice(0, 5)
            .map((a) => a.action)
            .join(', ')}${writes.length > 5 ? ', …' : ''}); read-only access refuses them.`
        : `${matched[0]?.action} is a ${level} action; read-only access refuses it.`;
      findings.push(finding('ReadOnlyViolation', message, path));
      return;
    }
    for (const a of matched) {
      const info = catalog.action(a.action);
      if (info) requested.set(info.id.toLowerCase(), { info, fromLevels: false });
    }
  });

  if (input.service === undefined && input.accessLevels === undefined) return requested;
  if (input.service === undefined || !catalog.hasService(input.service)) {
    const message =
      input.service === undefined
        ? 'Access levels need a service (e.g. "s3").'
        : `${input.service} is not a service prefix in the IAM reference.`;
    findings.push(
      finding(input.service === undefined ? 'MissingService' : 'UnknownService', message, '/service'),
    );
    return requested;
  }
  const accessLevels = listOf(input.accessLevels, '/accessLevels', findings);
  if (accessLevels.length === 0) {
    if (!Array.isArray(input.accessLevels) && input.accessLevels !== undefined) return requested;
    findings.push(
      finding('MissingAccessLevels', `Name the access levels wanted for ${input.service}.`, '/accessLevels'),
    );
    return requested;
  }
  const levels = new Set<AccessLevel>();
  accessLevels.forEach((raw, i) => {
    const level = typeof raw === 'string' ? accessLevelOf(raw) : undefined;
    const path = `/accessLevels/${i}`;
    if (!level) {
      const message = `${String(raw)} is not an access level (${ACCESS_LEVELS.join(', ')}).`;
      findings.push(finding('UnknownAccessLevel', message, path));
    } else if (readOnly && !READ_ONLY_ACCESS_LEVELS.includes(level)) {
      findings.push(
        finding(
          'ReadOnlyViolation',
          `${level} access to ${input.service} is refused by read-only access.`,
          path,
        ),
      );
    } else {
      levels.add(level);
    }
  });
  for (const info of catalog.actionsOf(input.service)) {
    const level = accessLevelOf(info.accessLevel);
    const key = info.id.toLowerCase();
    if (level && levels.has(level) && !requested.has(key)) requested.set(key, { info, fromLevels: true });
  }
  return requested;
}

interface StatementGroup {
  sid: string;
  order: string;
  actions: Set<string>;
  resources: string[];
  templated: boolean;
  note?: string;
}

function levelRank(info: ActionInfo): number {
  return ACCESS_LEVELS.indexOf(accessLevelOf(info.accessLevel) ?? 'Write');
}

function buildStatements(
  scoped: ScopedAction[],
  input: DraftInput,
): { groups: StatementGroup[]; notes: string[] } {
  const groups = new Map<string, StatementGroup>();
  const values = { partition: input.partition, region: input.region, accountId: input.accountId };
  for (const { action, grants } of scoped) {
    const level = accessLevelOf(action.accessLevel) ?? 'Write';
    for (const grant of grants) {
      const rt = grant.resourceType;
      const sid = rt ? pascalCase(`${action.service} ${level} ${rt.name}`) : WILDCARD_ONLY_SID;
      // Sort key: service, access level in ACCESS_LEVELS order, resource type; wildcard-only last.
      const order = rt ? `0 ${action.service} ${levelRank(action)} ${rt.name.toLowerCase()}` : '1';
      const key = rt ? `${action.service}\n${level}\n${rt.name}` : '*';
      let group = groups.get(key);
      if (!group) {
        const unfilled = rt && grant.templated ? unfilledPlaceholders(rt.arn, values) : [];
        group = {
          sid,
          order,
          actions: new Set(),
          resources: [...grant.resources],
          templated: grant.templated,
        };
        if (unfilled.length > 0) {
          group.note = `${sid}: no ARN given for ${action.service} resource type "${rt?.name}"; using ${grant.resources[0]} from the template ${rt?.arn} — replace * with the ${unfilled.join(', ')}.`;
        }
        groups.set(key, group);
      }
      group.actions.add(action.id);
    }
  }
  const sorted = [...groups.values()].sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : 0));
  // Resource type names that differ only in punctuation would give equal Sids; IAM wants them unique.
  const seen = new Map<string, number>();
  for (const g of sorted) {
    const n = (seen.get(g.sid) ?? 0) + 1;
    seen.set(g.sid, n);
    if (n > 1) g.sid = `${g.sid}${n}`;
  }
  const notes = sorted.flatMap((g) => (g.note ? [g.note] : []));
  return { groups: sorted, notes };
}

/**
 * Drafts a least-privilege policy. Returns the policy and notes, or findings (codes `InvalidAction`,
 * `UnknownAction`, `UnknownService`, `MissingService`, `MissingAccessLevels`, `UnknownAccessLevel`,
 * `ReadOnlyViolation`, `MalformedArn`, `InvalidAccessType`, `InvalidInput`, `EmptyDraft`; `path` is a JSON pointer into the
 * input) when the request cannot be drafted as asked. `read-only` refuses every action above List and Read.
 */
export function draftPolicy(input: DraftInput): Result<DraftResult, Finding[]> {
  const findings: Finding[] = [];
  if (input.accessType !== undefined && !DRAFT_ACCESS_TYPES.includes(input.accessType)) {
    const message = `${String(input.accessType)} is not an access type (${DRAFT_ACCESS_TYPES.join(', ')}).`;
    findings.push(finding('InvalidAccessType', message, '/accessType'));
  }
  const resources: string[] = [];
  listOf(input.resources, '/resources', findings).forEach((arn, i) => {
    if (typeof arn === 'string' && isArnShaped(arn)) resources.push(arn);
    else {
      const hint = arn === '*' ? ' Leave resources out to get ARN templates.' : '';
      findings.push(
        finding('MalformedArn', `${String(arn)} is not a resource ARN.${hint}`, `/resources/${i}`),
      );
    }
  });
  const requested = collectRequested(input, findings);
  if (findings.length > 0) return err(findings);

  const notes: string[] = [];
  if (input.includeDependentActions) {
    const catalog = getIamCatalog();
    for (const dep of dependentActionsFor([...requested.values()].map((r) => r.info.id))) {
      const info = catalog.action(dep.action);
      if (!info) continue;
      if (!requested.has(info.id.toLowerCase()))
        requested.set(info.id.toLowerCase(), { info, fromLevels: false });
      notes.push(`Added ${info.id}: ${dep.requiredBy} needs it ${dep.when} (${dep.source}).`);
    }
  }
  if (requested.size === 0) {
    return err([finding('EmptyDraft', 'Name at least one action, or a service with access levels.', '')]);
  }

  const fromLevels = new Set([...requested.values()].filter((r) => r.fromLevels).map((r) => r.info));
  const actions = [...requested.values()]
    .map((r) => r.info)
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const scope = scopeActionResources(actions, {
    resources,
    values: { partition: input.partition, region: input.region, accountId: input.accountId },
    requireMatch: (a) => fromLevels.has(a),
  });
  const { groups, notes: templateNotes } = buildStatements(scope.scoped, input);
  notes.push(...templateNotes);
  if (groups.some((g) => g.sid === WILDCARD_ONLY_SID)) {
    notes.push(
      `${WILDCARD_ONLY_SID}: these actions support no resource type in the IAM reference, so only Resource "*".`,
    );
  }
  if (groups.some((g) => g.templated) && input.partition === undefined) {
    notes.push('Partition defaulted to "aws" in ARN templates; set partition for GovCloud or China regions.');
  }
  for (const arn of scope.unusedResources) {
    notes.push(`${arn} fits no resource type of the drafted actions and was not used.`);
  }
  if (scope.omitted.length > 0) {
    const names = scope.omitted.map((a) => a.id);
    notes.push(
      `${names.length} action(s) at the requested access levels apply to none of the given resources and were left out: ${names.slice(0, 10).join(', ')}${names.length > 10 ? ', …' : '.'}`,
    );
  }
  if (groups.length === 0) {
    return err([
      finding(
        'EmptyDraft',
        'No action of the requested access levels applies to the given resources.',
        '/resources',
      ),
    ]);
  }
  const policy: PolicyDocument = {
    Version: '2012-10-17',
    Statement: groups.map((g) => ({
      Sid: g.sid,
      Effect: 'Allow',
      Action: [...g.actions].sort(),
      Resource: g.sid === WILDCARD_ONLY_SID ? '*' : g.resources,
    })),
  };
  const size = JSON.stringify(policy).length;
  if (size > MANAGED_POLICY_MAX_CHARS) {
    notes.push(
      `The draft is ${size} characters; IAM allows ${MANAGED_POLICY_MAX_CHARS} in a managed policy and ${INLINE_ROLE_POLICY_MAX_CHARS} in a role's inline policies — ask for fewer actions or split it.`,
    );
  }
  return ok({ policy, notes });
}
