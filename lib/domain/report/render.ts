// The report as one self-contained HTML file: `renderReport(view)` takes the plain
// view model (./view.ts) and returns the document as a string, with its style sheet
// and every chart inline (SVG), no script, no font, no image and nothing fetched: its
// own Content-Security-Policy forbids any request. Every value from the organisation
// and its records goes in through the escaping template (./html.ts). Pure and
// deterministic: the same view gives the same bytes (no clock; the only date is the
// data's as-of day).
import { createHash } from 'node:crypto';
import { SEVERITIES } from '../gaps/gap.ts';
import { columns, dataDetails, factorRows, figure, legend, stackedBars, table, type Frame, type Series, type TableRow } from './charts.ts';
import { flowMap } from './flow-map.ts';
import { grouped, html, join, percent, trusted, type Interpolated, type Markup } from './html.ts';
import { LABELS, type Labels } from './labels.ts';
import { REPORT_STYLE } from './style.ts';
import { FRESHNESS, REVIEW_OUTCOMES, type DataMapSourceRow, type Freshness, type MapStanding, type ReportView, type ReviewOutcome, type RiskRow } from './view.ts';

/** The policy the document carries (and a page serving it may send as a header): nothing may be fetched; only its own style sheet applies (hashed as the <style> element holds it, exactly). */
export const REPORT_CSP = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(REPORT_STYLE).digest('base64')}'; img-src data:; base-uri 'none'; form-action 'none'`;

/** Every chart's id, in the order they appear (a section without its data has none). */
export const CHART_IDS = {
  storage: 'chart-storage',
  flows: 'chart-flows',
  freshness: 'chart-freshness',
  freshnessOverTime: 'chart-freshness-time',
  gapsByFramework: 'chart-gaps',
  gapTrend: 'chart-gap-trend',
  review: 'chart-review',
  riskScores: 'chart-risk-scores',
  riskFactors: 'chart-risk-factors',
} as const;

export const SECTION_IDS = { dataMap: 'data-map', evidence: 'evidence', gaps: 'gaps', review: 'review', risk: 'risk' } as const;

/** How many of the highest-risk sources the factor chart draws (the table lists all). */
const FACTOR_ROWS = 12;
/** The scores three factors of 1 to 3 can multiply to. */
const SCORES = [1, 2, 3, 4, 6, 8, 9, 12, 18, 27] as const;

const STANDINGS: readonly MapStanding[] = ['red', 'amber', 'green', 'failed'];
const cls = (key: string) => `f-${key}`;
const sum = (values: readonly number[]) => values.reduce((t, v) => t + v, 0);

/** At most `max` units wide, a wide (CJK, full-width) character counting two, with an ellipsis when cut. */
export function shorten(text: string, max: number): string {
  const width = (c: string) => ((c.codePointAt(0) ?? 0) >= 0x2e80 ? 2 : 1);
  const chars = Array.from(text);
  if (chars.reduce((w, c) => w + width(c), 0) <= max) return text;
  let used = 1; // the ellipsis
  let out = '';
  for (const c of chars) {
    if (used + width(c) > max) break;
    used += width(c);
    out += c;
  }
  return `${out}…`;
}

/** "Red 3, Amber 1": the non-zero counts of a row, for a chart's description. */
function spoken<K extends string>(l: Labels, series: readonly Series<K>[], values: Readonly<Record<K, number>>): string {
  const parts = series.filter((s) => (values[s.key] ?? 0) > 0).map((s) => `${s.label} ${grouped(values[s.key])}`);
  return parts.length ? parts.join(l.comma) : l.none;
}

function rowsSpoken<K extends string>(l: Labels, series: readonly Series<K>[], rows: readonly { label: string; values: Readonly<Record<K, number>> }[]): string {
  return rows.map((r) => l.pair(r.label, spoken(l, series, r.values))).join(l.listJoin) + (rows.length ? l.stop : '');
}

