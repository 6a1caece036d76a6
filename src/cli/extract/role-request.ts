/**
 * The established `RoleRequest` document (`apiVersion: iam-jit.dev/v1alpha1`, `kind: RoleRequest`) as a CLI
 * input: the document is checked with the same parser the API uses (unknown fields refused with their path),
 * and its policy — given in `spec.policy`, or drafted from `spec.task_intent` exactly as a submission would be —
 * is extracted for validation and scoring.
 */
import { isBrokerError } from '../../lib/errors.ts';
import { buildRevisionPolicy } from '../../requests/policy-review.ts';
import { isRoleRequestDocument, parseRoleRequest } from '../../requests/role-request.ts';
import type { Extraction } from './extract.ts';
import { createLocator } from './locator.ts';
import type { SourceDocument, TextPosition } from './source-text.ts';

/** True for a document with `kind: RoleRequest` (or any `apiVersion`/`kind` pair the RoleRequest parser owns). */
export function isRoleRequest(value: unknown): boolean {
  return isRoleRequestDocument(value) && !('Statement' in (value as object));
}

/** `spec.accounts[0]` → `/spec/accounts/0`. */
function pointerOf(field: string): string {
  if (field === '') return '';
  return `/${field
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .join('/')}`;
}

function nearest(positions: ReadonlyMap<string, TextPosition>, pointer: string): TextPosition {
  let p = pointer;
  for (;;) {
    const found = positions.get(p);
    if (found) return found;
    if (p === '') return { line: 1, column: 1 };
    p = p.slice(0, p.lastIndexOf('/'));
  }
}

/** Extracts the policy of a RoleRequest; document problems and drafting failures come back as input errors. */
export function extractRoleRequest(file: string, source: SourceDocument): Extraction {
  let input: ReturnType<typeof parseRoleRequest>;
  try {
    input = parseRoleRequest(source.value);
  } catch (e) {
    if (!isBrokerError(e)) throw e;
    const field = (e.details as { field?: string } | undefined)?.field ?? '';
    return {
      policies: [],
      errors: [{ file, ...nearest(source.positions, pointerOf(field)), message: `RoleRequest ${e.message}` }],
    };
  }
  const base = input.spec.type === 'policy' ? '/spec/policy' : '/spec/task_intent';
  const position = nearest(source.positions, base);
  const outcome = buildRevisionPolicy(input.spec, {
    accounts: [],
    accessType: input.accessType ?? 'read-write',
  });
  if (outcome.document === undefined) {
    const reasons = outcome.findings.map((f) => f.message).join('; ');
    return { policies: [], errors: [{ file, ...position, message: `RoleRequest task_intent: ${reasons}` }] };
  }
  return {
    policies: [
      {
        name: `${file}#${base.slice(1)}`,
        file,
        source: 'role-request',
        document: outcome.document,
        kind: 'identity',
        position,
        // A drafted policy has no text of its own: its findings point at the task_intent.
        locate:
          input.spec.type === 'policy' ? createLocator(source.positions, base, position) : () => position,
      },
    ],
    errors: [],
  };
}
