// Shared set-up for request tests: accounts, actors and a service over the real store.
import { type AccountService, createAccountService } from '../../src/accounts/account-service.ts';
import { createFakeClock, type FakeClock } from '../../src/lib/clock.ts';
import type { RequestSettings } from '../../src/requests/request-input.ts';
import type { Actor } from '../../src/requests/request-rules.ts';
import { createRequestService, type RequestService } from '../../src/requests/request-service.ts';
import type { DialectContext } from '../support/dialects.ts';
import { requestStoreFor } from './stores.ts';

export const PROD = '111122223333';
export const DEV = '444455556666';
export const QUORUM2 = '777788889999';

export const alice: Actor = { id: 'email:alice@x.com', roles: ['requester'] };
export const eve: Actor = { id: 'email:eve@x.com', roles: ['requester'] };
export const bob: Actor = { id: 'email:bob@x.com', roles: ['requester', 'approver'] };
export const carol: Actor = { id: 'email:carol@x.com', roles: ['requester', 'approver'] };
/** Holds the approver role but approves for no account. */
export const dave: Actor = { id: 'email:dave@x.com', roles: ['requester', 'approver'] };
export const admin: Actor = { id: 'email:admin@x.com', roles: ['requester', 'approver', 'admin'] };

export const DEFAULT_SETTINGS: RequestSettings = {
  maxDurationHours: 12,
  defaultDurationHours: 1,
  requireJustification: true,
  approvalTimeoutHours: 24,
  maxOpenPerUser: 20,
};

export const READ_POLICY = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::orders/*' }],
};

/** Creates PROD (bob approves, quorum 1, max 8 h), DEV (bob, carol) and QUORUM2 (bob and carol, quorum 2). */
export async function seedAccounts(accounts: AccountService): Promise<void> {
  await accounts.create(
    {
      id: PROD,
      name: 'Prod',
      environment: 'prod',
      approvers: [bob.id],
      maxDurationHours: 8,
    },
    admin.id,
  );
  await accounts.create(
    { id: DEV, name: 'Dev', environment: 'nonprod', approvers: [bob.id, carol.id] },
    admin.id,
  );
  await accounts.create(
    {
      id: QUORUM2,
      name: 'Payments',
      environment: 'prod',
      approvers: [bob.id, carol.id],
      requiredApprovals: 2,
    },
    admin.id,
  );
}

/** A request service over the suite's database with a fake clock. */
export function makeServices(
  ctx: DialectContext,
  settings: Partial<RequestSettings> = {},
): { service: RequestService; accounts: AccountService; clock: FakeClock } {
  const store = requestStoreFor(ctx);
  const clock = createFakeClock('2026-05-01T09:00:00.000Z');
  const accounts = createAccountService({ accounts: store.accounts, transaction: store.transaction, clock });
  const service = createRequestService({
    repos: store,
    transaction: store.transaction,
    clock,
    settings: { ...DEFAULT_SETTINGS, ...settings },
  });
  return { service, accounts, clock };
}