function seriesTable<K extends string>(l: Labels, caption: string, head: string, series: readonly Series<K>[], rows: readonly { label: string; values: Readonly<Record<K, number>> }[], withTotal = true): Markup {
  const body: TableRow[] = rows.map((r) => ({ head: r.label, cells: [...series.map((s) => r.values[s.key] ?? 0), ...(withTotal ? [sum(series.map((s) => r.values[s.key] ?? 0))] : [])] }));
  const foot: TableRow | undefined =
    withTotal && rows.length > 1 ? { head: l.total, cells: [...series.map((s) => sum(rows.map((r) => r.values[s.key] ?? 0))), sum(rows.flatMap((r) => series.map((s) => r.values[s.key] ?? 0)))] } : undefined;
  return table(caption, [head, ...series.map((s) => s.label), ...(withTotal ? [l.total] : [])], body, foot ? { foot } : {});
}

function chartFigure(l: Labels, frame: Frame, chart: Markup, legendItems: Interpolated, data: Markup): Markup {
  return figure(frame, chart, [legendItems, dataDetails(l.pair(l.dataTable, frame.title), data)]);
}

const chip = (klass: string, text: string) => html`<span class="chip ${klass}">${text}</span>`;
const who = (p: { id: string; name: string } | undefined) => (p ? (p.name === p.id ? p.id : `${p.name} (${p.id})`) : '');

// ---------------------------------------------------------------------------

function dataMapPart(view: ReportView, l: Labels): Markup {
  const d = view.dataMap;
  const head = html`<h2 id="${SECTION_IDS.dataMap}-h">${l.sections.dataMap}</h2>`;
  if (!d) return html`<section class="part" id="${SECTION_IDS.dataMap}" aria-labelledby="${SECTION_IDS.dataMap}-h">${head}<p>${l.intro.noDataMap}</p></section>`;
  const series: Series<MapStanding>[] = STANDINGS.map((s) => ({ key: s, label: l.standing[s], cls: cls(s) }));
  const rows = d.storage.map((r) => ({ label: l.jurisdiction[r.storedIn], values: r }));
  const storageFrame: Frame = { id: CHART_IDS.storage, title: l.charts.storage.title, desc: l.charts.storage.desc(rowsSpoken(l, series, rows)) };
  const storage = chartFigure(l, storageFrame, stackedBars(storageFrame, series, rows), legend(series), seriesTable(l, storageFrame.title, l.stored, series, rows));

  const flowsSpoken = d.flows.length
    ? d.flows.map((f) => `${l.pair(`${l.jurisdiction[f.from]} → ${l.jurisdiction[f.to]}`, grouped(f.sources))} (${l.flagged} ${grouped(f.flagged)}${l.comma}${l.covered} ${grouped(f.covered)})`).join(l.listJoin) + l.stop
    : l.charts.flowMap.noFlows;
  const unknown = d.storage.find((r) => r.storedIn === 'unknown');
  const flowFrame: Frame = { id: CHART_IDS.flows, title: l.charts.flowMap.title, desc: l.charts.flowMap.desc(flowsSpoken, unknown ? sum(STANDINGS.map((s) => unknown[s])) : 0) };
  const flowTable = table(flowFrame.title, [l.transferFrom, l.stored, l.sourceCount, l.flagged, l.covered], d.flows.map((f) => ({ head: l.jurisdiction[f.from], cells: [l.jurisdiction[f.to], f.sources, f.flagged, f.covered] })));
  const peopleTable = table(l.peopleTable, [l.whose, l.sourceCount], d.people.map((q) => ({ head: l.jurisdiction[q.jurisdiction], cells: [q.sources] })));
  const flowLegend = legend([...series, { label: l.flagged, cls: 'flow-flagged', line: true }, { label: l.covered, cls: 'flow-covered', line: true }]);
  const flows = chartFigure(l, flowFrame, flowMap(flowFrame, d, l), flowLegend, join([flowTable, peopleTable]));

  const flowText = (f: DataMapSourceRow) =>
    f.flows.map((x) => `${l.jurisdiction[x.from]} → ${l.jurisdiction[x.to]} (${x.flagged ? l.flagged : l.pair(l.basis, x.basis ?? '')})`).join(l.listJoin);
  const all = dataDetails(
    l.allSources(d.sources.length),
    table(
      l.allSources(d.sources.length),
      [l.source, l.platform, l.rating, l.stored, l.whose, l.flows],
      d.sources.map((s) => ({
        head: s.name === s.id ? s.id : html`${s.name} <small>(${s.id})</small>`,
        cells: [s.platform, chip(cls(s.standing), l.standing[s.standing]), s.storageDeclared ? `${l.jurisdiction[s.storedIn]} (${l.declaredStorage})` : l.jurisdiction[s.storedIn], s.people.map((j) => l.jurisdiction[j]).join(l.comma), flowText(s)],
      })),
      { className: 'wide' },
    ),
  );
  return html`<section class="part" id="${SECTION_IDS.dataMap}" aria-labelledby="${SECTION_IDS.dataMap}-h">${head}<p>${l.intro.dataMap(d.scanId, d.scannedAt)}</p>${storage}${flows}${all}</section>`;
}

