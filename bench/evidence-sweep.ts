// Benchmark: the evidence sweep over 100,000 evidence items of which 1% have lapsed
// (1 to 60 days ago, none noticed yet) and the rest end well outside the window.
// Prints the read capacity the sweep consumed (DynamoDB's own consumed-capacity
// figures, from DynamoDB Local) against a full scan of the same items, and the
// sweep's wall time through the real workflow and handlers.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { paginateScan } from '@aws-sdk/lib-dynamodb';
import { addDays } from '../lib/domain/dates.ts';
import { startDynamoLocal } from '../lib/adapters/local/dynamodb-local.ts';
import { executeWorkflow } from '../lib/adapters/local/workflow-runner.ts';
import { createMailer } from '../lib/adapters/mail/transport.ts';
import { OrgFile, type Evidence } from '../lib/domain/org/org.ts';
import pMap from 'p-map';
import { batchWriteAll } from '../lib/adapters/dynamodb/batch.ts';
import { createStore } from '../lib/adapters/dynamodb/client.ts';
import { evidenceEntity } from '../lib/adapters/dynamodb/org-store.ts';
import { importOrganisationFile } from '../lib/usecases/org/import.ts';
import { createRuntime } from '../lib/runtime.ts';
import { ensureTable } from '../lib/adapters/dynamodb/table-definition.ts';
import type { SweepSummary } from '../lib/usecases/sweep/report.ts';
import { runRequest } from '../lib/workflows/declarations.ts';

const TOTAL = Number(process.env.BENCH_EVIDENCE ?? 100_000);
const LAPSED_SHARE = 0.01;
const TODAY = '2026-11-30';
const ORG = 'bench-org';
const OWNERS = 200;

function hex(n: number): string {
  let h = '';
  for (let i = 0; h.length < 64; i++) h += ((n * 2654435761 + i * 40503) >>> 0).toString(16).padStart(8, '0');
  return h.slice(0, 64);
}

const controls = Array.from({ length: 30 }, (_, i) => `A.8.${i + 1}`);
const organisation = OrgFile.parse({
  organisation: { id: ORG, name: 'Benchmark Holdings Limited', complianceContact: 'owner-0' },
  people: Array.from({ length: OWNERS }, (_, i) => ({
    id: `owner-${i}`,
    name: `Owner ${i}`,
    email: `owner${i}@bench.example`,
    language: i % 3 === 0 ? 'zh-Hant' : 'en',
    ...(i > 0 ? { manager: `owner-${Math.floor(i / 10)}` } : {}),
  })),
  controls: controls.map((id, i) => ({ id, title: `Control ${id}`, owner: `owner-${i % OWNERS}` })),
  evidence: [],
});

function evidence(i: number): Evidence & { owner: string; origin: 'file' } {
  const lapsed = i % Math.round(1 / LAPSED_SHARE) === 0;
  // Lapsed: 1 to 60 days past the end. The rest: valid 30 days to 2 years ahead.
  const validUntil = lapsed ? addDays(TODAY, -(1 + (i % 60))) : addDays(TODAY, 30 + (i % 700));
  return {
    id: `ev-${String(i).padStart(6, '0')}`,
    control: controls[i % controls.length] as string,
    title: `Quarterly access review of privileged roles, business unit ${i % 97}`,
    kind: 'access-review',
    location: `s3://bench-evidence/${i % 97}/access-review-${i}.xlsx`,
    sha256: hex(i),
    collected: addDays(validUntil, -365),
    validUntil,
    owner: `owner-${(i * 7919 + (i >> 7)) % OWNERS}`,
    retired: false,
    origin: 'file',
  };
}

async function main() {
  const dynamo = await startDynamoLocal();
  const outbox = mkdtempSync(path.join(tmpdir(), 'bench-outbox-'));
  try {
    const store = createStore({ tableName: 'compliance-bench', endpoint: dynamo.endpoint });
    await ensureTable(store);
    await importOrganisationFile(createRuntime({ store, mailer: { send: async () => ({ messageId: '' }) }, hashKey: async () => 'bench-hash-key-not-used' }), organisation, 'bench');

    let started = Date.now();
    const chunks = Array.from({ length: Math.ceil(TOTAL / 1000) }, (_, c) =>
      Array.from({ length: Math.min(1000, TOTAL - c * 1000) }, (_, j) => ({ PutRequest: { Item: evidenceEntity.toItem(ORG, evidence(c * 1000 + j)) } })),
    );
    await pMap(chunks, (chunk) => batchWriteAll(store, chunk), { concurrency: 4 });
    console.log(`loaded ${TOTAL.toLocaleString('en')} evidence items (${Math.round(TOTAL * LAPSED_SHARE).toLocaleString('en')} lapsed) in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    // A full scan of the same items, for comparison (eventually consistent, like the sweep's queries).
    store.capacity.read = 0;
    let scanned = 0;
    for await (const page of paginateScan({ client: store.doc }, { TableName: store.table })) scanned += page.Items?.length ?? 0;
    const scanUnits = store.capacity.read;

    const rt = createRuntime({ store, mailer: createMailer({ transport: 'outbox', from: 'Compliance <compliance@bench.example>', outboxDir: outbox }), hashKey: async () => 'bench-hash-key-not-used' });
    const sweep = async (day: string) => {
      store.capacity.read = 0;
      store.capacity.write = 0;
      const { input } = runRequest('evidence-sweep', ORG, new Date(`${day}T01:00:00Z`));
      started = Date.now();
      const summary = (await executeWorkflow(rt, 'evidence-sweep', input)) as SweepSummary;
      return { summary, seconds: (Date.now() - started) / 1000, read: store.capacity.read, write: store.capacity.write };
    };
    const first = await sweep(TODAY);
    const firstMails = readdirSync(outbox).length;
    const next = await sweep(addDays(TODAY, 1));

    const pct = (units: number) => `${((units / scanUnits) * 100).toFixed(2)}%`;
    console.log(`full scan: ${scanned.toLocaleString('en')} items, ${scanUnits.toFixed(1)} read capacity units`);
    console.log(
      `sweep ${TODAY}: read ${first.summary.evidenceRead} evidence items, recorded ${first.summary.noticesRecorded} notices, sent ${first.summary.mailsSent} mails (${firstMails} .eml files), ${first.summary.noticesFailed} failed; ` +
        `${first.read.toFixed(1)} RCU = ${pct(first.read)} of the scan (target <= 2%), ${first.write.toFixed(0)} WCU; wall time ${first.seconds.toFixed(1)} s`,
    );
    console.log(
      `sweep ${addDays(TODAY, 1)} (the next day: reminders only): read ${next.summary.evidenceRead} evidence items, recorded ${next.summary.noticesRecorded} notices, sent ${next.summary.mailsSent} mails; ` +
        `${next.read.toFixed(1)} RCU = ${pct(next.read)} of the scan, ${next.write.toFixed(0)} WCU; wall time ${next.seconds.toFixed(1)} s`,
    );
  } finally {
    await dynamo.stop();
    rmSync(outbox, { recursive: true, force: true });
  }
}

await main();
