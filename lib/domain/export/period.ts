// The period an audit package covers: a quarter of the organisation's own (`2026-Q4`),
// from its first local midnight to the next quarter's, as UTC instants, so that
// entries stamped in UTC can be held against it. Pure.
import { InputError } from '../../errors.ts';
import { firstDayOf, lastDayOf, nextQuarter, isQuarter, QUARTER_RULE, type Quarter } from '../review/quarter.ts';

export interface PeriodWindow {
  period: Quarter;
  timeZone: string;
  /** The first and last local days (YYYY-MM-DD). */
  firstDay: string;
  lastDay: string;
  /** The first local midnight, as a UTC instant (ISO-8601): included. */
  from: string;
  /** The next period's first local midnight: excluded. */
  to: string;
}

/** A period as a person or a request gives it; anything but `YYYY-Qn` is refused, naming the field. */
export function parsePeriod(value: unknown, field = 'period'): Quarter {
  if (!isQuarter(value)) throw new InputError(`${field}: ${JSON.stringify(value)} ${QUARTER_RULE}`);
  return value;
}

/** Minutes `timeZone` is ahead of UTC at `ms`. */
function offsetMinutes(ms: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(ms));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const local = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((local - Math.floor(ms / 1000) * 1000) / 60_000);
}

/** The instant a local day begins in `timeZone`: its midnight, or where a clock change skips midnight, the moment after the change. */
export function startOfLocalDay(day: string, timeZone: string): string {
  const midnight = Date.parse(`${day}T00:00:00Z`);
  const localDay = (t: number) => new Date(t + offsetMinutes(t, timeZone) * 60_000).toISOString().slice(0, 10);
  // The offset at a first guess may differ from the offset at the answer (a change near midnight): try both.
  const a = midnight - offsetMinutes(midnight, timeZone) * 60_000;
  const b = midnight - offsetMinutes(a, timeZone) * 60_000;
  const first = [a, b].filter((t) => localDay(t) === day).sort((x, y) => x - y)[0] ?? Math.max(a, b);
  return new Date(first).toISOString();
}

export function periodWindow(period: Quarter, timeZone: string): PeriodWindow {
  return {
    period,
    timeZone,
    firstDay: firstDayOf(period),
    lastDay: lastDayOf(period),
    from: startOfLocalDay(firstDayOf(period), timeZone),
    to: startOfLocalDay(firstDayOf(nextQuarter(period)), timeZone),
  };
}

/** Whether an ISO-8601 instant falls in the window. */
export function inWindow(at: string, w: Pick<PeriodWindow, 'from' | 'to'>): boolean {
  const t = Date.parse(at);
  return t >= Date.parse(w.from) && t < Date.parse(w.to);
}
