import { err, ok, type Result } from '../lib/result.ts';

const PARTITIONS = ['aws', 'aws-cn', 'aws-us-gov'] as const;
const ACCOUNT = /^\d{12}$/;
// IAM names: 1–64 (roles) / 1–64 (users) of [\w+=,.@-] — IAM User Guide, "IAM object quotas" and CreateRole/CreateUser.
const NAME = /^[\w+=,.@-]{1,64}$/;
const PATH_SEGMENT = /^[\u0021-\u007E]+$/;

/**
 * Normalises the ARN of an AWS principal to the IAM ARN iam-jit keys users by (`arn:<p>:iam::<acct>:role/<Name>`
 * or `arn:<p>:iam::<acct>:user/<Name>`):
 * - an STS assumed-role session `arn:aws:sts::123456789012:assumed-role/Role/session` → `arn:aws:iam::123456789012:role/Role`
 *   (the session name is dropped: it is chosen by the caller);
 * - a role or user ARN with a path (`role/team/Devops`) → without it (`role/Devops`).
 *
 * Why paths are dropped: the assumed-role ARN returned by `sts:GetCallerIdentity` never contains the role's path
 * (IAM User Guide, "IAM identifiers": `arn:aws:sts::account:assumed-role/role-name/role-session-name`), so the
 * path cannot be recovered without `iam:GetRole`. Role and user names are unique within an account whatever their
 * path, so `(partition, account, name)` still identifies exactly one principal. Caveat for operators: a role that is
 * deleted and re-created with the same name (any path) matches the same iam-jit user.
 *
 * Returns an error text for anything else (root, federated users, other services, malformed ARNs).
 */
export function normalizePrincipalArn(arn: string): Result<string, string> {
  const parts = arn.trim().split(':');
  if (parts.length !== 6 || parts[0] !== 'arn')
    return err('not an ARN (expected arn:partition:service::account:resource)');
  const [, partition = '', service, region, account = '', resource = ''] = parts;
  if (!(PARTITIONS as readonly string[]).includes(partition))
    return err(`unknown AWS partition "${partition}"`);
  if (region !== '') return err('IAM and STS principal ARNs have an empty region field');
  if (!ACCOUNT.test(account)) return err('account id must be 12 digits');
  const segments = resource.split('/');
  const kind = segments[0];
  if (service === 'sts' && kind === 'assumed-role') {
    if (segments.length !== 3 || !NAME.test(segments[1] ?? '') || (segments[2] ?? '') === '')
      return err('assumed-role ARN must be assumed-role/<role-name>/<session-name>');
    return ok(`arn:${partition}:iam::${account}:role/${segments[1]}`);
  }
  if (service === 'iam' && (kind === 'role' || kind === 'user')) {
    const name = segments.at(-1) ?? '';
    const path = segments.slice(1, -1);
    if (segments.length < 2 || !NAME.test(name) || !path.every((s) => PATH_SEGMENT.test(s)))
      return err(`${kind} ARN must be ${kind}/[path/]<name>`);
    return ok(`arn:${partition}:iam::${account}:${kind}/${name}`);
  }
  return err('only IAM roles, IAM users and STS assumed-role sessions can be iam-jit users');
}
