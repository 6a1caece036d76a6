/**
 * ARN templates of the IAM catalog (`arn:${Partition}:s3:::${BucketName}/${ObjectName}`): filling their
 * placeholders for a draft, and recognising which resource type a concrete ARN (or ARN pattern) belongs to.
 * Source for the template syntax: AWS Service Authorization Reference, "Resource types defined by …" tables.
 */
import { type ActionInfo, getIamCatalog, type ResourceTypeInfo } from './iam-catalog.ts';

/** Values that replace the standard placeholders; anything not given becomes `*`. */
export interface ArnTemplateValues {
  /** `${Partition}`; defaults to `aws` (commercial regions). */
  partition?: string;
  /** `${Region}`. */
  region?: string;
  /** `${Account}` and `${AccountId}`. */
  accountId?: string;
}

const PLACEHOLDER = /\$\{([^}]+)\}/g;

/** The placeholder names of a template in order, e.g. `['Partition', 'BucketName', 'ObjectName']`. */
export function arnTemplatePlaceholders(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1] ?? '');
}

/**
 * Fills a template: `${Partition}` with `values.partition` (default `aws`), `${Region}` and `${Account}`
 * (or `${AccountId}`) with the given values, every other placeholder (and missing region/account) with `*`.
 * Adjacent wildcards collapse to one `*`. Never throws.
 */
export function fillArnTemplate(template: string, values: ArnTemplateValues = {}): string {
  const filled = template.replace(PLACEHOLDER, (_, name: string) => {
    if (name === 'Partition') return values.partition ?? 'aws';
    if (name === 'Region') return values.region ?? '*';
    if (name === 'Account' || name === 'AccountId') return values.accountId ?? '*';
    return '*';
  });
  return filled.replace(/\*{2,}/g, '*');
}

/** The placeholders left as `*` by {@link fillArnTemplate} with these values (for notes telling what to fill). */
export function unfilledPlaceholders(template: string, values: ArnTemplateValues = {}): string[] {
  return arnTemplatePlaceholders(template).filter((name) => {
    if (name === 'Partition') return false;
    if (name === 'Region') return values.region === undefined;
    if (name === 'Account' || name === 'AccountId') return values.accountId === undefined;
    return true;
  });
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

interface CompiledTemplate {
  re: RegExp;
  /** Number of literal characters: the more, the more specific (`table/${T}/index/${I}` beats `table/${T}`). */
  literal: number;
}

const compiled = new Map<string, CompiledTemplate>();

function compile(template: string): CompiledTemplate {
  let c = compiled.get(template);
  if (c) return c;
  // The first five `:`-separated fields (arn, partition, service, region, account) never contain a colon;
  // a placeholder in the resource part may span `/` and `:` (S3 object keys, log group names with slashes).
  let headerEnd = 0;
  for (let i = 0, colons = 0; i < template.length; i++) {
    if (template[i] === ':' && ++colons === 5) {
      headerEnd = i + 1;
      break;
    }
  }
  const part = (text: string, placeholder: string): string =>
    text
      .split(/\$\{[^}]+\}/)
      .map(escapeRegExp)
      .join(placeholder);
  const body = part(template.slice(0, headerEnd), '[^:]*') + part(template.slice(headerEnd), '.+');
  const literal = template.replace(PLACEHOLDER, '').length;
  c = { re: new RegExp(`^${body}$`, 's'), literal };
  if (compiled.size > 10_000) compiled.clear();
  compiled.set(template, c);
  return c;
}

/**
 * True when `arn` fits `template`. Wildcards in `arn` are taken as characters that fill placeholders, so
 * `arn:aws:s3:::my-bucket/*` fits the object template and `arn:aws:s3:::*` the bucket template.
 */
export function arnMatchesTemplate(arn: string, template: string): boolean {
  return compile(template).re.test(arn);
}

/**
 * The resource types among `candidates` that `arn` belongs to: of all templates it fits, only the most
 * specific (most literal characters), so `arn:aws:s3:::b/k` is an object and not a bucket named `b/k`.
 * Empty when none fits.
 */
export function matchResourceTypes(arn: string, candidates: readonly ResourceTypeInfo[]): ResourceTypeInfo[] {
  let best: ResourceTypeInfo[] = [];
  let bestLiteral = -1;
  for (const rt of candidates) {
    const c = compile(rt.arn);
    if (!c.re.test(arn)) continue;
    if (c.literal > bestLiteral) {
      best = [rt];
      bestLiteral = c.literal;
    } else if (c.literal === bestLiteral) {
      best.push(rt);
    }
  }
  return best;
}

/** The service segment of an ARN (`arn:aws:s3:::b` → `s3`), or undefined when `arn` is not ARN-shaped. */
export function arnService(arn: string): string | undefined {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  return parts[2];
}

/** True when `value` has the `arn:partition:service:region:account:resource` shape (wildcards allowed). */
export function isArnShaped(value: string): boolean {
  return /^arn:[^:]+:[^:]+:[^:]*:[^:]*:.+$/s.test(value);
}

