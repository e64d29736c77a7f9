// Benchmark: opening the quarter's review for 1,000 organisations, each with all 93
// Annex A controls applicable (93,000 tasks), against DynamoDB Local, through the
// use cases the workflow's steps call (lib/usecases/review/open.ts): the plan step
// for every organisation, then every task batch by conditional put. Prints the wall
// time of each, the read and write units they consumed (DynamoDB's own figures,
// with the write units split between the table and each index), and the write
// units per task. Target: a task costs its own write and its index write and reads
// nothing first: 2 WCU a task (an item under 1 KB, and its entry in the open-tasks
// index GSI2, which projects ALL). Then opens the quarter again for a sample of
// organisations (a second schedule tick): no task is written, every put refused by
// its condition.
// BENCH_ORGS (default 1000), BENCH_CONCURRENCY (organisations at once, default 8),
// BENCH_EVIDENCE (evidence items per organisation, default 0: seeding 93,000 more items
// takes minutes; with 93 the plan step reads them too, 4.5 RCU more per organisation).
import { availableParallelism, loadavg } from 'node:os';
import { paginateQuery } from '@aws-sdk/lib-dynamodb';
import pMap from 'p-map';
import { batchWriteAll } from '../lib/adapters/dynamodb/batch.ts';
import { createStore, type Store } from '../lib/adapters/dynamodb/client.ts';
import { INDEX, keys } from '../lib/adapters/dynamodb/keys.ts';
import { ensureTable } from '../lib/adapters/dynamodb/table-definition.ts';
import { startDynamoLocal } from '../lib/adapters/local/dynamodb-local.ts';
import { requirements } from '../lib/domain/catalogues/catalogues.ts';
import { OrgFile } from '../lib/domain/org/org.ts';
import type { Task } from '../lib/domain/review/review.ts';
import { createRuntime, type Runtime } from '../lib/runtime.ts';
import { importOrganisationFile } from '../lib/usecases/org/import.ts';
import type { OpeningPlan } from '../lib/usecases/review/events.ts';
import { createTaskBatch, planOpening } from '../lib/usecases/review/open.ts';
import { runRequest } from '../lib/workflows/declarations.ts';

const ORGS = Number(process.env.BENCH_ORGS ?? 1_000);
/** Organisations opened at once; each opens its batches 4 at a time, as the workflow's Map does (MaxConcurrency 4). */
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const BATCHES_AT_ONCE = 4;
const PEOPLE = 12;
/** Evidence items per organisation (one per control from the first), which the plan step reads for the tasks' evidence status. */
const EVIDENCE = Math.min(93, Number(process.env.BENCH_EVIDENCE ?? 0));
/** Organisations opened a second time. */
const SAMPLE = Math.min(50, ORGS);
const OPENING = new Date('2026-10-02T01:00:00.000Z'); // 09:00 in Hong Kong, 2026-Q4
const TEMPLATE = 'qr-bench-0000';
const orgIdOf = (i: number) => `qr-bench-${String(i).padStart(4, '0')}`;

function organisation(orgId: string) {
  const people = Array.from({ length: PEOPLE }, (_, i) => ({
    id: `p${i}`,
    name: `Person ${i}`,
    email: `p${i}@${orgId}.bench.example`,
    language: i % 3 === 0 ? 'zh-Hant' : 'en',
    ...(i > 0 ? { manager: 'p0' } : {}),
  }));
  const controls = requirements('iso27001').map((c, i) => ({ id: c.id, owner: `p${i % PEOPLE}`, ...(i % 5 === 0 ? { reviewer: `p${(i + 1) % PEOPLE}` } : {}) }));
  return OrgFile.parse({
    organisation: { id: orgId, name: `Quarterly Bench ${orgId}`, complianceContact: 'p0' },
    people,
    controls,
    // One evidence item per control, some lapsing: the plan step reads them all for the tasks' evidence status.
    evidence: controls.slice(0, EVIDENCE).map((c, i) => ({
      id: `ev-${i}`,
      control: c.id,
      title: `Evidence for ${c.id}`,
      kind: 'report',
      location: `https://${orgId}.bench.example/evidence/${i}`,
      collected: '2026-01-05',
      validUntil: i % 4 === 0 ? '2026-10-10' : '2027-01-05',
    })),
  });
}

