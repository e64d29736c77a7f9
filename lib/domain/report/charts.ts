// The report's charts as inline SVG, drawn by hand: stacked bars, columns over time
// (up and down from a zero line, with a line on the same scale) and rows of factor
// bars. Each chart is an <svg role="img"> named by its <title> (aria-labelledby) and
// described by its <desc> (aria-describedby), inside a <figure> with its legend and a <details>
// table of the very numbers drawn, so that a screen reader, a printout and a reader
// who wants the figures get all of them. Colours come from classes (./style.ts), never
// from style attributes. Pure; every coordinate goes through formatNumber, so the
// output is the same bytes everywhere.
import { formatNumber, grouped, html, type Interpolated, type Markup } from './html.ts';

export interface Series<K extends string = string> {
  key: K;
  label: string;
  /** Fill class (./style.ts PALETTE). */
  cls: string;
}

export interface Frame {
  /** Unique in the document; ids of the title, desc and markers derive from it. */
  id: string;
  title: string;
  desc: string;
}

const WIDTH = 640;

/** The <svg> with its accessible name and description. */
export function svg(frame: Frame, height: number, body: Interpolated, width = WIDTH): Markup {
  return html`<svg class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${frame.id}-t" aria-describedby="${frame.id}-d" xmlns="http://www.w3.org/2000/svg"><title id="${frame.id}-t">${frame.title}</title><desc id="${frame.id}-d">${frame.desc}</desc>${body}</svg>`;
}

/** A scale from 0 that ends on a round number, with 3 to 6 ticks of whole numbers. */
export function niceScale(max: number, ticks = 5): { max: number; step: number; ticks: number[] } {
  const top = Math.max(1, max);
  const raw = top / ticks;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const ratio = raw / magnitude;
  const step = Math.max(1, (ratio >= 7.07 ? 10 : ratio >= 3.16 ? 5 : ratio >= 1.41 ? 2 : 1) * magnitude);
  const end = Math.ceil(top / step) * step;
  const out: number[] = [];
  for (let t = 0; t <= end + step / 2; t += step) out.push(Math.round(t));
  return { max: end, step, ticks: out };
}

export function legend(items: readonly { label: string; cls: string; line?: boolean }[]): Markup {
  return html`<ul class="legend">${items.map((i) => html`<li><span class="sw ${i.line ? 'sw-line ' : ''}${i.cls}"></span>${i.label}</li>`)}</ul>`;
}

export interface TableRow {
  head: Interpolated;
  cells: readonly Interpolated[];
}

/** A plain table: a header row, rows headed by their first cell; numbers grouped and right-aligned. */
export function table(caption: string, columns: readonly string[], rows: readonly TableRow[], options: { foot?: TableRow; className?: string; captionHidden?: boolean } = {}): Markup {
  const cell = (c: Interpolated) => (typeof c === 'number' ? html`<td class="num">${grouped(c)}</td>` : html`<td>${c}</td>`);
  const row = (r: TableRow, head = 'th') =>
    head === 'th' ? html`<tr><th scope="row">${r.head}</th>${r.cells.map(cell)}</tr>` : html`<tr>${cell(r.head)}${r.cells.map(cell)}</tr>`;
  return html`<div class="table-wrap"><table${options.className ? html` class="${options.className}"` : ''}><caption${options.captionHidden ? html` class="sr"` : ''}>${caption}</caption><thead><tr>${columns.map((c) => html`<th scope="col">${c}</th>`)}</tr></thead><tbody>${rows.map((r) => row(r))}</tbody>${options.foot ? html`<tfoot>${row(options.foot)}</tfoot>` : ''}</table></div>`;
}

/** The data behind a chart, folded away on screen and printed in full. */
export function dataDetails(summary: string, content: Markup): Markup {
  return html`<details class="data"><summary>${summary}</summary>${content}</details>`;
}

export function figure(frame: Frame, chart: Markup, extras: readonly Interpolated[]): Markup {
  return html`<figure class="figure" id="${frame.id}"><figcaption>${frame.title}</figcaption><div class="chart-box">${chart}</div>${extras}</figure>`;
}

// ---------------------------------------------------------------------------

export interface BarRow<K extends string> {
  label: string;
  values: Readonly<Record<K, number>>;
}

