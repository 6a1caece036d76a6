/**
 * The grants domain's AWS port over SDK v3: the hub assumes each account's spoke role (with its external id) and
 * converges / deletes grant roles there; credentials are vended by the hub principal (docs/grants.md).
 */

import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import {
  CreateRoleCommand,
  DeleteConflictException,
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
import { createIamQuery, type IamQuery } from './iam-query.ts';
import { deleteAssignment, provisionAssignment } from './identity-center.ts';
import { deletePermissionSet, inspectPermissionSets } from './identity-center-inventory.ts';

/** Options of `createGrantAws`. */
export interface GrantAwsOptions {
  /** One endpoint for IAM and STS (the local emulator); default: AWS's. */
  readonly endpoint?: string;
  readonly region?: string;
  /** The hub's credentials; default: the AWS default credential chain. */
  readonly hubCredentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** SDK attempts per call (default 3); jobs retry on top of this. */
  readonly maxAttempts?: number;
  /** Open connections per AWS endpoint, shared by all clients (default 64); calls beyond it wait for a socket. */
  readonly maxSockets?: number;
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
    const out = await call(signal, () =>
      iam.send(new ListRolesCommand({ PathPrefix: GRANT_ROLE_PATH, MaxItems: 1000, Marker: marker })),
    );
    if ((out.Roles ?? []).some((r) => r.RoleName === roleName)) return true;
    if (!out.IsTruncated || out.Marker === undefined) return false;
    marker = out.Marker;
  }
  return false;
}

/** A spoke account's clients, all signed with one assumed session. */
interface SpokeClients {
  readonly session: IssuedCredentials;
  readonly iam: IAMClient;
  /** The revocation calls over `iam`'s configuration without the per-call middleware stack (iam-query.ts). */
  readonly query: IamQuery;
  readonly sso: () => SSOAdminClient;
  readonly store: () => IdentitystoreClient;
}

/**
 * Starts one SDK call unless `signal` already aborted, and stops waiting for it as soon as `signal` aborts (the
 * request itself then completes or fails unobserved; every call here is idempotent). The call is sent without
 * per-call options so the client reuses its cached middleware stack (`cacheMiddleware`): passing `abortSignal`
 * would rebuild the stack on every call, a quarter of the SDK's CPU per call.
 */
function call<T>(signal: AbortSignal | undefined, start: () => Promise<T>): Promise<T> {
  signal?.throwIfAborted();
  return untilAborted(start(), signal);
}

