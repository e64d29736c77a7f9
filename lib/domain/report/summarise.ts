// From what the organisation holds to what the report shows: the counts behind every
// chart of the report, as plain rows in the order they are drawn. Pure: the records
// come in, the sections of the view model go out (./view.ts); the as-of day and the
// organisation's time zone are given, never read from a clock. Text is compared by
// code unit, never by locale, so the same records always give the same order.
import { requirement } from '../catalogues/catalogues.ts';
import type { Framework } from '../catalogues/catalogues.ts';
import type { DataMap } from '../datamap/datamap.ts';
import { JURISDICTIONS, type Jurisdiction } from '../datamap/residency.ts';
import { addDays } from '../dates.ts';
import type { AnalysisRecord, Gap } from '../gaps/gap.ts';
import type { Risk } from '../gaps/risk.ts';
import type { GapStanding } from './gaps-as-of.ts';
import { annexASortKey } from '../org/annex-a.ts';
import type { EvidenceRecord, SweepPolicy } from '../org/org.ts';
import { evidenceStatusByControl, type SoaRow } from '../review/soa.ts';
import type { ReviewSummary } from '../review/review.ts';
import { dateIn } from '../../workflows/declarations.ts';
import {
  REVIEW_OUTCOMES,
  THEMES,
  type AnalysisPoint,
  type ControlAttention,
  type DataMapSection,
  type EvidenceSection,
  type Freshness,
  type FreshnessCounts,
  type GapsSection,
  type MapStanding,
  type ReviewOutcome,
  type ReviewSection,
  type RiskRow,
  type RiskSection,
  type SeverityCounts,
  type StoredIn,
  type Theme,
} from './view.ts';

const FRAMEWORKS: readonly Framework[] = ['pdpo', 'gdpr', 'iso27001'];
const STANDINGS: readonly MapStanding[] = ['red', 'amber', 'green', 'failed'];

/** Code-unit order: the same whatever the locale. */
export const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const byControl = (a: { control: string }, b: { control: string }) => byText(annexASortKey(a.control), annexASortKey(b.control));

const themeOf = (value: string | undefined): Theme => ((THEMES as readonly string[]).includes(value ?? '') ? (value as Theme) : 'Other');
const themeOfControl = (control: string): Theme => themeOf(requirement({ framework: 'iso27001', id: control })?.theme);

/** THEMES in order, then `Other` when anything fell there. */
function themesOf(present: Iterable<Theme>): Theme[] {
  const seen = new Set(present);
  return [...THEMES, ...(seen.has('Other') ? (['Other'] as const) : [])];
}

const zeroFreshness = (): FreshnessCounts => ({ current: 0, 'due-soon': 0, lapsed: 0, escalated: 0, none: 0 });
const zeroSeverity = (): SeverityCounts => ({ critical: 0, high: 0, medium: 0, low: 0 });

// ---------------------------------------------------------------------------
// The data map

/**
 * `declared`: each source's storage jurisdiction as the organisation file declares it,
 * shown for a source whose entry has none (the scan could not read it), marked so.
 */
