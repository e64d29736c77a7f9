// A run: one execution of a workflow for one organisation, as recorded in the
// table (started, finished, what it did, why it failed).
import { z } from 'zod';

export const RunStatus = z.enum(['running', 'succeeded', 'failed']);
export type RunStatus = z.infer<typeof RunStatus>;

export const RunRecord = z.object({
  orgId: z.string(),
  /** The workflow's name. */
  kind: z.string(),
  name: z.string(),
  status: RunStatus,
  /** The moment the run is for (its `now`); absent when it failed before it began. */
  asOf: z.string().optional(),
  startedAt: z.string().optional(),
  /** The person who started its latest attempt through the API or the pages (or the run it follows); absent when the schedule or the CLI did. */
  startedBy: z.string().optional(),
  finishedAt: z.string().optional(),
  attempts: z.number().int().nonnegative(),
  summary: z.record(z.string(), z.unknown()).optional(),
  error: z.string().optional(),
});
export type RunRecord = z.infer<typeof RunRecord>;

export type RunOutcome =
  | { status: 'succeeded'; summary: Record<string, unknown> }
  | { status: 'failed'; error: string; summary?: Record<string, unknown> };