function evidencePart(view: ReportView, l: Labels): Markup {
  const e = view.evidence;
  const series: Series<Freshness>[] = FRESHNESS.map((f) => ({ key: f, label: l.freshness[f], cls: cls(f) }));
  const rows = e.byTheme.map((r) => ({ label: l.theme_[r.theme], values: r }));
  const frame: Frame = { id: CHART_IDS.freshness, title: l.charts.freshness.title, desc: l.charts.freshness.desc(rowsSpoken(l, series, rows)) };
  const byTheme = chartFigure(l, frame, stackedBars(frame, series, rows), legend(series), seriesTable(l, frame.title, l.theme, series, rows));

  const points = e.overTime;
  const last = points.at(-1);
  const timeFrame: Frame = {
    id: CHART_IDS.freshnessOverTime,
    title: l.charts.freshnessOverTime.title,
    desc: l.charts.freshnessOverTime.desc(points[0]?.date ?? view.asOf, last?.date ?? view.asOf, last ? `${spoken(l, series, last)}${l.stop}` : l.none),
  };
  const timeChart = columns(timeFrame, { categories: points.map((p) => ({ label: p.date.slice(0, 7), name: p.date })), up: series, values: points });
  const timeTable = seriesTable(l, timeFrame.title, l.date, series, points.map((p) => ({ label: p.date, values: p })), false);
  const overTime = chartFigure(l, timeFrame, timeChart, legend(series), timeTable);

  const attention = e.attention.length
    ? table(
        l.attention.evidence,
        [l.control, l.controlTitle, l.theme, l.owner, l.status],
        e.attention.map((a) => ({ head: a.control, cells: [a.title, l.theme_[a.theme], who(a.owner), chip(cls(a.status), l.freshness[a.status])] })),
        { captionHidden: true },
      )
    : html`<p>${applicableControls(view) > 0 ? l.attention.noneEvidence : l.attention.noneApplicable}</p>`;
  return html`<section class="part" id="${SECTION_IDS.evidence}" aria-labelledby="${SECTION_IDS.evidence}-h"><h2 id="${SECTION_IDS.evidence}-h">${l.sections.evidence}</h2><p>${l.intro.evidence}</p>${byTheme}${overTime}<h3>${l.attention.evidence}</h3>${attention}</section>`;
}

/** Controls of the Statement of Applicability decided applicable (each counts once, under its theme). */
function applicableControls(view: ReportView): number {
  return sum(view.evidence.byTheme.map((r) => sum(FRESHNESS.map((f) => r[f]))));
}

