/** What the grants domain needs from the outside: its store, the job queue, the audit log and AWS. */
import type { AuditLog } from '../audit/ports.ts';
import type { JobQueue } from '../jobs/ports.ts';
import type { Grant, GrantState } from './grant.ts';

/** Fields a grant update may change besides status and version. */
export interface GrantChange {
  status: GrantState;
  roleArn?: string | null;
  notAfter?: Date;
  activatedAt?: Date | null;
  endedAt?: Date | null;
  endReason?: string | null;
  revokedBy?: string | null;
  revokeReason?: string | null;
}

/** Persistence of grants; implemented in store/. */
export interface GrantRepo {
  insert(grant: Grant): Promise<void>;
  get(id: string): Promise<Grant | undefined>;
  /** Grants of a request, oldest first. */
  byRequest(requestId: string): Promise<Grant[]>;
  /** Newest first; `requesterId` / `accountIds` / `status` filter (combined with AND; `visibleTo` with OR inside). */
  list(query: GrantListQuery): Promise<Grant[]>;
  /** Applies `change` only when the stored version is `expectedVersion`; false when another change came first. */
  update(id: string, expectedVersion: number, change: GrantChange, now: Date): Promise<boolean>;
  /** The grants among `ids` that exist, in no particular order (one statement). */
  getMany(ids: readonly string[]): Promise<Grant[]>;
  /** The grants of all `requestIds`, in no particular order (one statement). */
  byRequests(requestIds: readonly string[]): Promise<Grant[]>;
  /**
   * Moves each grant of `refs` still at its `version` to `revoking` (bumping the version), in one statement;
   * returns the ids moved (a grant another change got to first is left alone).
   */
  markRevoking(refs: readonly { id: string; version: number }[], now: Date): Promise<Set<string>>;
  /**
   * Ends the grants among `ids` that are still `revoking`, in one statement, with `ended_at = at`: `revoked` when
   * someone revoked it (`revoked_by`), `failed` when provisioning gave up (`end_reason`), otherwise `expired`.
   * Returns them as ended; the others are untouched.
   */
  finishRevoking(ids: readonly string[], at: Date): Promise<Grant[]>;
  /**
   * Leases on a shared Identity Center assignment: grants other than `excludeId` of `requesterId` in `accountId` on
   * permission set `permissionSetArn` (`role_arn`) that are `pending` or `active`, and their `pending` grants with
   * no `role_arn` yet (they will take the account's set).
   */
  countAssignmentLeases(q: {
    requesterId: string;
    accountId: string;
    permissionSetArn: string;
    excludeId: string;
  }): Promise<number>;
}

/** Filters of `GrantRepo.list`. */
export interface GrantListQuery {
  /** Only grants visible to this user: their own, or in one of `accountIds`. Undefined = all (admins). */
  visibleTo?: { userId: string; accountIds: readonly string[] };
  status?: GrantState;
  requestId?: string;
  accountId?: string;
  /** Keyset cursor: the createdAt and id of the last row of the previous page. */
  after?: { createdAt: Date; id: string };
  limit: number;
}

/** One request status move of `RequestStatusPort.moveMany`. */
export interface RequestMove {
  readonly requestId: string;
  readonly from: readonly string[];
  readonly to: string;
  readonly cause?: { actorId?: string; data?: Record<string, unknown> };
}

