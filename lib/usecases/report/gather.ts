// Gathers the report's view model (lib/domain/report/view.ts) from the ports, for one
// organisation and one quarter: the data map, evidence freshness now and over the last
// eight quarters, gaps and the analyses' trend, the quarter's review and the
// three-factor risk. `compliance report` renders it to a file; a page may render it
// as it is (renderReport).
//
// The figures hold for one day, the as-of day: the quarter's last day once it is over,
// today (in the organisation's time zone) while it runs. The data map is the latest
// scanned by that day; the gaps are those open or accepted that day, as they stood then
// (gapsAsOf: a gap an analysis changed after the day is read from the trail's gap
// entries up to its end, and an acceptance counts only while in force); evidence
// statuses are those of that day.
import type { DataMap } from '../../domain/datamap/datamap.ts';
import { jurisdictionOfStorage, type Jurisdiction } from '../../domain/datamap/residency.ts';
import { localTime } from '../../domain/local-time.ts';
import { DEFAULT_RISK_POLICY } from '../../domain/gaps/risk.ts';
import type { Language } from '../../domain/org/org.ts';
import { gapsAsOf, gapsChangedSince, type GapTrailEntry } from '../../domain/report/gaps-as-of.ts';
import { addDays } from '../../domain/dates.ts';
import { startOfLocalDay } from '../../domain/export/period.ts';
import { gapSubject, type Gap } from '../../domain/gaps/gap.ts';
import type { AnalysisOutline } from '../ports.ts';
import { dataMapSection, freshnessAttention, freshnessByTheme, freshnessOverTime, gapsSection, monthEnds, reviewSection, riskSection } from '../../domain/report/summarise.ts';
import type { ReportView } from '../../domain/report/view.ts';
import { firstDayOf, lastDayOf, localDate, notBegun, previousQuarter, type Quarter } from '../../domain/review/quarter.ts';
import { evidenceStatusByControl, statementOfApplicability } from '../../domain/review/soa.ts';
import { InputError, NotFoundError } from '../../errors.ts';
import { readAuditRange } from '../audit/trail.ts';
import { assessRiskOf } from '../gaps/risk.ts';
import type { Ports } from '../ports.ts';
import { resolveQuarter, showReview } from '../review/show.ts';

/** Quarters of history the trends cover, the reported one included. */
export const HISTORY_QUARTERS = 8;

export interface ReportRequest {
  /** The quarter (default: the current one if it has a review, else the latest review's, else the current one). */
  period?: Quarter;
  now: Date;
  /** Default: the language of the organisation's compliance contact. */
  language?: Language;
}

const once = <T>(read: () => Promise<T>): (() => Promise<T>) => {
  let held: Promise<T> | undefined;
  return () => (held ??= read());
};

/** A moment within `day` in `timeZone` (for the use cases that take a Date). */
function momentOn(day: string, timeZone: string): Date {
  let at = Date.parse(`${day}T12:00:00Z`);
  const local = localDate(new Date(at), timeZone);
  if (local > day) at -= 12 * 3_600_000;
  else if (local < day) at += 12 * 3_600_000;
  return new Date(at);
}

/** The latest data map scanned by the end of `asOf` (local): the latest one if it is, else the one before it in the history. */
async function dataMapAsOf(rt: Pick<Ports, 'dataMaps'>, orgId: string, asOf: string, timeZone: string): Promise<DataMap | undefined> {
  const latest = await rt.dataMaps.latest(orgId);
  if (!latest) return undefined;
  const by = (scannedAt: string) => localDate(new Date(scannedAt), timeZone) <= asOf;
  if (by(latest.scannedAt)) return rt.dataMaps.previous(orgId);
  return (await rt.dataMaps.history(orgId)).map((h) => h.dataMap).filter((m) => by(m.scannedAt)).at(-1);
}

/**
 * The trail's gap entries a past day needs: those of the gaps an analysis changed after
 * it, from the first of them opening to the end of the day (none read when no analysis
 * was made after it).
 */