function gapsPart(view: ReportView, l: Labels): Markup {
  const g = view.gaps;
  if (!g.latest) return html`<section class="part" id="${SECTION_IDS.gaps}" aria-labelledby="${SECTION_IDS.gaps}-h"><h2 id="${SECTION_IDS.gaps}-h">${l.sections.gaps}</h2><p>${l.intro.noAnalysis}</p></section>`;
  const series: Series<(typeof SEVERITIES)[number]>[] = SEVERITIES.map((s) => ({ key: s, label: l.severity_[s], cls: cls(s) }));
  const rows = g.byFramework.map((r) => ({ label: l.frameworkName[r.framework], values: r }));
  const openTotal = sum(SEVERITIES.map((s) => g.open[s]));
  const frame: Frame = { id: CHART_IDS.gapsByFramework, title: l.charts.gapsByFramework.title, desc: l.charts.gapsByFramework.desc(rowsSpoken(l, series, rows), openTotal) };
  const onceRows: TableRow[] = [
    { head: l.gapStatus.open, cells: [...SEVERITIES.map((s) => g.open[s]), openTotal] },
    { head: l.gapStatus.accepted, cells: [...SEVERITIES.map((s) => g.accepted[s]), sum(SEVERITIES.map((s) => g.accepted[s]))] },
  ];
  const data = join([
    seriesTable(l, frame.title, l.framework, series, rows, true),
    table(l.severity, [l.status, ...series.map((s) => s.label), l.total], onceRows),
  ]);
  const byFramework = chartFigure(l, frame, stackedBars(frame, series, rows), legend(series), data);

  type TrendKey = 'opened' | 'reopened' | 'expired' | 'closed' | 'accepted';
  const up: Series<TrendKey>[] = (['opened', 'reopened', 'expired'] as const).map((k) => ({ key: k, label: l.trend[k], cls: cls(k) }));
  const down: Series<TrendKey>[] = (['closed', 'accepted'] as const).map((k) => ({ key: k, label: l.trend[k], cls: cls(k) }));
  const a = g.analyses;
  const lastA = a.at(-1);
  const trendFrame: Frame = {
    id: CHART_IDS.gapTrend,
    title: l.charts.gapTrend.title,
    desc: a.length
      ? l.charts.gapTrend.desc(a.length, `${l.pair(lastA!.date, spoken(l, [...up, ...down], lastA!))}${l.listJoin}${l.pair(l.trend.open, grouped(lastA!.open))}${l.stop}`)
      : l.charts.gapTrend.empty,
  };
  const trendChart = columns(trendFrame, {
    categories: a.map((p) => ({ label: p.date, name: `${p.date} (${p.id})` })),
    up,
    down,
    values: a,
    line: { label: l.trend.open, cls: 'f-open-line', values: a.map((p) => p.open) },
  });
  const frameworks = g.byFramework.map((r) => r.framework);
  const trendTable = table(
    trendFrame.title,
    [l.date, l.analysis, ...[...up, ...down].map((s) => s.label), l.trend.open, ...frameworks.map((f) => l.frameworkName[f])],
    a.map((p) => ({ head: p.date, cells: [p.id, ...[...up, ...down].map((s) => p[s.key]), p.open, ...frameworks.map((f) => (p.scores[f] !== undefined ? percent(p.scores[f]!) : p.notApplicable?.includes(f) ? l.scoreNotApplicable : ''))] })),
    { className: 'wide' },
  );
  const trendLegend = legend([...up, ...down, { label: l.trend.open, cls: 'f-open-line', line: true }]);
  const trend = chartFigure(l, trendFrame, trendChart, trendLegend, trendTable);
  return html`<section class="part" id="${SECTION_IDS.gaps}" aria-labelledby="${SECTION_IDS.gaps}-h"><h2 id="${SECTION_IDS.gaps}-h">${l.sections.gaps}</h2><p>${l.intro.gaps(view.history.from, view.asOf)}</p>${byFramework}${trend}</section>`;
}

