/** How a policy's review is shown: the score, its factors with their evidence, validation findings, the policy. */
import type { Evidence, Finding, RiskFactor, RiskReview } from '../policy/types.ts';

/** Statement indexes some factor's evidence points at. */
export function evidenceStatements(factors: readonly RiskFactor[]): Set<number> {
  return new Set(factors.flatMap((f) => f.evidence.map((e) => e.statementIndex)));
}

function EvidenceItem({ evidence, anchor }: { evidence: Evidence; anchor: string | undefined }) {
  const statement = `Statement ${evidence.statementIndex}`;
  return (
    <li class="evidence">
      {anchor !== undefined ? <a href={`#${anchor}-${evidence.statementIndex}`}>{statement}</a> : statement}
      {evidence.action !== undefined && (
        <>
          {' '}
          · <mark>{evidence.action}</mark>
        </>
      )}
      {evidence.resource !== undefined && (
        <>
          {' '}
          on <mark>{evidence.resource}</mark>
        </>
      )}
      {evidence.detail !== undefined && <span class="muted"> — {evidence.detail}</span>}
    </li>
  );
}

/** The factors of a review, each with its points and evidence (statements link to `#<anchor>-<index>`). */
export function FactorList({ factors, anchor }: { factors: readonly RiskFactor[]; anchor?: string }) {
  if (factors.length === 0) return <p class="muted">No risk factors.</p>;
  return (
    <ul class="factors">
      {factors.map((f) => (
        <li>
          <span class="points">+{f.points}</span>
          <strong>{f.title}</strong>
          {f.evidence.length > 0 && (
            <ul class="small">
              {f.evidence.slice(0, 8).map((e) => (
                <EvidenceItem evidence={e} anchor={anchor} />
              ))}
              {f.evidence.length > 8 && <li class="muted">and {f.evidence.length - 8} more</li>}
            </ul>
          )}
        </li>
      ))}
    </ul>
  );
}

/** Validation findings, errors first, each with its severity written out and the JSON pointer it concerns. */
export function FindingList({ findings }: { findings: readonly Finding[] }) {
  if (findings.length === 0) return <p class="muted">No validation findings.</p>;
  return (
    <ul class="findings">
      {findings.map((f) => (
        <li class={`sev-${f.severity}`}>
          <strong>{f.severity}</strong> <code class="small">{f.code}</code>
          <div>{f.message}</div>
          {f.path !== '' && <div class="muted small">at {f.path}</div>}
        </li>
      ))}
    </ul>
  );
}

/** Score, band and summary of a review. */
export function ScoreLine({ risk }: { risk: RiskReview }) {
  return (
    <p>
      <span class="score">
        {risk.score}
        <span class="small muted">/10</span>
      </span>
      <span class={`badge risk-${risk.band}`}>{`${risk.band} risk`}</span>
      <span class="muted small summary">{risk.summary}</span>
    </p>
  );
}

function statementsOf(policy: unknown): unknown[] | undefined {
  if (typeof policy !== 'object' || policy === null || Array.isArray(policy)) return undefined;
  const st = (policy as Record<string, unknown>).Statement;
  return Array.isArray(st) ? st : st !== undefined ? [st] : undefined;
}

function indent(json: string, by: string): string {
  return json
    .split('\n')
    .map((l) => by + l)
    .join('\n');
}

/**
 * The policy as pretty JSON, one block per statement with id `<anchor>-<index>`; statements named by evidence are
 * highlighted (`<mark>`-like background) and labelled for screen readers.
 */
export function PolicyView({
  policy,
  highlight = new Set<number>(),
  anchor = 'stmt',
}: {
  policy: unknown;
  highlight?: ReadonlySet<number>;
  anchor?: string;
}) {
  const statements = statementsOf(policy);
  if (statements === undefined)
    return <pre>{typeof policy === 'string' ? policy : JSON.stringify(policy, null, 2)}</pre>;
  const head = { ...(policy as Record<string, unknown>) };
  delete head.Statement;
  const headLines = Object.entries(head).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)},`);
  return (
    <pre class="policy" tabindex={0}>
      <span class="stmt">{`{\n${headLines.join('\n')}${headLines.length > 0 ? '\n' : ''}  "Statement": [`}</span>
      {statements.map((st, i) => {
        const text = indent(JSON.stringify(st, null, 2), '    ') + (i < statements.length - 1 ? ',' : '');
        return highlight.has(i) ? (
          <span class="stmt hl" id={`${anchor}-${i}`}>
            <span class="visually-hidden">(evidence) </span>
            {text}
          </span>
        ) : (
          <span class="stmt" id={`${anchor}-${i}`}>
            {text}
          </span>
        );
      })}
      <span class="stmt">{'  ]\n}'}</span>
    </pre>
  );
}
