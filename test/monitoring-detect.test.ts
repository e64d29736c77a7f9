// The detections on unit fixtures: each fires on its planted pattern and stays silent
// on the ordinary activity around it (month-end payroll runs, staff whose own baseline
// is high, Hong Kong public holidays), and at the edges of window and threshold.
import { describe, expect, it } from 'vitest';
import { detect, identityOf, MAX_EVENT_IDS, type Baseline, type DetectionContext, type GroupProfile } from '../lib/domain/monitoring/detect.ts';
import type { Action, EventInput, HeldEvent } from '../lib/domain/monitoring/event.ts';
import { EventHolder, userHash } from '../lib/domain/monitoring/hold.ts';
import { MonitoringPolicy } from '../lib/domain/monitoring/policy.ts';
import { groupHash } from '../lib/domain/detect/mask.ts';
import { peopleByHash } from '../lib/domain/monitoring/profiles.ts';

const KEY = 'test-hash-key-0123456789';
const PLATFORM = 'dingtalk';
const holder = new EventHolder(KEY, PLATFORM, '2026-12-31T00:00:00.000Z');

const PEOPLE = [
  { id: 'ada', email: 'ada.chan@harbour.example' },
  { id: 'karen', email: 'karen.chan@harbour.example' },
  { id: 'kit', email: 'kit.it@harbour.example' },
  { id: 'mak', email: 'poyee.mak@harbour.example', leavingOn: '2026-12-31' },
  { id: 'newbie', email: 'new.joiner@harbour.example' },
];
const groups = new Map<string, GroupProfile>([
  [`${PLATFORM}#${groupHash(KEY, '薪酬组')}`, { name: '薪酬组', tier: 'red', rating: 'red', owner: 'karen' }],
  [`${PLATFORM}#${groupHash(KEY, '財務部')}`, { name: '財務部', tier: 'red', rating: 'red', owner: 'ada' }],
  [`${PLATFORM}#${groupHash(KEY, 'frontline')}`, { name: 'frontline', tier: 'amber', rating: 'amber' }],
  [`${PLATFORM}#${groupHash(KEY, 'lunch')}`, { name: 'lunch', tier: 'green', rating: 'green' }],
]);

function context(over: Partial<DetectionContext> = {}): DetectionContext {
  return { timeZone: 'Asia/Hong_Kong', policy: MonitoringPolicy.parse({}), people: peopleByHash(KEY, PEOPLE), groups, domains: ['harbour.example'], ...over };
}

/** An event at a Hong Kong local time (`2026-11-24 10:00`). */
function ev(user: string, action: Action, group: string | undefined, hkt: string, more: Partial<EventInput> = {}, n = 0): HeldEvent {
  const time = new Date(`${hkt.replace(' ', 'T')}:00+08:00`).toISOString();
  return holder.hold({ time, user, action, object: more.object ?? `file-${n}-${hkt}`, ...(group ? { group } : {}), ...more });
}

/** `count` events a second apart from `hkt`. */
function burst(user: string, action: Action, group: string, hkt: string, count: number, stepSeconds = 1): HeldEvent[] {
  const start = Date.parse(`${hkt.replace(' ', 'T')}:00+08:00`);
  return Array.from({ length: count }, (_, i) => holder.hold({ time: new Date(start + i * stepSeconds * 1000).toISOString(), user, action, object: `doc-${hkt}-${i}`, group }));
}

/** Ordinary days: `perDay` downloads spread over office hours, each working day from `from` for `days` days. */
function ordinary(user: string, group: string, from: string, days: number, perDay: number): HeldEvent[] {
  const out: HeldEvent[] = [];
  for (let d = 0; d < days; d++) {
    const day = new Date(Date.parse(`${from}T00:00:00Z`) + d * 86_400_000);
    if (day.getUTCDay() === 0 || day.getUTCDay() === 6) continue;
    const date = day.toISOString().slice(0, 10);
    for (let i = 0; i < perDay; i++) out.push(ev(user, 'download', group, `${date} ${String(9 + (i % 8)).padStart(2, '0')}:${String((i * 7) % 60).padStart(2, '0')}`, {}, i));
  }
  return out;
}

