import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { parse as parseYaml } from 'yaml';
import {
  type ConfigVariableName,
  type ConfigVariables,
  configSchema,
  ENV_PREFIX,
  type RECONCILE_DRIFT_ACTIONS,
} from './schema.ts';

/** One thing wrong with the configuration. */
export interface ConfigProblem {
  /** The env var name (also when the value came from the YAML file). */
  readonly variable: string;
  /** Where the value came from. */
  readonly source: 'env' | 'yaml' | 'default';
  readonly message: string;
}

/** Thrown by `loadConfig` with every problem at once; the message lists them one per line. */
export class ConfigError extends Error {
  readonly problems: readonly ConfigProblem[];
  constructor(problems: readonly ConfigProblem[]) {
    super(
      `invalid configuration:\n${problems
        .map(
          (p) =>
            `  ${p.variable}${p.source === 'yaml' ? ` (iam-jit.yaml: ${yamlKey(p.variable)})` : ''}: ${p.message}`,
        )
        .join('\n')}`,
    );
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** The validated configuration. Frozen; passed into factories, never read from globals. */
export interface Config {
  readonly devMode: boolean;
  readonly logLevel: ConfigVariables['IAM_JIT_LOG_LEVEL'];
  readonly server: {
    readonly baseUrl: string;
    readonly host: string;
    readonly port: number;
    readonly trustProxy: boolean;
  };
  readonly database: { readonly url: string };
  readonly auth: {
    readonly mode: 'local' | 'aws_iam';
    readonly adminEmail: string;
    readonly maxTokensPerUser: number;
    readonly loginLimitPerEmail: number;
    readonly loginLimitPerIp: number;
    readonly stsEndpoint: string;
    readonly stsRegion: string;
    readonly iamServerId: string | undefined;
  };
  /** Undefined when no SMTP host is set: mail is not sent. */
  readonly smtp:
    | {
        readonly host: string;
        readonly port: number;
        readonly secure: boolean;
        readonly user: string | undefined;
        readonly password: string | undefined;
        readonly from: string;
      }
    | undefined;
  readonly requests: {
    readonly maxDurationHours: number;
    readonly defaultDurationHours: number;
    readonly requireJustification: boolean;
    readonly approvalTimeoutHours: number;
    readonly maxOpenPerUser: number;
  };
  readonly risk: {
    readonly extraSensitiveServices: readonly string[];
    readonly extraHighImpactActions: readonly string[];
  };
  /** 32-byte key (hex or base64) for `createSecretBox`. */
  readonly secretKey: string;
  /** True when dev mode made up `secretKey` for this process: secrets sealed with it do not survive a restart. */
  readonly secretKeyEphemeral: boolean;
  readonly client: { readonly apiToken: string | undefined };
  /**
   * Provisioning into AWS: on when a vending principal is set (real AWS, or `endpoint`), or with `localAws` (the
   * built-in emulator, started by the server). Undefined: approvals create no grants.
   */
  readonly provisioning:
    | {
        readonly localAws: boolean;
        readonly vendingPrincipalArn: string | undefined;
        readonly permissionsBoundaryName: string | undefined;
        readonly endpoint: string | undefined;
      }
    | undefined;
  /** Connections to AWS: open sockets per endpoint, shared by all provisioning calls. */
  readonly aws: { readonly maxSockets: number };
  /** The reconciler: how often it runs, and what it does about drift. */
  /** The background job runner (src/jobs/). */
  readonly jobs: { readonly concurrency: number };
  readonly reconcile: {
    readonly intervalMinutes: number;
    readonly driftAction: (typeof RECONCILE_DRIFT_ACTIONS)[number];
  };
  /** Top-level YAML sections owned by other modules (`accounts:`), unvalidated here. */
  readonly sections: { readonly accounts: unknown };
  /** Notifications (docs/notifications.md). */
  readonly notify: {
    /** Hosts, IPs and CIDRs exempt from the SSRF guard. */
    readonly allowHosts: readonly string[];
    /** Signs deliveries to request callback URLs; undefined = unsigned. */
    readonly callbackSecret: string | undefined;
  };
}

/** Options for `loadConfig`. */
export interface LoadConfigOptions {
  /** Contents of iam-jit.yaml, if one was found. */
  yamlText?: string;
}

/** YAML keys that belong to other modules and are passed through in `config.sections`. */
const SECTIONS = ['accounts'] as const;
/** Env vars with this prefix are left to test harnesses and never reported as unknown. */
const RESERVED_PREFIX = `${ENV_PREFIX}TEST_`;
const SECRET_VARIABLES = new Set([
  'IAM_JIT_SECRET_KEY',
  'IAM_JIT_SMTP_PASSWORD',
  'IAM_JIT_API_TOKEN',
  'IAM_JIT_CALLBACK_SECRET',
]);

/** `IAM_JIT_SMTP_HOST` → `smtp_host`. */
export function yamlKey(variable: string): string {
  return variable.slice(ENV_PREFIX.length).toLowerCase();
}

const VARIABLES = Object.keys(configSchema.shape) as ConfigVariableName[];
const BY_YAML_KEY = new Map(VARIABLES.map((v) => [yamlKey(v), v]));

/**
 * Validates env vars (`IAM_JIT_*`) over the optional YAML text and returns a frozen Config. Env wins over YAML;
 * empty env values count as unset. Throws ConfigError listing every problem (unknown variables and YAML keys
 * included, secrets never echoed); never returns a partial config.
 */
export function loadConfig(
  env: Readonly<Record<string, string | undefined>>,
  { yamlText }: LoadConfigOptions = {},
): Config {
  const problems: ConfigProblem[] = [];
  const raw: Record<string, unknown> = {};
  const source = new Map<string, 'env' | 'yaml'>();
  const sections: Record<string, unknown> = {};

  if (yamlText !== undefined) {
    let doc: unknown;
    try {
      doc = parseYaml(yamlText);
    } catch (e) {
      problems.push({
        variable: 'IAM_JIT_CONFIG',
        source: 'yaml',
        message: `not valid YAML: ${(e as Error).message.split('\n')[0]}`,
      });
    }
    if (doc !== undefined && doc !== null && (typeof doc !== 'object' || Array.isArray(doc))) {
      problems.push({
        variable: 'IAM_JIT_CONFIG',
        source: 'yaml',
        message: 'the YAML file must be a mapping of settings',
      });
    } else if (doc) {
      for (const [key, value] of Object.entries(doc as Record<string, unknown>)) {
        const variable = BY_YAML_KEY.get(key);
        if ((SECTIONS as readonly string[]).includes(key)) sections[key] = value;
        else if (variable === undefined || variable === 'IAM_JIT_CONFIG')
          problems.push({
            variable: `${ENV_PREFIX}${key.toUpperCase()}`,
            source: 'yaml',
            message: `unknown setting "${key}" in iam-jit.yaml`,
          });
        else if (value !== null) {
          raw[variable] = value;
          source.set(variable, 'yaml');
        }
      }
    }
  }

  for (const [name, value] of Object.entries(env)) {
    if (
      !name.startsWith(ENV_PREFIX) ||
      name.startsWith(RESERVED_PREFIX) ||
      value === undefined ||
      value.trim() === ''
    )
      continue;
    if (!(name in configSchema.shape)) {
      problems.push({
        variable: name,
        source: 'env',
        message: 'unknown variable (check the spelling; see docs/configuration.md)',
      });
      continue;
    }
    raw[name] = value;
    source.set(name, 'env');
  }

  // Each variable is parsed on its own so that one bad value never hides another, nor the cross-field rules.
  const parsed: Record<string, unknown> = {};
  for (const variable of VARIABLES) {
    const result = configSchema.shape[variable].safeParse(raw[variable]);
    if (result.success) {
      parsed[variable] = result.data;
      continue;
    }
    const given = raw[variable];
    const shown =
      given === undefined || SECRET_VARIABLES.has(variable)
        ? ''
        : ` (got ${JSON.stringify(given).slice(0, 80)})`;
    for (const issue of result.error.issues)
      problems.push({
        variable,
        source: source.get(variable) ?? 'default',
        message: `${issue.message}${shown}`,
      });
  }
  const v = parsed as Partial<ConfigVariables>;
  const at = (variable: ConfigVariableName) => source.get(variable) ?? 'default';

  if (
    v.IAM_JIT_DEFAULT_DURATION_HOURS !== undefined &&
    v.IAM_JIT_MAX_DURATION_HOURS !== undefined &&
    v.IAM_JIT_DEFAULT_DURATION_HOURS > v.IAM_JIT_MAX_DURATION_HOURS
  )
    problems.push({
      variable: 'IAM_JIT_DEFAULT_DURATION_HOURS',
      source: at('IAM_JIT_DEFAULT_DURATION_HOURS'),
      message: `must not exceed IAM_JIT_MAX_DURATION_HOURS (${v.IAM_JIT_MAX_DURATION_HOURS})`,
    });
  if ((raw.IAM_JIT_SMTP_USER === undefined) !== (raw.IAM_JIT_SMTP_PASSWORD === undefined))
    problems.push({
      variable: raw.IAM_JIT_SMTP_USER === undefined ? 'IAM_JIT_SMTP_USER' : 'IAM_JIT_SMTP_PASSWORD',
      source: 'default',
      message: 'IAM_JIT_SMTP_USER and IAM_JIT_SMTP_PASSWORD must be set together',
    });
  if (raw.IAM_JIT_SECRET_KEY === undefined && v.IAM_JIT_DEV_MODE === false)
    problems.push({
      variable: 'IAM_JIT_SECRET_KEY',
      source: 'default',
      message: 'required outside dev mode (generate one with `openssl rand -hex 32`)',
    });
  if (v.IAM_JIT_LOCAL_AWS === true && raw.IAM_JIT_VENDING_PRINCIPAL_ARN !== undefined)
    problems.push({
      variable: 'IAM_JIT_LOCAL_AWS',
      source: at('IAM_JIT_LOCAL_AWS'),
      message:
        'provisions into the built-in emulator, which has its own hub: unset IAM_JIT_VENDING_PRINCIPAL_ARN',
    });
  for (const entry of v.IAM_JIT_WEBHOOK_ALLOW_HOSTS ?? []) {
    const [base = '', bits] = entry.replace(/^\[|\]$/g, '').split('/');
    if (bits !== undefined && Number(bits) > (isIP(base) === 4 ? 32 : isIP(base) === 6 ? 128 : -1))
      problems.push({
        variable: 'IAM_JIT_WEBHOOK_ALLOW_HOSTS',
        source: at('IAM_JIT_WEBHOOK_ALLOW_HOSTS'),
        message: `${entry} is not a valid CIDR`,
      });
  }
  if (problems.length > 0) throw new ConfigError(problems);

  return deepFreeze(toConfig(v as ConfigVariables, sections));
}

function defaultBaseUrl(host: string, port: number): string {
  const h = host === '0.0.0.0' || host === '::' || host === '[::]' ? '127.0.0.1' : host;
  return `http://${h.includes(':') && !h.startsWith('[') ? `[${h}]` : h}:${port}`;
}

function toConfig(v: ConfigVariables, sections: Record<string, unknown>): Config {
  const ephemeral = v.IAM_JIT_SECRET_KEY === undefined;
  return {
    devMode: v.IAM_JIT_DEV_MODE,
    logLevel: v.IAM_JIT_LOG_LEVEL,
    server: {
      baseUrl: v.IAM_JIT_BASE_URL ?? defaultBaseUrl(v.IAM_JIT_HOST, v.IAM_JIT_PORT),
      host: v.IAM_JIT_HOST,
      port: v.IAM_JIT_PORT,
      trustProxy: v.IAM_JIT_TRUST_PROXY,
    },
    database: { url: v.IAM_JIT_DATABASE_URL },
    auth: {
      mode: v.IAM_JIT_AUTH_MODE,
      adminEmail: v.IAM_JIT_ADMIN_EMAIL.toLowerCase(),
      maxTokensPerUser: v.IAM_JIT_MAX_TOKENS_PER_USER,
      loginLimitPerEmail: v.IAM_JIT_LOGIN_LIMIT_PER_EMAIL,
      loginLimitPerIp: v.IAM_JIT_LOGIN_LIMIT_PER_IP,
      stsEndpoint: v.IAM_JIT_STS_ENDPOINT,
      stsRegion: v.IAM_JIT_STS_REGION,
      iamServerId: v.IAM_JIT_IAM_SERVER_ID,
    },
    smtp:
      v.IAM_JIT_SMTP_HOST === undefined
        ? undefined
        : {
            host: v.IAM_JIT_SMTP_HOST,
            port: v.IAM_JIT_SMTP_PORT,
            secure: v.IAM_JIT_SMTP_SECURE,
            user: v.IAM_JIT_SMTP_USER,
            password: v.IAM_JIT_SMTP_PASSWORD,
            from: v.IAM_JIT_SMTP_FROM,
          },
    requests: {
      maxDurationHours: v.IAM_JIT_MAX_DURATION_HOURS,
      defaultDurationHours: v.IAM_JIT_DEFAULT_DURATION_HOURS,
      requireJustification: v.IAM_JIT_REQUIRE_JUSTIFICATION,
      approvalTimeoutHours: v.IAM_JIT_APPROVAL_TIMEOUT_HOURS,
      maxOpenPerUser: v.IAM_JIT_MAX_OPEN_REQUESTS_PER_USER,
    },
    risk: {
      extraSensitiveServices: v.IAM_JIT_RISK_EXTRA_SENSITIVE_SERVICES,
      extraHighImpactActions: v.IAM_JIT_RISK_EXTRA_HIGH_IMPACT_ACTIONS,
    },
    // Dev mode only: a random per-process key, never a built-in one (STYLE.md: no default secrets).
    secretKey: v.IAM_JIT_SECRET_KEY ?? randomBytes(32).toString('hex'),
    secretKeyEphemeral: ephemeral,
    client: { apiToken: v.IAM_JIT_API_TOKEN },
    provisioning:
      v.IAM_JIT_VENDING_PRINCIPAL_ARN === undefined && !v.IAM_JIT_LOCAL_AWS
        ? undefined
        : {
            localAws: v.IAM_JIT_LOCAL_AWS,
            vendingPrincipalArn: v.IAM_JIT_VENDING_PRINCIPAL_ARN,
            permissionsBoundaryName: v.IAM_JIT_PERMISSIONS_BOUNDARY_NAME,
            endpoint: v.IAM_JIT_AWS_ENDPOINT,
          },
    aws: { maxSockets: v.IAM_JIT_AWS_MAX_SOCKETS },
    jobs: { concurrency: v.IAM_JIT_JOB_CONCURRENCY },
    reconcile: {
      intervalMinutes: v.IAM_JIT_RECONCILE_INTERVAL_MINUTES,
      driftAction: v.IAM_JIT_RECONCILE_DRIFT_ACTION,
    },
    sections: { accounts: sections.accounts },
    notify: { allowHosts: v.IAM_JIT_WEBHOOK_ALLOW_HOSTS, callbackSecret: v.IAM_JIT_CALLBACK_SECRET },
  };
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