/** Write units by table and index, and what the puts did, from ReturnConsumedCapacity INDEXES. */
interface Tally {
  tableWrite: number;
  indexWrite: Record<string, number>;
  puts: number;
  refused: number;
}
const newTally = (): Tally => ({ tableWrite: 0, indexWrite: {}, puts: 0, refused: 0 });

function tallyWrites(store: Store): { current: Tally } {
  const holder = { current: newTally() };
  type Figure = { Table?: { CapacityUnits?: number; WriteCapacityUnits?: number }; GlobalSecondaryIndexes?: Record<string, { CapacityUnits?: number; WriteCapacityUnits?: number }> };
  store.doc.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { ReturnConsumedCapacity?: string };
      const isPut = context.commandName === 'PutCommand' || context.commandName === 'PutItemCommand';
      if (isPut) input.ReturnConsumedCapacity = 'INDEXES';
      try {
        const result = await next(args);
        if (isPut) {
          holder.current.puts++;
          const figure = (result.output as { ConsumedCapacity?: Figure }).ConsumedCapacity;
          holder.current.tableWrite += figure?.Table?.WriteCapacityUnits ?? figure?.Table?.CapacityUnits ?? 0;
          for (const [name, f] of Object.entries(figure?.GlobalSecondaryIndexes ?? {})) {
            holder.current.indexWrite[name] = (holder.current.indexWrite[name] ?? 0) + (f.WriteCapacityUnits ?? f.CapacityUnits ?? 0);
          }
        }
        return result;
      } catch (error) {
        if (isPut) {
          holder.current.puts++;
          if ((error as Error).name === 'ConditionalCheckFailedException') holder.current.refused++;
        }
        throw error;
      }
    },
    // Outside the store's own consumed-capacity middleware, which then leaves INDEXES as set.
    { step: 'initialize', priority: 'high', name: 'benchWriteTally' },
  );
  return holder;
}

