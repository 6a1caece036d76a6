import { ConfigError, type ConfigProblem } from './load-config.ts';
import { configSchema } from './schema.ts';

/** What API clients (CLI, MCP stdio server) need: where the server is and which token to send. */
export interface ClientConfig {
  /** `IAM_JIT_BASE_URL`, default `http://127.0.0.1:8080`. */
  readonly baseUrl: string;
  /** `IAM_JIT_API_TOKEN`, if set. */
  readonly apiToken: string | undefined;
}

/**
 * Validates only the client variables with the same schema fields as the server (a laptop has no secret key or
 * database settings, and other `IAM_JIT_*` variables are ignored here). Throws ConfigError listing every problem.
 */
export function loadClientConfig(env: Readonly<Record<string, string | undefined>>): ClientConfig {
  const problems: ConfigProblem[] = [];
  const read = <T>(name: 'IAM_JIT_BASE_URL' | 'IAM_JIT_API_TOKEN'): T | undefined => {
    const value = env[name]?.trim() ? env[name] : undefined;
    const r = configSchema.shape[name].safeParse(value);
    if (r.success) return r.data as T;
    for (const issue of r.error.issues)
      problems.push({ variable: name, source: 'env', message: issue.message });
    return undefined;
  };
  const baseUrl = read<string>('IAM_JIT_BASE_URL') ?? 'http://127.0.0.1:8080';
  const apiToken = read<string>('IAM_JIT_API_TOKEN');
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze({ baseUrl, apiToken });
}
