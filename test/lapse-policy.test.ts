// The lapse policy and the calendar arithmetic under it, at the boundaries.
import { describe, expect, it } from 'vitest';
import { addDays, addPeriod, daysBetween, parseNow, today } from '../lib/domain/dates.ts';
import { InputError } from '../lib/errors.ts';
import { sessionNow } from '../lib/cli/session.ts';
import type { SweepPolicy } from '../lib/domain/org/org.ts';
import { evidenceStatus, noticesNeeded, ownerStage, stageRank, type NoticeHistory, type NoticeStage } from '../lib/domain/evidence/lapse-policy.ts';

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

/** Every day from `from` to `to` (offsets from the end). */
const everyDay = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const ownerLog = (log: string[]) => log.filter((l) => !l.endsWith(' escalated'));

describe('ownerStage with a sweep every day', () => {
  it('cadence 7: due soon 14 days before, lapsed the day after the end, then a reminder every 7 days', () => {
    expect(ownerLog(simulate(everyDay(-20, 71)))).toEqual([
      '-14 due-soon', '1 lapsed', '8 reminder-1', '15 reminder-2', '22 reminder-3', '29 reminder-4', '36 reminder-5',
      '43 reminder-6', '50 reminder-7', '57 reminder-8', '64 reminder-9', '71 reminder-10',
    ]);
  });

  it('other cadences: every 3 days, every day, every 30 days', () => {
    expect(ownerLog(simulate(everyDay(1, 10), { ...POLICY, reminderEveryDays: 3 }))).toEqual(['1 lapsed', '4 reminder-1', '7 reminder-2', '10 reminder-3']);
    expect(ownerLog(simulate(everyDay(1, 4), { ...POLICY, reminderEveryDays: 1 }))).toEqual(['1 lapsed', '2 reminder-1', '3 reminder-2', '4 reminder-3']);
    expect(ownerLog(simulate(everyDay(1, 61), { ...POLICY, reminderEveryDays: 30 }))).toEqual(['1 lapsed', '31 reminder-1', '61 reminder-2']);
  });

  it('a due-soon window of 0 days notices only on the end day', () => {
    const none = { ...POLICY, dueSoonDays: 0 };
    expect(ownerStage(END, day(-1), none)).toBeUndefined();
    expect(ownerStage(END, day(0), none)).toBe('due-soon');
    expect(ownerStage(END, day(0), none, { noticed: ['due-soon'] })).toBeUndefined();
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

  it('from the escalation day on: the owner notice due and the escalation, once', () => {
    expect(noticesNeeded(END, day(7), POLICY)).toEqual([
      { stage: 'lapsed', to: 'owner' },
      { stage: 'escalated', to: 'escalation' },
    ]);
    expect(noticesNeeded(END, day(8), POLICY, { noticed: ['lapsed'], ownerNoticedOn: day(1) })).toEqual([
      { stage: 'reminder-1', to: 'owner' },
      { stage: 'escalated', to: 'escalation' },
    ]);
    expect(noticesNeeded(END, day(15), POLICY, { noticed: ['lapsed', 'reminder-1', 'escalated'], ownerNoticedOn: day(8) })).toEqual([
      { stage: 'reminder-2', to: 'owner' },
    ]);
  });

  it('with escalation after 2 days and reminders every 3', () => {
    const p = { dueSoonDays: 3, escalateAfterDays: 2, reminderEveryDays: 3 };
    expect(simulate(everyDay(-5, 7), p)).toEqual(['-3 due-soon', '1 lapsed', '2 escalated', '4 reminder-1', '7 reminder-2']);
  });

  it('works across a month end (end 2026-01-31, lapsed noticed 2026-02-01: reminder-1 on 2026-02-08)', () => {
    const history = { noticed: ['lapsed'], ownerNoticedOn: '2026-02-01' };
    expect(noticesNeeded('2026-01-31', '2026-02-07', POLICY, history)).toEqual([{ stage: 'escalated', to: 'escalation' }]);
    expect(noticesNeeded('2026-01-31', '2026-02-08', POLICY, history)).toEqual([
      { stage: 'reminder-1', to: 'owner' },
      { stage: 'escalated', to: 'escalation' },
    ]);
  });
});

/**
 * Sweeps on the given days (offsets from the end), each recording what noticesNeeded
 * asks for as the store would: the stage in `noticed`, and the day of an owner notice.
 */
function simulate(days: number[], policy: SweepPolicy = POLICY, start: NoticeHistory = { noticed: [] }): string[] {
  const history = { noticed: [...start.noticed], ownerNoticedOn: start.ownerNoticedOn };
  const log: string[] = [];
  for (const n of days) {
    for (const need of noticesNeeded(END, day(n), policy, history)) {
      if (history.noticed.includes(need.stage)) continue;
      history.noticed.push(need.stage);
      if (need.to === 'owner') history.ownerNoticedOn = day(n);
      log.push(`${n} ${need.stage}`);
    }
  }
  return log;
}

describe('noticesNeeded after missed days: the cadence follows what was recorded', () => {
  it('the first notice after the end is the lapsed notice, however late the first sweep runs', () => {
    expect(noticesNeeded(END, day(10), POLICY, { noticed: [] })).toEqual([
      { stage: 'lapsed', to: 'owner' },
      { stage: 'escalated', to: 'escalation' },
    ]);
    expect(noticesNeeded(END, day(36), POLICY, { noticed: ['due-soon'], ownerNoticedOn: day(-3) })[0]).toEqual({ stage: 'lapsed', to: 'owner' });
  });

  it('a reminder comes reminderEveryDays after the last owner notice recorded, not by the calendar', () => {
    const afterLapsed = { noticed: ['lapsed'], ownerNoticedOn: day(7) };
    expect(noticesNeeded(END, day(8), POLICY, afterLapsed)).toEqual([{ stage: 'escalated', to: 'escalation' }]);
    expect(noticesNeeded(END, day(13), POLICY, { ...afterLapsed, noticed: ['lapsed', 'escalated'] })).toEqual([]);
    expect(noticesNeeded(END, day(14), POLICY, { ...afterLapsed, noticed: ['lapsed', 'escalated'] })).toEqual([{ stage: 'reminder-1', to: 'owner' }]);
  });

  it('reminder numbers count the reminders recorded, not the weeks since the end', () => {
    const history = { noticed: ['lapsed', 'escalated', 'reminder-1'], ownerNoticedOn: day(30) };
    expect(noticesNeeded(END, day(36), POLICY, history)).toEqual([]);
    expect(noticesNeeded(END, day(37), POLICY, history)).toEqual([{ stage: 'reminder-2', to: 'owner' }]);
  });

  it('sweeps on days 7, 8 and 10 (the sample: an end 7 days back, then daily sweeps): lapsed first, no reminder a day later', () => {
    expect(simulate([7, 8, 9, 10])).toEqual(['7 lapsed', '7 escalated']);
    expect(simulate([7, 8, 9, 10, 13, 14, 15])).toEqual(['7 lapsed', '7 escalated', '14 reminder-1']);
  });

  it('the first sweep 36 days after the end sends "lapsed", and the next reminder (1) a full period later', () => {
    expect(simulate([36, 37, 38, 39, 42, 43])).toEqual(['36 lapsed', '36 escalated', '43 reminder-1']);
  });

  it('with sweeps on irregular days, reminders are at least reminderEveryDays apart and numbered 1, 2, 3 ...', () => {
    const days = [1, 2, 9, 10, 11, 20, 26, 27, 28, 40, 41, 47, 48];
    expect(simulate(days)).toEqual(['1 lapsed', '9 reminder-1', '9 escalated', '20 reminder-2', '27 reminder-3', '40 reminder-4', '47 reminder-5']);
    const every3 = { ...POLICY, reminderEveryDays: 3 };
    expect(simulate([1, 3, 4, 5, 8, 9, 10], every3)).toEqual(['1 lapsed', '4 reminder-1', '8 reminder-2', '8 escalated']);
  });

  it('an item noticed before the record of days existed (no ownerNoticedOn) takes its last stage\'s calendar day', () => {
    // Recorded by the calendar rule: lapsed from day 1, reminder-k from day 7k + 1.
    expect(noticesNeeded(END, day(7), POLICY, { noticed: ['lapsed', 'escalated'] })).toEqual([]);
    expect(noticesNeeded(END, day(8), POLICY, { noticed: ['lapsed', 'escalated'] })).toEqual([{ stage: 'reminder-1', to: 'owner' }]);
    // A first notice the calendar rule numbered 5: no lapsed notice after it, and the numbers go on from 5.
    expect(noticesNeeded(END, day(37), POLICY, { noticed: ['reminder-5', 'escalated'] })).toEqual([]);
    expect(noticesNeeded(END, day(43), POLICY, { noticed: ['reminder-5', 'escalated'] })).toEqual([{ stage: 'reminder-6', to: 'owner' }]);
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

  it('the owner stages recorded never go down as the days pass, whichever days the sweep runs', () => {
    for (const days of [everyDay(-14, 100), [-3, 2, 5, 9, 30, 31, 32, 60, 90]]) {
      const ranks = ownerLog(simulate(days)).map((l) => stageRank(l.split(' ')[1] as NoticeStage));
      for (let i = 1; i < ranks.length; i++) expect(ranks[i]).toBeGreaterThan(ranks[i - 1] as number);
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
