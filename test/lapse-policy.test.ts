// The lapse policy and the calendar arithmetic under it, at the boundaries.
import { describe, expect, it } from 'vitest';
import { addDays, addPeriod, daysBetween, parseNow, today } from '../lib/domain/dates.ts';
import { InputError } from '../lib/errors.ts';
import { sessionNow } from '../lib/cli/session.ts';
import type { SweepPolicy } from '../lib/domain/org/org.ts';
import { evidenceStatus, noticesNeeded, ownerStage, stageRank, type NoticeStage } from '../lib/domain/evidence/lapse-policy.ts';

const POLICY: SweepPolicy = { dueSoonDays: 14, escalateAfterDays: 7, reminderEveryDays: 7 };
const END = '2026-11-30';
/** The day `n` days after the validity end (negative: before). */
const day = (n: number) => addDays(END, n);

describe('evidenceStatus (validity end 2026-11-30, due soon 14 days, escalate after 7)', () => {
  it.each([
    [-100, 'current'],
    [-15, 'current'],
    [-14, 'due-soon'],
    [-1, 'due-soon'],
    [0, 'due-soon'],
    [1, 'lapsed'],
    [6, 'lapsed'],
    [7, 'escalated'],
    [61, 'escalated'],
  ] as const)('%i days from the end: %s', (n, status) => {
    expect(evidenceStatus(END, day(n), POLICY)).toEqual({ status, daysOverdue: n });
  });

  it('the end day itself is due soon with 0 days overdue; the next day lapsed by 1', () => {
    expect(evidenceStatus(END, '2026-11-30', POLICY)).toEqual({ status: 'due-soon', daysOverdue: 0 });
    expect(evidenceStatus(END, '2026-12-01', POLICY)).toEqual({ status: 'lapsed', daysOverdue: 1 });
    expect(evidenceStatus(END, '2026-11-16', POLICY)).toEqual({ status: 'due-soon', daysOverdue: -14 });
    expect(evidenceStatus(END, '2026-11-15', POLICY)).toEqual({ status: 'current', daysOverdue: -15 });
    expect(evidenceStatus(END, '2026-12-07', POLICY)).toEqual({ status: 'escalated', daysOverdue: 7 });
  });

  it('evidence without an end is always current, with no day count', () => {
    expect(evidenceStatus(undefined, '2099-01-01', POLICY)).toEqual({ status: 'current' });
  });

  it('follows the organisation\'s own policy', () => {
    const tight: SweepPolicy = { dueSoonDays: 0, escalateAfterDays: 2, reminderEveryDays: 3 };
    expect(evidenceStatus(END, day(-1), tight).status).toBe('current');
    expect(evidenceStatus(END, day(0), tight).status).toBe('due-soon');
    expect(evidenceStatus(END, day(1), tight).status).toBe('lapsed');
    expect(evidenceStatus(END, day(2), tight).status).toBe('escalated');
    const loose: SweepPolicy = { dueSoonDays: 30, escalateAfterDays: 30, reminderEveryDays: 7 };
    expect(evidenceStatus(END, day(-30), loose).status).toBe('due-soon');
    expect(evidenceStatus(END, day(-31), loose).status).toBe('current');
    expect(evidenceStatus(END, day(29), loose).status).toBe('lapsed');
    expect(evidenceStatus(END, day(30), loose).status).toBe('escalated');
  });
});

describe('ownerStage', () => {
  it.each([
    [-15, undefined],
    [-14, 'due-soon'],
    [0, 'due-soon'],
    [1, 'lapsed'],
    [7, 'lapsed'],
    [8, 'reminder-1'],
    [14, 'reminder-1'],
    [15, 'reminder-2'],
    [22, 'reminder-3'],
    [29, 'reminder-4'],
    [71, 'reminder-10'],
  ] as const)('cadence 7, %i days overdue: %s', (n, stage) => {
    expect(ownerStage(n, POLICY)).toBe(stage);
  });

  it('other cadences: every 3 days, every day, every 30 days', () => {
    const every3 = { ...POLICY, reminderEveryDays: 3 };
    expect([1, 2, 3, 4, 6, 7, 10].map((n) => ownerStage(n, every3))).toEqual([
      'lapsed', 'lapsed', 'lapsed', 'reminder-1', 'reminder-1', 'reminder-2', 'reminder-3',
    ]);
    const daily = { ...POLICY, reminderEveryDays: 1 };
    expect([1, 2, 3, 10].map((n) => ownerStage(n, daily))).toEqual(['lapsed', 'reminder-1', 'reminder-2', 'reminder-9']);
    const monthly = { ...POLICY, reminderEveryDays: 30 };
    expect([1, 30, 31, 60, 61].map((n) => ownerStage(n, monthly))).toEqual(['lapsed', 'lapsed', 'reminder-1', 'reminder-1', 'reminder-2']);
  });

  it('a due-soon window of 0 days notices only on the end day', () => {
    const none = { ...POLICY, dueSoonDays: 0 };
    expect(ownerStage(-1, none)).toBeUndefined();
    expect(ownerStage(0, none)).toBe('due-soon');
  });
});

