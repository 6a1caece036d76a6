import { z } from 'zod';
import { booleanField, hoursField, httpUrlField, integerField, listField, textField } from './fields.ts';

/** Every environment variable iam-jit reads starts with this. */
export const ENV_PREFIX = 'IAM_JIT_';

const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$/;
const HOSTNAME = /^[A-Za-z0-9.:[\]-]+$/;
const DATABASE_URL = /^(sqlite:.+|postgres(ql)?:\/\/.+|[^:]+)$/i;
const SERVICE_PREFIX = /^[a-z0-9-]+$/;
const ACTION_PATTERN = /^[a-z0-9-]+:[A-Za-z0-9*?]+$/;
const ALLOW_HOST = /^(\[?[0-9A-Fa-f:.]+\]?(\/\d{1,3})?|[A-Za-z0-9.-]+)$/;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * The one schema over every `IAM_JIT_*` variable (DESIGN.md §2 config/). Keys are the env var names; the same
 * settings may be given in `iam-jit.yaml` under the lowercase name without the prefix (`IAM_JIT_PORT` → `port`).
 * Env vars win over the file. Cross-field rules live in `load-config.ts`. Descriptions feed docs/configuration.md.
 */
/** The reconciler's drift actions (grants/reconcile.ts `DRIFT_ACTIONS`). */
export const RECONCILE_DRIFT_ACTIONS = ['repair', 'revoke', 'report'] as const;

