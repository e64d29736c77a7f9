// What every chat reader (WhatsApp, Slack, chat tables) yields, and how the times
// written in exports become ISO-8601.
import type { SourceRecord } from '../../domain/detect/records.ts';

/**
 * One message, in file order, with where it is: `at.line` for text exports, `at.row`
 * (and `at.line` for CSV/TSV) for tables, `at.pointer` for Slack's JSON. `time` is
 * ISO-8601 when it can be read, else as written.
 */
export type ChatMessage = SourceRecord;

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

function validDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1 || d > 31) return false;
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

const TIME_RE = /^(上午|下午|凌晨|中午|晚上|早上)?\s*(\d{1,2}):(\d{2})(?::(\d{2}))?(?:[\s\u202f\u00a0]*([AaPp])\.?\s?[Mm]\.?)?$/;

/** '09:15', '9:15:22 PM', '下午3:15' as [h, m, s] on a 24-hour clock, or undefined. */
function parseClock(text: string): [number, number, number] | undefined {
  const m = TIME_RE.exec(text.trim());
  if (!m) return undefined;
  let h = Number(m[2]);
  const min = Number(m[3]);
  const s = m[4] === undefined ? 0 : Number(m[4]);
  const pm = m[5] ? m[5].toLowerCase() === 'p' : m[1] === '下午' || m[1] === '晚上' ? true : m[1] === '中午' ? h < 11 : false;
  const twelveHour = m[5] !== undefined || m[1] !== undefined;
  if (twelveHour) {
    if (h < 1 || h > 12) return undefined;
    if (pm && h < 12) h += 12;
    if (!pm && h === 12) h = 0;
  }
  if (h > 23 || min > 59 || s > 59) return undefined;
  return [h, min, s];
}

/** A date and a clock time as written, as an ISO-8601 local date-time; undefined when not a real date. */
export function isoFrom(date: string, clock: string, dayFirst: boolean): string | undefined {
  const parts = date.split(/[/.\-年月日]/).filter((p) => p !== '');
  if (parts.length !== 3 || parts.some((p) => !/^\d+$/.test(p))) return undefined;
  const [a, b, c] = parts as [string, string, string];
  let y: number, mo: number, d: number;
  if (a.length === 4) [y, mo, d] = [Number(a), Number(b), Number(c)];
  else if (dayFirst) [d, mo, y] = [Number(a), Number(b), Number(c)];
  else [mo, d, y] = [Number(a), Number(b), Number(c)];
  if (a.length !== 4 && c.length <= 2) y += 2000;
  if (!validDate(y, mo, d)) return undefined;
  const t: [number, number, number] | undefined = clock === '' ? [0, 0, 0] : parseClock(clock);
  if (!t) return undefined;
  return `${pad(y, 4)}-${pad(mo)}-${pad(d)}T${pad(t[0])}:${pad(t[1])}:${pad(t[2])}`;
}

// A date, then (optionally) separators and a clock time on the same line. Matched in
// steps, not as one pattern: `[\sT,]+(.+)$` backtracks over every way to share a run of
// spaces between the two, quadratic in the cell's length (a 200 KB table took 26 s).
const DATE_RE = /^\d{1,4}[/.\-年]\d{1,2}[/.\-月]\d{1,4}日?/;
const SEPARATORS_RE = /^[\sT,]+/;
const LINE_END_RE = /[\n\r\u2028\u2029]/;

/** A table's time cell as ISO-8601 when it can be read, else as written (trimmed). */
export function normalizeTime(text: string, dayFirst = true): string {
  const s = text.trim();
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(s)) return s;
  if (/^\d{10}(\.\d+)?$/.test(s)) return new Date(Number(s) * 1000).toISOString();
  if (/^\d{13}$/.test(s)) return new Date(Number(s)).toISOString();
  const date = DATE_RE.exec(s)?.[0];
  if (date === undefined) return s;
  const rest = s.slice(date.length);
  if (rest === '') return isoFrom(date, '', dayFirst) ?? s;
  const separators = SEPARATORS_RE.exec(rest)?.[0];
  if (separators === undefined) return s;
  const clock = rest.slice(separators.length);
  if (clock === '' || LINE_END_RE.test(clock)) return s;
  return isoFrom(date, clock, dayFirst) ?? s;
}