const rules = (events: HeldEvent[], ctx = context()) => detect(events, ctx).findings.map((f) => `${f.rule}${f.pattern ? `(${f.pattern})` : ''}:${f.person ?? f.userShown}:${f.day}`);
/** What a run finds in `fresh`, with `history` examined by earlier runs. */
const after = (history: HeldEvent[], fresh: HeldEvent[], ctx = context()) => {
  const ids = new Set(fresh.map((e) => e.id));
  return rules([...history, ...fresh], { ...ctx, isNew: (e) => ids.has(e.id) });
};

describe('volume', () => {
  it('fires on a bulk download far above the user\'s own baseline, once, and stays silent on the ordinary days before it', () => {
    const events = [...ordinary('ada.chan@harbour.example', '財務部', '2026-10-19', 35, 6), ...burst('ada.chan@harbour.example', 'download', '財務部', '2026-11-24 14:00', 90, 20)];
    const result = detect(events, context());
    expect(result.findings.map((f) => [f.rule, f.person, f.day, f.tier, f.severity])).toEqual([['volume', 'ada', '2026-11-24', 'red', 'high']]);
    const f = result.findings[0]!;
    // 90 events 20 s apart: the count crosses 40 at the 41st, and the alert holds the whole
    // burst, all 90 within the hour from its first (its ids capped at MAX_EVENT_IDS).
    expect(f.detail).toMatchObject({ count: 90, threshold: 40, learning: false, windowStart: '2026-11-24T06:00:00.000Z' });
    expect(f.eventCount).toBe(90);
    expect(f.lastEventAt).toBe(f.detail.windowEnd);
    expect(f.events).toHaveLength(Math.min(90, MAX_EVENT_IDS));
    expect(f.group).toBe('財務部');
  });

  it('is silent at the floor and fires one above it (threshold edge)', () => {
    const history = ordinary('ada.chan@harbour.example', '財務部', '2026-10-19', 30, 3);
    expect(rules([...history, ...burst('ada.chan@harbour.example', 'download', '財務部', '2026-11-24 14:00', 40)])).toEqual([]);
    expect(rules([...history, ...burst('ada.chan@harbour.example', 'download', '財務部', '2026-11-24 14:00', 41)])).toEqual(['volume:ada:2026-11-24']);
  });

  it('counts a window as (t - 60 min, t]: 41 downloads over exactly 60 minutes are 40 in any window; over 59 minutes 41 (window edge)', () => {
    const history = ordinary('ada.chan@harbour.example', '財務部', '2026-10-19', 30, 3);
    expect(rules([...history, ...burst('ada.chan@harbour.example', 'download', '財務部', '2026-11-24 14:00', 41, 90)])).toEqual([]); // 40 steps of 90 s = 60 min
    expect(rules([...history, ...burst('ada.chan@harbour.example', 'download', '財務部', '2026-11-24 14:00', 41, 88)])).toEqual(['volume:ada:2026-11-24']);
  });

  it('is silent on a month-end payroll run the user also ran last month (it is in the baseline)', () => {
    const history = ordinary('karen.chan@harbour.example', '薪酬组', '2026-08-24', 100, 3);
    const runs = ['2026-08-27 10:00', '2026-09-29 10:00', '2026-10-29 10:00', '2026-11-27 10:00'].flatMap((t) => burst('karen.chan@harbour.example', 'download', '薪酬组', t, 70, 30));
    expect(rules([...history, ...runs])).toEqual([]);
    // The same run with no month-end before it in the look-back fires.
    const first = burst('karen.chan@harbour.example', 'download', '薪酬组', '2026-11-27 10:00', 70, 30);
    expect(rules([...ordinary('karen.chan@harbour.example', '薪酬组', '2026-10-01', 56, 3), ...first])).toEqual(['volume:karen:2026-11-27']);
  });

  it('is silent on staff whose own baseline is high, and fires when they go far above it', () => {
    const daily = (day: string, n: number) => burst('kit.it@harbour.example', 'export', '財務部', `${day} 11:00`, n, 10);
    const days = Array.from({ length: 30 }, (_, i) => new Date(Date.parse('2026-10-20T00:00:00Z') + i * 86_400_000).toISOString().slice(0, 10));
    const history = days.flatMap((d) => daily(d, 200));
    expect(after(history, daily('2026-11-20', 220))).toEqual([]);
    // 3 x 200 = 600 is the threshold: 601 in one window fires.
    expect(after(history, burst('kit.it@harbour.example', 'export', '財務部', '2026-11-20 11:00', 601, 5))).toEqual(['volume:kit:2026-11-20']);
  });

  it('holds a user in their learning days to floor x multiplier, from a baseline held since', () => {
    const fresh = burst('new.joiner@harbour.example', 'download', '財務部', '2026-11-24 14:00', 120, 20);
    expect(rules(fresh)).toEqual([]);
    expect(rules(burst('new.joiner@harbour.example', 'download', '財務部', '2026-11-24 14:00', 121, 20))).toEqual(['volume:newbie:2026-11-24']);
    // With a baseline held from before the batch (first seen 40 days ago, quiet days), the floor applies.
    const baselines = new Map<string, Baseline>([[identityOf({ id: 'newbie' }, ''), { identity: 'person:newbie', firstSeen: '2026-10-15', days: { '2026-11-20': [5, 0] } }]]);
    expect(rules(burst('new.joiner@harbour.example', 'download', '財務部', '2026-11-24 14:00', 41, 20), context({ baselines }))).toEqual(['volume:newbie:2026-11-24']);
    // A stranger's baseline is held by the keyed hash of how the platform names them.
    const guest = new Map<string, Baseline>([[identityOf(undefined, userHash(KEY, 'Guest@Partner.example')), { identity: '', firstSeen: '2026-10-15', days: {} }]]);
    expect(rules(burst('guest@partner.example', 'download', 'frontline', '2026-11-24 14:00', 81, 20), context({ baselines: guest }))).toEqual(['volume:g***@partner.example:2026-11-24']);
  });

  it('holds each tier to its own floor: 60 downloads from an amber group do not fire, from a red one they do', () => {
    expect(rules(burst('ada.chan@harbour.example', 'download', 'frontline', '2026-11-24 14:00', 60), context({ policy: MonitoringPolicy.parse({ learningDays: 0 }) }))).toEqual([]);
    expect(rules(burst('ada.chan@harbour.example', 'download', '薪酬组', '2026-11-24 14:00', 60), context({ policy: MonitoringPolicy.parse({ learningDays: 0 }) }))).toEqual(['volume:ada:2026-11-24']);
  });
});