/** The request-status side of the hand-off: moves a request when its grants change (approved → active → ended). */
export interface RequestStatusPort {
  /**
   * Sets the request's status when it is currently one of `from`; false otherwise. A move to `active`, `expired`,
   * `revoked` or `failed` is recorded in the request's history and the audit log in the same transaction, as
   * `cause.actorId` (default `system`) with `cause.data` (e.g. the grant id).
   */
  move(
    requestId: string,
    from: readonly string[],
    to: string,
    now: Date,
    cause?: { actorId?: string; data?: Record<string, unknown> },
  ): Promise<boolean>;
  /**
   * `move` for several different requests at once (throws Error when a request appears twice), in a few statements
   * whatever their number; the audit events are appended in the order of `moves`. Returns whether each moved.
   */
  moveMany(moves: readonly RequestMove[], now: Date): Promise<boolean[]>;
  /**
   * Locks the rows of `requestIds` until the transaction ends (Postgres `FOR UPDATE`, in id order; SQLite has one
   * writer). Two transactions ending the last grants of one request in two processes then run one after the other, so
   * the second sees the first's ended grant and ends the request.
   */
  lock(requestIds: readonly string[]): Promise<void>;
  /**
   * When grants ended (each `grantId` as `final`): their extension requests that are `approved`/`active` end the same
   * way, and those still `pending`/`changes_requested` are `cancelled` (nothing left to extend), recorded like `move`.
   */
  endExtensions(ended: readonly { grantId: string; final: string }[], now: Date): Promise<void>;
}

/** The repos of one grant transaction. */
export interface GrantTxRepos {
  grants: GrantRepo;
  jobs: JobQueue;
  audit: AuditLog;
  requests: RequestStatusPort;
}

/** Runs `work` in one transaction; commits when it resolves, rolls back when it throws. */
export type GrantTransaction = <T>(work: (repos: GrantTxRepos) => Promise<T>) => Promise<T>;

/** Where a grant role lives and how the hub reaches it. */
export interface SpokeTarget {
  readonly accountId: string;
  /** The spoke provisioning role the hub assumes. */
  readonly spokeRoleArn: string;
  /** The account's random external id. */
  readonly externalId: string;
}

/** Everything the grant role must look like; `provisionRole` converges the role to it. */
export interface RoleSpec {
  readonly roleName: string;
  readonly path: string;
  readonly trustPolicy: Record<string, unknown>;
  readonly inlinePolicyName: string;
  readonly inlinePolicy: Record<string, unknown>;
  readonly permissionsBoundaryArn: string | null;
  readonly maxSessionDurationSeconds: number;
  readonly tags: Readonly<Record<string, string>>;
  readonly description: string;
}

/** The per-grant Identity Center permission set and assignment (`identity_center` mode). */
export interface AssignmentSpec {
  /** Destination account the permission set is provisioned to and assigned in. */
  readonly accountId: string;
  /** The user's Identity Center `userName` (the email of an `email:` user). */
  readonly userName: string;
  /** At most 32 characters: the grant id. */
  readonly permissionSetName: string;
  readonly description: string;
  readonly inlinePolicy: Record<string, unknown>;
  readonly tags: Readonly<Record<string, string>>;
}

/** One permission set as the `identity_center` reconciler sees it in an account. */
export interface PermissionSetState {
  readonly arn: string;
  readonly name: string;
  /** Tagged `managed-by=iam-jit` (a per-grant set). */
  readonly managedByIamJit: boolean;
  /** Provisioned to the account; false for an iam-jit set of the instance that is not (e.g. left by a crash). */
  readonly provisioned: boolean;
  /** The parsed inline policy of an iam-jit set; undefined when it has none (or is not iam-jit's). */
  readonly inlinePolicy: unknown;
  /** Identity Center user names it is assigned to in the account. */
  readonly userNames: readonly string[];
}

/** Temporary credentials as STS issues them. */
export interface IssuedCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration: Date;
}

/**
 * AWS as the grants domain uses it (implemented in aws/ over SDK v3). Every method is idempotent and throws on AWS
 * errors (the calling job retries).
 */
