// Grants end-to-end harness: a two-account emulator (hub 111111111111 with the broker user, spoke 222222222222 with
// the tag-scoped provisioning role and the permissions boundary), the request and grant services over the suite's
// database, and a job runner driven by a fake clock.
import { type AccountService, createAccountService } from '../../src/accounts/account-service.ts';
import { spokePolicy, spokeTrustPolicy } from '../../src/aws/bootstrap-policies.ts';
import { createConsoleFederation } from '../../src/aws/console-federation.ts';
import { createGrantAws } from '../../src/aws/grant-aws.ts';
import { grantJobDefinitions } from '../../src/grants/grant-jobs.ts';
import { createGrantLifecycle, type GrantLifecycle } from '../../src/grants/grant-lifecycle.ts';
import { createGrantService, type GrantService } from '../../src/grants/grant-service.ts';
import type { AlertSink, GrantAws } from '../../src/grants/ports.ts';
import { createJobRunner, type JobRunner } from '../../src/jobs/index.ts';
import { createFakeClock, type FakeClock } from '../../src/lib/clock.ts';
import { createState, type LocalAws, type StateSeed, startLocalAws } from '../../src/local-aws/index.ts';
import { sdkClients } from '../../src/local-aws/testing.ts';
import type { Actor } from '../../src/requests/request-rules.ts';
import { createRequestService, type RequestService } from '../../src/requests/request-service.ts';
import { createAuditReader } from '../../src/store/audit-events-repo.ts';
import { createGrantStore, createRequestTransactionWithGrants } from '../../src/store/grants-store.ts';
import { createJobStore } from '../../src/store/jobs-repo.ts';
import { createRequestStore } from '../../src/store/requests-store.ts';
import type { DialectContext } from '../support/dialects.ts';

export const HUB = '111111111111';
export const SPOKE = '222222222222';
export const IC_ACCOUNT = '333333333333';
export const IC_ROLE_ARN = `arn:aws:iam::${IC_ACCOUNT}:role/iam-jit-provisioner`;
export const EXTERNAL_ID = 'x7Rk2pQ9-random-external-id';
export const BROKER_ARN = `arn:aws:iam::${HUB}:user/broker`;
export const SPOKE_ROLE_ARN = `arn:aws:iam::${SPOKE}:role/iam-jit-provisioner`;
export const BOUNDARY = 'iam-jit-boundary';
export const HUB_CREDENTIALS = { accessKeyId: 'AKIABROKER0000000000', secretAccessKey: 'broker-secret' };

export const alice: Actor = { id: 'email:alice@example.com', roles: ['requester'] };
export const bob: Actor = { id: 'email:bob@example.com', roles: ['requester', 'approver'] };
export const eve: Actor = { id: 'email:eve@example.com', roles: ['requester'] };

/** The boundary: read-only IAM listing and sso:ListInstances (a regional action; the grant's own policy decides within it). */
const boundaryPolicy = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: ['iam:List*', 'iam:Get*', 'sso:ListInstances'], Resource: '*' }],
};

/** Emulator state with the hub and the spoke. */
export function twoAccountState(now: Date) {
  return createState(twoAccountSeed(), now);
}

/** The seed of `twoAccountState` (for `iam-jit local-aws --state`). */
export function twoAccountSeed(): StateSeed {
  return {
    accounts: [
      { id: HUB, users: [{ name: 'broker', ...HUB_CREDENTIALS }] },
      {
        id: SPOKE,
        policies: [{ name: BOUNDARY, document: boundaryPolicy }],
        roles: [
          {
            name: 'iam-jit-provisioner',
            // The shipped least-privilege spoke policy (deploy/aws, `iam-jit bootstrap print-policy --spoke`).
            assumeRolePolicyDocument: spokeTrustPolicy(BROKER_ARN, EXTERNAL_ID),
            inlinePolicies: { provision: spokePolicy({ account: SPOKE, boundaryName: BOUNDARY }) },
          },
        ],
      },
      {
        // An account whose Identity Center instance iam-jit provisions (identity_center mode).
        id: IC_ACCOUNT,
        roles: [
          {
            name: 'iam-jit-provisioner',
            assumeRolePolicyDocument: spokeTrustPolicy(BROKER_ARN, EXTERNAL_ID),
            inlinePolicies: {
              provision: {
                Version: '2012-10-17',
                Statement: [{ Effect: 'Allow', Action: ['sso:*', 'identitystore:*'], Resource: '*' }],
              },
            },
          },
        ],
        identityCenter: {
          users: [
            { userName: 'alice@example.com', displayName: 'Alice' },
            { userName: 'dana@example.com', displayName: 'Dana (assigned by an admin, not through iam-jit)' },
          ],
        },
      },
    ],
  };
}

/**
 * Stands in for the AWS federation endpoint: answers getSigninToken with a token naming the session's access key, so
 * a test can see which credentials were federated.
 */
const fakeFederation = (async (url: string) => {
  const q = new URL(url).searchParams;
  const session = JSON.parse(q.get('Session') ?? '{}') as {
    sessionId?: string;
    sessionKey?: string;
    sessionToken?: string;
  };
  if (
    q.get('Action') !== 'getSigninToken' ||
    !session.sessionId ||
    !session.sessionKey ||
    !session.sessionToken
  )
    return new Response('bad request', { status: 400 });
  return Response.json({ SigninToken: `token-for-${session.sessionId}` });
}) as unknown as typeof fetch;

