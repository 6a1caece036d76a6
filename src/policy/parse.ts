/**
 * Parses an IAM policy document (text or already-parsed JSON) into the normalised `Policy` form:
 * single strings become arrays, `Statement` becomes an array, condition values become strings.
 * Malformed JSON and structurally unusable documents are reported with line and column; elements the
 * parser tolerates (unknown keys, missing Resource, wrong Version) are left for `validatePolicy` to report.
 * Source for the grammar: IAM User Guide, "IAM JSON policy element reference" and "Grammar of the IAM JSON policy language".
 */
import { type Node, type ParseError, parseTree, printParseErrorCode } from 'jsonc-parser';
import { err, ok, type Result } from '../lib/result.ts';
import type {
  ConditionBlock,
  Effect,
  ParsedPolicy,
  ParseIssue,
  ParseIssueCode,
  Policy,
  Principal,
  SourceMap,
  SourcePosition,
  Statement,
} from './types.ts';

/** Largest policy text we will parse at all (IAM's largest document limit is far below this). */
export const MAX_POLICY_TEXT_BYTES = 1024 * 1024;

const ERROR_TEXT: Record<string, string> = {
  InvalidSymbol: 'invalid symbol',
  InvalidNumberFormat: 'invalid number format',
  PropertyNameExpected: 'property name expected',
  ValueExpected: 'value expected',
  ColonExpected: 'colon expected',
  CommaExpected: 'comma expected',
  CloseBraceExpected: 'closing brace expected',
  CloseBracketExpected: 'closing bracket expected',
  EndOfFileExpected: 'end of file expected',
  InvalidCommentToken: 'comments are not allowed in JSON',
  UnexpectedEndOfComment: 'unexpected end of comment',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfNumber: 'unexpected end of number',
  InvalidUnicode: 'invalid unicode escape',
  InvalidEscapeCharacter: 'invalid escape character',
  InvalidCharacter: 'invalid character in string',
};

/** Converts a character offset to a 1-based line and column. */
export function positionAt(text: string, offset: number): SourcePosition {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1, offset };
}

function escapePointer(segment: string | number): string {
  return String(segment).replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Builds JSON pointer → position for every value node of a parse tree. */
function buildSourceMap(text: string, root: Node): SourceMap {
  const map = new Map<string, SourcePosition>();
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const pos = (offset: number): SourcePosition => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((lineStarts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (lineStarts[lo] ?? 0) + 1, offset };
  };
  const visit = (node: Node, pointer: string): void => {
    map.set(pointer, pos(node.offset));
    if (node.type === 'object') {
      for (const prop of node.children ?? []) {
        const [keyNode, valueNode] = prop.children ?? [];
        if (keyNode && valueNode) visit(valueNode, `${pointer}/${escapePointer(String(keyNode.value))}`);
      }
    } else if (node.type === 'array') {
      (node.children ?? []).forEach((child, i) => {
        visit(child, `${pointer}/${i}`);
      });
    }
  };
  visit(root, '');
  return map;
}

/**
 * Parses policy text or a JSON value. Returns the normalised policy with a source map, or the issues that make
 * the document unusable (malformed JSON with line/column, wrong element types with their JSON pointer).
 */
export function parsePolicy(input: string | unknown): Result<ParsedPolicy, ParseIssue[]> {
  if (typeof input !== 'string') {
    const issues: ParseIssue[] = [];
    const policy = normalisePolicy(input, issues, () => EMPTY_SOURCE_MAP);
    return policy && issues.length === 0 ? ok({ policy, sourceMap: new Map(), raw: input }) : err(issues);
  }
  if (input.length > MAX_POLICY_TEXT_BYTES) {
    return err([
      {
        code: 'INVALID_POLICY_STRUCTURE',
        message: `policy text is larger than ${MAX_POLICY_TEXT_BYTES} bytes`,
        line: 1,
        column: 1,
        offset: 0,
      },
    ]);
  }
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  // JSON.parse is ~20× faster than building a parse tree; the tree (for line/column) is built only when needed:
  // for a syntax error's position, a structural issue's position, or when a caller reads `sourceMap`.
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return err([syntaxIssue(text)]);
  }
  let map: SourceMap | undefined;
  const sourceMap = (): SourceMap => {
    map ??= sourceMapOf(text);
    return map;
  };
  const issues: ParseIssue[] = [];
  const policy = normalisePolicy(raw, issues, sourceMap);
  if (!policy || issues.length > 0) return err(issues);
  return ok({
    policy,
    raw,
    get sourceMap() {
      return sourceMap();
    },
  });
}

