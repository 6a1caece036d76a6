/**
 * The `identity_center` reconciler's view of AWS: the inventory of an account's permission sets (including iam-jit
 * sets of the instance provisioned nowhere, which a crash between CreatePermissionSet and recording its ARN can
 * leave), and removal of an orphan set.
 */
import { type IdentitystoreClient, ListUsersCommand } from '@aws-sdk/client-identitystore';
import {
  DeletePermissionSetCommand,
  DescribePermissionSetCommand,
  GetInlinePolicyForPermissionSetCommand,
  ListAccountAssignmentsCommand,
  ListPermissionSetsProvisionedToAccountCommand,
  ProvisionPermissionSetCommand,
  PutInlinePolicyToPermissionSetCommand,
  ResourceNotFoundException,
  type SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import type { PermissionSetState } from '../grants/ports.ts';
import {
  allPages,
  deleteAssignmentAndSettle,
  instanceOf,
  isGrantPermissionSet,
  listPermissionSets,
  permissionSetTags,
} from './identity-center-calls.ts';

/**
 * The reconciler's inventory of `accountId`: every permission set provisioned to it plus `extraArns` (shared
 * sets) plus the instance's other sets tagged `managed-by=iam-jit` (`provisioned: false`; e.g. one created by a
 * provisioning that died before recording its ARN), each with its name, whether it carries `managed-by=iam-jit`,
 * its inline policy (parsed; undefined when none) and the user names it is assigned to in the account. Sets gone
 * meanwhile are left out.
 */
export async function inspectPermissionSets(
  sso: SSOAdminClient,
  identityStore: IdentitystoreClient,
  accountId: string,
  extraArns: readonly string[],
  signal?: AbortSignal,
): Promise<PermissionSetState[]> {
  const opts = { abortSignal: signal };
  const { instanceArn, identityStoreId } = await instanceOf(sso, signal);
  const provisioned = await allPages(async (NextToken) => {
    const r = await sso.send(
      new ListPermissionSetsProvisionedToAccountCommand({
        InstanceArn: instanceArn,
        AccountId: accountId,
        NextToken,
      }),
      opts,
    );
    return { items: r.PermissionSets ?? [], next: r.NextToken };
  });
  const users = await allPages(async (NextToken) => {
    const r = await identityStore.send(
      new ListUsersCommand({ IdentityStoreId: identityStoreId, NextToken }),
      opts,
    );
    return { items: r.Users ?? [], next: r.NextToken };
  });
  const nameOf = new Map(users.map((u) => [u.UserId, u.UserName]));
  const here = new Set([...provisioned, ...extraArns]);
  const elsewhere = (await listPermissionSets(sso, instanceArn, opts)).filter((arn) => !here.has(arn));
  const out: PermissionSetState[] = [];
  for (const arn of [...here, ...elsewhere]) {
    const ps = { InstanceArn: instanceArn, PermissionSetArn: arn };
    try {
      // Tags first: of the sets not provisioned here, only iam-jit's are of interest.
      const tags = await permissionSetTags(sso, instanceArn, arn, opts);
      // iam-jit's own: both tags every grant set carries (a set tagged managed-by=iam-jit by hand is not).
      const managed =
        tags.some((t) => t.Key === 'managed-by' && t.Value === 'iam-jit') &&
        tags.some((t) => t.Key === 'iam-jit:grant-id' && (t.Value ?? '') !== '');
      if (!here.has(arn) && !managed) continue;
      const described = await sso.send(new DescribePermissionSetCommand(ps), opts);
      const policy = managed
        ? (await sso.send(new GetInlinePolicyForPermissionSetCommand(ps), opts)).InlinePolicy
        : undefined;
      const assigned = await allPages(async (NextToken) => {
        const r = await sso.send(
          new ListAccountAssignmentsCommand({ ...ps, AccountId: accountId, NextToken }),
          opts,
        );
        return { items: r.AccountAssignments ?? [], next: r.NextToken };
      });
      out.push({
        arn,
        name: described.PermissionSet?.Name ?? '',
        managedByIamJit: managed,
        provisioned: provisioned.includes(arn),
        inlinePolicy: policy === undefined || policy === '' ? undefined : (JSON.parse(policy) as unknown),
        userNames: assigned
          .filter((a) => a.PrincipalType === 'USER')
          .map((a) => nameOf.get(a.PrincipalId) ?? `id:${a.PrincipalId ?? ''}`),
      });
    } catch (e) {
      if (!(e instanceof ResourceNotFoundException)) throw e;
    }
  }
  return out;
}

/**
 * Removes an iam-jit permission set that no live grant owns: its policy becomes `denyPolicy` (re-provisioned, so
 * older sessions lose access), every assignment of it in `accountId` is deleted (polled), then the set. Missing
 * pieces count as done.
 */
export async function deletePermissionSet(
  sso: SSOAdminClient,
  accountId: string,
  permissionSetArn: string,
  denyPolicy: Record<string, unknown>,
  signal?: AbortSignal,
): Promise<void> {
  const opts = { abortSignal: signal };
  const { instanceArn } = await instanceOf(sso, signal);
  const ps = { InstanceArn: instanceArn, PermissionSetArn: permissionSetArn };
  try {
    if (!(await isGrantPermissionSet(sso, instanceArn, permissionSetArn, opts)))
      throw new Error(
        `refusing to remove permission set ${permissionSetArn}: it lacks iam-jit's tags (managed-by=iam-jit and iam-jit:grant-id), so iam-jit did not make it`,
      );
    await sso.send(
      new PutInlinePolicyToPermissionSetCommand({ ...ps, InlinePolicy: JSON.stringify(denyPolicy) }),
      opts,
    );
    await sso.send(
      new ProvisionPermissionSetCommand({ ...ps, TargetType: 'AWS_ACCOUNT', TargetId: accountId }),
      opts,
    );
    const assigned = await allPages(async (NextToken) => {
      const r = await sso.send(
        new ListAccountAssignmentsCommand({ ...ps, AccountId: accountId, NextToken }),
        opts,
      );
      return { items: r.AccountAssignments ?? [], next: r.NextToken };
    });
    for (const a of assigned) {
      if (a.PrincipalId === undefined || a.PrincipalType === undefined) continue;
      await deleteAssignmentAndSettle(
        sso,
        ps,
        { PrincipalType: a.PrincipalType, PrincipalId: a.PrincipalId },
        accountId,
        opts,
      );
    }
    await sso.send(new DeletePermissionSetCommand(ps), opts);
  } catch (e) {
    if (!(e instanceof ResourceNotFoundException)) throw e;
  }
}
