import type { Kysely, Transaction } from 'kysely';
import type { AccountApproversTable, AccountsTable } from './accounts.table.ts';
import type { ApiTokensTable } from './api-tokens.table.ts';
import type { AuditChainHeadTable, AuditEventsTable } from './audit-events.table.ts';
import type { GrantsTable } from './grants.table.ts';
import type { IdempotencyKeysTable } from './idempotency-keys.table.ts';
import type { JobsTable } from './jobs.table.ts';
import type { MagicLinksTable } from './magic-links.table.ts';
import type {
  ChatBindingsTable,
  NotificationAttemptsTable,
  NotificationDeliveriesTable,
  WebhookSubscriptionsTable,
} from './notifications.table.ts';
import type { RateLimitsTable } from './rate-limits.table.ts';
import type {
  RequestAccountsTable,
  RequestCommentsTable,
  RequestEventsTable,
  RequestReviewsTable,
  RequestRevisionsTable,
  RequestsTable,
} from './requests.table.ts';
import type { SessionsTable } from './sessions.table.ts';
import type { UsersTable } from './users.table.ts';

/** Every table of the schema, keyed by its SQL name. Each entity adds its table here with its migration. */
export interface Db {
  users: UsersTable;
  api_tokens: ApiTokensTable;
  sessions: SessionsTable;
  magic_links: MagicLinksTable;
  idempotency_keys: IdempotencyKeysTable;
  rate_limits: RateLimitsTable;
  accounts: AccountsTable;
  account_approvers: AccountApproversTable;
  requests: RequestsTable;
  request_accounts: RequestAccountsTable;
  request_revisions: RequestRevisionsTable;
  request_reviews: RequestReviewsTable;
  request_comments: RequestCommentsTable;
  request_events: RequestEventsTable;
  jobs: JobsTable;
  audit_events: AuditEventsTable;
  audit_chain_head: AuditChainHeadTable;
  grants: GrantsTable;
  webhook_subscriptions: WebhookSubscriptionsTable;
  chat_bindings: ChatBindingsTable;
  notification_deliveries: NotificationDeliveriesTable;
  notification_attempts: NotificationAttemptsTable;
}

/** A connection or an open transaction: repo functions accept either. */
export type DbExecutor = Kysely<Db> | Transaction<Db>;

/** The SQL dialects iam-jit runs on; every migration and store test runs on both. */
export const DIALECTS = ['sqlite', 'postgres'] as const;
export type DialectName = (typeof DIALECTS)[number];
