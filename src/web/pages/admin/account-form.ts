/**
 * The admin account form: what an HTML form posts (strings) turned into the account service's input, and an account
 * turned back into form values (to edit it, or to show the admin's text again after an error). No validation here:
 * the account service checks every field and its message is what the page shows.
 */
import type { Account, AccountInput, AccountPatch, ProvisioningMode } from '../../../accounts/account.ts';

/** The form reader's view of a posted form (see `readForm`): a field's first value, trimmed, or ''. */
export interface TextFields {
  text(name: string): string;
}

/** The account form's fields as the admin typed them. */
export interface AccountFormValues {
  id: string;
  name: string;
  environment: string;
  provisioningMode: string;
  spokeRoleArn: string;
  externalId: string;
  /** One user id per line (commas and spaces separate too). */
  approvers: string;
  requiredApprovals: string;
  /** Blank: the deployment's maximum. */
  maxDurationHours: string;
  /** Service prefixes separated by commas or spaces; blank: any service. */
  allowedServices: string;
  /** identity_center only: an existing permission set ARN every grant uses; blank: a per-grant permission set. */
  permissionSetArn: string;
}

/** The values of an empty "new account" form. */
export function blankAccountForm(): AccountFormValues {
  return {
    id: '',
    name: '',
    environment: '',
    provisioningMode: 'iam_role',
    spokeRoleArn: '',
    externalId: '',
    approvers: '',
    requiredApprovals: '1',
    maxDurationHours: '',
    allowedServices: '',
    permissionSetArn: '',
  };
}

/** The form values showing `account` (for its edit page). */
export function accountFormValues(account: Account): AccountFormValues {
  return {
    id: account.id,
    name: account.name,
    environment: account.environment,
    provisioningMode: account.provisioningMode,
    spokeRoleArn: account.spokeRoleArn ?? '',
    externalId: account.externalId ?? '',
    approvers: account.approvers.join('\n'),
    requiredApprovals: String(account.requiredApprovals),
    maxDurationHours: account.maxDurationHours === null ? '' : String(account.maxDurationHours),
    allowedServices: account.allowedServices === null ? '' : account.allowedServices.join(', '),
    permissionSetArn: account.permissionSetArn ?? '',
  };
}

/** The form values a posted form carries (missing fields read as ''). */
export function accountFormFromFields(form: TextFields): AccountFormValues {
  return {
    id: form.text('id'),
    name: form.text('name'),
    environment: form.text('environment'),
    provisioningMode: form.text('provisioning_mode'),
    spokeRoleArn: form.text('spoke_role_arn'),
    externalId: form.text('external_id'),
    approvers: form.text('approvers'),
    requiredApprovals: form.text('required_approvals'),
    maxDurationHours: form.text('max_duration_hours'),
    allowedServices: form.text('allowed_services'),
    permissionSetArn: form.text('permission_set_arn'),
  };
}

const words = (text: string) => text.split(/[\s,]+/).filter((w) => w !== '');
const orNull = (text: string) => (text.trim() === '' ? null : text.trim());
/** A decimal number, or NaN for anything else (the service then names the field in its error). */
const decimal = (text: string) => (/^\s*\d+(\.\d+)?\s*$/.test(text) ? Number(text) : Number.NaN);

/**
 * The service patch for the edit form: every field is set (a blank ARN, external id, duration or service list
 * clears it); a blank quorum leaves it unchanged.
 */
export function accountPatchFromForm(values: AccountFormValues): AccountPatch {
  return {
    name: values.name,
    environment: values.environment,
    provisioningMode: values.provisioningMode as ProvisioningMode,
    spokeRoleArn: orNull(values.spokeRoleArn),
    externalId: orNull(values.externalId),
    approvers: words(values.approvers),
    ...(values.requiredApprovals.trim() === ''
      ? {}
      : { requiredApprovals: decimal(values.requiredApprovals) }),
    maxDurationHours: values.maxDurationHours.trim() === '' ? null : decimal(values.maxDurationHours),
    allowedServices: values.allowedServices.trim() === '' ? null : words(values.allowedServices),
    permissionSetArn: orNull(values.permissionSetArn),
  };
}

/** The service input for the create form (defaults apply to blank optional fields). */
export function accountInputFromForm(values: AccountFormValues): AccountInput {
  return {
    id: values.id,
    ...accountPatchFromForm(values),
    name: values.name,
    environment: values.environment,
  };
}
