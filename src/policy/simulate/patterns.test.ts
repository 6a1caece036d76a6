// Wildcard compilation. Sources: IAM User Guide, "IAM JSON policy elements: Resource" (wildcards within ARN
// segments, a trailing * crossing colons) and "Condition operators" (ArnLike checks each component separately).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileActionPatterns, compilePolicy, compileResourcePatterns } from './compile.ts';
import { buildContext } from './context.ts';
import { policyFromJson } from './corpus.ts';
import { matcherFor } from './patterns.ts';
import { parseTemplate, resolveTemplate } from './variables.ts';

const empty = buildContext(undefined, undefined);
const like = (pattern: string, mode: 'string' | 'resource' | 'arn', value: string): boolean =>
  matcherFor(resolveTemplate(parseTemplate(pattern), empty)!, mode)(value);

test('string mode: * spans anything, ? one character, regex characters are literal', () => {
  assert.equal(like('a*c', 'string', 'a:b/c'), true);
  assert.equal(like('a?c', 'string', 'abc'), true);
  assert.equal(like('a?c', 'string', 'ac'), false);
  assert.equal(like('a.c+', 'string', 'a.c+'), true);
  assert.equal(like('a.c', 'string', 'abc'), false);
  assert.equal(like('line*', 'string', 'line1\nline2'), true);
});

test('resource mode: wildcards stay inside a segment unless * ends it', () => {
  assert.equal(like('arn:aws:iam::*:user/x', 'resource', 'arn:aws:iam::111122223333:user/x'), true);
  assert.equal(like('arn:aws:s3:*', 'resource', 'arn:aws:s3:::bucket/key'), true);
  assert.equal(like('arn:aws:sqs:us-*-1:*:q', 'resource', 'arn:aws:sqs:us-east-1:111122223333:q'), true);
  assert.equal(like('arn:aws:sqs:us-*1:*:q', 'resource', 'arn:aws:sqs:us-east:1:111122223333:q'), false);
  assert.equal(
    like('arn:aws:s3:::b/*', 'resource', 'arn:aws:s3:::b/x:y/z'),
    true,
    'resource part spans colons',
  );
  assert.equal(like('arn:aws:s3:::b/?', 'resource', 'arn:aws:s3:::b/:'), true);
});

test('arn mode: each of the six components separately', () => {
  assert.equal(like('arn:aws:sns:*:1:t', 'arn', 'arn:aws:sns:us-east-1:1:t'), true);
  assert.equal(like('arn:aws:sns:*:1:t', 'arn', 'arn:aws:sns:us-east-1:2:x:1:t'), false);
  assert.equal(like('arn:aws:*', 'arn', 'arn:aws:sns:us-east-1:1:t'), true, 'a final * covers the rest');
});

test('action patterns: case-insensitive literals and wildcards, many patterns', () => {
  const m = compileActionPatterns(['s3:GetObject', 'EC2:Describe*', '*:List?', 'iam:*Report']);
  assert.equal(m('s3:getobject'), true);
  assert.equal(m('ec2:describeinstances'), true);
  assert.equal(m('sqs:listq'), true);
  assert.equal(m('sqs:listqueues'), false);
  assert.equal(m('iam:getcredentialreport'), true);
  assert.equal(m('s3:putobject'), false);
  assert.equal(compileActionPatterns([])('s3:getobject'), false);
  assert.equal(compileActionPatterns(['*'])('anything:at'), true);
  const many = compileActionPatterns(Array.from({ length: 1000 }, (_, i) => `svc${i}:Get*`));
  assert.equal(many('svc999:getthing'), true);
  assert.equal(many('svc1000:getthing'), false);
});

test('resource patterns: literals, wildcards and per-request variables', () => {
  const m = compileResourcePatterns([
    'arn:aws:s3:::a',
    'arn:aws:s3:::b/*',
    'arn:aws:s3:::home/${aws:username}/*',
  ]);
  const alice = buildContext({ 'aws:username': 'alice' }, undefined);
  assert.equal(m('arn:aws:s3:::a', empty), true);
  assert.equal(m('arn:aws:s3:::A', empty), false, 'case-sensitive');
  assert.equal(m('arn:aws:s3:::b/k', empty), true);
  assert.equal(m('arn:aws:s3:::home/alice/k', alice), true);
  assert.equal(m('arn:aws:s3:::home/alice/k', empty), false, 'unresolved variable matches no resource');
  assert.equal(compileResourcePatterns(['*'])('anything', empty), true);
  assert.equal(compileResourcePatterns(['arn:aws:s3:::b/price${$}'])('arn:aws:s3:::b/price$', empty), true);
  assert.equal(
    compileResourcePatterns(['arn:aws:s3:::b/price${$}'])('arn:aws:s3:::b/price${$}', empty),
    false,
  );
});

