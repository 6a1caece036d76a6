/**
 * Actions that AWS authorises in addition to the one called: encrypted data needs the KMS key, and services that
 * run code or stacks with a role need `iam:PassRole` on it. The IAM definition data carries no dependent
 * actions, so this is a small curated map, each entry sourced from AWS documentation. Drafting adds these only
 * on request (`includeDependentActions`), because they are needed only in the circumstances each entry names.
 */
import { getIamCatalog } from './iam-catalog.ts';

export interface DependentActionRule {
  /** The action that needs the others, e.g. `s3:GetObject`. */
  action: string;
  /** The additional actions AWS checks. */
  requires: readonly string[];
  /** The circumstances in which they are needed. */
  when: string;
  /** AWS documentation stating it. */
  source: string;
}

const PASS_ROLE_EC2 = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_switch-role-ec2.html';
const LAMBDA_ROLE = 'https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html';
const CFN_ROLE = 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-iam-servicerole.html';
const ECS_ROLE = 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html';
const SQS_KMS =
  'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html';
const SSM_KMS = 'https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-access.html';
const SSE_KMS = 'when the objects are encrypted with SSE-KMS';

/** The curated rules (sources inline). */
export const DEPENDENT_ACTION_RULES: readonly DependentActionRule[] = [
  {
    action: 's3:GetObject',
    requires: ['kms:Decrypt'],
    when: SSE_KMS,
    source: 'https://repost.aws/knowledge-center/decrypt-kms-encrypted-objects-s3',
  },
  {
    action: 's3:PutObject',
    // Single uploads need GenerateDataKey; multipart uploads (which the CLI and SDKs use for large files)
    // also need Decrypt to assemble the encrypted parts.
    requires: ['kms:GenerateDataKey', 'kms:Decrypt'],
    when: SSE_KMS,
    source: 'https://repost.aws/knowledge-center/s3-large-file-encryption-kms-key',
  },
  {
    action: 'lambda:CreateFunction',
    requires: ['iam:PassRole'],
    when: 'to assign the function its execution role',
    source: LAMBDA_ROLE,
  },
  {
    action: 'lambda:UpdateFunctionConfiguration',
    requires: ['iam:PassRole'],
    when: 'when changing the execution role',
    source: LAMBDA_ROLE,
  },
  {
    action: 'ec2:RunInstances',
    requires: ['iam:PassRole'],
    when: 'when launching with an instance profile',
    source: PASS_ROLE_EC2,
  },
  {
    action: 'ec2:AssociateIamInstanceProfile',
    requires: ['iam:PassRole'],
    when: 'to attach the instance profile role',
    source: PASS_ROLE_EC2,
  },
  {
    action: 'ec2:ReplaceIamInstanceProfileAssociation',
    requires: ['iam:PassRole'],
    when: 'to attach the instance profile role',
    source: PASS_ROLE_EC2,
  },
  {
    action: 'cloudformation:CreateStack',
    requires: ['iam:PassRole'],
    when: 'when the stack uses a service role',
    source: CFN_ROLE,
  },
  {
    action: 'cloudformation:UpdateStack',
    requires: ['iam:PassRole'],
    when: 'when the stack uses a service role',
    source: CFN_ROLE,
  },
  {
    action: 'ecs:RunTask',
    requires: ['iam:PassRole'],
    when: 'when the task has a task or execution role',
    source: ECS_ROLE,
  },
  {
    action: 'ecs:StartTask',
    requires: ['iam:PassRole'],
    when: 'when the task has a task or execution role',
    source: ECS_ROLE,
  },
  {
    action: 'states:CreateStateMachine',
    requires: ['iam:PassRole'],
    when: 'to assign the state machine its execution role',
    source: 'https://docs.aws.amazon.com/step-functions/latest/dg/procedure-create-iam-role.html',
  },
  {
    action: 'glue:CreateJob',
    requires: ['iam:PassRole'],
    when: 'to assign the job its IAM role',
    source: 'https://docs.aws.amazon.com/glue/latest/dg/attach-policy-iam-user.html',
  },
  {
    action: 'sqs:SendMessage',
    requires: ['kms:GenerateDataKey', 'kms:Decrypt'],
    when: 'when the queue uses SSE-KMS',
    source: SQS_KMS,
  },
  {
    action: 'sqs:ReceiveMessage',
    requires: ['kms:Decrypt'],
    when: 'when the queue uses SSE-KMS',
    source: SQS_KMS,
  },
  {
    action: 'sns:Publish',
    requires: ['kms:GenerateDataKey', 'kms:Decrypt'],
    when: 'when the topic uses SSE with a customer managed key',
    source: 'https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html',
  },
  {
    action: 'secretsmanager:GetSecretValue',
    requires: ['kms:Decrypt'],
    when: 'when the secret is encrypted with a customer managed key',
    source: 'https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html',
  },
  {
    action: 'ssm:GetParameter',
    requires: ['kms:Decrypt'],
    when: 'for SecureString parameters encrypted with a customer managed key',
    source: SSM_KMS,
  },
  {
    action: 'ssm:GetParameters',
    requires: ['kms:Decrypt'],
    when: 'for SecureString parameters encrypted with a customer managed key',
    source: SSM_KMS,
  },
  {
    action: 'ssm:GetParametersByPath',
    requires: ['kms:Decrypt'],
    when: 'for SecureString parameters encrypted with a customer managed key',
    source: SSM_KMS,
  },
  {
    action: 'ssm:PutParameter',
    requires: ['kms:Encrypt'],
    when: 'for SecureString parameters encrypted with a customer managed key',
    source: SSM_KMS,
  },
  {
    action: 'kms:CreateCustomKeyStore',
    requires: ['cloudhsm:DescribeClusters'],
    when: 'to validate the CloudHSM cluster of the key store',
    source: 'https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateCustomKeyStore.html',
  },
];

const byAction = new Map<string, DependentActionRule[]>();
for (const rule of DEPENDENT_ACTION_RULES) {
  const key = rule.action.toLowerCase();
  byAction.set(key, [...(byAction.get(key) ?? []), rule]);
}

/** One dependent action to add, with the action that needs it and why. */
export interface DependentAction {
  /** Canonical casing from the IAM catalog, e.g. `kms:Decrypt`. */
  action: string;
  requiredBy: string;
  when: string;
  source: string;
}

/**
 * The dependent actions of `actions` (matched case-insensitively) that are not already among them, one entry
 * per (dependent, requiring action) pair, in rule order. Pure; never throws.
 */
export function dependentActionsFor(actions: readonly string[]): DependentAction[] {
  const catalog = getIamCatalog();
  const present = new Set(actions.map((a) => a.toLowerCase()));
  const out: DependentAction[] = [];
  for (const action of actions) {
    for (const rule of byAction.get(action.toLowerCase()) ?? []) {
      for (const dep of rule.requires) {
        if (present.has(dep.toLowerCase())) continue;
        out.push({
          action: catalog.action(dep)?.id ?? dep,
          requiredBy: catalog.action(action)?.id ?? action,
          when: rule.when,
          source: rule.source,
        });
      }
    }
  }
  return out;
}
