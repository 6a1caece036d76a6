/**
 * Per-action risk flags, computed once for the whole IAM catalog: a Map from canonical action id to a bitset of
 * the risk families the action belongs to, plus what the scorer needs to know about its resources. Scoring a
 * statement then costs one map lookup per action instead of a scan over every curated list.
 */
import { getIamCatalog } from '../iam-catalog.ts';
import type { AccessLevel } from '../types.ts';
import { PERMISSIONS_MANAGEMENT_OVERRIDES, READ_LEVEL_CORRECTIONS } from './lists/access-levels.ts';
import {
  CATASTROPHIC,
  CODE_EXECUTION,
  CREDENTIALS_EXPOSURE,
  DATA_READS,
  DEFENSE_EVASION,
  DESTRUCTIVE_VERBS,
  HIGH_IMPACT,
  IAM_RECON,
  RESOURCE_EXPOSURE,
  SECRET_READS,
  SENSITIVE_SERVICES,
} from './lists/action-lists.ts';
import { ESCALATION_METHODS } from './lists/escalation-methods.ts';

/** Bits of `ActionRisk.flags`. */
export const FLAG = {
  list: 1 << 0,
  read: 1 << 1,
  write: 1 << 2,
  tagging: 1 << 3,
  permissions: 1 << 4,
  credentials: 1 << 5,
  secretRead: 1 << 6,
  dataRead: 1 << 7,
  codeExecution: 1 << 8,
  resourceExposure: 1 << 9,
  defenseEvasion: 1 << 10,
  catastrophic: 1 << 11,
  highImpact: 1 << 12,
  iamRecon: 1 << 13,
  sensitiveService: 1 << 14,
  destructive: 1 << 15,
  escalation: 1 << 16,
  /** The action supports resource-level permissions (its Resource need not be `*`). */
  resourceLevel: 1 << 17,
} as const;

/** Write, Tagging or Permissions management: everything above List/Read. */
export const MUTATING = FLAG.write | FLAG.tagging | FLAG.permissions;

/**
 * Families that already explain a mutating action; `write-access` only counts the writes none of them covers,
 * so one action does not earn both a specific factor and the generic one.
 */
export const SPECIFIC_FAMILIES =
  FLAG.permissions |
  FLAG.credentials |
  FLAG.secretRead |
  FLAG.dataRead |
  FLAG.codeExecution |
  FLAG.resourceExposure |
  FLAG.defenseEvasion |
  FLAG.catastrophic |
  FLAG.highImpact |
  FLAG.sensitiveService |
  FLAG.destructive;

/** What the scorer knows about one catalog action, computed once (see `actionRisk`). */
export interface ActionRisk {
  /** Canonical id, e.g. `s3:GetObject`. */
  id: string;
  service: string;
  /** Access level after normalisation and policy_sentry's Permissions management corrections. */
  level: AccessLevel;
  flags: number;
  /** Lower-case service segments of the ARNs this action accepts; empty when it only accepts `*`. */
  arnServices: readonly string[];
}

let table: Map<string, ActionRisk> | undefined;
let prefixesByArnService: Map<string, readonly string[]> | undefined;

const LEVEL_FLAG: Record<AccessLevel, number> = {
  List: FLAG.list,
  Read: FLAG.read,
  Write: FLAG.write,
  Tagging: FLAG.tagging,
  'Permissions management': FLAG.permissions,
};

function destructiveName(name: string): boolean {
  const lower = name.toLowerCase();
  for (const verb of DESTRUCTIVE_VERBS) {
    // The verb must be a whole word at the start: `StopLogging`, not `Stopwatch`.
    if (lower.startsWith(verb)) {
      const next = name.charAt(verb.length);
      if (next === '' || (next >= 'A' && next <= 'Z')) return true;
    }
  }
  return false;
}

/** Splits an ARN template or pattern into its six colon-separated fields (the last keeps its colons). */
export function arnFields(arn: string): string[] | undefined {
  const parts = arn.split(':');
  if (parts.length < 6) return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(':')];
}

function build(): Map<string, ActionRisk> {
  const catalog = getIamCatalog();
  const member = (list: readonly string[]): Set<string> => new Set(list.map((a) => a.toLowerCase()));
  const sets: [Set<string>, number][] = [
    [member(CREDENTIALS_EXPOSURE), FLAG.credentials],
    [member(SECRET_READS), FLAG.secretRead],
    [member(DATA_READS), FLAG.dataRead],
    [member(CODE_EXECUTION), FLAG.codeExecution],
    [member(RESOURCE_EXPOSURE), FLAG.resourceExposure],
    [member(DEFENSE_EVASION), FLAG.defenseEvasion],
    [member(CATASTROPHIC), FLAG.catastrophic],
    [member(HIGH_IMPACT), FLAG.highImpact],
    [member(IAM_RECON), FLAG.iamRecon],
    [member(ESCALATION_METHODS.flatMap((m) => m.actions)), FLAG.escalation],
  ];
  const pmOverrides = member(PERMISSIONS_MANAGEMENT_OVERRIDES);
  const readCorrections = member(READ_LEVEL_CORRECTIONS);
  const sensitive = new Set(SENSITIVE_SERVICES);
  const prefixes = new Map<string, Set<string>>();
  const out = new Map<string, ActionRisk>();
  for (const info of catalog.allActions()) {
    const lower = info.id.toLowerCase();
    let level = info.accessLevel;
    if (pmOverrides.has(lower)) level = 'Permissions management';
    else if (readCorrections.has(lower)) level = info.name.startsWith('List') ? 'List' : 'Read';
    let flags = LEVEL_FLAG[level];
    for (const [set, bit] of sets) if (set.has(lower)) flags |= bit;
    // Token-returning calls such as sts:AssumeRole change nothing in the service; credentials-exposure covers them.
    if (flags & MUTATING && !(flags & FLAG.credentials) && sensitive.has(info.service)) {
      flags |= FLAG.sensitiveService;
    }
    if (level === 'Write' && destructiveName(info.name)) flags |= FLAG.destructive;
    const arnServices = new Set<string>();
    for (const rt of info.resourceTypes) {
      const def = catalog.resourceType(info.service, rt.name);
      const fields = def ? arnFields(def.arn) : undefined;
      if (!fields) continue;
      const svc = (fields[2] ?? '').toLowerCase();
      arnServices.add(svc);
      const resource = fields[5] ?? '';
      const literal = resource.slice(0, Math.max(0, resource.indexOf('${')));
      if (literal && /[/:]$/.test(literal)) {
        const p = prefixes.get(svc) ?? new Set<string>();
        p.add(literal);
        prefixes.set(svc, p);
      }
    }
    if (arnServices.size > 0) flags |= FLAG.resourceLevel;
    out.set(info.id, { id: info.id, service: info.service, level, flags, arnServices: [...arnServices] });
  }
  prefixesByArnService = new Map(
    [...prefixes].map(([svc, set]) => [svc, [...set].sort((a, b) => b.length - a.length)]),
  );
  return out;
}

/** Risk data of a canonical action id (as `expandActionPatterns` returns it); undefined for unknown ids. */
export function actionRisk(id: string): ActionRisk | undefined {
  table ??= build();
  return table.get(id);
}

/**
 * Literal resource-type prefixes (`role/`, `secret:`, `parameter/`, …) of the ARNs of one ARN service, longest
 * first, taken from the ARN templates in the IAM definitions.
 */
export function resourcePrefixes(arnService: string): readonly string[] {
  table ??= build();
  return prefixesByArnService?.get(arnService) ?? [];
}
