// The closed lists of words the product's commands, routes and pages take, as plain
// lists. The schemas that check them (zod) are built from these in their own modules;
// the command line offers them as choices from here, so that registering its commands
// (and `--help`, and a scan) does not load the validation library, about 100 ms of a
// start.

/** What an evidence item's validity says today (lapse-policy.ts). */
export const EVIDENCE_STATUSES = ['current', 'due-soon', 'lapsed', 'escalated'] as const;
export type EvidenceStatusName = (typeof EVIDENCE_STATUSES)[number];

/** How an owner answers a quarterly review task (review.ts). */
export const TASK_RESULTS = ['effective', 'partially-effective', 'not-effective', 'not-applicable'] as const;
export type TaskResult = (typeof TASK_RESULTS)[number];

/**
 * Whether an applicable control is in place, as the Statement of Applicability says it
 * (ISO/IEC 27001 6.1.3 d)); the words of OSCAL's implementation-status, without
 * `alternative` and `not-applicable` (an inapplicable control is declared as such).
 */
export const IMPLEMENTATION_STATUSES = ['implemented', 'partial', 'planned', 'not-implemented'] as const;
export type ImplementationStatus = (typeof IMPLEMENTATION_STATUSES)[number];

/** Who may do what through the API and pages (principal.ts). */
export const ROLES = ['admin', 'scheduler', 'owner', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

/** What a behaviour-monitoring alert turned out to be (alert.ts). */
export const DISPOSITIONS = ['true-positive', 'benign', 'false-positive'] as const;
export type Disposition = (typeof DISPOSITIONS)[number];
