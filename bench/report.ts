// Benchmark: the report for a large organisation: 2,000 sources, all 93 Annex A
// controls, eight quarters of history. Prints
// - the render alone (lib/domain/report/render.ts) from a view model made up with those
//   sizes (test/support/report-view.ts: 2,000 sources in the data map and the risk
//   table, 200 groups, 23 month ends, 23 analyses), first run and best of five, and the
//   size of the file (target: under 2 s);
// - the gather from DynamoDB Local (lib/usecases/report/gather.ts) for an organisation
//   seeded with those sizes (its data map of 2,000 sources, the gaps of a real analysis
//   and 22 monthly analyses before it, 279 evidence items over two years, the quarter's
//   review of 93 tasks), with the read units it consumed and its largest reads timed
//   alone, then the render of what it gathered.
// BENCH_REPORT_SOURCES (default 2000), BENCH_REPORT_STORE=0 skips the gather.
import { createStore } from '../lib/adapters/dynamodb/client.ts';
import { putDataMap } from '../lib/adapters/dynamodb/datamap-store.ts';
import { ensureTable } from '../lib/adapters/dynamodb/table-definition.ts';
import { startDynamoLocal } from '../lib/adapters/local/dynamodb-local.ts';
import { executeWorkflow, withLocalStarter } from '../lib/adapters/local/workflow-runner.ts';
import { requirements } from '../lib/domain/catalogues/catalogues.ts';
import { diffDataMaps } from '../lib/domain/datamap/datamap.ts';
import { addDays } from '../lib/domain/dates.ts';
import { OrgFile } from '../lib/domain/org/org.ts';
import { renderReport } from '../lib/domain/report/render.ts';
import { monthEnds } from '../lib/domain/report/summarise.ts';
import { createRuntime } from '../lib/runtime.ts';
import { analyseGaps } from '../lib/usecases/gaps/analyse.ts';
import { importOrganisationFile } from '../lib/usecases/org/import.ts';
import { gatherReport } from '../lib/usecases/report/gather.ts';
import { runRequest } from '../lib/workflows/declarations.ts';
import { syntheticView } from '../test/support/report-view.ts';
import { syntheticDataMap, syntheticEstate } from './support/synthetic-org.ts';

const SOURCES = Number(process.env.BENCH_REPORT_SOURCES ?? 2_000);
const ORG = 'report-bench';
const KEY = 'bench-hash-key-0123456789';
const NOW = new Date('2026-11-30T09:00:00Z');
const HISTORY_FROM = '2025-01-01';

const ms = (t: number) => `${t.toFixed(0)} ms`;
const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(2)} MB`;

function time<T>(fn: () => T): { value: T; ms: number } {
  const started = performance.now();
  const value = fn();
  return { value, ms: performance.now() - started };
}

function renderFigures(label: string, view: Parameters<typeof renderReport>[0]): void {
  const first = time(() => renderReport(view));
  const runs = Array.from({ length: 5 }, () => time(() => renderReport(view)).ms);
  console.log(`  ${label}: first ${ms(first.ms)}, best of 5 ${ms(Math.min(...runs))} (runs: ${runs.map((r) => r.toFixed(0)).join(', ')} ms), ${mb(Buffer.byteLength(first.value))} (target < 2000 ms)`);
}

function organisation() {
  const people = Array.from({ length: 40 }, (_, i) => ({ id: `p${i}`, name: `Person ${i}`, email: `p${i}@bench.example`, role: (['finance', 'hr', 'frontline', 'it'] as const)[i % 4], ...(i ? { manager: 'p0' } : {}) }));
  const controls = requirements('iso27001').map((c, i) => ({ id: c.id, owner: `p${i % 40}` }));
  // Three items a control, collected over two years, the latest ones ending around the as-of day.
  const evidence = controls.flatMap((c, i) =>
    [0, 1, 2].map((k) => {
      const collected = addDays(HISTORY_FROM, (i * 7 + k * 240) % 690);
      return { id: `ev-${i}-${k}`, control: c.id, title: `Evidence ${k} for ${c.id}`, kind: 'report' as const, location: `https://bench.example/${i}/${k}`, collected, validUntil: addDays(collected, 200 + ((i * 13) % 200)) };
    }),
  );
  return OrgFile.parse({
    organisation: { id: ORG, name: 'Report Bench Ltd', complianceContact: 'p0' },
    people,
    controls,
    evidence,
    ...syntheticEstate({ platforms: 50, sources: SOURCES, groups: 200, awsRegion: 'ap-southeast-1' }),
  });
}

