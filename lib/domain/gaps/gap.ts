// A gap: one requirement not met, for one subject (a source, a group, a platform, a
// control or the organisation), found by one rule. Its id comes from the rule and
// the subject only, never from the run, so the same gap found again is the same gap.
import { z } from 'zod';
import { Framework, RequirementRef } from '../catalogues/catalogues.ts';

export const RULE_IDS = [
  'cross-border-without-basis',
  'red-without-e2ee',
  'no-audit-log',
  'no-retention-limit',
  'no-processing-record',
  'special-category-without-condition',
  'red-group-external-members',
  'external-sharing-open',
  'platform-unfit-for-tier',
  'source-not-assessed',
  'control-without-current-evidence',
  'soa-undecided',
  'control-not-implemented',
] as const;
export const RuleId = z.enum(RULE_IDS);
export type RuleId = z.infer<typeof RuleId>;

export const SUBJECT_KINDS = ['source', 'group', 'platform', 'control', 'organisation'] as const;
export const Subject = z.object({ kind: z.enum(SUBJECT_KINDS), id: z.string().min(1) });
export type Subject = z.infer<typeof Subject>;

export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export const Severity = z.enum(SEVERITIES);
export type Severity = z.infer<typeof Severity>;

/** 1 for critical .. 4 for low: sorts most severe first as a string digit. */
/** The audit trail's subject of a gap's entries (gap-store.ts writes them; a past report reads them). */
export const gapSubject = (gapId: string): string => `GAP#${gapId}`;

export const severityRank = (s: Severity): number => SEVERITIES.indexOf(s) + 1;

export const GapStatus = z.enum(['open', 'closed', 'accepted']);
export type GapStatus = z.infer<typeof GapStatus>;

export { Framework, RequirementRef } from '../catalogues/catalogues.ts';

/** `<rule>:<subject kind>:<subject id>`, e.g. cross-border-without-basis:source:dingtalk-hr. */
export function gapId(rule: RuleId, subject: Subject): string {
  return `${rule}:${subject.kind}:${subject.id}`;
}

/** The rule and subject a gap id names, or a reason it names none. */
export function parseGapId(value: string): { rule: RuleId; subject: Subject } | { error: string } {
  const [rule, kind, ...rest] = value.split(':');
  const id = rest.join(':');
  if (!RuleId.safeParse(rule).success) return { error: `"${rule}" is not a rule (rules: ${RULE_IDS.join(', ')})` };
  if (!(SUBJECT_KINDS as readonly string[]).includes(kind ?? '')) return { error: `"${kind ?? ''}" is not a subject kind (${SUBJECT_KINDS.join(', ')})` };
  if (!id) return { error: 'names no subject: write <rule>:<kind>:<id>, e.g. red-without-e2ee:source:dingtalk-hr' };
  return { rule: rule as RuleId, subject: { kind: kind as Subject['kind'], id } };
}

/** What a rule found: everything of a gap but its lifecycle. */
export const Finding = z.object({
  id: z.string(),
  rule: RuleId,
  subject: Subject,
  severity: Severity,
  /** Every catalogue requirement the gap leaves unmet. */
  requirements: z.array(RequirementRef),
  /** What it is based on: counts, groups, jurisdictions, capabilities (never a raw identifier). */
  facts: z.record(z.string(), z.unknown()),
  /** A person id: who is to close it. */
  owner: z.string(),
  remedy: z.string(),
});
export type Finding = z.infer<typeof Finding>;

export const Gap = Finding.extend({
  status: GapStatus,
  openedAt: z.string(),
  closedAt: z.string().optional(),
  /** Why it closed: remediated (no longer found), or its acceptance. */
  closedBy: z.string().optional(),
  /** The analysis (run name) that last changed its status, and how. */
  changedBy: z.string(),
  lastChange: z.enum(['opened', 'closed', 'reopened', 'expired', 'accepted']),
  /** While accepted: until when, approved by whom. */
  acceptance: z.object({ reason: z.string(), approvedBy: z.string(), until: z.string() }).optional(),
  /** How often it has reopened. */
  reopened: z.number().int().nonnegative().default(0),
});
export type Gap = z.infer<typeof Gap>;

/** One analysis: what it read, what it changed, and the score per framework. */
export const AnalysisRecord = z.object({
  /** Its run name. */
  id: z.string(),
  orgId: z.string(),
  asOf: z.string(),
  /** The data map (scan id) it read. */
  dataMap: z.string(),
  /** The ids each change touched (the first 1,000 of each: `changes` has how many). */
  opened: z.array(z.string()),
  closed: z.array(z.string()),
  reopened: z.array(z.string()),
  expired: z.array(z.string()),
  accepted: z.array(z.string()),
  changes: z.object({ opened: z.number(), closed: z.number(), reopened: z.number(), expired: z.number(), accepted: z.number() }),
  /** Gaps by status after it. */
  counts: z.object({ open: z.number(), accepted: z.number(), closed: z.number() }),
  /** `notApplicable` (why) marks a framework that does not apply to the organisation: not scored. */
  scores: z.record(Framework, z.object({ applicable: z.number(), met: z.number(), score: z.number(), notApplicable: z.string().optional() })),
});
export type AnalysisRecord = z.infer<typeof AnalysisRecord>;
