/**
 * Turns raw IAM policy JSON (as written in the case corpus and the benchmark) into `SimulationInput`, through
 * the engine's own `parsePolicy`. A bare array of statements is accepted as shorthand for
 * `{ "Version": "2012-10-17", "Statement": [...] }`. Throws on unparseable policies: callers are tests and
 * benchmarks whose data must be valid.
 */
import { parsePolicy } from '../parse.ts';
import type { Policy } from '../types.ts';
import type { SimulationInput, SimulationRequest } from './types.ts';

/** Raw, un-normalised simulation input as stored in `cases.json`. */
export interface RawSimulationInput {
  identityPolicies?: unknown[];
  permissionsBoundary?: unknown;
  scps?: unknown[];
  rcps?: unknown[];
  resourcePolicy?: unknown;
  sessionPolicies?: unknown[];
  resourcePolicyMustAllow?: boolean;
  request: SimulationRequest;
}

/** Parses one raw policy document (or statement-array shorthand) into a normalised Policy. */
export function policyFromJson(raw: unknown): Policy {
  const doc = Array.isArray(raw) ? { Version: '2012-10-17', Statement: raw } : raw;
  const parsed = parsePolicy(doc);
  if (!parsed.ok)
    throw new Error(`invalid policy in corpus: ${parsed.error.map((i) => i.message).join('; ')}`);
  return parsed.value.policy;
}

function levels(raw: unknown[] | undefined): Policy[][] | Policy[] | undefined {
  if (!raw) return undefined;
  // A level is an array of policy documents; a statement-array shorthand is an array of objects with Effect.
  const isLevel = (x: unknown): boolean =>
    Array.isArray(x) && x.every((p) => p !== null && typeof p === 'object' && !('Effect' in p));
  return raw.every(isLevel) && raw.length > 0
    ? (raw as unknown[][]).map((level) => level.map(policyFromJson))
    : raw.map(policyFromJson);
}

/** Converts a raw corpus input into the simulator's input. */
export function inputFromJson(raw: RawSimulationInput): SimulationInput {
  const input: SimulationInput = {
    identityPolicies: (raw.identityPolicies ?? []).map(policyFromJson),
    request: raw.request,
  };
  if (raw.permissionsBoundary !== undefined)
    input.permissionsBoundary = policyFromJson(raw.permissionsBoundary);
  const scps = levels(raw.scps);
  if (scps) input.scps = scps;
  const rcps = levels(raw.rcps);
  if (rcps) input.rcps = rcps;
  if (raw.resourcePolicy !== undefined) input.resourcePolicy = policyFromJson(raw.resourcePolicy);
  if (raw.sessionPolicies) input.sessionPolicies = raw.sessionPolicies.map(policyFromJson);
  if (raw.resourcePolicyMustAllow !== undefined) input.resourcePolicyMustAllow = raw.resourcePolicyMustAllow;
  return input;
}