describe('timing', () => {
  const policy = MonitoringPolicy.parse({ learningDays: 0 });
  it('fires on bulk activity at night and at the weekend, not in office hours', () => {
    expect(rules(burst('ada.chan@harbour.example', 'download', '財務部', '2026-11-21 02:00', 20, 30), context({ policy }))).toEqual(['timing:ada:2026-11-21']); // Saturday night
    expect(rules(burst('ada.chan@harbour.example', 'download', '財務部', '2026-11-24 22:30', 20, 30), context({ policy }))).toEqual(['timing:ada:2026-11-24']); // Tuesday, after 20:00
    expect(rules(burst('ada.chan@harbour.example', 'download', '財務部', '2026-11-24 10:00', 20, 30), context({ policy }))).toEqual([]); // Tuesday morning
    expect(rules(burst('ada.chan@harbour.example', 'download', '財務部', '2026-11-24 19:50', 20, 1), context({ policy }))).toEqual([]); // before 20:00
  });

  it('treats Hong Kong public holidays as outside working hours, and is silent on ordinary activity on them', () => {
    // 2026-10-01 (National Day) and 2026-10-19 (the day following Chung Yeung) are Thursday and Monday.
    expect(rules(burst('ada.chan@harbour.example', 'download', '財務部', '2026-10-01 10:00', 20, 30), context({ policy }))).toEqual(['timing:ada:2026-10-01']);
    expect(rules(burst('ada.chan@harbour.example', 'download', '財務部', '2026-10-19 10:00', 20, 30), context({ policy }))).toEqual(['timing:ada:2026-10-19']);
    expect(rules(burst('ada.chan@harbour.example', 'download', '財務部', '2026-10-02 10:00', 20, 30), context({ policy }))).toEqual([]);
    // A few files looked at on the holiday, and the catch-up the day after: silent.
    const light = [...burst('ada.chan@harbour.example', 'download', '財務部', '2026-10-01 11:00', 6, 300), ...burst('ada.chan@harbour.example', 'download', '財務部', '2026-10-02 09:30', 35, 60)];
    expect(rules(light, context({ policy }))).toEqual([]);
    // Without the built-in calendar the holiday is a Thursday like any other.
    expect(rules(burst('ada.chan@harbour.example', 'download', '財務部', '2026-10-01 10:00', 20, 30), context({ policy: MonitoringPolicy.parse({ learningDays: 0, holidays: { calendar: 'none' } }) }))).toEqual([]);
  });

  it('is silent for someone whose own work is at night, and fires far above it', () => {
    const nights = Array.from({ length: 20 }, (_, i) => new Date(Date.parse('2026-10-25T00:00:00Z') + i * 86_400_000).toISOString().slice(0, 10));
    const history = nights.flatMap((d) => burst('kit.it@harbour.example', 'export', '財務部', `${d} 23:00`, 25, 60));
    // Her own night-time baseline is 25: three times that is 75.
    expect(after(history, burst('kit.it@harbour.example', 'export', '財務部', '2026-11-20 23:00', 30, 60))).toEqual([]);
    expect(after(history, burst('kit.it@harbour.example', 'export', '財務部', '2026-11-20 23:00', 75, 5)).filter((r) => r.startsWith('timing'))).toEqual([]);
    expect(after(history, burst('kit.it@harbour.example', 'export', '財務部', '2026-11-20 23:00', 76, 5)).filter((r) => r.startsWith('timing'))).toEqual(['timing:kit:2026-11-20']);
  });
});

