/**
 * `identity_center` provisioning over SDK v3 (SSO Admin, Identity Store): a per-grant permission set carrying the
 * time-bounded policy, provisioned to the account and assigned to the user's Identity Center user; revocation
 * replaces the policy with a deny for older sessions, re-provisions, removes the assignment, then the permission set.
 * Assignment operations are asynchronous (`IN_PROGRESS`): they are polled until they settle.
 */
import { GetUserIdCommand, type IdentitystoreClient, ListUsersCommand } from '@aws-sdk/client-identitystore';
import {
  ConflictException,
  CreateAccountAssignmentCommand,
  CreatePermissionSetCommand,
  DeleteAccountAssignmentCommand,
  DeletePermissionSetCommand,
  DescribeAccountAssignmentCreationStatusCommand,
  DescribeAccountAssignmentDeletionStatusCommand,
  DescribePermissionSetCommand,
  GetInlinePolicyForPermissionSetCommand,
  ListAccountAssignmentsCommand,
  ListInstancesCommand,
  ListPermissionSetsProvisionedToAccountCommand,
  ListTagsForResourceCommand,
  type PrincipalType,
  ProvisionPermissionSetCommand,
  PutInlinePolicyToPermissionSetCommand,
  ResourceNotFoundException,
  type SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import type { AssignmentSpec, PermissionSetState } from '../grants/ports.ts';

const POLL_LIMIT = 120;
const POLL_MS = 250;

async function instanceOf(sso: SSOAdminClient, signal?: AbortSignal) {
  const out = await sso.send(new ListInstancesCommand({}), { abortSignal: signal });
  const first = out.Instances?.[0];
  if (first?.InstanceArn === undefined || first.IdentityStoreId === undefined)
    throw new Error('no Identity Center instance is visible to the provisioning role');
  return { instanceArn: first.InstanceArn, identityStoreId: first.IdentityStoreId };
}

async function settle(
  poll: () => Promise<{ Status?: string; FailureReason?: string } | undefined>,
  what: string,
): Promise<void> {
  for (let i = 0; i < POLL_LIMIT; i++) {
    const status = await poll();
    if (status?.Status === 'SUCCEEDED') return;
    if (status?.Status === 'FAILED')
      throw new Error(`${what} failed: ${status.FailureReason ?? 'no reason given'}`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  throw new Error(`${what} did not settle within ${(POLL_LIMIT * POLL_MS) / 1000} s`);
}

/**
 * Deletes one account assignment of the permission set `ps` and polls until AWS reports it settled. Throws on a
 * FAILED status or when it does not settle in time; SDK errors (e.g. ResourceNotFoundException) propagate.
 */
async function deleteAssignmentAndSettle(
  sso: SSOAdminClient,
  ps: { InstanceArn: string; PermissionSetArn: string },
  principal: { PrincipalType: PrincipalType; PrincipalId: string },
  accountId: string,
  opts: { abortSignal?: AbortSignal },
): Promise<void> {
  const started = await sso.send(
    new DeleteAccountAssignmentCommand({
      ...ps,
      ...principal,
      TargetType: 'AWS_ACCOUNT',
      TargetId: accountId,
    }),
    opts,
  );
  const requestId = started.AccountAssignmentDeletionStatus?.RequestId;
  if (requestId === undefined) return;
  await settle(
    async () =>
      (
        await sso.send(
          new DescribeAccountAssignmentDeletionStatusCommand({
            InstanceArn: ps.InstanceArn,
            AccountAssignmentDeletionRequestId: requestId,
          }),
          opts,
        )
      ).AccountAssignmentDeletionStatus,
    'DeleteAccountAssignment',
  );
}

/**
 * Creates (or, given `existingPermissionSetArn`, reuses) the grant's permission set, puts the policy, provisions it
 * to the account and assigns it to the user. `onPermissionSetCreated` is called right after creation so the caller
 * can record the ARN before anything else can fail (a retry then reuses it). Returns the permission set ARN.
 */
export async function provisionAssignment(
  sso: SSOAdminClient,
  identityStore: IdentitystoreClient,
  spec: AssignmentSpec,
  {
    existingPermissionSetArn,
    onPermissionSetCreated,
    signal,
    shared = false,
  }: {
    existingPermissionSetArn: string | null;
    onPermissionSetCreated: (arn: string) => Promise<void>;
    signal?: AbortSignal;
    /** An admin-chosen permission set shared by grants: only the assignment is created; the set is never changed. */
    shared?: boolean;
  },
): Promise<string> {
  const opts = { abortSignal: signal };
  const { instanceArn, identityStoreId } = await instanceOf(sso, signal);
  const user = await identityStore.send(
    new GetUserIdCommand({
      IdentityStoreId: identityStoreId,
      AlternateIdentifier: { UniqueAttribute: { AttributePath: 'userName', AttributeValue: spec.userName } },
    }),
    opts,
  );
  if (user.UserId === undefined) throw new Error(`Identity Center user ${spec.userName} not found`);
  let arn = existingPermissionSetArn;
  if (arn === null) {
    if (shared) throw new Error('a shared permission set needs its ARN');
    const created = await sso.send(
      new CreatePermissionSetCommand({
        InstanceArn: instanceArn,
        Name: spec.permissionSetName,
        Description: spec.description,
        SessionDuration: 'PT1H',
        Tags: Object.entries(spec.tags).map(([Key, Value]) => ({ Key, Value })),
      }),
      opts,
    );
    arn = created.PermissionSet?.PermissionSetArn ?? null;
    if (arn === null) throw new Error('CreatePermissionSet returned no ARN');
    await onPermissionSetCreated(arn);
  }
  if (!shared) {
    await sso.send(
      new PutInlinePolicyToPermissionSetCommand({
        InstanceArn: instanceArn,
        PermissionSetArn: arn,
        InlinePolicy: JSON.stringify(spec.inlinePolicy),
      }),
      opts,
    );
    await sso.send(
      new ProvisionPermissionSetCommand({
        InstanceArn: instanceArn,
        PermissionSetArn: arn,
        TargetType: 'AWS_ACCOUNT',
        TargetId: spec.accountId,
      }),
      opts,
    );
  }
  const started = await sso.send(
    new CreateAccountAssignmentCommand({
      InstanceArn: instanceArn,
      PermissionSetArn: arn,
      PrincipalType: 'USER',
      PrincipalId: user.UserId,
      TargetType: 'AWS_ACCOUNT',
      TargetId: spec.accountId,
    }),
    opts,
  );
  const requestId = started.AccountAssignmentCreationStatus?.RequestId;
  if (requestId !== undefined)
    await settle(
      async () =>
        (
          await sso.send(
            new DescribeAccountAssignmentCreationStatusCommand({
              InstanceArn: instanceArn,
              AccountAssignmentCreationRequestId: requestId,
            }),
            opts,
          )
        ).AccountAssignmentCreationStatus,
      'CreateAccountAssignment',
    );
  return arn;
}

/**
 * Ends the grant's Identity Center access: the policy becomes `denyPolicy` (re-provisioned, so sessions already
 * issued lose access), the assignment is deleted (waiting for it to settle), then the permission set. Missing
 * pieces count as done.
 */
export async function deleteAssignment(
  sso: SSOAdminClient,
  identityStore: IdentitystoreClient,
  spec: Pick<AssignmentSpec, 'userName' | 'accountId'>,
  permissionSetArn: string,
  denyPolicy: Record<string, unknown> | null,
  signal?: AbortSignal,
): Promise<void> {
  const opts = { abortSignal: signal };
  const { instanceArn, identityStoreId } = await instanceOf(sso, signal);
  const ps = { InstanceArn: instanceArn, PermissionSetArn: permissionSetArn };
  // denyPolicy null: a shared permission set, never modified or deleted; only the assignment goes.
  if (denyPolicy !== null)
    try {
      await sso.send(
        new PutInlinePolicyToPermissionSetCommand({ ...ps, InlinePolicy: JSON.stringify(denyPolicy) }),
        opts,
      );
      await sso.send(
        new ProvisionPermissionSetCommand({ ...ps, TargetType: 'AWS_ACCOUNT', TargetId: spec.accountId }),
        opts,
      );
    } catch (e) {
      if (e instanceof ResourceNotFoundException) return;
      throw e;
    }
  const user = await identityStore
    .send(
      new GetUserIdCommand({
        IdentityStoreId: identityStoreId,
        AlternateIdentifier: {
          UniqueAttribute: { AttributePath: 'userName', AttributeValue: spec.userName },
        },
      }),
      opts,
    )
    .catch((e: unknown) => {
      if (e instanceof Error && e.name === 'ResourceNotFoundException') return { UserId: undefined };
      throw e;
    });
  if (user.UserId !== undefined) {
    try {
      await deleteAssignmentAndSettle(
        sso,
        ps,
        { PrincipalType: 'USER', PrincipalId: user.UserId },
        spec.accountId,
        opts,
      );
    } catch (e) {
      if (!(e instanceof ResourceNotFoundException)) throw e;
    }
  }
  if (denyPolicy === null) return;
  try {
    await sso.send(new DeletePermissionSetCommand(ps), opts);
  } catch (e) {
    if (!(e instanceof ResourceNotFoundException || e instanceof ConflictException)) throw e;
    if (e instanceof ConflictException) throw new Error(`permission set still in use: ${e.message}`);
  }
}

/** Every page of a paginated call (bounded: 1,000 pages). */
async function allPages<T>(
  page: (token: string | undefined) => Promise<{ items: T[]; next?: string }>,
): Promise<T[]> {
  const out: T[] = [];
  let token: string | undefined;
  for (let i = 0; i < 1000; i++) {
    const { items, next } = await page(token);
    out.push(...items);
    if (next === undefined) break;
    token = next;
  }
  return out;
}

/**
 * The reconciler's inventory of `accountId`: every permission set provisioned to it plus `extraArns` (shared
 * sets), each with its name, whether it carries `managed-by=iam-jit`, its inline policy (parsed; undefined when
 * none) and the user names it is assigned to in the account. Sets gone meanwhile are left out.
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
  const out: PermissionSetState[] = [];
  for (const arn of [...new Set([...provisioned, ...extraArns])]) {
    const ps = { InstanceArn: instanceArn, PermissionSetArn: arn };
    try {
      const described = await sso.send(new DescribePermissionSetCommand(ps), opts);
      const tags = await allPages(async (NextToken) => {
        const r = await sso.send(
          new ListTagsForResourceCommand({ InstanceArn: instanceArn, ResourceArn: arn, NextToken }),
          opts,
        );
        return { items: r.Tags ?? [], next: r.NextToken };
      });
      const managed = tags.some((t) => t.Key === 'managed-by' && t.Value === 'iam-jit');
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
