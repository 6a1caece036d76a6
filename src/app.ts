import pino from 'pino';
import { createAccountService } from './accounts/account-service.ts';
import { createNotifyParts, type NotifyOptions } from './app-notify.ts';
import { listAuditEvents } from './audit/query.ts';
import { createReportService } from './audit/reports/report-service.ts';
import { verifyAuditChain } from './audit/verify.ts';
import { createConsoleFederation } from './aws/console-federation.ts';
import { createGrantAws } from './aws/grant-aws.ts';
import { createCachingVerifier, createStsVerifier } from './aws/sts-verifier.ts';
import type { Config } from './config/load-config.ts';
import { grantJobDefinitions } from './grants/grant-jobs.ts';
import { createGrantLifecycle, type GrantSettings } from './grants/grant-lifecycle.ts';
import { createGrantService, type GrantService } from './grants/grant-service.ts';
import type { ConsoleFederation, GrantAws } from './grants/ports.ts';
import { type ReconcileFinding, reconcileGrants } from './grants/reconcile.ts';
import { createReconcileJob } from './grants/reconcile-job.ts';
import type { HttpServices, Log } from './http/context.ts';
import { createApiTokenService } from './identity/api-token-service.ts';
import { createAuthenticator } from './identity/authenticate.ts';
import { type CallerIdentityVerifier, createAwsIamAuthentication } from './identity/aws-iam-auth.ts';
import { createLoginService } from './identity/login-service.ts';
import { createUserService } from './identity/user-service.ts';
import { createJobRunner, type JobRunner } from './jobs/index.ts';
import { type Clock, MINUTE, systemClock } from './lib/clock.ts';
import { createLogger } from './lib/logger.ts';
import { createMailer, type Mailer } from './mail/mailer.ts';
import { createAppMetrics } from './metrics/app-metrics.ts';
import { createRequestService, type RequestService } from './requests/request-service.ts';
import { requestJobDefinitions } from './requests/request-timeout.ts';
import { onAuditCommitted } from './store/audit-commit.ts';
import { createAuditReader } from './store/audit-events-repo.ts';
import type { Database } from './store/database.ts';
import { createGrantStore, createRequestTransactionWithGrants } from './store/grants-store.ts';
import { createIdempotencyStore } from './store/idempotency-keys-repo.ts';
import { createIdentityStore } from './store/identity-store.ts';
import { createJobStore } from './store/jobs-repo.ts';
import { createMetricsReader } from './store/metrics-repo.ts';
import { createRateLimiter } from './store/rate-limits-repo.ts';
import { createReportsRepo } from './store/reports-repo.ts';
import { createRequestStore } from './store/requests-store.ts';

/** What the composition root needs besides config; every field but `database` has a production default. */
export interface AppDeps {
  readonly database: Database;
  readonly clock?: Clock;
  readonly log?: Log;
  /** Default: SMTP from `config.smtp` (pooled), or no mail when unset. */
  readonly mailer?: Mailer;
  /** Default: forwards to `config.auth.stsEndpoint` (aws_iam mode only). Successful answers are cached for 60 s. */
  readonly verifier?: CallerIdentityVerifier;
  /**
   * Provisioning (issue 6): when set, approvals create grants, and `grants` / `jobRunner` are built. `aws`
   * defaults to SDK v3 with the default credential chain (`endpoint` for the local emulator).
   */
  readonly provisioning?: {
    readonly settings: GrantSettings;
    readonly aws?: GrantAws;
    readonly endpoint?: string;
    /** Open connections per AWS endpoint of the default `aws` (`IAM_JIT_AWS_MAX_SOCKETS`). */
    readonly maxSockets?: number;
    /** Default: the AWS federation endpoint (console sign-in URLs). */
    readonly federation?: ConsoleFederation;
  };
  /** Notification knobs (delivery backoff, DNS for the SSRF pre-check); defaults suit production. */
  readonly notify?: NotifyOptions;
}

/** The services plus, when provisioning is configured, the grant service and the job runner (start/stop it). */
export type AppServices = HttpServices & {
  readonly grants?: GrantService;
  readonly jobRunner: JobRunner;
  /** Schedules the periodic reconciler's first run (idempotent across replicas); call after `jobRunner.start()`. */
  readonly startReconciler?: () => Promise<void>;
  /** One reconciler pass now (`POST /api/v1/reconcile`, admin): `dryRun` reports without acting; audited as `actor`. */
  readonly reconcile?: (options: { actor: string; dryRun: boolean }) => Promise<ReconcileFinding[]>;
};

