/**
 * SSO Admin (IAM Identity Center) over JSON 1.1: instances, permission sets with inline policies, and account
 * assignments whose Create/Delete run asynchronously (IN_PROGRESS → SUCCEEDED/FAILED), as in the service.
 * Shapes and constraints: botocore sso-admin 2020-07-20.
 */
import { randomUUID } from 'node:crypto';
import type { CallContext, Operation, RequiredPermission } from './context.ts';
import { AwsApiError } from './errors.ts';
import { newHex } from './ids.ts';
import {
  conflict,
  jsonPage,
  optString,
  reqEnum,
  reqString,
  resourceNotFound,
  validationException,
} from './json-input.ts';
import { checkPolicyDocument } from './policy-document.ts';
import { epochSeconds } from './protocols/json11.ts';
import type {
  AssignmentOperation,
  AssignmentRecord,
  IdentityCenterRecord,
  PermissionSetRecord,
} from './state.ts';
import { checkTags } from './validation.ts';

type JsonOperation = Operation<Record<string, unknown>, Record<string, unknown>>;
type Input = Record<string, unknown>;

const SHAPES = {
  instanceArn: {
    min: 10,
    max: 1224,
    pattern: /^arn:aws(-[a-z]{1,5}){0,3}:sso:::instance\/(sso)?ins-[a-zA-Z0-9-.]{16}$/,
  },
  permissionSetArn: {
    min: 10,
    max: 1224,
    pattern:
      /^arn:aws(-[a-z]{1,5}){0,3}:sso:::permissionSet\/(sso)?ins-[a-zA-Z0-9-.]{16}\/ps-[a-zA-Z0-9-./]{16}$/,
  },
  name: { min: 1, max: 32, pattern: /^[\w+=,.@-]+$/ },
  description: { min: 1, max: 700 },
  sessionDuration: { min: 1, max: 100, pattern: /^PT(\d+H)?(\d+M)?$/ },
  accountId: { min: 12, max: 12, pattern: /^\d{12}$/ },
  inlinePolicy: { min: 1, max: 32768 },
  principalId: {
    min: 1,
    max: 47,
    pattern: /^([0-9a-f]{10}-|)[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}$/,
  },
  requestId: { min: 36, max: 36 },
} as const;

/** The caller account's Identity Center instance named by `InstanceArn`. */
function instance(ctx: CallContext, input: Input): IdentityCenterRecord {
  const arn = reqString(input, 'InstanceArn', SHAPES.instanceArn);
  const ic = ctx.account.identityCenter;
  if (!ic || ic.instanceArn !== arn)
    throw resourceNotFound(`Instance ${arn} does not exist in this account.`);
  settle(ic, ctx.now);
  return ic;
}

function permissionSet(ic: IdentityCenterRecord, input: Input): PermissionSetRecord {
  const arn = reqString(input, 'PermissionSetArn', SHAPES.permissionSetArn);
  const ps = ic.permissionSets.find((p) => p.arn === arn);
  if (!ps) throw resourceNotFound(`Could not find PermissionSet with arn ${arn}.`);
  return ps;
}

const sameAssignment = (a: AssignmentRecord, b: AssignmentRecord): boolean =>
  a.accountId === b.accountId &&
  a.permissionSetArn === b.permissionSetArn &&
  a.principalType === b.principalType &&
  a.principalId === b.principalId;

/** Completes the assignment operations whose time has come. */
export function settle(ic: IdentityCenterRecord, now: Date): void {
  for (const op of ic.operations) {
    if (op.status !== 'IN_PROGRESS' || Date.parse(op.completesAt) > now.getTime()) continue;
    const a = op.assignment;
    if (op.kind === 'create') {
      if (a.principalType === 'USER' && !ic.users.some((u) => u.userId === a.principalId)) {
        op.status = 'FAILED';
        op.failureReason = `Principal ${a.principalId} does not exist in identity store ${ic.identityStoreId}.`;
        continue;
      }
      if (!ic.assignments.some((x) => sameAssignment(x, a))) ic.assignments.push(a);
    } else {
      ic.assignments = ic.assignments.filter((x) => !sameAssignment(x, a));
    }
    op.status = 'SUCCEEDED';
  }
}

