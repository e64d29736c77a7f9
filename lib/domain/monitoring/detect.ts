// The detections, pure: a batch of held events and what is known around them (the
// organisation's people by the keyed hash of their addresses and ids, each group's
// risk tier and data-map rating, the users' baselines) in, findings and each user's
// day figures out. No I/O, no clock: a run's time comes in with its events.
//
// - volume: a user's downloads and exports in a sliding window (`windowMinutes`,
//   events in (t - window, t]) above the tier's floor and above `multiplier` times
//   the user's own baseline: the busiest window of any day in the `baselineDays`
//   before (so last month's payroll run is the baseline of this month's). A user
//   with less history than `learningDays` has no baseline yet: floor x multiplier.
//   The tier is that of the groups the content comes from: a window's events of
//   each tier and above are held against that tier's figures, red first.
// - timing: the same, for bulk activity outside working hours (the organisation's
//   time zone, working days, its holidays and Hong Kong's), against the user's own
//   baseline of such activity and the tier's `timingFloor`.
// - flow: content forwarded (or shared with an address) from a group to a group of
//   a lower tier (a group of unknown tier counts as green), to an address outside
//   the organisation's domains, or to a personal account, as the tier asks.
// - strangers: any activity in a group the data map rates red by someone who is not
//   one of the organisation's people.
// - exposure: a public link, or a link shared with an outside address, on an object
//   of a group the data map rates red; shared with a personal account, flow too.
// - departure: any of these by someone in their notice period (from `noticeDays`
//   before their `leavingOn`), at thresholds `factor` times the usual; the finding's
//   rule is `departure`, its `pattern` the rule matched, one step more severe.
//
// A group of a source the latest scan could not read comes in as red (`assumed`), and
// the findings whose tier it sets say the tier is assumed.
//
// A finding is one rule, user, group and local day (volume and timing: one per user
// and day); its id comes from those alone, so a re-run finds the same one. Only
// findings holding an event the caller calls new (`isNew`) are returned.
import { alertId, raised, type AlertSeverity, type TierName } from './alert.ts';
import { WorkingTime } from './calendar.ts';
import { BULK_ACTIONS, type HeldEvent } from './event.ts';
import { PERSONAL_DOMAINS, type MonitoringPolicy, type Rule, type TierPolicy } from './policy.ts';

export interface MonitoredPerson {
  id: string;
  leavingOn?: string | undefined;
}

export interface GroupProfile {
  /** The name, redacted. */
  name: string;
  tier: TierName;
  /** The data map's rating of the group, when the latest map holds it. */
  rating?: 'red' | 'amber' | 'green' | undefined;
  owner?: string | undefined;
  /** Set when tier and rating are assumed red: the latest scan could not read the group's source. */
  assumed?: 'source-not-assessed' | undefined;
}

/** A user's figures per local day: the busiest window of bulk activity, and of such activity outside working hours. */
export interface Baseline {
  identity: string;
  /** The first day the user was seen. */
  firstSeen?: string | undefined;
  days: Readonly<Record<string, readonly [number, number]>>;
}

export interface DayFigures {
  identity: string;
  day: string;
  peak: number;
  offPeak: number;
}

export interface DetectionContext {
  timeZone: string;
  policy: MonitoringPolicy;
  /** The organisation's people, by the keyed hash of each of their addresses and ids. */
  people: ReadonlyMap<string, MonitoredPerson>;
  /** Groups by `<platform>#<keyed hash of the name>`. */
  groups: ReadonlyMap<string, GroupProfile>;
  /** The organisation's mail domains (an address there, or at a subdomain, is inside). */
  domains: readonly string[];
  /** Users' baselines by identity (`identityOf`). */
  baselines?: ReadonlyMap<string, Baseline>;
  /** Which events this run has not examined before; default: all. */
  isNew?: (e: HeldEvent) => boolean;
}

export interface Finding {
  id: string;
  rule: Rule;
  pattern?: Rule;
  /** `person:<id>` or `user:<hash>`: whose baseline and windows these are. */
  identity: string;
  person?: string;
  userHash: string;
  userShown: string;
  platform: string;
  group?: string;
  groupHash?: string;
  tier: TierName;
  severity: AlertSeverity;
  /** At most 50 event ids, and how many events there were. */
  events: string[];
  eventCount: number;
  firstEventAt: string;
  lastEventAt: string;
  day: string;
  detail: Record<string, unknown>;
}

export interface Detection {
  findings: Finding[];
  /** Each user's figures for every day the batch holds (never lower than the baseline held). */
  days: DayFigures[];
  /** The first day each user of the batch was seen (the baseline's or the batch's, whichever is earlier). */
  firstSeen: Map<string, string>;
}

