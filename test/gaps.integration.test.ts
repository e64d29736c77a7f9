// The gap analysis against DynamoDB Local, through the real ASL files: a scan starts
// its analysis; a second analysis after one source moved to a compliant platform
// closes exactly that source's gaps and keeps the others under the same ids; an
// accepted gap counts as accepted until its date, then reopens; with no data map
// the analysis fails saying so, never reporting a clean bill.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { executeWorkflow } from '../lib/adapters/local/workflow-runner.ts';
import { OrgFile } from '../lib/domain/org/org.ts';
import type { Runtime } from '../lib/runtime.ts';
import { importOrganisationFile } from '../lib/usecases/org/import.ts';
import { runRequest } from '../lib/workflows/declarations.ts';
import { testRuntime } from './support/local-store.ts';
import { tempDir } from './support/temp-dir.ts';

const ORG = 'kowloon-co';

/** Kowloon Co: payroll chat (HK identity numbers, payroll words) and a rota, both on the mainland standard tenant. */
function kowloon(dir: string, changes: { payrollPlatform?: string; acceptances?: unknown[] } = {}) {
  writeFileSync(path.join(dir, 'payroll.csv'), 'group,sender,time,content\nPayroll,Fiona,2026-11-02 09:00,新同事身份證A123456(3)，月薪 salary HKD 30000\n');
  writeFileSync(path.join(dir, 'rota.csv'), 'group,sender,time,content\nRota,Frank,2026-11-02 10:00,shift swap ok\n');
  return OrgFile.parse({
    organisation: { id: ORG, name: 'Kowloon Co', complianceContact: 'carol' },
    people: [
      { id: 'carol', name: 'Carol', email: 'carol@kowloon.example', role: 'legal' },
      { id: 'fiona', name: 'Fiona', email: 'fiona@kowloon.example', role: 'finance' },
    ],
    platforms: [
      { id: 'dingtalk-standard', name: 'DingTalk standard', storage: { region: 'cn-hangzhou', provider: 'alibaba' }, e2ee: 'none', auditLog: 'none', externalSharing: 'open' },
      { id: 'dingtalk-hk', name: 'DingTalk Exclusive HK', storage: { region: 'cn-hongkong', provider: 'alibaba' }, e2ee: 'default', auditLog: 'api', siem: true, retentionDays: 365, externalSharing: 'restricted' },
    ],
    sources: [
      {
        id: 'payroll',
        name: 'Payroll chat',
        platform: changes.payrollPlatform ?? 'dingtalk-standard',
        kind: 'chat-table',
        path: path.join(dir, 'payroll.csv'),
        owner: 'fiona',
        processing: { purpose: 'Pay staff', lawfulBasis: 'contract', retentionDays: 2555 },
      },
      { id: 'rota', name: 'Rota', platform: 'dingtalk-standard', kind: 'chat-table', path: path.join(dir, 'rota.csv') },
    ],
    groups: [{ source: 'payroll', name: 'Payroll', owner: 'fiona', members: ['fiona'], externalMembers: 1 }],
    acceptances: changes.acceptances ?? [],
  });
}

/** Scans for the month of `day`; the scan's last step starts its gap analysis. */
async function scan(rt: Runtime, day: string) {
  const { input, name } = runRequest('data-mapping-scan', ORG, new Date(`${day}T02:00:00Z`));
  await executeWorkflow(rt, 'data-mapping-scan', input);
  const analysisName = name.replace('data-mapping-scan-', 'gap-analysis-');
  expect((await rt.runs.get({ orgId: ORG, kind: 'gap-analysis', name: analysisName }))?.status).toBe('succeeded');
  const analysis = await rt.gaps.latestAnalysis(ORG);
  expect(analysis?.id).toBe(analysisName);
  return { analysis: analysis!, gaps: await rt.gaps.all(ORG) };
}

const open = (gaps: { id: string; status: string }[]) => gaps.filter((g) => g.status === 'open').map((g) => g.id).sort();