/**
 * A pino logger at the configured level (`IAM_JIT_LOG_LEVEL`), writing JSON lines to stderr by default (stdout
 * stays free for CLI output), with the request id of the current HTTP request and secrets redacted (`createLogger`).
 */
export function createLog(
  config: Pick<Config, 'logLevel'>,
  destination: pino.DestinationStream = pino.destination(2),
): Log {
  return createLogger(config.logLevel, destination);
}

/**
 * Builds the service layer from config (DESIGN.md §2 `app.ts`): identity, accounts and requests over the store, rate limits,
 * idempotency, mail, and `aws_iam` authentication when that mode is configured. Opens no connections itself.
 */
export function createServices(config: Config, deps: AppDeps): AppServices {
  const { database, clock = systemClock } = deps;
  const log = deps.log ?? createLog(config);
  const store = createIdentityStore(database);
  // Metrics observe committed audit events (after commit, never on rollback) and read gauges at scrape time.
  const metrics = createAppMetrics({
    reader: createMetricsReader(database.db),
    onError: (e) => log.warn({ err: e }, 'metrics: store read failed'),
  });
  onAuditCommitted(database.db, metrics.observeCommitted);
  // Jobs enqueued by any use case wake this process's runner (set once the runner exists, before any enqueue).
  const jobOptions: { clock: Clock; onEnqueued?: (at: Date) => void; maxDurationHours?: number } = {
    clock,
    maxDurationHours: config.requests.maxDurationHours,
  };
  const requestStore = createRequestStore(database, { timeouts: jobOptions });
  // The plan reads requests through the request service, which is built below (it needs the grants hand-off).
  let requests: RequestService | undefined;
  const planningRequests: Pick<RequestService, 'get' | 'submit'> = {
    get: (actor, id) => {
      if (requests === undefined) throw new Error('request service not built yet');
      return requests.get(actor, id);
    },
    submit: (actor, input) => {
      if (requests === undefined) throw new Error('request service not built yet');
      return requests.submit(actor, input);
    },
  };
  const grantParts =
    deps.provisioning &&
    createGrantParts(
      deps.provisioning,
      database,
      requestStore,
      jobOptions,
      log,
      config.server.baseUrl,
      planningRequests,
      config.requests.maxDurationHours,
      config.reconcile,
    );
  const requestTransaction = grantParts?.requestTransaction ?? requestStore.transaction;
  const mailer = deps.mailer ?? createMailer(config.smtp);
  const notify = createNotifyParts(config, {
    database,
    clock,
    mailer,
    jobOptions,
    log,
    onAttemptFailed: (channel) => metrics.webhookDeliveryFailed(channel),
    ...(deps.notify === undefined ? {} : { options: deps.notify }),
  });
  // One runner for every job type: approval timeouts always, grant provisioning/expiry when provisioning is on.
  const jobRunner = createJobRunner({
    store: createJobStore(database),
    definitions: [
      ...requestJobDefinitions({ transaction: requestTransaction, clock }),
      ...(grantParts?.jobDefinitions ?? []),
      ...notify.jobDefinitions,
    ],
    clock,
    concurrency: config.jobs.concurrency,
    onDead: async (job, error) => {
      metrics.jobDead(job.type);
      if (job.type.startsWith('grant.') && grantParts !== undefined) await grantParts.onJobDead(job, error);
      else if (await notify.onJobDead(job, error)) return;
      else log.error({ job_id: job.id, job_type: job.type, error }, 'alert: job dead-lettered');
    },
    onError: (e) => log.warn({ err: e }, 'job runner error'),
  });
  jobOptions.onEnqueued = (at) => jobRunner.wake(at);
  requests = createRequestService({
    repos: { requests: requestStore.requests, accounts: requestStore.accounts },
    transaction: requestTransaction,
    clock,
    settings: config.requests,
    risk: {
      extraSensitiveServices: config.risk.extraSensitiveServices,
      extraHighImpactActions: config.risk.extraHighImpactActions,
    },
    checkCallbackTarget: (url) => notify.webhooks.checkTarget(url, 'callback_url'),
  });
  const authenticator = createAuthenticator({
    users: store.users,
    tokens: store.tokens,
    sessions: store.sessions,
    clock,
  });
  const awsIam =
    config.auth.mode === 'aws_iam'
      ? createAwsIamAuthentication({
          verifier: createCachingVerifier(
            deps.verifier ?? createStsVerifier({ endpoint: config.auth.stsEndpoint }),
            {
              clock,
            },
          ),
          authenticator,
          region: config.auth.stsRegion,
          serverId: config.auth.iamServerId,
        })
      : undefined;
  return {
    authenticator,
    awsIam,
    login: createLoginService({
      magicLinks: store.magicLinks,
      sessions: store.sessions,
      transaction: store.transaction,
      clock,
    }),
    users: createUserService({ users: store.users, transaction: store.transaction, clock }),
    tokens: createApiTokenService({
      tokens: store.tokens,
      transaction: store.transaction,
      clock,
      maxTokensPerUser: config.auth.maxTokensPerUser,
    }),
    accounts: createAccountService({
      accounts: requestStore.accounts,
      transaction: requestStore.transaction,
      clock,
    }),
    requests,
    rateLimiter: createRateLimiter(database.db),
    idempotency: createIdempotencyStore(database.db),
    mailer,
    audit: {
      list: (query) => listAuditEvents(createAuditReader(database.db), query),
      verify: () => verifyAuditChain(createAuditReader(database.db)),
    },
    reports: createReportService({ reports: createReportsRepo(database.db, database.dialect), clock }),
    ping: () => database.ping(),
    clock,
    log,
    jobRunner,
    metrics,
    webhooks: notify.webhooks,
    chatBindings: notify.chatBindings,
    ...(grantParts === undefined
      ? {}
      : {
          grants: grantParts.grants,
          startReconciler: grantParts.startReconciler,
          reconcile: grantParts.reconcile,
        }),
  };
}