function opStatus(op: AssignmentOperation): Record<string, unknown> {
  return {
    Status: op.status,
    RequestId: op.requestId,
    ...(op.failureReason === undefined ? {} : { FailureReason: op.failureReason }),
    TargetId: op.assignment.accountId,
    TargetType: 'AWS_ACCOUNT',
    PermissionSetArn: op.assignment.permissionSetArn,
    PrincipalType: op.assignment.principalType,
    PrincipalId: op.assignment.principalId,
    CreatedDate: epochSeconds(new Date(op.createdDate)),
  };
}

function psJson(ps: PermissionSetRecord): Record<string, unknown> {
  return {
    Name: ps.name,
    PermissionSetArn: ps.arn,
    ...(ps.description === undefined ? {} : { Description: ps.description }),
    CreatedDate: epochSeconds(new Date(ps.createdDate)),
    SessionDuration: ps.sessionDuration,
    ...(ps.relayState === undefined ? {} : { RelayState: ps.relayState }),
  };
}

/** `sso:<Action>` on the permission set, else the instance, else `*`. */
function sso(action: string): (ctx: CallContext, input: Input) => RequiredPermission {
  return (_ctx, input) => {
    const resource = input.PermissionSetArn ?? input.InstanceArn ?? '*';
    return { action: `sso:${action}`, resource: typeof resource === 'string' ? resource : '*' };
  };
}

function readAssignment(
  ctx: CallContext,
  input: Input,
): { ic: IdentityCenterRecord; assignment: AssignmentRecord } {
  const ic = instance(ctx, input);
  const accountId = reqString(input, 'TargetId', SHAPES.accountId);
  reqEnum(input, 'TargetType', ['AWS_ACCOUNT'] as const);
  const ps = permissionSet(ic, input);
  const principalType = reqEnum(input, 'PrincipalType', ['USER', 'GROUP'] as const);
  const principalId = reqString(input, 'PrincipalId', SHAPES.principalId);
  return { ic, assignment: { accountId, permissionSetArn: ps.arn, principalType, principalId } };
}

function startOperation(
  ctx: CallContext,
  ic: IdentityCenterRecord,
  kind: 'create' | 'delete',
  a: AssignmentRecord,
) {
  const op: AssignmentOperation = {
    requestId: randomUUID(),
    kind,
    assignment: a,
    status: 'IN_PROGRESS',
    createdDate: ctx.now.toISOString(),
    completesAt: new Date(ctx.now.getTime() + ctx.assignmentDelayMs).toISOString(),
  };
  ic.operations.push(op);
  return op;
}

function describeOperation(kind: 'create' | 'delete', idMember: string): JsonOperation['run'] {
  return (ctx, input) => {
    const ic = instance(ctx, input);
    const id = reqString(input, idMember, SHAPES.requestId);
    const op = ic.operations.find((o) => o.requestId === id && o.kind === kind);
    if (!op) throw resourceNotFound(`Could not find the request with id ${id}.`);
    const key = kind === 'create' ? 'AccountAssignmentCreationStatus' : 'AccountAssignmentDeletionStatus';
    return { [key]: opStatus(op) };
  };
}