export const MAX_EVENT_IDS = 50;
const DAY_MS = 86_400_000;
const TIER_RANK: Readonly<Record<TierName, number>> = { unknown: 0, green: 0, amber: 1, red: 2 };
const RANK_TIER: readonly TierName[] = ['green', 'amber', 'red'];
const BASE_SEVERITY: readonly AlertSeverity[] = ['low', 'medium', 'high'];

export const identityOf = (person: MonitoredPerson | undefined, userHash: string): string => (person ? `person:${person.id}` : `user:${userHash}`);

const dayText = (dayNumber: number) => new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
const dayNumberOf = (day: string) => Math.floor(Date.parse(`${day}T00:00:00Z`) / DAY_MS);

/** A finding being gathered (flow, strangers, exposure: every matching event of the day). */
interface Gathering {
  f: Finding;
  firstMs: number;
  lastMs: number;
  hasNew: boolean;
}

/** Per user: their bulk events (indices into the batch) and what is known of them. */
interface Track {
  identity: string;
  person: MonitoredPerson | undefined;
  userHash: string;
  userShown: string;
  bulk: number[];
  firstDay: number;
  leavingFrom: number;
}

export function detect(events: readonly HeldEvent[], ctx: DetectionContext): Detection {
  const policy = ctx.policy;
  const disabled = new Set(policy.disabled);
  const work = new WorkingTime(ctx.timeZone, policy);
  const clock = work.clock;
  const windowMs = policy.windowMinutes * 60_000;
  const tiers: readonly TierPolicy[] = [policy.tiers.green, policy.tiers.amber, policy.tiers.red];
  const personal = new Set<string>([...PERSONAL_DOMAINS, ...policy.personalDomains]);
  const insideCache = new Map<string, boolean>();
  const inside = (domain: string): boolean => {
    let v = insideCache.get(domain);
    if (v === undefined) {
      v = ctx.domains.some((d) => domain === d || domain.endsWith(`.${d}`));
      insideCache.set(domain, v);
    }
    return v;
  };
  const isNew = ctx.isNew ?? (() => true);

  const n = events.length;
  const ms = new Float64Array(n);
  const rank = new Int8Array(n);
  const off = new Uint8Array(n);
  const dayNum = new Int32Array(n);
  const fresh = new Uint8Array(n);
  const tracks = new Map<string, Track>();
  const gathered = new Map<string, Gathering>();
  const dayNames = new Map<number, string>();
  const nameOf = (d: number) => {
    let s = dayNames.get(d);
    if (s === undefined) dayNames.set(d, (s = dayText(d)));
    return s;
  };

  const gather = (key: string, e: HeldEvent, i: number, make: () => Omit<Finding, 'events' | 'eventCount' | 'firstEventAt' | 'lastEventAt'>) => {
    let g = gathered.get(key);
    if (!g) {
      g = { f: { ...make(), events: [], eventCount: 0, firstEventAt: e.time, lastEventAt: e.time }, firstMs: ms[i]!, lastMs: ms[i]!, hasNew: false };
      gathered.set(key, g);
    }
    g.f.eventCount++;
    if (g.f.events.length < MAX_EVENT_IDS) g.f.events.push(e.id);
    if (ms[i]! < g.firstMs) [g.firstMs, g.f.firstEventAt] = [ms[i]!, e.time];
    if (ms[i]! > g.lastMs) [g.lastMs, g.f.lastEventAt] = [ms[i]!, e.time];
    if (fresh[i]) g.hasNew = true;
  };

  for (let i = 0; i < n; i++) {
    const e = events[i]!;
    const t = Date.parse(e.time);
    ms[i] = t;
    const local = clock.local(t);
    const d = Math.floor(local / DAY_MS);
    dayNum[i] = d;
    fresh[i] = isNew(e) ? 1 : 0;
    const person = ctx.people.get(e.user);
    const identity = identityOf(person, e.user);
    let track = tracks.get(identity);
    if (!track) {
      const leavingFrom = person?.leavingOn ? dayNumberOf(person.leavingOn) - policy.departure.noticeDays : Infinity;
      track = { identity, person, userHash: e.user, userShown: e.userShown, bulk: [], firstDay: d, leavingFrom };
      tracks.set(identity, track);
    } else if (d < track.firstDay) track.firstDay = d;
    const group = e.groupHash ? ctx.groups.get(`${e.platform}#${e.groupHash}`) : undefined;
    const r = TIER_RANK[group?.tier ?? 'unknown'];
    rank[i] = r;
    const departing = d >= track.leavingFrom && !disabled.has('departure');
    const about = (rule: Rule, extra: Record<string, unknown>, severity: AlertSeverity, key: string) => (): Omit<Finding, 'events' | 'eventCount' | 'firstEventAt' | 'lastEventAt'> => ({
      id: alertId(nameOf(d), departing ? 'departure' : rule, rule, identity, e.platform, e.groupHash ?? '', key),
      rule: departing ? 'departure' : rule,
      ...(departing ? { pattern: rule } : {}),
      identity,
      ...(person ? { person: person.id } : {}),
      userHash: e.user,
      userShown: e.userShown,
      platform: e.platform,
      ...(group || e.group ? { group: group?.name ?? e.group } : {}),
      ...(e.groupHash ? { groupHash: e.groupHash } : {}),
      tier: group?.tier ?? 'unknown',
      severity: departing ? raised(severity) : severity,
      day: nameOf(d),
      // The alert carries the tier: say when it is assumed rather than assessed.
      detail: group?.assumed ? { ...extra, tierAssumed: group.assumed } : extra,
    });

    if (BULK_ACTIONS.has(e.action)) {
      track.bulk.push(i);
      if (!work.isWorking(t)) off[i] = 1;
    }
    if (!person && group?.rating === 'red' && !disabled.has('strangers')) {
      const insideDomain = e.userShown.includes('@') ? inside(e.userShown.slice(e.userShown.lastIndexOf('@') + 1)) : false;
      gather(`strangers|${identity}|${e.platform}|${e.groupHash}|${d}`, e, i, about('strangers', { insideDomain }, 'high', ''));
    }
    const target = e.target;
    const linkOut = e.action === 'share-link' || (e.action === 'share-external' && target?.kind === 'address' && !inside(target.domain));
    const exposed = linkOut && group?.rating === 'red' && !disabled.has('exposure');
    if (exposed) {
      const kind = e.action === 'share-link' ? 'public' : 'external';
      gather(`exposure|${identity}|${e.platform}|${e.groupHash}|${d}|${kind}`, e, i, about('exposure', { kind, ...(target?.kind === 'address' ? { domain: target.domain } : {}) }, 'high', kind));
    }
    // A red group's content shared to a personal account is both: a link to revoke
    // (exposure) and content gone where a forward there would go (flow, as severe as
    // that forward); shared with another outside address it stays exposure's alone.
    const toPersonal = target?.kind === 'address' && personal.has(target.domain);
    if ((e.action === 'forward' || e.action === 'share-external') && target && !disabled.has('flow') && (!exposed || toPersonal)) {
      const tier = tiers[r]!;
      if (target.kind === 'group') {
        const to = ctx.groups.get(`${e.platform}#${target.hash}`);
        const toRank = TIER_RANK[to?.tier ?? 'unknown'];
        if (toRank < r) {
          const detail = { kind: 'lower-tier', to: to?.name ?? target.name, toTier: to?.tier ?? 'unknown' };
          gather(`flow|${identity}|${e.platform}|${e.groupHash}|${d}|lower|${target.hash}`, e, i, about('flow', detail, BASE_SEVERITY[r]!, `lower-tier:${target.hash}`));
        }
      } else if (target.kind === 'address' && !inside(target.domain)) {
        const isPersonal = personal.has(target.domain);
        if (isPersonal ? tier.flowPersonal : tier.flowOutside) {
          const kind = isPersonal ? 'personal' : 'outside';
          const severity = isPersonal ? raised(BASE_SEVERITY[r]!) : BASE_SEVERITY[r]!;
          gather(`flow|${identity}|${e.platform}|${e.groupHash}|${d}|${kind}`, e, i, about('flow', { kind, domain: target.domain }, severity, kind));
        }
      }
    }
  }

  const findings: Finding[] = [...gathered.values()].filter((g) => g.hasNew).map((g) => g.f);
  const days: DayFigures[] = [];
  const firstSeen = new Map<string, string>();

  for (const track of tracks.values()) {
    const held = ctx.baselines?.get(track.identity);
    const heldFirst = held?.firstSeen ? dayNumberOf(held.firstSeen) : Infinity;
    const firstDay = Math.min(track.firstDay, heldFirst);
    firstSeen.set(track.identity, nameOf(firstDay));
    if (track.bulk.length === 0) continue;
    const idx = track.bulk;
    idx.sort((a, b) => ms[a]! - ms[b]!);
    const heldDays = new Map<number, readonly [number, number]>();
    for (const [day, v] of Object.entries(held?.days ?? {})) heldDays.set(dayNumberOf(day), v);
    const batchDays = new Map<number, [number, number]>();
    const baselineAt = (d: number, which: 0 | 1): number => {
      let max = 0;
      for (let x = d - policy.baselineDays; x < d; x++) {
        const v = Math.max(batchDays.get(x)?.[which] ?? 0, heldDays.get(x)?.[which] ?? 0);
        if (v > max) max = v;
      }
      return max;
    };
    const sweep = (list: readonly number[], which: 0 | 1) => {
      const rule: Rule = which === 0 ? 'volume' : 'timing';
      const ruleOff = disabled.has(rule);
      const firedOn = new Set<number>();
      const count = [0, 0, 0];
      let newInWindow = 0;
      let from = 0;
      for (let k = 0; k < list.length; k++) {
        const j = list[k]!;
        const t = ms[j]!;
        count[rank[j]!]!++;
        newInWindow += fresh[j]!;
        while (ms[list[from]!]! <= t - windowMs) {
          const out = list[from]!;
          count[rank[out]!]!--;
          newInWindow -= fresh[out]!;
          from++;
        }
        const d = dayNum[j]!;
        const total = count[0]! + count[1]! + count[2]!;
        let figures = batchDays.get(d);
        if (!figures) batchDays.set(d, (figures = [0, 0]));
        if (total > figures[which]) figures[which] = total;
        if (ruleOff || newInWindow === 0 || firedOn.has(d)) continue;
        const departing = d >= track.leavingFrom && !disabled.has('departure');
        const factor = departing ? policy.departure.factor : 1;
        const learning = d - firstDay < policy.learningDays;
        for (let r = 2; r >= 0; r--) {
          const atLeast = r === 2 ? count[2]! : r === 1 ? count[1]! + count[2]! : total;
          const tier = tiers[r]!;
          const floor = which === 0 ? tier.volumeFloor : tier.timingFloor;
          if (atLeast <= floor * factor) continue;
          const baseline = learning ? 0 : baselineAt(d, which);
          const threshold = factor * (learning ? floor * tier.multiplier : Math.max(floor, tier.multiplier * baseline));
          if (atLeast <= threshold) continue;
          firedOn.add(d);
          // The whole burst, not only its events up to where the count crossed the threshold:
          // every event within the window from the first one counted (120 downloads in 40
          // minutes are reported as 120, not as the 91st that crossed).
          let end = k + 1;
          const until = ms[list[from]!]! + windowMs;
          while (end < list.length && ms[list[end]!]! < until) end++;
          const burst = list.slice(from, end).filter((x) => rank[x]! >= r);
          findings.push(windowFinding(track, rule, departing, r, burst, { count: burst.length, threshold, baseline, learning, windowMinutes: policy.windowMinutes }, d));
          break;
        }
      }
    };
    const windowFinding = (t: Track, rule: Rule, departing: boolean, r: number, inWindow: number[], measured: Record<string, unknown>, d: number): Finding => {
      const byGroup = new Map<string, number>();
      for (const x of inWindow) {
        const e = events[x]!;
        const key = `${e.platform}#${e.groupHash ?? ''}`;
        byGroup.set(key, (byGroup.get(key) ?? 0) + 1);
      }
      const [topKey] = [...byGroup.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]!;
      const sample = events[inWindow.find((x) => `${events[x]!.platform}#${events[x]!.groupHash ?? ''}` === topKey)!]!;
      const group = sample.groupHash ? ctx.groups.get(topKey) : undefined;
      const first = events[inWindow[0]!]!;
      const last = events[inWindow.at(-1)!]!;
      const severity = BASE_SEVERITY[r]!;
      // A red window's tier is assumed when an event counted in it comes from a group assumed red.
      const assumedAs = r === 2 ? inWindow.map((x) => ctx.groups.get(`${events[x]!.platform}#${events[x]!.groupHash ?? ''}`)?.assumed).find((a) => a !== undefined) : undefined;
      return {
        id: alertId(nameOf(d), departing ? 'departure' : rule, rule, t.identity),
        rule: departing ? 'departure' : rule,
        ...(departing ? { pattern: rule } : {}),
        identity: t.identity,
        ...(t.person ? { person: t.person.id } : {}),
        userHash: t.userHash,
        userShown: t.userShown,
        platform: sample.platform,
        ...(group || sample.group ? { group: group?.name ?? sample.group } : {}),
        ...(sample.groupHash ? { groupHash: sample.groupHash } : {}),
        tier: RANK_TIER[r]!,
        severity: departing ? raised(severity) : severity,
        events: inWindow.slice(0, MAX_EVENT_IDS).map((x) => events[x]!.id),
        eventCount: inWindow.length,
        firstEventAt: first.time,
        lastEventAt: last.time,
        day: nameOf(d),
        detail: { ...measured, windowStart: first.time, windowEnd: last.time, ...(assumedAs ? { tierAssumed: assumedAs } : {}) },
      };
    };
    sweep(idx, 0);
    sweep(idx.filter((j) => off[j] === 1), 1);
    for (const [d, [peak, offPeak]] of batchDays) {
      const before = heldDays.get(d);
      days.push({ identity: track.identity, day: nameOf(d), peak: Math.max(peak, before?.[0] ?? 0), offPeak: Math.max(offPeak, before?.[1] ?? 0) });
    }
  }
  findings.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { findings, days, firstSeen };
}
