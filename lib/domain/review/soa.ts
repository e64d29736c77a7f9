// The Statement of Applicability: every one of the 93 Annex A controls, applicable or
// not with why (ISO/IEC 27001 6.1.3 d) asks a justification for each control included
// as well as excluded), or undecided when the organisation file does not mention it;
// with whether it is implemented (as the file states it: 6.1.3 d) asks that too), its
// owner, its last review result and the state of its evidence, as auditors ask for it.
// A control is named by the catalogue's title: the file's own wording is kept beside
// it when it differs, so a title that belongs to another control shows.
// Only an answer the reviewer accepted is a control's result. Pure.
import { requirement, requirements } from '../catalogues/catalogues.ts';
import { evidenceStatus, type EvidenceStatusName } from '../evidence/lapse-policy.ts';
import type { Control, EvidenceRecord, SweepPolicy } from '../org/org.ts';
import type { ControlEvidenceStatus, Task, TaskResult } from './review.ts';
import type { ImplementationStatus } from '../vocabulary.ts';

/** An answer the reviewer has not accepted, newer than the control's last result. */
export interface UnreviewedAnswer {
  task: string;
  result: TaskResult;
  /** true: the review closed before the reviewer decided, so it will never be accepted; false: it awaits review. */
  reviewClosed: boolean;
}

/** What the reviews say of a control. */
export interface ControlReview {
  /** From the latest task with an accepted answer, or closed without an answer (`unanswered`). */
  lastResult?: TaskResult | 'unanswered';
  unreviewedAnswer?: UnreviewedAnswer;
}

export interface SoaRow {
  id: string;
  /** The catalogue's title. */
  title: string;
  /** The organisation file's title for the control, when it differs from the catalogue's. */
  titleInOrganisationFile?: string;
  theme: string;
  /** null: undecided (the file does not mention it). */
  applicable: boolean | null;
  justification?: string;
  /** Whether the decision, inclusion or exclusion, has a justification (undecided: false). */
  justified: boolean;
  /** Whether an applicable control is in place, as the file states it; none: not stated. */
  implementation?: ImplementationStatus;
  owner?: string;
  lastResult?: TaskResult | 'unanswered';
  unreviewedAnswer?: UnreviewedAnswer;
  evidenceStatus: ControlEvidenceStatus;
}

export type DeclaredControl = Pick<Control, 'id' | 'title' | 'applicable' | 'justification' | 'implementation' | 'owner'>;

/**
 * How the SoA and the evidence-sweep mails name a control: by the catalogue's
 * title, with the organisation file's wording only where it differs (so a file title
 * that belongs to another control shows). A control the catalogue does not hold keeps
 * the file's title.
 */
export function controlTitles(id: string, titleInFile: string | undefined): { title: string; titleInOrganisationFile?: string } {
  const catalogue = requirement({ framework: 'iso27001', id })?.title;
  if (catalogue === undefined) return { title: titleInFile ?? id };
  return { title: catalogue, ...(titleInFile !== undefined && titleInFile !== catalogue ? { titleInOrganisationFile: titleInFile } : {}) };
}

const WORST: readonly EvidenceStatusName[] = ['escalated', 'lapsed', 'due-soon', 'current'];

/** The worst status among a control's live evidence; 'none' when it has none. */
export function controlEvidenceStatus(statuses: readonly EvidenceStatusName[]): ControlEvidenceStatus {
  return WORST.find((s) => statuses.includes(s)) ?? 'none';
}

/**
 * Each control's review standing from its tasks (of any quarters): the newest task with
 * an accepted answer, or closed without one, gives the last result; an answer newer than
 * that and not accepted is reported as unreviewed. A task open without an answer, or
 * with one the reviewer returned, says nothing yet.
 */
export function reviewResults(tasks: readonly Task[]): Map<string, ControlReview> {
  const out = new Map<string, ControlReview>();
  for (const t of [...tasks].sort((a, b) => b.quarter.localeCompare(a.quarter))) {
    const seen = out.get(t.control) ?? {};
    if (seen.lastResult) continue;
    if (t.status === 'answered' && t.result && t.reviewDecision === 'accepted') out.set(t.control, { ...seen, lastResult: t.result });
    else if (t.status === 'answered' && t.result) out.set(t.control, seen.unreviewedAnswer ? seen : { ...seen, unreviewedAnswer: { task: t.id, result: t.result, reviewClosed: !!t.closedAt } });
    else if (t.closedAt) out.set(t.control, { ...seen, lastResult: 'unanswered' });
  }
  return out;
}

