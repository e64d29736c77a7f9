// An entry of the audit trail: what happened, to what, by whom, when.
import { z } from 'zod';

export const AuditEvent = z.object({
  orgId: z.string(),
  /** ISO-8601 UTC, when it happened. */
  at: z.string(),
  /** e.g. notice.recorded, notice.sent, evidence.renewed */
  event: z.string(),
  /** What it is about, e.g. NOTICE#ev-001#2026-11-01#lapsed or EVIDENCE#ev-001 */
  subject: z.string(),
  /** Who or what did it: a run name, or "import:<file>". */
  actor: z.string(),
  detail: z.record(z.string(), z.unknown()).optional(),
});
export type AuditEvent = z.infer<typeof AuditEvent>;
