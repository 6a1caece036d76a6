/**
 * A lean sender for the IAM calls of revocation, built from an `IAMClient`'s own resolved configuration and the SDK's
 * own parts, without the per-call middleware stack: the client's AWS Query protocol serializes the request (so the
 * wire format is the SDK's), `@smithy/signature-v4` signs it (with the client's credentials and clock-skew offset),
 * the client's request handler sends it over the shared keep-alive agent, the client's retry strategy decides retries
 * exactly as the SDK's retry middleware does (same token bucket, backoff with jitter, `maxAttempts`, retry-after
 * hints), and an error response is decoded by the client's protocol, so the same exception classes surface
 * (`NoSuchEntityException`, `DeleteConflictException`, `AccessDenied` as an `IAMServiceException`, …). What it skips:
 * endpoint resolution per call (resolved once by the client's own endpoint provider), the user-agent middleware (the
 * same user agent is computed once, without the per-call feature flags), and parsing the XML of a successful
 * response (the three operations return nothing).
 */

import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  DeleteRole$,
  DeleteRolePolicy$,
  type DeleteRolePolicyRequest,
  type DeleteRoleRequest,
  type IAMClient,
  PutRolePolicy$,
  type PutRolePolicyRequest,
} from '@aws-sdk/client-iam';
import { toEndpointV1 } from '@smithy/core/endpoints';
import {
  getRetryAfterHint,
  INVOCATION_ID_HEADER,
  isServerError,
  isThrottlingError,
  isTransientError,
  REQUEST_HEADER,
} from '@smithy/core/retry';
import { operation } from '@smithy/core/schema';
import { SignatureV4 } from '@smithy/signature-v4';
import type {
  EndpointV2,
  HttpRequest,
  HttpResponse,
  RetryErrorInfo,
  RetryErrorType,
  StandardRetryToken,
} from '@smithy/types';

/** The revocation calls; each resolves once AWS confirmed (HTTP 2xx) and throws the SDK's exception otherwise. */
export interface IamQuery {
  putRolePolicy(input: PutRolePolicyRequest): Promise<void>;
  deleteRolePolicy(input: DeleteRolePolicyRequest): Promise<void>;
  deleteRole(input: DeleteRoleRequest): Promise<void>;
}

/** An operation schema as the client exports it: `[kind, namespace, name, traits, input, output]`. */
type StaticOperation = typeof DeleteRole$;

/** The parts of the client's resolved configuration used here (all set by `IAMClient`'s constructor). */
interface ResolvedParts {
  protocol: {
    serializeRequest(op: unknown, input: unknown, context: unknown): Promise<HttpRequest>;
    deserializeResponse(op: unknown, context: unknown, response: HttpResponse): Promise<unknown>;
  };
  requestHandler: {
    handle(request: HttpRequest, options?: Record<string, unknown>): Promise<{ response: HttpResponse }>;
  };
  endpointProvider(params: Record<string, unknown>, context?: Record<string, unknown>): EndpointV2;
  retryStrategy(): Promise<unknown>;
  maxAttempts(): Promise<number>;
  region(): Promise<string>;
  endpoint?: () => Promise<{ protocol: string; hostname: string; port?: number; path: string }>;
  useFipsEndpoint(): Promise<boolean>;
  useDualstackEndpoint(): Promise<boolean>;
  credentials: ConstructorParameters<typeof SignatureV4>[0]['credentials'];
  sha256: ConstructorParameters<typeof SignatureV4>[0]['sha256'];
  signingEscapePath?: boolean;
  systemClockOffset: number;
  disableClockSkewCorrection?: () => Promise<boolean>;
  defaultUserAgentProvider(): Promise<UserAgentPair[]>;
  customUserAgent?: UserAgentPair[];
  userAgentAppId?: () => Promise<string | undefined>;
}

/** `[name, version?]`, as the SDK's user-agent providers give them. */
type UserAgentPair = [string, string?];

/** The retry strategy interface the SDK's retry middleware uses (`StandardRetryStrategy`). */
interface RetryStrategyV2 {
  acquireInitialRetryToken(scope: string): Promise<StandardRetryToken>;
  refreshRetryTokenForRetry(token: StandardRetryToken, info: RetryErrorInfo): Promise<StandardRetryToken>;
  recordSuccess(token: StandardRetryToken): void;
}

interface Prepared {
  readonly endpoint: EndpointV2;
  /** `user-agent` and `x-amz-user-agent`, as the SDK's user-agent middleware writes them (less per-call features). */
  readonly userAgent: { readonly full: string; readonly sdk: string };
  readonly signer: SignatureV4;
  readonly retry: RetryStrategyV2;
  readonly maxAttempts: number;
  readonly skewCorrection: boolean;
  readonly context: Record<string, unknown>;
}

