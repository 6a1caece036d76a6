import { ApiError, apiErrorFromBody } from './api-error.ts';
import type {
  Account,
  AccountPage,
  ActivityReport,
  AnalyzeInput,
  AnalyzeResult,
  ApprovalsReport,
  ChatBinding,
  Comment,
  CreateAccountInput,
  CreateWebhookInput,
  CredentialProcessOutput,
  DraftInput,
  DraftResult,
  EditInput,
  ExtensionRequested,
  Grant,
  GrantsReport,
  ListGrantsQuery,
  ListRequestsQuery,
  Me,
  ReconcileResult,
  ReportKind,
  ReportQuery,
  RequestDetail,
  RequestPage,
  RequestPreview,
  RequestStatus,
  RiskDistributionReport,
  Role,
  SubmitInput,
  UpdateWebhookInput,
  UserPage,
  Webhook,
  WebhookDeliveryPage,
  WebhookPage,
  WebhookWithSecret,
} from './api-types.ts';

/** A `fetch` implementation (the global one, or an in-process app's `fetch` for `/mcp`). */
export type FetchLike = (input: Request) => Promise<Response>;

/** Options of `createApiClient`. */
export interface ApiClientOptions {
  /** The server's base URL, e.g. `https://iam-jit.example.com` (no `/api/v1`). */
  readonly baseUrl: string;
  /** An API token (`iamjit_…`), sent as `Authorization: Bearer`. */
  readonly token: string;
  /** Defaults to the global `fetch`. */
  readonly fetch?: FetchLike;
  /** Sent as `User-Agent` (e.g. `iam-jit-mcp/0.1.0`). */
  readonly userAgent?: string;
}

/** Options of `waitForRequest`. */
export interface WaitOptions {
  /** Return as soon as the status differs from this one (default: the status at the first read). */
  readonly whileStatus?: RequestStatus;
  /** Keep waiting while the status is one of these too (transient states such as `approved`). */
  readonly passThrough?: readonly RequestStatus[];
  /** Give up after this many milliseconds and return the last state with `changed: false`. */
  readonly timeoutMs: number;
  /** Pause between reads, in milliseconds (default 1000). */
  readonly intervalMs?: number;
  readonly signal?: AbortSignal;
  /** Called after every read that keeps the wait going (e.g. to report progress). */
  readonly onPoll?: (status: RequestStatus, waitedMs: number) => void | Promise<void>;
}

type Query = Record<string, string | number | boolean | undefined>;

/** The typed iam-jit API client; see `createApiClient`. */
export type ApiClient = ReturnType<typeof createApiClient>;

const enc = encodeURIComponent;

function queryString(q: Query = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined) params.set(k, String(v));
  const s = params.toString();
  return s === '' ? '' : `?${s}`;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

/**
 * A typed client for `/api/v1`, one method per route, with the request and response types of the server's zod
 * schemas. Every method resolves with the parsed JSON of a 2xx answer and rejects with `ApiError` otherwise
 * (status, the API's code and message verbatim, details), or `ApiError(0, 'NetworkError')` when the server
 * cannot be reached. The client holds no state besides its options.
 */
