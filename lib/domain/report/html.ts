// Markup that is escaped by construction: `html` is a tagged template whose every
// interpolated value is escaped as text, unless it is itself Markup (made by `html`,
// or `trusted` for the few constants written here). A value from the organisation file
// or the table (a control title, a group name, a person's name) can therefore only
// ever appear as text, in an element or in a quoted attribute. Pure.

/** A piece of HTML or SVG that is safe to put into a document as it is. */
export class Markup {
  readonly html: string;
  constructor(html: string) {
    this.html = html;
  }
  toString(): string {
    return this.html;
  }
}

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text as HTML text or a quoted attribute value: & < > " ' escaped. */
export function escapeText(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

export type Interpolated = Markup | string | number | boolean | null | undefined | readonly Interpolated[];

function render(value: Interpolated): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof Markup) return value.html;
  if (Array.isArray(value)) return (value as readonly Interpolated[]).map(render).join('');
  if (typeof value === 'number') return formatNumber(value);
  return escapeText(String(value));
}

/** HTML with every interpolated value escaped (arrays joined, null/undefined/false left out). */
export function html(strings: TemplateStringsArray, ...values: Interpolated[]): Markup {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + (strings[i + 1] ?? '');
  return new Markup(out);
}

/** Markup written in this module's callers as a constant (a style sheet): never a value from data. */
export const trusted = (constant: string): Markup => new Markup(constant);

export const join = (parts: readonly Interpolated[], separator: Markup | string = ''): Markup =>
  new Markup(parts.map(render).join(typeof separator === 'string' ? escapeText(separator) : separator.html));

/**
 * A number as SVG and people read it, the same in every locale and runtime: integers
 * as they are, others with at most two decimals, no negative zero.
 */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return '0';
  const rounded = Math.round(n * 100) / 100;
  if (Object.is(rounded, -0) || rounded === 0) return '0';
  return Number.isInteger(rounded) ? String(rounded) : rounded.toFixed(2).replace(/0$/, '');
}

/** 2000 -> "2,000": grouped by hand, so the output does not depend on the runtime's locale data. */
export function grouped(n: number): string {
  const [whole = '0', fraction] = formatNumber(n).split('.');
  const sign = whole.startsWith('-') ? '-' : '';
  const digits = sign ? whole.slice(1) : whole;
  const withCommas = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${withCommas}${fraction ? `.${fraction}` : ''}`;
}

/** 0.6363 -> "64%". */
export const percent = (share: number): string => `${Math.round(share * 100)}%`;
