import type { CallContext, Operation, RequiredPermission } from '../context.ts';
import { noSuchEntity, validationError } from '../errors.ts';
import {
  type QueryParams,
  queryStringList,
  queryStructList,
  type XmlObject,
} from '../protocols/query-xml.ts';
import { findRole, type RoleRecord, type Tag } from '../state.ts';
import { IAM_SHAPES, optionalInteger, optionalString, requireString } from '../validation.ts';

/** An IAM query-protocol operation. */
export type IamOperation = Operation<QueryParams, XmlObject | undefined>;

/**
 * URL-encodes a policy document as IAM returns it (RFC 3986: `encodeURIComponent` plus `!'()*`).
 * Source: IAM API Reference, GetRolePolicy — "The policy document returned … is URL-encoded compliant with RFC 3986".
 */
export function encodePolicyDocument(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** The required, validated `RoleName` parameter. */
export function roleNameParam(params: QueryParams): string {
  return requireString('RoleName', params.get('RoleName'), IAM_SHAPES.roleName);
}

/** Looks up the role named by `RoleName`; throws NoSuchEntity as IAM does. */
export function requireRole(ctx: CallContext, params: QueryParams): RoleRecord {
  const name = roleNameParam(params);
  const role = findRole(ctx.account, name);
  if (!role) throw noSuchEntity(`The role with name ${name} cannot be found.`);
  return role;
}

/**
 * The permission a role-scoped IAM action needs: `iam:<Action>` on the role's ARN (path included), with the
 * condition keys IAM supplies for roles (Service Authorization Reference, IAM): `aws:ResourceTag/<key>` and
 * `iam:ResourceTag/<key>` from the existing role's tags, `aws:RequestTag/<key>` and `aws:TagKeys` from tags in the
 * request, `iam:PermissionsBoundary` and `iam:PolicyARN` from the parameters naming them.
 */
export function onRole(action: string): (ctx: CallContext, params: QueryParams) => RequiredPermission {
  return (ctx, params) => {
    const name = params.get('RoleName') ?? '';
    const role = findRole(ctx.account, name);
    const path = role?.path ?? params.get('Path') ?? '/';
    const context = new Map<string, string | string[]>();
    for (const t of role?.tags ?? []) {
      const key = t.Key.toLowerCase();
      context.set(`aws:resourcetag/${key}`, t.Value);
      context.set(`iam:resourcetag/${key}`, t.Value);
    }
    const requestTags = queryStructList(params, 'Tags', ['Key', 'Value']) ?? [];
    for (const t of requestTags)
      if (t.Key !== undefined) context.set(`aws:requesttag/${t.Key.toLowerCase()}`, t.Value ?? '');
    const tagKeys =
      requestTags.length > 0 ? requestTags.map((t) => t.Key ?? '') : queryStringList(params, 'TagKeys');
    if (tagKeys?.length) context.set('aws:tagkeys', tagKeys);
    // The boundary being set, else the role's current one (IAM User Guide, "Permissions boundaries": delegating
    // role management with the iam:PermissionsBoundary condition key).
    const boundary = params.get('PermissionsBoundary') ?? role?.permissionsBoundaryArn;
    if (boundary !== undefined) context.set('iam:permissionsboundary', boundary);
    const policyArn = params.get('PolicyArn');
    if (policyArn !== undefined) context.set('iam:policyarn', policyArn);
    return {
      action: `iam:${action}`,
      resource: role?.arn ?? `arn:aws:iam::${ctx.account.id}:role${path}${name}`,
      context,
    };
  };
}

/** Renders a role the way GetRole/CreateRole do; `listing` omits what ListRoles does not return. */
export function roleXml(role: RoleRecord, listing = false): XmlObject {
  return {
    Path: role.path,
    RoleName: role.name,
    RoleId: role.roleId,
    Arn: role.arn,
    CreateDate: new Date(role.createDate),
    AssumeRolePolicyDocument: encodePolicyDocument(role.assumeRolePolicyDocument),
    Description: role.description,
    MaxSessionDuration: role.maxSessionDuration,
    // IAM API Reference, ListRoles: PermissionsBoundary, RoleLastUsed and Tags are not returned by ListRoles.
    PermissionsBoundary:
      role.permissionsBoundaryArn && !listing
        ? {
            PermissionsBoundaryType: 'PermissionsBoundaryPolicy',
            PermissionsBoundaryArn: role.permissionsBoundaryArn,
          }
        : undefined,
    Tags: role.tags.length > 0 && !listing ? tagsXml(role.tags) : undefined,
    RoleLastUsed: listing ? undefined : {},
  };
}

/** Tags as a `<member><Key/><Value/></member>` list. */
export function tagsXml(tags: readonly Tag[]): XmlObject[] {
  return tags.map((t) => ({ Key: t.Key, Value: t.Value }));
}

/**
 * One page of `items` for IAM's Marker/MaxItems pagination (MaxItems 1…1000, default 100). The marker is the
 * offset of the next item, opaque to callers; an unreadable marker is a ValidationError.
 */
export function paginate<T>(items: readonly T[], params: QueryParams): { page: T[]; truncation: XmlObject } {
  const maxItems = optionalInteger('MaxItems', params.get('MaxItems'), 1, 1000) ?? 100;
  const marker = optionalString('Marker', params.get('Marker'), IAM_SHAPES.marker);
  let start = 0;
  if (marker !== undefined) {
    const decoded = /^m(\d+)$/.exec(Buffer.from(marker, 'base64url').toString('utf8'));
    if (!decoded) throw validationError('Invalid Marker');
    start = Number(decoded[1]);
  }
  const page = items.slice(start, start + maxItems);
  const next = start + page.length;
  const truncated = next < items.length;
  return {
    page,
    truncation: {
      IsTruncated: truncated,
      Marker: truncated ? Buffer.from(`m${next}`, 'utf8').toString('base64url') : undefined,
    },
  };
}