export function dataMapSection(map: DataMap, names: ReadonlyMap<string, string>, scannedAt: string, declared: ReadonlyMap<string, Jurisdiction> = new Map()): DataMapSection {
  const sources = [...map.sources].sort((a, b) => byText(a.id, b.id));
  const storage = new Map<StoredIn, Record<MapStanding, number>>();
  const people = new Map<Jurisdiction, number>();
  const flows = new Map<string, { from: Jurisdiction; to: Jurisdiction; sources: number; flagged: number; covered: number }>();
  const rows: DataMapSection['sources'] = [];
  for (const s of sources) {
    const fromFile = s.storage ? undefined : declared.get(s.id);
    const storedIn: StoredIn = s.storage?.jurisdiction ?? fromFile ?? 'unknown';
    const standing: MapStanding = s.status === 'failed' ? 'failed' : s.rating;
    const counts = storage.get(storedIn) ?? { red: 0, amber: 0, green: 0, failed: 0 };
    counts[standing]++;
    storage.set(storedIn, counts);
    const whose = s.status === 'scanned' ? JURISDICTIONS.filter((j) => s.peopleJurisdictions.some((p) => p.jurisdiction === j)) : [];
    for (const j of whose) people.set(j, (people.get(j) ?? 0) + 1);
    const own = s.status === 'scanned' ? s.flows : [];
    for (const f of own) {
      const key = `${JURISDICTIONS.indexOf(f.from)}${JURISDICTIONS.indexOf(f.to)}`;
      const total = flows.get(key) ?? { from: f.from, to: f.to, sources: 0, flagged: 0, covered: 0 };
      total.sources++;
      if (f.status === 'flagged') total.flagged++;
      else total.covered++;
      flows.set(key, total);
    }
    rows.push({
      id: s.id,
      name: names.get(s.id) ?? s.id,
      platform: s.platform,
      standing,
      storedIn,
      ...(fromFile ? { storageDeclared: true as const } : {}),
      people: whose,
      flows: own
        .map((f) => ({ from: f.from, to: f.to, flagged: f.status === 'flagged', ...(f.basis ? { basis: f.basis } : {}) }))
        .sort((a, b) => JURISDICTIONS.indexOf(a.from) - JURISDICTIONS.indexOf(b.from) || JURISDICTIONS.indexOf(a.to) - JURISDICTIONS.indexOf(b.to)),
    });
  }
  const places: StoredIn[] = [...JURISDICTIONS, 'unknown'];
  return {
    scanId: map.scanId,
    scannedAt,
    storage: places.flatMap((p) => {
      const counts = storage.get(p);
      return counts ? [{ storedIn: p, ...Object.fromEntries(STANDINGS.map((s) => [s, counts[s]])) } as DataMapSection['storage'][number]] : [];
    }),
    people: JURISDICTIONS.flatMap((j) => (people.has(j) ? [{ jurisdiction: j, sources: people.get(j)! }] : [])),
    flows: [...flows.entries()].sort(([a], [b]) => byText(a, b)).map(([, f]) => f),
    sources: rows,
  };
}

// ---------------------------------------------------------------------------
// Evidence freshness

/** Applicable controls of the Statement of Applicability by theme and evidence status (the SoA's own status on its day). */
export function freshnessByTheme(rows: readonly SoaRow[]): EvidenceSection['byTheme'] {
  const applicable = rows.filter((r) => r.applicable === true);
  const counts = new Map<Theme, FreshnessCounts>();
  for (const r of applicable) {
    const theme = themeOf(r.theme);
    const c = counts.get(theme) ?? zeroFreshness();
    c[r.evidenceStatus]++;
    counts.set(theme, c);
  }
  return themesOf(counts.keys()).map((theme) => ({ theme, ...(counts.get(theme) ?? zeroFreshness()) }));
}

/** Applicable controls whose evidence is escalated, lapsed or missing, worst first. */
export function freshnessAttention(rows: readonly SoaRow[], people: ReadonlyMap<string, { name: string }>): EvidenceSection['attention'] {
  const rank: Partial<Record<Freshness, number>> = { escalated: 0, lapsed: 1, none: 2 };
  return rows
    .filter((r) => r.applicable === true && rank[r.evidenceStatus] !== undefined)
    .map((r) => ({ ...attentionOf(r.id, r.title, r.owner, people), status: r.evidenceStatus as 'escalated' | 'lapsed' | 'none' }))
    .sort((a, b) => rank[a.status]! - rank[b.status]! || byControl(a, b));
}

function attentionOf(control: string, title: string, owner: string | undefined, people: ReadonlyMap<string, { name: string }>): ControlAttention {
  return { control, title, theme: themeOfControl(control), ...(owner ? { owner: { id: owner, name: people.get(owner)?.name ?? owner } } : {}) };
}

