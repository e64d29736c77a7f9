// Small organisations built in code, for date-precise sweep tests.
import { OrgFile, type OrgFile as OrgFileType } from '../../lib/domain/org/org.ts';
import type { Runtime } from '../../lib/runtime.ts';
import type { NoticeLine } from '../../lib/domain/notice/notice.ts';
import type { RunRecord } from '../../lib/domain/runs/run.ts';
import { executeWorkflow } from '../../lib/adapters/local/workflow-runner.ts';
import type { SweepSummary } from '../../lib/usecases/sweep/report.ts';

export function smallOrg(evidence: Record<string, unknown>[], sweep?: Record<string, number>): OrgFileType {
  return OrgFile.parse({
    organisation: { id: 'kowloon-co', name: 'Kowloon Co', complianceContact: 'carol', ...(sweep ? { sweep } : {}) },
    people: [
      { id: 'carol', name: 'Carol Lam', email: 'carol@kowloon.example', language: 'en' },
      { id: 'mgr', name: '陳大文 Chan Tai Man', email: 'mgr@kowloon.example', language: 'zh-Hant', manager: 'carol' },
      { id: 'owen', name: 'Owen Ho', email: 'owen@kowloon.example', manager: 'mgr' },
    ],
    controls: [
      { id: 'A.5.15', title: 'Access control', owner: 'owen' },
      { id: 'A.8.13', title: 'Information backup', owner: 'owen' },
    ],
    evidence: evidence.map((e, i) => ({
      id: `ev-${i + 1}`,
      control: 'A.5.15',
      title: `Evidence ${i + 1}`,
      kind: 'access-review',
      location: `https://kowloon.example/evidence/${i + 1}`,
      collected: '2026-01-01',
      ...e,
    })),
  });
}

export interface SweepRun {
  /** The execution's output: what its Report step summed up from the plan and the sends. */
  summary: SweepSummary;
  /** The run as the sweep recorded it. */
  run: RunRecord;
}

/**
 * One execution of workflows/evidence-sweep.asl.json through the local executor, with
 * the handlers it declares: the Map's ItemSelector, MaxConcurrency and Catch are the
 * ones under test, not a copy of them.
 */
export async function sweepOnce(rt: Runtime, orgId: string, now: string, runName = `sweep-${now.slice(0, 10)}`): Promise<SweepRun> {
  const input = { orgId, runName, now: now.length === 10 ? `${now}T09:00:00.000Z` : now };
  const summary = (await executeWorkflow(rt, 'evidence-sweep', input)) as SweepSummary;
  const run = await rt.runs.get({ orgId, kind: 'evidence-sweep', name: runName });
  if (!run) throw new Error(`evidence sweep ${runName}: the execution left no run record`);
  return { summary, run };
}

/** One line of a notice mail, lapsed 12 days, with whatever a test needs changed. */
export function noticeLine(overrides: Partial<NoticeLine>): NoticeLine {
  return {
    stage: 'lapsed',
    controlId: 'A.5.1',
    controlTitle: 'Policies for information security',
    evidenceId: 'ev-1',
    evidenceTitle: 'Information security policy',
    evidenceLocation: 'https://docs.example.com/policy',
    validUntil: '2026-03-01',
    daysOverdue: 12,
    ownerName: 'Mei Chan',
    ...overrides,
  };
}