/** SSO Admin operations by name (JSON 1.1, target prefix `SWBExternalService`). */
export const ssoAdminOperations: Record<string, JsonOperation> = {
  ListInstances: {
    permission: () => ({ action: 'sso:ListInstances', resource: '*' }),
    run: (ctx, input) => {
      const ic = ctx.account.identityCenter;
      const all = ic
        ? [
            {
              InstanceArn: ic.instanceArn,
              IdentityStoreId: ic.identityStoreId,
              OwnerAccountId: ctx.account.id,
              ...(ic.name === undefined ? {} : { Name: ic.name }),
              CreatedDate: epochSeconds(new Date(ic.createdDate)),
              Status: 'ACTIVE',
            },
          ]
        : [];
      const { page, nextToken } = jsonPage(all, input);
      return { Instances: page, ...(nextToken ? { NextToken: nextToken } : {}) };
    },
  },
  CreatePermissionSet: {
    permission: sso('CreatePermissionSet'),
    run: (ctx, input) => {
      const ic = instance(ctx, input);
      const name = reqString(input, 'Name', SHAPES.name);
      const description = optString(input, 'Description', SHAPES.description);
      const sessionDuration = optString(input, 'SessionDuration', SHAPES.sessionDuration) ?? 'PT1H';
      const relayState = optString(input, 'RelayState', { min: 1, max: 240 });
      const tags = Array.isArray(input.Tags) ? (input.Tags as Array<Record<string, string>>) : [];
      if (ic.permissionSets.some((p) => p.name === name))
        throw conflict(`PermissionSet with name ${name} already exists.`);
      const ps: PermissionSetRecord = {
        arn: `${ic.instanceArn.replace(':instance/', ':permissionSet/')}/ps-${newHex(16)}`,
        name,
        sessionDuration,
        createdDate: ctx.now.toISOString(),
        tags: wrapTags(tags),
        provisionedAccounts: [],
        ...(description === undefined ? {} : { description }),
        ...(relayState === undefined ? {} : { relayState }),
      };
      ic.permissionSets.push(ps);
      return { PermissionSet: psJson(ps) };
    },
  },
  DescribePermissionSet: {
    permission: sso('DescribePermissionSet'),
    run: (ctx, input) => ({ PermissionSet: psJson(permissionSet(instance(ctx, input), input)) }),
  },
  PutInlinePolicyToPermissionSet: {
    permission: sso('PutInlinePolicyToPermissionSet'),
    run: (ctx, input) => {
      const ps = permissionSet(instance(ctx, input), input);
      const policy = reqString(input, 'InlinePolicy', SHAPES.inlinePolicy);
      try {
        checkPolicyDocument(policy, 'identity');
      } catch (e) {
        if (e instanceof AwsApiError)
          throw validationException(`The policy document is invalid: ${e.message}`);
        throw e;
      }
      ps.inlinePolicy = policy;
      return {};
    },
  },
  ProvisionPermissionSet: {
    permission: sso('ProvisionPermissionSet'),
    run: (ctx, input) => {
      const ps = permissionSet(instance(ctx, input), input);
      const targetType = reqEnum(input, 'TargetType', ['AWS_ACCOUNT', 'ALL_PROVISIONED_ACCOUNTS'] as const);
      const accountId =
        targetType === 'AWS_ACCOUNT' ? reqString(input, 'TargetId', SHAPES.accountId) : undefined;
      if (accountId && !ps.provisionedAccounts.includes(accountId)) ps.provisionedAccounts.push(accountId);
      return {
        PermissionSetProvisioningStatus: {
          Status: 'SUCCEEDED',
          RequestId: randomUUID(),
          ...(accountId ? { AccountId: accountId } : {}),
          PermissionSetArn: ps.arn,
          CreatedDate: epochSeconds(ctx.now),
        },
      };
    },
  },
  DeletePermissionSet: {
    permission: sso('DeletePermissionSet'),
    run: (ctx, input) => {
      const ic = instance(ctx, input);
      const ps = permissionSet(ic, input);
      if (ic.assignments.some((a) => a.permissionSetArn === ps.arn)) {
        throw conflict(
          'The permission set is still assigned to accounts; delete its account assignments first.',
        );
      }
      ic.permissionSets = ic.permissionSets.filter((p) => p !== ps);
      return {};
    },
  },
  CreateAccountAssignment: {
    permission: sso('CreateAccountAssignment'),
    run: (ctx, input) => {
      const { ic, assignment } = readAssignment(ctx, input);
      return { AccountAssignmentCreationStatus: opStatus(startOperation(ctx, ic, 'create', assignment)) };
    },
  },
  DeleteAccountAssignment: {
    permission: sso('DeleteAccountAssignment'),
    run: (ctx, input) => {
      const { ic, assignment } = readAssignment(ctx, input);
      if (!ic.assignments.some((a) => sameAssignment(a, assignment))) {
        throw resourceNotFound('The account assignment does not exist.');
      }
      return { AccountAssignmentDeletionStatus: opStatus(startOperation(ctx, ic, 'delete', assignment)) };
    },
  },
  DescribeAccountAssignmentCreationStatus: {
    permission: sso('DescribeAccountAssignmentCreationStatus'),
    run: describeOperation('create', 'AccountAssignmentCreationRequestId'),
  },
  DescribeAccountAssignmentDeletionStatus: {
    permission: sso('DescribeAccountAssignmentDeletionStatus'),
    run: describeOperation('delete', 'AccountAssignmentDeletionRequestId'),
  },
  ListAccountAssignments: {
    permission: sso('ListAccountAssignments'),
    run: (ctx, input) => {
      const ic = instance(ctx, input);
      const accountId = reqString(input, 'AccountId', SHAPES.accountId);
      const ps = permissionSet(ic, input);
      const matching = ic.assignments
        .filter((a) => a.accountId === accountId && a.permissionSetArn === ps.arn)
        .map((a) => ({
          AccountId: a.accountId,
          PermissionSetArn: a.permissionSetArn,
          PrincipalType: a.principalType,
          PrincipalId: a.principalId,
        }));
      const { page, nextToken } = jsonPage(matching, input);
      return { AccountAssignments: page, ...(nextToken ? { NextToken: nextToken } : {}) };
    },
  },
  ListPermissionSetsProvisionedToAccount: {
    permission: sso('ListPermissionSetsProvisionedToAccount'),
    run: (ctx, input) => {
      const ic = instance(ctx, input);
      const accountId = reqString(input, 'AccountId', SHAPES.accountId);
      const arns = ic.permissionSets
        .filter((p) => p.provisionedAccounts.includes(accountId))
        .map((p) => p.arn);
      const { page, nextToken } = jsonPage(arns, input);
      return { PermissionSets: page, ...(nextToken ? { NextToken: nextToken } : {}) };
    },
  },
  // ListPermissionSets: every permission set of the instance (ARNs), oldest first, paginated (MaxResults 1-100).
  ListPermissionSets: {
    permission: sso('ListPermissionSets'),
    run: (ctx, input) => {
      const { page, nextToken } = jsonPage(
        instance(ctx, input).permissionSets.map((p) => p.arn),
        input,
      );
      return { PermissionSets: page, ...(nextToken ? { NextToken: nextToken } : {}) };
    },
  },
  ListTagsForResource: {
    permission: sso('ListTagsForResource'),
    run: (ctx, input) => {
      const ic = instance(ctx, input);
      const arn = reqString(input, 'ResourceArn', SHAPES.permissionSetArn);
      const ps = ic.permissionSets.find((p) => p.arn === arn);
      if (!ps) throw resourceNotFound(`Could not find PermissionSet with arn ${arn}.`);
      const { page, nextToken } = jsonPage(ps.tags, input);
      return { Tags: page, ...(nextToken ? { NextToken: nextToken } : {}) };
    },
  },
  GetInlinePolicyForPermissionSet: {
    permission: sso('GetInlinePolicyForPermissionSet'),
    run: (ctx, input) => ({ InlinePolicy: permissionSet(instance(ctx, input), input).inlinePolicy ?? '' }),
  },
};

function wrapTags(tags: Array<Record<string, string>>): PermissionSetRecord['tags'] {
  if (tags.length > 75) throw validationException('A permission set can have at most 75 tags.');
  try {
    return tags.length > 50
      ? tags.map((t) => ({ Key: String(t.Key), Value: String(t.Value) }))
      : checkTags(tags);
  } catch (e) {
    if (e instanceof AwsApiError) throw validationException(e.message);
    throw e;
  }
}