async function gapTrailTo(rt: Pick<Ports, 'audit'>, orgId: string, gaps: readonly Gap[], analyses: readonly AnalysisOutline[], asOf: string, timeZone: string): Promise<GapTrailEntry[]> {
  const told = gapsChangedSince(gaps, analyses, asOf, timeZone);
  if (told.length === 0) return [];
  const subjects = new Set(told.map((g) => gapSubject(g.id)));
  const from = told.map((g) => g.openedAt).sort()[0]!;
  const entries = await readAuditRange(rt, orgId, from, startOfLocalDay(addDays(asOf, 1), timeZone));
  return entries.filter((e) => e.event.startsWith('gap.') && subjects.has(e.subject));
}

export async function gatherReport(rt: Ports, orgId: string, request: ReportRequest): Promise<ReportView> {
  const { now } = request;
  const load = once(() => rt.organisations.load(orgId));
  const sources = once(() => rt.organisations.sources(orgId));
  const evidence = once(() => rt.organisations.evidence(orgId));
  const org = await load();
  if (!org) throw new NotFoundError(`organisation "${orgId}" has not been imported`);
  const tz = org.organisation.timeZone;
  const policy = org.organisation.sweep;
  const today = localDate(now, tz);
  const period = request.period ?? (await resolveQuarter(rt, orgId, now));
  const early = notBegun(period, today, tz);
  if (early) throw new InputError(`period: ${early}`);
  const asOf = today < lastDayOf(period) ? today : lastDayOf(period);
  const moment = asOf === today ? now : momentOn(asOf, tz);
  let first = period;
  for (let i = 1; i < HISTORY_QUARTERS; i++) first = previousQuarter(first);
  const history = { from: firstDayOf(first), to: asOf };

  const [map, held, gaps, analyses, review] = await Promise.all([
    dataMapAsOf(rt, orgId, asOf, tz),
    evidence(),
    rt.gaps.all(orgId),
    rt.gaps.analyses(orgId),
    rt.reviews.get(orgId, period),
  ]);
  const declared = await sources();
  const names = new Map(declared.map((s) => [s.id, s.name]));
  // Where the organisation file stores each source, for a source the scan could not read;
  // a declaration that does not resolve (often why the scan failed) stays unknown.
  const storedAsDeclared = new Map(declared.flatMap((s): [string, Jurisdiction][] => {
    try {
      return [[s.id, jurisdictionOfStorage(s.storage)]];
    } catch {
      return [];
    }
  }));

  const controls = [...org.controls.values()];
  const soa = statementOfApplicability(controls, new Map(), evidenceStatusByControl(held, asOf, policy));
  const applicable = soa.filter((r) => r.applicable === true).map((r) => r.id);

  let risk: ReportView['risk'];
  if (map) {
    // The rules' own input, read through the same ports, with the data map of the day.
    const ports = { organisations: { ...rt.organisations, load, sources, evidence: (o: string, c?: string) => (c ? rt.organisations.evidence(o, c) : evidence()) }, dataMaps: { ...rt.dataMaps, previous: async () => map } };
    risk = riskSection(await assessRiskOf(ports, orgId, moment), names, org.organisation.risk?.thresholds ?? DEFAULT_RISK_POLICY.thresholds);
  }

  const language = request.language ?? org.people.get(org.organisation.complianceContact)?.language ?? 'en';
  return {
    language,
    organisation: { id: org.organisation.id, name: org.organisation.name, timeZone: tz },
    period,
    asOf,
    history,
    ...(map ? { dataMap: dataMapSection(map, names, localTime(map.scannedAt, tz), storedAsDeclared) } : {}),
    evidence: {
      byTheme: freshnessByTheme(soa),
      overTime: freshnessOverTime(held, applicable, monthEnds(history.from, asOf), policy),
      attention: freshnessAttention(soa, org.people),
    },
    gaps: gapsSection(gapsAsOf(gaps, analyses, await gapTrailTo(rt, orgId, gaps, analyses, asOf, tz), org.acceptances, asOf, tz), analyses, asOf, history.from, tz),
    ...(review ? { review: reviewSection(await showReview(rt, orgId, period, moment), org.people, asOf, tz) } : {}),
    ...(risk ? { risk } : {}),
  };
}