export const configSchema = z.object({
  IAM_JIT_CONFIG: z
    .string()
    .optional()
    .describe('Path of the optional YAML config file. Default: ./iam-jit.yaml when it exists. Env only.'),
  IAM_JIT_DEV_MODE: booleanField(false).describe(
    'Development mode: login links are also shown in API responses and on the console, the bootstrap admin is created at start-up, and a missing secret key is replaced by a random one per process. Never in production.',
  ),
  IAM_JIT_BASE_URL: httpUrlField()
    .optional()
    .describe(
      'Public URL of the service, used in login links and callbacks. Default: http://<host>:<port> (127.0.0.1 when the host is a wildcard).',
    ),
  IAM_JIT_HOST: textField(HOSTNAME, 'a hostname or IP address')
    .default('127.0.0.1')
    .describe(
      'Interface to listen on. Default 127.0.0.1 (loopback only); use 0.0.0.0 behind a load balancer.',
    ),
  IAM_JIT_PORT: integerField(0, 65535).default(8080).describe('TCP port to listen on (0 = any free port).'),
  IAM_JIT_TRUST_PROXY: booleanField(false).describe(
    'Trust X-Forwarded-For / X-Forwarded-Proto from a reverse proxy (for per-IP rate limits and secure cookies). Only enable behind a proxy that sets them.',
  ),
  IAM_JIT_DATABASE_URL: textField(
    DATABASE_URL,
    'sqlite:<path>, a file path, or postgres://user:password@host:port/db',
  )
    .default('sqlite:./data/iam-jit.db')
    .describe(
      'Database: sqlite:<path> (default sqlite:./data/iam-jit.db, WAL) or postgres://… for several replicas.',
    ),
  IAM_JIT_AUTH_MODE: z
    .enum(['local', 'aws_iam'], { error: 'expected local or aws_iam' })
    .default('local')
    .describe(
      'How people authenticate: local (email magic links, sessions, API tokens) or aws_iam (signed sts:GetCallerIdentity, like Vault AWS auth). API tokens work in both.',
    ),
  IAM_JIT_ADMIN_EMAIL: textField(EMAIL, 'an email address')
    .default('admin@localhost')
    .describe('Email of the bootstrap admin created in dev mode (and the default for `iam-jit seed-admin`).'),
  IAM_JIT_SECRET_KEY: textField(
    /^([0-9a-fA-F]{64}|[A-Za-z0-9+/_-]{43}=?)$/,
    '32 bytes as 64 hex characters or base64',
  )
    .optional()
    .describe(
      'Key encrypting secrets at rest (webhook secrets, SMTP password): 32 random bytes as hex or base64, e.g. `openssl rand -hex 32`. Required unless dev mode; there is no default.',
    ),
  IAM_JIT_SMTP_HOST: textField(HOSTNAME, 'a hostname or IP address')
    .optional()
    .describe(
      'SMTP server for login links and notifications. Unset: no mail is sent (dev mode prints links).',
    ),
  IAM_JIT_SMTP_PORT: integerField(1, 65535)
    .default(587)
    .describe('SMTP port (587 STARTTLS, 465 implicit TLS, 25).'),
  IAM_JIT_SMTP_SECURE: booleanField(false).describe(
    'Use implicit TLS from the first byte (port 465). false = STARTTLS when offered.',
  ),
  IAM_JIT_SMTP_USER: z
    .string()
    .optional()
    .describe('SMTP user name; set together with IAM_JIT_SMTP_PASSWORD.'),
  IAM_JIT_SMTP_PASSWORD: z
    .string()
    .optional()
    .describe('SMTP password; set together with IAM_JIT_SMTP_USER.'),
  IAM_JIT_SMTP_FROM: textField(
    /^[^\r\n]*[^\s@<>]+@[A-Za-z0-9.-]+>?$/,
    'an address such as iam-jit@example.com or "iam-jit <iam-jit@example.com>"',
  )
    .default('iam-jit <iam-jit@localhost>')
    .describe('From: address of outgoing mail.'),
  IAM_JIT_MAX_DURATION_HOURS: hoursField(720)
    .default(12)
    .describe('Longest grant anyone may request, in hours (accounts may set a lower maximum).'),
  IAM_JIT_DEFAULT_DURATION_HOURS: hoursField(720)
    .default(1)
    .describe('Duration used when a request gives none, in hours; at most the maximum.'),
  IAM_JIT_REQUIRE_JUSTIFICATION: booleanField(true).describe('Reject requests without a justification text.'),
  IAM_JIT_APPROVAL_TIMEOUT_HOURS: hoursField(8760)
    .default(24)
    .describe('A pending request not decided within this many hours becomes timed_out.'),
  IAM_JIT_MAX_OPEN_REQUESTS_PER_USER: integerField(1, 10000)
    .default(20)
    .describe('Pending plus approved requests one user may have at once (beyond: 429).'),
  IAM_JIT_MAX_TOKENS_PER_USER: integerField(1, 1000).default(20).describe('API tokens one user may hold.'),
  IAM_JIT_LOGIN_LIMIT_PER_EMAIL: integerField(1, 1000)
    .default(5)
    .describe('Login-link requests per email address per 15 minutes.'),
  IAM_JIT_LOGIN_LIMIT_PER_IP: integerField(1, 100000)
    .default(30)
    .describe(
      'Login-link requests per client IP per 15 minutes; separately, sign-in link uses per client IP.',
    ),
  IAM_JIT_STS_ENDPOINT: httpUrlField()
    .default('https://sts.amazonaws.com')
    .describe(
      'STS endpoint that aws_iam authentication forwards signed GetCallerIdentity requests to (e.g. https://sts.eu-west-1.amazonaws.com, or the local emulator).',
    ),
  IAM_JIT_STS_REGION: textField(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'an AWS region such as us-east-1')
    .default('us-east-1')
    .describe('Region the signed GetCallerIdentity requests must be signed for.'),
  IAM_JIT_IAM_SERVER_ID: textField(/^[\x21-\x7e]{1,256}$/, 'printable text without spaces')
    .optional()
    .describe(
      'If set, aws_iam callers must sign the header X-IAM-JIT-Server-ID with this value, so a signed request made for another service cannot be replayed here.',
    ),
  IAM_JIT_RISK_EXTRA_SENSITIVE_SERVICES: listField(
    SERVICE_PREFIX,
    'service prefixes such as kms or secretsmanager',
  ).describe('Services the risk score treats as sensitive in addition to the built-in set (additions only).'),
  IAM_JIT_RISK_EXTRA_HIGH_IMPACT_ACTIONS: listField(
    ACTION_PATTERN,
    'actions such as s3:DeleteBucket (wildcards allowed)',
  ).describe(
    'Actions the risk score treats as high-impact in addition to the built-in set (additions only).',
  ),
  IAM_JIT_VENDING_PRINCIPAL_ARN: textField(
    /^arn:aws[a-z-]*:(iam|sts)::\d{12}:[\x21-\x7e]+$/,
    'an IAM role or user ARN such as arn:aws:iam::111111111111:role/iam-jit-hub',
  )
    .optional()
    .describe(
      'The hub principal that provisions grants and vends their credentials (its AWS default-chain credentials are used). Setting it turns provisioning on. Grant roles trust it.',
    ),
  IAM_JIT_PERMISSIONS_BOUNDARY_NAME: textField(/^[\w+=,.@-]{1,128}$/, 'an IAM policy name')
    .optional()
    .describe(
      'Name of the permissions boundary policy present in every spoke account (see deploy/aws); attached to every grant role.',
    ),
  IAM_JIT_AWS_ENDPOINT: httpUrlField()
    .optional()
    .describe(
      'Endpoint for the IAM and STS calls of provisioning (a VPC endpoint, or an emulator). Default: AWS.',
    ),
  IAM_JIT_LOCAL_AWS: booleanField(false).describe(
    'Start the built-in AWS emulator in-process and provision into it: a hub and one spoke account (222222222222, registered at start-up with the bootstrap admin as approver). For trying iam-jit without AWS; `npm start` turns it on unless a vending principal is set.',
  ),
  IAM_JIT_JOB_CONCURRENCY: integerField(1, 10000)
    .default(256)
    .describe(
      'Background jobs one server process runs at once (grant provisioning and expiry, notifications). Jobs mostly wait on AWS or the network, so a burst of expiries needs many in flight; each waits on few resources.',
    ),
  IAM_JIT_AWS_MAX_SOCKETS: integerField(1, 10000)
    .default(64)
    .describe(
      'Open connections per AWS endpoint, shared by all provisioning calls; calls beyond it wait for one.',
    ),
  IAM_JIT_RECONCILE_INTERVAL_MINUTES: integerField(1, 1440)
    .default(15)
    .describe(
      'How often the reconciler compares AWS with the grants table (orphan roles revoked, drift handled), in minutes.',
    ),
  IAM_JIT_RECONCILE_DRIFT_ACTION: z
    .enum(RECONCILE_DRIFT_ACTIONS, { error: `expected one of ${RECONCILE_DRIFT_ACTIONS.join(', ')}` })
    .default('repair')
    .describe(
      'What the reconciler does with a live grant whose role is missing or whose policy differs from the approved one: repair (re-provision it), revoke (end the grant), or report (audit and log only).',
    ),
  IAM_JIT_LOG_LEVEL: z
    .enum(LOG_LEVELS, { error: `expected one of ${LOG_LEVELS.join(', ')}` })
    .default('info')
    .describe('Lowest level of log lines written (pino levels).'),
  IAM_JIT_WEBHOOK_ALLOW_HOSTS: listField(
    ALLOW_HOST,
    'hostnames, IP addresses or CIDRs such as hooks.internal or 10.1.0.0/16',
  ).describe(
    'Notification targets (webhooks, callbacks, chat) exempt from the SSRF guard, which otherwise refuses private, loopback, link-local, unique-local and multicast addresses: hostnames, IP addresses or CIDRs, comma-separated.',
  ),
  IAM_JIT_CALLBACK_SECRET: textField(
    /^[\x21-\x7e]{16,256}$/,
    'at least 16 printable characters without spaces',
  )
    .optional()
    .describe(
      'Signs deliveries to request callback URLs (X-IAM-JIT-Signature, as for webhooks). Unset: callbacks are sent unsigned.',
    ),
  IAM_JIT_API_TOKEN: textField(/^iamjit_[A-Za-z0-9_-]{43}$/, 'an iamjit_… API token')
    .optional()
    .describe('Client side (CLI, MCP): the API token to send. The server ignores it.'),
});

/** The parsed variables, keyed by env name. */
export type ConfigVariables = z.output<typeof configSchema>;
/** The names of every variable. */
export type ConfigVariableName = keyof ConfigVariables;
