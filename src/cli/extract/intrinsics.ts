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

/**
 * Returns a copy of `value` with every intrinsic function (`Ref`, `Fn::*`) replaced by a placeholder string
 * (or a list, for list-valued functions). Plain values are copied unchanged.
 */
export function replaceIntrinsics(value: unknown): unknown {
  const out = resolve(value);
  return out === NO_VALUE ? undefined : out;
}

function resolve(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(resolve).filter((v) => v !== NO_VALUE);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>);
  const [only] = entries;
  if (entries.length === 1 && only !== undefined && isIntrinsicKey(only[0])) {
    return resolveFunction(only[0], only[1]);
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of entries) {
    const r = resolve(v);
    if (r !== NO_VALUE) out[k] = r;
  }
  return out;
}

function isIntrinsicKey(key: string): boolean {
  return key === 'Ref' || key.startsWith('Fn::');
}

function asText(value: unknown): string {
  const r = resolve(value);
  if (typeof r === 'string') return r;
  if (Array.isArray(r)) return r.map(asText).join(',');
  if (r === NO_VALUE || r === undefined || r === null) return '';
  return typeof r === 'object' ? JSON.stringify(r) : String(r);
}

function refPlaceholder(name: string): string {
  return PSEUDO_PARAMETERS[name] ?? name.replaceAll('::', '-');
}

function resolveFunction(fn: string, arg: unknown): unknown {
  switch (fn) {
    case 'Ref':
      return arg === 'AWS::NoValue' ? NO_VALUE : refPlaceholder(asText(arg));
    case 'Fn::Sub':
      return substitute(arg);
    case 'Fn::Join': {
      const [delimiter, list] = Array.isArray(arg) ? arg : [];
      const items = resolve(list);
      return Array.isArray(items) ? items.map(asText).join(asText(delimiter)) : asText(items);
    }
    case 'Fn::GetAtt': {
      const parts = Array.isArray(arg) ? arg.map(asText) : asText(arg).split('.');
      return parts.join('.');
    }
    case 'Fn::If': {
      // The first branch stands for the condition; an unresolvable condition cannot be evaluated offline.
      const [, whenTrue, whenFalse] = Array.isArray(arg) ? arg : [];
      const r = resolve(whenTrue);
      return r === NO_VALUE ? resolve(whenFalse) : r;
    }
    case 'Fn::Select': {
      const [index, list] = Array.isArray(arg) ? arg : [];
      const items = resolve(list);
      const picked = Array.isArray(items) ? items[Number(asText(index))] : undefined;
      return picked === undefined ? 'Select' : picked;
    }
    case 'Fn::Split': {
      const [delimiter, source] = Array.isArray(arg) ? arg : [];
      return asText(source).split(asText(delimiter));
    }
    case 'Fn::GetAZs':
      return ['us-east-1a', 'us-east-1b'];
    case 'Fn::FindInMap':
      return Array.isArray(arg) ? arg.map(asText).join('.') : asText(arg);
    case 'Fn::ImportValue':
      return `ImportValue-${asText(arg)}`;
    case 'Fn::Base64':
    case 'Fn::ToJsonString':
      return asText(arg);
    default:
      return fn.replace('Fn::', '');
  }
}

/** `Fn::Sub`: `${Name}` → placeholder, `${!Literal}` → `${Literal}` (which IAM then reads as a policy variable). */
function substitute(arg: unknown): string {
  const [template, vars] = Array.isArray(arg) ? arg : [arg, undefined];
  const bindings = vars !== null && typeof vars === 'object' ? (vars as Record<string, unknown>) : {};
  return asText(template).replace(/\$\{(!?)([^}]*)\}/g, (_, bang: string, name: string) => {
    if (bang === '!') return `\${${name}}`;
    if (name in bindings) return asText(bindings[name]);
    return refPlaceholder(name);
  });
}
