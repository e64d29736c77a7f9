// The data map as a picture: the four jurisdictions the data map knows (Hong Kong,
// mainland China, the EU/EEA, elsewhere) as boxes, each with the sources stored there
// by rating and how many sources hold data of its people; an arrow from whose data it
// is to where it is stored for every cross-border flow, its width by the number of
// sources, red where no transfer basis is declared (flagged) and grey dashed where one
// is. Pure.
import { JURISDICTIONS, type Jurisdiction } from '../datamap/residency.ts';
import { svg, type Frame } from './charts.ts';
import { formatNumber, grouped, html, type Markup } from './html.ts';
import type { Labels } from './labels.ts';
import type { DataMapSection, MapStanding } from './view.ts';

const WIDTH = 640;
const HEIGHT = 430;
const BOX = { w: 228, h: 118 };
const CENTRE: Readonly<Record<Jurisdiction, { x: number; y: number }>> = {
  HK: { x: 136, y: 82 },
  CN: { x: 504, y: 82 },
  'EU/EEA': { x: 136, y: 348 },
  OTHER: { x: 504, y: 348 },
};
const STANDINGS: readonly MapStanding[] = ['red', 'amber', 'green', 'failed'];
const standingCls = (s: MapStanding) => `f-${s === 'failed' ? 'failed' : s}`;

interface Arrow {
  from: Jurisdiction;
  to: Jurisdiction;
  sources: number;
  flagged: boolean;
}

const p = (x: number, y: number) => `${formatNumber(x)},${formatNumber(y)}`;

/** How far the ray from `centre + d` along (ux, uy) runs before it leaves the box around `centre` (d inside the box). */
function exitDistance(dx: number, dy: number, ux: number, uy: number): number {
  const along = (d: number, u: number, half: number) => (Math.abs(u) < 1e-9 ? Infinity : ((u > 0 ? half : -half) - d) / u);
  return Math.min(along(dx, ux, BOX.w / 2), along(dy, uy, BOX.h / 2));
}

function arrowPath(frame: Frame, a: Arrow, width: number, l: Labels): Markup {
  const from = CENTRE[a.from];
  const to = CENTRE[a.to];
  const dx = to.x - from.x;
  const dy = to.y - from.y;
  const len = Math.hypot(dx, dy);
  const ux = dx / len;
  const uy = dy / len;
  // To the left of the way it goes: a flow and its reverse never share a path; a
  // flagged flow nearer the straight line than a covered one between the same places.
  const nx = -uy;
  const ny = ux;
  const offset = a.flagged ? 10 : 26;
  // Each end where the offset line crosses its box's edge.
  const leave = exitDistance(nx * offset, ny * offset, ux, uy);
  const enter = exitDistance(nx * offset, ny * offset, -ux, -uy);
  const start = { x: from.x + nx * offset + ux * (leave + 4), y: from.y + ny * offset + uy * (leave + 4) };
  const end = { x: to.x + nx * offset - ux * (enter + 12), y: to.y + ny * offset - uy * (enter + 12) };
  const bend = 18 + offset;
  const control = { x: (start.x + end.x) / 2 + nx * bend, y: (start.y + end.y) / 2 + ny * bend };
  // The label a third of the way, nearer whose data it is: the labels of the crossing
  // diagonals, and of a flow and its reverse, then never meet.
  const t = 0.35;
  const at = (k: 'x' | 'y') => (1 - t) * (1 - t) * start[k] + 2 * (1 - t) * t * control[k] + t * t * end[k];
  const cls = a.flagged ? 'flow flagged' : 'flow covered';
  const marker = `${frame.id}-${a.flagged ? 'flagged' : 'covered'}`;
  const name = `${l.jurisdiction[a.from]} → ${l.jurisdiction[a.to]}, ${a.flagged ? l.flagged : l.covered}: ${grouped(a.sources)}`;
  const text = grouped(a.sources);
  const boxW = 10 + 7 * text.length;
  return html`<g class="${cls}"><title>${name}</title><path d="M${p(start.x, start.y)} Q${p(control.x, control.y)} ${p(end.x, end.y)}" stroke-width="${width}" marker-end="url(#${marker})"/><rect class="flow-label" x="${at('x') - boxW / 2}" y="${at('y') - 9}" width="${boxW}" height="18" rx="9"/><text x="${at('x')}" y="${at('y') + 4}" text-anchor="middle">${text}</text></g>`;
}

