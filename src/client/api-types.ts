// The request and response types of the API client, taken from the server's own zod schemas (type-only imports:
// the client carries no server code at run time, and a schema change on the server breaks the client's build).
import type { z } from 'zod';
import type { AccountSchema } from '../http/routes/accounts-routes.ts';
import type { ChatBindingSchema } from '../http/routes/chat-bindings-routes.ts';
import type {
  CredentialsSchema,
  ExtensionRequestedSchema,
  GrantSchema,
  ReconcileResultSchema,
} from '../http/routes/grants-schemas.ts';
import type { FindingSchema, PolicyDocumentSchema, RiskReviewSchema } from '../http/routes/policy-schemas.ts';
import type {
  ActivityReportSchema,
  ApprovalsReportSchema,
  GrantsReportSchema,
  RiskReportSchema,
} from '../http/routes/reports-schemas.ts';
import type {
  CommentSchema,
  DetailSchema,
  EditBody,
  PageSchema,
  PreviewSchema,
  RequestSchema,
  SubmitBody,
} from '../http/routes/requests-schemas.ts';
import type {
  CreateWebhookBody,
  DeliveryPageSchema,
  PatchWebhookBody,
  WebhookSchema,
  WebhookWithSecret as WebhookWithSecretSchema,
} from '../http/routes/webhooks-routes.ts';
import type { RoleSchema, UserSchema } from '../http/schemas.ts';

export type Role = z.infer<typeof RoleSchema>;
export type User = z.infer<typeof UserSchema>;
/** `GET /api/v1/users/me`. */
export type Me = User & { auth_method: 'api_token' | 'session' | 'aws_iam' };
export type UserPage = { users: User[]; next_cursor: string | null };
export type Account = z.infer<typeof AccountSchema>;
export type AccountPage = { accounts: Account[]; next_cursor: string | null };
/** `POST /api/v1/accounts` body. */
export type CreateAccountInput = Omit<
  Partial<Account>,
  'id' | 'name' | 'environment' | 'created_at' | 'updated_at'
> & { id: string; name: string; environment: string };

export type Finding = z.infer<typeof FindingSchema>;
export type RiskReview = z.infer<typeof RiskReviewSchema>;
export type PolicyDocument = z.infer<typeof PolicyDocumentSchema>;

/** `POST /api/v1/draft` body: actions (+ resources), or service + access levels. */
export interface DraftInput {
  actions?: string[];
  resources?: string[];
  service?: string;
  access_levels?: string[];
  access_type?: SubmitInput['access_type'];
  include_dependent_actions?: boolean;
}
export interface DraftResult {
  policy: Record<string, unknown>;
  notes: string[];
}
/** `POST /api/v1/analyze` body. */
export interface AnalyzeInput {
  policy: PolicyDocument;
  kind?: string;
  environment?: string;
  duration_hours?: number;
  access_type?: SubmitInput['access_type'];
}
export interface AnalyzeResult {
  kind: string;
  findings: Finding[];
  risk: RiskReview | null;
}

export type SubmitInput = z.input<typeof SubmitBody>;
export type EditInput = z.input<typeof EditBody>;
export type AccessRequest = z.infer<typeof RequestSchema>;
export type RequestStatus = AccessRequest['status'];
export type RequestDetail = z.infer<typeof DetailSchema>;
export type RequestPage = z.infer<typeof PageSchema>;
export type RequestPreview = z.infer<typeof PreviewSchema>;
export type Comment = z.infer<typeof CommentSchema>;
/** `GET /api/v1/requests` query. */
export interface ListRequestsQuery {
  status?: RequestStatus;
  account_id?: string;
  mine?: boolean;
  cursor?: string;
  limit?: number;
}

export type Grant = z.infer<typeof GrantSchema>;
export type GrantStatus = Grant['status'];
/** `credential_process` JSON v1 (as `GET /api/v1/grants/{id}/credentials` returns it). Secrets. */
export type CredentialProcessOutput = z.infer<typeof CredentialsSchema>;
/** `GET /api/v1/grants` query. */
export interface ListGrantsQuery {
  status?: GrantStatus;
  request_id?: string;
  limit?: number;
}

/** A webhook subscription (never its secret). */
export type Webhook = z.infer<typeof WebhookSchema>;
/** `POST /webhooks` and `POST /webhooks/{id}/rotate-secret`: the subscription with its secret, shown once. */
export type WebhookWithSecret = z.infer<typeof WebhookWithSecretSchema>;
export type WebhookPage = { webhooks: Webhook[]; next_cursor: string | null };
export type CreateWebhookInput = z.input<typeof CreateWebhookBody>;
export type UpdateWebhookInput = z.input<typeof PatchWebhookBody>;
export type WebhookDeliveryPage = z.infer<typeof DeliveryPageSchema>;
/** A chat binding (its URL masked). */
export type ChatBinding = z.infer<typeof ChatBindingSchema>;

/** `POST /api/v1/reconcile` answer (admin). */
export type ReconcileResult = z.infer<typeof ReconcileResultSchema>;
/** `POST /api/v1/grants/{id}/extend` by the grant's requester (202): the extension request to approve. */
export type ExtensionRequested = z.infer<typeof ExtensionRequestedSchema>;

/** The four reports (`GET /api/v1/reports/<kind>`, admin). */
export type ReportKind = 'grants' | 'activity' | 'approvals' | 'risk-distribution';
export type GrantsReport = z.infer<typeof GrantsReportSchema>;
export type ActivityReport = z.infer<typeof ActivityReportSchema>;
export type ApprovalsReport = z.infer<typeof ApprovalsReportSchema>;
export type RiskDistributionReport = z.infer<typeof RiskReportSchema>;
/** Filters of the reports; each report reads the ones it documents (docs/reports.md). */
export interface ReportQuery {
  /** ISO-8601 date or date-time, inclusive. */
  since?: string;
  /** ISO-8601 date or date-time, exclusive. */
  until?: string;
  /** List reports: most rows, 1–100,000 (default 10,000). */
  limit?: number;
  /** grants: grant status. */
  status?: string;
  /** grants, risk-distribution: a 12-digit account id. */
  account_id?: string;
  /** activity: the user whose activity to show. */
  user_id?: string;
  /** approvals: one approver's decisions. */
  approver_id?: string;
}