export function createApiClient({ baseUrl, token, fetch: fetchFn, userAgent }: ApiClientOptions) {
  // A base URL given with the API prefix (`…/api/v1`) means the same server.
  const root = baseUrl.replace(/\/+$/, '').replace(/\/api\/v1$/, '');
  const doFetch: FetchLike = fetchFn ?? ((req) => fetch(req));

  /** Sends one request; resolves with the answer's text when it is 2xx, rejects with ApiError otherwise. */
  async function send(
    method: string,
    path: string,
    {
      body,
      query,
      headers = {},
      accept = 'application/json',
    }: { body?: unknown; query?: Query; headers?: Record<string, string>; accept?: string } = {},
  ): Promise<{ status: number; text: string }> {
    const h: Record<string, string> = {
      accept,
      authorization: `Bearer ${token}`,
      ...headers,
    };
    if (userAgent !== undefined) h['user-agent'] = userAgent;
    if (body !== undefined) h['content-type'] = 'application/json';
    const url = `${root}/api/v1${path}${queryString(query)}`;
    const request = new Request(url, {
      method,
      headers: h,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    let res: Response;
    try {
      res = await doFetch(request);
    } catch (cause) {
      throw new ApiError(0, 'NetworkError', `cannot reach the iam-jit server at ${root}: ${String(cause)}`, {
        cause,
      });
    }
    const text = await res.text();
    if (!res.ok) {
      let parsed: unknown;
      try {
        parsed = text === '' ? undefined : JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      throw apiErrorFromBody(res.status, parsed, text);
    }
    return { status: res.status, text };
  }

  async function call<T>(
    method: string,
    path: string,
    options: { body?: unknown; query?: Query; headers?: Record<string, string> } = {},
  ): Promise<T> {
    const { status, text } = await send(method, path, options);
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (parsed === undefined && text !== '') throw new ApiError(status, 'BadResponse', 'answer is not JSON');
    return parsed as T;
  }

  const client = {
    /** The server's base URL, as given. */
    baseUrl: root,
    /** `GET /users/me`: the caller, their roles and how they authenticated. */
    me: () => call<Me>('GET', '/users/me'),
    /** `GET /users` (admin). */
    listUsers: (q: { role?: Role; limit?: number; after?: string } = {}) =>
      call<UserPage>('GET', '/users', { query: q }),
    /** `GET /accounts`: destination accounts (any signed-in user). */
    listAccounts: (q: { limit?: number; after?: string } = {}) =>
      call<AccountPage>('GET', '/accounts', { query: q }),
    /** `POST /accounts` (admin). */
    createAccount: (input: CreateAccountInput) => call<Account>('POST', '/accounts', { body: input }),
    /** `PATCH /accounts/{id}` (admin): the fields given change; null clears a nullable field. */
    updateAccount: (id: string, patch: Partial<Omit<CreateAccountInput, 'id'>>) =>
      call<Account>('PATCH', `/accounts/${encodeURIComponent(id)}`, { body: patch }),
    /** `POST /draft`: a least-privilege policy from actions/resources or service + access levels. */
    draft: (input: DraftInput) => call<DraftResult>('POST', '/draft', { body: input }),
    /** `POST /analyze`: validation findings and risk review of a policy. */
    analyze: (input: AnalyzeInput) => call<AnalyzeResult>('POST', '/analyze', { body: input }),
    /** `POST /requests/preview`: what a submission would produce, without side effects. */
    preview: (input: SubmitInput) => call<RequestPreview>('POST', '/requests/preview', { body: input }),
    /** `POST /requests`: submit; `idempotencyKey` makes a retried submission return the first answer. */
    submit: (input: SubmitInput, { idempotencyKey }: { idempotencyKey?: string } = {}) =>
      call<RequestDetail>('POST', '/requests', {
        body: input,
        ...(idempotencyKey !== undefined ? { headers: { 'idempotency-key': idempotencyKey } } : {}),
      }),
    /** `GET /requests/{id}`: the request with revisions, reviews, comments, events and grants. */
    getRequest: (id: string) => call<RequestDetail>('GET', `/requests/${enc(id)}`),
    /** `GET /requests`: mine by default (`mine: false` lists what the caller may see). */
    listRequests: ({ mine, ...q }: ListRequestsQuery = {}) =>
      call<RequestPage>('GET', '/requests', { query: { ...q, ...(mine !== undefined ? { mine } : {}) } }),
    /** `GET /requests/pending`: pending requests the caller may approve (approver). */
    listPending: (q: { cursor?: string; limit?: number } = {}) =>
      call<RequestPage>('GET', '/requests/pending', { query: q }),
    /** `PATCH /requests/{id}`: a new revision of a pending request (requester or its approvers). */
    editRequest: (id: string, input: EditInput) =>
      call<RequestDetail>('PATCH', `/requests/${enc(id)}`, { body: input }),
    /** `POST /requests/{id}/resubmit`: answer a change request with a new revision (requester). */
    resubmit: (id: string, input: EditInput) =>
      call<RequestDetail>('POST', `/requests/${enc(id)}/resubmit`, { body: input }),
    /** `POST /requests/{id}/approve` (approver). */
    approve: (id: string, { comment }: { comment?: string } = {}) =>
      call<RequestDetail>('POST', `/requests/${enc(id)}/approve`, {
        body: comment === undefined ? {} : { comment },
      }),
    /** `POST /requests/{id}/reject` (approver; a reason is required). */
    reject: (id: string, { reason }: { reason: string }) =>
      call<RequestDetail>('POST', `/requests/${enc(id)}/reject`, { body: { reason } }),
    /** `POST /requests/{id}/request-changes` (approver; a comment is required). */
    requestChanges: (id: string, { comment }: { comment: string }) =>
      call<RequestDetail>('POST', `/requests/${enc(id)}/request-changes`, { body: { comment } }),
    /** `POST /requests/{id}/cancel` (requester). */
    cancel: (id: string, { reason }: { reason?: string } = {}) =>
      call<RequestDetail>('POST', `/requests/${enc(id)}/cancel`, {
        body: reason === undefined ? {} : { reason },
      }),
    /** `POST /requests/{id}/comments`. */
    comment: (id: string, body: string) =>
      call<Comment>('POST', `/requests/${enc(id)}/comments`, { body: { body } }),
    /** `GET /grants`: grants the caller may see (theirs; their accounts' as approver; all for admins). */
    listGrants: (q: ListGrantsQuery = {}) => call<{ items: Grant[] }>('GET', '/grants', { query: { ...q } }),
    /** `GET /grants/{id}`. */
    getGrant: (id: string) => call<Grant>('GET', `/grants/${enc(id)}`),
    /** `GET /grants/{id}/credentials`: STS credentials as `credential_process` JSON (secrets!). */
    getCredentials: (id: string) => call<CredentialProcessOutput>('GET', `/grants/${enc(id)}/credentials`),
    /** `POST /grants/{id}/revoke`. */
    revokeGrant: (id: string, { reason }: { reason: string }) =>
      call<Grant>('POST', `/grants/${enc(id)}/revoke`, { body: { reason } }),
    /**
     * `POST /grants/{id}/extend`: an approver or admin extends at once (the grant); the grant's requester gets an
     * extension request (`extension_request_id`, pending) that approvers approve like any request.
     */
    extendGrant: (id: string, body: { hours: number; reason?: string }) =>
      call<Grant | ExtensionRequested>('POST', `/grants/${enc(id)}/extend`, { body }),
    /** `GET /reports/grants` (admin): one row per grant (`status`, `account_id`, `since`, `until`, `limit`). */
    reportGrants: (q: ReportQuery = {}) => call<GrantsReport>('GET', '/reports/grants', { query: { ...q } }),
    /** `GET /reports/activity` (admin): audit events a user caused or that concern them (`user_id`). */
    reportActivity: (q: ReportQuery = {}) =>
      call<ActivityReport>('GET', '/reports/activity', { query: { ...q } }),
    /** `GET /reports/approvals` (admin): review decisions and totals per approver (`approver_id`). */
    reportApprovals: (q: ReportQuery = {}) =>
      call<ApprovalsReport>('GET', '/reports/approvals', { query: { ...q } }),
    /** `GET /reports/risk-distribution` (admin): requests per score 1–10, band and environment. */
    reportRiskDistribution: (q: ReportQuery = {}) =>
      call<RiskDistributionReport>('GET', '/reports/risk-distribution', { query: { ...q } }),
    /** Any report as its RFC 4180 CSV text (`?format=csv`, admin). */
    reportCsv: async (kind: ReportKind, q: ReportQuery = {}): Promise<string> =>
      (
        await send('GET', `/reports/${kind}`, {
          query: { ...q, format: 'csv' },
          accept: 'text/csv',
        })
      ).text,
    /** `POST /webhooks` (admin): the answer carries the signing secret, shown only this once. */
    createWebhook: (input: CreateWebhookInput) =>
      call<WebhookWithSecret>('POST', '/webhooks', { body: input }),
    /** `GET /webhooks` (admin). */
    listWebhooks: (q: { limit?: number; after?: string } = {}) =>
      call<WebhookPage>('GET', '/webhooks', { query: q }),
    /** `GET /webhooks/{id}` (admin). */
    getWebhook: (id: string) => call<Webhook>('GET', `/webhooks/${enc(id)}`),
    /** `PATCH /webhooks/{id}` (admin). */
    updateWebhook: (id: string, input: UpdateWebhookInput) =>
      call<Webhook>('PATCH', `/webhooks/${enc(id)}`, { body: input }),
    /** `DELETE /webhooks/{id}` (admin). */
    deleteWebhook: (id: string) => call<undefined>('DELETE', `/webhooks/${enc(id)}`),
    /** `POST /webhooks/{id}/rotate-secret` (admin): the new secret, shown only this once. */
    rotateWebhookSecret: (id: string) =>
      call<WebhookWithSecret>('POST', `/webhooks/${enc(id)}/rotate-secret`),
    /** `POST /webhooks/{id}/test` (admin): queues a signed ping. */
    testWebhook: (id: string) => call<{ delivery_id: string }>('POST', `/webhooks/${enc(id)}/test`),
    /** `GET /webhooks/{id}/deliveries` (admin): the delivery log, newest first. */
    webhookDeliveries: (id: string, q: { limit?: number; cursor?: string } = {}) =>
      call<WebhookDeliveryPage>('GET', `/webhooks/${enc(id)}/deliveries`, { query: q }),
    /** `GET /accounts/{id}/chat-bindings` (the account's approvers, admins). */
    listChatBindings: (accountId: string) =>
      call<{ bindings: ChatBinding[] }>('GET', `/accounts/${enc(accountId)}/chat-bindings`),
    /** `POST /accounts/{id}/chat-bindings`: bind a Slack or Mattermost incoming webhook. */
    createChatBinding: (accountId: string, input: { kind: 'slack' | 'mattermost'; url: string }) =>
      call<ChatBinding>('POST', `/accounts/${enc(accountId)}/chat-bindings`, { body: input }),
    /** `DELETE /accounts/{id}/chat-bindings/{binding_id}`. */
    deleteChatBinding: (accountId: string, bindingId: string) =>
      call<undefined>('DELETE', `/accounts/${enc(accountId)}/chat-bindings/${enc(bindingId)}`),
    /** `POST /reconcile` (admin): one reconciler pass now; `dry_run` reports without acting. */
    reconcile: ({ dryRun = false }: { dryRun?: boolean } = {}) =>
      call<ReconcileResult>('POST', '/reconcile', { body: { dry_run: dryRun } }),

    /**
     * Reads the request until its status is neither `whileStatus` (default: its first-read status) nor one of
     * `passThrough` (e.g. `approved`, which becomes `active` once provisioned), or `timeoutMs` passes; resolves with
     * the last read and whether the status changed from `whileStatus`. For agents without webhooks. Throws
     * ApiError as `getRequest` does.
     */
    async waitForRequest(
      id: string,
      { whileStatus, passThrough = [], timeoutMs, intervalMs = 1000, signal, onPoll }: WaitOptions,
    ): Promise<{ detail: RequestDetail; changed: boolean; waited_ms: number }> {
      const start = Date.now();
      let detail = await client.getRequest(id);
      const from = whileStatus ?? detail.request.status;
      const waiting = (s: RequestStatus) => s === from || passThrough.includes(s);
      while (waiting(detail.request.status)) {
        const left = timeoutMs - (Date.now() - start);
        if (left <= 0 || signal?.aborted === true) break;
        await onPoll?.(detail.request.status, Date.now() - start);
        await sleep(Math.min(intervalMs, left), signal);
        detail = await client.getRequest(id);
      }
      return { detail, changed: detail.request.status !== from, waited_ms: Date.now() - start };
    },
  };
  return client;
}