async function seed(rt: Runtime, store: Store): Promise<number> {
  // The first organisation through the import itself; the others are its items with the id changed.
  await importOrganisationFile(rt, organisation(TEMPLATE), 'bench', '2026-09-01T00:00:00.000Z');
  const template: Record<string, unknown>[] = [];
  for await (const page of paginateQuery({ client: store.doc }, { TableName: store.table, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': keys.orgPartition(TEMPLATE) } })) {
    template.push(...(page.Items ?? []));
  }
  const json = JSON.stringify(template);
  const others = Array.from({ length: ORGS - 1 }, (_, i) => orgIdOf(i + 1));
  await pMap(others, (orgId) => batchWriteAll(store, (JSON.parse(json.replaceAll(TEMPLATE, orgId)) as Record<string, unknown>[]).map((Item) => ({ PutRequest: { Item } }))), { concurrency: 8 });
  // What the plan reads of a copied organisation is what the import wrote, the id apart.
  const last = orgIdOf(ORGS - 1);
  const [a, b] = await Promise.all([rt.organisations.load(TEMPLATE), rt.organisations.load(last)]);
  const shape = (o: unknown) => JSON.stringify(o, (_k, v) => (v instanceof Map ? [...v] : v));
  if (ORGS > 1 && shape(a).replaceAll(TEMPLATE, last) !== shape(b)) throw new Error(`seeding: ${last} does not read back as ${TEMPLATE} does`);
  if (a?.controls.size !== 93 || [...a.controls.values()].some((c) => !c.applicable || !c.owner)) throw new Error('seeding: expected 93 applicable controls with owners');
  return template.length;
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });

export async function main(): Promise<void> {
  const dynamo = await startDynamoLocal();
  try {
    const store = createStore({ tableName: 'bench-quarterly-review', endpoint: dynamo.endpoint });
    await ensureTable(store);
    const tally = tallyWrites(store);
    const rt = createRuntime({ store, mailer: { send: async () => ({ messageId: '' }) }, hashKey: async () => 'bench-hash-key-not-used' });
    const orgIds = Array.from({ length: ORGS }, (_, i) => orgIdOf(i));
    const reset = () => {
      store.capacity.read = 0;
      store.capacity.write = 0;
      tally.current = newTally();
    };

    let started = performance.now();
    const itemsPerOrg = await seed(rt, store);
    console.log(`quarterly review opening: ${fmt(ORGS)} organisations x 93 applicable controls, ${PEOPLE} people, ${EVIDENCE} evidence items each; ${CONCURRENCY} organisations at once, ${BATCHES_AT_ONCE} batches of 25 at once each, 16 puts at once a batch`);
    console.log(`  ${availableParallelism()} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} (DynamoDB Local shares them)`);
    console.log(`  seeded ${fmt(ORGS * itemsPerOrg)} items (${itemsPerOrg} per organisation) in ${((performance.now() - started) / 1000).toFixed(1)} s`);

    const requestOf = (orgId: string) => runRequest('quarterly-review', orgId, OPENING, { timeZone: 'Asia/Hong_Kong' }).input;

    // (a) The plan step for every organisation.
    reset();
    started = performance.now();
    const plans = await pMap(orgIds, (orgId) => planOpening(rt, requestOf(orgId)), { concurrency: CONCURRENCY });
    const planMs = performance.now() - started;
    const plan = { read: store.capacity.read, write: store.capacity.write, puts: tally.current.puts };
    const tasks = plans.reduce((n, p) => n + p.batches.reduce((m, b) => m + b.tasks.length, 0), 0);
    const batches = plans.reduce((n, p) => n + p.batches.length, 0);
    if (plans.some((p) => p.review !== 'created')) throw new Error('plan: every review should be created');

    // (b) Every task batch, by conditional put.
    const writeAll = (chosen: { orgId: string; plan: OpeningPlan }[]) =>
      pMap(
        chosen,
        ({ orgId, plan: p }) => {
          const { runName, now } = requestOf(orgId);
          return pMap(p.batches, (b: { tasks: Task[] }) => createTaskBatch(rt, { orgId, runName, now, tasks: b.tasks }), { concurrency: BATCHES_AT_ONCE });
        },
        { concurrency: CONCURRENCY },
      );
    reset();
    started = performance.now();
    const results = (await writeAll(orgIds.map((orgId, i) => ({ orgId, plan: plans[i] as OpeningPlan })))).flat();
    const writeMs = performance.now() - started;
    const write = { read: store.capacity.read, write: store.capacity.write, ...tally.current };
    const created = results.reduce((n, r) => n + r.created, 0);
    const existed = results.reduce((n, r) => n + r.existed, 0);

    // Every task is in the open-tasks index (a sample of organisations, read back).
    for (const orgId of [orgIds[0], orgIds[orgIds.length - 1]] as string[]) {
      let open = 0;
      for await (const page of paginateQuery(
        { client: store.doc },
        { TableName: store.table, IndexName: INDEX.byDate, KeyConditionExpression: 'GSI2PK = :pk', ExpressionAttributeValues: { ':pk': keys.taskOpenPartition(orgId) }, Select: 'COUNT' },
      ))
        open += page.Count ?? 0;
      if (open !== 93) throw new Error(`${orgId}: ${open} tasks in the open-tasks index, expected 93`);
    }

    // (c) A second opening of the same quarter for a sample: the plan again, then every batch again.
    const sample = orgIds.slice(0, SAMPLE);
    reset();
    started = performance.now();
    const again = await pMap(sample, (orgId) => planOpening(rt, requestOf(orgId)), { concurrency: CONCURRENCY });
    const againPlanMs = performance.now() - started;
    const againPlan = { read: store.capacity.read, write: store.capacity.write };
    reset();
    started = performance.now();
    const againResults = (await writeAll(sample.map((orgId, i) => ({ orgId, plan: again[i] as OpeningPlan })))).flat();
    const againWriteMs = performance.now() - started;
    const againWrite = { read: store.capacity.read, write: store.capacity.write, ...tally.current };
    const againCreated = againResults.reduce((n, r) => n + r.created, 0);
    const againExisted = againResults.reduce((n, r) => n + r.existed, 0);
    if (again.some((p) => p.review !== 'exists')) throw new Error('second opening: every review should exist');

    const totalMs = planMs + writeMs;
    const indexes = Object.entries(write.indexWrite)
      .map(([name, units]) => `${name} ${fmt(units, 1)}`)
      .join(', ');
    const otherIndexes = Object.entries(write.indexWrite).filter(([name]) => name !== INDEX.byDate).reduce((n, [, u]) => n + u, 0);
    console.log(`  plan step: ${fmt(ORGS)} organisations in ${(planMs / 1000).toFixed(1)} s; ${fmt(plan.read, 1)} RCU (${fmt(plan.read / ORGS, 2)} per organisation), ${fmt(plan.write, 1)} WCU (${fmt(plan.write / ORGS, 2)} per organisation: the run and the review, an audit entry each); ${fmt(tasks)} tasks in ${fmt(batches)} batches`);
    console.log(
      `  task writes: ${fmt(created)} created, ${fmt(existed)} existed, by ${fmt(write.puts)} conditional puts in ${(writeMs / 1000).toFixed(1)} s (${fmt(created / (writeMs / 1000))} tasks/s); ` +
        `${fmt(write.read, 1)} RCU; ${fmt(write.write, 1)} WCU = table ${fmt(write.tableWrite, 1)} + indexes ${indexes || 'none'} -> ${fmt(write.write / created, 3)} WCU per task (target 2: the item under 1 KB and its GSI2 entry)`,
    );
    console.log(
      `  second opening of ${SAMPLE} organisations (${fmt(againCreated + againExisted)} tasks planned): plan ${(againPlanMs / 1000).toFixed(1)} s, ${fmt(againPlan.read, 1)} RCU, ${fmt(againPlan.write, 1)} WCU (${fmt(againPlan.write / SAMPLE, 2)} per organisation: the run and its audit entry); ` +
        `tasks ${fmt(againCreated)} created, ${fmt(againExisted)} existed, ${fmt(againWrite.refused)} of ${fmt(againWrite.puts)} puts refused by condition in ${(againWriteMs / 1000).toFixed(1)} s, ` +
        `${fmt(againWrite.read, 1)} RCU, ${fmt(againWrite.write, 1)} WCU reported (a refused put returns no consumed capacity; DynamoDB bills it as a write of the item's size, 1 WCU under 1 KB, with no index write: ${fmt(againWrite.refused)} WCU)`,
    );
    const rows: [string, string][] = [
      ['organisations x controls', `${fmt(ORGS)} x 93 = ${fmt(tasks)} tasks`],
      ['wall time, plan + task writes', `${(totalMs / 1000).toFixed(1)} s (plan ${(planMs / 1000).toFixed(1)} s, tasks ${(writeMs / 1000).toFixed(1)} s)`],
      ['tasks/s (task writes / whole opening)', `${fmt(created / (writeMs / 1000))} / ${fmt(created / (totalMs / 1000))}`],
      ['WCU, task writes', `${fmt(write.write, 1)} (table ${fmt(write.tableWrite, 1)}, GSI2 ${fmt(write.indexWrite[INDEX.byDate] ?? 0, 1)}${otherIndexes ? `, other indexes ${fmt(otherIndexes, 1)}` : ''})`],
      ['WCU per task', `${fmt(write.write / created, 3)} (target 2)`],
      ['RCU, task writes', fmt(write.read, 1)],
      ['WCU in all (plan + tasks)', `${fmt(plan.write + write.write, 1)} (${fmt((plan.write + write.write) / created, 3)} per task)`],
      ['RCU per organisation, plan', `${fmt(plan.read / ORGS, 2)} (${PEOPLE} people, 93 controls, ${EVIDENCE} evidence items)`],
      // The review and its audit entry are one transaction: DynamoDB Local counts 1 WCU an item, AWS 2.
      ['WCU per organisation, plan', `${fmt(plan.write / ORGS, 2)} (the run, the review, an audit entry each; ${fmt(plan.write / ORGS + 2, 2)} on AWS, which bills a transaction's 2 items 2 WCU each)`],
      [`second opening, ${SAMPLE} organisations`, `${fmt(againCreated)} tasks written, ${fmt(againWrite.refused)} puts refused, ${fmt(againWrite.write, 1)} WCU reported (${fmt(againWrite.refused)} WCU billed on AWS), plan ${fmt(againPlan.read / SAMPLE, 2)} RCU + ${fmt(againPlan.write / SAMPLE, 2)} WCU per organisation`],
    ];
    const width = Math.max(...rows.map(([k]) => k.length));
    console.log('');
    for (const [k, v] of rows) console.log(`  ${k.padEnd(width)}  ${v}`);
  } finally {
    await dynamo.stop();
  }
}

if (import.meta.main) await main();