/** Grant service, grant job types (and their dead-letter alerts) and the request hand-off transaction. */
function createGrantParts(
  provisioning: NonNullable<AppDeps['provisioning']>,
  database: Database,
  requestStore: ReturnType<typeof createRequestStore>,
  options: { clock: Clock; onEnqueued?: (at: Date) => void; maxDurationHours?: number },
  log: Log,
  issuer: string,
  planningRequests: Pick<RequestService, 'get' | 'submit'>,
  maxDurationHours: number,
  reconcileConfig: Config['reconcile'],
) {
  const { clock } = options;
  const grantStore = createGrantStore(database, options);
  const aws =
    provisioning.aws ??
    createGrantAws({
      endpoint: provisioning.endpoint,
      ...(provisioning.maxSockets === undefined ? {} : { maxSockets: provisioning.maxSockets }),
    });
  const alert = (a: { kind: string; grantId: string; message: string }) => log.error(a, `alert: ${a.kind}`);
  const lifecycle = createGrantLifecycle({
    grants: grantStore.grants,
    accounts: requestStore.accounts,
    transaction: grantStore.transaction,
    aws,
    clock,
    settings: provisioning.settings,
    alert,
  });
  const reconcileDeps = {
    grants: grantStore.grants,
    accounts: requestStore.accounts,
    transaction: grantStore.transaction,
    aws,
    clock,
    settings: provisioning.settings,
    onDrift: reconcileConfig.driftAction,
  };
  const reconciler = createReconcileJob(reconcileDeps, {
    everyMs: reconcileConfig.intervalMinutes * MINUTE,
    report: (findings) => {
      if (findings.length > 0) log.warn({ findings }, 'reconciler: drift found and handled');
    },
  });
  return {
    jobDefinitions: [...grantJobDefinitions(lifecycle), reconciler.definition],
    startReconciler: () => reconciler.scheduleFirst(),
    reconcile: (options: { actor: string; dryRun: boolean }) => reconcileGrants(reconcileDeps, options),
    onJobDead: (job: Parameters<typeof lifecycle.onJobDead>[0], error: string) =>
      lifecycle.onJobDead(job, error),
    grants: createGrantService({
      grants: grantStore.grants,
      accounts: requestStore.accounts,
      transaction: grantStore.transaction,
      aws,
      clock,
      federation: provisioning.federation ?? createConsoleFederation(),
      issuer,
      planning: { requests: planningRequests, settings: provisioning.settings },
      extensions: planningRequests,
      maxDurationHours,
    }),
    requestTransaction: createRequestTransactionWithGrants(database, options),
  };
}
