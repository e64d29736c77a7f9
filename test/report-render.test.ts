// The report's renderer and the counts behind it, without a store: every chart named
// and described with its table, values escaped wherever they land (text, attributes,
// SVG), the same bytes for the same view, nothing a browser would fetch, both
// languages, and the pure summaries (month ends, evidence over time, gaps open on a
// past day).
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Gap } from '../lib/domain/gaps/gap.ts';
import { escapeText, formatNumber, grouped, html } from '../lib/domain/report/html.ts';
import { niceScale } from '../lib/domain/report/charts.ts';
import { CHART_IDS, REPORT_CSP, renderReport, shorten } from '../lib/domain/report/render.ts';
import { dataMapSection, freshnessOverTime, gapsSection, monthEnds } from '../lib/domain/report/summarise.ts';
import { gapsAsOf } from '../lib/domain/report/gaps-as-of.ts';
import { LABELS } from '../lib/domain/report/labels.ts';
import type { DataMap } from '../lib/domain/datamap/datamap.ts';
import type { EvidenceRecord } from '../lib/domain/org/org.ts';
import { allChartIds, chartOf, externalReferences, tableRows } from './support/report-html.ts';
import { syntheticView } from './support/report-view.ts';

const HOSTILE = `<script>alert("x")</script><img src=x onerror=alert(1)>" onmouseover="alert(2)' &amp;`;