/** Horizontal bars, one per row, stacked by series, each with its total at its end. */
export function stackedBars<K extends string>(frame: Frame, series: readonly Series<K>[], rows: readonly BarRow<K>[], options: { labelWidth?: number } = {}): Markup {
  const labelW = options.labelWidth ?? 170;
  const right = 56;
  const plotW = WIDTH - labelW - right;
  const rowH = 30;
  const barH = 20;
  const top = 6;
  const height = top + Math.max(1, rows.length) * rowH + 24;
  const totals = rows.map((r) => series.reduce((sum, s) => sum + (r.values[s.key] ?? 0), 0));
  const scale = niceScale(Math.max(0, ...totals));
  const x = (v: number) => labelW + (v / scale.max) * plotW;
  const bottom = top + Math.max(1, rows.length) * rowH;
  const grid = scale.ticks.map(
    (t) => html`<line class="grid" x1="${x(t)}" y1="${top}" x2="${x(t)}" y2="${bottom}"/><text class="tick" x="${x(t)}" y="${bottom + 16}" text-anchor="middle">${grouped(t)}</text>`,
  );
  const bars = rows.map((r, i) => {
    const y = top + i * rowH + (rowH - barH) / 2;
    let at = 0;
    const segments = series.map((s) => {
      const v = r.values[s.key] ?? 0;
      if (v <= 0) return '';
      const x0 = x(at);
      at += v;
      const w = x(at) - x0;
      const label = w >= 22 ? html`<text class="in ${s.cls}" x="${x0 + w / 2}" y="${y + barH / 2 + 4}" text-anchor="middle">${grouped(v)}</text>` : '';
      return html`<rect class="${s.cls}" x="${x0}" y="${y}" width="${w}" height="${barH}"><title>${r.label}, ${s.label}: ${grouped(v)}</title></rect>${label}`;
    });
    return html`<text class="label" x="${labelW - 8}" y="${y + barH / 2 + 4}" text-anchor="end">${r.label}</text>${segments}<text class="total" x="${x(totals[i] ?? 0) + 6}" y="${y + barH / 2 + 4}">${grouped(totals[i] ?? 0)}</text>`;
  });
  return svg(frame, height, [grid, html`<line class="axis" x1="${labelW}" y1="${top}" x2="${labelW}" y2="${bottom}"/>`, bars]);
}

// ---------------------------------------------------------------------------

export interface ColumnsInput<K extends string> {
  /** One per column, in order: its label under the axis (every few are shown) and its full name in tooltips. */
  categories: readonly { label: string; name: string }[];
  up: readonly Series<K>[];
  down?: readonly Series<K>[];
  values: readonly Readonly<Record<K, number>>[];
  line?: { label: string; cls: string; values: readonly number[] };
}

