// Condition analysis for the risk score. Source: IAM User Guide, "IAM JSON policy elements: Condition operators"
// (StringLike wildcards, IpAddress CIDR ranges, …IfExists and ForAnyValue/ForAllValues qualifiers) and
// "AWS global condition context keys".
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { baseOperator, isVacuousValue, summariseConditions } from './conditions.ts';

test('baseOperator strips set qualifiers and IfExists', () => {
  assert.equal(baseOperator('ForAnyValue:StringLikeIfExists'), 'StringLike');
  assert.equal(baseOperator('IpAddress'), 'IpAddress');
  assert.equal(baseOperator('ForAllValues:StringEquals'), 'StringEquals');
});

test('vacuous values: StringLike/ArnLike "*", IpAddress 0.0.0.0/0 and ::/0', () => {
  assert.ok(isVacuousValue('StringLike', '*'));
  assert.ok(isVacuousValue('ArnLike', 'arn:*'));
  assert.ok(isVacuousValue('ArnLike', 'arn:*:*:*:*:*'));
  assert.ok(isVacuousValue('IpAddress', '0.0.0.0/0'));
  assert.ok(isVacuousValue('IpAddress', '::/0'));
  assert.ok(!isVacuousValue('StringLike', 'team-*'));
  assert.ok(!isVacuousValue('StringEquals', '*'), 'StringEquals "*" only matches the literal *');
  assert.ok(!isVacuousValue('IpAddress', '203.0.113.0/24'));
});

test('summariseConditions: vacuous keys are reported and do not restrict', () => {
  const s = summariseConditions({ IpAddress: { 'aws:SourceIp': ['0.0.0.0/0'] } });
  assert.equal(s.conditional, false);
  assert.equal(s.scoping, false);
  assert.deepEqual(s.vacuous, [{ operator: 'IpAddress', key: 'aws:SourceIp', value: '0.0.0.0/0' }]);
});

test('summariseConditions: context keys restrict but keep the resource scope; resource keys narrow it', () => {
  const ip = summariseConditions({ IpAddress: { 'aws:SourceIp': ['192.0.2.0/24'] } });
  assert.deepEqual([ip.conditional, ip.scoping], [true, false]);
  const mfa = summariseConditions({ Bool: { 'aws:MultiFactorAuthPresent': ['true'] } });
  assert.deepEqual([mfa.conditional, mfa.scoping], [true, false]);
  const tag = summariseConditions({ StringEquals: { 'aws:ResourceTag/team': ['data'] } });
  assert.deepEqual([tag.conditional, tag.scoping], [true, true]);
  const prefix = summariseConditions({ StringLike: { 's3:prefix': ['home/alice/*'] } });
  assert.deepEqual([prefix.conditional, prefix.scoping], [true, true]);
  assert.deepEqual(prefix.positiveKeys.get('s3:prefix'), ['home/alice/*']);
});

test('summariseConditions: negated operators do not count as positive restrictions', () => {
  const s = summariseConditions({ StringNotEquals: { 'sts:ExternalId': ['x'] } });
  assert.equal(s.positiveKeys.has('sts:externalid'), false);
  assert.equal(s.conditional, true);
});
