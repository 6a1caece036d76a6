// Composition of the notifications module (issue 7): its store, services and job types, for app.ts.
import type { Config } from './config/load-config.ts';
import type { Log } from './http/context.ts';
import type { BackoffOptions, JobDefinition, JobRecord } from './jobs/index.ts';
import type { Clock } from './lib/clock.ts';
import { createSecretBox } from './lib/crypto.ts';
import type { Mailer } from './mail/mailer.ts';
import { type ChatBindingService, createChatBindingService } from './notify/chat-binding-service.ts';
import type { DeliverDeps, Renderers } from './notify/deliver.ts';
import type { DispatchDeps } from './notify/dispatch.ts';
import { isNotifyJob, notifyJobDefinitions, onNotifyJobDead } from './notify/notify-jobs.ts';
import { renderEmail, renderMattermost, renderSlack, renderWebhookPayload } from './notify/render/index.ts';
import { parseAllowList, type Resolver } from './notify/ssrf.ts';
import { createWebhookService, type WebhookService } from './notify/webhook-service.ts';
import { createAccountRepo } from './store/accounts-repo.ts';
import type { Database } from './store/database.ts';
import { createNotifyStore } from './store/notifications-store.ts';

/** Test and deployment knobs of the notifications module (all optional). */
export interface NotifyOptions {
  /** Backoff of `notify.deliver` retries (default base 10 s, cap 1 h, within 24 h). */
  readonly deliveryBackoff?: BackoffOptions;
  /** DNS used by the SSRF pre-checks (default the system resolver). */
  readonly resolve?: Resolver;
  /** Per-request delivery timeout in ms (default 10 s). */
  readonly timeoutMs?: number;
}

/** The real channel renderers (src/notify/render/). */
export const RENDERERS: Renderers = {
  webhook: renderWebhookPayload,
  slack: renderSlack,
  mattermost: renderMattermost,
  email: renderEmail,
};

/** What app.ts gets: the admin services, the job types, and the dead-letter hook for `notify.*` jobs. */
export interface NotifyParts {
  readonly webhooks: WebhookService;
  readonly chatBindings: ChatBindingService;
  readonly jobDefinitions: JobDefinition<unknown>[];
  /** True when it handled the dead job (a `notify.*` type). */
  onJobDead(job: JobRecord, error: string): Promise<boolean>;
}

/**
 * Builds the notifications module over `database`. Throws Error when `IAM_JIT_WEBHOOK_ALLOW_HOSTS` holds a
 * malformed CIDR (start-up fails instead of guarding with a broken list).
 */
export function createNotifyParts(
  config: Pick<Config, 'secretKey' | 'notify' | 'server'>,
  {
    database,
    clock,
    mailer,
    jobOptions,
    log,
    onAttemptFailed,
    options = {},
  }: {
    database: Database;
    clock: Clock;
    mailer: Mailer;
    jobOptions: { clock: Clock; onEnqueued?: (at: Date) => void };
    log: Log;
    /** Told about each failed delivery attempt with its channel (metrics). */
    onAttemptFailed?: (channel: string) => void;
    options?: NotifyOptions;
  },
): NotifyParts {
  const store = createNotifyStore(database, jobOptions);
  const box = createSecretBox(config.secretKey);
  const allow = parseAllowList(config.notify.allowHosts);
  const resolve = options.resolve === undefined ? {} : { resolve: options.resolve };
  const dispatch: DispatchDeps = {
    sources: store.sources,
    subscriptions: store.subscriptions,
    bindings: store.bindings,
    transaction: store.transaction,
    clock,
    baseUrl: config.server.baseUrl,
    mailEnabled: mailer.enabled,
  };
  const deliver: DeliverDeps = {
    deliveries: store.deliveries,
    subscriptions: store.subscriptions,
    bindings: store.bindings,
    sources: store.sources,
    transaction: store.transaction,
    box,
    callbackSecret: config.notify.callbackSecret,
    mailer,
    allow,
    render: RENDERERS,
    clock,
    ...resolve,
    ...(onAttemptFailed === undefined ? {} : { onAttemptFailed }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  };
  return {
    webhooks: createWebhookService({
      subscriptions: store.subscriptions,
      deliveries: store.deliveries,
      transaction: store.transaction,
      box,
      allow,
      clock,
      ...resolve,
    }),
    chatBindings: createChatBindingService({
      accounts: createAccountRepo(database.db, database.dialect),
      bindings: store.bindings,
      transaction: store.transaction,
      box,
      allow,
      clock,
      ...resolve,
    }),
    jobDefinitions: notifyJobDefinitions({
      dispatch,
      deliver,
      ...(options.deliveryBackoff === undefined ? {} : { deliveryBackoff: options.deliveryBackoff }),
    }),
    async onJobDead(job, error) {
      if (!isNotifyJob(job)) return false;
      const handled = await onNotifyJobDead(deliver, job, error);
      log.error(
        { job_id: job.id, job_type: job.type, error },
        handled ? 'alert: notification dead-lettered' : 'alert: job dead-lettered',
      );
      return true;
    },
  };
}
