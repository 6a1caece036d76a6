/**
 * Resource checks: ARN syntax (Access Analyzer's INVALID_ARN_* / MISSING_ARN_* / ARN_*_NOT_ALLOWED errors) and
 * whether each resource fits a resource type of the statement's actions (parliament's RESOURCE_MISMATCH), using the
 * ARN templates of the Service Authorization Reference as packaged in the IAM catalog.
 */
import { expandActionPattern } from '../expand.ts';
import { getIamCatalog } from '../iam-catalog.ts';
import type { ExpandedAction } from '../types.ts';
import { hasWildcard } from '../wildcard.ts';
import {
  type ArnParts,
  type ArnTemplate,
  compileTemplate,
  maskPolicyVariables,
  PARTITIONS,
  resourceFitsTemplate,
  splitArn,
  splitTemplates,
  templatesByArnService,
} from './arn.ts';
import { entryPath, type StatementView, type ValidationContext } from './context.ts';

const REGION_RE = /^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$/;
const ACCOUNT_RE = /^\d{12}$/;
/** Actions per pattern above which fit checks are skipped: such patterns fit almost any resource anyway. */
const BROAD_PATTERN = 1500;

/** Checks one resource's syntax; returns false when it is malformed (then fit checks skip it). */
function checkArnSyntax(
  ctx: ValidationContext,
  view: StatementView,
  name: string,
  r: string,
  i: number,
): boolean {
  const path = entryPath(view, name, i);
  const at = view.statement.index;
  const masked = maskPolicyVariables(r);
  if (masked === '*') return true;
  if (ctx.kind === 'resource' && r.startsWith('execute-api:/')) return true; // API Gateway resource policy form
  if (!r.startsWith('arn:')) {
    ctx.report('INVALID_ARN_PREFIX', `Resource "${r}" must be "*" or an ARN starting with "arn:".`, path, at);
    return false;
  }
  const p = splitArn(masked);
  if (!p) {
    if (hasWildcard(masked)) return true; // e.g. `arn:aws:s3:*`: the wildcard may span the missing fields
    ctx.report(
      'MISSING_ARN_FIELD',
      `Resource "${r}" must have the fields arn:partition:service:region:account-id:resource.`,
      path,
      at,
    );
    return false;
  }
  if (!hasWildcard(p.partition) && !(PARTITIONS as readonly string[]).includes(p.partition)) {
    ctx.report(
      'INVALID_PARTITION',
      `Partition "${p.partition}" of "${r}" is not an AWS partition (${PARTITIONS.join(', ')}).`,
      path,
      at,
    );
    return false;
  }
  if (p.service !== p.service.toLowerCase()) {
    ctx.report(
      'INVALID_ARN_SERVICE_CASE',
      `Service "${p.service}" in "${r}" must be lowercase ("${p.service.toLowerCase()}").`,
      path,
      at,
    );
    return false;
  }
  if (p.region !== '' && !hasWildcard(p.region) && !REGION_RE.test(p.region)) {
    ctx.report(
      'INVALID_ARN_REGION',
      `"${p.region}" in "${r}" is not a Region code such as us-east-1.`,
      path,
      at,
    );
    return false;
  }
  if (p.account !== '' && !hasWildcard(p.account) && !ACCOUNT_RE.test(p.account) && p.account !== 'aws') {
    ctx.report(
      'INVALID_ARN_ACCOUNT',
      `Account "${p.account}" in "${r}" is not a 12-digit account id.`,
      path,
      at,
    );
    return false;
  }
  if (hasWildcard(p.service)) return true;
  const templates = templatesByArnService().get(p.service);
  if (!templates) {
    ctx.report(
      'UNKNOWN_ARN_SERVICE',
      `"${p.service}" in "${r}" is not the service of any known resource type.`,
      path,
      at,
    );
    return false;
  }
  return checkServiceShape(ctx, r, p, templates, path, at);
}

const serviceFit = new Map<string, boolean>();

function fitsService(r: string, templates: readonly ArnTemplate[]): boolean {
  let fits = serviceFit.get(r);
  if (fits === undefined) {
    fits = templates.some((t) => resourceFitsTemplate(r, t));
    if (serviceFit.size > 50_000) serviceFit.clear();
    serviceFit.set(r, fits);
  }
  return fits;
}

/**
 * When an ARN fits none of its service's templates, finds the likeliest reason by trying the ARN without its
 * Region, without its account, or with a Region: Access Analyzer's ARN_REGION_NOT_ALLOWED, ARN_ACCOUNT_NOT_ALLOWED
 * and MISSING_ARN_REGION; otherwise INVALID_ARN_RESOURCE.
 */
