/**
 * The grants domain's AWS port over SDK v3: the hub assumes each account's spoke role (with its external id) and
 * converges / deletes grant roles there; credentials are vended by the hub principal (docs/grants.md).
 */
import {
  CreateRoleCommand,
  DeleteConflictException,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  EntityAlreadyExistsException,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  ListRolesCommand,
  NoSuchEntityException,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
  TagRoleCommand,
  UpdateAssumeRolePolicyCommand,
  UpdateRoleCommand,
} from '@aws-sdk/client-iam';
import { IdentitystoreClient } from '@aws-sdk/client-identitystore';
import { SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import {
  GRANT_POLICY_NAME,
  GRANT_ROLE_PATH,
  REVOKE_POLICY_NAME,
  revokeSessionsPolicy,
} from '../grants/grant.ts';
import type { GrantAws, IssuedCredentials, RoleSpec, SpokeTarget } from '../grants/ports.ts';
import {
  deleteAssignment,
  deletePermissionSet,
  inspectPermissionSets,
  provisionAssignment,
} from './identity-center.ts';

/** Options of `createGrantAws`. */
export interface GrantAwsOptions {
  /** One endpoint for IAM and STS (the local emulator); default: AWS's. */
  readonly endpoint?: string;
  readonly region?: string;
  /** The hub's credentials; default: the AWS default credential chain. */
  readonly hubCredentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** SDK attempts per call (default 3); jobs retry on top of this. */
  readonly maxAttempts?: number;
  /** `now`, to decide when cached spoke sessions need refreshing (default the system clock). */
  readonly now?: () => Date;
}

/** Cached spoke sessions are refreshed this long before they expire. */
const REFRESH_MARGIN_MS = 5 * 60_000;

const isNoSuchEntity = (e: unknown): boolean => e instanceof NoSuchEntityException;

const isAccessDenied = (e: unknown): boolean =>
  e instanceof Error && (e.name === 'AccessDenied' || e.name === 'AccessDeniedException');

/** True when `roleName` is among the roles under `/iam-jit/` (ListRoles is allowed on every role). */
async function roleIsListed(iam: IAMClient, roleName: string, signal?: AbortSignal): Promise<boolean> {
  let marker: string | undefined;
  for (let page = 0; page < 1000; page++) {
    const out = await iam.send(
      new ListRolesCommand({ PathPrefix: GRANT_ROLE_PATH, MaxItems: 1000, Marker: marker }),
      { abortSignal: signal },
    );
    if ((out.Roles ?? []).some((r) => r.RoleName === roleName)) return true;
    if (!out.IsTruncated || out.Marker === undefined) return false;
    marker = out.Marker;
  }
  return false;
}

/** Creates the AWS adapter. Opens no connection until used. */
export function createGrantAws({
  endpoint,
  region = 'us-east-1',
  hubCredentials,
  maxAttempts = 3,
  now = () => new Date(),
}: GrantAwsOptions = {}): GrantAws {
  const base = { region, maxAttempts, ...(endpoint === undefined ? {} : { endpoint }) };
  const hubSts = new STSClient({
    ...base,
    ...(hubCredentials === undefined ? {} : { credentials: hubCredentials }),
  });
  const spokeSessions = new Map<string, IssuedCredentials>();

  async function spokeCredentials(target: SpokeTarget, signal?: AbortSignal) {
    const key = `${target.spokeRoleArn}\n${target.externalId}`;
    let session = spokeSessions.get(key);
    if (session === undefined || session.expiration.getTime() - now().getTime() < REFRESH_MARGIN_MS) {
      const out = await hubSts.send(
        new AssumeRoleCommand({
          RoleArn: target.spokeRoleArn,
          RoleSessionName: 'iam-jit-provisioner',
          ExternalId: target.externalId,
          DurationSeconds: 3600,
        }),
        { abortSignal: signal },
      );
      session = toIssued(out.Credentials);
      spokeSessions.set(key, session);
    }
    return {
      accessKeyId: session.accessKeyId,
      secretAccessKey: session.secretAccessKey,
      sessionToken: session.sessionToken,
    };
  }

  async function spokeIam(target: SpokeTarget, signal?: AbortSignal): Promise<IAMClient> {
    return new IAMClient({ ...base, credentials: await spokeCredentials(target, signal) });
  }

  async function spokeSso(target: SpokeTarget, signal?: AbortSignal) {
    const credentials = await spokeCredentials(target, signal);
    return {
      sso: new SSOAdminClient({ ...base, credentials }),
      store: new IdentitystoreClient({ ...base, credentials }),
    };
  }

  async function converge(iam: IAMClient, spec: RoleSpec, signal?: AbortSignal): Promise<string> {
    const opts = { abortSignal: signal };
    const trust = JSON.stringify(spec.trustPolicy);
    const tags = Object.entries(spec.tags).map(([Key, Value]) => ({ Key, Value }));
    try {
      const created = await iam.send(
        new CreateRoleCommand({
          RoleName: spec.roleName,
          Path: spec.path,
          AssumeRolePolicyDocument: trust,
          Description: spec.description,
          MaxSessionDuration: spec.maxSessionDurationSeconds,
          ...(spec.permissionsBoundaryArn === null
            ? {}
            : { PermissionsBoundary: spec.permissionsBoundaryArn }),
          Tags: tags,
        }),
        opts,
      );
      if (created.Role?.Arn === undefined) throw new Error('CreateRole returned no role ARN');
      return created.Role.Arn;
    } catch (e) {
      if (!(e instanceof EntityAlreadyExistsException)) throw e;
    }
    // A previous run created the role (then crashed or failed later): bring it to the spec.
    await iam.send(
      new UpdateAssumeRolePolicyCommand({ RoleName: spec.roleName, PolicyDocument: trust }),
      opts,
    );
    await iam.send(
      new UpdateRoleCommand({
        RoleName: spec.roleName,
        Description: spec.description,
        MaxSessionDuration: spec.maxSessionDurationSeconds,
      }),
      opts,
    );
    await iam.send(new TagRoleCommand({ RoleName: spec.roleName, Tags: tags }), opts);
    if (spec.permissionsBoundaryArn !== null)
      await iam.send(
        new PutRolePermissionsBoundaryCommand({
          RoleName: spec.roleName,
          PermissionsBoundary: spec.permissionsBoundaryArn,
        }),
        opts,
      );
    const got = await iam.send(new GetRoleCommand({ RoleName: spec.roleName }), opts);
    if (got.Role?.Arn === undefined) throw new Error('GetRole returned no role ARN');
    return got.Role.Arn;
  }

  return {
    async provisionRole(target, spec, signal) {
      const iam = await spokeIam(target, signal);
      const roleArn = await converge(iam, spec, signal);
      await iam.send(
        new PutRolePolicyCommand({
          RoleName: spec.roleName,
          PolicyName: spec.inlinePolicyName,
          PolicyDocument: JSON.stringify(spec.inlinePolicy),
        }),
        { abortSignal: signal },
      );
      return { roleArn };
    },

    async deleteRole(target, roleName, revokeBefore, signal) {
      const iam = await spokeIam(target, signal);
      const opts = { abortSignal: signal };
      const role = { RoleName: roleName };
      const denyOldSessions = () =>
        iam.send(
          new PutRolePolicyCommand({
            ...role,
            PolicyName: REVOKE_POLICY_NAME,
            PolicyDocument: JSON.stringify(revokeSessionsPolicy(revokeBefore)),
          }),
          opts,
        );
      const deletePolicy = async (name: string) => {
        try {
          await iam.send(new DeleteRolePolicyCommand({ ...role, PolicyName: name }), opts);
        } catch (e) {
          if (!isNoSuchEntity(e)) throw e;
        }
      };
      try {
        // First cut off every session issued so far; only then take the role apart. The boundary stays until
        // the role is gone: the spoke policy never lets the hub remove a boundary.
        await denyOldSessions();
        // Fast path (4 calls): the role holds only what iam-jit put there.
        await deletePolicy(GRANT_POLICY_NAME);
        await deletePolicy(REVOKE_POLICY_NAME);
        try {
          await iam.send(new DeleteRoleCommand(role), opts);
          return;
        } catch (e) {
          if (!(e instanceof DeleteConflictException)) throw e;
        }
        // Someone added policies (drift): deny again, remove everything, then the deny, then the role.
        await denyOldSessions();
        const inline = await iam.send(new ListRolePoliciesCommand(role), opts);
        for (const name of inline.PolicyNames ?? [])
          if (name !== REVOKE_POLICY_NAME) await deletePolicy(name);
        const attached = await iam.send(new ListAttachedRolePoliciesCommand(role), opts);
        for (const p of attached.AttachedPolicies ?? [])
          if (p.PolicyArn !== undefined)
            await iam.send(new DetachRolePolicyCommand({ ...role, PolicyArn: p.PolicyArn }), opts);
        await deletePolicy(REVOKE_POLICY_NAME);
        await iam.send(new DeleteRoleCommand(role), opts);
      } catch (e) {
        if (isNoSuchEntity(e)) return;
        // A role that was never created (provisioning failed before CreateRole) has no managed-by tag, so the
        // tag-scoped spoke policy denies touching it rather than IAM saying NoSuchEntity: gone counts as done.
        if (isAccessDenied(e) && !(await roleIsListed(iam, roleName, signal))) return;
        throw e;
      }
    },

    async provisionAssignment(target, spec, options) {
      const { sso, store } = await spokeSso(target, options.signal);
      return provisionAssignment(sso, store, spec, options);
    },

    async deleteAssignment(target, spec, permissionSetArn, revokeBefore, { signal, shared = false } = {}) {
      const { sso, store } = await spokeSso(target, signal);
      const deny = shared ? null : revokeSessionsPolicy(revokeBefore);
      await deleteAssignment(sso, store, spec, permissionSetArn, deny, signal);
    },

    async inspectPermissionSets(target, accountId, extraArns, signal) {
      const { sso, store } = await spokeSso(target, signal);
      return inspectPermissionSets(sso, store, accountId, extraArns, signal);
    },

    async deletePermissionSet(target, accountId, permissionSetArn, revokeBefore, signal) {
      const { sso } = await spokeSso(target, signal);
      await deletePermissionSet(sso, accountId, permissionSetArn, revokeSessionsPolicy(revokeBefore), signal);
    },

    async listGrantRoles(target, signal) {
      const iam = await spokeIam(target, signal);
      const names: string[] = [];
      let marker: string | undefined;
      // Bounded: 1,000 pages of up to 1,000 roles.
      for (let page = 0; page < 1000; page++) {
        const out = await iam.send(
          new ListRolesCommand({ PathPrefix: GRANT_ROLE_PATH, MaxItems: 1000, Marker: marker }),
          { abortSignal: signal },
        );
        for (const r of out.Roles ?? []) if (r.RoleName !== undefined) names.push(r.RoleName);
        if (!out.IsTruncated || out.Marker === undefined) break;
        marker = out.Marker;
      }
      return names;
    },

    async getGrantPolicy(target, roleName, signal) {
      const iam = await spokeIam(target, signal);
      try {
        const out = await iam.send(
          new GetRolePolicyCommand({ RoleName: roleName, PolicyName: GRANT_POLICY_NAME }),
          {
            abortSignal: signal,
          },
        );
        // IAM returns policy documents URL-encoded (RFC 3986).
        return out.PolicyDocument === undefined
          ? undefined
          : JSON.parse(decodeURIComponent(out.PolicyDocument));
      } catch (e) {
        if (isNoSuchEntity(e)) return undefined;
        throw e;
      }
    },

    async vendCredentials({ roleArn, sessionName, sourceIdentity, durationSeconds }) {
      const out = await hubSts.send(
        new AssumeRoleCommand({
          RoleArn: roleArn,
          RoleSessionName: sessionName,
          SourceIdentity: sourceIdentity,
          DurationSeconds: durationSeconds,
        }),
      );
      return toIssued(out.Credentials);
    },
  };
}

function toIssued(
  c: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string; Expiration?: Date } | undefined,
): IssuedCredentials {
  if (
    c?.AccessKeyId === undefined ||
    c.SecretAccessKey === undefined ||
    c.SessionToken === undefined ||
    c.Expiration === undefined
  )
    throw new Error('AssumeRole returned no credentials');
  return {
    accessKeyId: c.AccessKeyId,
    secretAccessKey: c.SecretAccessKey,
    sessionToken: c.SessionToken,
    expiration: c.Expiration,
  };
}
