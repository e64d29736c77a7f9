// Quarters (`2026-Q4`) and the local date they turn on. A review's quarter is the
// organisation's: 1 October in Hong Kong begins at 16:00 UTC on 30 September. Pure,
// and free of zod: the command line parses quarters while it registers its commands.
import { dateIn, periodOf } from '../../workflows/declarations.ts';

export type Quarter = string;

/** From 1970 on: earlier years are no one's review, and every date helper can count them. */
const QUARTER = /^(19[7-9]\d|[2-9]\d{3})-Q[1-4]$/;
export const QUARTER_RULE = 'must be a quarter written YYYY-Qn, such as 2026-Q4';

export const isQuarter = (value: unknown): value is Quarter => typeof value === 'string' && QUARTER.test(value);

/** The calendar date at `now` in `timeZone` (YYYY-MM-DD). */
export const localDate = (now: Date, timeZone: string): string => dateIn(now, timeZone);

/** The quarter `now` falls in, in `timeZone`. */
export const quarterAt = (now: Date, timeZone: string): Quarter => periodOf('quarter', now, timeZone);

/** 1 to 4. */
export const quarterNumber = (q: Quarter): number => Number(q.slice(-1));

export function firstDayOf(q: Quarter): string {
  return `${q.slice(0, 4)}-${String((quarterNumber(q) - 1) * 3 + 1).padStart(2, '0')}-01`;
}

export function lastDayOf(q: Quarter): string {
  const year = Number(q.slice(0, 4));
  const month = quarterNumber(q) * 3;
  const day = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Why a review cannot open for `quarter` on the local day `today` in `timeZone` (ended, or not begun); undefined while it is under way. */
export function notUnderWay(quarter: Quarter, today: string, timeZone: string): string | undefined {
  if (today > lastDayOf(quarter)) return `${quarter} ended on ${lastDayOf(quarter)} (in ${timeZone}): a review opens for the quarter under way`;
  const early = notBegun(quarter, today, timeZone);
  return early ? `${early}: a review opens for the quarter under way` : undefined;
}

/** Why a quarter's figures cannot be given yet (the report, the audit package, alert statistics): it has not begun where the organisation is. */
export function notBegun(quarter: Quarter, today: string, timeZone: string): string | undefined {
  return today < firstDayOf(quarter) ? `${quarter} has not begun (it begins ${firstDayOf(quarter)} in ${timeZone})` : undefined;
}

export function nextQuarter(q: Quarter): Quarter {
  const n = quarterNumber(q);
  return n === 4 ? `${Number(q.slice(0, 4)) + 1}-Q1` : `${q.slice(0, 4)}-Q${n + 1}`;
}

export function previousQuarter(q: Quarter): Quarter {
  const n = quarterNumber(q);
  return n === 1 ? `${Number(q.slice(0, 4)) - 1}-Q4` : `${q.slice(0, 4)}-Q${n - 1}`;
}
