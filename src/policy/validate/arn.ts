/**
 * ARN syntax and matching of policy resource patterns against the ARN templates of the IAM catalog.
 * ARN format: `arn:partition:service:region:account-id:resource` (AWS General Reference, "Amazon Resource Names").
 * A policy resource may hold `*`/`?` wildcards and policy variables; a template holds `${Variable}` placeholders.
 * "Does this resource fit that resource type?" is answered by asking whether some concrete ARN matches both.
 */
import { getIamCatalog } from '../iam-catalog.ts';

/** The partitions AWS documents (aws, China, GovCloud, the isolated and the European Sovereign Cloud). */
export const PARTITIONS = [
  'aws',
  'aws-cn',
  'aws-us-gov',
  'aws-iso',
  'aws-iso-b',
  'aws-iso-e',
  'aws-iso-f',
  'aws-eusc',
] as const;

/** The six fields of an ARN (the `arn` prefix omitted). */
export interface ArnParts {
  partition: string;
  service: string;
  region: string;
  account: string;
  resource: string;
}

/** Replaces policy variables with `*` (they stand for any value); `${*}`, `${?}`, `${$}` are literal characters. */
export function maskPolicyVariables(s: string): string {
  if (!s.includes('${')) return s;
  return s.replace(/\$\{([^}]*)\}/g, (_m, inner: string) =>
    inner === '*' || inner === '?' || inner === '$' ? inner : '*',
  );
}

/** Splits an ARN into its six fields (the resource may contain `:`); undefined when fields are missing. */
export function splitArn(arn: string): ArnParts | undefined {
  const parts: string[] = [];
  let start = 0;
  for (let n = 0; n < 5; n++) {
    const colon = arn.indexOf(':', start);
    if (colon < 0) return undefined;
    parts.push(arn.slice(start, colon));
    start = colon + 1;
  }
  const [, partition = '', service = '', region = '', account = ''] = parts;
  return { partition, service, region, account, resource: arn.slice(start) };
}

// A pattern compiled for intersection: per position a literal char, `?` (one char), `*` (any run), or a template
// variable (any run without one excluded separator).
const LIT = 0;
const ONE = 1;
/** Exactly one character other than the excluded separator (a template variable is never empty). */
const ONEX = 2;
const ANY = 3;
const VAR = 4;
interface Glob {
  kinds: Uint8Array;
  chars: string;
  excl: string;
}

function policyGlob(s: string): Glob {
  const kinds = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) kinds[i] = s[i] === '*' ? ANY : s[i] === '?' ? ONE : LIT;
  return { kinds, chars: s, excl: ' '.repeat(s.length) };
}

/**
 * Template field → glob. A `${Var}` matches a non-empty run except the separator that follows it (so a bucket name does not
 * swallow `/object`); the last variable of the resource part matches anything (paths, qualifiers), except when the
 * whole resource part is one variable (bucket, queue and topic names have no `/`).
 */
function templateGlob(field: string, isResourcePart: boolean, mayBeEmpty = false): Glob {
  const kinds: number[] = [];
  let chars = '';
  let excl = '';
  const singleVar = isResourcePart && /^\$\{[^}]+\}$/.test(field);
  let i = 0;
  while (i < field.length) {
    if (field.startsWith('${', i)) {
      const end = field.indexOf('}', i);
      const close = end < 0 ? field.length : end + 1;
      const next = field[close];
      let ex = ':';
      if (isResourcePart) ex = singleVar ? '/' : next === '/' || next === ':' ? next : '';
      if (mayBeEmpty) {
        kinds.push(ex ? VAR : ANY);
        chars += ' ';
        excl += ex || ' ';
      } else {
        kinds.push(ONEX, ex ? VAR : ANY);
        chars += '  ';
        excl += `${ex || ' '}${ex || ' '}`;
      }
      i = close;
    } else {
      kinds.push(LIT);
      chars += field[i];
      excl += ' ';
      i++;
    }
  }
  return { kinds: Uint8Array.from(kinds), chars, excl };
}

/** Two single-character tokens can be the same character. */
function sameChar(a: Glob, i: number, b: Glob, j: number): boolean {
  const ka = a.kinds[i];
  const kb = b.kinds[j];
  if (ka === LIT && kb === LIT) return a.chars[i] === b.chars[j];
  if (ka === ONEX && kb === LIT) return b.chars[j] !== a.excl[i];
  if (kb === ONEX && ka === LIT) return a.chars[i] !== b.excl[j];
  return true;
}

function absorbs(x: Glob, p: number, y: Glob, q: number): boolean {
  if (x.kinds[p] === ANY) return true;
  return y.kinds[q] !== LIT || y.chars[q] !== x.excl[p];
}

