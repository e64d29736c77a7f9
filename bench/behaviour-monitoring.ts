// Benchmark: behaviour monitoring on a generated log of 1,000,000 events by 5,000 users
// over 30 days (2026-10-16 to 2026-11-14, a Hong Kong public holiday and a month's end
// among them), with 24 incidents planted among ordinary activity that includes what must
// stay silent: analysts who download 40 files an hour every day, administrators who
// export 50 files every night, a month-end payroll run in the baseline, light work on
// the holiday and at weekends, partners active in green groups, leavers going about
// their ordinary work.
//
// Prints (BENCH_ONLY=monitoring):
// - ingestion: the log as a CSV file read, each row read into the event schema and held
//   (keyed hashes and masks), events a second on one core, excluding the store;
// - detection: the pure detections over all of it with 5,000 users' baselines, events a
//   second on one core (target: 100,000), and the process's memory with every event held;
// - the planted incidents found (target: all) and the false alerts per 100,000 ordinary
//   events (target: at most 1);
// - the store: BENCH_MONITOR_STORE_EVENTS (default 20,000) of them written to DynamoDB
//   Local and one monitoring pass over them, with DynamoDB's own capacity figures.
// BENCH_MONITOR_EVENTS changes the size (default 1,000,000).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createStore } from '../lib/adapters/dynamodb/client.ts';
import { ensureTable } from '../lib/adapters/dynamodb/table-definition.ts';
import { openAuditLogFile } from '../lib/adapters/events/audit-log-files.ts';
import { startDynamoLocal } from '../lib/adapters/local/dynamodb-local.ts';
import { groupHash } from '../lib/domain/detect/mask.ts';
import { detect, identityOf, type Baseline, type GroupProfile } from '../lib/domain/monitoring/detect.ts';
import type { HeldEvent } from '../lib/domain/monitoring/event.ts';
import { EventHolder } from '../lib/domain/monitoring/hold.ts';
import { tableLayout } from '../lib/domain/monitoring/layouts.ts';
import { MonitoringPolicy } from '../lib/domain/monitoring/policy.ts';
import { peopleByHash } from '../lib/domain/monitoring/profiles.ts';
import { mulberry32 } from '../lib/domain/text/seeded-random.ts';
import { createRuntime } from '../lib/runtime.ts';
import { detectPass } from '../lib/usecases/monitoring/run.ts';

const EVENTS = Number(process.env.BENCH_MONITOR_EVENTS ?? 1_000_000);
const STORE_EVENTS = Number(process.env.BENCH_MONITOR_STORE_EVENTS ?? 20_000);
const USERS = 5_000;
const KEY = 'bench-hash-key-0123456789';
const PLATFORM = 'dingtalk';
const DOMAIN = 'bench.example';
const TZ = 'Asia/Hong_Kong';
const FIRST_DAY = '2026-10-16';
const DAYS = 30;

const rnd = mulberry32(42);
const between = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;

const user = (i: number) => `u${String(i).padStart(4, '0')}@${DOMAIN}`;
/** 40 groups: 10 red, 10 amber, 20 green, by the data map's rating and the risk tier alike. */
const GROUPS = Array.from({ length: 40 }, (_, i) => ({ name: `group-${String(i).padStart(2, '0')}`, tier: (i < 10 ? 'red' : i < 20 ? 'amber' : 'green') as 'red' | 'amber' | 'green' }));
const RED = GROUPS.filter((g) => g.tier === 'red').map((g) => g.name);
const AMBER = GROUPS.filter((g) => g.tier === 'amber').map((g) => g.name);
const GREEN = GROUPS.filter((g) => g.tier === 'green').map((g) => g.name);
const RANK = { green: 0, amber: 1, red: 2 };
const tierOf = (name: string) => GROUPS.find((g) => g.name === name)!.tier;
const HOLIDAY = '2026-10-19';

