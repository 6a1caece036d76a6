/**
 * Hot read queries whose SQL depends only on their shape (not their values) are compiled once per dialect and then
 * executed with fresh parameters: Kysely otherwise rebuilds and recompiles the query tree on every call, which is
 * a third of a `GET /api/v1/requests/{id}`. Only for queries whose parameters are exactly `parameters`, in order.
 */
import { type Compilable, type CompiledQuery, createQueryId } from 'kysely';
import type { DbExecutor, DialectName } from './db.ts';

const compiled = new Map<string, CompiledQuery>();

/**
 * Runs the query `build()` describes with `parameters` bound in place of the ones `build` used. `key` names the
 * shape (unique per call site and, for `in (…)` lists, per list length).
 */
export async function runShaped<R>(
  db: DbExecutor,
  dialect: DialectName,
  key: string,
  build: () => Compilable<R>,
  parameters: readonly unknown[],
): Promise<R[]> {
  const cacheKey = `${dialect}\u0000${key}`;
  let query = compiled.get(cacheKey);
  if (query === undefined) {
    query = build().compile();
    if (query.parameters.length !== parameters.length)
      throw new Error(
        `runShaped(${key}): the query binds ${query.parameters.length} parameters, not ${parameters.length}`,
      );
    compiled.set(cacheKey, query);
  }
  const result = await db.executeQuery<R>({ ...query, queryId: createQueryId(), parameters });
  return [...result.rows];
}
