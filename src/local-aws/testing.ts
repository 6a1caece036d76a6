import { IAMClient } from '@aws-sdk/client-iam';
import { IdentitystoreClient } from '@aws-sdk/client-identitystore';
import { SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { STSClient } from '@aws-sdk/client-sts';

/** Credentials as the SDK takes them. */
export interface TestCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** SDK v3 clients pointed at an emulator URL with the given credentials (no retries, so faults show). */
export function sdkClients(
  url: string,
  credentials: TestCredentials,
): { iam: IAMClient; sts: STSClient; sso: SSOAdminClient; identityStore: IdentitystoreClient } {
  const config = { endpoint: url, region: 'us-east-1', credentials, maxAttempts: 1 };
  return {
    iam: new IAMClient(config),
    sts: new STSClient(config),
    sso: new SSOAdminClient(config),
    identityStore: new IdentitystoreClient(config),
  };
}

/** A trust policy letting `principalArn` assume the role, optionally requiring an external id. */
export function trustPolicyFor(principalArn: string, externalId?: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: principalArn },
        Action: ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'],
        ...(externalId ? { Condition: { StringEquals: { 'sts:ExternalId': externalId } } } : {}),
      },
    ],
  });
}