const unused = async (): Promise<never> => {
  throw new Error('not used by this test');
};

/** A GrantAws port whose every call fails: tests spread it and replace the calls they hold or count. */
export const unusedAws: GrantAws = {
  provisionRole: unused,
  deleteRole: unused,
  provisionAssignment: unused,
  deleteAssignment: unused,
  listGrantRoles: unused,
  getGrantPolicy: unused,
  vendCredentials: unused,
};

export interface GrantHarness {
  readonly aws: LocalAws;
  readonly clock: FakeClock;
  readonly requests: RequestService;
  readonly grants: GrantService;
  readonly lifecycle: GrantLifecycle;
  /** The account service over the suite's database (e.g. to set an account's `permissionSetArn`). */
  readonly accounts: AccountService;
  /** The lifecycle's next transaction does its work and then rolls back, as if the process died at the commit. */
  crashNextCommit(): void;
  /**
   * The lifecycle's next recording of a freshly created permission set's ARN fails, as if the process died between
   * CreatePermissionSet and that write.
   */
  crashNextArnRecord(): void;
  readonly runner: JobRunner;
  readonly alerts: Parameters<AlertSink>[0][];
  /** Admin SDK clients in the spoke (root: not policy-checked) to inspect what provisioning did. */
  readonly spokeAdmin: ReturnType<typeof sdkClients>;
  auditActions(subject: string): Promise<string[]>;
  close(): Promise<void>;
}

/** Starts the emulator and builds the services over the suite's database; seeds the spoke account. */
export async function startGrantHarness(ctx: DialectContext): Promise<GrantHarness> {
  const clock = createFakeClock(new Date(Math.floor(Date.now() / 1000) * 1000));
  const aws = await startLocalAws({ state: twoAccountState(clock.now()), now: () => clock.now() });
  const database = ctx.database;
  const options = { clock, onEnqueued: undefined as ((at: Date) => void) | undefined };
  const requestStore = createRequestStore(database);
  const grantStore = createGrantStore(database, options);
  const awsPort = createGrantAws({
    endpoint: aws.url,
    hubCredentials: HUB_CREDENTIALS,
    maxAttempts: 1,
    now: () => clock.now(),
  });
  const alerts: Parameters<AlertSink>[0][] = [];
  let crashNextCommit = false;
  let crashNextArnRecord = false;
  const lifecycle = createGrantLifecycle({
    grants: {
      ...grantStore.grants,
      // The ARN of a new permission set is recorded on the still-pending grant (grant-lifecycle.ts).
      update: (id, version, change, at) => {
        if (crashNextArnRecord && change.status === 'pending' && change.roleArn != null) {
          crashNextArnRecord = false;
          return Promise.reject(new Error('process killed after CreatePermissionSet'));
        }
        return grantStore.grants.update(id, version, change, at);
      },
    },
    accounts: requestStore.accounts,
    // Simulates the process dying at the commit: the work runs, then the transaction rolls back.
    transaction: (work) => {
      if (!crashNextCommit) return grantStore.transaction(work);
      crashNextCommit = false;
      return grantStore.transaction(async (tx) => {
        await work(tx);
        throw new Error('process killed before the commit');
      });
    },
    aws: awsPort,
    clock,
    settings: { vendingPrincipalArn: BROKER_ARN, permissionsBoundaryName: BOUNDARY },
    alert: (a) => alerts.push(a),
  });
  const runner = createJobRunner({
    store: createJobStore(database),
    definitions: grantJobDefinitions(lifecycle),
    clock,
    random: () => 0,
    onDead: (job, error) => lifecycle.onJobDead(job, error),
  });
  const accounts = createAccountService({
    accounts: requestStore.accounts,
    transaction: requestStore.transaction,
    clock,
  });
  await accounts.create(
    {
      id: SPOKE,
      name: 'Spoke',
      environment: 'nonprod',
      approvers: [bob.id],
      spokeRoleArn: SPOKE_ROLE_ARN,
      externalId: EXTERNAL_ID,
    },
    'system',
  );
  const requests = createRequestService({
    repos: requestStore,
    transaction: createRequestTransactionWithGrants(database, options),
    clock,
    settings: {
      maxDurationHours: 12,
      defaultDurationHours: 1,
      requireJustification: true,
      approvalTimeoutHours: 24,
      maxOpenPerUser: 20,
    },
  });
  const grants = createGrantService({
    grants: grantStore.grants,
    accounts: requestStore.accounts,
    transaction: grantStore.transaction,
    aws: awsPort,
    clock,
    federation: createConsoleFederation({
      endpoint: 'https://signin.test/federation',
      fetch: fakeFederation,
    }),
    issuer: 'https://iam-jit.test',
  });
  const root = aws.state.accounts[SPOKE];
  if (root === undefined) throw new Error('spoke account missing');
  const spokeAdmin = sdkClients(aws.url, {
    accessKeyId: `AKIA${SPOKE}ROOT`,
    secretAccessKey: `local-aws-root-secret-${SPOKE}`,
  });
  const reader = createAuditReader(database.db);
  return {
    aws,
    clock,
    requests,
    grants,
    lifecycle,
    accounts,
    crashNextCommit: () => {
      crashNextCommit = true;
    },
    crashNextArnRecord: () => {
      crashNextArnRecord = true;
    },
    runner,
    alerts,
    spokeAdmin,
    auditActions: async (subject) => (await reader.list({ subject }, 0, 500)).map((r) => r.action),
    close: () => aws.close(),
  };
}
