// Working hours and holidays in the organisation's time zone, fast enough to ask of
// every event: a zone's offset from UTC is looked up once per UTC hour (through
// Intl) and remembered, so a million events cost a few hundred lookups. Hong Kong's
// general holidays are built in; an organisation adds its own days off. Pure.
import type { MonitoringPolicy } from './policy.ts';
import { WEEKDAYS } from './policy.ts';

/**
 * Hong Kong's general holidays (Sundays aside), as the Government gazettes them
 * each year (www.gov.hk, "General holidays"). Update this list when a year is
 * gazetted; until then an organisation lists that year's days in
 * `monitoring.holidays.extra`.
 */
export const HK_GENERAL_HOLIDAYS: Readonly<Record<number, readonly string[]>> = {
  2025: [
    '2025-01-01', '2025-01-29', '2025-01-30', '2025-01-31', '2025-04-04', '2025-04-18', '2025-04-19', '2025-04-21', '2025-05-01', '2025-05-05',
    '2025-05-31', '2025-07-01', '2025-10-01', '2025-10-07', '2025-10-29', '2025-12-25', '2025-12-26',
  ],
  2026: [
    '2026-01-01', '2026-02-17', '2026-02-18', '2026-02-19', '2026-04-03', '2026-04-04', '2026-04-06', '2026-04-07', '2026-05-01', '2026-05-25',
    '2026-06-19', '2026-07-01', '2026-09-26', '2026-10-01', '2026-10-19', '2026-12-25', '2026-12-26',
  ],
};

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

/** The local calendar of one time zone: date, weekday and minute of the day of a UTC moment. */
export class ZoneClock {
  readonly timeZone: string;
  private readonly offsets = new Map<number, number>();
  private readonly format: Intl.DateTimeFormat;

  constructor(timeZone: string) {
    this.timeZone = timeZone;
    this.format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  }

  /** Minutes to add to UTC for local time at `ms`: looked up once per UTC hour, or per minute in an hour when the zone's offset changes. */
  offsetMinutes(ms: number): number {
    const hour = Math.floor(ms / HOUR_MS);
    let offset = this.offsets.get(hour);
    if (offset === undefined) {
      offset = this.offsetAt(hour * HOUR_MS);
      // A zone whose offset changes inside this hour (rare: a change on a quarter hour) is looked up per minute.
      if (this.offsetAt(hour * HOUR_MS + HOUR_MS - MINUTE_MS) !== offset) return this.offsetAt(Math.floor(ms / MINUTE_MS) * MINUTE_MS);
      this.offsets.set(hour, offset);
    }
    return offset;
  }

  private offsetAt(ms: number): number {
    const parts = this.format.formatToParts(new Date(ms));
    const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
    const local = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'));
    return Math.round((local - Math.floor(ms / MINUTE_MS) * MINUTE_MS) / MINUTE_MS);
  }

  /** Local milliseconds: UTC fields of the result read as local time. */
  local(ms: number): number {
    return ms + this.offsetMinutes(ms) * MINUTE_MS;
  }
}

/** When people work, in the organisation's time zone. */
export class WorkingTime {
  readonly clock: ZoneClock;
  private readonly start: number;
  private readonly end: number;
  private readonly days: ReadonlySet<number>;
  private readonly holidays: ReadonlySet<string>;
  /** Per local day number: is it a working day (a weekday worked, not a holiday). */
  private readonly dayCache = new Map<number, boolean>();

  constructor(timeZone: string, policy: Pick<MonitoringPolicy, 'workingHours' | 'holidays'>) {
    this.clock = new ZoneClock(timeZone);
    const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
    this.start = minutes(policy.workingHours.start);
    this.end = minutes(policy.workingHours.end);
    this.days = new Set(policy.workingHours.days.map((d) => WEEKDAYS.indexOf(d)));
    const builtIn = policy.holidays.calendar === 'hk' ? Object.values(HK_GENERAL_HOLIDAYS).flat() : [];
    this.holidays = new Set([...builtIn, ...policy.holidays.extra]);
  }

  /** Whether `ms` (UTC) falls inside working hours on a working day. */
  isWorking(ms: number): boolean {
    const local = this.clock.local(ms);
    const dayNumber = Math.floor(local / 86_400_000);
    let working = this.dayCache.get(dayNumber);
    if (working === undefined) {
      const weekday = (dayNumber + 4) % 7; // 1970-01-01 was a Thursday
      working = this.days.has(weekday) && !this.holidays.has(new Date(dayNumber * 86_400_000).toISOString().slice(0, 10));
      this.dayCache.set(dayNumber, working);
    }
    if (!working) return false;
    const minute = Math.floor((local % 86_400_000) / MINUTE_MS);
    return minute >= this.start && minute < this.end;
  }
}
