// The audit chain's pure parts: RFC 8785 canonical JSON, entry and digest hashes,
// digests chained and cut to size, and verification naming what changed.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  AuditVerification,
  buildDigest,
  canonical,
  DIGEST_MAX_ENTRIES,
  digestChunkLength,
  digestHash,
  entryHash,
  verifyChain,
  type AuditDigest,
  type StoredEntry,
} from '../lib/domain/audit/chain.ts';

const sha = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

describe('canonical JSON (RFC 8785)', () => {
  it('sorts keys by UTF-16 code units, not by locale or code point', () => {
    expect(canonical({ é: 1, a: 2, B: 3 })).toBe('{"B":3,"a":2,"é":1}');
    // U+1F600 is the surrogate pair D83D DE00: it sorts before U+FB33 by code units, after it by code points.
    expect(canonical({ '\ufb33': 1, '\u{1f600}': 2, '\u20ac': 3, '\r': 4, '1': 5 })).toBe('{"\\r":4,"1":5,"€":3,"😀":2,"דּ":1}');
    // Nested objects too; arrays keep their order.
    expect(canonical({ z: [{ b: 1, a: 2 }, 3], a: { d: null, c: true } })).toBe('{"a":{"c":true,"d":null},"z":[{"a":2,"b":1},3]}');
  });

  it('writes numbers as ECMAScript does', () => {
    expect(canonical([1e21, 1e20, 0.1, 4.5, 2e-3, 1e-7, -0, 333333333.33333329, 1e30, 0.000000000000000000000000001])).toBe(
      '[1e+21,100000000000000000000,0.1,4.5,0.002,1e-7,0,333333333.3333333,1e+30,1e-27]',
    );
    expect(() => canonical({ n: Number.NaN })).toThrow();
    expect(() => canonical({ n: Number.POSITIVE_INFINITY })).toThrow();
  });

  it("gives RFC 8785's own example byte for byte", () => {
    const input = JSON.parse(
      '{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],"string":"\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/","literals":[null,true,false]}',
    );
    expect(canonical(input)).toBe('{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}');
  });
});

const ENTRY = { orgId: 'acme', at: '2026-11-30T01:00:00.000Z', event: 'notice.sent', subject: 'NOTICE#ev-1#2026-12-01#lapsed', actor: 'evidence-sweep-acme-2026-11-30', detail: { recipient: 'p1', b: 2, a: [1, 0.5] } };

describe('entry hash', () => {
  it('is SHA-256 over the canonical JSON of the entry fields', () => {
    expect(entryHash(ENTRY)).toBe(
      sha('{"actor":"evidence-sweep-acme-2026-11-30","at":"2026-11-30T01:00:00.000Z","detail":{"a":[1,0.5],"b":2,"recipient":"p1"},"event":"notice.sent","orgId":"acme","subject":"NOTICE#ev-1#2026-12-01#lapsed"}'),
    );
  });

  it('ignores the order keys come in and what the item holds besides the entry (keys, marks, type)', () => {
    const reordered = { detail: { a: [1, 0.5], recipient: 'p1', b: 2 }, actor: ENTRY.actor, subject: ENTRY.subject, event: ENTRY.event, at: ENTRY.at, orgId: ENTRY.orgId };
    expect(entryHash({ ...reordered, PK: 'ORG#acme#AUDIT', SK: 'x', GSI2PK: 'ORG#acme#AUDIT_UNSEALED', GSI2SK: 'x', type: 'audit' })).toBe(entryHash(ENTRY));
  });

  it('changes with any field, and an absent detail is not an empty one', () => {
    const base = entryHash(ENTRY);
    expect(entryHash({ ...ENTRY, detail: { ...ENTRY.detail, b: 3 } })).not.toBe(base);
    expect(entryHash({ ...ENTRY, actor: 'someone' })).not.toBe(base);
    const { detail: _d, ...bare } = ENTRY;
    expect(entryHash({ ...bare, detail: undefined })).toBe(entryHash(bare));
    expect(entryHash({ ...bare, detail: {} })).not.toBe(entryHash(bare));
  });
});

