/**
 * Role permissions: inline policies (Put/Get/Delete/ListRolePolicies), attached managed policies
 * (Attach/Detach/ListAttachedRolePolicies) and the permissions boundary (Put/DeleteRolePermissionsBoundary).
 */
import type { CallContext } from '../context.ts';
import { invalidInput, limitExceeded, noSuchEntity } from '../errors.ts';
import { checkRoleInlinePolicy } from '../policy-document.ts';
import type { QueryParams } from '../protocols/query-xml.ts';
import { findManagedPolicy, type ManagedPolicyRecord } from '../state.ts';
import { IAM_SHAPES, optionalString, requireString } from '../validation.ts';
import { encodePolicyDocument, type IamOperation, onRole, paginate, requireRole } from './common.ts';

/** Managed policies attached per role (IAM and AWS STS quotas, default). */
export const MAX_ATTACHED_POLICIES_PER_ROLE = 10;

function policyNameParam(params: QueryParams): string {
  return requireString('PolicyName', params.get('PolicyName'), IAM_SHAPES.policyName);
}

/** Resolves `PolicyArn` to a customer managed policy of the caller's account (IAM's "not attachable" otherwise). */
export function attachablePolicy(ctx: CallContext, arn: string): ManagedPolicyRecord {
  const policy = findManagedPolicy(ctx.state, ctx.account, arn);
  if (!policy) throw noSuchEntity(`Policy ${arn} does not exist or is not attachable.`);
  return policy;
}

const putRolePolicy: IamOperation = {
  permission: onRole('PutRolePolicy'),
  run: (ctx, params) => {
    const role = requireRole(ctx, params);
    const name = policyNameParam(params);
    const doc = requireString('PolicyDocument', params.get('PolicyDocument'), IAM_SHAPES.policyDocument);
    checkRoleInlinePolicy(doc, role.name, role.inlinePolicies, name);
    role.inlinePolicies[name] = doc;
    return undefined;
  },
};

const getRolePolicy: IamOperation = {
  permission: onRole('GetRolePolicy'),
  run: (ctx, params) => {
    const role = requireRole(ctx, params);
    const name = policyNameParam(params);
    const doc = role.inlinePolicies[name];
    if (doc === undefined) throw noSuchEntity(`The role policy with name ${name} cannot be found.`);
    return { RoleName: role.name, PolicyName: name, PolicyDocument: encodePolicyDocument(doc) };
  },
};

const deleteRolePolicy: IamOperation = {
  permission: onRole('DeleteRolePolicy'),
  run: (ctx, params) => {
    const role = requireRole(ctx, params);
    const name = policyNameParam(params);
    if (role.inlinePolicies[name] === undefined) {
      throw noSuchEntity(`The role policy with name ${name} cannot be found.`);
    }
    delete role.inlinePolicies[name];
    return undefined;
  },
};

const listRolePolicies: IamOperation = {
  permission: onRole('ListRolePolicies'),
  run: (ctx, params) => {
    const role = requireRole(ctx, params);
    const { page, truncation } = paginate(Object.keys(role.inlinePolicies).sort(), params);
    return { PolicyNames: page, ...truncation };
  },
};

const attachRolePolicy: IamOperation = {
  permission: onRole('AttachRolePolicy'),
  run: (ctx, params) => {
    const role = requireRole(ctx, params);
    const arn = requireString('PolicyArn', params.get('PolicyArn'), IAM_SHAPES.arn);
    attachablePolicy(ctx, arn);
    if (role.attachedPolicyArns.includes(arn)) return undefined;
    if (role.attachedPolicyArns.length >= MAX_ATTACHED_POLICIES_PER_ROLE) {
      throw limitExceeded(`Cannot exceed quota for PoliciesPerRole: ${MAX_ATTACHED_POLICIES_PER_ROLE}`);
    }
    role.attachedPolicyArns.push(arn);
    return undefined;
  },
};

const detachRolePolicy: IamOperation = {
  permission: onRole('DetachRolePolicy'),
  run: (ctx, params) => {
    const role = requireRole(ctx, params);
    const arn = requireString('PolicyArn', params.get('PolicyArn'), IAM_SHAPES.arn);
    if (!role.attachedPolicyArns.includes(arn)) throw noSuchEntity(`Policy ${arn} was not found.`);
    role.attachedPolicyArns = role.attachedPolicyArns.filter((a) => a !== arn);
    return undefined;
  },
};

const listAttachedRolePolicies: IamOperation = {
  permission: onRole('ListAttachedRolePolicies'),
  run: (ctx, params) => {
    const role = requireRole(ctx, params);
    const prefix = optionalString('PathPrefix', params.get('PathPrefix'), IAM_SHAPES.policyPath) ?? '/';
    const attached = role.attachedPolicyArns
      .map((arn) => findManagedPolicy(ctx.state, ctx.account, arn))
      .filter((p): p is ManagedPolicyRecord => p?.path.startsWith(prefix) === true)
      .map((p) => ({ PolicyName: p.name, PolicyArn: p.arn }));
    const { page, truncation } = paginate(attached, params);
    return { AttachedPolicies: page, ...truncation };
  },
};

const putRolePermissionsBoundary: IamOperation = {
  permission: onRole('PutRolePermissionsBoundary'),
  run: (ctx, params) => {
    const role = requireRole(ctx, params);
    const arn = requireString('PermissionsBoundary', params.get('PermissionsBoundary'), IAM_SHAPES.arn);
    if (!findManagedPolicy(ctx.state, ctx.account, arn))
      throw invalidInput(`Policy ${arn} does not exist or is not attachable.`);
    role.permissionsBoundaryArn = arn;
    return undefined;
  },
};

const deleteRolePermissionsBoundary: IamOperation = {
  permission: onRole('DeleteRolePermissionsBoundary'),
  run: (ctx, params) => {
    const role = requireRole(ctx, params);
    delete role.permissionsBoundaryArn;
    return undefined;
  },
};

/** Role permission operations by action name. */
export const rolePolicyOperations: Record<string, IamOperation> = {
  PutRolePolicy: putRolePolicy,
  GetRolePolicy: getRolePolicy,
  DeleteRolePolicy: deleteRolePolicy,
  ListRolePolicies: listRolePolicies,
  AttachRolePolicy: attachRolePolicy,
  DetachRolePolicy: detachRolePolicy,
  ListAttachedRolePolicies: listAttachedRolePolicies,
  PutRolePermissionsBoundary: putRolePermissionsBoundary,
  DeleteRolePermissionsBoundary: deleteRolePermissionsBoundary,
};