export interface GrantAws {
  /** Creates or converges `spec` in the spoke account; returns the role ARN. */
  provisionRole(target: SpokeTarget, spec: RoleSpec, signal?: AbortSignal): Promise<{ roleArn: string }>;
  /**
   * Denies sessions issued before `revokeBefore`, then deletes the role's inline and attached policies and the role
   * (its boundary goes with it). A role already gone counts as done.
   *
   * `expired`: the caller states that the grant's `not_after` has passed. The role's trust policy and every statement
   * of its `iam-jit-grant` policy carry `DateLessThan aws:CurrentTime = not_after`, so from then on they allow nothing,
   * to old sessions too: the deny adds nothing and is skipped when the role holds only iam-jit's policy (2 calls:
   * delete the policy, then the role). A role someone added policies to (drift) still gets the deny before anything
   * else is removed. Without it (early revoke, orphan clean-up) the deny is always written first.
   */
  deleteRole(
    target: SpokeTarget,
    roleName: string,
    revokeBefore: Date,
    signal?: AbortSignal,
    options?: { expired?: boolean },
  ): Promise<void>;
  /**
   * Creates (or reuses `existingPermissionSetArn`) the grant's permission set and assigns it; calls
   * `onPermissionSetCreated` right after creating it. Returns the permission set ARN.
   */
  provisionAssignment(
    target: SpokeTarget,
    spec: AssignmentSpec,
    options: {
      existingPermissionSetArn: string | null;
      onPermissionSetCreated: (arn: string) => Promise<void>;
      signal?: AbortSignal;
      /** `existingPermissionSetArn` is an admin-chosen set shared by grants: assign only, never change it. */
      shared?: boolean;
    },
  ): Promise<string>;
  /**
   * Denies older sessions, removes the assignment, then the permission set; missing pieces count as done. With
   * `shared`, only the assignment is removed (the admin's permission set is left as it is).
   */
  deleteAssignment(
    target: SpokeTarget,
    spec: Pick<AssignmentSpec, 'userName' | 'accountId'>,
    permissionSetArn: string,
    revokeBefore: Date,
    options?: { signal?: AbortSignal; shared?: boolean },
  ): Promise<void>;
  /**
   * `identity_center` reconciler inventory: the permission sets provisioned to `accountId` plus `extraArns` plus the
   * instance's other `managed-by=iam-jit` sets, with their tags, inline policy and assigned users. Optional (AWS fakes may leave it out: such accounts are skipped).
   */
  inspectPermissionSets?(
    target: SpokeTarget,
    accountId: string,
    extraArns: readonly string[],
    signal?: AbortSignal,
  ): Promise<PermissionSetState[]>;
  /** Removes an orphan iam-jit permission set: deny older sessions, delete its assignments in `accountId`, then it. */
  deletePermissionSet?(
    target: SpokeTarget,
    accountId: string,
    permissionSetArn: string,
    revokeBefore: Date,
    signal?: AbortSignal,
  ): Promise<void>;
  /** Names of the roles under `/iam-jit/` in the spoke account (the reconciler's inventory). */
  listGrantRoles(target: SpokeTarget, signal?: AbortSignal): Promise<string[]>;
  /** The role's `iam-jit-grant` inline policy document, or undefined when the role or the policy is missing. */
  getGrantPolicy(target: SpokeTarget, roleName: string, signal?: AbortSignal): Promise<unknown | undefined>;
  /** AssumeRole of `roleArn` as the vending principal, with `sourceIdentity`, for `durationSeconds`. */
  vendCredentials(input: {
    roleArn: string;
    sessionName: string;
    sourceIdentity: string;
    durationSeconds: number;
  }): Promise<IssuedCredentials>;
}

/** Console sign-in for temporary credentials (implemented in aws/ over the AWS federation endpoint). */
export interface ConsoleFederation {
  /** A sign-in URL for `credentials`; `issuer` is shown by AWS when the session ends (the iam-jit URL). */
  signInUrl(credentials: IssuedCredentials, issuer: string): Promise<string>;
}

/** Told about conditions an operator must see (AWS failing during revocation, provisioning given up). */
export type AlertSink = (alert: { kind: string; grantId: string; message: string; attempt?: number }) => void;
