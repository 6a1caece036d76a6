/** A JSON value as canonical JSON accepts it. */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | JsonObject;
/** A JSON object (plain object with JSON values; `undefined` members are left out when serialised). */
export interface JsonObject {
  readonly [key: string]: JsonValue | undefined;
}

/**
 * Serialises `value` as RFC 8785 JSON Canonicalization Scheme (JCS) text: object members sorted by the UTF-16
 * code units of their names, no whitespace, numbers in ECMAScript `Number.prototype.toString` form (`4.50` →
 * `4.5`, `1E30` → `1e+30`, `-0` → `0`), strings escaped as ECMAScript `JSON.stringify` does (RFC 8785 §3.2.2).
 *
 * Object members whose value is `undefined` are omitted (as `JSON.stringify` does), so an optional field left
 * unset hashes the same as one never written. Throws Error on what JCS cannot represent: non-finite numbers,
 * lone UTF-16 surrogates (I-JSON, RFC 7493 §2.1), bigint, functions, symbols, `undefined` in arrays, cycles, and
 * objects that are not plain (Date, Map, class instances — convert them to strings first).
 */
export function canonicalJson(value: unknown): string {
  return serialize(value, [], '$');
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function serialize(value: unknown, stack: object[], path: string): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new Error(`canonicalJson: ${path} is not a finite number`);
      // JSON.stringify formats finite numbers with Number.prototype.toString, which is what RFC 8785 §3.2.2.3
      // prescribes; it also turns -0 into 0.
      return JSON.stringify(value);
    case 'string':
      return serializeString(value, path);
    case 'object':
      return serializeContainer(value, stack, path);
    default:
      throw new Error(`canonicalJson: ${path} is a ${typeof value}, not a JSON value`);
  }
}

function serializeString(value: string, path: string): string {
  if (LONE_SURROGATE.test(value)) throw new Error(`canonicalJson: ${path} contains a lone surrogate`);
  return JSON.stringify(value);
}

function serializeContainer(value: object, stack: object[], path: string): string {
  if (stack.includes(value)) throw new Error(`canonicalJson: ${path} is a cycle`);
  stack.push(value);
  try {
    if (Array.isArray(value)) {
      const items = value.map((item, i) => {
        if (item === undefined) throw new Error(`canonicalJson: ${path}[${i}] is undefined`);
        return serialize(item, stack, `${path}[${i}]`);
      });
      return `[${items.join(',')}]`;
    }
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null)
      throw new Error(`canonicalJson: ${path} is not a plain object`);
    const record = value as Record<string, unknown>;
    // Default string sort compares UTF-16 code units, exactly the order RFC 8785 §3.2.3 requires.
    const keys = Object.keys(record)
      .filter((k) => record[k] !== undefined)
      .sort();
    const members = keys.map(
      (k) => `${serializeString(k, `${path} key`)}:${serialize(record[k], stack, `${path}.${k}`)}`,
    );
    return `{${members.join(',')}}`;
  } finally {
    stack.pop();
  }
}
