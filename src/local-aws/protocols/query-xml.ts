/**
 * AWS query protocol (IAM, STS): form-encoded requests, XML responses and XML error bodies, as described by
 * the botocore models' `"protocol": "query"` (lists are `Name.member.N`, results wrapped in `<OpResult>`).
 */

/** Flat request parameters as sent (`Tags.member.1.Key` → value). */
export type QueryParams = ReadonlyMap<string, string>;

/**
 * Parses an `application/x-www-form-urlencoded` body (and/or URL query) into parameters; a later value of the
 * same name wins, the body's over the URL's. Same result as `URLSearchParams` (which it falls back to for input
 * `decodeURIComponent` refuses, such as a stray `%`), at a third of the cost for the usual well-formed input.
 */
export function parseQueryParams(body: string, urlQuery = ''): Map<string, string> {
  const params = new Map<string, string>();
  for (const source of [urlQuery, body]) if (source !== '') parseFormInto(source, params);
  return params;
}

function decodeFormComponent(text: string): string {
  if (text.indexOf('%') < 0 && text.indexOf('+') < 0) return text;
  return decodeURIComponent(text.indexOf('+') < 0 ? text : text.replace(/\+/g, ' '));
}

function parseFormInto(source: string, params: Map<string, string>): void {
  const pairs: Array<[string, string]> = [];
  try {
    // URLSearchParams drops one leading `?`; leave that case to it.
    if (source.startsWith('?')) throw new URIError('leading ?');
    for (let start = 0; start <= source.length; ) {
      let end = source.indexOf('&', start);
      if (end < 0) end = source.length;
      if (end > start) {
        const eq = source.indexOf('=', start);
        const split = eq >= 0 && eq < end;
        pairs.push([
          decodeFormComponent(source.slice(start, split ? eq : end)),
          split ? decodeFormComponent(source.slice(eq + 1, end)) : '',
        ]);
      }
      start = end + 1;
    }
  } catch {
    pairs.length = 0;
    for (const pair of new URLSearchParams(source)) pairs.push(pair);
  }
  for (const [k, v] of pairs) params.set(k, v);
}

/** Reads a `Name.member.N` list of strings, in index order. */
export function queryStringList(params: QueryParams, name: string): string[] | undefined {
  const out: string[] = [];
  for (let i = 1; params.has(`${name}.member.${i}`); i++) out.push(params.get(`${name}.member.${i}`) ?? '');
  if (out.length === 0 && !params.has(name)) return undefined;
  return out;
}

/** Reads a `Name.member.N.Field` list of structures with the given fields. */
export function queryStructList(
  params: QueryParams,
  name: string,
  fields: readonly string[],
): Record<string, string | undefined>[] | undefined {
  const out: Record<string, string | undefined>[] = [];
  for (let i = 1; ; i++) {
    const prefix = `${name}.member.${i}.`;
    const entry: Record<string, string | undefined> = {};
    let found = false;
    for (const f of fields) {
      const v = params.get(prefix + f);
      if (v !== undefined) found = true;
      entry[f] = v;
    }
    if (!found) break;
    out.push(entry);
  }
  if (out.length === 0 && !params.has(name)) return undefined;
  return out;
}

/**
 * A value serialisable to query-protocol XML. Arrays become `<member>` lists, objects nested elements,
 * Dates ISO-8601 timestamps; `undefined` members are omitted.
 */
export type XmlValue = string | number | boolean | Date | undefined | readonly XmlValue[] | XmlObject;
export interface XmlObject {
  readonly [key: string]: XmlValue;
}

const XML_SPECIAL = /[&<>"']/;

/** Escapes text for an XML element body. */
export function escapeXml(text: string): string {
  if (!XML_SPECIAL.test(text)) return text;
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Formats a Date the way IAM and STS do (`2026-01-01T12:00:00Z`, no milliseconds). */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function renderValue(value: XmlValue): string {
  if (value === undefined) return '';
  if (value instanceof Date) return isoSeconds(value);
  if (typeof value === 'string') return escapeXml(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    return value.map((v) => `<member>${renderValue(v as XmlValue)}</member>`).join('');
  }
  return renderObject(value as XmlObject);
}

function renderObject(obj: XmlObject): string {
  let out = '';
  for (const [k, v] of Object.entries(obj)) {
    if (v === undefined) continue;
    out += `<${k}>${renderValue(v)}</${k}>`;
  }
  return out;
}

/** Renders `<{op}Response xmlns><{op}Result>…</{op}Result><ResponseMetadata>…` for a query API. */
export function renderQueryResponse(options: {
  operation: string;
  namespace: string;
  result?: XmlObject;
  requestId: string;
}): string {
  const { operation, namespace, result, requestId } = options;
  const body = result === undefined ? '' : `<${operation}Result>${renderObject(result)}</${operation}Result>`;
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<${operation}Response xmlns="${namespace}">${body}` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${operation}Response>`
  );
}

/** Renders the query protocol error body (`<ErrorResponse><Error><Type><Code><Message>…`). */
export function renderQueryError(options: {
  namespace: string;
  code: string;
  message: string;
  sender: boolean;
  requestId: string;
}): string {
  const { namespace, code, message, sender, requestId } = options;
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="${namespace}"><Error>` +
    `<Type>${sender ? 'Sender' : 'Receiver'}</Type><Code>${escapeXml(code)}</Code>` +
    `<Message>${escapeXml(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`
  );
}