describe('flow', () => {
  it('fires on content forwarded to a group of a lower tier, not to one of the same or a higher tier', () => {
    const f = detect([ev('karen.chan@harbour.example', 'forward', '薪酬组', '2026-11-17 15:00', { target: 'frontline' })], context()).findings;
    expect(f.map((x) => [x.rule, x.tier, x.severity, x.detail])).toEqual([['flow', 'red', 'high', { kind: 'lower-tier', to: 'frontline', toTier: 'amber' }]]);
    expect(rules([ev('karen.chan@harbour.example', 'forward', 'frontline', '2026-11-17 15:00', { target: '薪酬组' })])).toEqual([]);
    expect(rules([ev('karen.chan@harbour.example', 'forward', '薪酬组', '2026-11-17 15:00', { target: '財務部' })])).toEqual([]);
    // A group nobody has assessed counts as green.
    expect(rules([ev('karen.chan@harbour.example', 'forward', '薪酬组', '2026-11-17 15:00', { target: 'somewhere new' })])).toEqual(['flow:karen:2026-11-17']);
  });

  it('fires on content sent outside the organisation\'s domains and to personal accounts, as the tier asks', () => {
    const at = (group: string, target: string) => detect([ev('ada.chan@harbour.example', 'forward', group, '2026-11-12 11:00', { target })], context()).findings.map((f) => [f.severity, f.detail.kind, f.detail.domain]);
    expect(at('財務部', 'someone@gmail.com')).toEqual([['critical', 'personal', 'gmail.com']]);
    expect(at('財務部', 'cfo@client.example')).toEqual([['high', 'outside', 'client.example']]);
    expect(at('財務部', 'karen.chan@harbour.example')).toEqual([]);
    expect(at('財務部', 'team@hk.harbour.example')).toEqual([]); // a subdomain is inside
    expect(at('lunch', 'friend@client.example')).toEqual([]); // green: outside addresses are ordinary business
    expect(at('lunch', 'me@gmail.com')).toEqual([['medium', 'personal', 'gmail.com']]);
  });

  it('gathers a day\'s forwards of one kind into one finding', () => {
    const events = [1, 2, 3].map((i) => ev('ada.chan@harbour.example', 'forward', '財務部', `2026-11-12 1${i}:00`, { target: 'me@gmail.com' }, i));
    const [f, ...rest] = detect(events, context()).findings;
    expect(rest).toEqual([]);
    expect(f?.eventCount).toBe(3);
    expect(f?.firstEventAt).toBe(events[0]!.time);
    expect(f?.lastEventAt).toBe(events[2]!.time);
  });
});