describe('noticesNeeded', () => {
  it('nothing for evidence with no end, or outside the due-soon window', () => {
    expect(noticesNeeded(undefined, END, POLICY)).toEqual([]);
    expect(noticesNeeded(END, day(-15), POLICY)).toEqual([]);
  });

  it('one owner notice before the escalation day', () => {
    expect(noticesNeeded(END, day(-14), POLICY)).toEqual([{ stage: 'due-soon', to: 'owner' }]);
    expect(noticesNeeded(END, day(0), POLICY)).toEqual([{ stage: 'due-soon', to: 'owner' }]);
    expect(noticesNeeded(END, day(1), POLICY)).toEqual([{ stage: 'lapsed', to: 'owner' }]);
    expect(noticesNeeded(END, day(6), POLICY)).toEqual([{ stage: 'lapsed', to: 'owner' }]);
  });

  it('from the escalation day on: the owner notice and the escalation', () => {
    expect(noticesNeeded(END, day(7), POLICY)).toEqual([
      { stage: 'lapsed', to: 'owner' },
      { stage: 'escalated', to: 'escalation' },
    ]);
    expect(noticesNeeded(END, day(8), POLICY)).toEqual([
      { stage: 'reminder-1', to: 'owner' },
      { stage: 'escalated', to: 'escalation' },
    ]);
    expect(noticesNeeded(END, day(15), POLICY)).toEqual([
      { stage: 'reminder-2', to: 'owner' },
      { stage: 'escalated', to: 'escalation' },
    ]);
  });

  it('with escalation after 2 days and reminders every 3', () => {
    const p = { dueSoonDays: 3, escalateAfterDays: 2, reminderEveryDays: 3 };
    expect(noticesNeeded(END, day(1), p)).toEqual([{ stage: 'lapsed', to: 'owner' }]);
    expect(noticesNeeded(END, day(2), p)).toEqual([{ stage: 'lapsed', to: 'owner' }, { stage: 'escalated', to: 'escalation' }]);
    expect(noticesNeeded(END, day(4), p)).toEqual([{ stage: 'reminder-1', to: 'owner' }, { stage: 'escalated', to: 'escalation' }]);
  });

  it('works across a month end (end 2026-01-31, day 2026-02-08 is reminder-1)', () => {
    expect(noticesNeeded('2026-01-31', '2026-02-08', POLICY)).toEqual([
      { stage: 'reminder-1', to: 'owner' },
      { stage: 'escalated', to: 'escalation' },
    ]);
  });
});

describe('stageRank', () => {
  it('orders due-soon < lapsed < reminder-1 < reminder-2 < ... < reminder-10 < escalated', () => {
    const stages: NoticeStage[] = ['due-soon', 'lapsed', 'reminder-1', 'reminder-2', 'reminder-9', 'reminder-10', 'reminder-100', 'escalated'];
    const ranks = stages.map(stageRank);
    for (let i = 1; i < ranks.length; i++) expect(ranks[i]).toBeGreaterThan(ranks[i - 1] as number);
    expect(stageRank('due-soon')).toBe(0);
    expect(stageRank('lapsed')).toBe(1);
    expect(stageRank('reminder-1')).toBe(2);
    expect(stageRank('reminder-10')).toBe(11); // numeric, not "reminder-10" < "reminder-9"
  });

  it('the stage ownerStage gives never goes down as the days pass', () => {
    let previous = -1;
    for (let n = -14; n <= 100; n++) {
      const stage = ownerStage(n, POLICY);
      if (!stage) throw new Error(`no stage at ${n}`);
      expect(stageRank(stage)).toBeGreaterThanOrEqual(previous);
      previous = stageRank(stage);
    }
  });
});