/** The last day of each month from `from` to `asOf`, the last one being `asOf` itself. */
export function monthEnds(from: string, asOf: string): string[] {
  const out: string[] = [];
  let year = Number(from.slice(0, 4));
  let month = Number(from.slice(5, 7));
  for (;;) {
    const first = `${year}-${String(month).padStart(2, '0')}-01`;
    if (first > asOf) break;
    const next = month === 12 ? `${year + 1}-01-01` : `${year}-${String(month + 1).padStart(2, '0')}-01`;
    const last = addDays(next, -1);
    out.push(last < asOf ? last : asOf);
    if (last >= asOf) break;
    year = month === 12 ? year + 1 : year;
    month = month === 12 ? 1 : month + 1;
  }
  return out;
}

/**
 * Applicable controls by evidence status on each day given, from the evidence's own
 * dates, by the rule the report's by-theme counts use for the as-of day
 * (evidenceStatusByControl): on a day, an item counts once collected and until the
 * item that renewed it was collected; its status is what its validity end made it that
 * day; a retired item counts until the day it was retired (one retired before those
 * days were kept, never), and an item renewed in place (a later `validUntil` under the same id)
 * counts with its current dates.
 */
export function freshnessOverTime(evidence: readonly EvidenceRecord[], controls: readonly string[], days: readonly string[], policy: SweepPolicy): EvidenceSection['overTime'] {
  return days.map((day) => {
    const byControl = evidenceStatusByControl(evidence, day, policy);
    const counts = zeroFreshness();
    for (const control of controls) counts[byControl.get(control) ?? 'none']++;
    return { date: day, ...counts };
  });
}

// ---------------------------------------------------------------------------
// Gaps

export type AnalysisOutlineInput = Pick<AnalysisRecord, 'id' | 'asOf' | 'dataMap' | 'changes' | 'counts' | 'scores'>;

/**
 * `standing`: each gap open or accepted on `asOf`, as it stood that day (gapsAsOf in
 * ./gaps-as-of.ts), not as it stands now.
 */
export function gapsSection(standing: readonly { gap: Gap; status: GapStanding }[], analyses: readonly AnalysisOutlineInput[], asOf: string, historyFrom: string, timeZone: string): GapsSection {
  const byFramework = new Map<Framework, SeverityCounts>(FRAMEWORKS.map((f) => [f, zeroSeverity()]));
  const open = zeroSeverity();
  const accepted = zeroSeverity();
  for (const { gap: g, status } of standing) {
    if (status === 'accepted') {
      accepted[g.severity]++;
      continue;
    }
    open[g.severity]++;
    for (const f of new Set(g.requirements.map((r) => r.framework))) byFramework.get(f)![g.severity]++;
  }
  const made = analyses
    .map((a) => ({ a, date: dateIn(new Date(a.asOf), timeZone) }))
    .filter(({ date }) => date <= asOf)
    .sort((x, y) => byText(x.a.asOf, y.a.asOf) || byText(x.a.id, y.a.id));
  const last = made.at(-1);
  const points: AnalysisPoint[] = made
    .filter(({ date }) => date >= historyFrom)
    .map(({ a, date }) => ({
      id: a.id,
      date,
      dataMap: a.dataMap,
      opened: a.changes.opened,
      reopened: a.changes.reopened,
      closed: a.changes.closed,
      expired: a.changes.expired,
      accepted: a.changes.accepted,
      open: a.counts.open,
      // A framework that does not apply (notApplicable) has no score to show: it is said to be not applicable.
      scores: Object.fromEntries(FRAMEWORKS.flatMap((f) => (a.scores[f] && a.scores[f].notApplicable === undefined ? [[f, a.scores[f].score]] : []))),
      ...notApplicableOf(a),
    }));
  return {
    byFramework: FRAMEWORKS.map((framework) => ({ framework, ...byFramework.get(framework)! })),
    open,
    accepted,
    analyses: points,
    ...(last ? { latest: { id: last.a.id, date: last.date } } : {}),
  };
}

