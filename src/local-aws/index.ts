/** The built-in AWS emulator's public surface (docs/local-aws.md). */
export type { AuthorizationDecision, EvaluationQuery, PolicyEvaluator } from './authorize.ts';
export type { FaultKind, FaultSpec } from './faults.ts';
export { FAULT_KINDS, FaultController } from './faults.ts';
export { createPolicyEngineEvaluator } from './policy-evaluator.ts';
export type { ExportedState, StateSeed } from './seed.ts';
export {
  createState,
  DEFAULT_ACCOUNT_ID,
  defaultRootCredentials,
  defaultSeed,
  defaultUserCredentials,
  exportState,
  loadStateFile,
  saveStateFile,
} from './seed.ts';
export type { LocalAws, LocalAwsOptions } from './server.ts';
export { startLocalAws } from './server.ts';
export type { AccountRecord, EmulatorState, RoleRecord, SessionRecord } from './state.ts';