describe('digests', () => {
  it('chain: each names the hash of the one before; its own hash covers every field but itself', () => {
    const first = buildDigest({ orgId: 'acme', sealedAt: 't1', sealedBy: 'x', previous: undefined, entries: [['b', 'f'.repeat(64)], ['a', 'e'.repeat(64)]] });
    expect(first.seq).toBe(1);
    expect(first.previousHash).toBeNull();
    expect(first.entries.map(([sk]) => sk)).toEqual(['a', 'b']);
    const { hash, ...content } = first;
    expect(hash).toBe(sha(canonical(content)));
    const second = buildDigest({ orgId: 'acme', sealedAt: 't2', sealedBy: 'x', previous: first, entries: [['c', 'd'.repeat(64)]] });
    expect(second).toMatchObject({ seq: 2, previousHash: first.hash });
    expect(digestHash({ ...second, previousHash: 'a'.repeat(64) })).not.toBe(second.hash);
  });

  it('hold at most 1,000 entries, and fewer when the keys are long', () => {
    const short = Array.from({ length: 2500 }, (_, i) => `2026-11-30T00:00:00.000Z#${String(i).padStart(16, '0')}`);
    expect(digestChunkLength(short)).toBe(DIGEST_MAX_ENTRIES);
    expect(digestChunkLength(short.slice(0, 7))).toBe(7);
    const long = Array.from({ length: 500 }, (_, i) => `${'x'.repeat(2000)}${i}`);
    const n = digestChunkLength(long);
    expect(n).toBeGreaterThan(50);
    expect(n).toBeLessThan(200);
    expect(digestChunkLength([])).toBe(0);
  });
});

// A small trail: six entries, sealed by two digests (three each), one more written since.
function trail() {
  const items = Array.from({ length: 7 }, (_, i) => ({ ...ENTRY, at: `2026-11-30T01:00:0${i}.000Z`, detail: { n: i } }));
  const entries: StoredEntry[] = items.map((item, i) => ({ sk: `${item.at}#${String(i).padStart(16, '0')}`, item, unsealed: i === 6 }));
  const listing = (from: number, to: number) => entries.slice(from, to).map((e): [string, string] => [e.sk, entryHash(e.item)]);
  const d1 = buildDigest({ orgId: 'acme', sealedAt: 't1', sealedBy: 'run-1', previous: undefined, entries: listing(0, 3) });
  const d2 = buildDigest({ orgId: 'acme', sealedAt: 't2', sealedBy: 'run-2', previous: d1, entries: listing(3, 6) });
  const d3 = buildDigest({ orgId: 'acme', sealedAt: 't3', sealedBy: 'run-3', previous: d2, entries: [] });
  return { entries, digests: [d1, d2, d3] };
}
const stored = (digests: AuditDigest[]) => digests.map((d) => ({ seq: d.seq, item: d as unknown }));