async function gatherFigures(): Promise<void> {
  const dynamo = await startDynamoLocal();
  try {
    const store = createStore({ tableName: 'bench-report', endpoint: dynamo.endpoint });
    await ensureTable(store);
    const rt = withLocalStarter(createRuntime({ store, mailer: { send: async () => ({ messageId: '<bench@report>' }) }, hashKey: async () => KEY }));
    const seeding = performance.now();
    const file = organisation();
    await importOrganisationFile(rt, file, 'bench', '2025-01-01T00:00:00Z');
    const map = syntheticDataMap(file, KEY, [{ type: 'cn_resident_id', count: 2, country: 'CN' }]);
    await putDataMap(store, map, diffDataMaps(undefined, map), map.scannedAt);
    // One real analysis (its gaps), then the 23 monthly analyses before it as records.
    const { analysis } = await analyseGaps(rt, { orgId: ORG, runName: `gap-analysis-${ORG}-2026-11`, now: '2026-11-01T03:00:00.000Z' });
    const months = monthEnds(HISTORY_FROM, '2026-10-31');
    for (const [m, day] of months.entries()) {
      const id = `gap-analysis-${ORG}-${day.slice(0, 7)}`;
      const changes = { opened: m === 0 ? analysis.counts.open : (m * 37) % 60, closed: (m * 23) % 50, reopened: m % 4, expired: 0, accepted: m % 6 === 0 ? 1 : 0 };
      await rt.gaps.record({ ...analysis, id, asOf: `${addDays(day, -28)}T03:00:00.000Z`, dataMap: `data-mapping-scan-${ORG}-${day.slice(0, 7)}`, opened: [], closed: [], reopened: [], expired: [], accepted: [], changes }, []);
    }
    await executeWorkflow(rt, 'quarterly-review', runRequest('quarterly-review', ORG, new Date('2026-10-02T01:00:00Z'), { timeZone: 'Asia/Hong_Kong' }).input);
    console.log(`  seeded DynamoDB Local in ${ms(performance.now() - seeding)}: ${SOURCES} sources, ${file.evidence.length} evidence items, ${analysis.counts.open} open gaps, ${months.length + 1} analyses, ${(await rt.reviews.tasks(ORG, '2026-Q4')).length} review tasks`);

    const runs: number[] = [];
    let view;
    let read = 0;
    for (let i = 0; i < 3; i++) {
      store.capacity.read = 0;
      const started = performance.now();
      view = await gatherReport(rt, ORG, { now: NOW });
      runs.push(performance.now() - started);
      read = store.capacity.read;
    }
    console.log(`  gather from DynamoDB Local: first ${ms(runs[0]!)}, then ${runs.slice(1).map(ms).join(', ')}, ${read.toFixed(1)} RCU a gather (${view!.dataMap?.sources.length} sources, ${view!.gaps.analyses.length} analyses, ${view!.evidence.overTime.length} month ends, ${view!.review?.tasks} tasks)`);
    // Where a gather's time goes: its largest reads, one at a time.
    const part = async (label: string, read: () => Promise<unknown>) => {
      store.capacity.read = 0;
      const started = performance.now();
      await read();
      return `${label} ${ms(performance.now() - started)} (${store.capacity.read.toFixed(1)} RCU)`;
    };
    const parts = [
      await part('every gap', () => rt.gaps.all(ORG)),
      await part('the data map', () => rt.dataMaps.previous(ORG)),
      await part('sources', () => rt.organisations.sources(ORG)),
      await part('the organisation', () => rt.organisations.load(ORG)),
      await part('analyses', () => rt.gaps.analyses(ORG)),
    ];
    console.log(`    its largest reads alone: ${parts.join(', ')}`);
    renderFigures('render of the gathered view', view!);
  } finally {
    await dynamo.stop();
  }
}

export async function main(): Promise<void> {
  console.log(`report: ${SOURCES} sources, 93 controls, 8 quarters of history`);
  renderFigures('render of a made-up view', syntheticView({ sources: SOURCES }));
  if (process.env.BENCH_REPORT_STORE !== '0') await gatherFigures();
}

if (import.meta.main) await main();