describe('report rendering', () => {
  it('draws every chart as an <svg role="img"> named by its title and described by its desc, with its caption and a data table', () => {
    const doc = renderReport(syntheticView({ sources: 40 }));
    for (const id of allChartIds()) {
      const chart = chartOf(doc, id);
      expect(chart, id).toBeDefined();
      expect(chart!.svg).toMatch(/^<svg [^>]*role="img"/);
      expect(chart!.labelledBy, id).toEqual([chart!.title]);
      expect(chart!.describedBy, id).toEqual([chart!.desc]);
      expect(chart!.title.length, id).toBeGreaterThan(5);
      expect(chart!.desc.length, id).toBeGreaterThan(10);
      expect(chart!.caption, id).toBe(chart!.title);
      expect(chart!.hasTable, id).toBe(true);
    }
    // Every <svg> of the document is one of these charts: no picture without a name.
    expect((doc.match(/<svg\b/g) ?? []).length).toBe(allChartIds().length);
    // Ids in the document are unique.
    const ids = [...doc.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('escapes every value from the organisation and its records, in text, attributes and SVG', () => {
    const doc = renderReport(syntheticView({ sources: 30, inject: HOSTILE }));
    expect(doc).not.toMatch(/<script/i);
    expect(doc).not.toMatch(/<img/i);
    // No tag gained an event handler: the quotes that would end an attribute are escaped.
    expect((doc.match(/<[a-zA-Z][^>]*>/g) ?? []).filter((tag) => /\son\w+\s*=/i.test(tag))).toEqual([]);
    expect(doc).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(doc).toContain('&amp;amp;');
    // In the title, the heading, SVG text (factor chart labels are cut, so the desc) and tables.
    expect(/<title>([^<]*)<\/title>/.exec(doc)?.[1]).toContain('&lt;script&gt;');
    expect(chartOf(doc, CHART_IDS.riskFactors)!.desc).toContain('<script>alert("x")</script>');
    expect(escapeText(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(html`<p title="${'"><b>'}">${'<i>'}</p>`.html).toBe('<p title="&quot;&gt;&lt;b&gt;">&lt;i&gt;</p>');
  });

  it('renders the same view to the same bytes, also after a JSON round trip', () => {
    const view = syntheticView({ sources: 200 });
    const a = renderReport(view);
    expect(renderReport(view)).toBe(a);
    expect(renderReport(JSON.parse(JSON.stringify(view)))).toBe(a);
  });

  it('fetches nothing: no script, link, image, frame or URL but its own fragments, and a policy that forbids every request', () => {
    const doc = renderReport(syntheticView({ sources: 50 }));
    expect(externalReferences(doc)).toEqual([]);
    // The one absolute URL is the SVG namespace, which is a name, not a request.
    expect([...doc.matchAll(/https?:\/\/[^\s"'<)]+/g)].map((m) => m[0]).filter((u) => u !== 'http://www.w3.org/2000/svg')).toEqual([]);
    expect(doc).toContain(`<meta http-equiv="Content-Security-Policy" content="${escapeText(REPORT_CSP)}">`);
    expect(REPORT_CSP).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/]+=*'; img-src data:/);
    expect((doc.match(/<style>/g) ?? []).length).toBe(1);
    // The policy allows the style sheet by the hash of the element's exact text.
    const sheet = /<style>([\s\S]*?)<\/style>/.exec(doc)![1]!;
    expect(REPORT_CSP).toContain(`'sha256-${createHash('sha256').update(sheet).digest('base64')}'`);
    expect(doc).not.toMatch(/\sstyle="/);
    expect(doc).toContain('@media print');
    expect(doc).toContain('name="viewport"');
  });

  it('labels in Traditional Chinese when asked, leaving the data as written', () => {
    const en = renderReport(syntheticView({ sources: 20 }));
    const zh = renderReport(syntheticView({ sources: 20, language: 'zh-Hant' }));
    expect(en).toContain('<html lang="en">');
    expect(zh).toContain('<html lang="zh-Hant">');
    expect(chartOf(zh, CHART_IDS.freshness)!.title).toBe('按控制主題劃分的證據時效');
    expect(chartOf(en, CHART_IDS.freshness)!.title).toBe('Evidence freshness by control theme');
    expect(zh).toContain('Source 0 資料來源');
    expect([...tableRows(zh, '按控制主題劃分的證據時效').keys()]).toEqual(['組織', '人員', '實體', '技術']);
  });

  it('gives no clean bill for what is not known: no gap analysis yet, no control decided applicable', () => {
    const full = syntheticView({ sources: 5 });
    const zeroes = Object.fromEntries(['current', 'due-soon', 'lapsed', 'escalated', 'none'].map((f) => [f, 0]));
    const blank = {
      ...full,
      evidence: { byTheme: full.evidence.byTheme.map((r) => ({ ...r, ...zeroes })), overTime: full.evidence.overTime.map((p) => ({ ...p, ...zeroes })), attention: [] },
      gaps: { ...full.gaps, byFramework: full.gaps.byFramework.map((r) => ({ ...r, critical: 0, high: 0, medium: 0, low: 0 })), open: { critical: 0, high: 0, medium: 0, low: 0 }, analyses: [], latest: undefined },
    };
    const glance = (doc: string) => [...doc.matchAll(/<li><b>([^<]*)<\/b>([^<]*)<\/li>/g)].map((m) => `${m[1]} ${m[2]}`);
    const en = renderReport(blank);
    expect(glance(en)).toContain('— open gaps: no gap analysis had run');
    expect(glance(en)).toContain('0 controls decided applicable in the Statement of Applicability');
    expect(glance(en).some((g) => g.endsWith(' open gaps') || g.endsWith('controls with lapsed, escalated or no evidence'))).toBe(false);
    expect(en).toContain('No gap analysis had run by this day');
    expect(en).toContain('No control is decided applicable in the Statement of Applicability yet');
    expect(en).not.toContain('Every applicable control has current evidence.');
    expect(chartOf(en, CHART_IDS.gapsByFramework)).toBeUndefined();
    const zh = renderReport({ ...blank, language: 'zh-Hant' });
    expect(zh).toContain('截至當日尚未進行差距分析');
    expect(zh).not.toContain('所有適用的控制措施均有有效證據。');
    // with an analysis and applicable controls the counts are shown as before
    expect(glance(renderReport(full)).some((g) => /^[\d,]+ open gaps$/.test(g))).toBe(true);
  });

  it('counts the sources a scan could not read apart at a glance, and shows their declared storage marked as such', () => {
    const view = syntheticView({ sources: 8 }); // every fourth source not assessed: 2 of 8
    const glance = (doc: string) => [...doc.matchAll(/<li><b>([^<]*)<\/b>([^<]*)<\/li>/g)].map((m) => `${m[1]} ${m[2]}`);
    expect(glance(renderReport(view))).toContain('6 of 8 data sources mapped, 2 not assessed');
    expect(glance(renderReport({ ...view, language: 'zh-Hant' }))).toContain('6 / 8 個數據來源已繪製，2 個未能評估');
    const whole = { ...view, dataMap: { ...view.dataMap!, sources: view.dataMap!.sources.filter((r) => r.standing !== 'failed') } };
    expect(glance(renderReport(whole))).toContain('6 data sources mapped');

    const map: DataMap = {
      orgId: 'o',
      scanId: 's',
      scannedAt: '2026-11-30T02:00:00Z',
      sources: [
        { id: 'finance', platform: 'dingtalk', status: 'failed', reason: 'no permission' },
        { id: 'drive', platform: 'files', status: 'failed', reason: 'missing file', storage: { country: 'CN', jurisdiction: 'CN' } },
        { id: 'odd', platform: 'files', status: 'failed', reason: 'unknown region' },
      ],
    };
    const section = dataMapSection(map, new Map(), '2026-11-30 10:00', new Map([['finance', 'HK'], ['drive', 'HK']]));
    expect(section.sources.map((r) => [r.id, r.storedIn, r.storageDeclared ?? false])).toEqual([
      ['drive', 'CN', false], // the scan's own entry wins
      ['finance', 'HK', true],
      ['odd', 'unknown', false],
    ]);
    expect(section.storage.map((r) => [r.storedIn, r.failed])).toEqual([['HK', 1], ['CN', 1], ['unknown', 1]]);
    const doc = renderReport({ ...view, dataMap: section });
    expect(tableRows(doc, LABELS.en.allSources(3)).get('finance')![2]).toBe('Hong Kong (as declared; not scanned)');
  });

  it('labels the first column of the cross-border flows as where the transfer starts, not whose data it is', () => {
    const view = syntheticView({ sources: 20 });
    const columnsOf = (doc: string, caption: string) => {
      const t = [...doc.matchAll(/<table[^>]*><caption[^>]*>([\s\S]*?)<\/caption><thead>([\s\S]*?)<\/thead>/g)].find((m) => m[1]!.replace(/&#39;/g, "'") === caption);
      return [...(t?.[2] ?? '').matchAll(/<th scope="col">([^<]*)<\/th>/g)].map((m) => m[1]);
    };
    expect(columnsOf(renderReport(view), LABELS.en.charts.flowMap.title)).toEqual(['Transfer from', 'Stored in', 'Sources', 'Without a basis', 'Under a basis']);
    expect(columnsOf(renderReport({ ...view, language: 'zh-Hant' }), LABELS['zh-Hant'].charts.flowMap.title)[0]).toBe('轉移起點');
    // The people table is whose data it is.
    expect(columnsOf(renderReport(view), LABELS.en.peopleTable)[0]).toBe('Whose data');
  });

  it('writes numbers the same way everywhere', () => {
    expect(formatNumber(-0)).toBe('0');
    expect(formatNumber(1 / 3)).toBe('0.33');
    expect(formatNumber(2.5)).toBe('2.5');
    expect(grouped(2000)).toBe('2,000');
    expect(grouped(1234567.5)).toBe('1,234,567.5');
    expect(niceScale(17)).toEqual({ max: 20, step: 5, ticks: [0, 5, 10, 15, 20] });
    expect(niceScale(0).max).toBe(1);
    expect(shorten('DingTalk HR groups (人事部, 薪酬组)', 25)).toBe('DingTalk HR groups (人事…');
    expect(shorten('short', 25)).toBe('short');
  });
});

describe('report summaries', () => {
  it('takes the last day of every month up to the as-of day', () => {
    expect(monthEnds('2025-01-01', '2025-03-15')).toEqual(['2025-01-31', '2025-02-28', '2025-03-15']);
    expect(monthEnds('2024-12-01', '2025-01-31')).toEqual(['2024-12-31', '2025-01-31']);
    expect(monthEnds('2026-01-01', '2026-01-01')).toEqual(['2026-01-01']);
  });

  it("counts a control's evidence over time by the items' own dates, a renewed item until its renewal was collected", () => {
    const policy = { dueSoonDays: 14, escalateAfterDays: 7, reminderEveryDays: 7 };
    const item = (id: string, collected: string, validUntil: string, extra: Partial<EvidenceRecord> = {}): EvidenceRecord => ({
      id, control: 'A.5.1', title: 't', kind: 'policy', location: 'https://x.example', collected, validUntil, owner: 'p', retired: false, origin: 'file', ...extra,
    });
    const evidence = [item('old', '2026-01-01', '2026-06-30', { renewedBy: 'new' }), item('new', '2026-07-05', '2027-06-30', { origin: 'answer', renews: 'old' }), item('gone', '2026-01-01', '2026-02-01', { control: 'A.5.2', retired: true })];
    const days = ['2025-12-31', '2026-06-20', '2026-07-03', '2026-07-31'];
    const rows = freshnessOverTime(evidence, ['A.5.1', 'A.5.2'], days, policy);
    expect(rows.map((r) => [r.date, r.current, r['due-soon'], r.lapsed, r.escalated, r.none])).toEqual([
      ['2025-12-31', 0, 0, 0, 0, 2], // nothing collected yet
      ['2026-06-20', 0, 1, 0, 0, 1], // 10 days before its end: due soon; the retired item never counts
      ['2026-07-03', 0, 0, 1, 0, 1], // 3 days past its end, the renewal not yet collected
      ['2026-07-31', 1, 0, 0, 0, 1], // renewed
    ]);
  });

  it('counts the gaps open on a past day: opened by then, and open now or closed after it', () => {
    const gap = (id: string, status: Gap['status'], openedAt: string, closedAt?: string): Gap => ({
      id, rule: 'no-audit-log', subject: { kind: 'platform', id }, severity: 'high', requirements: [{ framework: 'gdpr', id: 'Art.32' }, { framework: 'iso27001', id: 'A.8.15' }, { framework: 'iso27001', id: 'A.8.16' }],
      facts: {}, owner: 'p', remedy: 'r', status, openedAt, ...(closedAt ? { closedAt } : {}), changedBy: 'a', lastChange: 'opened', reopened: 0,
    });
    const gaps = [gap('a', 'open', '2026-09-01T02:00:00Z'), gap('b', 'closed', '2026-09-01T02:00:00Z', '2026-10-15T02:00:00Z'), gap('c', 'closed', '2026-08-01T02:00:00Z', '2026-09-10T02:00:00Z'), gap('d', 'open', '2026-10-20T02:00:00Z')];
    const on = (day: string) => gapsSection(gapsAsOf(gaps, [], [], [], day, 'Asia/Hong_Kong'), [], day, '2025-01-01', 'Asia/Hong_Kong');
    const onSeptember30 = on('2026-09-30');
    expect(onSeptember30.open.high).toBe(2); // a and b
    expect(onSeptember30.byFramework).toEqual([
      { framework: 'pdpo', critical: 0, high: 0, medium: 0, low: 0 },
      { framework: 'gdpr', critical: 0, high: 2, medium: 0, low: 0 },
      { framework: 'iso27001', critical: 0, high: 2, medium: 0, low: 0 }, // once per gap, however many controls
    ]);
    expect(on('2026-11-30').open.high).toBe(2); // a and d
  });
});
