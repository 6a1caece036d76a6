// The grants through the composed app (app.ts + the HTTP app) against the emulator: seeded users with tokens
// (alice requester, bob approver of the spoke, carol second approver, eve outsider, root admin), a JSON `call`
// helper, and `grantFor` to submit, approve and provision a request over HTTP.
import { type AppServices, createServices } from '../../src/app.ts';
import { createGrantAws } from '../../src/aws/grant-aws.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { createHttpApp } from '../../src/http/app.ts';
import { silentLog } from '../../src/http/context.ts';
import { createFakeClock, type FakeClock } from '../../src/lib/clock.ts';
import { type LocalAws, startLocalAws } from '../../src/local-aws/index.ts';
import { sdkClients } from '../../src/local-aws/testing.ts';
import type { DialectContext } from '../support/dialects.ts';
import { type SeededUser, seedUser } from '../support/identity-fixtures.ts';
import {
  BOUNDARY,
  BROKER_ARN,
  EXTERNAL_ID,
  HUB_CREDENTIALS,
  SPOKE,
  SPOKE_ROLE_ARN,
  twoAccountState,
} from './harness.ts';

export interface AppHarness {
  /** The emulator (undefined when the harness runs against another target such as moto_server). */
  readonly aws: LocalAws;
  /** The AWS endpoint provisioning talks to. */
  readonly url: string;
  /** The destination account (`222222222222` in the emulator). */
  readonly accountId: string;
  readonly clock: FakeClock;
  readonly services: AppServices;
  readonly app: ReturnType<typeof createHttpApp>;
  readonly users: Record<'alice' | 'bob' | 'carol' | 'eve' | 'root', SeededUser>;
  /** Admin SDK clients in the spoke (root: not policy-checked). */
  readonly spokeAdmin: ReturnType<typeof sdkClients>;
  call(
    method: string,
    path: string,
    who: SeededUser,
    body?: unknown,
  ): Promise<{ status: number; body: Record<string, unknown> }>;
  /** Runs due jobs. */
  runDue(): Promise<number>;
  /** Submits `body` as alice, approves it as bob (and `alsoApprove`), provisions; returns the request and grant. */
  grantFor(body: Record<string, unknown>): Promise<{ requestId: string; grant: Record<string, unknown> }>;
  close(): Promise<void>;
}

/** Another AWS target (moto_server): its URL, the spoke account, hub keys and admin keys; the spoke role exists. */
export interface AwsTarget {
  readonly url: string;
  readonly accountId: string;
  readonly hubCredentials: { accessKeyId: string; secretAccessKey: string };
  readonly adminCredentials: { accessKeyId: string; secretAccessKey: string };
  /** The hub principal's ARN (trusted by grant roles). */
  readonly brokerArn: string;
}

/**
 * Starts the emulator (or uses `target`) and the app over the suite's database; `env` adds configuration
 * variables; `quorum` is the spoke account's number of approvals.
 */
export async function startAppHarness(
  ctx: DialectContext,
  {
    env = {},
    quorum = 1,
    target,
  }: { env?: Record<string, string>; quorum?: number; target?: AwsTarget } = {},
): Promise<AppHarness> {
  const clock = createFakeClock(new Date(Math.floor(Date.now() / 1000) * 1000));
  const aws =
    target === undefined
      ? await startLocalAws({ state: twoAccountState(clock.now()), now: () => clock.now() })
      : undefined;
  const url = target?.url ?? (aws as LocalAws).url;
  const accountId = target?.accountId ?? SPOKE;
  const config = loadConfig({ IAM_JIT_DEV_MODE: 'true', IAM_JIT_LOG_LEVEL: 'silent', ...env });
  const services = createServices(config, {
    database: ctx.database,
    log: silentLog,
    clock,
    provisioning: {
      settings: { vendingPrincipalArn: target?.brokerArn ?? BROKER_ARN, permissionsBoundaryName: BOUNDARY },
      aws: createGrantAws({
        endpoint: url,
        hubCredentials: target?.hubCredentials ?? HUB_CREDENTIALS,
        maxAttempts: 1,
        now: () => clock.now(),
      }),
    },
  });
  const app = createHttpApp(services, config);
  const users = {
    alice: await seedUser(ctx.database, { id: 'email:alice@example.com' }),
    bob: await seedUser(ctx.database, { id: 'email:bob@example.com', roles: ['requester', 'approver'] }),
    carol: await seedUser(ctx.database, { id: 'email:carol@example.com', roles: ['requester', 'approver'] }),
    eve: await seedUser(ctx.database, { id: 'email:eve@example.com' }),
    root: await seedUser(ctx.database, { id: 'email:root@example.com', roles: ['requester', 'admin'] }),
  };
  await services.accounts.create(
    {
      id: accountId,
      name: 'Spoke',
      environment: 'nonprod',
      approvers: [users.bob.user.id, users.carol.user.id],
      requiredApprovals: quorum,
      spokeRoleArn:
        target === undefined ? SPOKE_ROLE_ARN : `arn:aws:iam::${accountId}:role/iam-jit-provisioner`,
      externalId: EXTERNAL_ID,
    },
    'system',
  );
  const spokeAdmin = sdkClients(
    url,
    target?.adminCredentials ?? {
      accessKeyId: `AKIA${SPOKE}ROOT`,
      secretAccessKey: `local-aws-root-secret-${SPOKE}`,
    },
  );
  async function call(method: string, path: string, who: SeededUser, body?: unknown) {
    const res = await app.request(path, {
      method,
      headers: {
        authorization: `Bearer ${who.token}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }
  const runDue = () => services.jobRunner.runDue();
  return {
    aws: aws as LocalAws,
    url,
    accountId,
    clock,
    services,
    app,
    users,
    spokeAdmin,
    call,
    runDue,
    async grantFor(body) {
      const submitted = await call('POST', '/api/v1/requests', users.alice, {
        account_ids: [accountId],
        ...body,
      });
      if (submitted.status !== 201) throw new Error(`submit: ${JSON.stringify(submitted.body)}`);
      const requestId = (submitted.body.request as Record<string, unknown>).id as string;
      for (const who of quorum > 1 ? [users.bob, users.carol] : [users.bob]) {
        const approved = await call('POST', `/api/v1/requests/${requestId}/approve`, who, {});
        if (approved.status !== 200) throw new Error(`approve: ${JSON.stringify(approved.body)}`);
      }
      await runDue();
      const listed = await call('GET', `/api/v1/grants?request_id=${requestId}`, users.alice);
      const grant = (listed.body.items as Record<string, unknown>[])[0];
      if (grant === undefined) throw new Error('no grant');
      return { requestId, grant };
    },
    async close() {
      await services.mailer.close();
      await aws?.close();
    },
  };
}