/**
 * The resource types of `action` as catalog entries (unknown names skipped). With `scoping`, only the ones a
 * least-privilege policy must name: the required types when any is marked required, otherwise all of them
 * (for `s3:GetObject`, whose types are all optional, both `object` and `accesspointobject`).
 */
export function resourceTypesOfAction(action: ActionInfo, { scoping = false } = {}): ResourceTypeInfo[] {
  const catalog = getIamCatalog();
  const refs =
    scoping && action.resourceTypes.some((r) => r.required)
      ? action.resourceTypes.filter((r) => r.required)
      : action.resourceTypes;
  const out: ResourceTypeInfo[] = [];
  for (const r of refs) {
    const info = catalog.resourceType(action.service, r.name);
    if (info) out.push(info);
  }
  return out;
}

/**
 * Candidate resource types to recognise `arn` against on behalf of actions of `service`: the service's own
 * types plus those of the service named in the ARN (S3 templates include `s3-object-lambda` ARNs).
 */
export function candidateResourceTypes(service: string, arn: string): ResourceTypeInfo[] {
  const catalog = getIamCatalog();
  const own = catalog.resourceTypesOf(service);
  const named = arnService(arn);
  if (!named || named.toLowerCase() === service.toLowerCase()) return [...own];
  return [...own, ...catalog.resourceTypesOf(named)];
}

/** The resources one action is granted on in a draft: one resource type with its ARNs, or `*`. */
export interface ResourceGrant {
  /** Undefined for actions that support no resource type (they take `Resource: "*"` only). */
  resourceType?: ResourceTypeInfo;
  resources: string[];
  /** True when the resources are a filled ARN template rather than ARNs the caller supplied. */
  templated: boolean;
}

export interface ScopedAction {
  action: ActionInfo;
  grants: ResourceGrant[];
}

export interface ScopeResult {
  scoped: ScopedAction[];
  /** Actions left out because `requireMatch` held and no supplied ARN fits their resource types. */
  omitted: ActionInfo[];
  /** Supplied ARNs that fit no resource type of any of the actions. */
  unusedResources: string[];
}

export interface ScopeOptions {
  /** ARNs (or ARN patterns) to grant on; each goes to the actions whose resource types it fits. */
  resources?: readonly string[];
  values?: ArnTemplateValues;
  /** Actions for which a supplied ARN must fit, or they are omitted (policy_sentry's CRUD mode). */
  requireMatch?: (action: ActionInfo) => boolean;
}

/**
 * Decides, per action, which resources a least-privilege policy grants it on. A supplied ARN goes to every
 * action one of whose resource types it is (by {@link matchResourceTypes}). An action with matches also gets
 * the filled template of each required type no ARN fits; an action without matches gets the filled templates
 * of its scoping types ({@link resourceTypesOfAction}), or `*` when it has no resource types. Never throws.
 */
export function scopeActionResources(
  actions: readonly ActionInfo[],
  { resources = [], values = {}, requireMatch = () => false }: ScopeOptions = {},
): ScopeResult {
  const matchCache = new Map<string, ResourceTypeInfo[]>();
  const matchesOf = (service: string, arn: string): ResourceTypeInfo[] => {
    const key = `${service}\n${arn}`;
    let found = matchCache.get(key);
    if (!found) {
      found = matchResourceTypes(arn, candidateResourceTypes(service, arn));
      matchCache.set(key, found);
    }
    return found;
  };
  const used = new Set<string>();
  const scoped: ScopedAction[] = [];
  const omitted: ActionInfo[] = [];
  const template = (rt: ResourceTypeInfo): ResourceGrant => ({
    resourceType: rt,
    resources: [fillArnTemplate(rt.arn, values)],
    templated: true,
  });

  for (const action of actions) {
    const types = resourceTypesOfAction(action);
    const matched: ResourceGrant[] = [];
    for (const rt of types) {
      const arns = resources.filter((arn) => matchesOf(action.service, arn).includes(rt));
      if (arns.length === 0) continue;
      for (const arn of arns) used.add(arn);
      matched.push({ resourceType: rt, resources: [...new Set(arns)], templated: false });
    }
    if (matched.length === 0 && resources.length > 0 && requireMatch(action)) {
      omitted.push(action);
      continue;
    }
    let grants: ResourceGrant[];
    if (matched.length > 0) {
      const required = new Set(
        action.resourceTypes.filter((r) => r.required).map((r) => r.name.toLowerCase()),
      );
      const missing = types.filter(
        (rt) => required.has(rt.name.toLowerCase()) && !matched.some((g) => g.resourceType === rt),
      );
      grants = [...matched, ...missing.map(template)];
    } else if (types.length === 0) {
      grants = [{ resources: ['*'], templated: false }];
    } else {
      grants = resourceTypesOfAction(action, { scoping: true }).map(template);
    }
    scoped.push({ action, grants });
  }
  return { scoped, omitted, unusedResources: resources.filter((arn) => !used.has(arn)) };
}
