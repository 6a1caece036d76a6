import { err, ok, type Result } from '../lib/result.ts';
import type { Authenticator, AuthFailure, Principal } from './authenticate.ts';

/**
 * A caller's signed `sts:GetCallerIdentity` request, as sent to iam-jit (Vault AWS-auth style): the caller signs the
 * request for STS with its own credentials and hands it to us instead of sending it; we forward it to STS, and STS
 * tells us who signed it. The caller's secret key never leaves the caller.
 */
export interface SignedIdentityRequest {
  readonly method: string;
  /** Header names in any case; each value as one string. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** The header a caller must sign when `IAM_JIT_IAM_SERVER_ID` is set (binds the signature to this service). */
export const SERVER_ID_HEADER = 'x-iam-jit-server-id';

/** Port: forwards an already-checked request to the configured STS endpoint and returns the caller's ARN. */
export interface CallerIdentityVerifier {
  /** Resolves the ARN STS reports, or an error text when STS rejects the signature or cannot be reached. */
  getCallerIdentity(
    request: SignedIdentityRequest,
  ): Promise<Result<{ arn: string; account: string }, string>>;
}

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=[0-9a-f]{64}$/;

/**
 * Checks the request before it is forwarded, so iam-jit only ever relays a GetCallerIdentity call and never acts as a
 * general signed-request proxy: POST; body exactly `Action=GetCallerIdentity&Version=2011-06-15`; a SigV4
 * `Authorization` header scoped to `sts` in `region` that signs `host`; and, when `serverId` is set, a signed
 * `X-IAM-JIT-Server-ID` header equal to it. Returns the request with lowercase header names, or why it was refused.
 */
export function checkSignedIdentityRequest(
  request: SignedIdentityRequest,
  { region, serverId }: { region: string; serverId?: string | undefined },
): Result<SignedIdentityRequest, string> {
  if (request.method.toUpperCase() !== 'POST') return err('the signed request must be a POST');
  const params = new URLSearchParams(request.body);
  const keys = [...params.keys()].sort();
  if (
    keys.join(',') !== 'Action,Version' ||
    params.get('Action') !== 'GetCallerIdentity' ||
    params.get('Version') !== '2011-06-15'
  )
    return err(
      'the signed request must be exactly sts:GetCallerIdentity (Action=GetCallerIdentity&Version=2011-06-15)',
    );
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value;
  const auth = AUTHORIZATION.exec(headers.authorization ?? '');
  if (auth === null) return err('missing or malformed SigV4 Authorization header');
  const [, , , scopeRegion, service, signedHeaderList = ''] = auth;
  if (service !== 'sts') return err(`the request is signed for service ${service}, not sts`);
  if (scopeRegion !== region)
    return err(`the request is signed for region ${scopeRegion}, expected ${region}`);
  const signed = signedHeaderList.split(';');
  if (!signed.includes('host')) return err('the Host header must be signed');
  if (serverId !== undefined) {
    if (!signed.includes(SERVER_ID_HEADER) || headers[SERVER_ID_HEADER] !== serverId)
      return err(`the ${SERVER_ID_HEADER} header must be signed and equal this server's id`);
  }
  return ok({ method: 'POST', headers, body: request.body });
}

/** Why an `aws_iam` login was refused: the public failure plus a reason for the server log only. */
export type AwsIamFailure = AuthFailure & { readonly reason?: string };

/**
 * Creates `aws_iam` authentication: check the signed request, have STS verify it, normalise the ARN and look up the
 * `iam:` user. A request that fails checks or verification → 401 `not authenticated` (reason for logs); a verified
 * principal that is not registered → 403 `user is no longer in the iam-jit user list`; disabled → `user is disabled`.
 */
export function createAwsIamAuthentication(deps: {
  verifier: CallerIdentityVerifier;
  authenticator: Pick<Authenticator, 'authenticateAwsPrincipal'>;
  region: string;
  serverId?: string | undefined;
}): { authenticate(request: SignedIdentityRequest): Promise<Result<Principal, AwsIamFailure>> } {
  const { verifier, authenticator, region, serverId } = deps;
  return {
    async authenticate(request) {
      const checked = checkSignedIdentityRequest(request, { region, serverId });
      if (!checked.ok) return err({ status: 401, message: 'not authenticated', reason: checked.error });
      const identity = await verifier.getCallerIdentity(checked.value);
      if (!identity.ok) return err({ status: 401, message: 'not authenticated', reason: identity.error });
      return authenticator.authenticateAwsPrincipal(identity.value.arn);
    },
  };
}