describe('addPeriod (collected + period - 1 day)', () => {
  it.each([
    ['2026-01-01', 'P1Y', '2026-12-31'],
    ['2026-01-01', 'P1M', '2026-01-31'],
    ['2026-01-15', 'P1M', '2026-02-14'],
    ['2026-01-01', 'P90D', '2026-03-31'], // 31 + 28 + 31 = 90 days
    ['2026-01-01', 'P1D', '2026-01-01'], // valid on the day it was collected only
    ['2026-01-01', 'P2W', '2026-01-14'],
    ['2026-12-15', 'P1M', '2027-01-14'], // over a year end
    ['2024-12-14', 'P2Y', '2026-12-13'],
    ['2026-10-05', 'P3M', '2027-01-04'],
    ['2027-03-01', 'P1Y', '2028-02-29'], // into a leap February
    ['2026-01-01', 'P1Y2M10D', '2027-03-10'],
  ])('%s + %s -> %s', (collected, period, expected) => {
    expect(addPeriod(collected, period)).toBe(expected);
  });

  it('clamps to the end of a shorter month instead of running into the next', () => {
    // 31 January + 1 month is 28 February (not 3 March); valid through the day before.
    expect(addPeriod('2026-01-31', 'P1M')).toBe('2026-02-27');
    expect(addPeriod('2028-01-31', 'P1M')).toBe('2028-02-28'); // leap year: 29 February - 1
    expect(addPeriod('2026-03-31', 'P1M')).toBe('2026-04-29'); // 30 April - 1
    expect(addPeriod('2026-08-31', 'P6M')).toBe('2027-02-27');
  });

  it('29 February + 1 year clamps to 28 February', () => {
    expect(addPeriod('2028-02-29', 'P1Y')).toBe('2029-02-27');
    expect(addPeriod('2028-02-29', 'P4Y')).toBe('2032-02-28'); // 2032 is a leap year: 29 February - 1
  });

  it('is never before the collection date for a positive period', () => {
    for (const collected of ['2026-01-28', '2026-01-29', '2026-01-30', '2026-01-31', '2028-02-29', '2026-12-31']) {
      for (const period of ['P1D', 'P1W', 'P1M', 'P3M', 'P6M', 'P1Y']) {
        expect(addPeriod(collected, period) >= collected).toBe(true);
      }
    }
  });
});

describe('daysBetween', () => {
  it.each([
    ['2026-01-31', '2026-02-01', 1],
    ['2026-01-31', '2026-03-01', 29],
    ['2028-01-31', '2028-03-01', 30],
    ['2028-02-28', '2028-03-01', 2],
    ['2026-02-28', '2026-03-01', 1],
    ['2026-12-31', '2027-01-01', 1],
    ['2026-11-30', '2026-11-30', 0],
    ['2026-03-01', '2026-01-31', -29],
    ['2026-01-01', '2027-01-01', 365],
    ['2028-01-01', '2029-01-01', 366],
  ])('%s -> %s: %i', (from, to, expected) => {
    expect(daysBetween(from, to)).toBe(expected);
  });

  it('is the inverse of addDays', () => {
    for (const n of [-400, -31, -1, 0, 1, 28, 29, 365, 366, 1000]) expect(daysBetween('2026-02-28', addDays('2026-02-28', n))).toBe(n);
  });
});

describe('parseNow', () => {
  it('a date alone means 09:00 UTC that day', () => {
    expect(parseNow('2026-11-30').toISOString()).toBe('2026-11-30T09:00:00.000Z');
    expect(today(parseNow('2026-11-30'))).toBe('2026-11-30');
  });

  it('an ISO-8601 time with an offset', () => {
    expect(parseNow('2026-11-30T10:00:00+08:00').toISOString()).toBe('2026-11-30T02:00:00.000Z');
    expect(parseNow('2026-12-07T23:59:59Z').toISOString()).toBe('2026-12-07T23:59:59.000Z');
  });

  it('unset or empty: the system clock', () => {
    for (const value of [undefined, '']) {
      const before = Date.now();
      const now = sessionNow(value).getTime();
      expect(now).toBeGreaterThanOrEqual(before);
      expect(now).toBeLessThanOrEqual(Date.now());
    }
  });

  it.each(['not-a-date', '2026-13-01', '2026-11-30T25:00:00Z', 'tomorrow'])('refuses %j with an InputError naming --now', (value) => {
    expect(() => parseNow(value)).toThrow(InputError);
    expect(() => parseNow(value)).toThrow(`--now: "${value}" is not an ISO-8601 date (2026-11-30) or date-time with offset (2026-11-30T09:00:00Z)`);
  });

  // Date.parse would roll impossible dates over and read non-ISO text as some other day.
  it('refuses 30 February instead of rolling it over to 2 March', () => {
    expect(() => parseNow('2026-02-30')).toThrow(InputError);
  });

  it('refuses text that is not ISO-8601 (e.g. "7", which Date.parse reads as July 2001)', () => {
    expect(() => parseNow('7')).toThrow(InputError);
  });
});
