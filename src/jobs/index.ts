// The jobs module's public surface for app.ts and the domains that schedule work (grants, notify, requests).
export { buildJob, defineJob, type JobContext, type JobDefinition } from './handlers.ts';
export {
  type BackoffOptions,
  backoffDelayMs,
  DEFAULT_MAX_ATTEMPTS,
  type EnqueueResult,
  JOB_STATUSES,
  type JobRecord,
  type JobStatus,
  type NewJob,
} from './job.ts';
export type { JobQueue, JobRef, JobStore } from './ports.ts';
export { PermanentJobError } from './run-job.ts';
export { createJobRunner, type JobRunner, type JobRunnerOptions } from './runner.ts';
