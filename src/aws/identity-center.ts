/**
 * `identity_center` provisioning over SDK v3 (SSO Admin, Identity Store): a per-grant permission set carrying the
 * time-bounded policy, provisioned to the account and assigned to the user's Identity Center user; revocation
 * replaces the policy with a deny for older sessions, re-provisions, removes the assignment, then the permission set.
 * Assignment operations are asynchronous (`IN_PROGRESS`): they are polled until they settle. The reconciler's
 * inventory is in identity-center-inventory.ts.
 */
import { GetUserIdCommand, type IdentitystoreClient } from '@aws-sdk/client-identitystore';
import {
  ConflictException,
  CreateAccountAssignmentCommand,
  CreatePermissionSetCommand,
  DeletePermissionSetCommand,
  DescribeAccountAssignmentCreationStatusCommand,
  ProvisionPermissionSetCommand,
  PutInlinePolicyToPermissionSetCommand,
  ResourceNotFoundException,
  type SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import type { AssignmentSpec } from '../grants/ports.ts';
import {
  deleteAssignmentAndSettle,
  findPermissionSetByName,
  instanceOf,
  isGrantPermissionSet,
  settle,
} from './identity-center-calls.ts';

/** The tag naming the grant a per-grant permission set belongs to (grants/grant.ts `grantTags`). */
const GRANT_ID_TAG = 'iam-jit:grant-id';

/**
 * Creates the grant's permission set and returns its ARN. When one of that name already exists (ConflictException:
 * a previous attempt created it and died before its ARN was recorded), it is found by name and reused if it carries
 * `managed-by=iam-jit` and this grant's id tag; otherwise this throws an Error saying why (a set iam-jit did not make
 * for this grant is never taken over).
 */
async function createPermissionSet(
  sso: SSOAdminClient,
  instanceArn: string,
  spec: AssignmentSpec,
  opts: { abortSignal?: AbortSignal },
): Promise<string> {
  try {
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
    const arn = created.PermissionSet?.PermissionSetArn;
    if (arn === undefined) throw new Error('CreatePermissionSet returned no ARN');
    return arn;
  } catch (e) {
    if (!(e instanceof ConflictException)) throw e;
    const name = spec.permissionSetName;
    const found = await findPermissionSetByName(sso, instanceArn, name, opts);
    // The conflict may also be a concurrent write on the instance: let the job retry.
    if (found === undefined) throw e;
    const tag = (key: string) => found.tags.find((t) => t.Key === key)?.Value;
    const grantId = spec.tags[GRANT_ID_TAG] ?? name;
    if (tag('managed-by') !== 'iam-jit' || tag(GRANT_ID_TAG) !== grantId)
      throw new Error(
        `a permission set named ${name} (${found.arn}) already exists in the Identity Center instance but was not made by iam-jit for grant ${grantId} (it lacks the tags managed-by=iam-jit and ${GRANT_ID_TAG}=${grantId}); iam-jit will not take it over: rename or delete it`,
      );
    return found.arn;
  }
}

/**
 * Creates (or, given `existingPermissionSetArn`, reuses) the grant's permission set, puts the policy, provisions it
 * to the account and assigns it to the user. `onPermissionSetCreated` is called right after creation so the caller
 * can record the ARN before anything else can fail (a retry then reuses it); when the process died before that, the
 * retry's CreatePermissionSet conflicts and the set of that name is adopted if it is this grant's (see
 * `createPermissionSet`). Returns the permission set ARN.
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
    arn = await createPermissionSet(sso, instanceArn, spec, opts);
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
  // denyPolicy null: a shared permission set, never modified or deleted; only the assignment goes. A set without
  // iam-jit's grant tags is treated the same whatever the caller believes (e.g. the account's permission_set_arn
  // changed under a live grant): iam-jit never denies or deletes a set it did not make.
  if (denyPolicy !== null) {
    let owned: boolean;
    try {
      owned = await isGrantPermissionSet(sso, instanceArn, permissionSetArn, opts);
    } catch (e) {
      if (e instanceof ResourceNotFoundException) return;
      throw e;
    }
    if (!owned) denyPolicy = null;
  }
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
