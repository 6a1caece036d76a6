/**
 * The shared state of one validation run: the normalised policy, the raw document (when we have it) for
 * JSON pointers and elements the parser ignores, the policy kind, and the finding sink.
 */
import type { Finding, Policy, PolicyKind, Statement } from '../types.ts';
import { FINDING_CODES, type FindingCode } from './codes.ts';

/** A JSON object of the original document. */
export type RawObject = Record<string, unknown>;

/** A normalised statement with its JSON pointer and its raw form. */
export interface StatementView {
  statement: Statement;
  /** JSON pointer of the statement, e.g. `/Statement/2` (or `/Statement` for a single-object Statement). */
  pointer: string;
  /** The statement as written, when the original document is known. */
  raw: RawObject | undefined;
}

/** Everything the checks share; `report` is the only way to add a finding. */
export interface ValidationContext {
  policy: Policy;
  /** The original document, when validating a `ParsedPolicy`; undefined for a bare `Policy`. */
  raw: RawObject | undefined;
  kind: PolicyKind;
  /** True when the caller named the kind; false when it was inferred from the statements. */
  kindGiven: boolean;
  statements: StatementView[];
  report(code: FindingCode, message: string, path: string, statementIndex?: number): void;
  findings: Finding[];
}

/** True for a JSON object (not an array, not null). */
export function isRawObject(v: unknown): v is RawObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Escapes one JSON pointer segment (RFC 6901). */
export function pointerSegment(segment: string | number): string {
  return String(segment).replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Pointer of element `name` of a statement, e.g. `/Statement/0/Action`. */
export function elementPath(view: StatementView, name: string): string {
  return `${view.pointer}/${pointerSegment(name)}`;
}

/**
 * Pointer of entry `i` of a string-or-array element: `/Statement/0/Action/2` when the element was written as an
 * array, `/Statement/0/Action` when it was a single string (then there is no index in the original document).
 */
export function entryPath(view: StatementView, name: string, i: number): string {
  if (view.raw && typeof view.raw[name] === 'string') return elementPath(view, name);
  return `${elementPath(view, name)}/${i}`;
}

/** Builds the context of one validation run. */
export function createContext(
  policy: Policy,
  raw: RawObject | undefined,
  kind: PolicyKind,
  kindGiven: boolean,
): ValidationContext {
  const findings: Finding[] = [];
  const rawStatements = raw?.Statement;
  const statements: StatementView[] = policy.statements.map((statement) => {
    const pointer = policy.statementIsObject ? '/Statement' : `/Statement/${statement.index}`;
    const r = policy.statementIsObject
      ? rawStatements
      : Array.isArray(rawStatements)
        ? rawStatements[statement.index]
        : undefined;
    return { statement, pointer, raw: isRawObject(r) ? r : undefined };
  });
  const ctx: ValidationContext = {
    policy,
    raw,
    kind,
    kindGiven,
    statements,
    findings,
    report(code, message, path, statementIndex) {
      const finding: Finding = { code, severity: FINDING_CODES[code].severity, message, path };
      if (statementIndex !== undefined) finding.statementIndex = statementIndex;
      findings.push(finding);
    },
  };
  return ctx;
}

/** True when a string contains an IAM policy variable such as `${aws:username}`. */
export function hasPolicyVariable(s: string): boolean {
  return s.includes('${');
}