const dayOf = (n: number) => new Date(Date.parse(`${FIRST_DAY}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const weekday = (day: string) => new Date(`${day}T00:00:00Z`).getUTCDay();
const workday = (day: string) => weekday(day) >= 1 && weekday(day) <= 5 && day !== HOLIDAY;
/** Milliseconds of a Hong Kong wall-clock time, plus `s` seconds. */
const hk = (day: string, h: number, m = 0, s = 0) => Date.parse(`${day}T${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:00+08:00`) + s * 1000;

type Row = [ms: number, user: string, action: string, object: string, group: string, target: string];
interface Planted {
  rule: string;
  user: string;
  day: string;
}

const ANALYSTS = 100; // u0000-u0099: 40 downloads an hour, every working day, from amber groups
const ADMINS = 50; // u0100-u0149: 50 exports every weeknight at 23:00 from red groups
const PAYROLL = 20; // u0150-u0169: 70 payslips from a red group at the month's end
const LEAVERS = 30; // u0170-u0199: leaving in the window, doing their ordinary work
const PLANTED_FROM = 1_000; // planted incidents by users from here

function generate(): { rows: Row[]; planted: Planted[]; plantedEvents: number } {
  const rows: Row[] = [];
  const homes = Array.from({ length: USERS }, (_, i) => (i < ANALYSTS ? AMBER[i % 10]! : i < ANALYSTS + ADMINS + PAYROLL ? RED[i % 10]! : GROUPS[i % 40]!.name));
  const workdays = Array.from({ length: DAYS }, (_, n) => dayOf(n)).filter(workday);
  // The bulk of ordinary work, about 1,000,000 events in all.
  const perDay = Math.max(1, Math.round((EVENTS * 0.93) / (USERS * workdays.length)));
  for (const day of workdays) {
    for (let i = 0; i < USERS; i++) {
      const u = user(i);
      const home = homes[i]!;
      for (let k = 0; k < perDay; k++) {
        const t = hk(day, between(9, 17), between(0, 59), between(0, 59));
        const r = rnd();
        if (r < 0.1) rows.push([t, u, 'login', 'DingTalk', '', '']);
        else if (r < 0.5) rows.push([t, u, 'view', `doc-${between(1, 99999)}.pdf`, home, '']);
        else if (r < 0.72) rows.push([t, u, 'download', `doc-${between(1, 99999)}.pdf`, home, '']);
        else if (r < 0.92) rows.push([t, u, 'post', `message-${between(1, 99999)}`, home, '']);
        else if (r < 0.96) {
          // Forwards go to a group of the same tier or higher, or to a colleague.
          const higher = GROUPS.filter((g) => RANK[g.tier] >= RANK[tierOf(home)]).map((g) => g.name);
          rows.push([t, u, 'forward', `doc-${between(1, 99999)}.pdf`, home, rnd() < 0.7 ? pick(higher) : user(between(0, USERS - 1))]);
        } else if (r < 0.98) rows.push([t, u, 'export', `export-${between(1, 99999)}.xlsx`, home, '']);
        else if (tierOf(home) === 'green') rows.push([t, u, rnd() < 0.5 ? 'share-link' : 'forward', `brochure-${between(1, 999)}.pdf`, home, rnd() < 0.5 ? 'public' : `buyer${between(1, 99)}@client${between(1, 20)}.example`]);
        else rows.push([t, u, 'view', `doc-${between(1, 99999)}.pdf`, home, '']);
      }
    }
    for (let i = 0; i < ANALYSTS; i++) for (let k = 0; k < 40; k++) rows.push([hk(day, 11, 0, k * 80), user(i), 'download', `dataset-${day}-${k}.csv`, homes[i]!, '']);
    for (let i = ANALYSTS; i < ANALYSTS + ADMINS; i++) for (let k = 0; k < 50; k++) rows.push([hk(day, 23, 0, k * 30), user(i), 'export', `backup-${day}-${k}.zip`, homes[i]!, '']);
  }
  for (let i = ANALYSTS + ADMINS; i < ANALYSTS + ADMINS + PAYROLL; i++) for (let k = 0; k < 70; k++) rows.push([hk('2026-10-29', 10, 0, k * 25), user(i), 'download', `payslip-${k}.pdf`, homes[i]!, '']);
  // Light work on the holiday and at weekends.
  for (let i = 0; i < 300; i++) for (let k = 0; k < 3; k++) rows.push([hk(HOLIDAY, 11, k * 10), user(between(200, USERS - 1)), 'download', `doc-${i}-${k}.pdf`, pick(RED), '']);
  for (const day of Array.from({ length: DAYS }, (_, n) => dayOf(n)).filter((d) => !workday(d))) {
    for (let i = 0; i < 500; i++) rows.push([hk(day, between(10, 20), between(0, 59)), user(between(200, USERS - 1)), pick(['view', 'download']), `doc-${i}.pdf`, pick(GROUPS).name, '']);
  }
  // Partners, not the organisation's people, in green groups.
  for (const day of workdays) for (let p = 0; p < 200; p++) rows.push([hk(day, between(9, 17), between(0, 59)), `partner${p}@partner${p % 40}.example`, pick(['view', 'download', 'post']), `shared-${between(1, 999)}.pdf`, pick(GREEN), '']);

  const ordinary = rows.length;
  const planted: Planted[] = [];
  let n = PLANTED_FROM;
  const next = () => user(n++);
  const plant = (rule: string, u: string, day: string, make: () => void) => {
    make();
    planted.push({ rule, user: u, day });
  };
  for (const day of ['2026-10-22', '2026-10-27', '2026-11-04', '2026-11-11']) {
    const u = next();
    plant('volume', u, day, () => {
      for (let k = 0; k < 150; k++) rows.push([hk(day, 14, 0, k * 20), u, 'download', `finance-${k}.xlsx`, RED[0]!, '']);
    });
  }
  for (const day of ['2026-10-20', '2026-10-28', '2026-11-05', '2026-11-12']) {
    const u = next();
    plant('flow', u, day, () => rows.push([hk(day, 16, 45), u, 'forward', 'salaries.xlsx', RED[1]!, `${u.split('@')[0]}.home@gmail.com`]));
  }
  for (const day of ['2026-10-21', '2026-11-02', '2026-11-09']) {
    const u = next();
    plant('flow', u, day, () => rows.push([hk(day, 11, 20), u, 'forward', 'payslip.pdf', RED[2]!, GREEN[0]!]));
  }
  for (const day of ['2026-10-23', '2026-11-06']) {
    const u = next();
    plant('flow', u, day, () => rows.push([hk(day, 10, 5), u, 'forward', 'pricing.xlsx', AMBER[0]!, 'buyer@client-x.example']));
  }
  for (const [i, day] of ['2026-10-26', '2026-11-03', '2026-11-10'].entries()) {
    const u = `intruder${i}@elsewhere.example`;
    plant('strangers', u, day, () => {
      for (let k = 0; k < 5; k++) rows.push([hk(day, 10, k * 3), u, 'view', `payments-${k}.xlsx`, RED[3]!, '']);
    });
  }
  for (const day of ['2026-10-29', '2026-11-04', '2026-11-13']) {
    const u = next();
    plant('exposure', u, day, () => rows.push([hk(day, 14, 10), u, 'share-link', 'staff-list.xlsx', RED[4]!, 'public']));
  }
  for (const day of ['2026-10-17', '2026-10-31', '2026-11-07']) {
    const u = next();
    plant('timing', u, day, () => {
      for (let k = 0; k < 25; k++) rows.push([hk(day, 2, 10, k * 45), u, 'download', `ledger-${k}.xlsx`, RED[5]!, '']);
    });
  }
  // Two of the leavers (their notice period runs from 2026-10-21) export 30 files each.
  for (const [i, day] of ['2026-11-02', '2026-11-09'].entries()) {
    const u = user(ANALYSTS + ADMINS + PAYROLL + i);
    plant('departure(volume)', u, day, () => {
      for (let k = 0; k < 30; k++) rows.push([hk(day, 16, 0, k * 40), u, 'export', `payments-${k}.xlsx`, RED[6]!, '']);
    });
  }
  return { rows: rows.sort((a, b) => a[0] - b[0]), planted, plantedEvents: rows.length - ordinary };
}

/** Each user's figures for the 35 days before the window, as earlier runs would have left them. */
function baselines(people: Map<string, { id: string }>): Map<string, Baseline> {
  const out = new Map<string, Baseline>();
  const before = Array.from({ length: 35 }, (_, n) => new Date(Date.parse(`${FIRST_DAY}T00:00:00Z`) - (35 - n) * 86_400_000).toISOString().slice(0, 10));
  for (let i = 0; i < USERS; i++) {
    const person = people.get(new EventHolder(KEY, PLATFORM, '').hold({ time: '2026-01-01T00:00:00.000Z', user: user(i), action: 'view', object: 'x' }).user)!;
    const identity = identityOf(person, '');
    const peak: [number, number] = i < ANALYSTS ? [40, 0] : i < ANALYSTS + ADMINS ? [50, 50] : [3, 1];
    const days = Object.fromEntries(before.filter(workday).map((d) => [d, peak] as const));
    if (i >= ANALYSTS + ADMINS && i < ANALYSTS + ADMINS + PAYROLL) days['2026-09-29'] = [70, 0];
    out.set(identity, { identity, firstSeen: '2026-08-01', days });
  }
  return out;
}

const rate = (n: number, ms: number) => `${Math.round(n / (ms / 1000)).toLocaleString('en')} events/s`;

export async function main(): Promise<void> {
  console.log(`\nBehaviour monitoring: ${EVENTS.toLocaleString('en')} events (about), ${USERS.toLocaleString('en')} users, ${DAYS} days`);
  const t0 = performance.now();
  const { rows, planted, plantedEvents } = generate();
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-monitoring-'));
  const file = path.join(dir, 'audit.csv');
  writeFileSync(file, ['time,user,action,object,group,target,ip', ...rows.map((r) => `${new Date(r[0]).toISOString()},${r[1]},${r[2]},${r[3]},${r[4]},${r[5]},`)].join('\n'));
  console.log(`  generated ${rows.length.toLocaleString('en')} events (${plantedEvents.toLocaleString('en')} of them in ${planted.length} planted incidents) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  // Ingestion, excluding the store: read the CSV, each row into the event schema, held.
  const t1 = performance.now();
  const log = await openAuditLogFile(file);
  const reader = tableLayout((log.sample as { header: string[] }).header, { timeZone: TZ });
  const holder = new EventHolder(KEY, PLATFORM, '2026-11-15T00:00:00.000Z');
  const events: HeldEvent[] = [];
  for await (const r of log.records()) {
    const o = r.kind === 'problem' ? undefined : reader.read(r);
    if (o?.status === 'event') events.push(holder.hold(o.event));
  }
  const ingestMs = performance.now() - t1;
  rmSync(dir, { recursive: true, force: true });
  console.log(`  ingestion (read, parsed, held; no store): ${events.length.toLocaleString('en')} events in ${(ingestMs / 1000).toFixed(1)} s, ${rate(events.length, ingestMs)} on one core`);

  // Detection: pure, one core.
  const people = peopleByHash(KEY, Array.from({ length: USERS }, (_, i) => ({ id: `p${i}`, email: user(i), ...(i >= ANALYSTS + ADMINS + PAYROLL && i < ANALYSTS + ADMINS + PAYROLL + LEAVERS ? { leavingOn: '2026-11-20' } : {}) })));
  const groups = new Map<string, GroupProfile>(GROUPS.map((g) => [`${PLATFORM}#${groupHash(KEY, g.name)}`, { name: g.name, tier: g.tier, rating: g.tier }]));
  const held = baselines(people);
  const ctx = { timeZone: TZ, policy: MonitoringPolicy.parse({}), people, groups, domains: [DOMAIN], baselines: held };
  const t2 = performance.now();
  const result = detect(events, ctx);
  const detectMs = performance.now() - t2;
  console.log(`  detection (pure, all six rules, ${held.size.toLocaleString('en')} baselines): ${(detectMs / 1000).toFixed(2)} s, ${rate(events.length, detectMs)} on one core (target 100,000); the process's resident memory ${Math.round(process.memoryUsage().rss / 2 ** 20)} MB with every event held`);

  // What it found.
  const shown = new Map<string, string>();
  for (const e of events) shown.set(e.user, e.userShown);
  const personOf = (u: string) => people.get(new EventHolder(KEY, PLATFORM, '').hold({ time: '2026-01-01T00:00:00.000Z', user: u, action: 'view', object: 'x' }).user)?.id;
  const keyOf = (rule: string, who: string, day: string) => `${rule}|${who}|${day}`;
  const expected = new Map(planted.map((p) => [keyOf(p.rule, personOf(p.user) ?? `${p.user.slice(0, 1)}***@${p.user.split('@')[1]}`, p.day), p]));
  const foundKeys = new Set(result.findings.map((f) => keyOf(f.pattern ? `${f.rule}(${f.pattern})` : f.rule, f.person ?? f.userShown, f.day)));
  const found = [...expected.keys()].filter((k) => foundKeys.has(k));
  const falseAlerts = result.findings.filter((f) => !expected.has(keyOf(f.pattern ? `${f.rule}(${f.pattern})` : f.rule, f.person ?? f.userShown, f.day)));
  const ordinary = events.length - plantedEvents;
  console.log(`  planted incidents found: ${found.length} of ${planted.length} (target: all)`);
  for (const missed of [...expected.entries()].filter(([k]) => !foundKeys.has(k))) console.log(`    MISSED ${missed[1].rule} ${missed[1].user} ${missed[1].day}`);
  console.log(`  false alerts: ${falseAlerts.length} on ${ordinary.toLocaleString('en')} ordinary events, ${((falseAlerts.length / ordinary) * 100_000).toFixed(2)} per 100,000 (target: at most 1)`);
  for (const f of falseAlerts.slice(0, 10)) console.log(`    ${f.rule}${f.pattern ? `(${f.pattern})` : ''} ${f.person ?? f.userShown} ${f.day} ${JSON.stringify(f.detail)}`);

  if (STORE_EVENTS > 0) await storeFigures(events.slice(0, STORE_EVENTS));
}

/** A slice of the events written to DynamoDB Local, then one monitoring pass over them. */
async function storeFigures(events: HeldEvent[]): Promise<void> {
  const local = await startDynamoLocal();
  try {
    const store = createStore({ tableName: 'bench-monitoring', endpoint: local.endpoint });
    await ensureTable(store);
    const rt = createRuntime({ store, mailer: { send: async () => ({ messageId: 'bench' }) }, hashKey: async () => KEY });
    await rt.organisations.import(
      {
        organisation: { id: 'bench', name: 'Bench', timeZone: TZ, complianceContact: 'p0', sweep: { dueSoonDays: 14, escalateAfterDays: 7, reminderEveryDays: 7 }, review: { dueDays: 30, remindBeforeDays: 7 }, logRetentionDays: 3650 },
        people: [{ id: 'p0', name: 'P0', email: user(0), language: 'en' }],
        controls: [],
        evidence: [],
        sources: [],
        platforms: [{ id: PLATFORM, name: 'DingTalk', storage: { region: 'cn-hongkong', provider: 'alibaba' }, residencyChoice: false, e2ee: 'none', auditLog: 'export', siem: false, externalSharing: 'open' }],
        groups: [],
        acceptances: [],
      } as never,
      'bench',
      new Date().toISOString(),
    );
    const t0 = performance.now();
    const w0 = store.capacity.write;
    for (let i = 0; i < events.length; i += 500) await rt.events.put('bench', events.slice(i, i + 500).map((event) => ({ event, expiresAt: 4_102_444_800 })));
    const putMs = performance.now() - t0;
    console.log(`  store: ${events.length.toLocaleString('en')} events written in ${(putMs / 1000).toFixed(1)} s (${rate(events.length, putMs)}, DynamoDB Local), ${Math.round(store.capacity.write - w0).toLocaleString('en')} WCU (${((store.capacity.write - w0) / events.length).toFixed(1)} a event: the item and its received-index entry)`);
    const t1 = performance.now();
    const r0 = store.capacity.read;
    const pass = await detectPass(rt, { orgId: 'bench', runName: 'behaviour-monitoring-bench-2026-11-15T0000', now: '2026-11-15T00:00:00.000Z' });
    console.log(`  one monitoring pass over them (received index, users' events around them, baselines, detections, alerts): ${((performance.now() - t1) / 1000).toFixed(1)} s, ${pass.events.toLocaleString('en')} new events, ${pass.context.toLocaleString('en')} read with their neighbours, ${Math.round(store.capacity.read - r0).toLocaleString('en')} RCU`);
  } finally {
    await local.stop();
  }
}

if (import.meta.main) await main();
