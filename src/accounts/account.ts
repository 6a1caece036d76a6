/**
 * Destination AWS accounts: what a request may target, who approves for it and how access is provisioned there.
 * Types and pure validation only.
 */
import { normalizeUserId } from '../identity/user.ts';
import { BrokerError } from '../lib/errors.ts';

/** How access is provisioned in the account (DESIGN.md §4). */
export const PROVISIONING_MODES = ['iam_role', 'identity_center'] as const;
export type ProvisioningMode = (typeof PROVISIONING_MODES)[number];

/** A destination account. */
export interface Account {
  /** The 12-digit AWS account id. */
  readonly id: string;
  readonly name: string;
  /** Free label such as `prod`, `nonprod`, `staging`; `prod`/`production` raise the risk score. */
  readonly environment: string;
  readonly provisioningMode: ProvisioningMode;
  /** The spoke role the hub assumes to provision (`arn:aws:iam::<id>:role/…`), or null until configured. */
  readonly spokeRoleArn: string | null;
  readonly externalId: string | null;
  /** User ids (`email:…`, `iam:…`) who may approve requests for this account; admins always may. */
  readonly approvers: readonly string[];
  /** Distinct approvals needed on the current revision (quorum), at least 1. */
  readonly requiredApprovals: number;
  /** Longest grant in this account, in hours; null means the global maximum applies. */
  readonly maxDurationHours: number | null;
  /** Service prefixes (`s3`, `ec2`) a request may use here; null means any. */
  readonly allowedServices: readonly string[] | null;
  /**
   * `identity_center` only: an admin-chosen existing permission set (`arn:aws:sso:::permissionSet/ssoins-…/ps-…`)
   * that every grant in the account is assigned instead of a per-grant one; null = per-grant permission sets.
   */
  readonly permissionSetArn: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** The fields an admin sets; everything but id, name and environment has a default. */
export interface AccountInput {
  id: string;
  name: string;
  environment: string;
  provisioningMode?: ProvisioningMode;
  spokeRoleArn?: string | null;
  externalId?: string | null;
  approvers?: readonly string[];
  requiredApprovals?: number;
  maxDurationHours?: number | null;
  allowedServices?: readonly string[] | null;
  permissionSetArn?: string | null;
}

/** Fields that can change after creation. */
export type AccountPatch = Partial<Omit<AccountInput, 'id'>>;

const ACCOUNT_ID = /^\d{12}$/;
const ENVIRONMENT = /^[a-z0-9][a-z0-9_-]{0,31}$/;
const SERVICE = /^[a-z0-9-]{1,64}$/;
// IAM: external ids are 2-1224 characters of [\w+=,.@:/-] (AWS STS AssumeRole API reference, ExternalId).
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/[\w+=,.@/-]{1,512}$/;
// IAM Identity Center API reference, PermissionSetArn: 10-1224 characters matching
// arn:aws(-[a-z]{1,5}){0,3}:sso:::permissionSet/(sso)?ins-[a-zA-Z0-9-.]{16}/ps-[a-zA-Z0-9-./]{16}.
const PERMISSION_SET_ARN =
  /^arn:aws(-[a-z]{1,5}){0,3}:sso:::permissionSet\/(sso)?ins-[a-zA-Z0-9-.]{16}\/ps-[a-zA-Z0-9-./]{16}$/;
/** Upper bound on any duration, in hours (30 days). */
export const MAX_ACCOUNT_DURATION_HOURS = 720;
const MAX_APPROVERS = 100;

function invalid(field: string, message: string): BrokerError {
  return new BrokerError('InvalidInput', `${field}: ${message}`, { details: { field } });
}

/** True for a 12-digit AWS account id. */
export function isAccountId(value: string): boolean {
  return ACCOUNT_ID.test(value);
}

/** Validates and normalises the fields present in `patch`. Throws BrokerError `InvalidInput` naming the field. */
export function checkAccountPatch(patch: AccountPatch, accountId: string): AccountPatch {
  const out: AccountPatch = {};
  if (patch.name !== undefined) {
    const name = patch.name.trim();
    if (name === '' || name.length > 200) throw invalid('name', 'must be 1-200 characters');
    out.name = name;
  }
  if (patch.environment !== undefined) {
    const env = patch.environment.trim().toLowerCase();
    if (!ENVIRONMENT.test(env))
      throw invalid('environment', 'must be 1-32 lowercase letters, digits, - or _ (e.g. prod, nonprod)');
    out.environment = env;
  }
  if (patch.provisioningMode !== undefined) {
    if (!PROVISIONING_MODES.includes(patch.provisioningMode))
      throw invalid('provisioning_mode', `must be one of ${PROVISIONING_MODES.join(', ')}`);
    out.provisioningMode = patch.provisioningMode;
  }
  if (patch.spokeRoleArn !== undefined) {
    if (patch.spokeRoleArn !== null) {
      const m = ROLE_ARN.exec(patch.spokeRoleArn);
      if (!m) throw invalid('spoke_role_arn', 'must be an IAM role ARN');
      if (m[1] !== accountId) throw invalid('spoke_role_arn', `must be a role in account ${accountId}`);
    }
    out.spokeRoleArn = patch.spokeRoleArn;
  }
  if (patch.externalId !== undefined) {
    if (patch.externalId !== null && !EXTERNAL_ID.test(patch.externalId))
      throw invalid('external_id', 'must be 2-1224 characters of letters, digits and +=,.@:/-_');
    out.externalId = patch.externalId;
  }
  if (patch.approvers !== undefined) {
    if (patch.approvers.length > MAX_APPROVERS) throw invalid('approvers', `at most ${MAX_APPROVERS}`);
    const ids = patch.approvers.map((a, i) => {
      const id = normalizeUserId(a);
      if (!id.ok) throw invalid(`approvers[${i}]`, id.error);
      return id.value;
    });
    out.approvers = [...new Set(ids)].sort();
  }
  if (patch.requiredApprovals !== undefined) {
    if (
      !Number.isInteger(patch.requiredApprovals) ||
      patch.requiredApprovals < 1 ||
      patch.requiredApprovals > 10
    )
      throw invalid('required_approvals', 'must be an integer from 1 to 10');
    out.requiredApprovals = patch.requiredApprovals;
  }
  if (patch.maxDurationHours !== undefined) {
    const h = patch.maxDurationHours;
    if (h !== null && !(Number.isFinite(h) && h > 0 && h <= MAX_ACCOUNT_DURATION_HOURS))
      throw invalid('max_duration_hours', `must be greater than 0 and at most ${MAX_ACCOUNT_DURATION_HOURS}`);
    out.maxDurationHours = h;
  }
  if (patch.allowedServices !== undefined) {
    if (patch.allowedServices !== null) {
      patch.allowedServices.forEach((s, i) => {
        if (!SERVICE.test(s)) throw invalid(`allowed_services[${i}]`, 'must be a service prefix such as s3');
      });
      out.allowedServices = [...new Set(patch.allowedServices)].sort();
    } else out.allowedServices = null;
  }
  if (patch.permissionSetArn !== undefined) {
    const arn = patch.permissionSetArn;
    if (arn !== null && (arn.length > 1224 || !PERMISSION_SET_ARN.test(arn)))
      throw invalid(
        'permission_set_arn',
        'must be an IAM Identity Center permission set ARN (arn:aws:sso:::permissionSet/ssoins-…/ps-…)',
      );
    out.permissionSetArn = arn;
  }
  return out;
}

/**
 * Checks the rules between fields of a whole account: `permission_set_arn` only with `provisioning_mode`
 * `identity_center`. Throws BrokerError `InvalidInput` naming the field.
 */
export function checkAccountFields(account: Account): Account {
  if (account.permissionSetArn !== null && account.provisioningMode !== 'identity_center')
    throw invalid('permission_set_arn', 'is only valid when provisioning_mode is identity_center');
  return account;
}

/** Validates a new account and fills defaults. Throws BrokerError `InvalidInput` naming the field. */
export function buildAccount(input: AccountInput, now: Date): Account {
  if (typeof input.id !== 'string' || !isAccountId(input.id))
    throw invalid('id', 'must be a 12-digit AWS account id');
  const p = checkAccountPatch(input, input.id);
  if (p.name === undefined) throw invalid('name', 'is required');
  if (p.environment === undefined) throw invalid('environment', 'is required');
  return checkAccountFields({
    id: input.id,
    name: p.name,
    environment: p.environment,
    provisioningMode: p.provisioningMode ?? 'iam_role',
    spokeRoleArn: p.spokeRoleArn ?? null,
    externalId: p.externalId ?? null,
    approvers: p.approvers ?? [],
    requiredApprovals: p.requiredApprovals ?? 1,
    maxDurationHours: p.maxDurationHours ?? null,
    allowedServices: p.allowedServices ?? null,
    permissionSetArn: p.permissionSetArn ?? null,
    createdAt: now,
    updatedAt: now,
  });
}

/** True when `userId` may approve for `account`: listed as its approver (holding the approver role) or an admin. */
export function isAccountApprover(
  account: Pick<Account, 'approvers'>,
  user: { id: string; roles: readonly string[] },
): boolean {
  if (user.roles.includes('admin')) return true;
  return user.roles.includes('approver') && account.approvers.includes(user.id);
}
