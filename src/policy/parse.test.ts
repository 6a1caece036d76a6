import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parsePolicy, positionAt } from './parse.ts';

describe('parsePolicy', () => {
  test('normalises string forms into arrays and keeps a single Statement object', () => {
    // IAM User Guide, "IAM JSON policy elements: Statement" — Statement may be a single object.
    const r = parsePolicy(
      '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}',
    );
    assert.ok(r.ok);
    assert.equal(r.value.policy.version, '2012-10-17');
    assert.equal(r.value.policy.statementIsObject, true);
    assert.deepEqual(r.value.policy.statements, [
      { index: 0, effect: 'Allow', action: ['s3:GetObject'], resource: ['arn:aws:s3:::b/*'] },
    ]);
  });

  test('reports malformed JSON with line and column', () => {
    const text =
      '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {"Effect": "Allow" "Action": "*"}\n  ]\n}';
    const r = parsePolicy(text);
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.equal(r.error.length, 1);
    assert.deepEqual(
      {
        code: r.error[0]?.code,
        message: r.error[0]?.message,
        line: r.error[0]?.line,
        column: r.error[0]?.column,
      },
      { code: 'JSON_SYNTAX_ERROR', message: 'malformed JSON: comma expected', line: 4, column: 24 },
    );
  });

  test('rejects trailing commas and comments, which IAM rejects too', () => {
    assert.equal(parsePolicy('{"Statement":[],}').ok, false);
    assert.equal(parsePolicy('// c\n{"Statement":[]}').ok, false);
  });

  test('stringifies boolean and numeric condition values and wraps scalars', () => {
    // IAM User Guide, "Condition operators": Bool and Numeric values may be written unquoted.
    const r = parsePolicy({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Deny',
          NotAction: 'iam:*',
          NotResource: ['arn:aws:iam::*:role/x'],
          Condition: {
            Bool: { 'aws:SecureTransport': false },
            NumericLessThan: { 's3:max-keys': [10, '20'] },
          },
        },
      ],
    });
    assert.ok(r.ok);
    const st = r.value.policy.statements[0];
    assert.deepEqual(st?.notAction, ['iam:*']);
    assert.deepEqual(st?.condition, {
      Bool: { 'aws:SecureTransport': ['false'] },
      NumericLessThan: { 's3:max-keys': ['10', '20'] },
    });
  });

  test('normalises principals', () => {
    const r = parsePolicy({
      Statement: [
        { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*' },
        {
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::111122223333:root', Service: ['ec2.amazonaws.com'] },
          Action: 'sts:AssumeRole',
        },
      ],
    });
    assert.ok(r.ok);
    assert.equal(r.value.policy.statements[0]?.principal, '*');
    assert.deepEqual(r.value.policy.statements[1]?.principal, {
      AWS: ['arn:aws:iam::111122223333:root'],
      Service: ['ec2.amazonaws.com'],
    });
  });

  test('maps JSON pointers to source lines', () => {
    const text =
      '{\n "Version": "2012-10-17",\n "Statement": [\n  {\n   "Effect": "Allow",\n   "Action": ["s3:GetObject", "s3:PutObject"],\n   "Resource": "*"\n  }\n ]\n}';
    const r = parsePolicy(text);
    assert.ok(r.ok);
    assert.equal(r.value.sourceMap.get('/Statement/0')?.line, 4);
    assert.equal(r.value.sourceMap.get('/Statement/0/Action/1')?.line, 6);
    assert.equal(r.value.sourceMap.get('/Statement/0/Action/1')?.column, 31);
  });

  const broken: [string, unknown, string, string, string?][] = [
    ['non-object root', '[1,2]', '', 'policy document must be a JSON object'],
    [
      'no Statement',
      { Version: '2012-10-17' },
      '',
      'policy document has no Statement element',
      'MISSING_STATEMENT',
    ],
    [
      'Statement scalar',
      { Statement: 'x' },
      '/Statement',
      'Statement must be an object or an array of objects',
    ],
    [
      'missing Effect',
      { Statement: [{ Action: '*', Resource: '*' }] },
      '/Statement/0',
      'statement has no Effect element',
      'MISSING_EFFECT',
    ],
    [
      'bad Effect',
      { Statement: [{ Effect: 'allow', Action: '*', Resource: '*' }] },
      '/Statement/0/Effect',
      'Effect must be "Allow" or "Deny", got "allow"',
      'INVALID_EFFECT',
    ],
    [
      'Action and NotAction',
      { Statement: [{ Effect: 'Allow', Action: '*', NotAction: 's3:*', Resource: '*' }] },
      '/Statement/0',
      'statement has both Action and NotAction',
      'UNSUPPORTED_ELEMENT_COMBINATION',
    ],
    [
      'no Action',
      { Statement: [{ Effect: 'Allow', Resource: '*' }] },
      '/Statement/0',
      'statement has neither Action nor NotAction',
      'MISSING_ACTION',
    ],
    [
      'numeric action',
      { Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 5], Resource: '*' }] },
      '/Statement/0/Action/1',
      'Action entries must be strings',
    ],
    [
      'bad principal type',
      { Statement: [{ Effect: 'Allow', Principal: { User: 'x' }, Action: '*' }] },
      '/Statement/0/Principal/User',
      'unknown principal type "User" (expected AWS, Service, Federated or CanonicalUser)',
    ],
    [
      'condition not object',
      { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringEquals: 'x' } }] },
      '/Statement/0/Condition/StringEquals',
      'condition operator StringEquals must map condition keys to values',
    ],
  ];
  for (const [name, input, path, message, code = 'INVALID_POLICY_STRUCTURE'] of broken) {
    test(`rejects ${name} with a pointer and message`, () => {
      const r = parsePolicy(typeof input === 'string' ? input : JSON.stringify(input, null, 2));
      assert.equal(r.ok, false);
      if (r.ok) return;
      assert.deepEqual(
        r.error.map((i) => ({ code: i.code, path: i.path, message: i.message })),
        [{ code, path, message }],
      );
      assert.ok((r.error[0]?.line ?? 0) >= 1);
    });
  }

  test('positionAt counts lines and columns from 1', () => {
    assert.deepEqual(positionAt('ab\ncd', 4), { line: 2, column: 2, offset: 4 });
  });
});
