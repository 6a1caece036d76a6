import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extractPolicies } from './extract.ts';

// Modelled on the AWS::IAM::Role examples of the AWS CloudFormation User Guide ("AWS::IAM::Role", "Examples"),
// written in short form so the custom YAML tags are exercised.
const TEMPLATE_YAML = `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  BucketName:
    Type: String
Resources:
  RootRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal:
              Service:
                - ec2.amazonaws.com
            Action:
              - sts:AssumeRole
      Path: /
      Policies:
        - PolicyName: root
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
              - Effect: Allow
                Action: s3:GetObject
                Resource: !Sub 'arn:\${AWS::Partition}:s3:::\${BucketName}/*'
              - Effect: Allow
                Action: sqs:SendMessage
                Resource: !GetAtt Queue.Arn
  ReadPolicy:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Action: logs:GetLogEvents
            Resource: !Join ['', ['arn:aws:logs:', !Ref 'AWS::Region', ':', !Ref 'AWS::AccountId', ':log-group:app:*']]
  Queue:
    Type: AWS::SQS::Queue
`;

test('extract: CloudFormation YAML yields inline, trust and managed policies with names and kinds', () => {
  const { policies, errors } = extractPolicies('template.yaml', TEMPLATE_YAML);
  assert.deepEqual(errors, []);
  assert.deepEqual(
    policies.map((p) => [p.name, p.kind, p.source]),
    [
      ['template.yaml#Resources/RootRole/AssumeRolePolicyDocument', 'trust', 'cloudformation'],
      ['template.yaml#Resources/RootRole/Policies/0', 'identity', 'cloudformation'],
      ['template.yaml#Resources/ReadPolicy', 'identity', 'cloudformation'],
    ],
  );
});

test('extract: short-form intrinsics inside a policy become placeholder strings', () => {
  const { policies } = extractPolicies('template.yaml', TEMPLATE_YAML);
  const inline = policies[1]?.document as { Statement: { Resource: string }[] };
  assert.equal(inline.Statement[0]?.Resource, 'arn:aws:s3:::BucketName/*');
  // !GetAtt of a resource in the template becomes an ARN of that resource type (IAM catalog ARN template).
  assert.equal(inline.Statement[1]?.Resource, 'arn:aws:sqs:us-east-1:123456789012:Queue');
  const managed = policies[2]?.document as { Statement: { Resource: string }[] };
  assert.equal(managed.Statement[0]?.Resource, 'arn:aws:logs:us-east-1:123456789012:log-group:app:*');
});

test('extract: statements map to their lines in the YAML template', () => {
  const { policies } = extractPolicies('template.yaml', TEMPLATE_YAML);
  const [trust, inline, managed] = policies;
  assert.equal(trust?.position.line, 10);
  assert.equal(trust?.locate('/Statement/0').line, 12);
  assert.equal(inline?.locate('/Statement/0').line, 24);
  assert.equal(inline?.locate('/Statement/1').line, 27);
  assert.equal(inline?.locate('/Statement/1/Action').line, 28);
  assert.equal(managed?.locate('/Statement/0').line, 36);
  // An element that is not in the file falls back to its nearest recorded ancestor.
  assert.equal(managed?.locate('/Statement/0/Condition').line, 36);
});

test('extract: CloudFormation JSON with long-form intrinsics', () => {
  const template = JSON.stringify(
    {
      Resources: {
        P: {
          Type: 'AWS::IAM::Policy',
          Properties: {
            PolicyName: 'p',
            PolicyDocument: {
              Version: '2012-10-17',
              Statement: [
                {
                  Effect: 'Allow',
                  Action: ['dynamodb:GetItem'],
                  Resource: { 'Fn::Sub': 'arn:aws:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${T}' },
                },
              ],
            },
            Roles: [{ Ref: 'R' }],
          },
        },
      },
    },
    null,
    2,
  );
  const { policies, errors } = extractPolicies('stack.json', template);
  assert.deepEqual(errors, []);
  assert.equal(policies.length, 1);
  assert.equal(policies[0]?.name, 'stack.json#Resources/P');
  const doc = policies[0]?.document as { Statement: { Resource: string }[] };
  assert.equal(doc.Statement[0]?.Resource, 'arn:aws:dynamodb:us-east-1:123456789012:table/T');
  assert.equal(policies[0]?.locate('/Statement/0').line, 10);
});

test('extract: a raw policy keeps its own name and statement lines', () => {
  const text =
    '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {\n      "Effect": "Allow",\n      "Action": "s3:ListBucket",\n      "Resource": "*"\n    }\n  ]\n}\n';
  const { policies, errors } = extractPolicies('policy.json', text);
  assert.deepEqual(errors, []);
  assert.equal(policies[0]?.name, 'policy.json');
  assert.equal(policies[0]?.source, 'policy');
  assert.equal(policies[0]?.kind, undefined);
  assert.equal(policies[0]?.locate('/Statement/0').line, 4);
  assert.equal(policies[0]?.locate('/Statement/0/Resource').line, 7);
});

