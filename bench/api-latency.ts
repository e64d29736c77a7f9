// Benchmark: the HTTP API under `compliance serve`'s server, against DynamoDB Local,
// for the sample organisation with 10,000 evidence items and its quarter's review
// open. 50 clients at once (in a worker thread, so the load does not share the
// server's thread) call the main GET routes over keep-alive connections; prints
// p50, p99 and requests per second per route. Target: p99 under 50 ms.
// BENCH_API_EVIDENCE (default 10000), BENCH_API_CLIENTS (50), BENCH_API_REQUESTS (per route, 2000).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

const ALL_ROUTES = ['/v1/controls', '/v1/controls/A.5.15', '/v1/evidence?status=lapsed', '/v1/evidence?control=A.5.15', '/v1/tasks', '/v1/runs', '/v1/reviews/2026-Q4'];
/** BENCH_API_ROUTE: only the routes whose path contains it (for a profile of one). */
const ROUTES = ALL_ROUTES.filter((r) => !process.env.BENCH_API_ROUTE || r.includes(process.env.BENCH_API_ROUTE));

interface Load {
  url: string;
  tokens: Record<string, string>;
  clients: number;
  requests: number;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

/** The load generator: every route in turn, `clients` at once, each request timed. */
async function generate(load: Load): Promise<string[]> {
  const lines: string[] = [];
  const tokenFor = (route: string) => load.tokens[route.startsWith('/v1/tasks') || route.startsWith('/v1/controls/') ? 'owner' : 'auditor'];
  // One request to each route first: the process's read cache is filled once, as a warm Lambda's is.
  for (const route of ROUTES) {
    const t0 = performance.now();
    await (await fetch(`${load.url}${route}`, { headers: { authorization: `Bearer ${tokenFor(route)}` } })).arrayBuffer();
    lines.push(`  cold GET ${route.padEnd(25)} ${(performance.now() - t0).toFixed(0).padStart(6)} ms (its first request: what it reads is not yet shared)`);
  }
  for (const route of ROUTES) {
    const token = tokenFor(route);
    const times: number[] = [];
    let next = 0;
    let failed = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: load.clients }, async () => {
        while (next++ < load.requests) {
          const t0 = performance.now();
          const response = await fetch(`${load.url}${route}`, { headers: { authorization: `Bearer ${token}` } });
          await response.arrayBuffer();
          times.push(performance.now() - t0);
          if (response.status !== 200) failed++;
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    times.sort((a, b) => a - b);
    lines.push(
      `  GET ${route.padEnd(30)} p50 ${percentile(times, 50).toFixed(1).padStart(6)} ms  p99 ${percentile(times, 99).toFixed(1).padStart(6)} ms  ${(times.length / seconds).toFixed(0).padStart(5)} req/s${failed ? `  (${failed} not 200)` : ''}`,
    );
  }
  return lines;
}

if (!isMainThread) {
  parentPort?.postMessage(await generate(workerData as Load));
}

export async function main(): Promise<void> {
  const EVIDENCE = Number(process.env.BENCH_API_EVIDENCE ?? 10_000);
  const { readOrgFile } = await import('../lib/adapters/files/org-file-reader.ts');
  const { startDynamoLocal } = await import('../lib/adapters/local/dynamodb-local.ts');
  const { createStore } = await import('../lib/adapters/dynamodb/client.ts');
  const { ensureTable } = await import('../lib/adapters/dynamodb/table-definition.ts');
  const { batchWriteAll } = await import('../lib/adapters/dynamodb/batch.ts');
  const { evidenceEntity } = await import('../lib/adapters/dynamodb/org-store.ts');
  const { createRuntime, setRuntime } = await import('../lib/runtime.ts');
  const { executeWorkflow, withBackgroundStarter } = await import('../lib/adapters/local/workflow-runner.ts');
  const { importOrganisationFile } = await import('../lib/usecases/org/import.ts');
  const { runRequest } = await import('../lib/workflows/declarations.ts');
  const { localSigningKey } = await import('../lib/adapters/local/local-signing-key.ts');
  const { issueLocalToken } = await import('../lib/adapters/local/local-token.ts');
  const { serveApi } = await import('../lib/api/local-server.ts');

  const dir = mkdtempSync(path.join(tmpdir(), 'bench-api-'));
  const local = await startDynamoLocal({ dataDir: path.join(dir, 'dynamodb') });
  try {
    const store = createStore({ tableName: 'bench-api', endpoint: local.endpoint });
    await ensureTable(store);
    const now = new Date('2026-11-30T02:00:00Z');
    const rt = withBackgroundStarter(createRuntime({ store, mailer: { send: async () => ({ messageId: '<bench@local>' }) }, hashKey: async () => 'bench-hash-key-0123456789', clock: () => now }));
    const org = readOrgFile('examples/acme-hk/org.yaml');
    await importOrganisationFile(rt, org, 'import:bench', '2026-11-29T00:00:00.000Z');
    const controls = org.controls.filter((c) => c.applicable);
    const items = Array.from({ length: EVIDENCE }, (_, i) => {
      const control = controls[i % controls.length]!;
      const day = 1 + (i % 28);
      return evidenceEntity.toItem(org.organisation.id, {
        id: `bench-${String(i).padStart(5, '0')}`,
        control: control.id,
        title: `Evidence ${i} for ${control.id}`,
        kind: 'report',
        location: `s3://evidence/${control.id}/${i}.pdf`,
        sha256: i.toString(16).padStart(64, '0'),
        collected: '2026-01-01',
        validUntil: `2026-${String(6 + (i % 7)).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
        owner: control.owner as string,
        retired: false,
        origin: 'api',
      });
    });
    await batchWriteAll(store, items.map((Item) => ({ PutRequest: { Item } })));
    await executeWorkflow(rt, 'quarterly-review', runRequest('quarterly-review', org.organisation.id, new Date('2026-11-30T01:00:00Z'), { timeZone: 'Asia/Hong_Kong' }).input);
    setRuntime(rt);
    const key = localSigningKey(path.join(dir, 'keys'));
    const server = await serveApi({ key });
    const owner = controls.find((c) => c.id === 'A.5.15')?.owner as string;
    const token = (role: 'auditor' | 'owner', person: string) => issueLocalToken(key, { person, orgId: org.organisation.id, role, ttlSeconds: 3600, now: new Date() });
    const load: Load = {
      url: server.url,
      tokens: { auditor: await token('auditor', 'raymond-wong'), owner: await token('owner', owner) },
      clients: Number(process.env.BENCH_API_CLIENTS ?? 50),
      requests: Number(process.env.BENCH_API_REQUESTS ?? 2_000),
    };
    console.log(`HTTP API under serve: ${EVIDENCE} evidence items, ${load.clients} clients at once, ${load.requests} requests per route (target p99 < 50 ms)`);
    const lines = await new Promise<string[]>((resolve, reject) => {
      const worker = new Worker(new URL(import.meta.url), { workerData: load });
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    for (const line of lines) console.log(line);
    await server.close();
  } finally {
    await local.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
