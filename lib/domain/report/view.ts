// What the report shows, as plain data: the view model `renderReport` draws and the
// report use case (lib/usecases/report/gather.ts) fills from the ports. Everything in
// it is a count, an id, a name or a date the organisation's people read: dates are
// local to the organisation's time zone (YYYY-MM-DD, or `YYYY-MM-DD hh:mm` for a
// scan), and lists are already in the order they are shown, so the same view always
// renders the same bytes. JSON-serialisable, so a page can hand it on as it is.
import type { Rating } from '../datamap/classify.ts';
import type { Jurisdiction } from '../datamap/residency.ts';
import { Theme as AnnexTheme, type Framework } from '../catalogues/catalogues.ts';
import type { Severity } from '../gaps/gap.ts';
import type { Level, Tier } from '../gaps/risk.ts';
import type { Language } from '../org/org.ts';
import { EVIDENCE_STATUSES, TASK_RESULTS } from '../vocabulary.ts';

/** The Annex A themes in the order the standard lists them (clauses 5 to 8); `Other` for a control outside them. */
export const THEMES = AnnexTheme.options;
export type Theme = (typeof THEMES)[number] | 'Other';

/** A control's evidence: its worst live item's status, or none held. */
export const FRESHNESS = [...EVIDENCE_STATUSES, 'none'] as const;
export type Freshness = (typeof FRESHNESS)[number];

/** How a review task stands: its result once answered, `unanswered` when the review closed without one, `open` while it waits. */
export const REVIEW_OUTCOMES = [...TASK_RESULTS, 'unanswered', 'open'] as const;
export type ReviewOutcome = (typeof REVIEW_OUTCOMES)[number];

/** Where a source is stored: a jurisdiction, or unknown when the last scan could not read it and none was declared. */
export type StoredIn = Jurisdiction | 'unknown';

/** A source's standing in the data map: its rating, or `failed` when the last scan could not read it. */
export type MapStanding = Rating | 'failed';

export interface DataMapSourceRow {
  id: string;
  /** The declared name (from the organisation file). */
  name: string;
  platform: string;
  standing: MapStanding;
  storedIn: StoredIn;
  /** `storedIn` is the organisation file's declaration: the scan could not read the source. */
  storageDeclared?: true;
  /** Whose data it holds: the people's jurisdictions the scan found, in JURISDICTIONS order. */
  people: Jurisdiction[];
  /** Its cross-border flows (where the transfer starts -> where stored). */
  flows: { from: Jurisdiction; to: Jurisdiction; flagged: boolean; basis?: string }[];
}

export interface FlowTotal {
  /** Where the transfer starts: Hong Kong for personal data stored outside it, the EU/EEA for its people's data stored outside it. */
  from: Jurisdiction;
  /** Where it is stored. */
  to: Jurisdiction;
  /** Sources with this flow; how many without a transfer basis (flagged) and with one (covered). */
  sources: number;
  flagged: number;
  covered: number;
}

export interface DataMapSection {
  scanId: string;
  /** When the scan ran, local (`YYYY-MM-DD hh:mm`). */
  scannedAt: string;
  /** Sources by where stored and their standing: one row per place, in JURISDICTIONS order then unknown; places with none left out. */
  storage: ({ storedIn: StoredIn } & Record<MapStanding, number>)[];
  /** For each jurisdiction, how many sources hold data of its people. */
  people: { jurisdiction: Jurisdiction; sources: number }[];
  /** Cross-border flows summed over sources, by from then to (JURISDICTIONS order). */
  flows: FlowTotal[];
  /** Every source of the map, by id. */
  sources: DataMapSourceRow[];
}

export type FreshnessCounts = Record<Freshness, number>;

export interface ControlAttention {
  control: string;
  title: string;
  theme: Theme;
  owner?: { id: string; name: string };
}

export interface EvidenceSection {
  /** Applicable controls by theme and the freshness of their evidence on the as-of day (the Statement of Applicability's evidence status). */
  byTheme: ({ theme: Theme } & FreshnessCounts)[];
  /** The same counts at each month's end of the history window (the last point: the as-of day), from the evidence's validity dates. */
  overTime: ({ date: string } & FreshnessCounts)[];
  /** Applicable controls whose evidence is escalated, lapsed or missing on the as-of day, worst first, then in Annex A order. */
  attention: (ControlAttention & { status: Exclude<Freshness, 'current' | 'due-soon'> })[];
}

export type SeverityCounts = Record<Severity, number>;

export interface AnalysisPoint {
  id: string;
  /** The analysis's local date. */
  date: string;
  dataMap: string;
  opened: number;
  reopened: number;
  closed: number;
  expired: number;
  accepted: number;
  /** Gaps open after it. */
  open: number;
  /** Share of requirements met per framework after it, 0 to 1 (none for a framework that did not apply). */
  scores: Partial<Record<Framework, number>>;
  /** The frameworks that did not apply to the organisation at that analysis (nothing of them checked): shown as not applicable, not as a score. */
  notApplicable?: Framework[];
}

export interface GapsSection {
  /** Gaps open on the as-of day (as they stood that day: an acceptance in force then counts as accepted, whatever came after), by framework (a gap counts under each framework whose requirement it leaves unmet) and severity. */
  byFramework: ({ framework: Framework } & SeverityCounts)[];
  /** The same gaps counted once each, by severity; and the accepted ones. */
  open: SeverityCounts;
  accepted: SeverityCounts;
  /** Every analysis of the history window, oldest first. */
  analyses: AnalysisPoint[];
  /** The latest analysis made by the as-of day, in the window or before it; none: nothing is known of gaps. */
  latest?: { id: string; date: string };
}

export interface ReviewSection {
  quarter: string;
  status: 'open' | 'closed';
  /** Tasks due, the review's deadline (local dates), when it closed. */
  due: string;
  deadline: string;
  closedOn?: string;
  tasks: number;
  /** The review's own summary (`compliance review show`), per theme in THEMES order. */
  byTheme: ({ theme: Theme } & Record<ReviewOutcome, number>)[];
  overdueOwners: { id: string; name: string }[];
  /** Tasks not effective, unanswered, or open past their due date, in Annex A order. */
  attention: (ControlAttention & { outcome: ReviewOutcome; overdue: boolean })[];
  nonconformitiesOpened: number;
  nonconformitiesClosed: number;
}

export interface RiskFactorView {
  level: Level;
  score: number;
  reason: string;
}

export interface RiskRow {
  id: string;
  name: string;
  tier: Tier;
  score: number;
  factors: { sensitivity: RiskFactorView; role: RiskFactorView; mobility: RiskFactorView };
}

export interface RiskSection {
  thresholds: { red: number; amber: number };
  /** Every source, highest score first, then by id. */
  sources: RiskRow[];
  /** Declared groups (names redacted as stored), highest score first, then by id. */
  groups: (RiskRow & { source: string })[];
}

export interface ReportView {
  language: Language;
  organisation: { id: string; name: string; timeZone: string };
  /** The quarter reported, `2026-Q4`. */
  period: string;
  /** The day the figures hold for: the period's last day, or today while it runs (local). */
  asOf: string;
  /** The history the trends cover: the eight quarters ending with the period (local dates). */
  history: { from: string; to: string };
  /** Absent: no data-mapping scan by the as-of day. */
  dataMap?: DataMapSection;
  evidence: EvidenceSection;
  gaps: GapsSection;
  /** Absent: no review of the period was opened. */
  review?: ReviewSection;
  /** Absent with the data map. */
  risk?: RiskSection;
}
