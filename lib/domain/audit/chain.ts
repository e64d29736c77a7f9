// The audit trail's hash chain, in the manner of CloudTrail's digest files. Each
// entry's hash is SHA-256 over the RFC 8785 canonical JSON of its fields; a digest
// lists the entries it seals ([key, hash] in key order) and the hash of the digest
// before it, and its own hash is SHA-256 over its canonical JSON without `hash`. So
// changing, removing or adding a sealed entry, or changing or removing a digest,
// shows when the digests are recomputed (`verifyChain`). Pure: no store, no clock.
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { z } from 'zod';

/** A SHA-256 in lower-case hex (an audit entry's or digest's hash, a packaged file's). */
export const Hash = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits');

/** The fields of an entry its hash covers (AuditEvent's); anything else an item holds is storage. */
export const ENTRY_FIELDS = ['orgId', 'at', 'event', 'subject', 'actor', 'detail'] as const;

/** Entries per digest at most: a digest item stays near 120 KB, well under DynamoDB's 400 KB. */
export const DIGEST_MAX_ENTRIES = 1_000;
/** And bytes of its entry list at most, whatever the keys' length. */
export const DIGEST_MAX_BYTES = 200 * 1024;

export const AuditDigest = z.object({
  /** 1, 2, 3, ... with no gap; the highest is the chain's head. */
  seq: z.number().int().positive(),
  orgId: z.string(),
  /** When it was sealed (ISO-8601 UTC). */
  sealedAt: z.string(),
  /** Who sealed it: a run name, or `cli:audit-seal`. */
  sealedBy: z.string(),
  /** The hash of digest `seq - 1`; null for the first. */
  previousHash: Hash.nullable(),
  /** The entries it seals: [entry key, entry hash], in key order. */
  entries: z.array(z.tuple([z.string(), Hash])),
  /** SHA-256 over the canonical JSON of every field above. */
  hash: Hash,
});
export type AuditDigest = z.infer<typeof AuditDigest>;

/** The chain's head after a seal, and how many entries that seal added. */
export const SealResult = z.object({
  /** The head's sequence number; 0 while nothing is sealed. */
  seq: z.number().int().nonnegative(),
  /** The head's hash; null while nothing is sealed. */
  hash: Hash.nullable(),
  sealedEntries: z.number().int().nonnegative(),
});
export type SealResult = z.infer<typeof SealResult>;

/** SHA-256 in lower-case hex, of a string's UTF-8 or of bytes. */
export function sha256Hex(data: string | Uint8Array): string {
  return (typeof data === 'string' ? createHash('sha256').update(data, 'utf8') : createHash('sha256').update(data)).digest('hex');
}

/** RFC 8785 (JSON Canonicalization Scheme): keys sorted by UTF-16 code units, numbers as ECMAScript writes them. */
export function canonical(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new Error('not a JSON value');
  return text;
}

/** An entry's hash over its own fields, whatever else the item holds. */
export function entryHash(item: Readonly<Record<string, unknown>>): string {
  const fields: Record<string, unknown> = {};
  for (const f of ENTRY_FIELDS) if (item[f] !== undefined) fields[f] = item[f];
  return sha256Hex(canonical(fields));
}

export function digestHash(digest: Omit<AuditDigest, 'hash'> | AuditDigest): string {
  const { hash: _hash, ...content } = digest as AuditDigest;
  return sha256Hex(canonical(content));
}