describe('gap analysis workflow', () => {
  it('runs after each scan; moving a source to a compliant platform closes exactly its gaps and keeps the others', async () => {
    const rt = await testRuntime();
    const dir = tempDir('gaps-');
    await importOrganisationFile(rt, kowloon(dir), 'import:test', '2026-11-01T00:00:00Z');
    const november = await scan(rt, '2026-11-01');
    const payrollGaps = [
      'cross-border-without-basis:source:payroll',
      'external-sharing-open:source:payroll',
      'platform-unfit-for-tier:source:payroll',
      'red-without-e2ee:source:payroll',
    ];
    expect(open(november.gaps)).toEqual(expect.arrayContaining([...payrollGaps, 'no-audit-log:platform:dingtalk-standard']));
    expect(open(november.gaps).some((id) => id.startsWith('red-group-external-members:group:payroll#'))).toBe(true);
    expect(november.analysis).toMatchObject({ dataMap: 'data-mapping-scan-kowloon-co-2026-11', closed: [], reopened: [] });
    expect(november.analysis.opened).toEqual(open(november.gaps));
    expect(november.analysis.scores.pdpo.score).toBeLessThan(1);
    // Hong Kong identity numbers only: the GDPR does not apply, and is not scored.
    expect(november.analysis.scores.gdpr).toEqual({ applicable: 0, met: 0, score: 1, notApplicable: expect.stringContaining('EU/EEA') });
    expect(november.gaps.flatMap((g) => g.requirements).filter((r) => r.framework === 'gdpr')).toEqual([]);

    await importOrganisationFile(rt, kowloon(dir, { payrollPlatform: 'dingtalk-hk' }), 'import:test', '2026-11-20T00:00:00Z');
    const december = await scan(rt, '2026-12-01');
    expect(december.analysis.closed).toEqual([...payrollGaps, 'no-audit-log:platform:dingtalk-standard'].sort());
    expect(december.analysis.opened).toEqual([]);
    // What stays open keeps its id and the day it opened.
    const kept = open(november.gaps).filter((id) => !december.analysis.closed.includes(id));
    expect(open(december.gaps)).toEqual(kept);
    for (const id of kept) expect(december.gaps.find((g) => g.id === id)?.openedAt).toBe('2026-11-01T02:00:00.000Z');
    expect(december.gaps.find((g) => g.id === 'red-without-e2ee:source:payroll')).toMatchObject({ status: 'closed', closedAt: '2026-12-01T02:00:00.000Z', closedBy: 'remediated: no longer found' });
    expect(december.analysis.scores.pdpo.score).toBeGreaterThan(november.analysis.scores.pdpo.score);
    const audit = await rt.audit.read(ORG);
    expect(audit.filter((e) => e.event === 'gap.closed').map((e) => e.subject).sort()).toEqual(december.analysis.closed.map((id) => `GAP#${id}`));
  });

  it('holds an accepted gap until its date, then reopens it; an analysis run again adds nothing twice', async () => {
    const rt = await testRuntime();
    const dir = tempDir('gaps-');
    const accepted = 'red-without-e2ee:source:payroll';
    const acceptances = [{ gap: accepted, reason: 'Moving to the HK tenant in Q1', approvedBy: 'carol', until: '2026-12-31' }];
    await importOrganisationFile(rt, kowloon(dir, { acceptances }), 'import:test', '2026-11-01T00:00:00Z');
    const november = await scan(rt, '2026-11-01');
    expect(november.gaps.find((g) => g.id === accepted)).toMatchObject({ status: 'accepted', acceptance: { until: '2026-12-31', approvedBy: 'carol' } });
    expect(november.analysis.accepted).toEqual([accepted]);

    const december = await scan(rt, '2026-12-31');
    expect(december.gaps.find((g) => g.id === accepted)?.status).toBe('accepted');
    expect(december.analysis.expired).toEqual([]);

    const january = await scan(rt, '2027-01-02');
    expect(january.analysis.expired).toEqual([accepted]);
    expect(january.gaps.find((g) => g.id === accepted)).toMatchObject({ status: 'open' });

    // The same analysis again (a retried Lambda): the same changes, no audit entry twice.
    const audited = (await rt.audit.read(ORG)).length;
    const { input } = runRequest('gap-analysis', ORG, new Date('2027-01-02T02:00:00Z'));
    await executeWorkflow(rt, 'gap-analysis', input);
    expect((await rt.gaps.latestAnalysis(ORG))?.expired).toEqual([accepted]);
    expect((await rt.audit.read(ORG)).length - audited).toBe(2); // the run's start and finish, nothing about gaps
  });

  it('with no data map yet, fails saying so and records no analysis', async () => {
    const rt = await testRuntime();
    await importOrganisationFile(rt, kowloon(tempDir('gaps-')), 'import:test', '2026-11-01T00:00:00Z');
    const { input, name } = runRequest('gap-analysis', ORG, new Date('2026-11-01T02:00:00Z'));
    await expect(executeWorkflow(rt, 'gap-analysis', input)).rejects.toMatchObject({ name: 'ExecutionError' });
    const run = await rt.runs.get({ orgId: ORG, kind: 'gap-analysis', name });
    expect(run?.status).toBe('failed');
    expect(run?.error).toMatch(/no data map of "kowloon-co" yet: run a data-mapping scan first/);
    expect(await rt.gaps.latestAnalysis(ORG)).toBeUndefined();
    expect(await rt.gaps.all(ORG)).toEqual([]);
  });
});