function reviewPart(view: ReportView, l: Labels): Markup {
  const r = view.review;
  const head = html`<h2 id="${SECTION_IDS.review}-h">${l.sections.review}</h2>`;
  if (!r) return html`<section class="part" id="${SECTION_IDS.review}" aria-labelledby="${SECTION_IDS.review}-h">${head}<p>${l.intro.noReview(view.period)}</p></section>`;
  const series: Series<ReviewOutcome>[] = REVIEW_OUTCOMES.map((o) => ({ key: o, label: l.outcome[o], cls: cls(o) }));
  const rows = r.byTheme.map((t) => ({ label: l.theme_[t.theme], values: t }));
  const frame: Frame = { id: CHART_IDS.review, title: l.charts.review.title, desc: l.charts.review.desc(rowsSpoken(l, series, rows), r.tasks) };
  const answeredOf = (v: Readonly<Record<ReviewOutcome, number>>) => v.effective + v['partially-effective'] + v['not-effective'] + v['not-applicable'];
  const data = table(
    frame.title,
    [l.theme, ...series.map((s) => s.label), l.answered, l.total],
    rows.map((row) => ({ head: row.label, cells: [...series.map((s) => row.values[s.key]), answeredOf(row.values), sum(series.map((s) => row.values[s.key]))] })),
    {
      foot: {
        head: l.total,
        cells: [...series.map((s) => sum(rows.map((row) => row.values[s.key]))), sum(rows.map((row) => answeredOf(row.values))), sum(rows.flatMap((row) => series.map((s) => row.values[s.key])))],
      },
    },
  );
  const chart = chartFigure(l, frame, stackedBars(frame, series, rows), legend(series), data);
  const overdue = r.overdueOwners.length
    ? html`<ul class="owners">${r.overdueOwners.map((o) => html`<li>${who(o)}</li>`)}</ul>`
    : html`<p>${l.noOverdueOwners}</p>`;
  const attention = r.attention.length
    ? table(
        l.attention.review,
        [l.control, l.controlTitle, l.theme, l.owner, l.status],
        r.attention.map((a) => ({ head: a.control, cells: [a.title, l.theme_[a.theme], who(a.owner), html`${chip(cls(a.outcome), l.outcome[a.outcome])}${a.overdue ? html` ${l.overdue}` : ''}`] })),
        { captionHidden: true },
      )
    : html`<p>${l.attention.noneReview}</p>`;
  return html`<section class="part" id="${SECTION_IDS.review}" aria-labelledby="${SECTION_IDS.review}-h">${head}<p>${l.intro.review(r.quarter, r.status, r.due, r.deadline, r.closedOn)}</p>${chart}<h3>${l.overdueOwners}</h3>${overdue}<p>${l.nonconformities(r.nonconformitiesOpened, r.nonconformitiesClosed)}</p><h3>${l.attention.review}</h3>${attention}</section>`;
}

function factorCell(l: Labels, f: RiskRow['factors']['sensitivity']): Markup {
  return html`${l.level[f.level]} ${f.score}<br><small>${f.reason}</small>`;
}

