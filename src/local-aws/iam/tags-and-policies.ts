/** Role tags (TagRole, UntagRole, ListRoleTags) and customer managed policies (CreatePolicy, GetPolicy, DeletePolicy). */
import type { CallContext, RequiredPermission } from '../context.ts';
import { AwsApiError, entityAlreadyExists, invalidInput, noSuchEntity } from '../errors.ts';
import { newIamId } from '../ids.ts';
import { checkManagedPolicy } from '../policy-document.ts';
import {
  type QueryParams,
  queryStringList,
  queryStructList,
  type XmlObject,
} from '../protocols/query-xml.ts';
import { findManagedPolicy, type ManagedPolicyRecord } from '../state.ts';
import {
  checkTags,
  IAM_SHAPES,
  mergeTags,
  optionalString,
  requireString,
  stringViolation,
} from '../validation.ts';
import { type IamOperation, onRole, paginate, requireRole, tagsXml } from './common.ts';

const tagRole: IamOperation = {
  permission: onRole('TagRole'),
  run: (ctx, params) => {
    const role = requireRole(ctx, params);
    const tags = checkTags(queryStructList(params, 'Tags', ['Key', 'Value']) ?? []);
    role.tags = mergeTags(role.tags, tags);
    return undefined;
  },
};

const untagRole: IamOperation = {
  permission: onRole('UntagRole'),
  run: (ctx, params) => {
    const role = requireRole(ctx, params);
    const keys = queryStringList(params, 'TagKeys') ?? [];
    for (const k of keys) {
      const v = stringViolation(k, IAM_SHAPES.tagKey);
      if (v)
        throw new AwsApiError(
          'ValidationError',
          `1 validation error detected: Value '${k}' at 'tagKeys' failed to satisfy constraint: ${v}`,
        );
    }
    const drop = new Set(keys.map((k) => k.toLowerCase()));
    role.tags = role.tags.filter((t) => !drop.has(t.Key.toLowerCase()));
    return undefined;
  },
};

const listRoleTags: IamOperation = {
  permission: onRole('ListRoleTags'),
  run: (ctx, params) => {
    const role = requireRole(ctx, params);
    const { page, truncation } = paginate(role.tags, params);
    return { Tags: tagsXml(page), ...truncation };
  },
};

function policyXml(p: ManagedPolicyRecord, ctx: CallContext): XmlObject {
  const roles = Object.values(ctx.account.roles);
  return {
    PolicyName: p.name,
    PolicyId: p.policyId,
    Arn: p.arn,
    Path: p.path,
    DefaultVersionId: 'v1',
    AttachmentCount: roles.filter((r) => r.attachedPolicyArns.includes(p.arn)).length,
    PermissionsBoundaryUsageCount: roles.filter((r) => r.permissionsBoundaryArn === p.arn).length,
    IsAttachable: true,
    Description: p.description,
    CreateDate: new Date(p.createDate),
    UpdateDate: new Date(p.updateDate),
    Tags: p.tags.length > 0 ? tagsXml(p.tags) : undefined,
  };
}

function onPolicy(action: string): (ctx: CallContext, params: QueryParams) => RequiredPermission {
  return (ctx, params) => ({
    action: `iam:${action}`,
    resource:
      params.get('PolicyArn') ??
      `arn:aws:iam::${ctx.account.id}:policy${params.get('Path') ?? '/'}${params.get('PolicyName') ?? ''}`,
  });
}

function requirePolicy(ctx: CallContext, params: QueryParams): ManagedPolicyRecord {
  const arn = requireString('PolicyArn', params.get('PolicyArn'), IAM_SHAPES.arn);
  if (!/^arn:aws:iam::(\d{12}|aws):policy\//.test(arn)) throw invalidInput(`ARN ${arn} is not valid.`);
  const policy = findManagedPolicy(ctx.state, ctx.account, arn);
  if (!policy) throw noSuchEntity(`Policy ${arn} does not exist or is not attachable.`);
  return policy;
}

const createPolicy: IamOperation = {
  permission: onPolicy('CreatePolicy'),
  run: (ctx, params) => {
    const name = requireString('PolicyName', params.get('PolicyName'), IAM_SHAPES.policyName);
    const path = optionalString('Path', params.get('Path'), IAM_SHAPES.policyPath) ?? '/';
    const doc = requireString('PolicyDocument', params.get('PolicyDocument'), IAM_SHAPES.policyDocument);
    const description = optionalString('Description', params.get('Description'), { max: 1000 });
    const tags = checkTags(queryStructList(params, 'Tags', ['Key', 'Value']) ?? []);
    // Managed policy names are unique per account regardless of path, and "not distinguished by case"
    // (IAM API Reference, CreatePolicy PolicyName).
    if (Object.values(ctx.account.policies).some((p) => p.name.toLowerCase() === name.toLowerCase())) {
      throw entityAlreadyExists(`A policy called ${name} already exists. Duplicate names are not allowed.`);
    }
    checkManagedPolicy(doc);
    const iso = ctx.now.toISOString();
    const policy: ManagedPolicyRecord = {
      name,
      path,
      policyId: newIamId('ANPA'),
      arn: `arn:aws:iam::${ctx.account.id}:policy${path}${name}`,
      document: doc,
      createDate: iso,
      updateDate: iso,
      tags,
      ...(description === undefined ? {} : { description }),
    };
    ctx.account.policies[policy.arn] = policy;
    return { Policy: policyXml(policy, ctx) };
  },
};

const getPolicy: IamOperation = {
  permission: onPolicy('GetPolicy'),
  run: (ctx, params) => ({ Policy: policyXml(requirePolicy(ctx, params), ctx) }),
};

const deletePolicy: IamOperation = {
  permission: onPolicy('DeletePolicy'),
  run: (ctx, params) => {
    const policy = requirePolicy(ctx, params);
    // AWS managed policies belong to AWS (IAM User Guide, "AWS managed policies": you cannot change them).
    if (!ctx.account.policies[policy.arn])
      throw invalidInput(`Policy ${policy.arn} is an AWS managed policy and cannot be deleted.`);
    const inUse = Object.values(ctx.account.roles).some(
      (r) => r.attachedPolicyArns.includes(policy.arn) || r.permissionsBoundaryArn === policy.arn,
    );
    if (inUse) throw new AwsApiError('DeleteConflict', 'Cannot delete a policy attached to entities.', 409);
    delete ctx.account.policies[policy.arn];
    return undefined;
  },
};

/** Tag and managed-policy operations by action name. */
export const tagAndPolicyOperations: Record<string, IamOperation> = {
  TagRole: tagRole,
  UntagRole: untagRole,
  ListRoleTags: listRoleTags,
  CreatePolicy: createPolicy,
  GetPolicy: getPolicy,
  DeletePolicy: deletePolicy,
};
