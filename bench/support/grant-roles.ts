// Grant roles for the AWS benches: a bench grant (active iam_role grant in the spoke) and its role created in the
// emulator as provisioning would leave it (trust, boundary, tags, time-bound inline policy), as root so the setup is
// not policy-checked.
import { CreateRoleCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import type { Grant } from '../../src/grants/grant.ts';
import { type GrantSettings, roleSpecFor } from '../../src/grants/grant-lifecycle.ts';
import type { sdkClients } from '../../src/local-aws/testing.ts';
import { SPOKE } from '../../test/grants/harness.ts';

/** An `active` `iam_role` grant `id` in the spoke allowing `iam:ListRoles`, ending at `notAfter`. */
export function benchGrant(id: string, options: { now: Date; notAfter: Date; requestId: string }): Grant {
  const { now, notAfter, requestId } = options;
  return {
    id,
    requestId,
    accountId: SPOKE,
    requesterId: 'email:alice@example.com',
    approverIds: ['email:bob@example.com'],
    revision: 1,
    mode: 'iam_role',
    status: 'active',
    policy: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'iam:ListRoles', Resource: '*' }],
    },
    notBefore: now,
    notAfter,
    roleName: `iam-jit-${id}`,
    roleArn: `arn:aws:iam::${SPOKE}:role/iam-jit/iam-jit-${id}`,
    activatedAt: now,
    endedAt: null,
    endReason: null,
    revokedBy: null,
    revokeReason: null,
    version: 1,
    createdAt: now,
    updatedAt: now,
    regions: null,
  };
}

/** Creates the roles of `grants` with `admin` (the spoke's root clients), 25 at a time. */
export async function createGrantRoles(
  admin: ReturnType<typeof sdkClients>,
  grants: readonly Grant[],
  settings: GrantSettings,
): Promise<void> {
  for (let i = 0; i < grants.length; i += 25)
    await Promise.all(
      grants.slice(i, i + 25).map(async (g) => {
        const spec = roleSpecFor(g, settings);
        await admin.iam.send(
          new CreateRoleCommand({
            RoleName: spec.roleName,
            Path: spec.path,
            AssumeRolePolicyDocument: JSON.stringify(spec.trustPolicy),
            PermissionsBoundary: spec.permissionsBoundaryArn ?? undefined,
            Tags: Object.entries(spec.tags).map(([Key, Value]) => ({ Key, Value })),
          }),
        );
        await admin.iam.send(
          new PutRolePolicyCommand({
            RoleName: spec.roleName,
            PolicyName: spec.inlinePolicyName,
            PolicyDocument: JSON.stringify(spec.inlinePolicy),
          }),
        );
      }),
    );
}
