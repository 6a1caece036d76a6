// Curation checks for the risk data: every listed action is a real IAM action (or explicitly retired), the
// known source typo is fixed, and the access-level corrections take effect.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getIamCatalog } from '../../iam-catalog.ts';
import { actionRisk, FLAG } from '../action-flags.ts';
import { PERMISSIONS_MANAGEMENT_OVERRIDES, READ_LEVEL_CORRECTIONS } from './access-levels.ts';
import * as lists from './action-lists.ts';
import { ESCALATION_METHODS } from './escalation-methods.ts';
import { RETIRED_ACTIONS } from './retired.ts';
import { RISK_DATA_SOURCES } from './sources.ts';

const catalog = getIamCatalog();
const FAMILIES: Record<string, readonly string[]> = {
  CREDENTIALS_EXPOSURE: lists.CREDENTIALS_EXPOSURE,
  SECRET_READS: lists.SECRET_READS,
  DATA_READS: lists.DATA_READS,
  CODE_EXECUTION: lists.CODE_EXECUTION,
  RESOURCE_EXPOSURE: lists.RESOURCE_EXPOSURE,
  DEFENSE_EVASION: lists.DEFENSE_EVASION,
  CATASTROPHIC: lists.CATASTROPHIC,
  HIGH_IMPACT: lists.HIGH_IMPACT,
  IAM_RECON: lists.IAM_RECON,
  PERMISSIONS_MANAGEMENT_OVERRIDES,
  READ_LEVEL_CORRECTIONS,
  ESCALATION_METHODS: ESCALATION_METHODS.flatMap((m) => m.actions),
};

test('risk data: every curated action exists in the IAM catalog or is marked retired', () => {
  for (const [name, list] of Object.entries(FAMILIES)) {
    assert.ok(list.length > 0, `${name} is empty`);
    const unknown = list.filter((a) => !catalog.action(a) && !(a.toLowerCase() in RETIRED_ACTIONS));
    assert.deepEqual(unknown, [], `${name} lists actions that are neither in the catalog nor retired`);
  }
});

test('risk data: curated entries use the catalog spelling (so flag lookups by canonical id match)', () => {
  for (const [name, list] of Object.entries(FAMILIES)) {
    const miscased = list.filter((a) => catalog.action(a) && catalog.action(a)?.id !== a);
    assert.deepEqual(miscased, [], `${name} has entries not in canonical casing`);
  }
});

test('risk data: retired actions really are absent from the catalog', () => {
  const present = Object.keys(RETIRED_ACTIONS).filter((a) => catalog.action(a));
  assert.deepEqual(present, []);
});

test('risk data: the cloudsplaining typo gamelist: is fixed to gamelift:', () => {
  const all = Object.values(FAMILIES).flat();
  assert.equal(
    all.some((a) => a.startsWith('gamelist:')),
    false,
  );
  assert.ok(lists.CREDENTIALS_EXPOSURE.includes('gamelift:GetComputeAccess'));
  assert.ok(lists.CREDENTIALS_EXPOSURE.includes('gamelift:GetComputeAuthToken'));
});

test('risk data: sensitive services exist in the catalog', () => {
  assert.deepEqual(
    lists.SENSITIVE_SERVICES.filter((s) => !catalog.hasService(s)),
    [],
  );
});

test('risk data: every escalation method names its sources, and each source is attributed', () => {
  for (const m of ESCALATION_METHODS) {
    assert.ok(m.sources.length > 0, m.name);
    for (const s of m.sources) assert.ok(RISK_DATA_SOURCES[s].licence.length > 0);
  }
  assert.equal(new Set(ESCALATION_METHODS.map((m) => m.name)).size, ESCALATION_METHODS.length);
});

test('access levels: policy_sentry corrections make iam:PassRole and access keys Permissions management', () => {
  // Source: policy_sentry access-level-overrides.yml ("We treat IAM, RAM, and DS as Permissions Management").
  for (const id of ['iam:PassRole', 'iam:CreateAccessKey', 'ram:CreateResourceShare', 'sqs:AddPermission']) {
    const risk = actionRisk(id);
    assert.equal(risk?.level, 'Permissions management', id);
    assert.ok((risk?.flags ?? 0) & FLAG.permissions, id);
  }
});

test('access levels: documented levels and policy_sentry corrections', () => {
  assert.equal(actionRisk('iot:ListSubscriptions')?.level, 'List');
  assert.equal(actionRisk('s3:PutBucketPolicy')?.level, 'Permissions management');
});

test('action flags: families and destructive verbs are precomputed per action', () => {
  assert.ok((actionRisk('cloudtrail:StopLogging')?.flags ?? 0) & FLAG.defenseEvasion);
  assert.ok((actionRisk('cloudtrail:StopLogging')?.flags ?? 0) & FLAG.destructive);
  assert.equal((actionRisk('ec2:StopInstances')?.flags ?? 0) & FLAG.defenseEvasion, 0);
  assert.equal((actionRisk('s3:GetObject')?.flags ?? 0) & FLAG.destructive, 0);
  assert.ok((actionRisk('s3:GetObject')?.flags ?? 0) & FLAG.dataRead);
  assert.deepEqual(actionRisk('s3:GetObject')?.arnServices, ['s3']);
  assert.equal((actionRisk('sts:GetSessionToken')?.flags ?? 0) & FLAG.resourceLevel, 0);
});

test('risk data: every exported list has machine-readable attribution', () => {
  const exported = Object.entries(lists).filter(
    ([name, v]) => Array.isArray(v) && name !== 'ACTION_LIST_SOURCES',
  );
  assert.ok(exported.length >= 11);
  for (const [name] of exported) {
    const sources = lists.ACTION_LIST_SOURCES[name];
    assert.ok(sources && sources.length > 0, `${name} has no sources`);
    for (const s of sources ?? []) assert.ok(RISK_DATA_SOURCES[s], `${name}: unknown source ${s}`);
  }
});