describe('strangers', () => {
  it('fires on anyone not of the organisation active in a red group, not in others, not on the organisation\'s people', () => {
    expect(rules([ev('auditor@partner.example', 'view', '薪酬组', '2026-11-20 10:00')])).toEqual(['strangers:a***@partner.example:2026-11-20']);
    expect(rules([ev('auditor@partner.example', 'view', 'frontline', '2026-11-20 10:00')])).toEqual([]);
    expect(rules([ev('karen.chan@harbour.example', 'view', '薪酬组', '2026-11-20 10:00')])).toEqual([]);
    expect(rules([ev('KAREN', 'view', '薪酬组', '2026-11-20 10:00')])).toEqual([]); // a person named by their id, in any case
    // Someone with the organisation's domain who is not one of its people is a stranger too, and it says so.
    const f = detect([ev('temp.staff@harbour.example', 'download', '薪酬组', '2026-11-20 10:00')], context()).findings;
    expect(f.map((x) => [x.rule, x.detail.insideDomain])).toEqual([['strangers', true]]);
  });
});

describe('exposure', () => {
  it('fires on a public link or a link to an outside address on a red group\'s object', () => {
    expect(detect([ev('karen.chan@harbour.example', 'share-link', '薪酬组', '2026-11-23 16:00', { target: 'public' })], context()).findings.map((f) => [f.rule, f.detail.kind, f.severity])).toEqual([['exposure', 'public', 'high']]);
    expect(rules([ev('karen.chan@harbour.example', 'share-external', '薪酬组', '2026-11-23 16:00', { target: 'hr@bureau.example' })])).toEqual(['exposure:karen:2026-11-23']);
    expect(rules([ev('karen.chan@harbour.example', 'share-external', '薪酬组', '2026-11-23 16:00', { target: 'ada.chan@harbour.example' })])).toEqual([]);
    expect(rules([ev('karen.chan@harbour.example', 'share-link', 'frontline', '2026-11-23 16:00', { target: 'public' })])).toEqual([]);
  });
});

describe('a group of a source the latest scan could not read', () => {
  it('holds its content to the red tier, and says in the finding that the tier is assumed', () => {
    const unread = new Map(groups).set(`${PLATFORM}#${groupHash(KEY, '付款審批')}`, { name: '付款審批', tier: 'red', rating: 'red', assumed: 'source-not-assessed' });
    const history = ordinary('ada.chan@harbour.example', 'lunch', '2026-10-19', 30, 3);
    const found = detect([...history, ...burst('ada.chan@harbour.example', 'download', '付款審批', '2026-11-24 14:00', 41)], context({ groups: unread })).findings;
    expect(found.map((f) => [f.rule, f.tier, f.severity, f.detail.tierAssumed])).toEqual([['volume', 'red', 'high', 'source-not-assessed']]);
    const forward = detect([ev('ada.chan@harbour.example', 'forward', '付款審批', '2026-11-24 14:00', { target: 'me@gmail.com' })], context({ groups: unread })).findings;
    expect(forward.map((f) => [f.rule, f.tier, f.severity, f.detail.tierAssumed])).toEqual([['flow', 'red', 'critical', 'source-not-assessed']]);
    // An assessed red group's findings say nothing of the kind.
    const assessed = detect([...history, ...burst('ada.chan@harbour.example', 'download', '財務部', '2026-11-24 14:00', 41)], context()).findings;
    expect(assessed.map((f) => [f.rule, f.tier])).toEqual([['volume', 'red']]);
    expect(assessed[0]!.detail).not.toHaveProperty('tierAssumed');
  });
});