function notApplicableOf(a: AnalysisOutlineInput): Pick<AnalysisPoint, 'notApplicable'> {
  const none = FRAMEWORKS.filter((f) => a.scores[f]?.notApplicable !== undefined);
  return none.length ? { notApplicable: none } : {};
}

// ---------------------------------------------------------------------------
// The review

export interface ReviewInput {
  review: { id: string; status: 'open' | 'closed'; due: string; deadline: string; closedAt?: string; summary: ReviewSummary };
  tasks: readonly { control: string; controlTitle: string; owner: string; due: string; status: 'open' | 'answered' | 'unanswered'; result?: string }[];
}

function outcomeOf(t: ReviewInput['tasks'][number]): ReviewOutcome {
  if (t.status === 'open') return 'open';
  if (t.status === 'answered' && t.result && (REVIEW_OUTCOMES as readonly string[]).includes(t.result)) return t.result as ReviewOutcome;
  return 'unanswered';
}

export function reviewSection(input: ReviewInput, people: ReadonlyMap<string, { name: string }>, asOf: string, timeZone: string): ReviewSection {
  const { review, tasks } = input;
  const themes = Object.keys(review.summary.byTheme).map(themeOf);
  const byTheme = themesOf(themes).map((theme) => {
    const counts = review.summary.byTheme[theme] ?? {};
    return { theme, ...(Object.fromEntries(REVIEW_OUTCOMES.map((o) => [o, counts[o] ?? 0])) as Record<ReviewOutcome, number>) };
  });
  const attention = tasks
    .map((t) => ({ t, outcome: outcomeOf(t) }))
    .filter(({ t, outcome }) => outcome === 'not-effective' || outcome === 'unanswered' || (outcome === 'open' && asOf > t.due))
    .map(({ t, outcome }) => ({ ...attentionOf(t.control, t.controlTitle, t.owner, people), outcome, overdue: outcome !== 'not-effective' && asOf > t.due }))
    .sort(byControl);
  return {
    quarter: review.id,
    status: review.status,
    due: review.due,
    deadline: review.deadline,
    ...(review.closedAt ? { closedOn: dateIn(new Date(review.closedAt), timeZone) } : {}),
    tasks: review.summary.tasks,
    byTheme,
    overdueOwners: review.summary.overdueOwners.map((id) => ({ id, name: people.get(id)?.name ?? id })),
    attention,
    nonconformitiesOpened: review.summary.nonconformitiesOpened.length,
    nonconformitiesClosed: review.summary.nonconformitiesClosed.length,
  };
}

// ---------------------------------------------------------------------------
// Three-factor risk

const riskOrder = (a: RiskRow, b: RiskRow) => b.score - a.score || byText(a.id, b.id);

function riskRow(r: Risk & { id: string }, name: string): RiskRow {
  const f = (x: Risk['factors']['sensitivity']) => ({ level: x.level, score: x.score, reason: x.reason });
  return { id: r.id, name, tier: r.tier, score: r.score, factors: { sensitivity: f(r.factors.sensitivity), role: f(r.factors.role), mobility: f(r.factors.mobility) } };
}

export function riskSection(
  risk: { sources: readonly (Risk & { id: string })[]; groups: readonly (Risk & { id: string; source: string; name: string })[] },
  names: ReadonlyMap<string, string>,
  thresholds: { red: number; amber: number },
): RiskSection {
  return {
    thresholds: { red: thresholds.red, amber: thresholds.amber },
    sources: risk.sources.map((r) => riskRow(r, names.get(r.id) ?? r.id)).sort(riskOrder),
    groups: risk.groups.map((g) => ({ ...riskRow(g, g.name), source: g.source })).sort(riskOrder),
  };
}
