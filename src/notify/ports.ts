/** What the notifications module needs from the outside (implemented in store/ and wired in app.ts). */
import type { AccountRepo } from '../accounts/ports.ts';
import type { AuditLog } from '../audit/ports.ts';
import type { Grant } from '../grants/grant.ts';
import type { JobQueue } from '../jobs/index.ts';
import type { AccessRequest, Revision } from '../requests/request.ts';
import type { NoticeType } from './notice.ts';

/** Event filter entries of a subscription: notice types, or `*` for all. */
export type EventFilter = readonly (NoticeType | '*')[];

/** An admin-managed webhook subscription. Its secret is never part of it (sealed in the store). */
export interface WebhookSubscription {
  readonly id: string;
  readonly url: string;
  readonly events: EventFilter;
  readonly description: string;
  readonly enabled: boolean;
  readonly createdBy: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** Chat platforms with incoming webhooks. */
export const CHAT_KINDS = ['slack', 'mattermost'] as const;
export type ChatKind = (typeof CHAT_KINDS)[number];

/** A Slack or Mattermost incoming webhook bound to an account; the URL is a secret, shown masked only. */
export interface ChatBinding {
  readonly id: string;
  readonly accountId: string;
  readonly kind: ChatKind;
  readonly urlMasked: string;
  readonly createdBy: string;
  readonly createdAt: Date;
}

/** Where a delivery goes. */
export const DELIVERY_CHANNELS = ['webhook', 'callback', 'slack', 'mattermost', 'email'] as const;
export type DeliveryChannel = (typeof DELIVERY_CHANNELS)[number];

/** `pending` until the first attempt, `failed` while retrying, then `delivered`, `dead` or `skipped` (target gone). */
export const DELIVERY_STATUSES = ['pending', 'failed', 'delivered', 'dead', 'skipped'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** One notice to one target (the delivery log row). */
export interface Delivery {
  readonly id: string;
  /** The stable notice id receivers de-duplicate on. */
  readonly eventId: string;
  readonly eventType: string;
  /** `sub:<id>`, `callback`, `chat:<binding id>` or `email:<address>`; unique per event. */
  readonly target: string;
  readonly channel: DeliveryChannel;
  readonly subscriptionId: string | null;
  readonly bindingId: string | null;
  readonly status: DeliveryStatus;
  readonly attempts: number;
  readonly lastStatusCode: number | null;
  readonly lastError: string | null;
  readonly deliveredAt: Date | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** One attempt of a delivery. */
export interface DeliveryAttempt {
  readonly attempt: number;
  readonly at: Date;
  readonly statusCode: number | null;
  readonly error: string | null;
  readonly durationMs: number;
}

/** A delivery to record: `payload` is the notice (or ping) JSON every attempt renders. */
export interface NewDelivery {
  readonly eventId: string;
  readonly eventType: string;
  readonly target: string;
  readonly channel: DeliveryChannel;
  readonly subscriptionId?: string;
  readonly bindingId?: string;
  readonly payload: unknown;
}

/** A stored delivery with what the deliverer needs. */
export interface DeliveryWork extends Delivery {
  readonly payload: unknown;
}

/** Subscriptions, with their sealed secrets for the deliverer. */
export interface SubscriptionRepo {
  insert(s: WebhookSubscription, secretSealed: string): Promise<void>;
  get(id: string): Promise<WebhookSubscription | undefined>;
  /** The sealed secret of `id`, or undefined. */
  sealedSecret(id: string): Promise<string | undefined>;
  list(options: { after?: string; limit: number }): Promise<WebhookSubscription[]>;
  /** Enabled subscriptions whose filter matches `type`. */
  matching(type: NoticeType): Promise<WebhookSubscription[]>;
  update(
    id: string,
    patch: Partial<Pick<WebhookSubscription, 'url' | 'events' | 'description' | 'enabled'>> & {
      secretSealed?: string;
    },
    now: Date,
  ): Promise<boolean>;
  remove(id: string): Promise<boolean>;
}

/** Chat bindings, with their sealed URLs for the deliverer. */
export interface ChatBindingRepo {
  insert(b: ChatBinding, urlSealed: string): Promise<void>;
  get(id: string): Promise<(ChatBinding & { readonly urlSealed: string }) | undefined>;
  byAccounts(accountIds: readonly string[]): Promise<ChatBinding[]>;
  remove(id: string): Promise<boolean>;
}

/** The delivery log. */
export interface DeliveryRepo {
  /** Inserts the delivery unless (event id, target) exists; returns its id and whether it was created. */
  insert(d: NewDelivery, now: Date): Promise<{ id: string; created: boolean }>;
  get(id: string): Promise<DeliveryWork | undefined>;
  /** Records attempt n+1 and the delivery's new status; returns the attempt number. */
  recordAttempt(
    id: string,
    attempt: Omit<DeliveryAttempt, 'attempt'>,
    status: DeliveryStatus,
  ): Promise<number>;
  setStatus(id: string, status: DeliveryStatus, error: string | null, now: Date): Promise<void>;
  /** A subscription's deliveries, newest first, keyset-paged on (created_at, id). */
  bySubscription(
    subscriptionId: string,
    options: { after?: { createdAt: Date; id: string }; limit: number },
  ): Promise<Delivery[]>;
  attempts(id: string): Promise<DeliveryAttempt[]>;
}

/** The repos of a notifications use case inside one transaction. */
export interface NotifyTxRepos {
  readonly subscriptions: SubscriptionRepo;
  readonly bindings: ChatBindingRepo;
  readonly deliveries: DeliveryRepo;
  readonly jobs: JobQueue;
  readonly audit: AuditLog;
}

/** Runs `work` in one transaction; commits when it resolves. */
export type NotifyTransaction = <T>(work: (tx: NotifyTxRepos) => Promise<T>) => Promise<T>;

/** An audit event as the dispatcher reads it. */
export interface NotifiableEvent {
  readonly seq: number;
  readonly at: Date;
  readonly actor: string;
  readonly action: string;
  readonly subject: string | null;
  readonly data: Readonly<Record<string, unknown>>;
}

/** Read access to what a notice shows. */
export interface NoticeSources {
  auditEvent(seq: number): Promise<NotifiableEvent | undefined>;
  request(id: string): Promise<AccessRequest | undefined>;
  revision(requestId: string, number: number): Promise<Revision | undefined>;
  accounts: Pick<AccountRepo, 'getMany'>;
  grant(id: string): Promise<Grant | undefined>;
  /** The body of comment `commentId` on request `requestId`, or undefined. */
  commentBody(requestId: string, commentId: string): Promise<string | undefined>;
}
