// The tamper-evident audit trail against DynamoDB Local: entries from real runs
// sealed by the runs' own last steps; every kind of tampering done directly in the
// table is named by verify; what is written after a seal is listed as not yet sealed;
// seals racing make one chain; a seal cut short between its digest and clearing the
// marks is harmless; a digest's clearing item keeps later seals (one that chained past
// it, or one that the lagging index shows its entries still marked) from sealing its
// entries again, for the grace period after they were cleared; entries written before
// sealing existed are adopted once; the CLI exits 1 on tampering.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import pMap from 'p-map';
import { beforeEach, describe, expect, inject, it } from 'vitest';
import { auditEntity, auditId } from '../lib/adapters/dynamodb/audit.ts';
import { batchWriteAll } from '../lib/adapters/dynamodb/batch.ts';
import { AUDIT_CLEARING_GRACE_MS, sealAuditTrail } from '../lib/adapters/dynamodb/audit-seal.ts';
import { createStore } from '../lib/adapters/dynamodb/client.ts';
import { INDEX, keys } from '../lib/adapters/dynamodb/keys.ts';
import { useOnce } from '../lib/adapters/dynamodb/nonce-store.ts';
import { executeWorkflow } from '../lib/adapters/local/workflow-runner.ts';
import { AuditVerification, type AuditDigest } from '../lib/domain/audit/chain.ts';
import type { Runtime } from '../lib/runtime.ts';
import type { SealOptions } from '../lib/usecases/ports.ts';
import { readAuditRange, sealAudit, verifyAudit } from '../lib/usecases/audit/trail.ts';
import { runRequest } from '../lib/workflows/declarations.ts';
import { importedSampleRuntime } from './support/imported-sample.ts';
import { testRuntime, throttleWhen } from './support/local-store.ts';
import { tempDir } from './support/temp-dir.ts';

const ORG = 'harbour-ledger';

/**
 * A client of the test's table whose first transaction that `when` picks (given its input
 * as JSON) fails as one meeting another transaction on the same item does; how many did.
 */
function conflictingOnce(rt: Runtime, when: (input: string) => boolean): { store: ReturnType<typeof createStore>; conflicts: () => number } {
  const store = createStore({ tableName: rt.store.table, endpoint: inject('dynamoEndpoint') });
  let conflicts = 0;
  store.doc.middlewareStack.add(
    (next) => async (args) => {
      if (conflicts === 0 && when(JSON.stringify(args.input))) {
        conflicts++;
        throw Object.assign(new Error('Transaction cancelled, please refer cancellation reasons for specific reasons [TransactionConflict, None]'), {
          name: 'TransactionCanceledException',
          CancellationReasons: [{ Code: 'TransactionConflict' }, { Code: 'None' }],
        });
      }
      return next(args);
    },
    { step: 'initialize', name: 'conflict' },
  );
  return { store, conflicts: () => conflicts };
}

async function sweep(rt: Runtime, now = '2026-11-30T01:00:00Z'): Promise<{ status: string }> {
  return (await executeWorkflow(rt, 'evidence-sweep', runRequest('evidence-sweep', ORG, new Date(now)).input)) as { status: string };
}

