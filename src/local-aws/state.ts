/**
 * The emulator's in-memory state: accounts (root principal, IAM users, roles, customer managed policies,
 * an optional Identity Center instance) and STS sessions. Everything is plain JSON-serialisable data, so
 * `exportState` output is itself a valid seed for `createState`.
 */

/** An IAM tag, field names as on the wire. */
export interface Tag {
  Key: string;
  Value: string;
}

export interface RoleRecord {
  name: string;
  path: string;
  roleId: string;
  arn: string;
  /** ISO-8601. */
  createDate: string;
  /** The trust policy as the caller sent it (JSON text). */
  assumeRolePolicyDocument: string;
  description?: string;
  /** Seconds, 3600…43200. */
  maxSessionDuration: number;
  permissionsBoundaryArn?: string;
  tags: Tag[];
  /** Inline policy name → document text. */
  inlinePolicies: Record<string, string>;
  attachedPolicyArns: string[];
}

export interface ManagedPolicyRecord {
  name: string;
  path: string;
  policyId: string;
  arn: string;
  document: string;
  description?: string;
  createDate: string;
  updateDate: string;
  tags: Tag[];
}

/** An IAM user with one long-term access key. Calls made with it are not policy-checked. */
export interface UserRecord {
  name: string;
  userId: string;
  arn: string;
  accessKeyId: string;
  secretAccessKey: string;
}

export interface SessionRecord {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  accountId: string;
  roleName: string;
  roleId: string;
  roleArn: string;
  sessionName: string;
  /** ISO-8601; `aws:TokenIssueTime`. */
  issuedAt: string;
  expiresAt: string;
  /** Inline session policy (JSON text), intersected with the role's permissions. */
  sessionPolicy?: string;
  /** Managed session policy ARNs (`PolicyArns`). */
  sessionPolicyArns: string[];
  sourceIdentity?: string;
  tags: Tag[];
  /** ARN of the principal that called AssumeRole. */
  callerArn: string;
}

export interface PermissionSetRecord {
  arn: string;
  name: string;
  description?: string;
  sessionDuration: string;
  relayState?: string;
  createdDate: string;
  inlinePolicy?: string;
  tags: Tag[];
  /** Accounts the current version has been provisioned to. */
  provisionedAccounts: string[];
}

export interface AssignmentRecord {
  accountId: string;
  permissionSetArn: string;
  principalType: 'USER' | 'GROUP';
  principalId: string;
}

/** An asynchronous Create/DeleteAccountAssignment request and its status. */
export interface AssignmentOperation {
  requestId: string;
  kind: 'create' | 'delete';
  assignment: AssignmentRecord;
  status: 'IN_PROGRESS' | 'FAILED' | 'SUCCEEDED';
  failureReason?: string;
  createdDate: string;
  /** ISO-8601 instant at which the operation settles. */
  completesAt: string;
}

export interface IdentityStoreUser {
  userId: string;
  userName: string;
  displayName?: string;
  givenName?: string;
  familyName?: string;
  email?: string;
}

export interface IdentityCenterRecord {
  instanceArn: string;
  identityStoreId: string;
  /** Optional display name of the instance (UpdateInstance sets it in AWS). */
  name?: string;
  createdDate: string;
  permissionSets: PermissionSetRecord[];
  assignments: AssignmentRecord[];
  operations: AssignmentOperation[];
  users: IdentityStoreUser[];
}

export interface AccountRecord {
  id: string;
  name: string;
  rootAccessKeyId: string;
  rootSecretAccessKey: string;
  users: UserRecord[];
  /** Keyed by lower-cased role name: IAM role names are unique case-insensitively. */
  roles: Record<string, RoleRecord>;
  /** Customer managed policies keyed by ARN. */
  policies: Record<string, ManagedPolicyRecord>;
  identityCenter?: IdentityCenterRecord;
}

export interface EmulatorState {
  accounts: Record<string, AccountRecord>;
  /** AWS managed policies (`arn:aws:iam::aws:policy/…`) available to every account, keyed by ARN. */
  awsManagedPolicies: Record<string, ManagedPolicyRecord>;
  /** STS sessions keyed by access key id. */
  sessions: Record<string, SessionRecord>;
}

/** The principal a set of long-term or temporary credentials belongs to. */
export type Principal =
  | { kind: 'root'; account: AccountRecord; arn: string; userId: string; secret: string }
  | { kind: 'user'; account: AccountRecord; user: UserRecord; arn: string; userId: string; secret: string }
  | {
      kind: 'session';
      account: AccountRecord;
      session: SessionRecord;
      arn: string;
      userId: string;
      secret: string;
    };

/** Looks up the principal owning `accessKeyId`, or undefined (→ `InvalidClientTokenId`). */
export function findPrincipal(state: EmulatorState, accessKeyId: string): Principal | undefined {
  const session = state.sessions[accessKeyId];
  if (session) {
    const account = state.accounts[session.accountId];
    if (!account) return undefined;
    return {
      kind: 'session',
      account,
      session,
      arn: assumedRoleArn(session),
      userId: `${session.roleId}:${session.sessionName}`,
      secret: session.secretAccessKey,
    };
  }
  for (const account of Object.values(state.accounts)) {
    if (account.rootAccessKeyId === accessKeyId) {
      return {
        kind: 'root',
        account,
        arn: `arn:aws:iam::${account.id}:root`,
        userId: account.id,
        secret: account.rootSecretAccessKey,
      };
    }
    const user = account.users.find((u) => u.accessKeyId === accessKeyId);
    if (user)
      return {
        kind: 'user',
        account,
        user,
        arn: user.arn,
        userId: user.userId,
        secret: user.secretAccessKey,
      };
  }
  return undefined;
}

/** `arn:aws:sts::<account>:assumed-role/<role>/<session>` (the role path is not part of it). */
export function assumedRoleArn(session: SessionRecord): string {
  return `arn:aws:sts::${session.accountId}:assumed-role/${session.roleName}/${session.sessionName}`;
}

/** A managed policy visible to `account`: its own customer managed policies and the AWS managed ones. */
export function findManagedPolicy(
  state: EmulatorState,
  account: AccountRecord,
  arn: string,
): ManagedPolicyRecord | undefined {
  return account.policies[arn] ?? state.awsManagedPolicies[arn];
}

/** Finds a role by name, case-insensitively as IAM does. */
export function findRole(account: AccountRecord, name: string): RoleRecord | undefined {
  return account.roles[name.toLowerCase()];
}
