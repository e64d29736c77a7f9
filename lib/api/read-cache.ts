// What the read routes of one warm process share: an organisation's settings, people
// and controls, its evidence register and its reviews, tasks and nonconformities, read once and served to
// every request for a few seconds, then refreshed in the background while the last
// value is still served (stale-while-revalidate). Without it each GET of the control
// list would read the whole evidence register (10,000 items: ~300 ms on DynamoDB
// Local, ~1,250 RCU on AWS). A write through this process drops the organisation's
// entries at once; another process (on AWS, the write function) is seen within
// FRESH_MS. Workflows never use it: their decisions read the table. What holds
// statuses counted in days is keyed by the organisation's day (routes.ts statusDay),
// so it is never served past local midnight, however fresh.
import type { Runtime } from '../runtime.ts';

/** Served as read for this long; then served while a fresh read is made. */
export const FRESH_MS = 5_000;
/** Never served older than this (a refresh that keeps failing); older, a read is made before answering. */
export const MAX_AGE_MS = 60_000;
/** Entries held at most, across organisations. */
const MAX_ENTRIES = 2_000;

interface Entry {
  value: Promise<unknown>;
  readAt: number;
  refreshing?: boolean;
}

export interface ReadCache {
  rt: Runtime;
  /** Any read of one organisation's (a use case's whole answer), shared as the reads above are. */
  memo<T>(orgId: string, key: string, read: () => Promise<T>): Promise<T>;
  /** Drops what is held of one organisation (after a write). */
  forget(orgId: string): void;
}

/** The clock of caches made without one of their own (the server's): Date.now unless set. */
let processClock: () => number = Date.now;

/**
 * Sets the clock the server's caches age what they hold by (undefined: Date.now again),
 * so that a test ages or holds them at once instead of waiting on the wall clock.
 */
export function setReadCacheClock(now: (() => number) | undefined): void {
  processClock = now ?? Date.now;
}

export function readCache(base: Runtime, now: () => number = () => processClock()): ReadCache {
  const entries = new Map<string, Entry>();

  function memo<T>(orgId: string, key: string, read: () => Promise<T>): Promise<T> {
    const id = `${orgId}\u0000${key}`;
    const held = entries.get(id);
    const age = held ? now() - held.readAt : Infinity;
    if (held && age < FRESH_MS) return held.value as Promise<T>;
    if (held && age < MAX_AGE_MS) {
      if (!held.refreshing) {
        held.refreshing = true;
        const next = read();
        next.then(
          () => entries.get(id) === held && entries.set(id, { value: next, readAt: now() }),
          () => {
            held.refreshing = false;
          },
        );
      }
      return held.value as Promise<T>;
    }
    // Keys may carry a caller's filter: past a bound, what is older than MAX_AGE_MS goes, then everything.
    if (entries.size >= MAX_ENTRIES) {
      for (const [k, e] of entries) if (now() - e.readAt >= MAX_AGE_MS) entries.delete(k);
      if (entries.size >= MAX_ENTRIES) entries.clear();
    }
    const value = read();
    entries.set(id, { value, readAt: now() });
    // A failed read is not kept: the next request tries again.
    value.catch(() => entries.get(id)?.value === value && entries.delete(id));
    return value;
  }

  const { organisations, reviews } = base;
  const rt: Runtime = {
    ...base,
    organisations: {
      ...organisations,
      settings: (orgId) => memo(orgId, 'settings', () => organisations.settings(orgId)),
      load: (orgId) => memo(orgId, 'load', () => organisations.load(orgId)),
      evidence: (orgId, controlId) => memo(orgId, `evidence:${controlId ?? ''}`, () => organisations.evidence(orgId, controlId)),
    },
    reviews: {
      ...reviews,
      get: (orgId, quarter) => memo(orgId, `review:${quarter}`, () => reviews.get(orgId, quarter)),
      list: (orgId) => memo(orgId, 'reviews', () => reviews.list(orgId)),
      tasks: (orgId, quarter) => memo(orgId, `tasks:${quarter}`, () => reviews.tasks(orgId, quarter)),
      task: (orgId, taskId) => memo(orgId, `task:${taskId}`, () => reviews.task(orgId, taskId)),
      nonconformities: (orgId) => memo(orgId, 'nonconformities', () => reviews.nonconformities(orgId)),
    },
  };
  return {
    rt,
    memo,
    forget: (orgId) => {
      for (const id of entries.keys()) if (id.startsWith(`${orgId}\u0000`)) entries.delete(id);
    },
  };
}