test('extract: malformed JSON is an error with line and column', () => {
  const { policies, errors } = extractPolicies(
    'bad.json',
    '{\n  "Version": "2012-10-17",\n  "Statement": [\n}',
  );
  assert.equal(policies.length, 0);
  assert.equal(errors.length, 1);
  assert.equal(errors[0]?.file, 'bad.json');
  assert.equal(errors[0]?.line, 4);
  assert.equal(errors[0]?.column, 1);
  assert.match(errors[0]?.message ?? '', /invalid JSON/);
});

test('extract: malformed YAML is an error with line and column', () => {
  const { errors } = extractPolicies('t.yaml', 'Resources:\n  A: [1, 2\n  B: c\n');
  assert.equal(errors.length, 1);
  assert.ok((errors[0]?.line ?? 0) >= 2);
  assert.match(errors[0]?.message ?? '', /invalid YAML/);
});

test('extract: a document that is no policy, template or plan is an error', () => {
  const { errors } = extractPolicies('package.json', '{"name": "x"}');
  assert.equal(errors.length, 1);
  assert.match(errors[0]?.message ?? '', /no IAM policy found/);
});

// Shape from the Terraform documentation, "JSON Output Format" (planned_values.root_module, child_modules).
const PLAN = {
  format_version: '1.2',
  terraform_version: '1.9.0',
  planned_values: {
    root_module: {
      resources: [
        {
          address: 'aws_iam_policy.read',
          mode: 'managed',
          type: 'aws_iam_policy',
          name: 'read',
          values: {
            name: 'read',
            policy: JSON.stringify({
              Version: '2012-10-17',
              Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }],
            }),
          },
        },
        {
          address: 'aws_iam_role.app',
          mode: 'managed',
          type: 'aws_iam_role',
          name: 'app',
          values: {
            assume_role_policy: JSON.stringify({
              Version: '2012-10-17',
              Statement: [
                { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
              ],
            }),
            inline_policy: [{ name: 'x', policy: '' }],
          },
        },
      ],
      child_modules: [
        {
          address: 'module.app',
          resources: [
            {
              address: 'module.app.aws_iam_role_policy.inline',
              mode: 'managed',
              type: 'aws_iam_role_policy',
              name: 'inline',
              values: {
                policy:
                  '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}',
              },
            },
            {
              address: 'module.app.aws_iam_role_policy.broken',
              mode: 'managed',
              type: 'aws_iam_role_policy',
              name: 'broken',
              values: { policy: '{not json' },
            },
          ],
        },
      ],
    },
  },
};

test('extract: Terraform plan JSON yields policies, trust policies and child-module policies', () => {
  const text = JSON.stringify(PLAN, null, 2);
  const { policies, errors } = extractPolicies('plan.json', text);
  assert.deepEqual(
    policies.map((p) => [p.name, p.kind, p.source]),
    [
      ['plan.json#aws_iam_policy.read', 'identity', 'terraform'],
      ['plan.json#aws_iam_role.app/assume_role_policy', 'trust', 'terraform'],
      ['plan.json#module.app.aws_iam_role_policy.inline', 'identity', 'terraform'],
    ],
  );
  const inlineDoc = policies[2]?.document as { Statement: unknown[] } | undefined;
  assert.deepEqual(inlineDoc?.Statement, [{ Effect: 'Allow', Action: '*', Resource: '*' }]);
  // The policy string's own line, for every element inside it.
  const line = text.split('\n').findIndex((l) => l.includes('"policy": "{\\"Version')) + 1;
  assert.equal(policies[0]?.position.line, line);
  assert.equal(policies[0]?.locate('/Statement/0').line, line);
  assert.equal(errors.length, 1);
  assert.match(
    errors[0]?.message ?? '',
    /module\.app\.aws_iam_role_policy\.broken: policy is not valid JSON/,
  );
});

// AWS SAM Developer Guide, "AWS::Serverless::Function": Policies mixes managed policy names, SAM policy
// templates and policy documents; only the documents are IAM policies we can score.
test('extract: AWS SAM function Policies yield only the policy documents', () => {
  const template = `Transform: AWS::Serverless-2016-10-31
Resources:
  Handler:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Policies:
        - AWSLambdaBasicExecutionRole
        - S3ReadPolicy:
            BucketName: data
        - Statement:
            - Effect: Allow
              Action: dynamodb:GetItem
              Resource: !GetAtt Table.Arn
  Table:
    Type: AWS::DynamoDB::Table
`;
  const { policies, errors } = extractPolicies('sam.yaml', template);
  assert.deepEqual(errors, []);
  assert.deepEqual(
    policies.map((p) => p.name),
    ['sam.yaml#Resources/Handler/Policies/2'],
  );
  const doc = policies[0]?.document as { Statement: { Resource: string }[] };
  assert.equal(doc.Statement[0]?.Resource, 'arn:aws:dynamodb:us-east-1:123456789012:table/Table');
  assert.equal(policies[0]?.locate('/Statement/0').line, 12);
});