function riskPart(view: ReportView, l: Labels): Markup {
  const risk = view.risk;
  const head = html`<h2 id="${SECTION_IDS.risk}-h">${l.sections.risk}</h2>`;
  if (!risk) return html`<section class="part" id="${SECTION_IDS.risk}" aria-labelledby="${SECTION_IDS.risk}-h">${head}<p>${l.intro.noDataMap}</p></section>`;
  type TierKey = 'green' | 'amber' | 'red';
  const tiers: Series<TierKey>[] = (['green', 'amber', 'red'] as const).map((t) => ({ key: t, label: l.tierName[t], cls: cls(t) }));
  const byScore = SCORES.map((score) => {
    const at = risk.sources.filter((s) => s.score === score);
    return { score, values: { green: at.filter((s) => s.tier === 'green').length, amber: at.filter((s) => s.tier === 'amber').length, red: at.filter((s) => s.tier === 'red').length } };
  });
  const scoreRows = byScore.map((b) => ({ label: String(b.score), values: b.values }));
  const scoreFrame: Frame = { id: CHART_IDS.riskScores, title: l.charts.riskScores.title, desc: l.charts.riskScores.desc(rowsSpoken(l, tiers, scoreRows.filter((r) => sum(Object.values(r.values)) > 0))) };
  const scores = chartFigure(
    l,
    scoreFrame,
    columns(scoreFrame, { categories: byScore.map((b) => ({ label: String(b.score), name: `${l.score} ${b.score}` })), up: tiers, values: byScore.map((b) => b.values) }),
    legend(tiers),
    seriesTable(l, scoreFrame.title, l.score, tiers, scoreRows),
  );

  const factors = [
    { label: l.factor.sensitivity, cls: 'f-sensitivity' },
    { label: l.factor.role, cls: 'f-role' },
    { label: l.factor.mobility, cls: 'f-mobility' },
  ];
  const top = risk.sources.slice(0, FACTOR_ROWS);
  const factorSpoken = top
    .map((s) => `${l.pair(s.name, l.factor.sensitivity)} ${s.factors.sensitivity.score} × ${l.factor.role} ${s.factors.role.score} × ${l.factor.mobility} ${s.factors.mobility.score} = ${s.score} (${l.tierName[s.tier]})`)
    .join(l.listJoin);
  const factorFrame: Frame = { id: CHART_IDS.riskFactors, title: l.charts.riskFactors.title, desc: l.charts.riskFactors.desc(top.length, factorSpoken ? `${factorSpoken}${l.stop}` : l.none) };
  const factorChart = factorRows(
    factorFrame,
    factors,
    top.map((s) => ({
      label: shorten(s.name, 25),
      scores: [s.factors.sensitivity.score, s.factors.role.score, s.factors.mobility.score],
      score: s.score,
      tierCls: cls(s.tier),
      tierLabel: l.tierName[s.tier],
    })),
  );
  const topTable = table(
    factorFrame.title,
    [l.source, l.factor.sensitivity, l.factor.role, l.factor.mobility, l.score, l.tier],
    top.map((s) => ({ head: s.name, cells: [s.factors.sensitivity.score, s.factors.role.score, s.factors.mobility.score, s.score, l.tierName[s.tier]] })),
  );
  const note = risk.sources.length > top.length ? html`<p class="note">${l.truncatedNote(top.length, risk.sources.length)}</p>` : '';
  const factorFigure = chartFigure(l, factorFrame, factorChart, [legend(factors), note], topTable);

  const riskTable = (caption: string, rows: readonly (RiskRow & { source?: string })[], first: string) =>
    table(
      caption,
      [first, l.tier, l.score, l.factor.sensitivity, l.factor.role, l.factor.mobility],
      rows.map((s) => ({
        head: s.source ? html`${s.name} <small>(${s.source})</small>` : s.name === s.id ? s.id : html`${s.name} <small>(${s.id})</small>`,
        cells: [chip(cls(s.tier), l.tierName[s.tier]), s.score, factorCell(l, s.factors.sensitivity), factorCell(l, s.factors.role), factorCell(l, s.factors.mobility)],
      })),
      { className: 'wide' },
    );
  const all = dataDetails(l.allSources(risk.sources.length), riskTable(l.allSources(risk.sources.length), risk.sources, l.source));
  const groups = risk.groups.length ? dataDetails(l.allGroups(risk.groups.length), riskTable(l.allGroups(risk.groups.length), risk.groups, l.group)) : html`<p class="note">${l.noGroups}</p>`;
  return html`<section class="part" id="${SECTION_IDS.risk}" aria-labelledby="${SECTION_IDS.risk}-h">${head}<p>${l.intro.risk(risk.thresholds.red, risk.thresholds.amber)}</p>${scores}${factorFigure}${all}${groups}</section>`;
}

