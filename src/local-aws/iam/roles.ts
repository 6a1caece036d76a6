/** IAM role lifecycle: CreateRole, GetRole, UpdateRole, UpdateAssumeRolePolicy, DeleteRole, ListRoles. */
import { AwsApiError, entityAlreadyExists, invalidInput } from '../errors.ts';
import { newIamId } from '../ids.ts';
import { checkTrustPolicy } from '../policy-document.ts';
import { queryStructList } from '../protocols/query-xml.ts';
import { findManagedPolicy, findRole, type RoleRecord } from '../state.ts';
import { checkTags, IAM_SHAPES, optionalInteger, optionalString, requireString } from '../validation.ts';
import { type IamOperation, onRole, paginate, requireRole, roleNameParam, roleXml } from './common.ts';

const MAX_SESSION = { min: 3600, max: 43200 } as const;

const createRole: IamOperation = {
  permission: onRole('CreateRole'),
  run: (ctx, params) => {
    const name = roleNameParam(params);
    const path = optionalString('Path', params.get('Path'), IAM_SHAPES.rolePath) ?? '/';
    const trust = requireString(
      'AssumeRolePolicyDocument',
      params.get('AssumeRolePolicyDocument'),
      IAM_SHAPES.policyDocument,
    );
    const description = optionalString('Description', params.get('Description'), IAM_SHAPES.description);
    const maxSession =
      optionalInteger(
        'MaxSessionDuration',
        params.get('MaxSessionDuration'),
        MAX_SESSION.min,
        MAX_SESSION.max,
      ) ?? 3600;
    const boundary = optionalString('PermissionsBoundary', params.get('PermissionsBoundary'), IAM_SHAPES.arn);
    const tags = checkTags(queryStructList(params, 'Tags', ['Key', 'Value']) ?? []);
    if (findRole(ctx.account, name)) throw entityAlreadyExists(`Role with name ${name} already exists.`);
    checkTrustPolicy(trust);
    if (boundary !== undefined && !findManagedPolicy(ctx.state, ctx.account, boundary)) {
      throw invalidInput(`Policy ${boundary} does not exist or is not attachable.`);
    }
    const role: RoleRecord = {
      name,
      path,
      roleId: newIamId('AROA'),
      arn: `arn:aws:iam::${ctx.account.id}:role${path}${name}`,
      createDate: ctx.now.toISOString(),
      assumeRolePolicyDocument: trust,
      maxSessionDuration: maxSession,
      tags,
      inlinePolicies: {},
      attachedPolicyArns: [],
      ...(description === undefined ? {} : { description }),
      ...(boundary === undefined ? {} : { permissionsBoundaryArn: boundary }),
    };
    ctx.account.roles[name.toLowerCase()] = role;
    return { Role: roleXml(role) };
  },
};

const getRole: IamOperation = {
  permission: onRole('GetRole'),
  run: (ctx, params) => ({ Role: roleXml(requireRole(ctx, params)) }),
};

const updateRole: IamOperation = {
  permission: onRole('UpdateRole'),
  run: (ctx, params) => {
    const role = requireRole(ctx, params);
    const description = optionalString('Description', params.get('Description'), IAM_SHAPES.description);
    const maxSession = optionalInteger(
      'MaxSessionDuration',
      params.get('MaxSessionDuration'),
      MAX_SESSION.min,
      MAX_SESSION.max,
    );
    if (description !== undefined) role.description = description;
    if (maxSession !== undefined) role.maxSessionDuration = maxSession;
    return {};
  },
};

const updateAssumeRolePolicy: IamOperation = {
  permission: onRole('UpdateAssumeRolePolicy'),
  run: (ctx, params) => {
    const role = requireRole(ctx, params);
    const doc = requireString('PolicyDocument', params.get('PolicyDocument'), IAM_SHAPES.policyDocument);
    checkTrustPolicy(doc);
    role.assumeRolePolicyDocument = doc;
    return undefined;
  },
};

const deleteRole: IamOperation = {
  permission: onRole('DeleteRole'),
  run: (ctx, params) => {
    const role = requireRole(ctx, params);
    // IAM API Reference, DeleteRole: inline policies and attached managed policies must be removed first.
    if (Object.keys(role.inlinePolicies).length > 0) {
      throw new AwsApiError('DeleteConflict', 'Cannot delete entity, must delete policies first.', 409);
    }
    if (role.attachedPolicyArns.length > 0) {
      throw new AwsApiError('DeleteConflict', 'Cannot delete entity, must detach all policies first.', 409);
    }
    delete ctx.account.roles[role.name.toLowerCase()];
    return undefined;
  },
};

const listRoles: IamOperation = {
  permission: () => ({ action: 'iam:ListRoles', resource: '*' }),
  run: (ctx, params) => {
    const prefix = optionalString('PathPrefix', params.get('PathPrefix'), IAM_SHAPES.pathPrefix) ?? '/';
    const roles = Object.values(ctx.account.roles)
      .filter((r) => r.path.startsWith(prefix))
      .sort((a, b) => (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : 1));
    const { page, truncation } = paginate(roles, params);
    return { Roles: page.map((r) => roleXml(r, true)), ...truncation };
  },
};

/** Role lifecycle operations by action name. */
export const roleOperations: Record<string, IamOperation> = {
  CreateRole: createRole,
  GetRole: getRole,
  UpdateRole: updateRole,
  UpdateAssumeRolePolicy: updateAssumeRolePolicy,
  DeleteRole: deleteRole,
  ListRoles: listRoles,
};