export function statementOfApplicability(
  declared: readonly DeclaredControl[],
  reviews: ReadonlyMap<string, ControlReview>,
  evidence: ReadonlyMap<string, ControlEvidenceStatus>,
): SoaRow[] {
  const byId = new Map(declared.map((c) => [c.id, c]));
  return requirements('iso27001').map((r) => {
    const c = byId.get(r.id);
    const review = reviews.get(r.id);
    return {
      id: r.id,
      ...controlTitles(r.id, c?.title),
      theme: r.theme ?? '',
      applicable: c ? c.applicable : null,
      ...(c?.justification ? { justification: c.justification } : {}),
      justified: !!c?.justification,
      ...(c?.implementation ? { implementation: c.implementation } : {}),
      ...(c?.owner ? { owner: c.owner } : {}),
      ...(review?.lastResult ? { lastResult: review.lastResult } : {}),
      ...(review?.unreviewedAnswer ? { unreviewedAnswer: review.unreviewedAnswer } : {}),
      evidenceStatus: evidence.get(r.id) ?? 'none',
    };
  });
}

/**
 * Whether an item counts on `day`: once collected, and until the item that renewed it
 * was collected (a renewal whose item is not in `collectedOn` cannot be dated, so it
 * holds throughout, as the register says the item no longer counts), and until the day
 * it was retired. An item retired before that day was recorded counts on no day.
 * `collectedOn`: each item's collection day by id (see collectionDays).
 */
function evidenceCountsOn(e: EvidenceRecord, day: string, collectedOn: ReadonlyMap<string, string>): boolean {
  if (e.collected > day || (e.retired && (e.retiredOn === undefined || e.retiredOn <= day))) return false;
  if (!e.renewedBy) return true;
  const renewed = collectedOn.get(e.renewedBy);
  return renewed !== undefined && renewed > day;
}

/** Each item's collection day by id, for evidenceCountsOn. */
const collectionDays = (evidence: readonly EvidenceRecord[]): Map<string, string> => new Map(evidence.map((e) => [e.id, e.collected]));

/**
 * Each control's evidence status on `day` (today for the live SoA, a past day for a
 * report), over the items that counted that day (evidenceCountsOn): the same rule the
 * report's freshness-over-time series applies to each month's end.
 */
export function evidenceStatusByControl(evidence: readonly EvidenceRecord[], day: string, policy: SweepPolicy): Map<string, ControlEvidenceStatus> {
  const collectedOn = collectionDays(evidence);
  const statuses = new Map<string, EvidenceStatusName[]>();
  for (const e of evidence) {
    if (!evidenceCountsOn(e, day, collectedOn)) continue;
    statuses.set(e.control, [...(statuses.get(e.control) ?? []), evidenceStatus(e.validUntil, day, policy).status]);
  }
  return new Map([...statuses].map(([control, s]) => [control, controlEvidenceStatus(s)]));
}

/** Yes, no or undecided, as the SoA's tables write a decision. */
export const applicability = (a: boolean | null): string => (a === null ? 'undecided' : a ? 'yes' : 'no');

/**
 * The SoA as the CSV files write it (the CLI's `soa --format csv` and the audit
 * package's soa.csv): one row per control, `evidenceStatus` naming that column. The
 * columns after the evidence status were added later, so scripts reading the first
 * eight by position still read them.
 */
export function soaTable(rows: readonly SoaRow[], evidenceStatus = 'evidence status'): { header: string[]; rows: string[][] } {
  return {
    header: ['control', 'title', 'theme', 'applicable', 'justification', 'owner', 'last result', evidenceStatus, 'justified', 'answer awaiting review', 'title in organisation file', 'implementation'],
    rows: rows.map((r) => [
      r.id,
      r.title,
      r.theme,
      applicability(r.applicable),
      r.justification ?? '',
      r.owner ?? '',
      r.lastResult ?? '',
      r.evidenceStatus,
      r.justified ? 'yes' : 'no',
      r.unreviewedAnswer ? `${r.unreviewedAnswer.result} (${r.unreviewedAnswer.task}${r.unreviewedAnswer.reviewClosed ? '; the review closed before a decision' : ''})` : '',
      r.titleInOrganisationFile ?? '',
      r.implementation ?? '',
    ]),
  };
}
