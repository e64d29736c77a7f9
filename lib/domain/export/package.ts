// What an audit package holds for one period, whatever its format: the Statement of
// Applicability, the quarter's review with every answer, the evidence index, the gaps,
// a summary of the data map and the audit trail of the period; and how each part is
// chosen for the period. The formats (json.ts, csv.ts, oscal.ts) only write it. Pure.
import type { AuditEvent } from '../audit/audit.ts';
import type { DataMap, FlowEntry, StorageEntry } from '../datamap/datamap.ts';
import type { Rating } from '../datamap/classify.ts';
import { evidenceStatus, type EvidenceStatusName } from '../evidence/lapse-policy.ts';
import type { EvidenceOrigin } from '../evidence/origin.ts';
import type { AnalysisRecord, Gap } from '../gaps/gap.ts';
import { annexASortKey } from '../org/annex-a.ts';
import type { EvidenceRecord, SweepPolicy } from '../org/org.ts';
import { TaskResult, type Nonconformity, type Review, type ReviewSummary, type Task } from '../review/review.ts';
import type { SoaRow } from '../review/soa.ts';
import { inWindow, type PeriodWindow } from './period.ts';

export const EXPORT_FORMATS = ['json', 'csv', 'oscal'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** One file of a package: its path inside the package (plain names, no folders) and its bytes. */
export interface PackageFile {
  path: string;
  content: Buffer;
}

export type ReviewTaskRow = Pick<
  Task,
  | 'id'
  | 'control'
  | 'controlTitle'
  | 'owner'
  | 'delegate'
  | 'reviewer'
  | 'due'
  | 'status'
  | 'result'
  | 'comment'
  | 'answeredBy'
  | 'answeredAt'
  | 'reviewDecision'
  | 'reviewComment'
  | 'reviewedAt'
  | 'closedAt'
  | 'carries'
  | 'evidenceStatusAtOpening'
  | 'evidence'
>;

export interface ReviewPart {
  review: Pick<Review, 'id' | 'status' | 'openedAt' | 'openedBy' | 'due' | 'deadline' | 'closedAt'> & { summary: ReviewSummary };
  tasks: ReviewTaskRow[];
  nonconformities: Pick<Nonconformity, 'id' | 'control' | 'openedIn' | 'status' | 'reason' | 'closedIn'>[];
}

/** An item of the evidence index: where it is, its hash, how long it holds, and its status on the package's day. */
export interface EvidenceIndexRow {
  id: string;
  control: string;
  title: string;
  kind: string;
  owner: string;
  origin: EvidenceOrigin;
  location: string;
  sha256?: string;
  collected: string;
  /** The last valid day; none: it does not lapse. */
  validUntil?: string;
  /** Its status on the package's `asOf` day. */
  status: EvidenceStatusName;
  /** Left out of the organisation file since (it still counted in the period). */
  retired: boolean;
  /** The day it was retired, where known (it counted until then). */
  retiredOn?: string;
  /** The item that renewed it, when one did. */
  renewedBy?: string;
  renews?: string;
}

export interface GapsPart {
  /** The latest gap analysis made before the period ended, when there is one. */
  analysis?: Pick<AnalysisRecord, 'id' | 'asOf' | 'dataMap' | 'counts' | 'scores'>;
  gaps: Gap[];
}

export interface SourceSummary {
  id: string;
  platform: string;
  status: 'scanned' | 'failed';
  rating?: Rating;
  reasons?: string[];
  storage?: StorageEntry;
  /** Whose data it holds: jurisdictions of the people found. */
  peopleJurisdictions?: string[];
  distinctPeople?: number;
  /** Findings by type. */
  findings?: Record<string, number>;
  /** Groups or channels by rating (names stay in the store). */
  groups?: Record<Rating, number>;
  flows?: FlowEntry[];
  /** Why it could not be read. */
  reason?: string;
}

export interface DataMapSummary {
  scanId: string;
  scannedAt: string;
  sources: SourceSummary[];
}

/** An audit entry with its key in the trail and its hash (SHA-256 of its canonical JSON), as the chain's digests list it. */
export type AuditEntryRow = AuditEvent & { key: string; hash: string };

export interface PackageContent {
  org: { id: string; name: string; timeZone: string };
  window: PeriodWindow;
  generatedAt: string;
  /** The day statuses are given for: the period's last day, or the day of the export when that is earlier. */
  asOf: string;
  /** The people the package names (owners, reviewers, those who answered), for documents that list parties. */
  people: { id: string; name: string }[];
  soa: SoaRow[];
  /** Undefined when no review of the quarter was opened. */
  review: ReviewPart | undefined;
  evidence: EvidenceIndexRow[];
  gaps: GapsPart;
  /** The latest data map scanned before the period ended; undefined when there was none. */
  dataMap: DataMapSummary | undefined;
  audit: AuditEntryRow[];
  /** The audit chain's head when the package was made (the trail sealed first). */
  auditHead: { seq: number; hash: string | null };
}

/** The day statuses are given for: the period's last day, or today when the period has not ended. */
export function asOfDay(window: PeriodWindow, today: string): string {
  return today < window.lastDay ? today : window.lastDay;
}

/**
 * Evidence that counted during the period: collected by its last day and valid on or
 * after its first (no end: valid throughout), whether retired or renewed since.
 */
export function evidenceOfPeriod(items: readonly EvidenceRecord[], window: PeriodWindow, asOf: string, policy: SweepPolicy): EvidenceIndexRow[] {
  return items
    // held at some time in the period: collected by its end, not ended nor retired before it began
    .filter((e) => e.collected <= window.lastDay && (e.validUntil === undefined || e.validUntil >= window.firstDay) && !(e.retiredOn !== undefined && e.retiredOn <= window.firstDay))
    .map(
      (e): EvidenceIndexRow => ({
        id: e.id,
        control: e.control,
        title: e.title,
        kind: e.kind,
        owner: e.owner,
        origin: e.origin,
        location: e.location,
        ...(e.sha256 ? { sha256: e.sha256 } : {}),
        collected: e.collected,
        ...(e.validUntil ? { validUntil: e.validUntil } : {}),
        status: evidenceStatus(e.validUntil, asOf, policy).status,
        retired: e.retired,
        ...(e.retiredOn ? { retiredOn: e.retiredOn } : {}),
        ...(e.renewedBy ? { renewedBy: e.renewedBy } : {}),
        ...(e.renews ? { renews: e.renews } : {}),
      }),
    )
    .sort((a, b) => annexASortKey(a.control).localeCompare(annexASortKey(b.control)) || a.id.localeCompare(b.id));
}

/**
 * Gaps open at some time in the period: opened before it ended and not closed before it
 * began. A gap keeps its first opening and its latest closing only, so one closed and
 * reopened later counts as open in between.
 */
export function gapsOfPeriod(gaps: readonly Gap[], window: PeriodWindow): Gap[] {
  const before = (at: string, edge: string) => Date.parse(at) < Date.parse(edge);
  return gaps
    .filter((g) => before(g.openedAt, window.to) && !(g.status === 'closed' && g.closedAt !== undefined && before(g.closedAt, window.from)))
    .sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * Each task as it stood just before `end` (the period's end, an instant, excluded), for
 * the Statement of Applicability of a period: a task holds only its latest answer and
 * decision, so whatever is stamped at or after `end` is taken off. A task closed before
 * `end` takes no change after it and stands as it is. An answer given since `end` hides
 * what stood before it: the period's `task.answered`, `task.accepted` and
 * `task.returned` entries (`history`) tell it; without one the task was open then.
 */
export function tasksAsOf(tasks: readonly Task[], end: string, history: readonly Pick<AuditEvent, 'at' | 'event' | 'subject' | 'detail'>[]): Task[] {
  const before = (at: string | undefined) => at !== undefined && Date.parse(at) < Date.parse(end);
  return tasks.map((t): Task => {
    if (before(t.closedAt)) return t;
    const { closedAt: _closed, ...open } = t;
    const { reviewDecision: _d, reviewComment: _dc, reviewedAt: _da, ...undecided } = open;
    // Answered before the end (or never): a decision made since is taken off, the answer awaiting it.
    if (!t.answeredAt || before(t.answeredAt)) return !t.reviewedAt || before(t.reviewedAt) ? open : { ...undecided, status: 'answered' };
    // Answered since: what the trail says of it before the end (answered, then perhaps returned or accepted), else open.
    const { result: _r, comment: _c, answeredBy: _b, answeredAt: _a, ...unanswered } = undecided;
    let stood: Task = { ...unanswered, status: 'open' };
    for (const e of history.filter((e) => e.subject === `TASK#${t.id}` && before(e.at)).sort((a, b) => Date.parse(a.at) - Date.parse(b.at))) {
      const result = TaskResult.safeParse(e.detail?.result);
      if (e.event === 'task.answered' && result.success) stood = { ...unanswered, status: 'answered', result: result.data, answeredAt: e.at };
      else if (e.event === 'task.accepted' && stood.result) stood = { ...stood, status: 'answered', reviewDecision: 'accepted', reviewedAt: e.at };
      else if (e.event === 'task.returned' && stood.result) stood = { ...stood, status: 'open', reviewDecision: 'returned', reviewedAt: e.at };
    }
    return stood;
  });
}

/** Entries of the trail stamped in the period, in time order (as they were, where two share a time). */
export function auditOfPeriod<T extends Pick<AuditEvent, 'at'>>(entries: readonly T[], window: PeriodWindow): T[] {
  return entries.filter((e) => inWindow(e.at, window)).sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

/** What auditors read of a data map: per source its rating, where it is stored, whose data, flows; groups only counted. */
export function summariseDataMap(map: DataMap): DataMapSummary {
  return {
    scanId: map.scanId,
    scannedAt: map.scannedAt,
    sources: map.sources.map((s): SourceSummary => {
      if (s.status === 'failed') return { id: s.id, platform: s.platform, status: s.status, reason: s.reason, ...(s.storage ? { storage: s.storage } : {}) };
      const groups: Record<Rating, number> = { red: 0, amber: 0, green: 0 };
      for (const g of s.groups) groups[g.rating] += 1;
      return {
        id: s.id,
        platform: s.platform,
        status: s.status,
        rating: s.rating,
        reasons: s.reasons,
        storage: s.storage,
        peopleJurisdictions: [...new Set(s.peopleJurisdictions.map((p) => p.jurisdiction))].sort(),
        ...(s.distinctPeople !== undefined ? { distinctPeople: s.distinctPeople } : {}),
        findings: Object.fromEntries(Object.entries(s.counts).filter(([, n]) => (n ?? 0) > 0)) as Record<string, number>,
        groups,
        flows: s.flows,
      };
    }),
  };
}
