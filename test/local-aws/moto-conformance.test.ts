// Conformance against an independent emulator: the same SDK call sequence goes to our emulator and to
// moto_server (started here on a free loopback port); responses are compared field by field, ignoring
// generated ids and timestamps. Each difference is listed in KNOWN_DIFFERENCES with the side AWS's
// documentation supports; our side is asserted to match AWS there. Without moto_server the suite is skipped
// (and says so), except under CI, where it must run.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { after, before, test } from 'node:test';
import { CreateRoleCommand } from '@aws-sdk/client-iam';
import { CreateUserCommand, ListUsersCommand } from '@aws-sdk/client-identitystore';
import { ListInstancesCommand } from '@aws-sdk/client-sso-admin';
import { createState } from '../../src/local-aws/seed.ts';
import { type LocalAws, startLocalAws } from '../../src/local-aws/server.ts';
import { sdkClients } from '../../src/local-aws/testing.ts';
import { KNOWN_DIFFERENCES, type KnownDifference, SUCCESS } from './conformance-known.ts';
import { ACCOUNT, KEYS, STEPS, type Target } from './conformance-steps.ts';
import { findOnPath } from './on-path.ts';

const motoPath = findOnPath('moto_server');
const SKIP_REASON = 'moto_server not found on PATH: moto conformance suite SKIPPED';

let ours: LocalAws | undefined;
let moto: ChildProcess | undefined;
const outcomes = new Map<string, { ours: unknown; moto: unknown }>();

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

async function startMoto(): Promise<string> {
  const port = await freePort();
  moto = spawn(motoPath ?? 'moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    if (moto.exitCode !== null) throw new Error(`moto_server exited with ${moto.exitCode}`);
    try {
      if ((await fetch(`${url}/moto-api/`)).ok) return url;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('moto_server did not start within 30 s');
}

const POLICY_DOCS = new Set(['AssumeRolePolicyDocument', 'PolicyDocument']);
const VOLATILE = new Set([
  '$metadata',
  'RoleId',
  'PolicyId',
  'CreateDate',
  'UpdateDate',
  'CreatedDate',
  'RequestId',
  'AccessKeyId',
  'SecretAccessKey',
  'SessionToken',
  'Expiration',
  'UserId',
  'AssumedRoleId',
  'PermissionSetArn',
  'InstanceArn',
  'IdentityStoreId',
  'PrincipalId',
]);

/**
 * Drops generated ids and timestamps; opaque pagination markers become `<marker>`. URL-encoded policy documents
 * become `urlencoded:<decoded text>`: both sides percent-encode, but moto leaves `/` unencoded (checked
 * separately below), while a document sent raw stays raw so that difference still shows.
 */
function normalise(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalise);
  if (value instanceof Date) return '<date>';
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (VOLATILE.has(k)) continue;
    if (k === 'Marker' || k === 'NextToken') out[k] = '<marker>';
    else if (POLICY_DOCS.has(k) && typeof v === 'string' && v.startsWith('%'))
      out[k] = `urlencoded:${decodeURIComponent(v)}`;
    else out[k] = normalise(v);
  }
  return out;
}

async function outcome(step: (typeof STEPS)[number], target: Target): Promise<unknown> {
  try {
    return normalise(await step.run(target));
  } catch (e) {
    const err = e as Error & { $metadata?: { httpStatusCode?: number } };
    if (!err.$metadata) throw e;
    return { error: err.name, status: err.$metadata.httpStatusCode };
  }
}

const isError = (v: unknown): boolean => typeof v === 'object' && v !== null && 'error' in v;

