/**
 * Replaces CloudFormation intrinsic functions inside a policy document with plain placeholder strings so the
 * policy can be parsed and scored offline. The placeholders never contain IAM wildcards (`*`, `?`), so a
 * reference is treated as one specific value, and pseudo parameters become realistic stand-ins so ARNs keep
 * their shape (AWS CloudFormation User Guide, "Pseudo parameters reference").
 */

const PSEUDO_PARAMETERS: Readonly<Record<string, string>> = {
  'AWS::AccountId': '123456789012',
  'AWS::Region': 'us-east-1',
  'AWS::Partition': 'aws',
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::StackName': 'stack',
  'AWS::StackId': 'arn:aws:cloudformation:us-east-1:123456789012:stack/stack/id',
  'AWS::NotificationARNs': 'arn:aws:sns:us-east-1:123456789012:notifications',
};

/** Marker returned for `Ref: AWS::NoValue`: the enclosing property or list item is dropped. */
const NO_VALUE = Symbol('AWS::NoValue');

/** Optional knowledge of the template's resources: stand-ins for references to them. */
export interface IntrinsicResolvers {
  /** `Fn::GetAtt [logicalId, attribute]`; undefined keeps the `logicalId.attribute` placeholder. */
  getAtt?(logicalId: string, attribute: string): string | undefined;
  /** `Ref name` to a resource; undefined keeps the name. */
  ref?(name: string): string | undefined;
}

/**
 * Returns a copy of `value` with every intrinsic function (`Ref`, `Fn::*`) replaced by a placeholder string
 * (or a list, for list-valued functions). Plain values are copied unchanged.
 */
export function replaceIntrinsics(value: unknown, resolvers: IntrinsicResolvers = {}): unknown {
  const out = resolve(value, resolvers);
  return out === NO_VALUE ? undefined : out;
}

function resolve(value: unknown, r: IntrinsicResolvers): unknown {
  if (Array.isArray(value)) return value.map((v) => resolve(v, r)).filter((v) => v !== NO_VALUE);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>);
  const [only] = entries;
  if (entries.length === 1 && only !== undefined && isIntrinsicKey(only[0])) {
    return resolveFunction(only[0], only[1], r);
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of entries) {
    const resolved = resolve(v, r);
    if (resolved !== NO_VALUE) out[k] = resolved;
  }
  return out;
}

function isIntrinsicKey(key: string): boolean {
  return key === 'Ref' || key.startsWith('Fn::');
}

function asText(value: unknown, r: IntrinsicResolvers): string {
  const v = resolve(value, r);
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map((x) => asText(x, r)).join(',');
  if (v === NO_VALUE || v === undefined || v === null) return '';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function refPlaceholder(name: string, r: IntrinsicResolvers): string {
  const pseudo = PSEUDO_PARAMETERS[name];
  if (pseudo !== undefined) return pseudo;
  const dot = name.indexOf('.');
  // `${Res.Attr}` inside Fn::Sub is a GetAtt.
  if (dot > 0) return getAttPlaceholder([name.slice(0, dot), name.slice(dot + 1)], r);
  return r.ref?.(name) ?? name.replaceAll('::', '-');
}

function getAttPlaceholder(parts: string[], r: IntrinsicResolvers): string {
  const [logicalId = '', attribute = ''] = parts;
  return r.getAtt?.(logicalId, attribute) ?? parts.join('.');
}

function resolveFunction(fn: string, arg: unknown, r: IntrinsicResolvers): unknown {
  switch (fn) {
    case 'Ref':
      return arg === 'AWS::NoValue' ? NO_VALUE : refPlaceholder(asText(arg, r), r);
    case 'Fn::Sub':
      return substitute(arg, r);
    case 'Fn::Join': {
      const [delimiter, list] = Array.isArray(arg) ? arg : [];
      const items = resolve(list, r);
      return Array.isArray(items)
        ? items.map((x) => asText(x, r)).join(asText(delimiter, r))
        : asText(items, r);
    }
    case 'Fn::GetAtt': {
      const text = Array.isArray(arg) ? undefined : asText(arg, r);
      const dot = text?.indexOf('.') ?? -1;
      const parts =
        text === undefined
          ? (arg as unknown[]).map((x) => asText(x, r))
          : dot < 0
            ? [text]
            : [text.slice(0, dot), text.slice(dot + 1)];
      return getAttPlaceholder(parts, r);
    }
    case 'Fn::If': {
      // The first branch stands for the condition; an unresolvable condition cannot be evaluated offline.
      const [, whenTrue, whenFalse] = Array.isArray(arg) ? arg : [];
      const chosen = resolve(whenTrue, r);
      return chosen === NO_VALUE ? resolve(whenFalse, r) : chosen;
    }
    case 'Fn::Select': {
      const [index, list] = Array.isArray(arg) ? arg : [];
      const items = resolve(list, r);
      const picked = Array.isArray(items) ? items[Number(asText(index, r))] : undefined;
      return picked === undefined ? 'Select' : picked;
    }
    case 'Fn::Split': {
      const [delimiter, source] = Array.isArray(arg) ? arg : [];
      return asText(source, r).split(asText(delimiter, r));
    }
    case 'Fn::GetAZs':
      return ['us-east-1a', 'us-east-1b'];
    case 'Fn::FindInMap':
      return Array.isArray(arg) ? arg.map((x) => asText(x, r)).join('.') : asText(arg, r);
    case 'Fn::ImportValue':
      return `ImportValue-${asText(arg, r)}`;
    case 'Fn::Base64':
    case 'Fn::ToJsonString':
      return asText(arg, r);
    default:
      return fn.replace('Fn::', '');
  }
}

/** `Fn::Sub`: `${Name}` → placeholder, `${!Literal}` → `${Literal}` (which IAM then reads as a policy variable). */
function substitute(arg: unknown, r: IntrinsicResolvers): string {
  const [template, vars] = Array.isArray(arg) ? arg : [arg, undefined];
  const bindings = vars !== null && typeof vars === 'object' ? (vars as Record<string, unknown>) : {};
  return asText(template, r).replace(/\$\{(!?)([^}]*)\}/g, (_, bang: string, name: string) => {
    if (bang === '!') return `\${${name}}`;
    if (name in bindings) return asText(bindings[name], r);
    return refPlaceholder(name, r);
  });
}
