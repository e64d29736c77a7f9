// Benchmark: sealing and verifying an organisation's audit trail of 100,000 entries
// against DynamoDB Local, through the table's own seal and verify (the ones every
// workflow run, `compliance audit seal|verify`, the API and the export call). Prints
// the wall time, entries per second and the read and write units each consumed
// (DynamoDB's own figures, ReturnConsumedCapacity INDEXES, split between the table and
// GSI2): first what the writers paid for the not-yet-sealed mark while seeding, then
// the seal of all of them, a seal with nothing new, verify, and the seal a run makes
// after 1,000 new entries.
// BENCH_AUDIT_ENTRIES (default 100000).
import { availableParallelism, loadavg } from 'node:os';
import pMap from 'p-map';
import { auditEntity } from '../lib/adapters/dynamodb/audit.ts';
import { sealAuditTrail, verifyAuditTrail } from '../lib/adapters/dynamodb/audit-seal.ts';
import { batchWriteAll } from '../lib/adapters/dynamodb/batch.ts';
import { createStore, type Store } from '../lib/adapters/dynamodb/client.ts';
import { ensureTable } from '../lib/adapters/dynamodb/table-definition.ts';
import { startDynamoLocal } from '../lib/adapters/local/dynamodb-local.ts';
import type { AuditEvent } from '../lib/domain/audit/audit.ts';

const ENTRIES = Number(process.env.BENCH_AUDIT_ENTRIES ?? 100_000);
const ORG = 'audit-bench';
const EVENTS = ['notice.recorded', 'notice.sent', 'evidence.renewed', 'gap.opened', 'task.answered', 'run.succeeded'];

/** Entries as the writers make them: a year of events, each with a small detail. */
function entry(i: number, base = Date.parse('2026-01-01T00:00:00.000Z')): AuditEvent {
  const event = EVENTS[i % EVENTS.length]!;
  return {
    orgId: ORG,
    at: new Date(base + i * 311_000).toISOString(),
    event,
    subject: `NOTICE#ev-${String(i % 5000).padStart(4, '0')}#2026-12-01#${i % 2 ? 'lapsed' : 'due-soon'}`,
    actor: `evidence-sweep-${ORG}-2026-${String((i % 12) + 1).padStart(2, '0')}-01`,
    detail: { recipient: `p${i % 40}`, stage: i % 2 ? 'lapsed' : 'due-soon', n: i },
  };
}

interface Units {
  tableRead: number;
  tableWrite: number;
  gsi2Read: number;
  gsi2Write: number;
}
const noUnits = (): Units => ({ tableRead: 0, tableWrite: 0, gsi2Read: 0, gsi2Write: 0 });

/** Read and write units by table and GSI2, from every command's ConsumedCapacity (INDEXES). */
function tally(store: Store): { current: Units } {
  const holder = { current: noUnits() };
  type F = { ReadCapacityUnits?: number; WriteCapacityUnits?: number; CapacityUnits?: number };
  type Figure = { Table?: F; GlobalSecondaryIndexes?: Record<string, F> };
  store.doc.middlewareStack.add(
    (next, context) => async (args) => {
      (args.input as { ReturnConsumedCapacity?: string }).ReturnConsumedCapacity = 'INDEXES';
      const result = await next(args);
      const isRead = /^(Get|BatchGet|Query|Scan)/.test(context.commandName ?? '');
      const figures = [(result.output as { ConsumedCapacity?: Figure | Figure[] }).ConsumedCapacity ?? []].flat();
      const units = (f: F | undefined, read: boolean) => (read ? f?.ReadCapacityUnits : f?.WriteCapacityUnits) ?? (read === isRead ? f?.CapacityUnits ?? 0 : 0);
      for (const f of figures) {
        holder.current.tableRead += units(f.Table, true);
        holder.current.tableWrite += units(f.Table, false);
        holder.current.gsi2Read += units(f.GlobalSecondaryIndexes?.GSI2, true);
        holder.current.gsi2Write += units(f.GlobalSecondaryIndexes?.GSI2, false);
      }
      return result;
    },
    { step: 'initialize', priority: 'high', name: 'benchAuditTally' },
  );
  return holder;
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });

async function write(store: Store, events: AuditEvent[]): Promise<void> {
  const parts = Array.from({ length: Math.ceil(events.length / 500) }, (_, i) => events.slice(i * 500, i * 500 + 500));
  await pMap(parts, (part) => batchWriteAll(store, part.map((e) => ({ PutRequest: { Item: auditEntity.toItem(e) } }))), { concurrency: 8 });
}

export async function main(): Promise<string[]> {
  const dynamo = await startDynamoLocal();
  const lines: string[] = [];
  const say = (line: string) => {
    lines.push(line);
    console.log(line);
  };
  try {
    const store = createStore({ tableName: 'bench-audit-seal', endpoint: dynamo.endpoint });
    await ensureTable(store);
    const units = tally(store);
    const measure = async <T>(what: string, n: number, fn: () => Promise<T>): Promise<T> => {
      units.current = noUnits();
      const started = performance.now();
      const result = await fn();
      const s = (performance.now() - started) / 1000;
      const u = units.current;
      say(
        `  ${what}: ${s.toFixed(1)} s` +
          (n > 0 ? `, ${fmt(n / s)} entries/s` : '') +
          `; read ${fmt(u.tableRead + u.gsi2Read, 1)} RCU (table ${fmt(u.tableRead, 1)}, GSI2 ${fmt(u.gsi2Read, 1)}),` +
          ` write ${fmt(u.tableWrite + u.gsi2Write)} WCU (table ${fmt(u.tableWrite)}, GSI2 ${fmt(u.gsi2Write)})` +
          (n > 0 ? `; ${fmt((u.tableWrite + u.gsi2Write) / n, 2)} WCU and ${fmt((u.tableRead + u.gsi2Read) / n, 3)} RCU an entry` : ''),
      );
      return result;
    };

    say(`audit trail: seal and verify ${fmt(ENTRIES)} entries of one organisation against DynamoDB Local`);
    say(`  ${availableParallelism()} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} (DynamoDB Local shares them)`);
    await measure('written with the not-yet-sealed mark (seeding, 8 batch writers)', ENTRIES, () => write(store, Array.from({ length: ENTRIES }, (_, i) => entry(i))));

    const sealed = await measure('seal of all of them', ENTRIES, () => sealAuditTrail(store, ORG, 'bench', { at: '2027-01-01T00:00:00.000Z' }));
    if (sealed.sealedEntries !== ENTRIES) throw new Error(`sealed ${sealed.sealedEntries}, expected ${ENTRIES}`);
    say(`    ${fmt(sealed.seq)} digests; head ${sealed.hash?.slice(0, 16)}…`);

    const idle = await measure('seal with nothing new', 0, () => sealAuditTrail(store, ORG, 'bench', { at: '2027-01-01T00:01:00.000Z' }));
    if (idle.sealedEntries !== 0 || idle.seq !== sealed.seq) throw new Error('a seal with nothing new wrote a digest');

    const report = await measure('verify (entries, then digests, consistent reads)', ENTRIES, () => verifyAuditTrail(store, ORG));
    if (!report.ok || report.sealed !== ENTRIES || report.unsealed.count !== 0) throw new Error(`verify: ${JSON.stringify(report)}`);

    const more = Array.from({ length: 1_000 }, (_, i) => entry(ENTRIES + i));
    await write(store, more);
    const after = await measure("a run's seal of 1,000 new entries", 1_000, () => sealAuditTrail(store, ORG, 'bench', { at: '2027-01-02T00:00:00.000Z' }));
    if (after.sealedEntries !== 1_000) throw new Error(`sealed ${after.sealedEntries} of 1,000 new entries`);
    return lines;
  } finally {
    await dynamo.stop();
  }
}