function glance(view: ReportView, l: Labels): Markup {
  const items: [string, string][] = [];
  const d = view.dataMap;
  if (d) {
    // A source the scan could not read is not mapped: counted apart, not as mapped.
    const failed = d.sources.filter((s) => s.standing === 'failed').length;
    items.push(failed ? l.glanceItems.sourcesPartly(d.sources.length - failed, d.sources.length, failed) : [grouped(d.sources.length), l.glanceItems.sources]);
    items.push([grouped(sum(d.storage.map((r) => r.red))), l.glanceItems.redSources]);
    items.push([grouped(d.sources.filter((s) => s.flows.some((f) => f.flagged)).length), l.glanceItems.flaggedFlows]);
  }
  // Nothing analysed, or nothing decided applicable, is not a clean bill: said so, not counted as 0.
  if (view.gaps.latest) items.push([grouped(sum(SEVERITIES.map((s) => view.gaps.open[s]))), l.glanceItems.openGaps]);
  else items.push(['—', l.glanceItems.noAnalysis]);
  if (applicableControls(view) > 0) items.push([grouped(view.evidence.attention.length), l.glanceItems.controlsLapsed]);
  else items.push([grouped(0), l.glanceItems.noneApplicable]);
  if (view.review) {
    const answered = sum(view.review.byTheme.map((t) => t.effective + t['partially-effective'] + t['not-effective'] + t['not-applicable']));
    items.push([`${grouped(answered)} / ${grouped(view.review.tasks)}`, l.glanceItems.answered]);
  }
  if (view.risk) items.push([grouped(view.risk.sources.filter((s) => s.tier === 'red').length), l.glanceItems.redTier]);
  const provenance: [string, Interpolated][] = [
    [l.period, view.period],
    [l.asOf, `${view.asOf} (${view.organisation.timeZone})`],
    ...(d ? ([[l.dataMapOf, `${d.scanId} (${d.scannedAt})`]] as [string, string][]) : []),
    ...(view.gaps.latest ? ([[l.analysis, view.gaps.latest.id]] as [string, string][]) : []),
    ...(view.review ? ([[l.sections.review, `${view.review.quarter} (${l.reviewStatus[view.review.status]})`]] as [string, string][]) : []),
  ];
  return html`<section aria-labelledby="glance-h"><h2 id="glance-h">${l.glance}</h2><ul class="glance">${items.map(([n, what]) => html`<li><b>${n}</b>${what}</li>`)}</ul><h3>${l.provenance}</h3><dl class="provenance">${provenance.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl></section>`;
}

export function renderReport(view: ReportView): string {
  const l = LABELS[view.language];
  const title = l.pair(view.organisation.name, `${l.title} ${view.period}`);
  const toc = (Object.keys(SECTION_IDS) as (keyof typeof SECTION_IDS)[]).map((k) => html`<li><a href="#${SECTION_IDS[k]}">${l.sections[k]}</a></li>`);
  const doc = html`<!DOCTYPE html>
<html lang="${view.language}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${trusted(REPORT_STYLE)}</style>
</head>
<body>
<main>
<header class="report"><h1>${view.organisation.name}</h1><p class="sub">${l.pair(l.title, l.subtitle(view.period, view.asOf, view.organisation.timeZone))}</p></header>
<nav class="toc" aria-label="${l.contents}"><ol>${toc}</ol></nav>
${glance(view, l)}
${dataMapPart(view, l)}
${evidencePart(view, l)}
${gapsPart(view, l)}
${reviewPart(view, l)}
${riskPart(view, l)}
<footer class="report"><p>${l.footer(view.asOf, view.organisation.timeZone)}</p></footer>
</main>
</body>
</html>
`;
  return doc.html;
}