describe('sharing to a personal account', () => {
  it("raises flow as severe as a forward beside exposure when a red group's content is shared to a personal account; to another outside address, exposure alone", () => {
    const at = (action: Action, target: string) => detect([ev('karen.chan@harbour.example', action, '薪酬组', '2026-11-23 16:00', { target })], context()).findings.map((f) => [f.rule, f.severity, f.detail.kind]);
    const forwarded = at('forward', 'karen.home@gmail.com');
    expect(forwarded).toEqual([['flow', 'critical', 'personal']]);
    expect(at('share-external', 'karen.home@gmail.com').sort()).toEqual([['exposure', 'high', 'external'], ...forwarded]);
    expect(at('share-external', 'hr@bureau.example')).toEqual([['exposure', 'high', 'external']]);
  });
});

describe('departure', () => {
  it('holds someone in their notice period to lower thresholds, and names the pattern', () => {
    const history = ordinary('poyee.mak@harbour.example', '財務部', '2026-10-01', 60, 2);
    const inNotice = detect([...history, ...burst('poyee.mak@harbour.example', 'export', '財務部', '2026-12-08 15:00', 25, 30)], context()).findings;
    expect(inNotice.map((f) => [f.rule, f.pattern, f.person, f.severity])).toEqual([['departure', 'volume', 'mak', 'critical']]);
    expect(rules([...history, ...burst('poyee.mak@harbour.example', 'export', '財務部', '2026-11-20 15:00', 25, 30)])).toEqual([]); // before the notice period
    expect(rules([ev('poyee.mak@harbour.example', 'forward', '財務部', '2026-12-10 11:00', { target: 'mak.py@gmail.com' })])).toEqual(['departure(flow):mak:2026-12-10']);
  });
});

describe('as a run uses it', () => {
  it('gives the same ids every time, and nothing when no event is new', () => {
    const events = [...ordinary('ada.chan@harbour.example', '財務部', '2026-10-19', 35, 6), ...burst('ada.chan@harbour.example', 'download', '財務部', '2026-11-24 14:00', 90, 20), ev('auditor@partner.example', 'view', '薪酬组', '2026-11-20 10:00')];
    const a = detect(events, context()).findings.map((f) => f.id);
    const b = detect([...events].reverse(), context()).findings.map((f) => f.id);
    expect(a).toHaveLength(2);
    expect(b).toEqual(a);
    expect(a.every((id) => /^\d{8}-[0-9a-f]{8}$/.test(id))).toBe(true);
    expect(detect(events, context({ isNew: () => false })).findings).toEqual([]);
  });

  it('examines a late event against the events already held around it', () => {
    const held = burst('ada.chan@harbour.example', 'download', '財務部', '2026-11-24 14:00', 40, 20);
    const late = ev('ada.chan@harbour.example', 'download', '財務部', '2026-11-24 14:05', {}, 99);
    const ids = new Set([late.id]);
    const found = detect([...held, late], context({ policy: MonitoringPolicy.parse({ learningDays: 0 }), isNew: (e) => ids.has(e.id) })).findings;
    expect(found.map((f) => f.rule)).toEqual(['volume']);
    expect(found[0]!.events).toContain(late.id);
  });

  it('reports each user\'s busiest window per day, never below the baseline held', () => {
    const events = burst('ada.chan@harbour.example', 'download', '財務部', '2026-11-24 22:00', 12, 60);
    const id = identityOf({ id: 'ada' }, '');
    const result = detect(events, context({ baselines: new Map([[id, { identity: id, firstSeen: '2026-09-01', days: { '2026-11-24': [30, 3] } }]]) }));
    expect(result.days).toEqual([{ identity: id, day: '2026-11-24', peak: 30, offPeak: 12 }]);
    expect(result.firstSeen.get(id)).toBe('2026-09-01');
  });

  it('holds a group named after a bare phone number masked, with the keyed hash of its raw name', () => {
    const held = ev('ada.chan@harbour.example', 'download', '9123 4567 陳生', '2026-11-24 10:00', { target: '91234567' });
    expect([held.group, held.groupHash]).toEqual(['+852 ****4567 陳生', groupHash(KEY, '9123 4567 陳生')]);
    expect(held.target).toEqual({ kind: 'group', name: '+852 ****4567', hash: groupHash(KEY, '91234567') });
  });
});