test('statement index: candidates by literal, service wildcard and generic statements, in document order', () => {
  const policy = policyFromJson([
    { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' },
    { Effect: 'Allow', NotAction: 'iam:*', Resource: '*' },
    { Effect: 'Allow', Action: ['ec2:Describe*', 's3:Get*'], Resource: '*' },
    { Effect: 'Allow', Action: '*:Get*', Resource: '*' },
    { Effect: 'Allow', Action: 'S3:GETOBJECT', Resource: '*' },
  ]);
  const { statementsFor } = compilePolicy(policy);
  assert.deepEqual(
    statementsFor('s3:getobject').map((s) => s.index),
    [0, 1, 2, 3, 4],
  );
  assert.deepEqual(
    statementsFor('iam:getuser').map((s) => s.index),
    [3],
  );
  assert.deepEqual(
    statementsFor('ec2:describeinstances').map((s) => s.index),
    [1, 2],
  );
  assert.equal(statementsFor('s3:getobject'), statementsFor('s3:getobject'), 'memoised per action');
});

test('statement index agrees with testing every statement (seeded random policies)', () => {
  let seed = 42;
  const rand = (n: number): number => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed % n;
  };
  const services = ['s3', 'ec2', 'iam', 'sqs', 'kms'];
  const verbs = ['Get', 'Put', 'List', 'Describe', 'Delete'];
  const nouns = ['Object', 'Bucket', 'Instances', 'Key', 'Queue'];
  const pick = (xs: readonly string[]): string => xs[rand(xs.length)]!;
  const action = (): string => `${pick(services)}:${pick(verbs)}${pick(nouns)}`;
  const pattern = (): string => {
    const r = rand(10);
    if (r < 5) return action();
    if (r < 8) return `${pick(services)}:${pick(verbs)}*`;
    if (r < 9) return `*:${pick(verbs)}?${pick(nouns).slice(1)}`;
    return `S3:${pick(verbs).toUpperCase()}*`;
  };
  const statements = Array.from({ length: 300 }, () => {
    const patterns = Array.from({ length: 1 + rand(3) }, pattern);
    return rand(6) === 0
      ? { Effect: 'Allow', NotAction: patterns, Resource: '*' }
      : { Effect: 'Allow', Action: patterns, Resource: '*' };
  });
  const compiled = compilePolicy(policyFromJson(statements));
  for (let i = 0; i < 200; i++) {
    const a = action().toLowerCase();
    const expected = compiled.statements.filter((st) => st.matchesAction(a)).map((st) => st.index);
    assert.deepEqual(
      compiled.statementsFor(a).map((st) => st.index),
      expected,
      a,
    );
  }
});

test('combined action and resource matchers agree with matching pattern by pattern (seeded)', () => {
  let seed = 7;
  const rand = (n: number): number => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed % n;
  };
  const pick = (xs: readonly string[]): string => xs[rand(xs.length)]!;
  const bits = ['a', 'b', 'ab', ':', '/', '*', '?', '.', 'x'];
  const word = (n: number): string => Array.from({ length: 1 + rand(n) }, () => pick(bits)).join('');
  for (let round = 0; round < 60; round++) {
    const actionPatterns = Array.from(
      { length: 1 + rand(6) },
      () => `${pick(['s3', 'ec2', '*', 'e?2'])}:${word(4)}`,
    );
    const combinedActions = compileActionPatterns(actionPatterns);
    const resourcePatterns = Array.from(
      { length: 1 + rand(6) },
      () => `arn:aws:${pick(['s3', 'sqs'])}:${word(3)}:${word(3)}`,
    );
    const combinedResources = compileResourcePatterns(resourcePatterns);
    for (let i = 0; i < 40; i++) {
      const a = `${pick(['s3', 'ec2', 'iam'])}:${word(5).replace(/[*?]/g, 'z')}`.toLowerCase();
      const one = actionPatterns.some((p) => like(p.toLowerCase(), 'string', a));
      assert.equal(combinedActions(a), one, `${actionPatterns.join(',')} vs ${a}`);
      const r = `arn:aws:${pick(['s3', 'sqs'])}:${word(3)}:${word(3)}`.replace(/[*?]/g, 'q');
      const each = resourcePatterns.some((p) => like(p, 'resource', r));
      assert.equal(combinedResources(r, empty), each, `${resourcePatterns.join(',')} vs ${r}`);
    }
  }
});