/** Skew-corrected clock offset as the SDK computes it from a response's `Date` header (@aws-sdk/core). */
function updatedClockOffset(
  dateHeader: string | undefined,
  current: number,
  requestSentAt: number,
  ageHeader: string | undefined,
): number {
  if (dateHeader === undefined || ageHeader !== undefined) return current;
  const serverTime = Date.parse(dateHeader);
  if (Number.isNaN(serverTime)) return current;
  const received = Date.now();
  if (received - requestSentAt > 900_000) return current;
  return serverTime - received;
}

/**
 * Reads a successful response's body to its end without keeping it (the three operations return only a request id),
 * so the keep-alive socket goes back to the pool as the SDK's collector would let it.
 */
function drain(body: unknown): Promise<void> {
  if (!(body instanceof Readable) || body.readableEnded) return Promise.resolve();
  return new Promise((resolve, reject) => {
    body.once('end', resolve);
    body.once('error', reject);
    body.resume();
  });
}

/** One user-agent section as the SDK escapes it (@aws-sdk/core `escapeUserAgent`): `prefix/name#version`. */
function escapeUserAgent([rawName, rawVersion]: UserAgentPair): string {
  const name = rawName
    .split('/')
    .map((part) => part.replace(/[^!$%&'*+\-.^_`|~\w]/g, '-'))
    .join('/');
  const version = rawVersion?.replace(/[^!$%&'*+\-.^_`|~\w#]/g, '-');
  const slash = name.indexOf('/');
  const prefix = name.substring(0, slash);
  const uaName = prefix === 'api' ? name.substring(slash + 1).toLowerCase() : name.substring(slash + 1);
  return [prefix, uaName, version]
    .filter((item): item is string => item !== undefined && item.length > 0)
    .reduce(
      (acc, item, index) => (index === 0 ? item : index === 1 ? `${acc}/${item}` : `${acc}#${item}`),
      '',
    );
}

/** The retry middleware's classification of an error (@smithy/core/retry). */
function errorType(error: Error): RetryErrorType {
  const e = error as Parameters<typeof isThrottlingError>[0];
  if (isThrottlingError(e)) return 'THROTTLING';
  if (isTransientError(e)) return 'TRANSIENT';
  if (isServerError(e)) return 'SERVER_ERROR';
  return 'CLIENT_ERROR';
}

/** Creates the sender over `iam`'s configuration. Resolves endpoint, signer and retry strategy on first use. */
export function createIamQuery(iam: IAMClient): IamQuery {
  const config = iam.config as unknown as ResolvedParts;
  let prepared: Promise<Prepared> | undefined;

  async function prepare(): Promise<Prepared> {
    const region = await config.region();
    const custom = config.endpoint === undefined ? undefined : await config.endpoint();
    const endpoint = config.endpointProvider({
      Region: region,
      UseFIPS: await config.useFipsEndpoint(),
      UseDualStack: await config.useDualstackEndpoint(),
      ...(custom === undefined
        ? {}
        : {
            Endpoint: `${custom.protocol}//${custom.hostname}${custom.port ? `:${custom.port}` : ''}${custom.path}`,
          }),
    });
    const scheme = (
      endpoint.properties?.authSchemes as { signingRegion?: string; signingName?: string }[]
    )?.[0];
    const signer = new SignatureV4({
      credentials: config.credentials,
      region: scheme?.signingRegion ?? region,
      service: scheme?.signingName ?? 'iam',
      sha256: config.sha256,
      uriEscapePath: config.signingEscapePath ?? true,
    });
    const sections = (await config.defaultUserAgentProvider()).map(escapeUserAgent);
    const appId = await config.userAgentAppId?.();
    if (appId) sections.push(escapeUserAgent(['app', appId]));
    const customSections = (config.customUserAgent ?? []).map(escapeUserAgent);
    const userAgent = {
      full: [...sections, ...customSections].join(' '),
      sdk: [...sections.filter((section) => section.startsWith('aws-sdk-')), ...customSections].join(' '),
    };
    const retry = (await config.retryStrategy()) as RetryStrategyV2;
    if (typeof retry.acquireInitialRetryToken !== 'function')
      throw new Error('iam-query needs a retry strategy of the SDK v2 interface (StandardRetryStrategy)');
    return {
      endpoint,
      userAgent,
      signer,
      retry,
      maxAttempts: await config.maxAttempts(),
      skewCorrection: (await config.disableClockSkewCorrection?.()) !== true,
      // As the SDK's serialization middleware passes it: the resolved endpoint, as a v1 endpoint provider.
      context: { ...config, endpointV2: endpoint, endpoint: async () => toEndpointV1(endpoint) },
    };
  }

  /** One attempt: sign, send, and on a non-2xx answer throw what the SDK's protocol makes of it. */
  async function attempt(p: Prepared, op: ReturnType<typeof operation>, request: HttpRequest): Promise<void> {
    const offset = config.systemClockOffset;
    const signed = (await p.signer.sign(request, {
      signingDate: new Date(Date.now() + (p.skewCorrection ? offset : 0)),
    })) as HttpRequest;
    const sentAt = Date.now();
    const { response } = await config.requestHandler.handle(signed, {});
    const date = response.headers.date ?? response.headers.Date;
    const age = response.headers.age ?? response.headers.Age;
    if (response.statusCode < 300) {
      await drain(response.body);
      if (p.skewCorrection)
        config.systemClockOffset = updatedClockOffset(date, config.systemClockOffset, sentAt, age);
      return;
    }
    try {
      await config.protocol.deserializeResponse(op, p.context, response);
    } catch (e) {
      if (e instanceof Error) {
        Object.defineProperty(e, '$response', { value: response, enumerable: false });
        // An answer the protocol could not decode (e.g. a proxy's HTML 502): the SDK's deserializer middleware adds
        // the HTTP metadata, so the retry classification sees the status code.
        if (!('$metadata' in e)) {
          const header = (pattern: RegExp) =>
            Object.entries(response.headers).find(([k]) => pattern.test(k))?.[1];
          e.message +=
            '\n  Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.';
          Object.assign(e, {
            $metadata: {
              httpStatusCode: response.statusCode,
              requestId: header(/^x-[\w-]+-request-?id$/),
              extendedRequestId: header(/^x-[\w-]+-id-2$/),
              cfId: header(/^x-[\w-]+-cf-id$/),
            },
          });
        }
        // The SDK's SigV4 error handler: learn the clock offset from the error and mark a corrected skew.
        const err = e as Error & { ServerTime?: string; $metadata?: { clockSkewCorrected?: boolean } };
        const serverTime = err.ServerTime ?? date;
        if (p.skewCorrection && serverTime !== undefined) {
          const next = updatedClockOffset(serverTime, config.systemClockOffset, sentAt, age);
          config.systemClockOffset = next;
          if (Math.abs(next) >= 240_000 && next !== offset && err.$metadata !== undefined)
            err.$metadata.clockSkewCorrected = true;
        }
      }
      throw e;
    }
    throw new Error(`IAM ${String(op.name)}: HTTP ${response.statusCode} without an error`);
  }

  async function send(schema: StaticOperation, input: object): Promise<void> {
    prepared ??= prepare().catch((e: unknown) => {
      prepared = undefined;
      throw e;
    });
    const p = await prepared;
    const [, ns, name, traits, inSchema, outSchema] = schema;
    const op = operation(ns, name, traits, inSchema, outSchema);
    const request = await config.protocol.serializeRequest(op, input, p.context);
    request.headers.host = request.port ? `${request.hostname}:${request.port}` : request.hostname;
    request.headers['content-length'] = String(Buffer.byteLength(request.body as string));
    if (p.userAgent.sdk) request.headers['x-amz-user-agent'] = p.userAgent.sdk;
    request.headers['user-agent'] = p.userAgent.full;
    // The SDK's retry middleware (@smithy/core/retry), for one request.
    let token = await p.retry.acquireInitialRetryToken('');
    let attempts = 0;
    let totalRetryDelay = 0;
    request.headers[INVOCATION_ID_HEADER] = randomUUID();
    for (;;) {
      request.headers[REQUEST_HEADER] = `attempt=${attempts + 1}; max=${p.maxAttempts}`;
      try {
        await attempt(p, op, request);
        p.retry.recordSuccess(token);
        return;
      } catch (e) {
        const error = e instanceof Error ? e : new Error(String(e));
        const info: RetryErrorInfo = { error: error as RetryErrorInfo['error'], errorType: errorType(error) };
        const hint = getRetryAfterHint((error as { $response?: unknown }).$response);
        if (hint !== undefined) info.retryAfterHint = hint;
        try {
          token = await p.retry.refreshRetryTokenForRetry(token, info);
        } catch {
          const failed = error as { $metadata?: Record<string, unknown> };
          failed.$metadata ??= {};
          const meta = failed.$metadata;
          meta.attempts = attempts + 1;
          meta.totalRetryDelay = totalRetryDelay;
          throw error;
        }
        attempts = token.getRetryCount();
        const delay = token.getRetryDelay();
        totalRetryDelay += delay;
        if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  return {
    putRolePolicy: (input) => send(PutRolePolicy$, input),
    deleteRolePolicy: (input) => send(DeleteRolePolicy$, input),
    deleteRole: (input) => send(DeleteRole$, input),
  };
}
