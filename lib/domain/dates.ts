// Calendar dates (YYYY-MM-DD, UTC) and the settable clock. Evidence validity is a
// whole-day matter: an item with validUntil 2026-12-31 is valid through that day.
import { z } from 'zod';
import { InputError } from '../errors.ts';

export const isoDate = z.iso.date({ error: 'must be a real date written YYYY-MM-DD' });

const DAY_MS = 86_400_000;

function toUtc(date: string): number {
  return Date.parse(`${date}T00:00:00Z`);
}

export function formatDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  return formatDate(toUtc(date) + days * DAY_MS);
}

/** Whole days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: string, to: string): number {
  return Math.round((toUtc(to) - toUtc(from)) / DAY_MS);
}

/**
 * collected + ISO-8601 period, minus one day: P1Y from 2026-01-01 is valid through
 * 2026-12-31. Months clamp to the month's end first: 31 January + P1M is 28
 * February, so the evidence is valid through 27 February.
 */
export function addPeriod(date: string, period: string): string {
  const [, y = '0', m = '0', w = '0', d = '0'] = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$/.exec(period) ?? [];
  const start = new Date(toUtc(date));
  const months = Number(y) * 12 + Number(m);
  const target = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(start.getUTCDate(), lastDay));
  return formatDate(target.getTime() + (Number(w) * 7 + Number(d) - 1) * DAY_MS);
}

/** A real calendar date written YYYY-MM-DD (2026-02-31 is not one, 2028-02-29 is). */
export function isRealDate(value: string): boolean {
  return isoDate.safeParse(value).success;
}

const TIME_WITH_OFFSET = /^T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

/**
 * An ISO-8601 date-time with its offset on a real date and a real time of day
 * (2026-11-30T09:00:00Z, 2026-11-30T17:00+08:00). Checked field by field, because
 * Date.parse rolls what does not exist over: 2026-11-31T00:00Z would be 1 December.
 */
function isRealInstant(value: string): boolean {
  return value.length <= 40 && isRealDate(value.slice(0, 10)) && TIME_WITH_OFFSET.test(value.slice(10));
}

/**
 * A moment as a request gives it (`from`, `to`): a real date, meaning its first moment
 * in UTC, or a real date-time with its offset; read as an ISO-8601 UTC instant.
 */
export const isoMoment = z
  .string()
  .max(40, 'must be a real date (2026-10-01) or an ISO-8601 date-time with offset (2026-10-01T09:00:00Z)')
  .refine((s) => isRealDate(s) || isRealInstant(s), 'must be a real date (2026-10-01) or an ISO-8601 date-time with offset (2026-10-01T09:00:00Z)')
  .transform((s) => new Date(s.length === 10 ? `${s}T00:00:00Z` : s).toISOString());

/**
 * A moment as a person writes it for `--now` or COMPLIANCE_NOW. A date alone means
 * 09:00 UTC that day; anything but a real ISO-8601 date or date-time with its
 * offset is refused (Date.parse would read "7" as July 2001). Without a value the
 * caller uses the system clock.
 */
export function parseNow(value: string): Date {
  if (isRealDate(value)) return new Date(`${value}T09:00:00Z`);
  if (isRealInstant(value)) return new Date(value);
  throw new InputError(`--now: "${value}" ${NOT_A_MOMENT}`);
}

/** Why a value is refused for --now or COMPLIANCE_NOW (each message names its own source). */
export const NOT_A_MOMENT = 'is not an ISO-8601 date (2026-11-30) or date-time with offset (2026-11-30T09:00:00Z)';

export function today(now: Date): string {
  return now.toISOString().slice(0, 10);
}