/** `promise`, or a rejection with the signal's reason as soon as `signal` aborts (the work itself goes on). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Creates the AWS adapter. Opens no connection until used. */
export function createGrantAws({
  endpoint,
  region = 'us-east-1',
  hubCredentials,
  maxAttempts = 3,
  maxSockets = 64,
  now = () => new Date(),
}: GrantAwsOptions = {}): GrantAws {
  // One connection pool for every client (hub and spokes): keep-alive sockets are reused across calls and clients.
  const agentOptions = { keepAlive: true, maxSockets };
  const requestHandler = { httpAgent: new HttpAgent(agentOptions), httpsAgent: new HttpsAgent(agentOptions) };
  const base = {
    region,
    maxAttempts,
    requestHandler,
    cacheMiddleware: true,
    ...(endpoint === undefined ? {} : { endpoint }),
  };
  const hubSts = new STSClient({
    ...base,
    ...(hubCredentials === undefined ? {} : { credentials: hubCredentials }),
  });
  const spokes = new Map<string, SpokeClients>();
  const assuming = new Map<string, Promise<SpokeClients>>();

  /**
   * The spoke's clients, signed with its cached session; one AssumeRole per account and session lifetime (refreshed
   * `REFRESH_MARGIN_MS` before expiry), shared by concurrent callers.
   */
  function spokeClients(target: SpokeTarget, signal?: AbortSignal): Promise<SpokeClients> {
    signal?.throwIfAborted();
    const key = `${target.spokeRoleArn}\n${target.externalId}`;
    const cached = spokes.get(key);
    if (cached !== undefined && cached.session.expiration.getTime() - now().getTime() >= REFRESH_MARGIN_MS)
      return Promise.resolve(cached);
    let pending = assuming.get(key);
    if (pending === undefined) {
      pending = assumeSpoke(target)
        .then((clients) => {
          spokes.set(key, clients);
          return clients;
        })
        .finally(() => assuming.delete(key));
      assuming.set(key, pending);
    }
    return untilAborted(pending, signal);
  }

  async function assumeSpoke(target: SpokeTarget): Promise<SpokeClients> {
    const out = await hubSts.send(
      new AssumeRoleCommand({
        RoleArn: target.spokeRoleArn,
        RoleSessionName: 'iam-jit-provisioner',
        ExternalId: target.externalId,
        DurationSeconds: 3600,
      }),
    );
    const session = toIssued(out.Credentials);
    const credentials = {
      accessKeyId: session.accessKeyId,
      secretAccessKey: session.secretAccessKey,
      sessionToken: session.sessionToken,
    };
    let sso: SSOAdminClient | undefined;
    let store: IdentitystoreClient | undefined;
    const iam = new IAMClient({ ...base, credentials });
    return {
      session,
      iam,
      query: createIamQuery(iam),
      sso: () => {
        sso ??= new SSOAdminClient({ ...base, credentials });
        return sso;
      },
      store: () => {
        store ??= new IdentitystoreClient({ ...base, credentials });
        return store;
      },
    };
  }

  async function spokeIam(target: SpokeTarget, signal?: AbortSignal): Promise<IAMClient> {
    return (await spokeClients(target, signal)).iam;
  }

  async function spokeSso(target: SpokeTarget, signal?: AbortSignal) {
    const clients = await spokeClients(target, signal);
    return { sso: clients.sso(), store: clients.store() };
  }

  async function converge(iam: IAMClient, spec: RoleSpec, signal?: AbortSignal): Promise<string> {
    const trust = JSON.stringify(spec.trustPolicy);
    const tags = Object.entries(spec.tags).map(([Key, Value]) => ({ Key, Value }));
    try {
      const created = await call(signal, () =>
        iam.send(
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
        ),
      );
      if (created.Role?.Arn === undefined) throw new Error('CreateRole returned no role ARN');
      return created.Role.Arn;
    } catch (e) {
      if (!(e instanceof EntityAlreadyExistsException)) throw e;
    }
    // A previous run created the role (then crashed or failed later): bring it to the spec.
    await call(signal, () =>
      iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: spec.roleName, PolicyDocument: trust })),
    );
    await call(signal, () =>
      iam.send(
        new UpdateRoleCommand({
          RoleName: spec.roleName,
          Description: spec.description,
          MaxSessionDuration: spec.maxSessionDurationSeconds,
        }),
      ),
    );
    await call(signal, () => iam.send(new TagRoleCommand({ RoleName: spec.roleName, Tags: tags })));
    const boundary = spec.permissionsBoundaryArn;
    if (boundary !== null)
      await call(signal, () =>
        iam.send(
          new PutRolePermissionsBoundaryCommand({ RoleName: spec.roleName, PermissionsBoundary: boundary }),
        ),
      );
    const got = await call(signal, () => iam.send(new GetRoleCommand({ RoleName: spec.roleName })));
    if (got.Role?.Arn === undefined) throw new Error('GetRole returned no role ARN');
    return got.Role.Arn;
  }

  return {
    async provisionRole(target, spec, signal) {
      const iam = await spokeIam(target, signal);
      const roleArn = await converge(iam, spec, signal);
      await call(signal, () =>
        iam.send(
          new PutRolePolicyCommand({
            RoleName: spec.roleName,
            PolicyName: spec.inlinePolicyName,
            PolicyDocument: JSON.stringify(spec.inlinePolicy),
          }),
        ),
      );
      return { roleArn };
    },

    async deleteRole(target, roleName, revokeBefore, signal, { expired = false } = {}) {
      const { iam, query } = await spokeClients(target, signal);
      const role = { RoleName: roleName };
      // The calls of every revocation go through the lean sender (same wire protocol, errors and retries as the
      // SDK, a third of its CPU: docs/grants.md "Performance"); the rare drift path below uses the SDK client.
      const denyOldSessions = (policyName: string) =>
        call(signal, () =>
          query.putRolePolicy({
            ...role,
            PolicyName: policyName,
            PolicyDocument: JSON.stringify(revokeSessionsPolicy(revokeBefore)),
          }),
        );
      const deletePolicy = async (name: string) => {
        try {
          await call(signal, () => query.deleteRolePolicy({ ...role, PolicyName: name }));
        } catch (e) {
          if (!isNoSuchEntity(e)) throw e;
        }
      };
      try {
        // First cut off every session issued so far; only then take the role apart. The boundary stays until
        // the role is gone: the spoke policy never lets the hub remove a boundary.
        // Fast path (3 calls, the role holds only what iam-jit put there): the deny replaces the approved policy in
        // one PutRolePolicy, so from that write on every earlier session is denied and nothing is allowed; then that
        // policy goes, then the role (DeleteRole needs the role free of policies).
        // Expired (2 calls): past not_after the trust policy and every statement of the approved policy allow nothing
        // (`DateLessThan aws:CurrentTime`), to old sessions too, so the deny would add nothing: the first write
        // deletes the approved policy, which removes its allows just as the overwrite would have.
        if (!expired) await denyOldSessions(GRANT_POLICY_NAME);
        await deletePolicy(GRANT_POLICY_NAME);
        try {
          await call(signal, () => query.deleteRole(role));
          return;
        } catch (e) {
          if (!(e instanceof DeleteConflictException)) throw e;
        }
        // Someone added policies (drift; their allows carry no time bound, expired or not): deny every session issued
        // so far, remove everything, then the deny, then the role.
        await denyOldSessions(REVOKE_POLICY_NAME);
        const inline = await call(signal, () => iam.send(new ListRolePoliciesCommand(role)));
        for (const name of inline.PolicyNames ?? [])
          if (name !== REVOKE_POLICY_NAME) await deletePolicy(name);
        const attached = await call(signal, () => iam.send(new ListAttachedRolePoliciesCommand(role)));
        for (const p of attached.AttachedPolicies ?? [])
          if (p.PolicyArn !== undefined)
            await call(signal, () =>
              iam.send(new DetachRolePolicyCommand({ ...role, PolicyArn: p.PolicyArn })),
            );
        await deletePolicy(REVOKE_POLICY_NAME);
        await call(signal, () => query.deleteRole(role));
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
        const out = await call(signal, () =>
          iam.send(new ListRolesCommand({ PathPrefix: GRANT_ROLE_PATH, MaxItems: 1000, Marker: marker })),
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
        const out = await call(signal, () =>
          iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: GRANT_POLICY_NAME })),
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