function box(j: Jurisdiction, section: DataMapSection, maxStored: number, l: Labels): Markup {
  const c = CENTRE[j];
  const x = c.x - BOX.w / 2;
  const y = c.y - BOX.h / 2;
  const row = section.storage.find((r) => r.storedIn === j);
  const stored = row ? STANDINGS.reduce((t, s) => t + row[s], 0) : 0;
  const people = section.people.find((q) => q.jurisdiction === j)?.sources ?? 0;
  const barW = BOX.w - 24;
  let at = 0;
  const segments = STANDINGS.map((s) => {
    const v = row?.[s] ?? 0;
    if (v <= 0) return '';
    const w = (barW * v) / Math.max(1, maxStored);
    const x0 = x + 12 + at;
    at += w;
    return html`<rect class="${standingCls(s)}" x="${x0}" y="${y + 48}" width="${w}" height="14"><title>${l.jurisdiction[j]}, ${l.standing[s]}: ${grouped(v)}</title></rect>`;
  });
  const counts = STANDINGS.filter((s) => (row?.[s] ?? 0) > 0).map((s) => `${l.standing[s]} ${grouped(row![s])}`).join(' · ');
  return html`<g class="place"><rect class="place-box" x="${x}" y="${y}" width="${BOX.w}" height="${BOX.h}" rx="8"/><text class="place-name" x="${x + 12}" y="${y + 22}">${l.jurisdiction[j]}</text><text class="place-line" x="${x + 12}" y="${y + 42}">${l.charts.flowMap.storedHere(stored)}</text><rect class="track" x="${x + 12}" y="${y + 48}" width="${barW}" height="14"/>${segments}<text class="place-small" x="${x + 12}" y="${y + 78}">${counts || l.none}</text><text class="place-line" x="${x + 12}" y="${y + 102}">${l.charts.flowMap.peopleHere(people)}</text></g>`;
}

export function flowMap(frame: Frame, section: DataMapSection, l: Labels): Markup {
  const arrows: Arrow[] = section.flows.flatMap((f) => [
    ...(f.flagged > 0 ? [{ from: f.from, to: f.to, sources: f.flagged, flagged: true }] : []),
    ...(f.covered > 0 ? [{ from: f.from, to: f.to, sources: f.covered, flagged: false }] : []),
  ]);
  const most = Math.max(1, ...arrows.map((a) => a.sources));
  const width = (n: number) => 1.5 + 5.5 * Math.sqrt(n / most);
  const maxStored = Math.max(1, ...section.storage.map((r) => STANDINGS.reduce((t, s) => t + r[s], 0)));
  const marker = (kind: 'flagged' | 'covered') =>
    html`<marker id="${frame.id}-${kind}" viewBox="0 0 10 10" refX="2" refY="5" markerUnits="userSpaceOnUse" markerWidth="12" markerHeight="12" orient="auto"><path class="head ${kind}" d="M0,0L10,5L0,10z"/></marker>`;
  const empty = arrows.length === 0 ? html`<text class="place-line" x="${WIDTH / 2}" y="${HEIGHT / 2 + 4}" text-anchor="middle">${l.charts.flowMap.noFlows}</text>` : '';
  return svg(frame, HEIGHT, [
    html`<defs>${marker('flagged')}${marker('covered')}</defs>`,
    JURISDICTIONS.map((j) => box(j, section, maxStored, l)),
    arrows.map((a) => arrowPath(frame, a, width(a.sources), l)),
    empty,
  ], WIDTH);
}