/** The first syntax error of malformed JSON, with its line and column. */
function syntaxIssue(text: string): ParseIssue {
  const errors: ParseError[] = [];
  parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  const code = first ? printParseErrorCode(first.error) : 'ValueExpected';
  return {
    code: 'JSON_SYNTAX_ERROR',
    message: `malformed JSON: ${ERROR_TEXT[code] ?? code}`,
    ...positionAt(text, first?.offset ?? 0),
  };
}

/** JSON pointer → position for well-formed JSON text. */
function sourceMapOf(text: string): SourceMap {
  const root = parseTree(text, [], { disallowComments: true, allowTrailingComma: false });
  return root ? buildSourceMap(text, root) : new Map();
}

type Issue = (path: string, message: string, code?: ParseIssueCode) => void;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const EMPTY_SOURCE_MAP: SourceMap = new Map();

function normalisePolicy(raw: unknown, issues: ParseIssue[], sourceMap: () => SourceMap): Policy | undefined {
  const issue: Issue = (path, message, code = 'INVALID_POLICY_STRUCTURE') => {
    const at = sourceMap().get(path) ?? nearestPosition(sourceMap(), path);
    issues.push({
      code,
      message,
      path,
      line: at?.line ?? 1,
      column: at?.column ?? 1,
      offset: at?.offset ?? 0,
    });
  };
  if (!isRecord(raw)) {
    issue('', 'policy document must be a JSON object');
    return undefined;
  }
  const stmtRaw = findKey(raw, 'Statement');
  if (stmtRaw === undefined) {
    issue('', 'policy document has no Statement element', 'MISSING_STATEMENT');
    return undefined;
  }
  const statementIsObject = isRecord(stmtRaw.value);
  if (!statementIsObject && !Array.isArray(stmtRaw.value)) {
    issue(`/${stmtRaw.key}`, 'Statement must be an object or an array of objects');
    return undefined;
  }
  const list: unknown[] = statementIsObject ? [stmtRaw.value] : (stmtRaw.value as unknown[]);
  const statements: Statement[] = [];
  list.forEach((s, i) => {
    const path = statementIsObject ? `/${stmtRaw.key}` : `/${stmtRaw.key}/${i}`;
    const st = normaliseStatement(s, i, path, issue);
    if (st) statements.push(st);
  });
  const version = findKey(raw, 'Version');
  const id = findKey(raw, 'Id');
  const policy: Policy = { statements, statementIsObject };
  if (version !== undefined) {
    if (typeof version.value === 'string') policy.version = version.value;
    else issue(`/${version.key}`, 'Version must be a string');
  }
  if (id !== undefined && typeof id.value === 'string') policy.id = id.value;
  return policy;
}

/** IAM element names are case-sensitive in AWS, but we find them exactly first and report wrong case elsewhere. */
function findKey(obj: Record<string, unknown>, key: string): { key: string; value: unknown } | undefined {
  if (Object.hasOwn(obj, key)) return { key, value: obj[key] };
  return undefined;
}

function nearestPosition(sourceMap: SourceMap, path: string): SourcePosition | undefined {
  let p = path;
  while (p.length > 0) {
    p = p.slice(0, p.lastIndexOf('/'));
    const found = sourceMap.get(p);
    if (found) return found;
  }
  return sourceMap.get('');
}

function stringList(value: unknown, path: string, name: string, issue: Issue): string[] | undefined {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) {
    const out: string[] = [];
    value.forEach((v, i) => {
      if (typeof v === 'string') out.push(v);
      else issue(`${path}/${i}`, `${name} entries must be strings`);
    });
    return out;
  }
  issue(path, `${name} must be a string or an array of strings`);
  return undefined;
}

