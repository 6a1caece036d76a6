/** What the admin CLI command groups share: an API client from the client configuration, and their error exits. */
import { type ApiClient, createApiClient } from '../client/api-client.ts';
import { isApiError } from '../client/api-error.ts';
import { loadClientConfig } from '../config/client-config.ts';
import { type CliIo, type CliState, EXIT } from './context.ts';

/** Injection points for tests; defaults are the process's. */
export interface ApiCommandOptions {
  env?: Readonly<Record<string, string | undefined>>;
  fetch?: (input: Request) => Promise<Response>;
}

/**
 * Runs `work` with an API client. A configuration problem (no `IAM_JIT_API_TOKEN`) prints `<prefix>: <reason>` and
 * exits 2; an API refusal or an unreachable server prints `<prefix>: <code>: <message>` (or the reason) and exits 1.
 */
export async function withApiClient(
  prefix: string,
  io: CliIo,
  state: CliState,
  options: ApiCommandOptions,
  work: (client: ApiClient) => Promise<void>,
): Promise<void> {
  let client: ApiClient;
  try {
    const config = loadClientConfig(options.env ?? process.env);
    if (config.apiToken === undefined) throw new Error('IAM_JIT_API_TOKEN is not set');
    client = createApiClient({
      baseUrl: config.baseUrl,
      token: config.apiToken,
      ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    });
  } catch (e) {
    io.stderr(`${prefix}: ${(e as Error).message}\n`);
    state.exitCode = EXIT.badInput;
    return;
  }
  try {
    await work(client);
  } catch (e) {
    io.stderr(
      isApiError(e) ? `${prefix}: ${e.code}: ${e.message}\n` : `${prefix}: ${(e as Error).message}\n`,
    );
    state.exitCode = EXIT.failed;
  }
}
