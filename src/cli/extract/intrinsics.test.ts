import assert from 'node:assert/strict';
import { test } from 'node:test';
import { replaceIntrinsics } from './intrinsics.ts';

// Behaviour of each function from the AWS CloudFormation User Guide, "Intrinsic function reference".
const CASES: { name: string; input: unknown; expected: unknown }[] = [
  { name: 'Ref to a parameter', input: { Ref: 'BucketName' }, expected: 'BucketName' },
  { name: 'Ref to a pseudo parameter', input: { Ref: 'AWS::AccountId' }, expected: '123456789012' },
  {
    name: 'Fn::Sub with pseudo parameters and a resource',
    input: { 'Fn::Sub': 'arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:${Queue}' },
    expected: 'arn:aws:sqs:us-east-1:123456789012:Queue',
  },
  {
    name: 'Fn::Sub with a variable map',
    input: { 'Fn::Sub': ['arn:aws:s3:::${B}/*', { B: { Ref: 'Bucket' } }] },
    expected: 'arn:aws:s3:::Bucket/*',
  },
  {
    name: 'Fn::Sub keeps ${!Literal} as an IAM policy variable',
    input: { 'Fn::Sub': 'arn:aws:s3:::b/home/${!aws:username}/*' },
    expected: 'arn:aws:s3:::b/home/${aws:username}/*',
  },
  {
    name: 'Fn::Join',
    input: { 'Fn::Join': [':', ['arn', 'aws', 's3', '', '', { Ref: 'B' }]] },
    expected: 'arn:aws:s3:::B',
  },
  { name: 'Fn::GetAtt', input: { 'Fn::GetAtt': ['Role', 'Arn'] }, expected: 'Role.Arn' },
  {
    name: 'Fn::If takes the first branch',
    input: { 'Fn::If': ['C', 's3:GetObject', 'x'] },
    expected: 's3:GetObject',
  },
  {
    name: 'AWS::NoValue drops list items and properties',
    input: { Action: ['a:B', { Ref: 'AWS::NoValue' }], Sid: { Ref: 'AWS::NoValue' } },
    expected: { Action: ['a:B'] },
  },
  { name: 'Fn::Select', input: { 'Fn::Select': ['1', ['a', 'b']] }, expected: 'b' },
  { name: 'Fn::ImportValue', input: { 'Fn::ImportValue': 'SharedArn' }, expected: 'ImportValue-SharedArn' },
  {
    name: 'plain values are copied',
    input: { A: [1, true, null, 'x'] },
    expected: { A: [1, true, null, 'x'] },
  },
];

for (const c of CASES) {
  test(`intrinsics: ${c.name}`, () => {
    assert.deepEqual(replaceIntrinsics(c.input), c.expected);
  });
}

test('intrinsics: resolvers give references to template resources ARN-shaped stand-ins', () => {
  const resolvers = {
    getAtt: (id: string, attr: string) =>
      attr === 'Arn' ? `arn:aws:lambda:us-east-1:123456789012:function:${id}` : undefined,
    ref: (name: string) => (name === 'Topic' ? 'arn:aws:sns:us-east-1:123456789012:Topic' : undefined),
  };
  assert.deepEqual(
    replaceIntrinsics(
      [
        { 'Fn::GetAtt': ['Fn', 'Arn'] },
        { 'Fn::GetAtt': 'Fn.Arn' },
        { 'Fn::Sub': '${Fn.Arn}:*' },
        { 'Fn::GetAtt': ['Fn', 'Name'] },
        { Ref: 'Topic' },
        { Ref: 'Bucket' },
      ],
      resolvers,
    ),
    [
      'arn:aws:lambda:us-east-1:123456789012:function:Fn',
      'arn:aws:lambda:us-east-1:123456789012:function:Fn',
      'arn:aws:lambda:us-east-1:123456789012:function:Fn:*',
      'Fn.Name',
      'arn:aws:sns:us-east-1:123456789012:Topic',
      'Bucket',
    ],
  );
});
