// One platform audit-log event: the one schema every layout (the project's CSV,
// DingTalk-style admin exports, Slack audit-log JSON, Microsoft 365's unified audit
// log) is mapped to, and the form it is held in, with no raw identifier: a user is a
// keyed hash and a masked form, an e-mail target keeps its domain (the outside-domain
// rule needs it) beside a keyed hash and a mask, group names and objects are redacted
// with the keyed hash of the name as written. Pure.
import { z } from 'zod';

export const ACTIONS = ['view', 'download', 'export', 'post', 'forward', 'share-link', 'share-external', 'login'] as const;
export const Action = z.enum(ACTIONS, { error: `must be one of ${ACTIONS.join(', ')}` });
export type Action = z.infer<typeof Action>;

/** Actions that move content out in bulk: counted by the volume and timing rules. */
export const BULK_ACTIONS: ReadonlySet<Action> = new Set(['download', 'export']);

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/;

/** A moment with its offset, held as UTC (`2026-11-03T09:15:00+08:00` -> `2026-11-03T01:15:00.000Z`). */
export const EventTime = z
  .string()
  .regex(ISO_WITH_OFFSET, 'must be an ISO-8601 date-time with its offset, such as 2026-11-03T09:15:00+08:00')
  .transform((value, ctx) => {
    const ms = Date.parse(value);
    if (Number.isNaN(ms)) {
      ctx.addIssue({ code: 'custom', message: 'is not a real date and time' });
      return z.NEVER;
    }
    return new Date(ms).toISOString();
  });

const short = (max: number) => z.string().trim().min(1, 'is empty').max(max, `must be at most ${max} characters`);

/**
 * An event as a layout reads it, before it is held: who (an e-mail address or an id),
 * did what, to which object, in which group (named as the data map names it), to
 * which target (a group name, an e-mail address, or `public`), from where.
 */
export const EventInput = z.strictObject({
  time: EventTime,
  user: short(320),
  action: Action,
  object: short(1024),
  group: short(200).optional(),
  target: short(320).optional(),
  ip: short(64).optional(),
});
export type EventInput = z.infer<typeof EventInput>;

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);

export const HeldTarget = z.discriminatedUnion('kind', [
  /** A group of the organisation, by the keyed hash of its name, with the name redacted. */
  z.strictObject({ kind: z.literal('group'), name: z.string(), hash: hex64 }),
  /** An e-mail address: its domain, a keyed hash of the address, and a mask (`c***@gmail.com`). */
  z.strictObject({ kind: z.literal('address'), domain: z.string(), hash: hex64, shown: z.string() }),
  /** Anyone with the link. */
  z.strictObject({ kind: z.literal('public') }),
]);
export type HeldTarget = z.infer<typeof HeldTarget>;

/** An event as it is stored and examined. */
export const HeldEvent = z.strictObject({
  /** 16 hex characters of SHA-256 over platform, time, user hash, action and object hash: the same event, the same id. */
  id: z.string().regex(/^[0-9a-f]{16}$/),
  platform: z.string(),
  /** ISO-8601 UTC. */
  time: z.string(),
  /** When it reached the store (ISO-8601 UTC): the monitoring watermark follows this, not `time`. */
  receivedAt: z.string(),
  /** Keyed hash of the user as written (lower case): an e-mail address or an id. */
  user: hex64,
  /** The user as people may see it: a masked address (`m***@harbourledger.example`) or a masked id. */
  userShown: z.string(),
  action: Action,
  /** The object redacted (a file may be named after a person), and the keyed hash of it as written. */
  object: z.string(),
  objectHash: hex64,
  group: z.string().optional(),
  groupHash: hex64.optional(),
  target: HeldTarget.optional(),
  /** IPv4 to its /24 (`203.0.113.*`), IPv6 to its first three groups. */
  ip: z.string().optional(),
});
export type HeldEvent = z.infer<typeof HeldEvent>;

/** An e-mail address as a target or user: the part after the last `@`, in lower case. */
export function domainOf(address: string): string | undefined {
  const at = address.lastIndexOf('@');
  if (at <= 0 || at === address.length - 1) return undefined;
  const domain = address.slice(at + 1).trim().toLowerCase();
  return /^[a-z0-9.-]+\.[a-z0-9-]+$/.test(domain) || /^[^\s@]+\.[^\s@]+$/.test(domain) ? domain : undefined;
}
