import { readFile, writeFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { newHex, newIamId } from './ids.ts';
import type {
  AccountRecord,
  EmulatorState,
  IdentityCenterRecord,
  ManagedPolicyRecord,
  RoleRecord,
  SessionRecord,
} from './state.ts';

const tag = z.object({ Key: z.string(), Value: z.string() });
const doc = z.union([z.string(), z.record(z.string(), z.unknown())]);

const roleSeed = z.object({
  name: z.string(),
  path: z.string().optional(),
  roleId: z.string().optional(),
  createDate: z.string().optional(),
  assumeRolePolicyDocument: doc,
  description: z.string().optional(),
  maxSessionDuration: z.number().int().optional(),
  permissionsBoundaryArn: z.string().optional(),
  tags: z.array(tag).optional(),
  inlinePolicies: z.record(z.string(), doc).optional(),
  attachedPolicyArns: z.array(z.string()).optional(),
});

const policySeed = z.object({
  name: z.string(),
  path: z.string().optional(),
  policyId: z.string().optional(),
  document: doc,
  description: z.string().optional(),
  createDate: z.string().optional(),
  updateDate: z.string().optional(),
  tags: z.array(tag).optional(),
});

const userSeed = z.object({
  name: z.string(),
  userId: z.string().optional(),
  accessKeyId: z.string(),
  secretAccessKey: z.string(),
});

const identityCenterSeed = z.object({
  instanceArn: z.string().optional(),
  identityStoreId: z.string().optional(),
  name: z.string().optional(),
  createdDate: z.string().optional(),
  users: z
    .array(
      z.object({
        userName: z.string(),
        userId: z.string().optional(),
        displayName: z.string().optional(),
        givenName: z.string().optional(),
        familyName: z.string().optional(),
        email: z.string().optional(),
      }),
    )
    .optional(),
  permissionSets: z.array(z.looseObject({ arn: z.string(), name: z.string() })).optional(),
  assignments: z.array(z.looseObject({ accountId: z.string() })).optional(),
  operations: z.array(z.looseObject({ requestId: z.string() })).optional(),
});

const accountSeed = z.object({
  id: z.string().regex(/^\d{12}$/, 'account id must be 12 digits'),
  name: z.string().optional(),
  rootAccessKeyId: z.string().optional(),
  rootSecretAccessKey: z.string().optional(),
  users: z.array(userSeed).optional(),
  roles: z.array(roleSeed).optional(),
  policies: z.array(policySeed).optional(),
  identityCenter: identityCenterSeed.optional(),
});

/** The seed / saved-state document: `{ accounts: [...], sessions?: [...] }` (JSON or YAML). */
export const seedSchema = z.object({
  accounts: z.array(accountSeed).min(1),
  /** AWS managed policies to offer every account (`arn:aws:iam::aws:policy/<path><name>`). */
  awsManagedPolicies: z.array(policySeed).optional(),
  sessions: z.array(z.looseObject({ accessKeyId: z.string() })).optional(),
});
export type StateSeed = z.input<typeof seedSchema>;

/** The account used when no seed is given. */
export const DEFAULT_ACCOUNT_ID = '111111111111';

/**
 * Root credentials of an account that does not set them: `AKIA<account id>ROOT` with secret
 * `local-aws-root-secret-<account id>`. Documented so the AWS CLI can be pointed at a fresh emulator.
 */
export function defaultRootCredentials(accountId: string): { accessKeyId: string; secretAccessKey: string } {
  return { accessKeyId: `AKIA${accountId}ROOT`, secretAccessKey: `local-aws-root-secret-${accountId}` };
}

/**
 * Credentials of the IAM user `local-admin` in the default seed: `AKIA<account id>USER` with secret
 * `local-aws-user-secret-<account id>` (root cannot assume roles in AWS, a user can).
 */
export function defaultUserCredentials(accountId: string): { accessKeyId: string; secretAccessKey: string } {
  return { accessKeyId: `AKIA${accountId}USER`, secretAccessKey: `local-aws-user-secret-${accountId}` };
}

/** The seed used when none is given: one account with user `local-admin` and an Identity Center instance. */
export function defaultSeed(accountId: string = DEFAULT_ACCOUNT_ID): StateSeed {
  return {
    accounts: [
      {
        id: accountId,
        users: [{ name: 'local-admin', ...defaultUserCredentials(accountId) }],
        identityCenter: {},
      },
    ],
  };
}

const docText = (d: string | Record<string, unknown>): string =>
  typeof d === 'string' ? d : JSON.stringify(d);

/**
 * Builds emulator state from a seed (validated; throws a zod error listing every problem).
 * Missing ids, dates and credentials are generated; the default seed is one account with Identity Center.
 */
export function createState(seed: unknown = defaultSeed(), now: Date = new Date()): EmulatorState {
  const parsed = seedSchema.parse(seed);
  const iso = now.toISOString();
  const state: EmulatorState = { accounts: {}, awsManagedPolicies: {}, sessions: {} };
  for (const p of parsed.awsManagedPolicies ?? []) {
    const policy = seedPolicy('aws', p, iso);
    state.awsManagedPolicies[policy.arn] = policy;
  }
  for (const a of parsed.accounts) {
    const root = defaultRootCredentials(a.id);
    const account: AccountRecord = {
      id: a.id,
      name: a.name ?? a.id,
      rootAccessKeyId: a.rootAccessKeyId ?? root.accessKeyId,
      rootSecretAccessKey: a.rootSecretAccessKey ?? root.secretAccessKey,
      users: (a.users ?? []).map((u) => ({
        name: u.name,
        userId: u.userId ?? newIamId('AIDA'),
        arn: `arn:aws:iam::${a.id}:user/${u.name}`,
        accessKeyId: u.accessKeyId,
        secretAccessKey: u.secretAccessKey,
      })),
      roles: {},
      policies: {},
    };
    for (const p of a.policies ?? []) {
      const policy = seedPolicy(a.id, p, iso);
      account.policies[policy.arn] = policy;
    }
    for (const r of a.roles ?? []) {
      const role = seedRole(a.id, r, iso);
      account.roles[role.name.toLowerCase()] = role;
    }
    if (a.identityCenter) account.identityCenter = seedIdentityCenter(a.identityCenter, iso);
    state.accounts[a.id] = account;
  }
  for (const s of parsed.sessions ?? []) {
    state.sessions[s.accessKeyId] = s as unknown as EmulatorState['sessions'][string];
  }
  return state;
}

/** A managed policy owned by an account, or by `aws` for AWS managed policies. */
function seedPolicy(owner: string, p: z.infer<typeof policySeed>, iso: string): ManagedPolicyRecord {
  const path = p.path ?? '/';
  return {
    name: p.name,
    path,
    policyId: p.policyId ?? newIamId('ANPA'),
    arn: `arn:aws:iam::${owner}:policy${path}${p.name}`,
    document: docText(p.document),
    createDate: p.createDate ?? iso,
    updateDate: p.updateDate ?? iso,
    tags: p.tags ?? [],
    ...(p.description === undefined ? {} : { description: p.description }),
  };
}

function seedRole(accountId: string, r: z.infer<typeof roleSeed>, iso: string): RoleRecord {
  const path = r.path ?? '/';
  const role: RoleRecord = {
    name: r.name,
    path,
    roleId: r.roleId ?? newIamId('AROA'),
    arn: `arn:aws:iam::${accountId}:role${path}${r.name}`,
    createDate: r.createDate ?? iso,
    assumeRolePolicyDocument: docText(r.assumeRolePolicyDocument),
    maxSessionDuration: r.maxSessionDuration ?? 3600,
    tags: r.tags ?? [],
    inlinePolicies: Object.fromEntries(
      Object.entries(r.inlinePolicies ?? {}).map(([k, v]) => [k, docText(v)]),
    ),
    attachedPolicyArns: r.attachedPolicyArns ?? [],
  };
  if (r.description !== undefined) role.description = r.description;
  if (r.permissionsBoundaryArn !== undefined) role.permissionsBoundaryArn = r.permissionsBoundaryArn;
  return role;
}

function seedIdentityCenter(ic: z.infer<typeof identityCenterSeed>, iso: string): IdentityCenterRecord {
  const storeId = ic.identityStoreId ?? `d-${newHex(10)}`;
  const storeHex = storeId.startsWith('d-') ? storeId.slice(2) : newHex(10);
  return {
    instanceArn: ic.instanceArn ?? `arn:aws:sso:::instance/ssoins-${newHex(16)}`,
    identityStoreId: storeId,
    ...(ic.name === undefined ? {} : { name: ic.name }),
    createdDate: ic.createdDate ?? iso,
    users: (ic.users ?? []).map((u) => ({
      userId: u.userId ?? `${storeHex}-${crypto.randomUUID()}`,
      userName: u.userName,
      ...(u.displayName === undefined ? {} : { displayName: u.displayName }),
      ...(u.givenName === undefined ? {} : { givenName: u.givenName }),
      ...(u.familyName === undefined ? {} : { familyName: u.familyName }),
      ...(u.email === undefined ? {} : { email: u.email }),
    })),
    permissionSets: (ic.permissionSets ?? []) as unknown as IdentityCenterRecord['permissionSets'],
    assignments: (ic.assignments ?? []) as unknown as IdentityCenterRecord['assignments'],
    operations: (ic.operations ?? []) as unknown as IdentityCenterRecord['operations'],
  };
}

/** Saved state: the seed shape with every generated field filled in. */
export interface ExportedState {
  accounts: Array<
    Omit<AccountRecord, 'roles' | 'policies'> & { roles: RoleRecord[]; policies: ManagedPolicyRecord[] }
  >;
  awsManagedPolicies: ManagedPolicyRecord[];
  sessions: SessionRecord[];
}

/** Serialises state into a seed document that `createState` restores exactly (sessions included). */
export function exportState(state: EmulatorState): ExportedState {
  return {
    accounts: Object.values(state.accounts).map((a) => ({
      ...a,
      roles: Object.values(a.roles),
      policies: Object.values(a.policies),
    })),
    awsManagedPolicies: Object.values(state.awsManagedPolicies),
    sessions: Object.values(state.sessions),
  };
}

/** Reads a seed from a `.json`, `.yaml` or `.yml` file and builds state (throws on unreadable or invalid input). */
export async function loadStateFile(path: string, now?: Date): Promise<EmulatorState> {
  const text = await readFile(path, 'utf8');
  const data: unknown = /\.ya?ml$/i.test(path) ? parseYaml(text) : JSON.parse(text);
  return createState(data, now);
}

/** Writes state as pretty JSON to `path`. */
export async function saveStateFile(path: string, state: EmulatorState): Promise<void> {
  await writeFile(path, `${JSON.stringify(exportState(state), null, 2)}\n`, 'utf8');
}
