// The report against DynamoDB Local, on the sample organisation after its cycle (the
// import, the data-mapping scan and the gap analysis it starts, the 2026-Q4 review
// partly answered from answers.yaml), through the real ASL files: every section and
// chart present, named and described with its table; the numbers those of the store
// (the review's own summary, the Statement of Applicability, the gaps, the analyses,
// the data map, the risk); the same bytes every time; names and titles with <script>
// in them shown as text; the command writing the same file whole, in either language;
// a past quarter reported as of its last day.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { CHART_IDS, renderReport, SECTION_IDS } from '../lib/domain/report/render.ts';
import { LABELS } from '../lib/domain/report/labels.ts';
import { FRESHNESS, REVIEW_OUTCOMES, type ReportView } from '../lib/domain/report/view.ts';
import type { Runtime } from '../lib/runtime.ts';
import { InputError } from '../lib/errors.ts';
import { assessRiskOf } from '../lib/usecases/gaps/risk.ts';
import { gatherReport } from '../lib/usecases/report/gather.ts';
import { showReview, soaOf } from '../lib/usecases/review/show.ts';
import { allChartIds, chartOf, externalReferences, tableRows } from './support/report-html.ts';
import { testRuntime } from './support/local-store.ts';
import { HOSTILE_ORG, hostileFile, NOW, ORG, runCycle, sampleFile } from './support/report-sample.ts';
import { tempDir } from './support/temp-dir.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const EN = LABELS.en;

const num = (cell: string | undefined) => Number((cell ?? '').replace(/,/g, ''));

