import { type Command, InvalidArgumentError } from 'commander';
import type { AuditFilter } from '../audit/ports.ts';
import { exportAuditEvents } from '../audit/query.ts';
import { verifyAuditChain } from '../audit/verify.ts';
import { loadConfigFromEnvironment } from '../config/config-file.ts';
import { createAuditReader } from '../store/audit-events-repo.ts';
import { createDatabase, type Database } from '../store/database.ts';
import { type CliIo, type CliState, EXIT } from './context.ts';

/** Where the audit commands find their configuration (tests pass their own). */
export interface AuditCommandOptions {
  env?: Readonly<Record<string, string | undefined>>;
  /** Directory searched for `iam-jit.yaml`. */
  cwd?: string;
}

function parseSeq(value: string): number {
  const n = Number(value);
  if (!/^[0-9]+$/.test(value) || !Number.isSafeInteger(n) || n < 1)
    throw new InvalidArgumentError('expected a seq (an integer ≥ 1)');
  return n;
}

function parseAnchor(value: string): { seq: number; hash: string } {
  const m = /^([0-9]{1,15}):([0-9a-fA-F]{64})$/.exec(value.trim());
  if (m === null) throw new InvalidArgumentError('expected <seq>:<hash>, as printed by `iam-jit audit head`');
  return { seq: Number(m[1]), hash: (m[2] ?? '').toLowerCase() };
}

function parseTime(value: string): Date {
  const d = new Date(value);
  if (Number.isNaN(d.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(value))
    throw new InvalidArgumentError(
      'expected an ISO-8601 date or time, e.g. 2026-11-01 or 2026-11-01T09:00:00Z',
    );
  return d;
}

/**
 * Opens the configured database, runs `work`, closes it. Configuration and database errors (unreachable server,
 * schema not migrated) are written to stderr and end the command with exit code 2: "could not check", distinct
 * from 1, "checked and found broken".
 */
async function withDatabase(
  io: CliIo,
  state: CliState,
  { env = process.env, cwd = process.cwd() }: AuditCommandOptions,
  work: (database: Database) => Promise<void>,
): Promise<void> {
  let database: Database;
  try {
    database = createDatabase(loadConfigFromEnvironment(env, { cwd }).database.url, { poolSize: 2 });
  } catch (e) {
    io.stderr(`iam-jit audit: ${(e as Error).message}\n`);
    state.exitCode = EXIT.badInput;
    return;
  }
  try {
    await work(database);
  } catch (e) {
    const message = (e as Error).message;
    const hint = /no such table|does not exist/.test(message) ? ' (run `iam-jit migrate` first?)' : '';
    io.stderr(`iam-jit audit: ${message}${hint}\n`);
    state.exitCode = EXIT.badInput;
  } finally {
    await database.close();
  }
}

/**
 * Registers `iam-jit audit verify|export|head` (docs/audit.md), working directly against the configured database
 * (`IAM_JIT_DATABASE_URL` / iam-jit.yaml). `verify` exits 0 when the chain is intact, 1 naming the first bad seq,
 * 2 when it could not check.
 */
export function registerAuditCommand(
  program: Command,
  io: CliIo,
  state: CliState,
  options: AuditCommandOptions = {},
): void {
  const audit = program.command('audit').description('Verify and export the tamper-evident audit log');

  audit
    .command('verify')
    .description(
      'Check every event of the hash chain; exit 1 and name the first bad seq when it was tampered with',
    )
    .option('--from <seq>', 'first seq to check (the event before it is trusted)', parseSeq)
    .option('--to <seq>', 'last seq to check (default: the chain head)', parseSeq)
    .option(
      '--anchor <seq:hash>',
      'also require event <seq> to still have <hash> (from `audit head`)',
      parseAnchor,
    )
    .option('--json', 'print the result as JSON')
    .action(
      async (opts: {
        from?: number;
        to?: number;
        anchor?: { seq: number; hash: string };
        json?: boolean;
      }) => {
        await withDatabase(io, state, options, async (database) => {
          const result = await verifyAuditChain(createAuditReader(database.db), {
            from: opts.from,
            to: opts.to,
            anchor: opts.anchor,
          });
          if (opts.json) io.stdout(`${JSON.stringify(result)}\n`);
          else if (result.ok)
            io.stdout(
              `audit chain OK: ${result.count} events verified\nhead: seq ${result.head.seq} sha256 ${result.head.hash}\n`,
            );
          else io.stdout(`audit chain BROKEN at seq ${result.firstBadSeq}: ${result.reason}\n`);
          state.exitCode = result.ok ? EXIT.ok : EXIT.failed;
        });
      },
    );

  audit
    .command('export')
    .description('Write events as JSON lines (one canonical JSON object per line) to stdout, oldest first')
    .option('--since <time>', 'events at or after this time (ISO-8601)', parseTime)
    .option('--until <time>', 'events before this time (ISO-8601)', parseTime)
    .option('--actor <id>', 'only events by this user id (or "system")')
    .option('--action <name>', 'only this action, e.g. request.approved')
    .option('--subject <id>', 'only events about this request, grant, user or account id')
    .action(async (filter: AuditFilter) => {
      await withDatabase(io, state, options, async (database) => {
        await exportAuditEvents(createAuditReader(database.db), filter, (line) => io.stdout(line));
        state.exitCode = EXIT.ok;
      });
    });

  audit
    .command('head')
    .description('Print the chain head (seq and hash) to anchor it outside the database; does not verify')
    .option('--json', 'print {"seq":…,"hash":…,"at":…} instead of <seq>:<hash>')
    .action(async (opts: { json?: boolean }) => {
      await withDatabase(io, state, options, async (database) => {
        const chain = await createAuditReader(database.db).chainState();
        const head = { seq: chain.headSeq, hash: chain.headHash, at: new Date().toISOString() };
        io.stdout(opts.json ? `${JSON.stringify(head)}\n` : `${head.seq}:${head.hash}\n`);
        state.exitCode = EXIT.ok;
      });
    });
}