describe('verifying the chain', () => {
  it('an untouched trail: ok, everything sealed counted, what came since listed as not yet sealed', () => {
    const { entries, digests } = trail();
    const r = verifyChain('acme', entries, stored(digests));
    expect(AuditVerification.parse(r)).toEqual(r);
    expect(r).toMatchObject({ ok: true, entries: 7, digests: 3, sealed: 6, head: { seq: 3, hash: digests[2]!.hash }, awaitingClear: 0 });
    expect(r.unsealed).toEqual({ count: 1, first: [entries[6]!.sk] });
    for (const k of ['altered', 'removed', 'inserted', 'digestAltered', 'digestMissing'] as const) expect(r[k]).toEqual({ count: 0, first: null });
  });

  it('names the first altered entry and its digest', () => {
    const { entries, digests } = trail();
    const changed = entries.map((e, i) => (i === 4 || i === 1 ? { ...e, item: { ...e.item, detail: { n: 99 } } } : e));
    const r = verifyChain('acme', changed, stored(digests));
    expect(r.ok).toBe(false);
    expect(r.altered).toEqual({ count: 2, first: { sk: entries[1]!.sk, digest: 1 } });
  });

  it('names a removed entry, an inserted one (no mark, no digest) wherever it sorts, and keeps a marked newcomer as not yet sealed', () => {
    const { entries, digests } = trail();
    const early: StoredEntry = { sk: '2026-01-01T00:00:00.000Z#00000000000000aa', item: { ...ENTRY, at: '2026-01-01T00:00:00.000Z' }, unsealed: false };
    const lateButMarked: StoredEntry = { sk: '2026-01-02T00:00:00.000Z#00000000000000bb', item: ENTRY, unsealed: true };
    const r = verifyChain('acme', [...entries.filter((_, i) => i !== 3), early, lateButMarked], stored(digests));
    expect(r.removed).toEqual({ count: 1, first: { sk: entries[3]!.sk, digest: 2 } });
    expect(r.inserted).toEqual({ count: 1, first: { sk: early.sk, digest: null } });
    expect(r.unsealed).toEqual({ count: 2, first: [lateButMarked.sk, entries[6]!.sk] });
    expect(r.ok).toBe(false);
  });

  it('a sealed entry still marked (a seal that stopped before clearing) is sealed, not new', () => {
    const { entries, digests } = trail();
    const r = verifyChain('acme', entries.map((e, i) => (i < 2 ? { ...e, unsealed: true } : e)), stored(digests));
    expect(r).toMatchObject({ ok: true, awaitingClear: 2, unsealed: { count: 1 } });
  });

  it('names an altered digest, and a digest replaced with its hash recomputed by the broken link after it', () => {
    const { entries, digests } = trail();
    const forged = { ...digests[0]!, entries: digests[0]!.entries.slice(1) };
    expect(verifyChain('acme', entries, stored([forged, digests[1]!, digests[2]!])).digestAltered).toEqual({ count: 1, first: { seq: 1, reason: 'hash' } });
    const recomputed = { ...forged, hash: digestHash(forged) };
    const r = verifyChain('acme', entries, stored([recomputed, digests[1]!, digests[2]!]));
    expect(r.digestAltered.count).toBe(0);
    expect(r.digestMissing).toEqual({ count: 1, first: { seq: 2, reason: 'chain' } });
    // The entry the forged digest dropped is no longer sealed, and carries no mark.
    expect(r.inserted.first?.sk).toBe(entries[0]!.sk);
    expect(verifyChain('acme', entries, [{ seq: 1, item: { nonsense: true } }, ...stored(digests.slice(1))]).digestAltered.first).toEqual({ seq: 1, reason: 'malformed' });
  });

  it('names a missing digest by the gap in the sequence', () => {
    const { entries, digests } = trail();
    const r = verifyChain('acme', entries, stored([digests[0]!, digests[2]!]));
    expect(r.digestMissing.first).toEqual({ seq: 2, reason: 'gap' });
    expect(r.ok).toBe(false);
  });

  it('checks the head against one known from outside the table', () => {
    const { entries, digests } = trail();
    expect(verifyChain('acme', entries, stored(digests), { anchor: { seq: 3, hash: digests[2]!.hash } }).ok).toBe(true);
    expect(verifyChain('acme', entries, stored(digests), { anchor: { seq: 3, hash: 'b'.repeat(64) } }).digestAltered.first).toEqual({ seq: 3, reason: 'anchor' });
    expect(verifyChain('acme', entries, stored(digests.slice(0, 2)), { anchor: { seq: 3, hash: digests[2]!.hash } }).digestMissing.first).toEqual({ seq: 3, reason: 'anchor' });
  });

  it('an entry listed by two digests (written again after its seal) must match both', () => {
    const { entries, digests } = trail();
    const again = buildDigest({ orgId: 'acme', sealedAt: 't4', sealedBy: 'run-4', previous: digests[2], entries: [[entries[0]!.sk, entryHash(entries[0]!.item)]] });
    expect(verifyChain('acme', entries, stored([...digests, again])).ok).toBe(true);
    const changed = entries.map((e, i) => (i === 0 ? { ...e, item: { ...e.item, actor: 'x' } } : e));
    expect(verifyChain('acme', changed, stored([...digests, again])).altered).toEqual({ count: 1, first: { sk: entries[0]!.sk, digest: 1 } });
  });

  it('an empty trail is ok', () => {
    expect(verifyChain('acme', [], [])).toMatchObject({ ok: true, entries: 0, digests: 0, sealed: 0, head: null });
  });
});