function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of ['DYNAMODB_ENDPOINT', 'COMPLIANCE_TABLE', 'COMPLIANCE_NOW', 'DEBUG', 'NODE_OPTIONS']) delete env[key];
  return new Promise((resolve) => {
    execFile(process.execPath, ['lib/cli/main.mjs', ...args], { cwd: ROOT, env, timeout: 60_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
  });
}

describe('the report on the sample organisation after its cycle', () => {
  let rt: Runtime;
  let view: ReportView;
  let doc: string;

  beforeAll(async () => {
    rt = await testRuntime();
    await runCycle(rt, sampleFile());
    await runCycle(rt, hostileFile());
    view = await gatherReport(rt, ORG, { now: NOW });
    doc = renderReport(view);
  }, 300_000);

  it('has every section and every chart, each an <svg role="img"> named and described, with its caption and data table', () => {
    expect(view).toMatchObject({ period: '2026-Q4', asOf: '2026-11-30', language: 'en', history: { from: '2025-01-01', to: '2026-11-30' } });
    for (const id of Object.values(SECTION_IDS)) expect(doc, id).toMatch(new RegExp(`<section class="part" id="${id}" aria-labelledby="${id}-h"><h2 id="${id}-h">`));
    for (const id of allChartIds()) {
      const chart = chartOf(doc, id);
      expect(chart, id).toBeDefined();
      expect(chart!.svg, id).toMatch(/^<svg [^>]*role="img"/);
      expect(chart!.title, id).toBe(chart!.caption);
      expect(chart!.title.length, id).toBeGreaterThan(10);
      expect(chart!.desc.length, id).toBeGreaterThan(20);
      expect(chart!.hasTable, id).toBe(true);
    }
    expect((doc.match(/<svg\b/g) ?? []).length).toBe(allChartIds().length);
    expect(externalReferences(doc)).toEqual([]);
  });

  it("shows the review's counts by theme as the review's own summary has them, in the chart's table too", async () => {
    const shown = await showReview(rt, ORG, '2026-Q4', NOW);
    const summary = shown.review.summary;
    const review = view.review!;
    expect(review.tasks).toBe(summary.tasks);
    expect(review.tasks).toBe(28);
    for (const row of review.byTheme) {
      for (const o of REVIEW_OUTCOMES) expect(row[o], `${row.theme} ${o}`).toBe(summary.byTheme[row.theme]?.[o] ?? 0);
    }
    expect(Object.keys(summary.byTheme).every((t) => review.byTheme.some((r) => r.theme === t))).toBe(true);
    expect(review.overdueOwners.map((o) => o.id)).toEqual(summary.overdueOwners);
    // answers.yaml: 6 answered, one of them not effective (A.8.8).
    expect(REVIEW_OUTCOMES.filter((o) => o !== 'open' && o !== 'unanswered').reduce((t, o) => t + review.byTheme.reduce((s, r) => s + r[o], 0), 0)).toBe(6);
    expect(review.attention.map((a) => [a.control, a.outcome])).toEqual([['A.8.8', 'not-effective']]);

    const rows = tableRows(chartOf(doc, CHART_IDS.review)!.figure, EN.charts.review.title);
    for (const row of review.byTheme) {
      const cells = rows.get(EN.theme_[row.theme])!;
      expect(REVIEW_OUTCOMES.map((_, i) => num(cells[i]))).toEqual(REVIEW_OUTCOMES.map((o) => summary.byTheme[row.theme]?.[o] ?? 0));
    }
  });

  it('shows evidence freshness by theme as the Statement of Applicability has it, and its last month as the as-of day', async () => {
    const soa = (await soaOf(rt, ORG, NOW)).filter((r) => r.applicable === true);
    for (const row of view.evidence.byTheme) {
      for (const f of FRESHNESS) expect(row[f], `${row.theme} ${f}`).toBe(soa.filter((r) => r.theme === row.theme && r.evidenceStatus === f).length);
    }
    const total = (r: Record<string, unknown>) => FRESHNESS.reduce((t, f) => t + (r[f] as number), 0);
    expect(view.evidence.byTheme.reduce((t, r) => t + total(r), 0)).toBe(30);
    expect(view.evidence.overTime).toHaveLength(23);
    const last = view.evidence.overTime.at(-1)!;
    expect(last.date).toBe('2026-11-30');
    for (const f of FRESHNESS) expect(last[f], f).toBe(soa.filter((r) => r.evidenceStatus === f).length);
    expect(view.evidence.attention.map((a) => a.control).sort()).toEqual(soa.filter((r) => ['lapsed', 'escalated', 'none'].includes(r.evidenceStatus)).map((r) => r.id).sort());

    const rows = tableRows(chartOf(doc, CHART_IDS.freshness)!.figure, EN.charts.freshness.title);
    for (const row of view.evidence.byTheme) expect(FRESHNESS.map((_, i) => num(rows.get(EN.theme_[row.theme])![i]))).toEqual(FRESHNESS.map((f) => row[f]));
  });

  it('shows the gaps open by severity and framework, and every analysis with what it changed', async () => {
    const gaps = await rt.gaps.all(ORG);
    const open = gaps.filter((g) => g.status === 'open');
    for (const s of ['critical', 'high', 'medium', 'low'] as const) expect(view.gaps.open[s], s).toBe(open.filter((g) => g.severity === s).length);
    for (const row of view.gaps.byFramework) {
      expect(row.high + row.critical + row.medium + row.low, row.framework).toBe(open.filter((g) => g.requirements.some((r) => r.framework === row.framework)).length);
    }
    const latest = (await rt.gaps.latestAnalysis(ORG))!;
    expect(view.gaps.analyses).toEqual([
      {
        id: latest.id,
        date: '2026-11-30',
        dataMap: latest.dataMap,
        opened: latest.changes.opened,
        reopened: latest.changes.reopened,
        closed: latest.changes.closed,
        expired: latest.changes.expired,
        accepted: latest.changes.accepted,
        open: latest.counts.open,
        scores: { pdpo: latest.scores.pdpo.score, gdpr: latest.scores.gdpr.score, iso27001: latest.scores.iso27001.score },
      },
    ]);
    expect(latest.counts.open).toBe(open.length);
    // The store's list of analyses, without the ids they changed.
    const listed = await rt.gaps.analyses(ORG);
    expect(listed.map((a) => a.id)).toEqual([latest.id]);
    expect(listed[0]).not.toHaveProperty('opened');
    const rows = tableRows(chartOf(doc, CHART_IDS.gapTrend)!.figure, EN.charts.gapTrend.title);
    expect(num(rows.get('2026-11-30')![1])).toBe(latest.changes.opened);
  });

  it("shows the data map's sources, ratings and cross-border flows, and each source's three factors as the risk command gives them", async () => {
    const map = (await rt.dataMaps.previous(ORG))!;
    const d = view.dataMap!;
    expect(d.scanId).toBe(map.scanId);
    expect(d.sources.map((s) => s.id)).toEqual(map.sources.map((s) => s.id).sort());
    for (const rating of ['red', 'amber', 'green'] as const) {
      expect(d.storage.reduce((t, r) => t + r[rating], 0), rating).toBe(map.sources.filter((s) => s.status === 'scanned' && s.rating === rating).length);
    }
    const flows = map.sources.flatMap((s) => (s.status === 'scanned' ? s.flows : []));
    expect(d.flows.reduce((t, f) => t + f.flagged, 0)).toBe(flows.filter((f) => f.status === 'flagged').length);
    expect(d.flows.reduce((t, f) => t + f.covered, 0)).toBe(flows.filter((f) => f.status === 'covered').length);
    // HR and finance groups, both stored in the mainland: transfers out of Hong Kong, whoever their people are.
    expect(d.flows.find((f) => f.from === 'HK' && f.to === 'CN')).toMatchObject({ flagged: 2 });

    const risk = await assessRiskOf(rt, ORG, NOW);
    const strip = (r: { id: string; tier: string; score: number; factors: unknown }) => ({ id: r.id, tier: r.tier, score: r.score, factors: r.factors });
    expect(view.risk!.sources.map(strip).sort((a, b) => (a.id < b.id ? -1 : 1))).toEqual(risk.sources.map(strip).sort((a, b) => (a.id < b.id ? -1 : 1)));
    expect(view.risk!.groups.map((g) => g.id).sort()).toEqual(risk.groups.map((g) => g.id).sort());
    const rows = tableRows(chartOf(doc, CHART_IDS.riskFactors)!.figure, EN.charts.riskFactors.title);
    const hr = risk.sources.find((s) => s.id === 'dingtalk-hr')!;
    expect(rows.get('DingTalk HR groups (人事部, 薪酬组)')!.slice(0, 4).map(num)).toEqual([hr.factors.sensitivity.score, hr.factors.role.score, hr.factors.mobility.score, hr.score]);
  });

  it('is the same bytes when gathered and rendered again', async () => {
    const again = renderReport(await gatherReport(rt, ORG, { now: NOW }));
    expect(again).toBe(doc);
    expect(doc).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/); // no time stamp of its making
  });

  it('shows a script in a name or title from the organisation file or the table as text', async () => {
    const hostileDoc = renderReport(await gatherReport(rt, HOSTILE_ORG, { now: NOW }));
    expect(hostileDoc).not.toMatch(/<script/i);
    expect(hostileDoc).not.toMatch(/<img/i);
    expect((hostileDoc.match(/<[a-zA-Z][^>]*>/g) ?? []).filter((tag) => /\son\w+\s*=/i.test(tag))).toEqual([]);
    for (const what of ['org', 'source', 'group']) expect(hostileDoc, what).toContain(`&lt;script&gt;alert(&quot;${what}&quot;)&lt;/script&gt;`);
    expect(hostileDoc).toContain('張志強 &lt;img src=x onerror=alert(&quot;person&quot;)&gt;');
    // A control is titled by the catalogue, not by the organisation file's wording (which held the script).
    expect(tableRows(hostileDoc, EN.attention.review).get('A.8.8')![0]).toBe('Technical vulnerabilities');
    expect(hostileDoc).not.toContain(`alert(&quot;control&quot;)`);
  });

  it('writes the same report from the command line, whole, in either language; a folder that does not exist is refused', async () => {
    const dir = tempDir('report-');
    const out = path.join(dir, 'report.html');
    const common = ['--endpoint', inject('dynamoEndpoint'), '--table', rt.store.table, '--now', '2026-11-30', 'report', '--org', ORG];
    const r = await runCli([...common, '--out', out, '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(doc);
    expect(JSON.parse(r.stdout)).toMatchObject({ out, bytes: Buffer.byteLength(doc), orgId: ORG, period: '2026-Q4', asOf: '2026-11-30', language: 'en' });
    expect(readdirSync(dir)).toEqual(['report.html']); // no temporary file left

    const zh = await runCli([...common, '--lang', 'zh-Hant', '--period', '2026-Q4', '--out', out]);
    expect(zh.code).toBe(0);
    const zhDoc = readFileSync(out, 'utf8');
    expect(zhDoc).toBe(renderReport(await gatherReport(rt, ORG, { now: NOW, period: '2026-Q4', language: 'zh-Hant' })));
    expect(chartOf(zhDoc, CHART_IDS.review)!.title).toBe(LABELS['zh-Hant'].charts.review.title);

    const missing = await runCli([...common, '--out', path.join(dir, 'no-such-folder', 'report.html')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such folder');
    const badPeriod = await runCli([...common, '--period', '2026-Q5', '--out', out]);
    expect(badPeriod.code).toBe(2);
    expect(badPeriod.stderr).toContain('--period: "2026-Q5" must be a quarter written YYYY-Qn');
    expect(existsSync(path.join(dir, 'no-such-folder'))).toBe(false);
  });

  it('reports a past quarter as of its last day, and refuses a quarter that has not begun', async () => {
    const q3 = await gatherReport(rt, ORG, { now: NOW, period: '2026-Q3' });
    expect(q3).toMatchObject({ period: '2026-Q3', asOf: '2026-09-30' });
    // The scan, its gaps and the review all came later.
    expect(q3.dataMap).toBeUndefined();
    expect(q3.risk).toBeUndefined();
    expect(q3.review).toBeUndefined();
    expect(q3.gaps.analyses).toEqual([]);
    expect(q3.evidence.overTime.at(-1)!.date).toBe('2026-09-30');
    // By theme and at a glance as over time: the evidence of 2026-09-30, not today's register.
    const { date: _day, ...lastMonth } = q3.evidence.overTime.at(-1)!;
    expect(Object.fromEntries(FRESHNESS.map((f) => [f, q3.evidence.byTheme.reduce((t, r) => t + r[f], 0)]))).toEqual(lastMonth);
    const collectedLater = ['A.5.7', 'A.8.1', 'A.8.16', 'A.8.24'];
    expect(q3.evidence.attention.filter((a) => collectedLater.includes(a.control)).map((a) => [a.control, a.status])).toEqual(collectedLater.map((c) => [c, 'none']));
    const q3Doc = renderReport(q3);
    expect(q3Doc).not.toContain(EN.attention.noneEvidence);
    expect(q3Doc).toContain(EN.intro.noDataMap);
    expect(q3Doc).toContain(EN.intro.noReview('2026-Q3'));
    await expect(gatherReport(rt, ORG, { now: NOW, period: '2027-Q1' })).rejects.toThrow(InputError);
  });
});
