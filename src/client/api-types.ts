// The request and response types of the API client, taken from the server's own zod schemas (type-only imports:
// the client carries no server code at run time, and a schema change on the server breaks the client's build).
import type { z } from 'zod';
import type { AccountSchema } from '../http/routes/accounts-routes.ts';
import type {
  CredentialsSchema,
  ExtensionRequestedSchema,
  GrantSchema,
  ReconcileResultSchema,
} from '../http/routes/grants-schemas.ts';
import type { FindingSchema, PolicyDocumentSchema, RiskReviewSchema } from '../http/routes/policy-schemas.ts';
import type {
  CommentSchema,
  DetailSchema,
  EditBody,
  PageSchema,
  PreviewSchema,
  RequestSchema,
  SubmitBody,
} from '../http/routes/requests-schemas.ts';
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
/** `POST /api/v1/reconcile` answer (admin). */
export type ReconcileResult = z.infer<typeof ReconcileResultSchema>;
/** `POST /api/v1/grants/{id}/extend` by the grant's requester (202): the extension request to approve. */
export type ExtensionRequested = z.infer<typeof ExtensionRequestedSchema>;
