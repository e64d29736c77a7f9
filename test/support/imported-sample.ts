// The sample organisation just imported, on a table of its own, for test files whose every
// test starts from that and changes it. The sample is imported once per test file (a real
// import, into a table kept as the template); each test's table then gets the items that
// import wrote, copied as they are (keys, attributes, audit entries and their marks), in
// parallel batches: the same table for less than half the time and CPU of importing again.
import { readOrgFile } from '../../lib/adapters/files/org-file-reader.ts';
import { batchWriteAll } from '../../lib/adapters/dynamodb/batch.ts';
import type { Runtime } from '../../lib/runtime.ts';
import type { Mailer } from '../../lib/usecases/ports.ts';
import { importOrganisationFile } from '../../lib/usecases/org/import.ts';
import { scanTable } from './api.ts';
import { freshStore, RecordingMailer, testRuntime } from './local-store.ts';

const SAMPLE = 'examples/acme-hk/org.yaml';

/** The items of the sample imported at each time asked for: one import per time per test file. */
const imported = new Map<string, Promise<Record<string, unknown>[]>>();

async function importedItems(at: string): Promise<Record<string, unknown>[]> {
  const rt = await testRuntime();
  await importOrganisationFile(rt, readOrgFile(SAMPLE), `import:${SAMPLE}`, at);
  return scanTable(rt);
}

/** A runtime (as testRuntime gives) on a fresh table holding the sample as `importOrganisationFile(rt, sample, 'import:<file>', at)` leaves it. */
export async function importedSampleRuntime(mailer: Mailer = new RecordingMailer(), at = '2026-11-29T00:00:00.000Z'): Promise<Runtime> {
  if (!imported.has(at)) imported.set(at, importedItems(at));
  const [items, store] = await Promise.all([imported.get(at)!, freshStore()]);
  const batches = Array.from({ length: Math.ceil(items.length / 25) }, (_, i) => items.slice(i * 25, i * 25 + 25));
  await Promise.all(batches.map((batch) => batchWriteAll(store, batch.map((Item) => ({ PutRequest: { Item } })))));
  return testRuntime(mailer, store);
}
