// The gap analysis, as the workflow runs it: read what the organisation declares and
// the latest data map, run the rules, carry every gap through its lifecycle, and
// record what opened, closed, reopened and expired with a score per framework.
// With no data map yet it fails, saying so: it never reports a clean bill.
import { today as dayOf } from '../../domain/dates.ts';
import type { DataMap, GroupEntry } from '../../domain/datamap/datamap.ts';
import { evidenceStatus } from '../../domain/evidence/lapse-policy.ts';
import type { AnalysisRecord } from '../../domain/gaps/gap.ts';
import { frameworkScores, reconcile, type Changes } from '../../domain/gaps/lifecycle.ts';
import { analyse, type Analysis, type AnalysisInput } from '../../domain/gaps/rules.ts';
import type { LoadedOrganisation } from '../../domain/org/org.ts';
import { NotFoundError } from '../../errors.ts';
import type { WorkflowName } from '../../workflows/declarations.ts';
import { sealAfterRun } from '../audit/trail.ts';
import { caughtErrorText } from '../caught-error.ts';
import type { Ports } from '../ports.ts';
import type { RunInput } from '../run-input.ts';
import type { CaughtError } from '../caught-error.ts';

/** Runs of the analysis are recorded under its workflow's name. */
export const GAPS_KIND: WorkflowName = 'gap-analysis';

/** Everything the rules read: the organisation, its sources, the latest data map and the groups' detail. */
export async function analysisInput(rt: Pick<Ports, 'organisations' | 'dataMaps'>, orgId: string, now: Date): Promise<{ org: LoadedOrganisation; input: AnalysisInput }> {
  const [org, sources, evidence, dataMap] = await Promise.all([
    rt.organisations.load(orgId),
    rt.organisations.sources(orgId),
    rt.organisations.evidence(orgId),
    rt.dataMaps.previous(orgId),
  ]);
  if (!org) throw new NotFoundError(`organisation "${orgId}" has not been imported`);
  if (!dataMap) throw new NotFoundError(`no data map of "${orgId}" yet: run a data-mapping scan first (compliance datamap); a gap analysis without one would report a clean bill it cannot know`);
  const groupEntries = await groupDetail(rt, dataMap, new Set(org.groups.map((g) => g.source)));
  const today = dayOf(now);
  return {
    org,
    input: {
      organisation: org.organisation,
      people: org.people,
      platforms: org.platforms,
      sources,
      groups: org.groups,
      dataMap,
      groupEntries,
      controls: [...org.controls.values()],
      evidence: evidence.filter((e) => !e.retired && !e.renewedBy).map((e) => ({ id: e.id, control: e.control, status: evidenceStatus(e.validUntil, today, org.organisation.sweep).status })),
    },
  };
}

/** Per-group detail only for the sources with declared groups: all the rules need. */
async function groupDetail(rt: Pick<Ports, 'dataMaps'>, dataMap: DataMap, sourceIds: ReadonlySet<string>): Promise<Map<string, GroupEntry[]>> {
  const ids = [...sourceIds].filter((id) => dataMap.sources.some((s) => s.id === id && s.status === 'scanned'));
  const entries = await Promise.all(ids.map((id) => rt.dataMaps.groups(dataMap.orgId, dataMap.scanId, id)));
  return new Map(ids.map((id, i) => [id, entries[i] ?? []]));
}

/** What the workflow hands on: the analysis alone (the gaps are in the table; there may be hundreds). */
export interface AnalysisSummary {
  analysis: AnalysisRecord;
}

export async function analyseGaps(rt: Ports, input: RunInput): Promise<AnalysisSummary> {
  await rt.runs.begin({ orgId: input.orgId, kind: GAPS_KIND, name: input.runName, asOf: input.now, startedBy: input.startedBy }, rt.clock().toISOString());
  const { org, input: facts } = await analysisInput(rt, input.orgId, new Date(input.now));
  const result: Analysis = analyse(facts);
  const held = await rt.gaps.all(input.orgId);
  const { gaps: written, changes } = reconcile(held, result.findings, org.acceptances, input.now, dayOf(new Date(input.now)), input.runName);
  const after = new Map(held.map((g) => [g.id, g]));
  for (const g of written) after.set(g.id, g);
  const all = [...after.values()].sort((a, b) => a.id.localeCompare(b.id));
  const open = all.filter((g) => g.status === 'open');
  const analysis: AnalysisRecord = {
    id: input.runName,
    orgId: input.orgId,
    asOf: input.now,
    dataMap: facts.dataMap.scanId,
    // An analysis item stays small: the first 1,000 ids of each change, and how many there were.
    ...(Object.fromEntries(Object.entries(changes).map(([k, ids]) => [k, ids.slice(0, LISTED)])) as Changes),
    changes: countsOf(changes) as AnalysisRecord['changes'],
    counts: { open: open.length, accepted: all.filter((g) => g.status === 'accepted').length, closed: all.filter((g) => g.status === 'closed').length },
    scores: frameworkScores(open, facts.controls.filter((c) => c.applicable).map((c) => c.id), result.notApplicable),
  };
  await rt.gaps.record(analysis, written);
  await rt.runs.finish({ orgId: input.orgId, kind: GAPS_KIND, name: input.runName }, { status: 'succeeded', summary: { dataMap: analysis.dataMap, counts: analysis.counts, changes: countsOf(changes) } }, rt.clock().toISOString());
  await sealAfterRun(rt, { orgId: input.orgId, name: input.runName });
  return { analysis };
}

const LISTED = 1_000;

const countsOf = (changes: Changes) => Object.fromEntries(Object.entries(changes).map(([k, ids]) => [k, ids.length]));

/** Records the run as failed when the analysis failed for good (the workflow's RecordFailure). */
export async function recordGapFailure(rt: Ports, input: RunInput & { error: CaughtError }): Promise<void> {
  await rt.runs.finish({ orgId: input.orgId, kind: GAPS_KIND, name: input.runName }, { status: 'failed', error: caughtErrorText(input.error) }, rt.clock().toISOString());
  await sealAfterRun(rt, { orgId: input.orgId, name: input.runName });
}