/** True when some string matches both globs (memoised dynamic programme over positions). */
function intersects(a: Glob, b: Glob): boolean {
  const n = a.kinds.length;
  const m = b.kinds.length;
  const memo = new Uint8Array((n + 1) * (m + 1));
  const f = (i: number, j: number): boolean => {
    const slot = i * (m + 1) + j;
    const known = memo[slot];
    if (known) return known === 1;
    let r = false;
    if (i === n && j === m) r = true;
    else {
      const ka = i < n ? (a.kinds[i] as number) : -1;
      const kb = j < m ? (b.kinds[j] as number) : -1;
      if (ka >= ANY) r = f(i + 1, j) || (j < m && absorbs(a, i, b, j) && f(i, j + 1));
      if (!r && kb >= ANY) r = f(i, j + 1) || (i < n && absorbs(b, j, a, i) && f(i + 1, j));
      if (!r && ka >= 0 && kb >= 0 && ka < ANY && kb < ANY) r = sameChar(a, i, b, j) && f(i + 1, j + 1);
    }
    memo[slot] = r ? 1 : 2;
    return r;
  };
  return f(0, 0);
}

/** Some resource types list several ARN formats in one string, separated by ", ". */
export function splitTemplates(arn: string): string[] {
  return arn.split(/,\s*(?=arn:)/);
}

/** A resource-type ARN template compiled once. */
export interface ArnTemplate {
  template: string;
  service: string;
  hasRegion: boolean;
  hasAccount: boolean;
  fields: Glob[];
}

const templateCache = new Map<string, ArnTemplate>();

/** Compiles (once) a catalog ARN template such as `arn:${Partition}:s3:::${BucketName}/${ObjectName}`. */
export function compileTemplate(template: string): ArnTemplate {
  let t = templateCache.get(template);
  if (!t) {
    const p = splitArn(template) ?? {
      partition: '',
      service: '',
      region: '',
      account: '',
      resource: template,
    };
    t = {
      template,
      service: p.service,
      hasRegion: p.region !== '',
      hasAccount: p.account !== '',
      fields: [
        templateGlob(p.partition, false),
        templateGlob(p.service, false),
        templateGlob(p.region, false),
        // AWS-owned resources (public SSM documents and parameters, service views) have an empty account.
        templateGlob(p.account, false, true),
        templateGlob(p.resource, true),
      ],
    };
    templateCache.set(template, t);
  }
  return t;
}

interface CompiledResource {
  star: boolean;
  /** The five globs after `arn:`, or undefined when the ARN must be compared as a whole. */
  fields?: Glob[];
  whole: Glob;
}

const resourceCache = new Map<string, CompiledResource>();
const fitCache = new Map<ArnTemplate, Map<string, boolean>>();
const wholeTemplates = new Map<ArnTemplate, Glob>();

function compileResource(resource: string): CompiledResource {
  let c = resourceCache.get(resource);
  if (!c) {
    const masked = maskPolicyVariables(resource);
    const p = masked.startsWith('arn:') ? splitArn(masked) : undefined;
    c = { star: masked === '*', whole: policyGlob(masked) };
    if (p) c.fields = [p.partition, p.service, p.region, p.account, p.resource].map(policyGlob);
    if (resourceCache.size > 50_000) resourceCache.clear();
    resourceCache.set(resource, c);
  }
  return c;
}

/** True when the policy resource (wildcards and variables allowed) can name a resource of the template's type. */
export function resourceFitsTemplate(resource: string, template: ArnTemplate): boolean {
  let perTemplate = fitCache.get(template);
  if (!perTemplate) {
    perTemplate = new Map();
    fitCache.set(template, perTemplate);
  }
  const cached = perTemplate.get(resource);
  if (cached !== undefined) return cached;
  const c = compileResource(resource);
  let fits: boolean;
  if (c.star) fits = true;
  else if (c.fields) {
    const fields = c.fields;
    fits = template.fields.every((g, i) => intersects(fields[i] as Glob, g));
  } else {
    // Fewer than six fields, or a wildcard before them (`arn:aws:*`, `*:s3:::b`): compare whole strings.
    let whole = wholeTemplates.get(template);
    if (!whole) {
      whole = templateGlob(template.template, true);
      wholeTemplates.set(template, whole);
    }
    fits = intersects(c.whole, whole);
  }
  if (perTemplate.size > 10_000) perTemplate.clear();
  perTemplate.set(resource, fits);
  return fits;
}

let byService: Map<string, ArnTemplate[]> | undefined;

/** All distinct ARN templates grouped by the service field of the ARN (not the action prefix). */
export function templatesByArnService(): ReadonlyMap<string, readonly ArnTemplate[]> {
  if (!byService) {
    const map = new Map<string, ArnTemplate[]>();
    const seen = new Set<string>();
    const catalog = getIamCatalog();
    for (const s of catalog.services()) {
      for (const rt of catalog.resourceTypesOf(s)) {
        for (const arn of splitTemplates(rt.arn)) {
          if (seen.has(arn)) continue;
          seen.add(arn);
          const t = compileTemplate(arn);
          const list = map.get(t.service) ?? [];
          list.push(t);
          map.set(t.service, list);
        }
      }
    }
    byService = map;
  }
  return byService;
}