function normaliseStatement(raw: unknown, index: number, path: string, issue: Issue): Statement | undefined {
  if (!isRecord(raw)) {
    issue(path, 'each Statement entry must be an object');
    return undefined;
  }
  const effect = raw.Effect;
  if (effect === undefined) {
    issue(path, 'statement has no Effect element', 'MISSING_EFFECT');
    return undefined;
  }
  if (effect !== 'Allow' && effect !== 'Deny') {
    issue(
      `${path}/Effect`,
      `Effect must be "Allow" or "Deny", got ${JSON.stringify(effect)}`,
      'INVALID_EFFECT',
    );
    return undefined;
  }
  const st: Statement = { index, effect: effect as Effect };
  if (raw.Sid !== undefined) {
    if (typeof raw.Sid === 'string') st.sid = raw.Sid;
    else issue(`${path}/Sid`, 'Sid must be a string');
  }
  const hasAction = raw.Action !== undefined;
  const hasNotAction = raw.NotAction !== undefined;
  if (hasAction && hasNotAction)
    issue(path, 'statement has both Action and NotAction', 'UNSUPPORTED_ELEMENT_COMBINATION');
  else if (!hasAction && !hasNotAction)
    issue(path, 'statement has neither Action nor NotAction', 'MISSING_ACTION');
  if (hasAction) st.action = stringList(raw.Action, `${path}/Action`, 'Action', issue);
  if (hasNotAction) st.notAction = stringList(raw.NotAction, `${path}/NotAction`, 'NotAction', issue);
  if (raw.Resource !== undefined && raw.NotResource !== undefined)
    issue(path, 'statement has both Resource and NotResource', 'UNSUPPORTED_ELEMENT_COMBINATION');
  if (raw.Resource !== undefined)
    st.resource = stringList(raw.Resource, `${path}/Resource`, 'Resource', issue);
  if (raw.NotResource !== undefined)
    st.notResource = stringList(raw.NotResource, `${path}/NotResource`, 'NotResource', issue);
  if (raw.Principal !== undefined && raw.NotPrincipal !== undefined)
    issue(path, 'statement has both Principal and NotPrincipal', 'UNSUPPORTED_ELEMENT_COMBINATION');
  if (raw.Principal !== undefined)
    st.principal = normalisePrincipal(raw.Principal, `${path}/Principal`, issue);
  if (raw.NotPrincipal !== undefined)
    st.notPrincipal = normalisePrincipal(raw.NotPrincipal, `${path}/NotPrincipal`, issue);
  if (raw.Condition !== undefined)
    st.condition = normaliseCondition(raw.Condition, `${path}/Condition`, issue);
  return st;
}

const PRINCIPAL_TYPES = ['AWS', 'Service', 'Federated', 'CanonicalUser'] as const;

function normalisePrincipal(raw: unknown, path: string, issue: Issue): Principal | undefined {
  if (raw === '*') return '*';
  if (!isRecord(raw)) {
    issue(path, 'Principal must be "*" or an object such as {"AWS": "..."}');
    return undefined;
  }
  const out: Exclude<Principal, '*'> = {};
  for (const [key, value] of Object.entries(raw)) {
    const type = PRINCIPAL_TYPES.find((t) => t === key);
    if (!type) {
      issue(
        `${path}/${escapePointer(key)}`,
        `unknown principal type "${key}" (expected AWS, Service, Federated or CanonicalUser)`,
      );
      continue;
    }
    const list = stringList(value, `${path}/${key}`, `Principal ${key}`, issue);
    if (list) out[type] = list;
  }
  return out;
}

function normaliseCondition(raw: unknown, path: string, issue: Issue): ConditionBlock | undefined {
  if (!isRecord(raw)) {
    issue(path, 'Condition must be an object of operators');
    return undefined;
  }
  const out: ConditionBlock = {};
  for (const [operator, block] of Object.entries(raw)) {
    const opPath = `${path}/${escapePointer(operator)}`;
    if (!isRecord(block)) {
      issue(opPath, `condition operator ${operator} must map condition keys to values`);
      continue;
    }
    const keys: Record<string, string[]> = {};
    for (const [key, value] of Object.entries(block)) {
      const keyPath = `${opPath}/${escapePointer(key)}`;
      const values = Array.isArray(value) ? value : [value];
      const strings: string[] = [];
      values.forEach((v, i) => {
        if (typeof v === 'string') strings.push(v);
        else if (typeof v === 'boolean' || typeof v === 'number') strings.push(String(v));
        else
          issue(
            Array.isArray(value) ? `${keyPath}/${i}` : keyPath,
            `condition values must be strings, numbers or booleans`,
          );
      });
      keys[key] = strings;
    }
    out[operator] = keys;
  }
  return out;
}

/** The JSON pointer of a statement in the original document. */
export function statementPointer(policy: Policy, index: number): string {
  return policy.statementIsObject ? '/Statement' : `/Statement/${index}`;
}
