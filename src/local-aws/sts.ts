/** STS: GetCallerIdentity and AssumeRole (trust policy evaluated by the policy engine). */
import { callerPolicies, evaluationQuery, principalContext, type RequestContextValues } from './authorize.ts';
import type { CallContext, Operation } from './context.ts';
import { AwsApiError, validationError } from './errors.ts';
import { newAccessKeyId, newSecretAccessKey, newSessionToken } from './ids.ts';
import { checkPolicyDocument, POLICY_SIZE_LIMITS, policySize } from './policy-document.ts';
import { type QueryParams, queryStringList, queryStructList, type XmlObject } from './protocols/query-xml.ts';
import { findRole, type RoleRecord, type SessionRecord, type Tag } from './state.ts';
import { checkTags, IAM_SHAPES, optionalInteger, optionalString, requireString } from './validation.ts';

type StsOperation = Operation<QueryParams, XmlObject | undefined>;

/** STS API Reference, GetCallerIdentity: "No permissions are required to perform this operation." */
const getCallerIdentity: StsOperation = {
  run: (ctx) => ({ UserId: ctx.principal.userId, Account: ctx.principal.account.id, Arn: ctx.principal.arn }),
};

const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/(?:[\u0021-\u007E]*\/)?([\w+=,.@-]+)$/;

function denied(ctx: CallContext, roleArn: string, why: string): AwsApiError {
  return new AwsApiError(
    'AccessDenied',
    `User: ${ctx.principal.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}${why ? ` because ${why}` : ''}`,
    403,
  );
}

interface AssumeRoleInput {
  roleArn: string;
  sessionName: string;
  duration: number;
  externalId?: string;
  sourceIdentity?: string;
  sessionPolicy?: string;
  policyArns: string[];
  tags: Tag[];
  transitiveTagKeys: string[];
}

function readAssumeRoleInput(params: QueryParams): AssumeRoleInput {
  const roleArn = requireString('RoleArn', params.get('RoleArn'), IAM_SHAPES.arn);
  const sessionName = requireString(
    'RoleSessionName',
    params.get('RoleSessionName'),
    IAM_SHAPES.roleSessionName,
  );
  const duration = optionalInteger('DurationSeconds', params.get('DurationSeconds'), 900, 43200) ?? 3600;
  const externalId = optionalString('ExternalId', params.get('ExternalId'), IAM_SHAPES.externalId);
  const sourceIdentity = optionalString(
    'SourceIdentity',
    params.get('SourceIdentity'),
    IAM_SHAPES.sourceIdentity,
  );
  const sessionPolicy = optionalString('Policy', params.get('Policy'), {
    min: 1,
    max: POLICY_SIZE_LIMITS.sessionPolicy,
  });
  const policyArns = (queryStructList(params, 'PolicyArns', ['arn']) ?? []).map((p) => p.arn ?? '');
  const tags = checkTags(queryStructList(params, 'Tags', ['Key', 'Value']) ?? []);
  const transitiveTagKeys = queryStringList(params, 'TransitiveTagKeys') ?? [];
  return {
    roleArn,
    sessionName,
    duration,
    policyArns,
    tags,
    transitiveTagKeys,
    ...(externalId === undefined ? {} : { externalId }),
    ...(sourceIdentity === undefined ? {} : { sourceIdentity }),
    ...(sessionPolicy === undefined ? {} : { sessionPolicy }),
  };
}

/** Condition keys AssumeRole adds to the request context (IAM User Guide, "AWS STS condition keys"). */
function assumeRoleContext(ctx: CallContext, input: AssumeRoleInput): RequestContextValues {
  const values: RequestContextValues = principalContext(ctx);
  values.set('sts:rolesessionname', input.sessionName);
  if (input.externalId !== undefined) values.set('sts:externalid', input.externalId);
  if (input.sourceIdentity !== undefined) values.set('sts:sourceidentity', input.sourceIdentity);
  for (const t of input.tags) values.set(`aws:requesttag/${t.Key.toLowerCase()}`, t.Value);
  if (input.tags.length > 0)
    values.set(
      'aws:tagkeys',
      input.tags.map((t) => t.Key),
    );
  if (input.transitiveTagKeys.length > 0) values.set('sts:transitivetagkeys', input.transitiveTagKeys);
  return values;
}

/**
 * Evaluates the role's trust policy together with the caller's own policies for every action AssumeRole needs
 * (same account: either side may allow unless the trust policy names only the account; cross-account: both).
 */
