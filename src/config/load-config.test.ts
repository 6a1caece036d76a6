import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type Config, ConfigError, loadConfig } from './load-config.ts';
import { configSchema } from './schema.ts';

const KEY = 'ab'.repeat(32);
/** A minimal valid production environment. */
const BASE = { IAM_JIT_SECRET_KEY: KEY };

function problemsOf(env: Record<string, string>, yamlText?: string): string[] {
  try {
    loadConfig(env, yamlText === undefined ? {} : { yamlText });
  } catch (e) {
    assert.ok(e instanceof ConfigError);
    return e.problems.map((p) => `${p.variable}: ${p.message}`);
  }
  return [];
}

test('defaults: loopback on 8080, SQLite file, local auth, admin@localhost, fail-closed limits', () => {
  const c = loadConfig(BASE);
  assert.deepEqual(c.server, {
    baseUrl: 'http://127.0.0.1:8080',
    host: '127.0.0.1',
    port: 8080,
    trustProxy: false,
  });
  assert.deepEqual(c.database, { url: 'sqlite:./data/iam-jit.db' });
  assert.equal(c.auth.mode, 'local');
  assert.equal(c.auth.adminEmail, 'admin@localhost');
  assert.equal(c.devMode, false);
  assert.equal(c.smtp, undefined);
  assert.deepEqual(c.requests, {
    maxDurationHours: 12,
    defaultDurationHours: 1,
    requireJustification: true,
    approvalTimeoutHours: 24,
    maxOpenPerUser: 20,
  });
  assert.deepEqual(c.risk, { extraSensitiveServices: [], extraHighImpactActions: [] });
  assert.equal(c.secretKey, KEY);
  assert.equal(c.secretKeyEphemeral, false);
});

test('the result is deeply frozen', () => {
  const c = loadConfig(BASE);
  assert.ok(
    Object.isFrozen(c) && Object.isFrozen(c.server) && Object.isFrozen(c.risk.extraSensitiveServices),
  );
  assert.throws(() => {
    (c.server as { port: number }).port = 1;
  }, TypeError);
});

