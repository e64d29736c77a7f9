// A past quarter's report against DynamoDB Local, on the sample organisation: the
// WhatsApp gap is accepted until 2027-03-31. The 2026-Q4 report made on 2026-12-31 and
// made again after the 2027-04-01 analysis (which finds that acceptance run out) is the
// same: the gap counts as accepted on 2026-12-31, as it stood then.
import { beforeAll, describe, expect, it } from 'vitest';
import { executeWorkflow } from '../lib/adapters/local/workflow-runner.ts';
import { renderReport } from '../lib/domain/report/render.ts';
import type { ReportView } from '../lib/domain/report/view.ts';
import type { Runtime } from '../lib/runtime.ts';
import { gatherReport } from '../lib/usecases/report/gather.ts';
import { runRequest } from '../lib/workflows/declarations.ts';
import { testRuntime } from './support/local-store.ts';
import { ORG, runCycle, sampleFile } from './support/report-sample.ts';

const WHATSAPP = 'no-audit-log:platform:whatsapp';
const DEC31 = new Date('2026-12-31T09:00:00Z');
const APR1 = new Date('2027-04-01T09:00:00Z');

describe("a past quarter's report after an acceptance ran out", () => {
  let rt: Runtime;
  let onDec31: ReportView;

  beforeAll(async () => {
    rt = await testRuntime();
    await runCycle(rt, sampleFile());
    onDec31 = await gatherReport(rt, ORG, { now: DEC31, period: '2026-Q4' });
    await executeWorkflow(rt, 'gap-analysis', runRequest('gap-analysis', ORG, APR1).input);
  }, 300_000);

  it('counted the WhatsApp gap as accepted on 2026-12-31, and the analysis of 2027-04-01 found its acceptance run out', async () => {
    expect(onDec31.asOf).toBe('2026-12-31');
    expect(onDec31.gaps.accepted.high).toBe(1);
    const latest = await rt.gaps.latestAnalysis(ORG);
    expect(latest?.asOf).toBe(APR1.toISOString());
    expect(latest?.expired).toContain(WHATSAPP);
    expect((await rt.gaps.all(ORG)).find((g) => g.id === WHATSAPP)?.status).toBe('open');
  });

  it('made again later, says the same of 2026-Q4: the gaps as they stood on its last day', async () => {
    const onApr1 = await gatherReport(rt, ORG, { now: APR1, period: '2026-Q4' });
    expect(onApr1.gaps).toEqual(onDec31.gaps);
    expect(onApr1.gaps.accepted.high).toBe(1);
    expect(renderReport(onApr1)).toBe(renderReport(onDec31));
  });

  it('counts the acceptance on its last day (2027-Q1, as of 2027-03-31), and not after it (2027-Q2, today)', async () => {
    const q1 = await gatherReport(rt, ORG, { now: APR1, period: '2027-Q1' });
    expect(q1.asOf).toBe('2027-03-31');
    expect(q1.gaps.accepted.high).toBe(1);
    const q2 = await gatherReport(rt, ORG, { now: APR1, period: '2027-Q2' });
    expect(q2.asOf).toBe('2027-04-01');
    expect(q2.gaps.accepted).toEqual({ critical: 0, high: 0, medium: 0, low: 0 });
  });
});