function checkServiceShape(
  ctx: ValidationContext,
  r: string,
  p: ArnParts,
  templates: readonly ArnTemplate[],
  path: string,
  at: number,
): boolean {
  if (fitsService(r, templates)) return true;
  const service = p.service;
  const variant = (region: string, account: string): string =>
    `arn:${p.partition}:${p.service}:${region}:${account}:${p.resource}`;
  if (p.region !== '' && fitsService(variant('', p.account), templates)) {
    ctx.report(
      'ARN_REGION_NOT_ALLOWED',
      `${service} ARNs of this type have no Region; remove "${p.region}" from "${r}".`,
      path,
      at,
    );
  } else if (p.account !== '' && fitsService(variant(p.region, ''), templates)) {
    ctx.report(
      'ARN_ACCOUNT_NOT_ALLOWED',
      `${service} ARNs of this type have no account id; remove "${p.account}" from "${r}".`,
      path,
      at,
    );
  } else if (p.region === '' && fitsService(variant('*', p.account), templates)) {
    ctx.report(
      'MISSING_ARN_REGION',
      `${service} ARNs of this type include a Region; add one (or *) to "${r}".`,
      path,
      at,
    );
  } else {
    ctx.report(
      'INVALID_ARN_RESOURCE',
      `"${r}" matches no ${service} resource type; expected one of: ${templates
        .slice(0, 6)
        .map((t) => t.template)
        .join(', ')}${templates.length > 6 ? ', …' : ''}.`,
      path,
      at,
    );
  }
  return false;
}

/** What the actions of one Action entry accept: their ARN templates, and whether some accept only `*`. */
interface EntryTargets {
  templates: readonly ArnTemplate[];
  starOnly: boolean;
  allStarOnly: boolean;
}

const targetsOfExpansion = new WeakMap<readonly ExpandedAction[], EntryTargets>();

/** Targets of an expanded pattern, cached on the (cached, frozen) expansion array. */
function entryTargets(expanded: readonly ExpandedAction[]): EntryTargets {
  let t = targetsOfExpansion.get(expanded);
  if (!t) {
    const catalog = getIamCatalog();
    const templates = new Set<ArnTemplate>();
    let starOnly = false;
    let allStarOnly = true;
    for (const e of expanded) {
      const info = catalog.action(e.action);
      if (!info) continue;
      if (info.resourceTypes.length === 0) starOnly = true;
      else allStarOnly = false;
      for (const rt of info.resourceTypes) {
        const def = catalog.resourceType(info.service, rt.name);
        if (def) for (const arn of splitTemplates(def.arn)) templates.add(compileTemplate(arn));
      }
    }
    t = { templates: [...templates], starOnly, allStarOnly };
    targetsOfExpansion.set(expanded, t);
  }
  return t;
}

/**
 * True when the entry can apply to the resource. Actions that support only `*` also accept ARNs whose resource
 * part is only wildcards (`arn:aws:s3:::*`): IAM matches those against the request's `*`, and AWS's own examples
 * use them.
 */
function accepts(t: EntryTargets, resource: string): boolean {
  if (t.starOnly && /^[*?]+$/.test(splitArn(maskPolicyVariables(resource))?.resource ?? '')) return true;
  return t.templates.some((tpl) => resourceFitsTemplate(resource, tpl));
}

/** Resource ↔ action fit for statements with Action and Resource lists. */
function checkFit(ctx: ValidationContext, view: StatementView, malformed: ReadonlySet<number>): void {
  const st = view.statement;
  if (!st.action || !st.resource) return;
  // Only ARNs are judged (the execute-api:/ form of API Gateway policies has no template).
  const resources = st.resource
    .map((r, i) => ({ r, i }))
    .filter(({ r, i }) => !malformed.has(i) && (r.startsWith('arn:') || maskPolicyVariables(r) === '*'));
  if (resources.length === 0 || resources.some(({ r }) => maskPolicyVariables(r) === '*')) return;
  const entries = st.action.flatMap((pattern, i) => {
    const expanded = expandActionPattern(pattern);
    if (expanded.length === 0 || expanded.length > BROAD_PATTERN) return [];
    return [{ pattern, i, targets: entryTargets(expanded) }];
  });
  if (entries.length === 0) return;
  // Resources are judged only when every action entry is concrete enough to know its resource types.
  const complete = entries.length === st.action.length;
  const unfit = complete ? resources.filter(({ r }) => !entries.some((e) => accepts(e.targets, r))) : [];
  for (const { r, i } of unfit) {
    ctx.report(
      'RESOURCE_MISMATCH',
      `"${r}" fits no resource type of the statement's actions, so it grants nothing; check the ARN or the actions.`,
      entryPath(view, 'Resource', i),
      st.index,
    );
  }
  if (unfit.length === resources.length) return;
  for (const { pattern, i, targets } of entries) {
    if (resources.some(({ r }) => accepts(targets, r))) continue;
    const types = targets.templates.map((t) => t.template);
    ctx.report(
      'RESOURCE_MISMATCH',
      targets.allStarOnly
        ? `${pattern} supports only "Resource": "*"; with specific ARNs it is never allowed. Move it to a statement with "*".`
        : `${pattern} applies to ${types.slice(0, 4).join(', ')}${types.length > 4 ? ', …' : ''}; none of the statement's resources fits.`,
      entryPath(view, 'Action', i),
      st.index,
    );
  }
}

/** Runs the resource checks over every statement. */
export function checkResources(ctx: ValidationContext): void {
  for (const view of ctx.statements) {
    const st = view.statement;
    const name = st.resource ? 'Resource' : 'NotResource';
    const list = st.resource ?? st.notResource;
    if (!list || ctx.kind === 'trust') continue;
    const malformed = new Set<number>();
    list.forEach((r, i) => {
      if (!checkArnSyntax(ctx, view, name, r, i)) malformed.add(i);
    });
    checkFit(ctx, view, malformed);
  }
}
