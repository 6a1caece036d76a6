// ARN helpers. Cases follow the ARN formats of the Service Authorization Reference (S3 bucket vs object, IAM role
// paths, CloudWatch Logs log groups and streams, CloudFormation stacks) and IAM User Guide "Policy variables".
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  compileTemplate,
  maskPolicyVariables,
  resourceFitsTemplate,
  splitArn,
  splitTemplates,
} from './arn.ts';

const BUCKET = compileTemplate('arn:${Partition}:s3:::${BucketName}');
const OBJECT = compileTemplate('arn:${Partition}:s3:::${BucketName}/${ObjectName}');
const ROLE = compileTemplate('arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}');
const LOG_GROUP = compileTemplate('arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}');
const LOG_STREAM = compileTemplate(
  'arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}:log-stream:${LogStreamName}',
);
const STACK = compileTemplate(
  'arn:${Partition}:cloudformation:${Region}:${Account}:stack/${StackName}/${Id}',
);
const FUNCTION = compileTemplate('arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}');
const SSM_DOCUMENT = compileTemplate('arn:${Partition}:ssm:${Region}:${Account}:document/${DocumentName}');

const cases: [string, ReturnType<typeof compileTemplate>, boolean][] = [
  ['arn:aws:s3:::my-bucket', BUCKET, true],
  ['arn:aws:s3:::my-bucket/*', BUCKET, false],
  ['arn:aws:s3:::my-bucket/*', OBJECT, true],
  ['arn:aws:s3:::my-bucket', OBJECT, false],
  ['arn:aws:s3:::*', BUCKET, true],
  ['arn:aws:s3:::*', OBJECT, true],
  ['arn:aws:s3:::b/home/${aws:username}/*', OBJECT, true],
  ['arn:aws:iam::123456789012:role/service-role/app', ROLE, true],
  ['arn:aws:iam::123456789012:user/app', ROLE, false],
  ['arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/f:*', LOG_GROUP, true],
  ['arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/f:log-stream:2024', LOG_STREAM, true],
  ['arn:aws:logs:*:*:*', LOG_STREAM, true],
  ['arn:aws:cloudformation:*:*:stack/my-stack/*', STACK, true],
  ['arn:aws:cloudformation:*:*:stack/my-stack', STACK, false],
  ['arn:aws:lambda:us-east-1:123456789012:function:f:prod', FUNCTION, true],
  ['arn:aws:lambda::123456789012:function:f', FUNCTION, false],
  ['arn:aws:ssm:*::document/AWS-RunShellScript', SSM_DOCUMENT, true],
  ['arn:aws:*', OBJECT, true],
  ['*', ROLE, true],
];

for (const [resource, template, expected] of cases) {
  test(`resourceFitsTemplate: ${resource} ${expected ? 'fits' : 'does not fit'} ${template.template}`, () => {
    assert.equal(resourceFitsTemplate(resource, template), expected);
  });
}

test('splitArn keeps colons in the resource part', () => {
  assert.deepEqual(splitArn('arn:aws:logs:us-east-1:123456789012:log-group:g:*'), {
    partition: 'aws',
    service: 'logs',
    region: 'us-east-1',
    account: '123456789012',
    resource: 'log-group:g:*',
  });
  assert.equal(splitArn('arn:aws:s3'), undefined);
});

test('maskPolicyVariables: variables become *, ${*} ${?} ${$} stay literal characters', () => {
  assert.equal(maskPolicyVariables('arn:aws:s3:::b/${aws:username}/${*}'), 'arn:aws:s3:::b/*/*');
  assert.equal(maskPolicyVariables('a${?}b${$}'), 'a?b$');
});

test('splitTemplates separates resource types with several ARN formats', () => {
  assert.deepEqual(
    splitTemplates(
      'arn:${Partition}:apigateway:${Region}::/apis/${ApiId}, arn:${Partition}:apigateway:${Region}::/restapis/${RestApiId}',
    ),
    [
      'arn:${Partition}:apigateway:${Region}::/apis/${ApiId}',
      'arn:${Partition}:apigateway:${Region}::/restapis/${RestApiId}',
    ],
  );
});
