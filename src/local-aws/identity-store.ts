/**
 * Identity Store over JSON 1.1: ListUsers (filter by UserName) and GetUserId (by the `userName` unique
 * attribute). Shapes and constraints: botocore identitystore 2020-06-15.
 */
import type { CallContext, Operation, RequiredPermission } from './context.ts';
import { AwsApiError } from './errors.ts';
import { jsonPage, reqString, validationException } from './json-input.ts';
import type { IdentityCenterRecord, IdentityStoreUser } from './state.ts';

type JsonOperation = Operation<Record<string, unknown>, Record<string, unknown>>;
type Input = Record<string, unknown>;

const STORE_ID = {
  min: 1,
  max: 36,
  pattern: /^(d-[0-9a-f]{10}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/,
};

function notFound(message: string): AwsApiError {
  return new AwsApiError('ResourceNotFoundException', message, 400);
}

/** The identity store of the caller account's Identity Center instance. */
function store(ctx: CallContext, input: Input): IdentityCenterRecord {
  const id = reqString(input, 'IdentityStoreId', STORE_ID);
  const ic = ctx.account.identityCenter;
  if (!ic || ic.identityStoreId !== id) throw notFound(`Identity store ${id} not found.`);
  return ic;
}

function userJson(ic: IdentityCenterRecord, u: IdentityStoreUser): Record<string, unknown> {
  return {
    IdentityStoreId: ic.identityStoreId,
    UserId: u.userId,
    UserName: u.userName,
    ...(u.givenName === undefined && u.familyName === undefined
      ? {}
      : { Name: { FamilyName: u.familyName, GivenName: u.givenName } }),
    ...(u.displayName === undefined ? {} : { DisplayName: u.displayName }),
    ...(u.email === undefined ? {} : { Emails: [{ Value: u.email, Type: 'work', Primary: true }] }),
  };
}

function onStore(action: string): (ctx: CallContext, input: Input) => RequiredPermission {
  return (ctx, input) => ({
    action: `identitystore:${action}`,
    resource: `arn:aws:identitystore::${ctx.account.id}:identitystore/${String(input.IdentityStoreId ?? '*')}`,
  });
}

/** Reads the single supported filter `UserName` (the API reference lists it as the ListUsers filter attribute). */
function userNameFilter(input: Input): string | undefined {
  const filters = input.Filters;
  if (filters === undefined) return undefined;
  if (!Array.isArray(filters) || filters.length > 1)
    throw validationException('Filters must hold at most 1 filter.');
  const f = filters[0] as Record<string, unknown> | undefined;
  if (!f) return undefined;
  if (f.AttributePath !== 'UserName')
    throw validationException(`Unsupported filter attribute path: ${String(f.AttributePath)}`);
  return reqString(f, 'AttributeValue', { min: 1, max: 1024 });
}

/** Identity Store operations by name (JSON 1.1, target prefix `AWSIdentityStore`). */
export const identityStoreOperations: Record<string, JsonOperation> = {
  ListUsers: {
    permission: onStore('ListUsers'),
    run: (ctx, input) => {
      const ic = store(ctx, input);
      const name = userNameFilter(input);
      const users = ic.users.filter((u) => name === undefined || u.userName === name);
      const { page, nextToken } = jsonPage(users, input);
      return { Users: page.map((u) => userJson(ic, u)), ...(nextToken ? { NextToken: nextToken } : {}) };
    },
  },
  GetUserId: {
    permission: onStore('GetUserId'),
    run: (ctx, input) => {
      const ic = store(ctx, input);
      const alt = input.AlternateIdentifier as Record<string, unknown> | undefined;
      const unique = alt?.UniqueAttribute as Record<string, unknown> | undefined;
      if (!alt || (!unique && !alt.ExternalId)) throw validationException('AlternateIdentifier is required.');
      if (!unique) throw notFound('USER not found.');
      const path = String(unique.AttributePath ?? '');
      if (path.toLowerCase() !== 'username') throw validationException(`Unsupported attribute path: ${path}`);
      const value = unique.AttributeValue;
      const user = ic.users.find((u) => u.userName === value);
      if (!user) throw notFound('USER not found.');
      return { IdentityStoreId: ic.identityStoreId, UserId: user.userId };
    },
  },
};
