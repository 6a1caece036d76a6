/**
 * `iam-jit webhooks list|create|delete|deliveries|test`: manage webhook subscriptions over the API (admin; see
 * docs/notifications.md). `create` prints the signing secret, which the server shows only once.
 */
import type { Command } from 'commander';
import type { ApiClient } from '../client/api-client.ts';
import type { Webhook } from '../client/api-types.ts';
import { type ApiCommandOptions, withApiClient } from './api-command.ts';
import type { CliIo, CliState } from './context.ts';

/** Injection points for tests; defaults are the process's. */
export type WebhooksCommandOptions = ApiCommandOptions;

function line(w: Webhook): string {
  return `${w.id}  ${w.enabled ? 'enabled ' : 'disabled'}  ${w.events.join(',')}  ${w.url}\n`;
}

/** Registers `iam-jit webhooks`. Exit 1 when the API refuses or is unreachable, 2 on bad configuration. */
export function registerWebhooksCommand(
  program: Command,
  io: CliIo,
  state: CliState,
  options: WebhooksCommandOptions = {},
): void {
  const group = program.command('webhooks').description('manage webhook subscriptions (admin)');

  const run = (work: (client: ApiClient) => Promise<void>) =>
    withApiClient('iam-jit webhooks', io, state, options, work);

  group
    .command('list')
    .description('list subscriptions: id, state, event filter, URL')
    .option('--json', 'print the API answer as JSON')
    .action((opts: { json?: boolean }) =>
      run(async (client) => {
        const webhooks: Webhook[] = [];
        let after: string | undefined;
        // Bounded: at most 100 pages of 500.
        for (let page = 0; page < 100; page++) {
          const r = await client.listWebhooks({ limit: 500, ...(after === undefined ? {} : { after }) });
          webhooks.push(...r.webhooks);
          if (r.next_cursor === null) break;
          after = r.next_cursor;
        }
        if (opts.json) io.stdout(`${JSON.stringify({ webhooks }, null, 2)}\n`);
        else if (webhooks.length === 0) io.stdout('no webhook subscriptions\n');
        else for (const w of webhooks) io.stdout(line(w));
      }),
    );

  group
    .command('create')
    .description('subscribe a URL; prints the signing secret (shown only this once)')
    .requiredOption(
      '--url <url>',
      'the receiver (http or https; private addresses need IAM_JIT_WEBHOOK_ALLOW_HOSTS)',
    )
    .option('--events <types>', 'comma-separated notice types, or * for all', '*')
    .option('--description <text>', 'a note for admins')
    .option('--json', 'print the API answer as JSON')
    .action((opts: { url: string; events: string; description?: string; json?: boolean }) =>
      run(async (client) => {
        const events = opts.events
          .split(',')
          .map((e) => e.trim())
          .filter((e) => e !== '');
        const created = await client.createWebhook({
          url: opts.url,
          events: events as NonNullable<Parameters<ApiClient['createWebhook']>[0]['events']>,
          ...(opts.description === undefined ? {} : { description: opts.description }),
        });
        if (opts.json) {
          io.stdout(`${JSON.stringify(created, null, 2)}\n`);
          return;
        }
        io.stdout(line(created));
        io.stdout(`secret: ${created.secret}\n`);
        io.stderr('store the secret now: it is not shown again (rotate it with the API if lost)\n');
      }),
    );

  group
    .command('delete')
    .description('delete a subscription')
    .argument('<id>', 'the subscription (whk_…)')
    .action((id: string) =>
      run(async (client) => {
        await client.deleteWebhook(id);
        io.stdout(`deleted ${id}\n`);
      }),
    );

  group
    .command('deliveries')
    .description("a subscription's delivery log, newest first")
    .argument('<id>', 'the subscription (whk_…)')
    .option('--limit <n>', 'how many (1-200)', '20')
    .option('--json', 'print the API answer as JSON')
    .action((id: string, opts: { limit: string; json?: boolean }) =>
      run(async (client) => {
        const limit = Number(opts.limit);
        if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw new Error('--limit: expected 1-200');
        const page = await client.webhookDeliveries(id, { limit });
        if (opts.json) {
          io.stdout(`${JSON.stringify(page, null, 2)}\n`);
          return;
        }
        if (page.deliveries.length === 0) io.stdout('no deliveries\n');
        for (const d of page.deliveries) {
          const last = d.last_error ?? (d.last_status_code === null ? '' : `HTTP ${d.last_status_code}`);
          io.stdout(
            `${d.created_at}  ${d.status.padEnd(9)}  ${d.attempts}×  ${d.event_type}  ${d.event_id}  ${last}\n`,
          );
        }
      }),
    );

  group
    .command('test')
    .description('send a signed ping to a subscription')
    .argument('<id>', 'the subscription (whk_…)')
    .action((id: string) =>
      run(async (client) => {
        const r = await client.testWebhook(id);
        io.stdout(`ping queued (delivery ${r.delivery_id}); see \`iam-jit webhooks deliveries ${id}\`\n`);
      }),
    );
}
