/**
 * The zero-setup sandbox `npm start` provisions into: the built-in AWS emulator with a hub account (the broker's
 * user) and one spoke account carrying the shipped least-privilege provisioning role and a permissions boundary —
 * the same shape as a real deployment (deploy/aws), so every grant takes the real code path.
 */
import { randomBytes } from 'node:crypto';
import type { AccountInput } from './accounts/account.ts';
import { spokePolicy, spokeTrustPolicy } from './aws/bootstrap-policies.ts';
import { createGrantAws } from './aws/grant-aws.ts';
import type { GrantSettings } from './grants/grant-lifecycle.ts';
import type { GrantAws } from './grants/ports.ts';
import { createState, type LocalAws, startLocalAws } from './local-aws/index.ts';

export const SANDBOX_HUB = '111111111111';
export const SANDBOX_SPOKE = '222222222222';
const BOUNDARY = 'iam-jit-boundary';

/** What the server needs from the sandbox. */
export interface AwsSandbox {
  readonly aws: LocalAws;
  readonly grantAws: GrantAws;
  readonly settings: GrantSettings;
  /** The spoke, to register as an iam-jit account. */
  readonly account: AccountInput;
}

/**
 * Starts the emulator on 127.0.0.1 (`port` 0 = any free port) with fresh random secrets (the broker's key, the
 * spoke's external id); the boundary allows everything, so a grant's own policy decides what it may do.
 */
export async function startAwsSandbox({
  port = 0,
  approvers = [],
}: {
  port?: number;
  approvers?: readonly string[];
} = {}): Promise<AwsSandbox> {
  const broker = {
    accessKeyId: `AKIA${randomBytes(8).toString('hex').toUpperCase()}`,
    secretAccessKey: randomBytes(30).toString('base64url'),
  };
  const brokerArn = `arn:aws:iam::${SANDBOX_HUB}:user/broker`;
  const externalId = randomBytes(24).toString('base64url');
  const seed = {
    accounts: [
      { id: SANDBOX_HUB, users: [{ name: 'broker', ...broker }] },
      {
        id: SANDBOX_SPOKE,
        policies: [
          {
            name: BOUNDARY,
            document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
          },
        ],
        roles: [
          {
            name: 'iam-jit-provisioner',
            assumeRolePolicyDocument: spokeTrustPolicy(brokerArn, externalId),
            inlinePolicies: { provision: spokePolicy({ account: SANDBOX_SPOKE, boundaryName: BOUNDARY }) },
          },
        ],
      },
    ],
  };
  const aws = await startLocalAws({ state: createState(seed, new Date()), port, host: '127.0.0.1' });
  return {
    aws,
    grantAws: createGrantAws({ endpoint: aws.url, hubCredentials: broker }),
    settings: { vendingPrincipalArn: brokerArn, permissionsBoundaryName: BOUNDARY },
    account: {
      id: SANDBOX_SPOKE,
      name: 'Sandbox (local AWS emulator)',
      environment: 'sandbox',
      spokeRoleArn: `arn:aws:iam::${SANDBOX_SPOKE}:role/iam-jit-provisioner`,
      externalId,
      approvers,
      maxDurationHours: 8,
    },
  };
}