function authorizeAssumeRole(ctx: CallContext, role: RoleRecord, input: AssumeRoleInput): void {
  const context = assumeRoleContext(ctx, input);
  // IAM User Guide, "Passing session tags" and "Monitor and control actions taken with assumed roles":
  // session tags need sts:TagSession and a source identity needs sts:SetSourceIdentity in the trust policy.
  const actions = ['sts:AssumeRole'];
  if (input.tags.length > 0) actions.push('sts:TagSession');
  if (input.sourceIdentity !== undefined) actions.push('sts:SetSourceIdentity');
  for (const action of actions) {
    const trust = ctx.evaluator.evaluate(
      evaluationQuery(callerPolicies(ctx), action, role.arn, context, role.assumeRolePolicyDocument),
    );
    if (!trust.allowed) throw denied(ctx, role.arn, trust.reason);
  }
}

function assumeRoleTarget(ctx: CallContext, roleArn: string): RoleRecord {
  const m = ROLE_ARN.exec(roleArn);
  if (!m) throw validationError(`${roleArn} is invalid`);
  const account = ctx.state.accounts[m[1] ?? ''];
  const role = account ? findRole(account, m[2] ?? '') : undefined;
  // An unknown role is indistinguishable from a trust policy that does not allow the caller.
  if (!role || role.arn !== roleArn) throw denied(ctx, roleArn, '');
  return role;
}

const assumeRole: StsOperation = {
  run: (ctx, params) => {
    const input = readAssumeRoleInput(params);
    if (ctx.principal.kind === 'root') {
      throw new AwsApiError('AccessDenied', 'Roles may not be assumed by root accounts.', 403);
    }
    const role = assumeRoleTarget(ctx, input.roleArn);
    if (input.duration > role.maxSessionDuration) {
      throw validationError(
        'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
      );
    }
    if (ctx.principal.kind === 'session' && input.duration > 3600) {
      throw validationError(
        'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
      );
    }
    if (input.sessionPolicy !== undefined) checkPolicyDocument(input.sessionPolicy, 'session');
    authorizeAssumeRole(ctx, role, input);
    const session = createSession(ctx, role, input);
    ctx.state.sessions[session.accessKeyId] = session;
    const packed =
      input.sessionPolicy !== undefined || input.tags.length > 0 || input.policyArns.length > 0
        ? Math.min(
            100,
            Math.ceil(((policySize(input.sessionPolicy ?? '') + 20 * input.tags.length) / 2048) * 100),
          )
        : undefined;
    return {
      Credentials: {
        AccessKeyId: session.accessKeyId,
        SecretAccessKey: session.secretAccessKey,
        SessionToken: session.sessionToken,
        Expiration: new Date(session.expiresAt),
      },
      AssumedRoleUser: { AssumedRoleId: `${role.roleId}:${input.sessionName}`, Arn: sessionArn(session) },
      PackedPolicySize: packed,
      SourceIdentity: session.sourceIdentity,
    };
  },
};

function sessionArn(s: SessionRecord): string {
  return `arn:aws:sts::${s.accountId}:assumed-role/${s.roleName}/${s.sessionName}`;
}

function createSession(ctx: CallContext, role: RoleRecord, input: AssumeRoleInput): SessionRecord {
  const accountId = role.arn.split(':')[4] ?? ctx.account.id;
  const inheritedSourceIdentity =
    ctx.principal.kind === 'session' ? ctx.principal.session.sourceIdentity : undefined;
  const sourceIdentity = input.sourceIdentity ?? inheritedSourceIdentity;
  return {
    accessKeyId: newAccessKeyId('ASIA'),
    secretAccessKey: newSecretAccessKey(),
    sessionToken: newSessionToken(),
    accountId,
    roleName: role.name,
    roleId: role.roleId,
    roleArn: role.arn,
    sessionName: input.sessionName,
    issuedAt: ctx.now.toISOString(),
    expiresAt: new Date(ctx.now.getTime() + input.duration * 1000).toISOString(),
    sessionPolicyArns: input.policyArns,
    tags: input.tags,
    callerArn: ctx.principal.arn,
    ...(input.sessionPolicy === undefined ? {} : { sessionPolicy: input.sessionPolicy }),
    ...(sourceIdentity === undefined ? {} : { sourceIdentity }),
  };
}

/** STS operations by action name. */
export const stsOperations: Record<string, StsOperation> = {
  GetCallerIdentity: getCallerIdentity,
  AssumeRole: assumeRole,
};
