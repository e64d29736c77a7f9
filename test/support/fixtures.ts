// Small organisations built in code, for date-precise sweep tests.
import { OrgFile, type OrgFile as OrgFileType } from '../../lib/domain/org/org.ts';
import type { Runtime } from '../../lib/runtime.ts';
import type { NoticeLine } from '../../lib/domain/notice/notice.ts';
import type { PlanResult, SendResult } from '../../lib/usecases/sweep/events.ts';
import { planSweep } from '../../lib/usecases/sweep/plan.ts';
import { reportSweep, type SweepSummary } from '../../lib/usecases/sweep/report.ts';
import { sendBatch } from '../../lib/usecases/sweep/send.ts';

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
  plan: PlanResult;
  sends: SendResult[];
  summary: SweepSummary;
}

/** The sweep's three steps, as the workflow runs them, without the state machine. */
export async function sweepOnce(rt: Runtime, orgId: string, now: string, runName = `sweep-${now.slice(0, 10)}`): Promise<SweepRun> {
  const input = { orgId, runName, now: now.length === 10 ? `${now}T09:00:00.000Z` : now };
  const plan = await planSweep(rt, input);
  const batches = await Promise.all(plan.batches.map((b) => sendBatch(rt, { ...input, recipients: b.recipients, organisationName: plan.organisationName })));
  const summary = await reportSweep(rt, { ...input, plan, sends: batches });
  const sends = batches.flat();
  return { plan, sends, summary };
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