/** Field-by-field differences; an error outcome on either side is compared as a whole at `$`. */
function diff(a: unknown, b: unknown, path = '$'): Array<{ path: string; ours: unknown; moto: unknown }> {
  if (path === '$' && (isError(a) || isError(b))) {
    return JSON.stringify(a) === JSON.stringify(b) ? [] : [{ path, ours: a, moto: b }];
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const n = Math.max(a.length, b.length);
    return Array.from({ length: n }, (_, i) => diff(a[i], b[i], `${path}[${i}]`)).flat();
  }
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) =>
      diff((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`),
    );
  }
  return a === b ? [] : [{ path, ours: a, moto: b }];
}

before(async () => {
  if (!motoPath) return;
  const motoUrl = await startMoto();
  ours = await startLocalAws({
    state: createState({
      accounts: [
        {
          id: ACCOUNT,
          users: [{ name: 'admin', ...KEYS }],
          identityCenter: {
            identityStoreId: 'd-0000000001',
            users: [{ userName: 'alice', displayName: 'Alice', givenName: 'Alice', familyName: 'Example' }],
          },
        },
      ],
    }),
  });
  // moto has no seed file: create the same Identity Store user through its API (not part of the comparison).
  const motoClients = sdkClients(motoUrl, KEYS);
  const inst = await motoClients.sso.send(new ListInstancesCommand({}));
  const storeId = inst.Instances?.[0]?.IdentityStoreId ?? '';
  const existing = await motoClients.identityStore.send(new ListUsersCommand({ IdentityStoreId: storeId }));
  if (!existing.Users?.length) {
    await motoClients.identityStore.send(
      new CreateUserCommand({
        IdentityStoreId: storeId,
        UserName: 'alice',
        DisplayName: 'Alice',
        Name: { GivenName: 'Alice', FamilyName: 'Example' },
      }),
    );
  }
  const targets: Target[] = [
    { name: 'ours', url: ours.url, clients: sdkClients(ours.url, KEYS), vars: {} },
    { name: 'moto', url: motoUrl, clients: motoClients, vars: {} },
  ];
  for (const step of STEPS) {
    const [o, m] = [await outcome(step, targets[0]!), await outcome(step, targets[1]!)];
    outcomes.set(step.name, { ours: o, moto: m });
  }
});

after(async () => {
  await ours?.close();
  if (moto && moto.exitCode === null) {
    const exited = new Promise((r) => moto?.once('exit', r));
    moto.kill('SIGTERM');
    await exited;
  }
});

function pathMatches(known: KnownDifference, path: string): boolean {
  const pattern = known.path.replace(/[.$[\]]/g, (c) => `\\${c}`).replace(/\\\[\*\\\]/g, '\\[\\d+\\]');
  return new RegExp(`^${pattern}$`).test(path);
}

/** Asserts our side of a recorded difference is what AWS documents. */
function checkOurs(known: KnownDifference, ours: unknown): void {
  const why = `${known.step} ${known.path}: expected AWS's behaviour (${known.source})`;
  if (known.aws === SUCCESS) assert.ok(!isError(ours), why);
  else if (known.aws instanceof RegExp) assert.match(String(ours), known.aws, why);
  else if (typeof known.aws === 'function') assert.ok(known.aws(ours), why);
  else assert.deepEqual(ours, known.aws, why);
}

test('moto conformance: moto_server is available (required under CI)', (t) => {
  if (motoPath) return;
  if (process.env.CI) assert.fail(`${SKIP_REASON} — but CI is set, so the suite must run`);
  console.log(SKIP_REASON);
  t.skip(SKIP_REASON);
});

for (const step of STEPS) {
  test(`moto conformance: ${step.name}`, (t) => {
    if (!motoPath) {
      t.skip(SKIP_REASON);
      return;
    }
    const got = outcomes.get(step.name);
    assert.ok(got, 'the step ran on both emulators');
    const known = KNOWN_DIFFERENCES.filter((k) => k.step === step.name);
    const unexpected: unknown[] = [];
    for (const d of diff(got.ours, got.moto)) {
      const k = known.find((x) => pathMatches(x, d.path));
      if (!k) unexpected.push(d);
      else checkOurs(k, d.ours);
    }
    assert.deepEqual(unexpected, [], `unrecorded differences in ${step.name}`);
  });
}

test('moto conformance: our permission set ARN follows the model pattern (moto uses instance/…)', (t) => {
  if (!motoPath) {
    t.skip(SKIP_REASON);
    return;
  }
  const arn = ours?.state.accounts[ACCOUNT]?.identityCenter?.operations[0]?.assignment.permissionSetArn ?? '';
  assert.match(arn, /^arn:aws:sso:::permissionSet\/ssoins-[a-zA-Z0-9-.]{16}\/ps-[a-zA-Z0-9-./]{16}$/);
});

test('moto conformance: policy documents are RFC 3986-encoded, `/` as %2F (moto leaves `/` as is)', async (t) => {
  if (!motoPath || !ours) {
    t.skip(SKIP_REASON);
    return;
  }
  // Source: IAM API Reference, GetRole — the document is "URL-encoded compliant with RFC 3986", where `/` is a
  // reserved character; a real GetRole response logged by botocore also shows reserved `*` as %2A.
  const { iam } = sdkClients(ours.url, KEYS);
  const doc = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/admin` }, Action: 'sts:*' },
    ],
  });
  const created = await iam.send(
    new CreateRoleCommand({ RoleName: 'encoding-check', AssumeRolePolicyDocument: doc }),
  );
  const encoded = created.Role?.AssumeRolePolicyDocument ?? '';
  assert.match(encoded, /user%2Fadmin/);
  assert.match(encoded, /sts%3A%2A/);
  assert.equal(decodeURIComponent(encoded), doc);
});
