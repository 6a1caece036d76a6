import type { Insertable, Selectable } from 'kysely';

/** `webhook_subscriptions`: admin-managed webhook targets (docs/notifications.md). Flags are 0/1 integers. */
export interface WebhookSubscriptionsTable {
  id: string;
  url: string;
  /** JSON array of notice types; `["*"]` matches every type. */
  events: string;
  description: string;
  /** The signing secret, sealed with the deployment's secret key (`SecretBox`); never returned after creation. */
  secret_sealed: string;
  enabled: number;
  created_by: string;
  created_at: string;
  updated_at: string;
}
export type WebhookSubscriptionRow = Selectable<WebhookSubscriptionsTable>;

/** `chat_bindings`: a Slack or Mattermost incoming webhook bound to an account. The URL is a secret: sealed. */
export interface ChatBindingsTable {
  id: string;
  account_id: string;
  kind: string;
  url_sealed: string;
  /** Scheme and host with the path masked, for display. */
  url_masked: string;
  created_by: string;
  created_at: string;
}
export type ChatBindingRow = Selectable<ChatBindingsTable>;

/** `notification_deliveries`: one per (event id, target), the unit a `notify.deliver` job works on. */
export interface NotificationDeliveriesTable {
  id: string;
  /** The stable notice id (`evt_<seq>`, …). */
  event_id: string;
  event_type: string;
  /** `sub:<id>`, `callback`, `chat:<binding id>`, `email:<address>`, unique with `event_id`. */
  target: string;
  channel: string;
  subscription_id: string | null;
  binding_id: string | null;
  /** The notice as JSON (what every attempt renders). */
  notice: string;
  status: string;
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  delivered_at: string | null;
  created_at: string;
  updated_at: string;
}
export type NotificationDeliveryRow = Selectable<NotificationDeliveriesTable>;
export type NewNotificationDeliveryRow = Insertable<NotificationDeliveriesTable>;

/** `notification_attempts`: every delivery attempt (status code, error, duration); never a secret. */
export interface NotificationAttemptsTable {
  delivery_id: string;
  attempt: number;
  at: string;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
}
