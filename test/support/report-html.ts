// Reading a rendered report back in tests: its figures, each chart's accessible name
// and description, and the numbers of the tables behind it. The report is our own
// output with a fixed shape, so a few regular expressions read it.
import { CHART_IDS } from '../../lib/domain/report/render.ts';

const decode = (s: string) =>
  s
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .trim();

export interface ChartFound {
  id: string;
  figure: string;
  svg: string;
  /** The texts aria-labelledby and aria-describedby name. */
  labelledBy: string[];
  describedBy: string[];
  title: string;
  desc: string;
  caption: string;
  hasTable: boolean;
}

/** The figure of a chart, or undefined. */
export function chartOf(doc: string, id: string): ChartFound | undefined {
  const figure = new RegExp(`<figure class="figure" id="${id}">([\\s\\S]*?)</figure>`).exec(doc)?.[0];
  if (!figure) return undefined;
  const svg = /<svg [^>]*>[\s\S]*?<\/svg>/.exec(figure)?.[0] ?? '';
  const open = /<svg ([^>]*)>/.exec(svg)?.[1] ?? '';
  const idsOf = (attribute: string) => (new RegExp(`${attribute}="([^"]*)"`).exec(open)?.[1] ?? '').split(/\s+/).filter(Boolean);
  const textOf = (tag: string, elementId: string) => decode(new RegExp(`<${tag} id="${elementId}">([\\s\\S]*?)</${tag}>`).exec(svg)?.[1] ?? '');
  const named = idsOf('aria-labelledby');
  const described = idsOf('aria-describedby');
  return {
    id,
    figure,
    svg,
    labelledBy: named.map((i) => textOf('title', i)),
    describedBy: described.map((i) => textOf('desc', i)),
    title: textOf('title', named[0] ?? ''),
    desc: textOf('desc', described[0] ?? ''),
    caption: decode(/<figcaption>([\s\S]*?)<\/figcaption>/.exec(figure)?.[1] ?? ''),
    hasTable: /<details class="data"><summary>[^<]+<\/summary>[\s\S]*<table[\s\S]*<\/table>/.test(figure),
  };
}

export const allChartIds = (): string[] => Object.values(CHART_IDS);

/** The body rows of the first table in `markup` whose caption is `caption`: row head -> cells as text. */
export function tableRows(markup: string, caption: string): Map<string, string[]> {
  const tables = [...markup.matchAll(/<table[^>]*><caption[^>]*>([\s\S]*?)<\/caption>([\s\S]*?)<\/table>/g)];
  const found = tables.find((t) => decode(t[1]!) === caption);
  if (!found) throw new Error(`no table captioned "${caption}"`);
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(found[2]!)?.[1] ?? '';
  const rows = new Map<string, string[]>();
  for (const tr of body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)) {
    const cells = [...tr[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => decode(c[1]!));
    rows.set(cells[0]!, cells.slice(1));
  }
  return rows;
}

/** The header cells of the table captioned `caption`. */
export function tableHead(markup: string, caption: string): string[] {
  const tables = [...markup.matchAll(/<table[^>]*><caption[^>]*>([\s\S]*?)<\/caption>([\s\S]*?)<\/table>/g)];
  const found = tables.find((t) => decode(t[1]!) === caption);
  if (!found) throw new Error(`no table captioned "${caption}"`);
  return [.../<thead>([\s\S]*?)<\/thead>/.exec(found[2]!)![1]!.matchAll(/<th[^>]*>([\s\S]*?)<\/th>/g)].map((c) => decode(c[1]!));
}

/** Every URL-like reference of the document that would make a browser fetch something. */
export function externalReferences(doc: string): string[] {
  const refs: string[] = [];
  for (const m of doc.matchAll(/\b(?:src|href|xlink:href|action|poster|data)\s*=\s*"([^"]*)"/gi)) if (!m[1]!.startsWith('#')) refs.push(m[0]);
  for (const m of doc.matchAll(/url\(([^)]*)\)/gi)) if (!m[1]!.trim().replace(/^['"]/, '').startsWith('#')) refs.push(m[0]);
  for (const m of doc.matchAll(/@import[^;]*;/gi)) refs.push(m[0]);
  for (const m of doc.matchAll(/<(?:script|link|iframe|img|object|embed|video|audio|source)\b[^>]*>/gi)) refs.push(m[0]);
  return refs;
}
