/**
 * The SSO Admin calls the `identity_center` adapters share: the instance, polling of asynchronous assignment
 * operations, pagination, and finding a permission set by name (IAM Identity Center API reference).
 */
import {
  DeleteAccountAssignmentCommand,
  DescribeAccountAssignmentDeletionStatusCommand,
  DescribePermissionSetCommand,
  ListInstancesCommand,
  ListPermissionSetsCommand,
  ListTagsForResourceCommand,
  type PrincipalType,
  type SSOAdminClient,
  type Tag,
} from '@aws-sdk/client-sso-admin';

const POLL_LIMIT = 120;
const POLL_MS = 250;

/** The first Identity Center instance the provisioning role sees (its ARN and identity store id). */
export async function instanceOf(sso: SSOAdminClient, signal?: AbortSignal) {
  const out = await sso.send(new ListInstancesCommand({}), { abortSignal: signal });
  const first = out.Instances?.[0];
  if (first?.InstanceArn === undefined || first.IdentityStoreId === undefined)
    throw new Error('no Identity Center instance is visible to the provisioning role');
  return { instanceArn: first.InstanceArn, identityStoreId: first.IdentityStoreId };
}

/** Polls an asynchronous assignment operation until it succeeds; throws when it fails or does not settle. */
export async function settle(
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
export async function deleteAssignmentAndSettle(
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

/** Every page of a paginated call (bounded: 1,000 pages). */
export async function allPages<T>(
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
 * True when the permission set carries iam-jit's tags (`managed-by=iam-jit` and an `iam-jit:grant-id`): a set iam-jit
 * made for a grant. Anything else (an admin's set, even one tagged `managed-by=iam-jit` by hand) is never given a
 * deny policy or deleted.
 */
export async function isGrantPermissionSet(
  sso: SSOAdminClient,
  instanceArn: string,
  arn: string,
  opts: { abortSignal?: AbortSignal },
): Promise<boolean> {
  const tags = await permissionSetTags(sso, instanceArn, arn, opts);
  const tag = (key: string) => tags.find((t) => t.Key === key)?.Value;
  return tag('managed-by') === 'iam-jit' && (tag('iam-jit:grant-id') ?? '') !== '';
}

/** The tags of a permission set, every page. */
export async function permissionSetTags(
  sso: SSOAdminClient,
  instanceArn: string,
  arn: string,
  opts: { abortSignal?: AbortSignal },
): Promise<Tag[]> {
  return allPages(async (NextToken) => {
    const r = await sso.send(
      new ListTagsForResourceCommand({ InstanceArn: instanceArn, ResourceArn: arn, NextToken }),
      opts,
    );
    return { items: r.Tags ?? [], next: r.NextToken };
  });
}

/** Every permission set ARN of the instance (ListPermissionSets, every page). */
export async function listPermissionSets(
  sso: SSOAdminClient,
  instanceArn: string,
  opts: { abortSignal?: AbortSignal },
): Promise<string[]> {
  return allPages(async (NextToken) => {
    const r = await sso.send(new ListPermissionSetsCommand({ InstanceArn: instanceArn, NextToken }), opts);
    return { items: r.PermissionSets ?? [], next: r.NextToken };
  });
}

/**
 * The permission set of the instance named `name` with its tags, or undefined (ListPermissionSets, then
 * DescribePermissionSet per set until the name matches; names are unique within an instance).
 */
export async function findPermissionSetByName(
  sso: SSOAdminClient,
  instanceArn: string,
  name: string,
  opts: { abortSignal?: AbortSignal },
): Promise<{ arn: string; tags: Tag[] } | undefined> {
  for (const arn of await listPermissionSets(sso, instanceArn, opts)) {
    const described = await sso.send(
      new DescribePermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: arn }),
      opts,
    );
    if (described.PermissionSet?.Name === name)
      return { arn, tags: await permissionSetTags(sso, instanceArn, arn, opts) };
  }
  return undefined;
}
