import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AccountService } from '../accounts/account-service.ts';
import type { AuditListQuery, AuditPage } from '../audit/query.ts';
import type { ReportService } from '../audit/reports/report-service.ts';
import type { AuditVerifyResult } from '../audit/verify.ts';
import type { Config } from '../config/load-config.ts';
import type { ApiTokenService } from '../identity/api-token-service.ts';
import type { Authenticator, Principal } from '../identity/authenticate.ts';
import type { AwsIamFailure, SignedIdentityRequest } from '../identity/aws-iam-auth.ts';
import type { LoginService } from '../identity/login-service.ts';
import type { UserService } from '../identity/user-service.ts';
import type { Clock } from '../lib/clock.ts';
import type { Result } from '../lib/result.ts';
import type { Mailer } from '../mail/mailer.ts';
import type { AppMetrics } from '../metrics/app-metrics.ts';
import type { ChatBindingService } from '../notify/chat-binding-service.ts';
import type { WebhookService } from '../notify/webhook-service.ts';
import type { RequestService } from '../requests/request-service.ts';
import type { IdempotencyStore } from '../store/idempotency-keys-repo.ts';
import type { RateLimiter } from '../store/rate-limits-repo.ts';

/** Structured log lines (pino-compatible subset). */
export interface Log {
  info(fields: object, message?: string): void;
  warn(fields: object, message?: string): void;
  error(fields: object, message?: string): void;
}

/** A log that drops everything (tests that do not look at logs). */
export const silentLog: Log = { info: () => {}, warn: () => {}, error: () => {} };

/** `aws_iam` authentication as the edge uses it (see `createAwsIamAuthentication`). */
export interface AwsIamAuthentication {
  authenticate(request: SignedIdentityRequest): Promise<Result<Principal, AwsIamFailure>>;
}

/**
 * Everything the HTTP edge calls. Built by `app.ts` (the composition root); tests build the same services over the
 * real store. Domain services of other issues are added here as fields when their routes are mounted.
 */
export interface HttpServices {
  readonly authenticator: Authenticator;
  /** Present in `aws_iam` auth mode only. */
  readonly awsIam?: AwsIamAuthentication | undefined;
  readonly login: LoginService;
  readonly users: UserService;
  readonly tokens: ApiTokenService;
  readonly accounts: AccountService;
  readonly requests: RequestService;
  readonly rateLimiter: RateLimiter;
  readonly idempotency: IdempotencyStore;
  readonly mailer: Mailer;
  /** Reads the hash-chained audit log (`GET /api/v1/audit`). */
  readonly audit: {
    list(query: AuditListQuery): Promise<AuditPage>;
    /** Walks the whole chain (`verifyAuditChain`): OK with the head, or the first bad seq (the admin audit page). */
    verify(): Promise<AuditVerifyResult>;
  };
  /** Compliance reports (`GET /api/v1/reports/*`, admin). */
  readonly reports: ReportService;
  /** True when the database answers (for `/readyz`). */
  ping(): Promise<boolean>;
  readonly clock: Clock;
  readonly log: Log;
  /** The app's Prometheus metrics (`/metrics`); `createHttpApp` makes HTTP-only ones when absent. */
  readonly metrics?: AppMetrics;
  /** Webhook subscriptions (admin) and per-account chat bindings (docs/notifications.md). */
  readonly webhooks: WebhookService;
  readonly chatBindings: ChatBindingService;
}

/** Per-request values set by middleware. */
export interface ApiVariables {
  /** Set by the auth middleware on every authenticated route. */
  principal: Principal;
}

/** The Hono environment of the API app. */
export interface ApiEnv {
  Variables: ApiVariables;
}

/** The OpenAPI-aware Hono app routes are registered on. */
export type ApiApp = OpenAPIHono<ApiEnv>;

/** What a route-registration function receives. */
export interface RouteDeps {
  readonly services: HttpServices;
  readonly config: Config;
}

/** A route-registration function: adds routes (with `createRoute`, so they appear in OpenAPI) to the app. */
export type RegisterRoutes = (app: ApiApp, deps: RouteDeps) => void;
