// How an organisation watches its platforms' audit logs (`organisation.monitoring`):
// thresholds per risk tier, the sliding window and the baseline's look-back, working
// hours and holidays in the organisation's time zone, the notice period before a
// person's `leavingOn`, what counts as a personal mail domain, and which rules run.
// Every field has a default, so an organisation that says nothing is watched sensibly.
import { z } from 'zod';

/** Per risk tier of the group the content comes from (groups of unknown tier count as green). */
export const TierPolicy = z.strictObject({
  /** Downloads and exports in one window above which the volume rule may fire, whatever the baseline. */
  volumeFloor: z.int().min(1).max(1_000_000),
  /** The same, for bulk activity outside working hours (the timing rule). */
  timingFloor: z.int().min(1).max(1_000_000),
  /** "Far above their own baseline": more than this many times the user's highest window of the look-back. */
  multiplier: z.number().min(1).max(100),
  /** Content forwarded (or shared) to an address outside the organisation's domains alerts. */
  flowOutside: z.boolean(),
  /** Content forwarded (or shared) to a personal mail account alerts. */
  flowPersonal: z.boolean(),
});
export type TierPolicy = z.infer<typeof TierPolicy>;

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time written HH:MM, such as 08:00');
export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/** Mail providers whose addresses are people's own, not a company's. */
export const PERSONAL_DOMAINS = [
  'gmail.com', 'googlemail.com', 'yahoo.com', 'yahoo.com.hk', 'ymail.com', 'hotmail.com', 'hotmail.com.hk', 'outlook.com', 'live.com', 'live.hk',
  'msn.com', 'icloud.com', 'me.com', 'mac.com', 'aol.com', 'proton.me', 'protonmail.com', 'gmx.com', 'mail.com', 'zoho.com',
  'qq.com', 'foxmail.com', '163.com', '126.com', 'yeah.net', 'sina.com', 'sina.cn', 'sohu.com', 'aliyun.com', 'netvigator.com',
] as const;

const DEFAULT_TIERS = {
  red: { volumeFloor: 40, timingFloor: 15, multiplier: 3, flowOutside: true, flowPersonal: true },
  amber: { volumeFloor: 80, timingFloor: 30, multiplier: 3, flowOutside: true, flowPersonal: true },
  green: { volumeFloor: 150, timingFloor: 60, multiplier: 4, flowOutside: false, flowPersonal: true },
} as const;

export const RULES = ['volume', 'flow', 'strangers', 'exposure', 'timing', 'departure'] as const;
export const Rule = z.enum(RULES);
export type Rule = z.infer<typeof Rule>;

export const MonitoringPolicy = z.strictObject({
  /** The sliding window of the volume and timing rules. */
  windowMinutes: z.int().min(5).max(24 * 60).default(60),
  /** Days of the user's own history the baseline looks back over (35 covers the last month's end). */
  baselineDays: z.int().min(7).max(120).default(35),
  /** Until a user has this many days of history, only `volumeFloor x multiplier` (and the timing equivalent) applies. */
  learningDays: z.int().min(0).max(120).default(14),
  tiers: z
    .strictObject({ red: TierPolicy.partial().default({}), amber: TierPolicy.partial().default({}), green: TierPolicy.partial().default({}) })
    .default({ red: {}, amber: {}, green: {} })
    .transform((t) => ({ red: { ...DEFAULT_TIERS.red, ...t.red }, amber: { ...DEFAULT_TIERS.amber, ...t.amber }, green: { ...DEFAULT_TIERS.green, ...t.green } })),
  /** Working hours in the organisation's time zone; anything else (and every holiday) is outside them. */
  workingHours: z
    .strictObject({ start: clock.default('08:00'), end: clock.default('20:00'), days: z.array(z.enum(WEEKDAYS)).min(1).default(['mon', 'tue', 'wed', 'thu', 'fri']) })
    .refine((h) => h.start < h.end, { message: 'start must be before end', path: ['end'] })
    .prefault({}),
  holidays: z
    .strictObject({
      /** Built-in public holidays: Hong Kong's general holidays, or none. */
      calendar: z.enum(['hk', 'none']).default('hk'),
      /** More days off (the firm's own, or a year the built-in list does not hold yet). */
      extra: z.array(z.iso.date({ error: 'must be a date written YYYY-MM-DD' })).max(1000).default([]),
    })
    .prefault({}),
  departure: z
    .strictObject({
      /** A person is in their notice period from this many days before `leavingOn`. */
      noticeDays: z.int().min(1).max(365).default(30),
      /** Thresholds for someone in their notice period are the usual ones times this. */
      factor: z.number().gt(0).max(1).default(0.5),
    })
    .prefault({}),
  /** Domains of personal mail accounts, beyond the built-in list. */
  personalDomains: z.array(z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/, 'must be a domain in lower case, such as gmail.com')).max(1000).default([]),
  /** Rules switched off for this organisation. */
  disabled: z.array(Rule).default([]),
  /** Events one pass of a monitoring run reads at most; a run makes more passes while more wait. */
  passEvents: z.int().min(100).max(1_000_000).default(100_000),
});
export type MonitoringPolicy = z.infer<typeof MonitoringPolicy>;
export type MonitoringPolicyInput = z.input<typeof MonitoringPolicy>;

export const DEFAULT_MONITORING_POLICY: MonitoringPolicy = MonitoringPolicy.parse({});
