// The data map stays within DynamoDB's and Step Functions' limits: a share of 6,000
// files (a group each) scans through the real workflow, every item written stays far
// under 400 KB, what the steps hand each other stays far under 256 KB, and every
// group's detail can be read back.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { paginateScan } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { executeWorkflow } from '../lib/adapters/local/workflow-runner.ts';
import { OrgFile } from '../lib/domain/org/org.ts';
import { importOrganisationFile } from '../lib/usecases/org/import.ts';
import { runRequest } from '../lib/workflows/declarations.ts';
import { smallOrg } from './support/fixtures.ts';
import { testRuntime } from './support/local-store.ts';
import { tempDir } from './support/temp-dir.ts';

const FILES = 6_000;

describe('a data map of a source with thousands of groups', () => {
  it('scans, stores every group in items well under 400 KB, and hands on only summaries', async () => {
    const rt = await testRuntime();
    const dir = tempDir('share-');
    for (let i = 0; i < FILES; i++) {
      const folder = path.join(dir, `team-${i % 60}`);
      mkdirSync(folder, { recursive: true });
      writeFileSync(path.join(folder, `staff-${i}.txt`), i % 3 === 0 ? `HKID A123456(3) salary\n` : `mail staff${i}@kowloon.example\n`);
    }
    const org = smallOrg([]);
    const file = OrgFile.parse({ ...org, sources: [{ id: 'share', name: 'Team share', platform: 'File share', kind: 'files', path: dir, storage: { region: 'ap-east-1' } }] });
    await importOrganisationFile(rt, file, 'import:test', '2026-11-01T00:00:00Z');

    const { input, name } = runRequest('data-mapping-scan', 'kowloon-co', new Date('2026-11-01T02:00:00Z'));
    const output = await executeWorkflow(rt, 'data-mapping-scan', input);
    expect(JSON.stringify(output).length).toBeLessThan(16 * 1024);

    const groups = await rt.dataMaps.groups('kowloon-co', name, 'share');
    expect(groups).toHaveLength(FILES);
    expect(groups.filter((g) => g.rating === 'red')).toHaveLength(FILES / 3);
    const map = await rt.dataMaps.previous('kowloon-co');
    expect(map?.sources[0]).toMatchObject({ id: 'share', status: 'scanned', rating: 'red' });

    const items: Record<string, unknown>[] = [];
    for await (const page of paginateScan({ client: rt.store.doc }, { TableName: rt.store.table })) items.push(...(page.Items ?? []));
    const largest = Math.max(...items.map((i) => Buffer.byteLength(JSON.stringify(i))));
    expect(largest).toBeLessThan(300 * 1024);
    expect(items.filter((i) => i.type === 'datamap-groups')).toHaveLength(FILES / 500);
  }, 120_000);
});
