import type { Clock } from '../lib/clock.ts';
import type {
  ChatBindingRepo,
  DeliveryRepo,
  NoticeSources,
  NotifyTransaction,
  SubscriptionRepo,
} from '../notify/ports.ts';
import { createAccountRepo } from './accounts-repo.ts';
import { createAuditLog, createAuditReader } from './audit-events-repo.ts';
import type { Database } from './database.ts';
import { createGrantRepo } from './grants-repo.ts';
import { createJobQueue } from './jobs-repo.ts';
import { createChatBindingRepo, createDeliveryRepo, createSubscriptionRepo } from './notifications-repo.ts';
import { createRequestRepo } from './requests-repo.ts';
import { withTransaction } from './transaction.ts';

/** Options of the notifications store: the clock for job timestamps and the runner's wake-up hook. */
export interface NotifyStoreOptions {
  readonly clock: Clock;
  /** Called after a job is enqueued (e.g. `runner.wake`); may be set later, before the first enqueue. */
  onEnqueued?: (runAt: Date) => void;
}

/** The notifications ports over a database: reads outside a transaction, and `transaction` binding them to one. */
export interface NotifyStore {
  readonly subscriptions: SubscriptionRepo;
  readonly bindings: ChatBindingRepo;
  readonly deliveries: DeliveryRepo;
  readonly sources: NoticeSources;
  readonly transaction: NotifyTransaction;
}

/** Builds the notifications store over `database` (both dialects). */
export function createNotifyStore(database: Database, options: NotifyStoreOptions): NotifyStore {
  const { db, dialect } = database;
  const requests = createRequestRepo(db, dialect);
  const reader = createAuditReader(db);
  const grants = createGrantRepo(db);
  const wake = (at: Date) => options.onEnqueued?.(at);
  return {
    subscriptions: createSubscriptionRepo(db),
    bindings: createChatBindingRepo(db),
    deliveries: createDeliveryRepo(db),
    sources: {
      async auditEvent(seq) {
        const r = await reader.get(seq);
        return r === undefined
          ? undefined
          : {
              seq: r.seq,
              at: new Date(r.at),
              actor: r.actor,
              action: r.action,
              subject: r.subject,
              data: JSON.parse(r.data) as Record<string, unknown>,
            };
      },
      request: (id) => requests.get(id),
      revision: (id, n) => requests.revision(id, n),
      accounts: createAccountRepo(db, dialect),
      grant: (id) => grants.get(id),
      commentBody: async (id, commentId) =>
        (await requests.comments(id)).find((c) => c.id === commentId)?.body,
    },
    transaction: (work) =>
      withTransaction(db, (tx) =>
        work({
          subscriptions: createSubscriptionRepo(tx),
          bindings: createChatBindingRepo(tx),
          deliveries: createDeliveryRepo(tx),
          jobs: createJobQueue(tx, { clock: options.clock, onEnqueued: wake }),
          audit: createAuditLog(tx, { onEnqueued: wake }),
        }),
      ),
  };
}