/** A digest of `entries` ([key, hash], sorted here) chained to `previous` (none for the first). */
export function buildDigest(d: { orgId: string; sealedAt: string; sealedBy: string; previous: Pick<AuditDigest, 'seq' | 'hash'> | undefined; entries: [string, string][] }): AuditDigest {
  const content = {
    seq: (d.previous?.seq ?? 0) + 1,
    orgId: d.orgId,
    sealedAt: d.sealedAt,
    sealedBy: d.sealedBy,
    previousHash: d.previous?.hash ?? null,
    entries: [...d.entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  };
  return { ...content, hash: digestHash(content) };
}

/** How many of `keys` (in order) the next digest takes: at most DIGEST_MAX_ENTRIES and DIGEST_MAX_BYTES. */
export function digestChunkLength(keys: readonly string[]): number {
  let bytes = 0;
  let n = 0;
  for (const key of keys) {
    if (n === DIGEST_MAX_ENTRIES) break;
    const size = key.length + 64 + 8;
    if (n > 0 && bytes + size > DIGEST_MAX_BYTES) break;
    bytes += size;
    n++;
  }
  return n;
}

// ---------------------------------------------------------------------------
// Verification

const EntryFinding = z.object({
  count: z.number().int().nonnegative(),
  /** The first in key order: the entry's key and the digest that sealed it (null when none did). */
  first: z.object({ sk: z.string(), digest: z.number().int().nullable() }).nullable(),
});

const DigestFinding = z.object({
  count: z.number().int().nonnegative(),
  /** The first by sequence number, and why. */
  first: z.object({ seq: z.number().int(), reason: z.string() }).nullable(),
});

/** What `compliance audit verify` and `GET /v1/audit/verify` report. Keys and hashes only, never an entry's content. */
export const AuditVerification = z.object({
  orgId: z.string(),
  /** Nothing altered, removed, inserted or missing. Entries not yet sealed do not make it false. */
  ok: z.boolean(),
  /** Entries read, digests read, and distinct entries the digests seal. */
  entries: z.number().int().nonnegative(),
  digests: z.number().int().nonnegative(),
  sealed: z.number().int().nonnegative(),
  head: z.object({ seq: z.number().int(), hash: z.string(), sealedAt: z.string() }).nullable(),
  /** Sealed entries whose content no longer has the hash a digest gives it. */
  altered: EntryFinding,
  /** Entries a digest seals that are not in the table. */
  removed: EntryFinding,
  /** Entries in no digest and without the not-yet-sealed mark: written past the writers, or restored from elsewhere. */
  inserted: EntryFinding,
  /** Digests whose hash is not that of their content (`hash`), that are not digests (`malformed`), or that differ from the head given (`anchor`). */
  digestAltered: DigestFinding,
  /** Digests missing: a sequence number skipped (`gap`), a digest whose previous hash is not the hash of the digest before it (`chain`: that one was replaced), or the head given absent (`anchor`). */
  digestMissing: DigestFinding,
  /** Entries written since they were last sealed: marked, in no digest. The first few keys. */
  unsealed: z.object({ count: z.number().int().nonnegative(), first: z.array(z.string()) }),
  /** Sealed entries still marked (a seal stopped between its digest and clearing the marks; the next seal clears them). */
  awaitingClear: z.number().int().nonnegative(),
});
export type AuditVerification = z.infer<typeof AuditVerification>;

/** An entry as stored: its key, its item (the fields the hash covers, and whatever else), and whether it carries the not-yet-sealed mark. */
export interface StoredEntry {
  sk: string;
  item: Readonly<Record<string, unknown>>;
  unsealed: boolean;
}

/** A digest as stored: the sequence number its key gives, and the item as read (checked here). */
export interface StoredDigest {
  seq: number;
  item: unknown;
}

export interface VerifyOptions {
  /** The head as known from outside the table (a signed export manifest): its digest must be there with this hash. */
  anchor?: { seq: number; hash: string };
  /** How many not-yet-sealed keys to list (default 20). */
  listUnsealed?: number;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

class Tally<T> {
  count = 0;
  first: T | null = null;
  readonly before: (a: T, b: T) => boolean;
  constructor(before: (a: T, b: T) => boolean) {
    this.before = before;
  }
  add(finding: T): void {
    this.count++;
    if (this.first === null || this.before(finding, this.first)) this.first = finding;
  }
  toJSON() {
    return { count: this.count, first: this.first };
  }
}

const entryTally = () => new Tally<{ sk: string; digest: number | null }>((a, b) => a.sk < b.sk);
const digestTally = () => new Tally<{ seq: number; reason: string }>((a, b) => a.seq < b.seq);

/**
 * Recomputes every digest and every sealed entry's hash. An entry counts as sealed
 * when any digest lists it (a re-written entry may be listed twice: each listing's
 * hash must hold). An entry no digest lists is "not yet sealed" when it carries the
 * mark every writer sets, and "inserted" when it does not, wherever its key sorts:
 * writers stamp entries with their own time, so a late entry may sort before sealed
 * ones.
 */
export function verifyChain(orgId: string, entries: readonly StoredEntry[], digests: readonly StoredDigest[], options: VerifyOptions = {}): AuditVerification {
  const altered = entryTally();
  const removed = entryTally();
  const inserted = entryTally();
  const digestAltered = digestTally();
  const digestMissing = digestTally();

  const parsed = new Map<number, AuditDigest>();
  for (const d of [...digests].sort((a, b) => a.seq - b.seq)) {
    const p = AuditDigest.safeParse(d.item);
    if (!p.success || p.data.seq !== d.seq || p.data.orgId !== orgId) {
      digestAltered.add({ seq: d.seq, reason: 'malformed' });
      continue;
    }
    if (digestHash(p.data) !== p.data.hash) digestAltered.add({ seq: d.seq, reason: 'hash' });
    parsed.set(d.seq, p.data);
  }
  const seqs = digests.map((d) => d.seq);
  const maxSeq = seqs.length ? Math.max(...seqs) : 0;
  const present = new Set(seqs);
  for (let seq = 1; seq <= maxSeq; seq++) {
    if (!present.has(seq)) {
      digestMissing.add({ seq, reason: 'gap' });
      continue;
    }
    const d = parsed.get(seq);
    if (!d) continue;
    const before = seq === 1 ? null : parsed.get(seq - 1);
    // A previous hash that is not the stored hash of the digest before: that digest was replaced, or one between removed.
    if (seq === 1 ? d.previousHash !== null : before !== undefined && before !== null && d.previousHash !== before.hash) digestMissing.add({ seq, reason: 'chain' });
  }
  if (options.anchor) {
    const a = options.anchor;
    const d = parsed.get(a.seq);
    if (!present.has(a.seq)) digestMissing.add({ seq: a.seq, reason: 'anchor' });
    else if (d && d.hash !== a.hash) digestAltered.add({ seq: a.seq, reason: 'anchor' });
  }

  // Every listing of every key, from the digests as they are (an altered digest still says what it covered).
  const listed = new Map<string, { seq: number; hash: string }[]>();
  for (const d of parsed.values()) {
    for (const [sk, hash] of d.entries) {
      const l = listed.get(sk);
      if (l) l.push({ seq: d.seq, hash });
      else listed.set(sk, [{ seq: d.seq, hash }]);
    }
  }

  const seen = new Set<string>();
  const unsealed: string[] = [];
  let awaitingClear = 0;
  for (const e of [...entries].sort((a, b) => cmp(a.sk, b.sk))) {
    seen.add(e.sk);
    const l = listed.get(e.sk);
    if (!l) {
      if (e.unsealed) unsealed.push(e.sk);
      else inserted.add({ sk: e.sk, digest: null });
      continue;
    }
    if (e.unsealed) awaitingClear++;
    let hash: string | undefined;
    try {
      hash = entryHash(e.item);
    } catch {
      hash = undefined; // not JSON any more (a lone surrogate, a number that is not finite): altered
    }
    const wrong = l.find((x) => x.hash !== hash);
    if (wrong) altered.add({ sk: e.sk, digest: wrong.seq });
  }
  for (const [sk, l] of listed) if (!seen.has(sk)) removed.add({ sk, digest: l[0]!.seq });

  const head = parsed.get(maxSeq);
  const report = {
    orgId,
    ok: altered.count + removed.count + inserted.count + digestAltered.count + digestMissing.count === 0,
    entries: entries.length,
    digests: digests.length,
    sealed: listed.size,
    head: head ? { seq: head.seq, hash: head.hash, sealedAt: head.sealedAt } : null,
    altered: altered.toJSON(),
    removed: removed.toJSON(),
    inserted: inserted.toJSON(),
    digestAltered: digestAltered.toJSON(),
    digestMissing: digestMissing.toJSON(),
    unsealed: { count: unsealed.length, first: unsealed.slice(0, options.listUnsealed ?? 20) },
    awaitingClear,
  };
  return report;
}