async function query(rt: Runtime, pk: string): Promise<Record<string, unknown>[]> {
  const out = await rt.store.doc.send(new QueryCommand({ TableName: rt.store.table, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': pk }, ConsistentRead: true }));
  return out.Items ?? [];
}
type Sealed = Awaited<ReturnType<typeof sealAudit>>;

/**
 * Seal "a", on a client of its own, with another seal (`other`) run whole once, when "a"
 * sends the first request whose input `at` picks: before that request goes, or after its answer.
 */
async function sealInterrupted(rt: Runtime, at: (input: string) => boolean, when: 'before' | 'after', other: () => Promise<Sealed>): Promise<{ a: Sealed; b: Sealed | undefined }> {
  const a = createStore({ tableName: rt.store.table, endpoint: inject('dynamoEndpoint') });
  let b: Sealed | undefined;
  a.doc.middlewareStack.add(
    (next) => async (args) => {
      const fire = b === undefined && at(JSON.stringify(args.input));
      if (fire && when === 'before') b = await other();
      const out = await next(args);
      if (fire && when === 'after') b = await other();
      return out;
    },
    { step: 'initialize', name: 'interrupt' },
  );
  try {
    return { a: await sealAuditTrail(a, ORG, 'a', { at: '2026-12-01T00:00:00.000Z' }), b };
  } finally {
    a.doc.destroy();
  }
}

const entries = (rt: Runtime) => query(rt, keys.auditPartition(ORG));
const digests = async (rt: Runtime) => (await query(rt, keys.auditDigestPartition(ORG))) as unknown as (AuditDigest & { SK: string })[];
async function markedKeys(rt: Runtime): Promise<string[]> {
  const out = await rt.store.doc.send(
    new QueryCommand({ TableName: rt.store.table, IndexName: INDEX.byDate, KeyConditionExpression: 'GSI2PK = :pk', ExpressionAttributeValues: { ':pk': keys.auditUnsealedPartition(ORG) } }),
  );
  return (out.Items ?? []).map((i) => String(i.SK));
}

/** Writes `n` entries as the writers do: a few through the port, many in batches as a large import does. */
async function write(rt: Runtime, n: number, at = '2026-12-01T00:00:00.000Z', tag = 'x'): Promise<void> {
  const events = Array.from({ length: n }, (_, i) => ({ orgId: ORG, at, event: 'test.written', subject: `TEST#${tag}-${i}`, actor: 'test' }));
  if (n < 100) await pMap(events, (e) => rt.audit.append(e), { concurrency: 8 });
  else await pMap(Array.from({ length: Math.ceil(n / 250) }, (_, i) => events.slice(i * 250, i * 250 + 250)), (part) => batchWriteAll(rt.store, part.map((e) => ({ PutRequest: { Item: auditEntity.toItem(e) } }))), { concurrency: 4 });
}

function everySkOnce(ds: AuditDigest[]): void {
  const all = ds.flatMap((d) => d.entries.map(([sk]) => sk));
  expect(new Set(all).size).toBe(all.length);
}

describe('audit trail on the sample organisation', () => {
  let rt: Runtime;

  beforeEach(async () => {
    rt = await importedSampleRuntime();
  });

  it('every new entry carries the not-yet-sealed mark; the run\'s last step seals the import and the run, and verify finds it whole', async () => {
    const imported = await entries(rt);
    expect(imported.length).toBeGreaterThan(100);
    expect(imported.every((e) => e.GSI2PK === keys.auditUnsealedPartition(ORG) && e.GSI2SK === e.SK)).toBe(true);
    const before = await verifyAudit(rt, ORG);
    expect(before).toMatchObject({ ok: true, digests: 0, sealed: 0, unsealed: { count: imported.length } });

    expect((await sweep(rt)).status).toBe('succeeded');
    const all = await entries(rt);
    expect(all.length).toBeGreaterThan(imported.length);
    expect(all.some((e) => e.event === 'run.succeeded')).toBe(true);
    expect(all.every((e) => e.GSI2PK === undefined)).toBe(true);
    expect(await markedKeys(rt)).toEqual([]);
    const ds = await digests(rt);
    expect(ds.map((d) => d.seq)).toEqual([1]);
    expect(ds[0]).toMatchObject({ sealedBy: runRequest('evidence-sweep', ORG, new Date('2026-11-30T01:00:00Z')).name, previousHash: null });
    expect(ds[0]!.entries.map(([sk]) => sk)).toEqual(all.map((e) => e.SK));

    const report = await verifyAudit(rt, ORG);
    expect(AuditVerification.parse(report)).toEqual(report);
    expect(report).toMatchObject({ ok: true, entries: all.length, digests: 1, sealed: all.length, unsealed: { count: 0, first: [] }, head: { seq: 1, hash: ds[0]!.hash } });

    // Sealing again: nothing new, the same head.
    expect(await sealAudit(rt, ORG, 'test')).toEqual({ seq: 1, hash: ds[0]!.hash, sealedEntries: 0 });
    // The report names keys and hashes only.
    expect(JSON.stringify(report)).not.toMatch(/@|michelle|PERSON#|EVIDENCE#/i);
  });

  it('a run a person started is theirs in the trail, with their role; a scheduled one is the run\'s own; verify finds both whole', async () => {
    const scheduled = runRequest('evidence-sweep', ORG, new Date('2026-11-29T01:00:00Z'));
    await executeWorkflow(rt, 'evidence-sweep', scheduled.input);
    // As POST /v1/runs starts it: the input names the person and role of the token.
    const byPerson = runRequest('evidence-sweep', ORG, new Date('2026-11-30T01:00:00Z'));
    await executeWorkflow(rt, 'evidence-sweep', { ...byPerson.input, startedBy: { person: 'raymond-wong', role: 'scheduler' } });
    const started = (await entries(rt)).filter((e) => e.event === 'run.started');
    expect(started.map((e) => [e.subject, e.actor, e.detail])).toEqual([
      [`RUN#evidence-sweep#${scheduled.name}`, scheduled.name, undefined],
      [`RUN#evidence-sweep#${byPerson.name}`, 'raymond-wong', { role: 'scheduler' }],
    ]);
    expect(await rt.runs.get({ orgId: ORG, kind: 'evidence-sweep', name: byPerson.name })).toMatchObject({ status: 'succeeded', startedBy: 'raymond-wong' });
    expect(await rt.runs.get({ orgId: ORG, kind: 'evidence-sweep', name: scheduled.name })).not.toHaveProperty('startedBy');
    expect(await verifyAudit(rt, ORG)).toMatchObject({ ok: true, unsealed: { count: 0 } });
  });

  it('a scan and the analysis it starts each seal at their end', async () => {
    const scan = runRequest('data-mapping-scan', ORG, new Date('2026-11-01T02:00:00Z'));
    await executeWorkflow(rt, 'data-mapping-scan', scan.input);
    const ds = await digests(rt);
    expect(ds.map((d) => d.sealedBy)).toEqual([scan.name, `gap-analysis-${ORG}-2026-11`]);
    expect(await markedKeys(rt)).toEqual([]);
    expect(await verifyAudit(rt, ORG)).toMatchObject({ ok: true, unsealed: { count: 0 } });
    expect((await entries(rt)).filter((e) => e.event === 'gap.opened').length).toBeGreaterThan(0);
  });

  it('names an altered entry, a removed one, one inserted into the sealed range, an altered digest and a missing one', async () => {
    await sweep(rt);
    await write(rt, 5, '2026-11-30T02:00:00.000Z', 'second');
    await sealAudit(rt, ORG, 'test-2');
    await write(rt, 5, '2026-11-30T03:00:00.000Z', 'third');
    await sealAudit(rt, ORG, 'test-3');
    const all = await entries(rt);
    const ds = await digests(rt);
    expect(ds.map((d) => d.seq)).toEqual([1, 2, 3]);
    expect((await verifyAudit(rt, ORG)).ok).toBe(true);
    const table = rt.store.table;

    // Alter one entry's detail in the table.
    const victim = all.find((e) => e.event === 'notice.sent')!;
    await rt.store.doc.send(new UpdateCommand({ TableName: table, Key: { PK: victim.PK, SK: victim.SK }, UpdateExpression: 'SET detail.recipient = :r', ExpressionAttributeValues: { ':r': 'someone-else' } }));
    let r = await verifyAudit(rt, ORG);
    expect(r.ok).toBe(false);
    expect(r.altered).toEqual({ count: 1, first: { sk: victim.SK, digest: 1 } });
    expect([r.removed.count, r.inserted.count, r.digestAltered.count, r.digestMissing.count]).toEqual([0, 0, 0, 0]);

    // Delete one.
    const gone = all[3]!;
    await rt.store.doc.send(new DeleteCommand({ TableName: table, Key: { PK: gone.PK, SK: gone.SK } }));
    r = await verifyAudit(rt, ORG);
    expect(r.removed).toEqual({ count: 1, first: { sk: gone.SK, digest: 1 } });

    // Put a new entry, without the mark, among the sealed ones.
    const at = String(all[10]!.at);
    const forged = { ...keys.audit(ORG, at, auditId('evidence.renewed', 'EVIDENCE#ev-001', 'import:x', at)), type: 'audit', orgId: ORG, at, event: 'evidence.renewed', subject: 'EVIDENCE#ev-001', actor: 'import:x' };
    await rt.store.doc.send(new PutCommand({ TableName: table, Item: forged }));
    r = await verifyAudit(rt, ORG);
    expect(r.inserted).toEqual({ count: 1, first: { sk: forged.SK, digest: null } });

    // Alter a digest: its hash no longer matches.
    await rt.store.doc.send(new UpdateCommand({ TableName: table, Key: keys.auditDigest(ORG, 3), UpdateExpression: 'SET sealedBy = :s', ExpressionAttributeValues: { ':s': 'nobody' } }));
    r = await verifyAudit(rt, ORG);
    expect(r.digestAltered).toEqual({ count: 1, first: { seq: 3, reason: 'hash' } });

    // Delete the middle digest: the sequence has a gap, and what it sealed is in no digest.
    await rt.store.doc.send(new DeleteCommand({ TableName: table, Key: keys.auditDigest(ORG, 2) }));
    r = await verifyAudit(rt, ORG);
    expect(r.digestMissing).toEqual({ count: 1, first: { seq: 2, reason: 'gap' } });
    expect(r.inserted.count).toBe(1 + 5);
    expect(r).toMatchObject({ altered: { count: 1 }, removed: { count: 1 }, digestAltered: { count: 1 }, digests: 2 });
  });

  it('lists entries written after the last seal as not yet sealed, wherever their time sorts, and seals them next', async () => {
    await sweep(rt);
    const head = (await digests(rt)).at(-1)!;
    await write(rt, 3, '2026-12-05T00:00:00.000Z', 'late');
    // An entry stamped before everything sealed (a writer's own, earlier time) is new too, not inserted.
    await rt.audit.append({ orgId: ORG, at: '2026-01-01T00:00:00.000Z', event: 'test.backdated', subject: 'TEST#early', actor: 'test' });
    const r = await verifyAudit(rt, ORG);
    expect(r.ok).toBe(true);
    expect(r.unsealed.count).toBe(4);
    expect(r.unsealed.first[0]).toMatch(/^2026-01-01T00:00:00.000Z#/);
    expect(r.unsealed.first.slice(1).every((sk) => sk.startsWith('2026-12-05T'))).toBe(true);

    const sealed = await sealAudit(rt, ORG, 'test');
    expect(sealed).toMatchObject({ seq: head.seq + 1, sealedEntries: 4 });
    expect((await digests(rt)).at(-1)!.previousHash).toBe(head.hash);
    expect(await verifyAudit(rt, ORG)).toMatchObject({ ok: true, unsealed: { count: 0 }, head: { seq: head.seq + 1, hash: sealed.hash } });
  });

  it('seals thousands of entries in chained digests of at most 1,000, and three seals at once make one chain that seals each entry once', async () => {
    await write(rt, 1_500);
    const total = (await entries(rt)).length;
    const results = await Promise.all([sealAudit(rt, ORG, 'a'), sealAudit(rt, ORG, 'b'), sealAudit(rt, ORG, 'c')]);
    expect(results.reduce((n, s) => n + s.sealedEntries, 0)).toBe(total);
    const ds = await digests(rt);
    expect(ds.map((d) => d.seq)).toEqual(ds.map((_, i) => i + 1));
    expect(ds.length).toBeGreaterThanOrEqual(Math.ceil(total / 1000));
    expect(ds.every((d) => d.entries.length <= 1000)).toBe(true);
    everySkOnce(ds);
    for (let i = 1; i < ds.length; i++) expect(ds[i]!.previousHash).toBe(ds[i - 1]!.hash);
    expect(Math.max(...results.map((s) => s.seq))).toBe(ds.length);
    expect(await markedKeys(rt)).toEqual([]);
    expect(await verifyAudit(rt, ORG)).toMatchObject({ ok: true, entries: total, sealed: total, digests: ds.length, unsealed: { count: 0 } });
  });

  it('a seal that another seal overtakes between its reads seals nothing twice (the other sealed and cleared what it read as marked)', async () => {
    await write(rt, 1_500);
    const total = (await entries(rt)).length;
    // Seal "b" runs whole (two digests, marks cleared) right after seal "a" has read the marked entries.
    const { a: sealedByA, b } = await sealInterrupted(rt, (input) => input.includes(keys.auditUnsealedPartition(ORG)), 'after', () => sealAudit(rt, ORG, 'b'));
    expect(b).toMatchObject({ sealedEntries: total });
    expect(sealedByA).toMatchObject({ sealedEntries: 0, seq: b!.seq });
    const ds = await digests(rt);
    expect(ds.map((d) => d.sealedBy)).toEqual(ds.map(() => 'b'));
    everySkOnce(ds);
    expect(await markedKeys(rt)).toEqual([]);
    expect(await verifyAudit(rt, ORG)).toMatchObject({ ok: true, entries: total, sealed: total, digests: ds.length });
  });

  it('a seal that loses the race for a sequence number reads what the winner sealed and chains on after it', async () => {
    await write(rt, 1_500);
    const total = (await entries(rt)).length;
    // Seal "a" is about to put its first digest when seal "b" seals the first 1,000 entries.
    const { a: sealedByA, b } = await sealInterrupted(
      rt,
      (input) => input.includes(keys.auditDigestPartition(ORG)) && input.includes('attribute_not_exists'),
      'before',
      () => sealAudit(rt, ORG, 'b', { maxEntries: 1_000 }),
    );
    expect(b).toMatchObject({ seq: 1, sealedEntries: 1_000 });
    expect(sealedByA.sealedEntries).toBe(total - 1_000);
    const ds = await digests(rt);
    expect(ds.map((d) => [d.seq, d.sealedBy])).toEqual([[1, 'b'], ...ds.slice(1).map((d) => [d.seq, 'a'])]);
    expect(sealedByA.seq).toBe(ds.length);
    everySkOnce(ds);
    expect(await markedKeys(rt)).toEqual([]);
    expect(await verifyAudit(rt, ORG)).toMatchObject({ ok: true, sealed: total });
  });

  it('a seal cut short between its digest and clearing the marks is harmless: verify counts the entries sealed, the next seal only clears them', async () => {
    await write(rt, 40);
    const total = (await entries(rt)).length;
    // Another process whose clearing fails (its batch writes refused), as if it died there.
    const crashing = createStore({ tableName: rt.store.table, endpoint: inject('dynamoEndpoint') });
    throttleWhen(crashing, (input) => input.includes('RequestItems'));
    await expect(sealAuditTrail(crashing, ORG, 'crashed', { at: '2026-12-01T00:00:00.000Z' })).rejects.toThrow(/capacity/);
    crashing.doc.destroy();
    expect((await digests(rt)).map((d) => d.seq)).toEqual([1]);
    expect((await markedKeys(rt)).length).toBe(total);
    const r = await verifyAudit(rt, ORG);
    expect(r).toMatchObject({ ok: true, sealed: total, awaitingClear: total, unsealed: { count: 0 } });

    await write(rt, 2, '2026-12-02T00:00:00.000Z', 'after');
    const next = await sealAudit(rt, ORG, 'next');
    expect(next).toMatchObject({ seq: 2, sealedEntries: 2 });
    everySkOnce(await digests(rt));
    expect(await markedKeys(rt)).toEqual([]);
    expect(await verifyAudit(rt, ORG)).toMatchObject({ ok: true, sealed: total + 2, awaitingClear: 0 });
  });

  it('a run whose seal fails still succeeds; its entries wait, marked, for the next seal', async () => {
    throttleWhen(rt.store, (input) => input.includes(keys.auditDigestPartition(ORG)) && input.includes('attribute_not_exists'));
    expect((await sweep(rt)).status).toBe('succeeded');
    expect(await digests(rt)).toEqual([]);
    const r = await verifyAudit(rt, ORG);
    expect(r.ok).toBe(true);
    expect(r.unsealed.count).toBe(r.entries);
  });

  it('entries of a large import still being written wait for the next seal', async () => {
    const startedAt = '2026-12-03T00:00:00.000Z';
    await rt.store.doc.send(new PutCommand({ TableName: rt.store.table, Item: { ...keys.importMarker(ORG), type: 'import', importId: 'x', startedAt, leaseUntil: '2026-12-03T00:05:00.000Z' } }));
    await write(rt, 3, startedAt, 'importing');
    const sealed = await sealAudit(rt, ORG, 'test');
    const waiting = await markedKeys(rt);
    expect(waiting).toHaveLength(3);
    expect(waiting.every((sk) => sk.startsWith(startedAt))).toBe(true);
    await rt.store.doc.send(new DeleteCommand({ TableName: rt.store.table, Key: keys.importMarker(ORG) }));
    expect(await sealAudit(rt, ORG, 'test')).toMatchObject({ seq: sealed.seq + 1, sealedEntries: 3 });
  });

  it('entries written before sealing existed: named as inserted until adopted once, then sealed with the rest', async () => {
    // A deployed table's history: entries without the mark.
    const old = Array.from({ length: 30 }, (_, i) => {
      const at = `2026-06-01T00:00:${String(i).padStart(2, '0')}.000Z`;
      return { ...keys.audit(ORG, at, auditId('run.succeeded', `RUN#x#${i}`, 'old', at)), type: 'audit', orgId: ORG, at, event: 'run.succeeded', subject: `RUN#x#${i}`, actor: 'old' };
    });
    await pMap(old, (Item) => rt.store.doc.send(new PutCommand({ TableName: rt.store.table, Item })), { concurrency: 8 });
    await sweep(rt);
    let r = await verifyAudit(rt, ORG);
    expect(r).toMatchObject({ ok: false, inserted: { count: 30, first: { sk: old[0]!.SK } } });
    const adopted = await sealAudit(rt, ORG, 'cli:audit-seal-adopt', { adopt: true });
    expect(adopted.sealedEntries).toBe(30);
    r = await verifyAudit(rt, ORG);
    expect(r).toMatchObject({ ok: true, inserted: { count: 0 }, sealed: r.entries });
    expect(await sealAudit(rt, ORG, 'again', { adopt: true })).toMatchObject({ seq: adopted.seq, sealedEntries: 0 });
  });

  it('reads a period: from its first moment, up to but not including its end; dates or times', async () => {
    for (const at of ['2026-09-30T23:59:59.999Z', '2026-10-01T00:00:00.000Z', '2026-12-31T23:59:59.999Z', '2027-01-01T00:00:00.000Z']) {
      await rt.audit.append({ orgId: ORG, at, event: 'test.period', subject: `TEST#${at}`, actor: 'test' });
    }
    const q4 = await readAuditRange(rt, ORG, '2026-10-01', '2027-01-01');
    expect(q4.filter((e) => e.event === 'test.period').map((e) => e.at)).toEqual(['2026-10-01T00:00:00.000Z', '2026-12-31T23:59:59.999Z']);
    const exact = await readAuditRange(rt, ORG, '2026-10-01T00:00:00.000Z', '2026-12-31T23:59:59.999Z');
    expect(exact.filter((e) => e.event === 'test.period').map((e) => e.at)).toEqual(['2026-10-01T00:00:00.000Z']);
    // Each with its key and the hash a digest gives it.
    await sealAudit(rt, ORG, 'test');
    const listed = new Map((await digests(rt)).flatMap((d) => d.entries));
    for (const e of q4) expect(listed.get(e.sk)).toBe(e.hash);
    expect(await readAuditRange(rt, ORG, '2027-01-01', '2026-10-01')).toEqual([]);
  });
});

// ---------------------------------------------------------------------------
// Seals that overlap a digest's clearing, and an index that lags behind it, on a
// table of their own (only the entries each test writes).

const T0 = '2026-12-01T00:00:00.000Z';
/** `minutes` after T0, as a seal's `at`. */
const after = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();
const GRACE_MINUTES = AUDIT_CLEARING_GRACE_MS / 60_000;
/** A digest's write (the put, or the transaction holding it): the first request carrying the digest partition's key and its condition. */
const digestWrite = (input: string) => input.includes(keys.auditDigestPartition(ORG)) && input.includes('attribute_not_exists');
/** The clearing partition: [digest seq, clearedAt or null], in order. */
async function clearing(rt: Runtime): Promise<[number, string | null][]> {
  return (await query(rt, keys.auditClearingPartition(ORG))).map((i) => [Number(i.SK), (i.clearedAt as string | undefined) ?? null]);
}

/**
 * A seal on a client of its own that stops at the first request `at` picks (before it goes, or after its
 * answer) until released. `paused` settles once it has stopped there, and fails if the seal ends first.
 */
function sealPaused(rt: Runtime, actor: string, options: Partial<SealOptions>, at: (input: string) => boolean, when: 'before' | 'after') {
  const store = createStore({ tableName: rt.store.table, endpoint: inject('dynamoEndpoint') });
  let stopped!: () => void;
  const reached = new Promise<void>((resolve) => (stopped = resolve));
  let release!: () => void;
  const go = new Promise<void>((resolve) => (release = resolve));
  let fired = false;
  store.doc.middlewareStack.add(
    (next) => async (args) => {
      const fire = !fired && at(JSON.stringify(args.input));
      if (fire) fired = true;
      if (fire && when === 'before') {
        stopped();
        await go;
      }
      const out = await next(args);
      if (fire && when === 'after') {
        stopped();
        await go;
      }
      return out;
    },
    { step: 'initialize', name: 'pause' },
  );
  const done = sealAuditTrail(store, ORG, actor, { at: T0, ...options }).finally(() => store.doc.destroy());
  const paused = Promise.race([
    reached,
    done.then(() => {
      throw new Error(`seal ${actor} ended without stopping`);
    }),
  ]);
  return { paused, release, done };
}

/** A sealed entry shown as marked again, as an index lagging behind its clearing would (DynamoDB Local never lags). */
async function showMarked(rt: Runtime, sk: string): Promise<void> {
  await rt.store.doc.send(
    new UpdateCommand({
      TableName: rt.store.table,
      Key: { PK: keys.auditPartition(ORG), SK: sk },
      UpdateExpression: 'SET GSI2PK = :pk, GSI2SK = :sk',
      ExpressionAttributeValues: { ':pk': keys.auditUnsealedPartition(ORG), ':sk': sk },
    }),
  );
}

describe('audit seal: digests whose entries may still show as marked', () => {
  let rt: Runtime;

  beforeEach(async () => {
    rt = await testRuntime();
  });

  it('a seal that starts while one seal has written a digest but not cleared its entries, and another has chained a digest after it, only clears those entries', async () => {
    await write(rt, 5, '2026-12-01T02:00:00.000Z', 'c');
    // Seal "c" reads the head (none) and these five as marked, and stops before putting its digest.
    const c = sealPaused(rt, 'c', {}, digestWrite, 'before');
    await c.paused;
    // Five more, sorting before them: seal "a" takes the five lowest into digest 1 and stops before clearing their marks.
    await write(rt, 5, '2026-12-01T01:00:00.000Z', 'a');
    const total = (await entries(rt)).length;
    const a = sealPaused(rt, 'a', { maxEntries: 5 }, digestWrite, 'after');
    await a.paused;
    expect((await digests(rt)).map((d) => [d.seq, d.sealedBy])).toEqual([[1, 'a']]);
    // "c" loses number 1, reads digest 1, seals its own five in digest 2 and clears them: the head is 2.
    c.release();
    const byC = await c.done;
    expect(byC).toMatchObject({ seq: 2, sealedEntries: 5 });
    expect(await markedKeys(rt)).toHaveLength(5);
    // Seal "b" reads head 2, digest 1's entries still marked, and no digest after the head.
    const byB = await sealAuditTrail(rt.store, ORG, 'b', { at: T0 });
    a.release();
    const byA = await a.done;
    expect(byB).toMatchObject({ seq: 2, sealedEntries: 0 });
    expect(byA).toMatchObject({ seq: 1, sealedEntries: 5 });
    expect(byA.sealedEntries + byB.sealedEntries + byC.sealedEntries).toBe(total);
    const ds = await digests(rt);
    expect(ds.map((d) => [d.seq, d.sealedBy])).toEqual([
      [1, 'a'],
      [2, 'c'],
    ]);
    everySkOnce(ds);
    expect(await markedKeys(rt)).toEqual([]);
    expect(await verifyAudit(rt, ORG)).toMatchObject({ ok: true, entries: total, sealed: total, digests: 2, awaitingClear: 0, unsealed: { count: 0 } });
  });

  it('an entry the index still shows as marked after its digest was cleared, with the head already past that digest, is only cleared again while the digest is within the grace period', async () => {
    await write(rt, 3, T0, 'first');
    await sealAuditTrail(rt.store, ORG, 's1', { at: after(0) });
    await write(rt, 2, after(1), 'second');
    await sealAuditTrail(rt.store, ORG, 's2', { at: after(1) });
    const first = (await digests(rt))[0]!;
    // GSI2 lags: one entry of digest 1 (not the head) shows as marked after it was cleared (DynamoDB Local
    // never lags, so the entry gets its GSI2 keys back).
    const [stale] = first.entries[0]!;
    await showMarked(rt, stale);
    expect(await markedKeys(rt)).toEqual([stale]);
    expect(await sealAuditTrail(rt.store, ORG, 's3', { at: after(2) })).toMatchObject({ seq: 2, sealedEntries: 0 });
    expect(await markedKeys(rt)).toEqual([]);
    const ds = await digests(rt);
    expect(ds.map((d) => d.seq)).toEqual([1, 2]);
    everySkOnce(ds);
    expect(await verifyAudit(rt, ORG)).toMatchObject({ ok: true, entries: 5, sealed: 5, digests: 2, awaitingClear: 0 });
  });

  it('reads no digest but the head when nothing is marked, and of the digests before the head only one whose entries a marked entry sorts among', async () => {
    for (const minute of [0, 1, 2]) {
      await write(rt, 3, after(minute), `batch${minute}`);
      await sealAuditTrail(rt.store, ORG, `s${minute}`, { at: after(minute) });
    }
    // every digest is within the grace period: each has its clearing item
    expect((await clearing(rt)).map(([seq]) => seq)).toEqual([1, 2, 3]);
    const watched = createStore({ tableName: rt.store.table, endpoint: inject('dynamoEndpoint') });
    const read: number[] = [];
    watched.doc.middlewareStack.add(
      (next) => async (args) => {
        const out = await next(args);
        const output = out.output as { Items?: Record<string, unknown>[]; Responses?: Record<string, Record<string, unknown>[]> };
        for (const item of [...(output.Items ?? []), ...Object.values(output.Responses ?? {}).flat()])
          if (item.PK === keys.auditDigestPartition(ORG)) read.push(Number(item.SK));
        return out;
      },
      { step: 'initialize', name: 'watch' },
    );
    try {
      expect(await sealAuditTrail(watched, ORG, 'nothing-new', { at: after(3) })).toMatchObject({ seq: 3, sealedEntries: 0 });
      expect(read).toEqual([3]);
      // an entry of digest 1 shows as marked again (the index lagging): digest 1 is read, digest 2 is not
      const [stale] = (await digests(rt))[0]!.entries[0]!;
      await showMarked(rt, stale);
      read.length = 0;
      expect(await sealAuditTrail(watched, ORG, 'stale', { at: after(4) })).toMatchObject({ seq: 3, sealedEntries: 0 });
      expect(read.sort()).toEqual([1, 3]);
    } finally {
      watched.doc.destroy();
    }
    expect(await markedKeys(rt)).toEqual([]);
    everySkOnce(await digests(rt));
  });

  it("keeps a digest's clearing item for the grace period after its entries are cleared; the first seal after that deletes it; verify reads none of them", async () => {
    expect(GRACE_MINUTES).toBe(15);
    await write(rt, 3, T0, 'first');
    await sealAuditTrail(rt.store, ORG, 's1', { at: after(0) });
    expect(await clearing(rt)).toEqual([[1, after(0)]]);
    await write(rt, 3, after(10), 'second');
    await sealAuditTrail(rt.store, ORG, 's2', { at: after(10) });
    // Digest 1's entries were cleared 10 minutes ago: within the grace period, kept.
    expect(await clearing(rt)).toEqual([
      [1, after(0)],
      [2, after(10)],
    ]);
    // Exactly the grace period: kept still.
    expect(await sealAuditTrail(rt.store, ORG, 's3', { at: after(GRACE_MINUTES) })).toMatchObject({ seq: 2, sealedEntries: 0 });
    expect((await clearing(rt)).map(([seq]) => seq)).toEqual([1, 2]);
    // Past it: digest 1's item is deleted, digest 2's (cleared 6 minutes before) kept.
    expect(await sealAuditTrail(rt.store, ORG, 's4', { at: after(GRACE_MINUTES + 1) })).toMatchObject({ seq: 2, sealedEntries: 0 });
    expect(await clearing(rt)).toEqual([[2, after(10)]]);
    await write(rt, 1, after(40), 'third');
    expect(await sealAuditTrail(rt.store, ORG, 's5', { at: after(40) })).toMatchObject({ seq: 3, sealedEntries: 1 });
    expect(await clearing(rt)).toEqual([[3, after(40)]]);
    expect(await verifyAudit(rt, ORG)).toMatchObject({ ok: true, entries: 7, sealed: 7, digests: 3, digestAltered: { count: 0 }, digestMissing: { count: 0 } });
  });

  it('a digest whose seal stopped before clearing is left to that seal within the grace period, then taken over: its entries are read from the table, cleared, and its item marked', async () => {
    await write(rt, 40, T0, 'x');
    const crashing = createStore({ tableName: rt.store.table, endpoint: inject('dynamoEndpoint') });
    throttleWhen(crashing, (input) => input.includes('RequestItems'));
    await expect(sealAuditTrail(crashing, ORG, 'crashed', { at: T0 })).rejects.toThrow(/capacity/);
    crashing.doc.destroy();
    expect(await clearing(rt)).toEqual([[1, null]]);
    // Within the grace period: a seal reading one marked entry clears that one and leaves the rest to the seal that wrote the digest.
    expect(await sealAuditTrail(rt.store, ORG, 'soon', { at: after(1), maxEntries: 1 })).toMatchObject({ seq: 1, sealedEntries: 0 });
    expect(await markedKeys(rt)).toHaveLength(39);
    expect(await clearing(rt)).toEqual([[1, null]]);
    // Past it: the digest's entries are read from the table (not the index: this seal reads one), all cleared.
    expect(await sealAuditTrail(rt.store, ORG, 'later', { at: after(GRACE_MINUTES + 1), maxEntries: 1 })).toMatchObject({ seq: 1, sealedEntries: 0 });
    expect(await markedKeys(rt)).toEqual([]);
    expect(await clearing(rt)).toEqual([[1, after(GRACE_MINUTES + 1)]]);
    expect(await verifyAudit(rt, ORG)).toMatchObject({ ok: true, sealed: 40, awaitingClear: 0 });
    await sealAuditTrail(rt.store, ORG, 'last', { at: after(2 * GRACE_MINUTES + 2) });
    expect(await clearing(rt)).toEqual([]);
  });

  it('a digest whose transaction meets another transaction on the same item is put again', async () => {
    await write(rt, 3, T0, 'x');
    const { store, conflicts } = conflictingOnce(rt, digestWrite);
    try {
      expect(await sealAuditTrail(store, ORG, 'x', { at: T0 })).toMatchObject({ seq: 1, sealedEntries: 3 });
    } finally {
      store.doc.destroy();
    }
    expect(conflicts()).toBe(1);
    expect(await markedKeys(rt)).toEqual([]);
    expect(await verifyAudit(rt, ORG)).toMatchObject({ ok: true, sealed: 3, digests: 1 });
  });
});

describe('a value used once, with its audit entry', () => {
  it('is sent again when its transaction meets another (a sign-in link clicked twice): used once, one entry, and used ever after', async () => {
    const rt = await testRuntime();
    const { store, conflicts } = conflictingOnce(rt, (input) => input.includes('"TransactItems"'));
    const audit = { orgId: ORG, at: T0, event: 'session.signed-in', subject: 'SESSION#s1', actor: 'ada', detail: { role: 'owner', via: 'link' } };
    const expires = new Date(Date.parse(T0) + 3_600_000);
    try {
      expect(await useOnce(store, ORG, 'sign-in', 'jti-1', expires, audit)).toBe(true);
      expect(await useOnce(store, ORG, 'sign-in', 'jti-1', expires, { ...audit, subject: 'SESSION#s2' })).toBe(false);
    } finally {
      store.doc.destroy();
    }
    expect(conflicts()).toBe(1);
    expect((await rt.audit.read(ORG)).map((e) => [e.event, e.subject])).toEqual([['session.signed-in', 'SESSION#s1']]);
  });
});

// ---------------------------------------------------------------------------
// The command line, as a person runs it, against the shared DynamoDB Local.

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const NODE =
  Number(process.versions.node.split('.')[0]) >= 24 || !existsSync(path.join(ROOT, 'node_modules', '.bin', 'node')) ? process.execPath : path.join(ROOT, 'node_modules', '.bin', 'node');

function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of ['DYNAMODB_ENDPOINT', 'COMPLIANCE_TABLE', 'COMPLIANCE_NOW', 'OUTBOX_DIR', 'MAIL_TRANSPORT', 'DEBUG', 'NODE_OPTIONS']) delete env[key];
  return new Promise((resolve) => {
    execFile(NODE, ['lib/cli/main.mjs', ...args], { cwd: ROOT, env, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

describe('compliance audit verify|seal', () => {
  // Nine CLI processes: those that only read the trail as it stands run at once.
  it('exit 0 on a whole trail, 1 once an entry is altered or the head differs from the one given, naming it; seal --adopt; --format json is the report', { timeout: 180_000 }, async () => {
    const rt = await importedSampleRuntime();
    const cli = (...args: string[]) => runCli(['--endpoint', inject('dynamoEndpoint'), '--table', rt.store.table, '--data-dir', tempDir('audit-cli-'), ...args]);

    let r = await cli('audit', 'verify');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Not yet sealed: \d+ entries written since the last seal: 2026-11-29T00:00:00.000Z#[0-9a-f]{16}/);

    r = await cli('audit', 'seal', '--org', ORG);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Sealed \d+ entries of harbour-ledger: the chain's head is digest 1 \([0-9a-f]{16}…\)\.$/m);
    r = await cli('audit', 'seal', '--adopt');
    expect(r.stdout).toMatch(/^Nothing new to seal for harbour-ledger: the chain's head is digest 1/m);

    const head = (await digests(rt))[0]!;
    const [json, anchored, otherHead, missing] = await Promise.all([
      cli('--format', 'json', 'audit', 'verify'),
      cli('audit', 'verify', '--anchor', `1:${head.hash}`),
      cli('audit', 'verify', '--anchor', `1:${'0'.repeat(64)}`),
      cli('audit', 'verify', '--anchor', `2:${head.hash}`),
    ]);
    expect(json.code).toBe(0);
    expect(AuditVerification.parse(JSON.parse(json.stdout))).toMatchObject({ ok: true, digests: 1 });
    expect(anchored.code).toBe(0);
    expect(otherHead.code).toBe(1);
    expect(otherHead.stdout).toContain('DIGEST ALTERED: 1 digest; the first: digest 1 (it is not the head given).');
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain('DIGEST MISSING: 1 digest; the first: digest 2 (');

    const victim = (await entries(rt))[5]!;
    await rt.store.doc.send(new UpdateCommand({ TableName: rt.store.table, Key: { PK: victim.PK, SK: victim.SK }, UpdateExpression: 'SET actor = :a', ExpressionAttributeValues: { ':a': 'someone' } }));
    const [human, report] = await Promise.all([cli('audit', 'verify', '--org', ORG), cli('--format', 'json', 'audit', 'verify')]);
    expect(human.code).toBe(1);
    expect(human.stdout).toContain(`ALTERED: 1 entry no longer match the hash their digest gives; the first: ${String(victim.SK)} (digest 1).`);
    expect(human.stdout).not.toContain('Verified');
    expect(report.code).toBe(1);
    expect(JSON.parse(report.stdout)).toMatchObject({ ok: false, altered: { count: 1, first: { sk: victim.SK } } });
    const unchanged = await rt.store.doc.send(new GetCommand({ TableName: rt.store.table, Key: { PK: victim.PK, SK: victim.SK } }));
    expect(unchanged.Item?.actor).toBe('someone');
  });
});
