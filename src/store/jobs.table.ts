import type { Insertable, Selectable } from 'kysely';
import type { JobStatus } from '../jobs/job.ts';

/** `jobs`: durable scheduled work (docs/jobs.md). Timestamps are ISO-8601 UTC text, so they sort as text. */
export interface JobsTable {
  id: string;
  type: string;
  /** JSON text. */
  payload: string;
  run_at: string;
  attempts: number;
  max_attempts: number;
  status: JobStatus;
  lease_owner: string | null;
  lease_expires_at: string | null;
  last_error: string | null;
  /** Unique when present. */
  dedupe_key: string | null;
  created_at: string;
  updated_at: string;
}
export type JobRow = Selectable<JobsTable>;
export type NewJobRow = Insertable<JobsTable>;
