// `iam-jit audit …` as its own process, for cli.test.ts: the same Commander wiring as src/cli/main.ts. Once main.ts
// registers the audit command, `bin/iam-jit.js audit …` behaves identically.
import { Command, CommanderError } from 'commander';
import { registerAuditCommand } from '../../src/cli/audit-command.ts';
import { type CliIo, type CliState, EXIT } from '../../src/cli/context.ts';

const io: CliIo = { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s) };
const state: CliState = { exitCode: 0 };
const program = new Command('iam-jit')
  .exitOverride()
  .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
registerAuditCommand(program, io, state);
for (const c of [...program.commands, ...program.commands.flatMap((c) => c.commands)])
  c.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
try {
  await program.parseAsync(process.argv);
  process.exitCode = state.exitCode;
} catch (e) {
  if (!(e instanceof CommanderError)) throw e;
  process.exitCode = EXIT.badInput;
}
