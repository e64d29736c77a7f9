// What the starter reads of the table, against what its role is granted: on AWS a read
// the declaration leaves out is AccessDenied on every tick (a quarterly review that never
// opens, monitoring that never runs), which nothing local would show otherwise.
import { describe, expect, it } from 'vitest';
import { DataMap, diffDataMaps } from '../lib/domain/datamap/datamap.ts';
import { importOrganisationFile } from '../lib/usecases/org/import.ts';
import { startRuns } from '../lib/usecases/runs/start-runs.ts';
import { DOORS, WORKFLOWS, type WorkflowName } from '../lib/workflows/declarations.ts';
import { smallOrg } from './support/fixtures.ts';
import { testRuntime } from './support/local-store.ts';

/** The IAM action a command needs: DynamoDB's own name (GetItemCommand), or the DocumentClient's (GetCommand). */
const SHORT: Record<string, string> = { Get: 'GetItem', BatchGet: 'BatchGetItem', Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem', BatchWrite: 'BatchWriteItem', TransactWrite: 'TransactWriteItems', TransactGet: 'TransactGetItems' };
const actionOf = (command = ''): string => ((name) => SHORT[name] ?? name)(command.replace(/Command$/, ''));

describe("the starter's role", () => {
  it('is granted every table read the starter makes, for each workflow it starts', async () => {
    const rt = await testRuntime();
    await importOrganisationFile(rt, smallOrg([]), 'import:test', '2026-09-01T00:00:00Z');
    // a data map, so that the monitoring tick goes on to start its pass
    const map = DataMap.parse({ orgId: 'kowloon-co', scanId: 'data-mapping-scan-kowloon-co-2026-09', scannedAt: '2026-09-30T01:05:00Z', sources: [] });
    await rt.dataMaps.put(map, diffDataMaps(undefined, map), '2026-09-30T01:05:00Z');

    const calls: { action: string; index?: string }[] = [];
    rt.store.doc.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { IndexName?: string };
        calls.push({ action: actionOf(context.commandName), ...(input.IndexName ? { index: input.IndexName } : {}) });
        return next(args);
      },
      { step: 'initialize', name: 'recordCalls' },
    );
    const start = async () => ({ executionArn: 'arn:aws:states:ap-east-1:123456789012:execution:x:y' });
    // The first hour of a quarter in Hong Kong: the review is due then.
    const now = new Date('2026-09-30T16:00:00Z');
    for (const w of WORKFLOWS) {
      const started = await startRuns(rt, start, { workflow: w.name as WorkflowName, now });
      expect(started.map((s) => s.status), w.name).toEqual(['started']);
    }

    const access = DOORS.find((d) => d.name === 'starter')!.functions.startRun.access as { table?: readonly string[]; indexes?: readonly string[] };
    const denied = calls.filter((c) => (c.index ? !(c.action === 'Query' && access.indexes?.includes(c.index)) : !access.table?.includes(c.action)));
    expect(calls.length).toBeGreaterThan(0);
    expect(denied).toEqual([]);
  });
});
