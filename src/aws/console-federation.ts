/**
 * Console sign-in URLs for temporary credentials through the AWS federation endpoint (IAM User Guide, "Enable custom
 * identity broker access to the AWS console"): `Action=getSigninToken` with the session as JSON
 * (`sessionId`/`sessionKey`/`sessionToken`) returns a `SigninToken`, valid 15 minutes; `Action=login` with it,
 * an `Issuer` and a `Destination` signs the browser in. `SessionDuration` is not sent: the console session then lasts
 * as long as the credentials.
 */
import type { ConsoleFederation } from '../grants/ports.ts';

/** Options of `createConsoleFederation`. */
export interface ConsoleFederationOptions {
  /** Default `https://signin.aws.amazon.com/federation`. */
  readonly endpoint?: string;
  /** Default `https://console.aws.amazon.com/`. */
  readonly destination?: string;
  readonly fetch?: typeof fetch;
}

/** Creates the federation adapter. Throws on a non-200 answer or one without `SigninToken`. */
export function createConsoleFederation({
  endpoint = 'https://signin.aws.amazon.com/federation',
  destination = 'https://console.aws.amazon.com/',
  fetch: get = fetch,
}: ConsoleFederationOptions = {}): ConsoleFederation {
  return {
    async signInUrl(credentials, issuer) {
      const session = JSON.stringify({
        sessionId: credentials.accessKeyId,
        sessionKey: credentials.secretAccessKey,
        sessionToken: credentials.sessionToken,
      });
      const tokenUrl = `${endpoint}?${new URLSearchParams({ Action: 'getSigninToken', Session: session })}`;
      const res = await get(tokenUrl, { headers: { accept: 'application/json' } });
      if (!res.ok) throw new Error(`federation endpoint answered HTTP ${res.status}`);
      const body = (await res.json()) as { SigninToken?: unknown };
      if (typeof body.SigninToken !== 'string')
        throw new Error('federation endpoint returned no SigninToken');
      return `${endpoint}?${new URLSearchParams({
        Action: 'login',
        Issuer: issuer,
        Destination: destination,
        SigninToken: body.SigninToken,
      })}`;
    },
  };
}