/** Columns stacked up (and down) from a zero line, one per category, with an optional line on the same scale. */
export function columns<K extends string>(frame: Frame, input: ColumnsInput<K>): Markup {
  const { categories, up, values } = input;
  const down = input.down ?? [];
  const left = 48;
  const right = 12;
  const top = 12;
  const height = 270;
  const bottomPad = 40;
  const plotW = WIDTH - left - right;
  const plotH = height - top - bottomPad;
  const n = Math.max(1, categories.length);
  const sum = (row: Readonly<Record<K, number>>, ss: readonly Series<K>[]) => ss.reduce((t, s) => t + (row[s.key] ?? 0), 0);
  const upMax = Math.max(0, ...values.map((v) => sum(v, up)), ...(input.line?.values ?? []));
  const downMax = Math.max(0, ...values.map((v) => sum(v, down)));
  const scale = niceScale(upMax + downMax);
  const step = scale.step;
  const upTop = Math.max(step, Math.ceil(upMax / step) * step);
  const downEnd = Math.ceil(downMax / step) * step;
  const y = (v: number) => top + ((upTop - v) / (upTop + downEnd)) * plotH;
  const band = plotW / n;
  const barW = Math.max(1, Math.min(36, band * 0.7));
  const cx = (i: number) => left + band * i + band / 2;
  const ticks: number[] = [];
  for (let t = -downEnd; t <= upTop + step / 2; t += step) ticks.push(Math.round(t));
  const grid = ticks.map(
    (t) => html`<line class="${t === 0 ? 'axis' : 'grid'}" x1="${left}" y1="${y(t)}" x2="${WIDTH - right}" y2="${y(t)}"/><text class="tick" x="${left - 6}" y="${y(t) + 4}" text-anchor="end">${grouped(Math.abs(t))}</text>`,
  );
  // As many labels as fit: each needs its text's width (about 7 units a character at 11px) and a gap.
  const labelPx = 12 + 7 * Math.max(1, ...categories.map((c) => Array.from(c.label).length));
  const every = Math.max(1, Math.ceil(n / Math.max(1, Math.floor(plotW / labelPx))));
  const stack = (row: Readonly<Record<K, number>>, ss: readonly Series<K>[], sign: 1 | -1, i: number, name: string) => {
    let at = 0;
    return ss.map((s) => {
      const v = row[s.key] ?? 0;
      if (v <= 0) return '';
      const from = y(sign * at);
      at += v;
      const to = y(sign * at);
      return html`<rect class="${s.cls}" x="${cx(i) - barW / 2}" y="${Math.min(from, to)}" width="${barW}" height="${Math.abs(to - from)}"><title>${name}, ${s.label}: ${grouped(v)}</title></rect>`;
    });
  };
  const cols = categories.map((c, i) => {
    const row = values[i] ?? ({} as Record<K, number>);
    const tick = i % every === 0 ? html`<text class="tick" x="${cx(i)}" y="${height - bottomPad + 16}" text-anchor="middle">${c.label}</text>` : '';
    return html`${stack(row, up, 1, i, c.name)}${stack(row, down, -1, i, c.name)}${tick}`;
  });
  let line: Interpolated = '';
  if (input.line && input.line.values.length > 0) {
    const { cls, label } = input.line;
    const points = input.line.values.map((v, i) => `${formatNumber(cx(i))},${formatNumber(y(v))}`).join(' ');
    line = html`<polyline class="line ${cls}" points="${points}"/>${input.line.values.map(
      (v, i) => html`<circle class="dot ${cls}" cx="${cx(i)}" cy="${y(v)}" r="3"><title>${categories[i]?.name ?? ''}, ${label}: ${grouped(v)}</title></circle>`,
    )}`;
  }
  return svg(frame, height, [grid, cols, line]);
}

// ---------------------------------------------------------------------------

export interface FactorRow {
  label: string;
  /** Each factor's score, 1 to 3, in the order of `factors`. */
  scores: readonly number[];
  score: number;
  tierCls: string;
  tierLabel: string;
}

/** One row per subject: a short bar per factor (out of 3), then the product and the tier. */
export function factorRows(frame: Frame, factors: readonly { label: string; cls: string }[], rows: readonly FactorRow[]): Markup {
  const labelW = 212;
  const factorW = 96;
  const gap = 12;
  const rowH = 26;
  const barH = 14;
  const top = 26;
  const height = top + Math.max(1, rows.length) * rowH + 8;
  const headX = (k: number) => labelW + k * (factorW + gap);
  const scoreX = headX(factors.length) + 8;
  const heads = [
    ...factors.map((f, k) => html`<text class="colhead" x="${headX(k)}" y="16">${f.label}</text>`),
    html`<text class="colhead" x="${scoreX}" y="16">=</text>`,
  ];
  const body = rows.map((r, i) => {
    const y = top + i * rowH;
    const mid = y + rowH / 2 + 4;
    const bars = factors.map((f, k) => {
      const s = r.scores[k] ?? 0;
      return html`<rect class="track" x="${headX(k)}" y="${y + (rowH - barH) / 2}" width="${factorW - 24}" height="${barH}"/><rect class="${f.cls}" x="${headX(k)}" y="${y + (rowH - barH) / 2}" width="${((factorW - 24) * s) / 3}" height="${barH}"><title>${r.label}, ${f.label}: ${s}</title></rect><text class="total" x="${headX(k) + factorW - 20}" y="${mid}">${s}</text>`;
    });
    return html`<text class="label" x="${labelW - 10}" y="${mid}" text-anchor="end">${r.label}</text>${bars}<rect class="${r.tierCls}" x="${scoreX}" y="${y + 4}" width="40" height="${rowH - 8}" rx="4"><title>${r.tierLabel}</title></rect><text class="in ${r.tierCls}" x="${scoreX + 20}" y="${mid}" text-anchor="middle">${r.score}</text><text class="total" x="${scoreX + 48}" y="${mid}">${r.tierLabel}</text>`;
  });
  return svg(frame, height, [heads, body]);
}

