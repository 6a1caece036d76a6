import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createResourceResolvers, standInArn } from './resource-arns.ts';

// ARN formats from the AWS Service Authorization Reference ("Resource types defined by …" for each service).
const CASES: [type: string, id: string, arn: string | undefined][] = [
  ['AWS::Lambda::Function', 'Fn', 'arn:aws:lambda:us-east-1:123456789012:function:Fn'],
  ['AWS::S3::Bucket', 'Data', 'arn:aws:s3:::Data'],
  ['AWS::DynamoDB::Table', 'Orders', 'arn:aws:dynamodb:us-east-1:123456789012:table/Orders'],
  ['AWS::Logs::LogGroup', 'Logs', 'arn:aws:logs:us-east-1:123456789012:log-group:Logs'],
  ['AWS::StepFunctions::StateMachine', 'Flow', 'arn:aws:states:us-east-1:123456789012:stateMachine:Flow'],
  ['AWS::IAM::Role', 'AppRole', 'arn:aws:iam::123456789012:role/AppRole'],
  ['Custom::Thing', 'X', undefined],
  ['AWS::NoSuchService::Thing', 'X', undefined],
];

for (const [type, id, arn] of CASES) {
  test(`resource ARN: ${type}`, () => {
    assert.equal(standInArn(type, id), arn);
  });
}

test('resource ARN: resolvers only answer for the template resources, Arn attributes and ARN-valued Refs', () => {
  const r = createResourceResolvers({
    Fn: { Type: 'AWS::Lambda::Function' },
    Topic: { Type: 'AWS::SNS::Topic' },
    Bucket: { Type: 'AWS::S3::Bucket' },
  });
  assert.equal(r.getAtt('Fn', 'Arn'), 'arn:aws:lambda:us-east-1:123456789012:function:Fn');
  assert.equal(r.getAtt('Fn', 'FunctionUrl'), undefined);
  assert.equal(r.getAtt('Missing', 'Arn'), undefined);
  assert.equal(r.ref('Topic'), 'arn:aws:sns:us-east-1:123456789012:Topic');
  // Ref of a bucket is its name, not an ARN (AWS::S3::Bucket "Return values").
  assert.equal(r.ref('Bucket'), undefined);
});