/** Per knob: accepted spellings and what they become; rejected values and the message naming the problem. */
const KNOBS: {
  variable: string;
  good: [string, (c: Config) => unknown, unknown][];
  bad: [string, RegExp][];
}[] = [
  {
    variable: 'IAM_JIT_BASE_URL',
    good: [
      ['https://iam-jit.example.com/', (c) => c.server.baseUrl, 'https://iam-jit.example.com'],
      ['http://10.0.0.5:9000/jit', (c) => c.server.baseUrl, 'http://10.0.0.5:9000/jit'],
    ],
    bad: [
      ['ftp://x', /http:\/\/ or https:\/\/ URL/],
      ['not a url', /URL/],
    ],
  },
  {
    variable: 'IAM_JIT_HOST',
    good: [
      ['0.0.0.0', (c) => [c.server.host, c.server.baseUrl], ['0.0.0.0', 'http://127.0.0.1:8080']],
      ['jit.internal', (c) => c.server.baseUrl, 'http://jit.internal:8080'],
    ],
    bad: [['bad host!', /hostname or IP/]],
  },
  {
    variable: 'IAM_JIT_PORT',
    good: [
      ['9090', (c) => [c.server.port, c.server.baseUrl], [9090, 'http://127.0.0.1:9090']],
      ['0', (c) => c.server.port, 0],
    ],
    bad: [
      ['abc', /integer from 0 to 65535/],
      ['65536', /integer from 0 to 65535/],
      ['80.5', /integer/],
    ],
  },
  {
    variable: 'IAM_JIT_TRUST_PROXY',
    good: [['yes', (c) => c.server.trustProxy, true]],
    bad: [['sure', /true or false/]],
  },
  {
    variable: 'IAM_JIT_DATABASE_URL',
    good: [
      ['postgres://iam:pw@db:5432/iam', (c) => c.database.url, 'postgres://iam:pw@db:5432/iam'],
      ['sqlite:/var/lib/iam-jit/db.sqlite', (c) => c.database.url, 'sqlite:/var/lib/iam-jit/db.sqlite'],
      ['./local.db', (c) => c.database.url, './local.db'],
    ],
    bad: [['mysql://db/iam', /sqlite:<path>.*postgres:\/\//]],
  },
  {
    variable: 'IAM_JIT_AUTH_MODE',
    good: [['aws_iam', (c) => c.auth.mode, 'aws_iam']],
    bad: [['ldap', /expected local or aws_iam/]],
  },
  { variable: 'IAM_JIT_DEV_MODE', good: [['1', (c) => c.devMode, true]], bad: [['maybe', /true or false/]] },
  {
    variable: 'IAM_JIT_ADMIN_EMAIL',
    good: [['Ops@Example.com', (c) => c.auth.adminEmail, 'ops@example.com']],
    bad: [['ops', /email address/]],
  },
  {
    variable: 'IAM_JIT_SECRET_KEY',
    good: [
      [Buffer.alloc(32, 1).toString('base64'), (c) => c.secretKey, Buffer.alloc(32, 1).toString('base64')],
    ],
    bad: [
      ['hunter2', /32 bytes/],
      ['ab'.repeat(16), /32 bytes/],
    ],
  },
  {
    variable: 'IAM_JIT_SMTP_HOST',
    good: [['smtp.example.com', (c) => c.smtp?.host, 'smtp.example.com']],
    bad: [['smtp example', /hostname/]],
  },
  {
    variable: 'IAM_JIT_SMTP_PORT',
    good: [['465', (c) => c.smtp?.port, 465]],
    bad: [['0', /integer from 1 to 65535/]],
  },
  {
    variable: 'IAM_JIT_SMTP_SECURE',
    good: [['true', (c) => c.smtp?.secure, true]],
    bad: [['tls', /true or false/]],
  },
  {
    variable: 'IAM_JIT_SMTP_FROM',
    good: [['iam-jit <jit@example.com>', (c) => c.smtp?.from, 'iam-jit <jit@example.com>']],
    bad: [['nobody', /address/]],
  },
  {
    variable: 'IAM_JIT_MAX_DURATION_HOURS',
    good: [['8', (c) => c.requests.maxDurationHours, 8]],
    bad: [
      ['0', /greater than 0/],
      ['-1', /greater than 0/],
      ['721', /at most 720/],
      ['eight', /number of hours/],
    ],
  },
  {
    variable: 'IAM_JIT_DEFAULT_DURATION_HOURS',
    good: [['0.5', (c) => c.requests.defaultDurationHours, 0.5]],
    bad: [
      ['13', /must not exceed IAM_JIT_MAX_DURATION_HOURS \(12\)/],
      ['0', /greater than 0/],
    ],
  },
  {
    variable: 'IAM_JIT_REQUIRE_JUSTIFICATION',
    good: [['false', (c) => c.requests.requireJustification, false]],
    bad: [['nope', /true or false/]],
  },
  {
    variable: 'IAM_JIT_APPROVAL_TIMEOUT_HOURS',
    good: [['72', (c) => c.requests.approvalTimeoutHours, 72]],
    bad: [['0', /greater than 0/]],
  },
  {
    variable: 'IAM_JIT_MAX_OPEN_REQUESTS_PER_USER',
    good: [['5', (c) => c.requests.maxOpenPerUser, 5]],
    bad: [['0', /integer from 1/]],
  },
  {
    variable: 'IAM_JIT_MAX_TOKENS_PER_USER',
    good: [['3', (c) => c.auth.maxTokensPerUser, 3]],
    bad: [['x', /integer/]],
  },
  {
    variable: 'IAM_JIT_LOGIN_LIMIT_PER_EMAIL',
    good: [['10', (c) => c.auth.loginLimitPerEmail, 10]],
    bad: [['0', /integer from 1/]],
  },
  {
    variable: 'IAM_JIT_JOB_CONCURRENCY',
    good: [['512', (c) => c.jobs.concurrency, 512]],
    bad: [['0', /integer from 1/]],
  },
  {
    variable: 'IAM_JIT_AWS_MAX_SOCKETS',
    good: [['128', (c) => c.aws.maxSockets, 128]],
    bad: [['lots', /integer/]],
  },
  {
    variable: 'IAM_JIT_LOGIN_LIMIT_PER_IP',
    good: [['100', (c) => c.auth.loginLimitPerIp, 100]],
    bad: [['-5', /integer from 1/]],
  },
  {
    variable: 'IAM_JIT_STS_ENDPOINT',
    good: [['http://127.0.0.1:4566/', (c) => c.auth.stsEndpoint, 'http://127.0.0.1:4566']],
    bad: [['sts.amazonaws.com', /URL/]],
  },
  {
    variable: 'IAM_JIT_STS_REGION',
    good: [['eu-west-1', (c) => c.auth.stsRegion, 'eu-west-1']],
    bad: [['Europe', /AWS region/]],
  },
  {
    variable: 'IAM_JIT_IAM_SERVER_ID',
    good: [['jit.example.com', (c) => c.auth.iamServerId, 'jit.example.com']],
    bad: [['has space', /printable text without spaces/]],
  },
  {
    variable: 'IAM_JIT_RISK_EXTRA_SENSITIVE_SERVICES',
    good: [['kms, secretsmanager,,', (c) => c.risk.extraSensitiveServices, ['kms', 'secretsmanager']]],
    bad: [['KMS', /service prefixes/]],
  },
  {
    variable: 'IAM_JIT_RISK_EXTRA_HIGH_IMPACT_ACTIONS',
    good: [
      [
        's3:DeleteBucket,ec2:Terminate*',
        (c) => c.risk.extraHighImpactActions,
        ['s3:DeleteBucket', 'ec2:Terminate*'],
      ],
    ],
    bad: [['DeleteBucket', /actions such as s3:DeleteBucket/]],
  },
  {
    variable: 'IAM_JIT_LOG_LEVEL',
    good: [['debug', (c) => c.logLevel, 'debug']],
    bad: [['loud', /expected one of fatal/]],
  },
  {
    variable: 'IAM_JIT_API_TOKEN',
    good: [[`iamjit_${'A'.repeat(43)}`, (c) => c.client.apiToken, `iamjit_${'A'.repeat(43)}`]],
    bad: [['iamjit_short', /iamjit_… API token/]],
  },
  {
    variable: 'IAM_JIT_VENDING_PRINCIPAL_ARN',
    good: [
      [
        'arn:aws:iam::111111111111:role/iam-jit-hub',
        (c) => [c.provisioning?.localAws, c.provisioning?.vendingPrincipalArn],
        [false, 'arn:aws:iam::111111111111:role/iam-jit-hub'],
      ],
    ],
    bad: [['iam-jit-hub', /IAM role or user ARN/]],
  },
  {
    variable: 'IAM_JIT_PERMISSIONS_BOUNDARY_NAME',
    good: [['iam-jit-boundary', (c) => c.provisioning, undefined]],
    bad: [['no spaces allowed', /IAM policy name/]],
  },
  {
    variable: 'IAM_JIT_AWS_ENDPOINT',
    good: [['http://127.0.0.1:4566', (c) => c.provisioning, undefined]],
    bad: [['localhost:4566', /URL/]],
  },
  {
    variable: 'IAM_JIT_WEBHOOK_ALLOW_HOSTS',
    good: [
      [
        '127.0.0.1, hooks.internal,10.1.0.0/16,[::1],fd00::/8',
        (c) => c.notify.allowHosts,
        ['127.0.0.1', 'hooks.internal', '10.1.0.0/16', '[::1]', 'fd00::/8'],
      ],
      ['', (c) => c.notify.allowHosts, []],
    ],
    bad: [
      ['http://hooks.internal/x', /hostnames, IP addresses or CIDRs/],
      ['10.0.0.0/33', /10\.0\.0\.0\/33 is not a valid CIDR/],
      ['hooks.internal/8', /hostnames, IP addresses or CIDRs/],
      ['fd00::/129', /fd00::\/129 is not a valid CIDR/],
    ],
  },
  {
    variable: 'IAM_JIT_CALLBACK_SECRET',
    good: [['whsec_0123456789abcdef', (c) => c.notify.callbackSecret, 'whsec_0123456789abcdef']],
    bad: [['short', /at least 16 printable characters/]],
  },
  {
    variable: 'IAM_JIT_LOCAL_AWS',
    good: [
      ['true', (c) => c.provisioning?.localAws, true],
      ['false', (c) => c.provisioning, undefined],
    ],
    bad: [['maybe', /true or false|boolean/]],
  },
  {
    variable: 'IAM_JIT_RECONCILE_INTERVAL_MINUTES',
    good: [
      ['5', (c) => c.reconcile.intervalMinutes, 5],
      ['1440', (c) => c.reconcile.intervalMinutes, 1440],
    ],
    bad: [
      ['0', /an integer from 1 to 1440/],
      ['1441', /an integer from 1 to 1440/],
    ],
  },
  {
    variable: 'IAM_JIT_RECONCILE_DRIFT_ACTION',
    good: [
      ['revoke', (c) => c.reconcile.driftAction, 'revoke'],
      ['report', (c) => c.reconcile.driftAction, 'report'],
    ],
    bad: [['delete', /expected one of repair, revoke, report/]],
  },
];

for (const knob of KNOBS) {
  test(`${knob.variable}: parses good values and names bad ones`, () => {
    for (const [value, read, expected] of knob.good) {
      const env = { ...BASE, IAM_JIT_SMTP_HOST: 'smtp.example.com', [knob.variable]: value };
      assert.deepEqual(read(loadConfig(env)), expected, `${knob.variable}=${value}`);
    }
    for (const [value, message] of knob.bad) {
      const problems = problemsOf({ ...BASE, [knob.variable]: value });
      assert.equal(problems.length, 1, `${knob.variable}=${value}: ${problems.join('; ')}`);
      assert.ok(problems[0]?.startsWith(`${knob.variable}: `), problems[0]);
      assert.match(problems[0] ?? '', message);
    }
  });
}

test('provisioning: the vending principal turns it on with its boundary and endpoint; the emulator excludes it', () => {
  const c = loadConfig({
    ...BASE,
    IAM_JIT_VENDING_PRINCIPAL_ARN: 'arn:aws:iam::111111111111:role/iam-jit-hub',
    IAM_JIT_PERMISSIONS_BOUNDARY_NAME: 'iam-jit-boundary',
    IAM_JIT_AWS_ENDPOINT: 'https://iam.example.com',
  });
  assert.deepEqual(c.provisioning, {
    localAws: false,
    vendingPrincipalArn: 'arn:aws:iam::111111111111:role/iam-jit-hub',
    permissionsBoundaryName: 'iam-jit-boundary',
    endpoint: 'https://iam.example.com',
  });
  assert.throws(
    () =>
      loadConfig({
        ...BASE,
        IAM_JIT_LOCAL_AWS: 'true',
        IAM_JIT_VENDING_PRINCIPAL_ARN: 'arn:aws:iam::111111111111:role/iam-jit-hub',
      }),
    /IAM_JIT_LOCAL_AWS: provisions into the built-in emulator, which has its own hub/,
  );
});

test('every schema variable has a description and a knob test above (or is IAM_JIT_CONFIG / SMTP credentials)', () => {
  const tested = new Set([
    ...KNOBS.map((k) => k.variable),
    'IAM_JIT_CONFIG',
    'IAM_JIT_SMTP_USER',
    'IAM_JIT_SMTP_PASSWORD',
  ]);
  for (const [name, field] of Object.entries(configSchema.shape)) {
    assert.ok((field.description ?? '').length > 10, `${name} needs .describe()`);
    assert.ok(tested.has(name), `${name} has no parsing test`);
  }
});

test('SMTP: unset host means no mail; user and password go together; password never echoed', () => {
  const c = loadConfig({
    ...BASE,
    IAM_JIT_SMTP_HOST: 'mail',
    IAM_JIT_SMTP_USER: 'jit',
    IAM_JIT_SMTP_PASSWORD: 'pw',
  });
  assert.deepEqual(c.smtp, {
    host: 'mail',
    port: 587,
    secure: false,
    user: 'jit',
    password: 'pw',
    from: 'iam-jit <iam-jit@localhost>',
  });
  assert.deepEqual(problemsOf({ ...BASE, IAM_JIT_SMTP_USER: 'jit' }), [
    'IAM_JIT_SMTP_PASSWORD: IAM_JIT_SMTP_USER and IAM_JIT_SMTP_PASSWORD must be set together',
  ]);
  const secretProblems = problemsOf({ IAM_JIT_SECRET_KEY: 'topsecretvalue' }).join('\n');
  assert.doesNotMatch(secretProblems, /topsecretvalue/);
});

test('secret key: required outside dev mode; dev mode makes up a random one per process', () => {
  assert.deepEqual(problemsOf({}), [
    'IAM_JIT_SECRET_KEY: required outside dev mode (generate one with `openssl rand -hex 32`)',
  ]);
  const a = loadConfig({ IAM_JIT_DEV_MODE: 'true' });
  const b = loadConfig({ IAM_JIT_DEV_MODE: 'true' });
  assert.match(a.secretKey, /^[0-9a-f]{64}$/);
  assert.notEqual(a.secretKey, b.secretKey);
  assert.equal(a.secretKeyEphemeral, true);
});

test('every problem is reported at once, each with its variable name', () => {
  const err = (() => {
    try {
      loadConfig({
        IAM_JIT_PORT: 'abc',
        IAM_JIT_AUTH_MODE: 'ldap',
        IAM_JIT_PROT: '1',
        IAM_JIT_MAX_DURATION_HOURS: '0',
      });
    } catch (e) {
      return e as ConfigError;
    }
    throw new Error('expected a ConfigError');
  })();
  assert.deepEqual(err.problems.map((p) => p.variable).sort(), [
    'IAM_JIT_AUTH_MODE',
    'IAM_JIT_MAX_DURATION_HOURS',
    'IAM_JIT_PORT',
    'IAM_JIT_PROT',
    'IAM_JIT_SECRET_KEY',
  ]);
  assert.match(err.message, /^invalid configuration:\n/);
  assert.match(err.message, /IAM_JIT_PORT: expected an integer from 0 to 65535 \(got "abc"\)/);
  assert.match(err.message, /IAM_JIT_PROT: unknown variable/);
});

test('empty env values count as unset; IAM_JIT_TEST_* and foreign variables are ignored', () => {
  const c = loadConfig({ ...BASE, IAM_JIT_PORT: '', IAM_JIT_TEST_PG_BIN: '/x', PATH: '/bin' });
  assert.equal(c.server.port, 8080);
});

test('YAML: typed values, lowercase keys without the prefix, env wins, accounts passed through', () => {
  const yaml = [
    `secret_key: "${KEY}"`,
    'port: 9000',
    'require_justification: false',
    'max_duration_hours: 4',
    'risk_extra_sensitive_services: [kms, secretsmanager]',
    'accounts:',
    '  - id: "111122223333"',
    '    name: prod',
  ].join('\n');
  const c = loadConfig({ IAM_JIT_PORT: '9100' }, { yamlText: yaml });
  assert.equal(c.server.port, 9100);
  assert.equal(c.requests.requireJustification, false);
  assert.equal(c.requests.maxDurationHours, 4);
  assert.deepEqual(c.risk.extraSensitiveServices, ['kms', 'secretsmanager']);
  assert.deepEqual(c.sections.accounts, [{ id: '111122223333', name: 'prod' }]);
  assert.equal(loadConfig(BASE, { yamlText: '' }).server.port, 8080);
});

test('YAML: unknown keys, bad values, non-mappings and syntax errors are named', () => {
  assert.deepEqual(problemsOf(BASE, 'prot: 1\nport: 70000\n'), [
    'IAM_JIT_PROT: unknown setting "prot" in iam-jit.yaml',
    'IAM_JIT_PORT: expected an integer from 0 to 65535 (got 70000)',
  ]);
  assert.deepEqual(problemsOf(BASE, '- a\n- b\n'), [
    'IAM_JIT_CONFIG: the YAML file must be a mapping of settings',
  ]);
  const syntax = problemsOf(BASE, 'port: [1\n');
  assert.equal(syntax.length, 1);
  assert.match(syntax[0] ?? '', /^IAM_JIT_CONFIG: not valid YAML/);
  assert.match(
    (() => {
      try {
        loadConfig(BASE, { yamlText: 'dev_mode: perhaps' });
      } catch (e) {
        return (e as Error).message;
      }
      return '';
    })(),
    /IAM_JIT_DEV_MODE \(iam-jit.yaml: dev_mode\): expected true or false/,
  );
});
