// No raw identifier reaches the table, the logs or the output: identifiers planted in
// every place a scan reads a name from (group, sender, file name, header, broken JSON,
// an S3 key, a declared group) go through the real workflows against DynamoDB Local
// (the scan, its gap analysis), and then through the CLI; every item of the table
// (data maps, runs, audit entries, gaps), everything logged and everything printed is
// searched for them. And the one-off clean-up redacts what earlier versions stored.
import path from 'node:path';
import { paginateScan, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import type { Store } from '../lib/adapters/dynamodb/client.ts';
import { previousDataMap } from '../lib/adapters/dynamodb/datamap-store.ts';
import { keys } from '../lib/adapters/dynamodb/keys.ts';
import { redactStored } from '../lib/adapters/dynamodb/redact-stored.ts';
import { executeWorkflow, withLocalStarter } from '../lib/adapters/local/workflow-runner.ts';
import { sourceReaders } from '../lib/adapters/sources/source-reader.ts';
import { OrgFile } from '../lib/domain/org/org.ts';
import { createRuntime } from '../lib/runtime.ts';
import { importOrganisationFile } from '../lib/usecases/org/import.ts';
import { runRequest } from '../lib/workflows/declarations.ts';
import { cleanEnv, runCli } from './support/cli.ts';
import { smallOrg } from './support/fixtures.ts';
import { freshStore, RecordingMailer } from './support/local-store.ts';
import { PLANTED, plantedS3, plantedSources, plantFiles, rawIn } from './support/planted.ts';
import { tempDir } from './support/temp-dir.ts';

async function tableDump(store: Store): Promise<string> {
  const items: unknown[] = [];
  for await (const page of paginateScan({ client: store.doc }, { TableName: store.table })) items.push(...(page.Items ?? []));
  return JSON.stringify(items);
}

/** Everything written to the console (on AWS: CloudWatch Logs) while a test runs. */
let logged: string[] = [];
beforeEach(() => {
  logged = [];
  for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(' ')));
});
afterEach(() => vi.restoreAllMocks());

const GROUP_NAME = `Chat with ${PLANTED.phone} ${PLANTED.hkid}`;

function plantedOrg(dir: string) {
  const files = plantFiles(dir);
  const org = smallOrg([]);
  const sources = [...plantedSources(files), plantedS3().source];
  return OrgFile.parse({ ...org, sources, groups: [{ source: 'planted-chat', name: GROUP_NAME, members: ['owen'], externalMembers: 1 }] });
}

describe('planted identifiers through the workflows', () => {
  it('leave no raw value in any item of the table or anything logged, after a scan and its gap analysis', async () => {
    const s3 = plantedS3().client;
    const rt = withLocalStarter(
      createRuntime({ store: await freshStore(), mailer: new RecordingMailer(), hashKey: async () => 'planted-hash-key-0123456789', readers: sourceReaders({ s3 }) }),
    );
    const dir = tempDir('planted-');
    await importOrganisationFile(rt, plantedOrg(dir), 'import:test', '2026-11-01T00:00:00Z');
    const { input, name } = runRequest('data-mapping-scan', 'kowloon-co', new Date('2026-11-01T02:00:00Z'));
    const output = await executeWorkflow(rt, 'data-mapping-scan', input);

    // It found what was planted (so the check below is not passing on an empty table)...
    const map = await rt.dataMaps.previous('kowloon-co');
    expect(map?.sources.filter((s) => s.status === 'scanned').map((s) => s.id)).toEqual(expect.arrayContaining(['planted-chat', 'planted-whatsapp', 'planted-folder', 'planted-s3']));
    expect(map?.sources.find((s) => s.id === 'planted-missing')?.status).toBe('failed');
    expect((await rt.runs.get({ orgId: 'kowloon-co', kind: 'gap-analysis', name: name.replace('data-mapping-scan', 'gap-analysis') }))?.status).toBe('succeeded');
    const gaps = await rt.gaps.all('kowloon-co');
    expect(gaps.length).toBeGreaterThan(0);
    // ...and kept none of it raw.
    expect(rawIn(await tableDump(rt.store))).toEqual([]);
    expect(rawIn(JSON.stringify(output))).toEqual([]);
    expect(rawIn(logged.join('\n'))).toEqual([]);
  });

  it('leave no raw value in what the CLI prints: datamap, gaps, risk, as text, JSON and CSV', async () => {
    const dir = tempDir('planted-cli-');
    const file = plantedOrg(dir);
    const yaml = path.join(dir, 'org.json'); // JSON is YAML
    const { writeFileSync } = await import('node:fs');
    writeFileSync(yaml, JSON.stringify({ ...file, sources: file.sources.filter((s) => s.kind !== 's3') }));
    const env = cleanEnv({ COMPLIANCE_HASH_KEY: 'planted-hash-key-0123456789' });
    const global = ['--endpoint', inject('dynamoEndpoint'), '--table', `planted-cli-${Date.now()}`, '--now', '2026-11-30'];
    // Each command must succeed and print what it is for: a command that failed and
    // printed only an error would otherwise pass the search for raw values.
    const json = (out: string) => JSON.parse(out) as Record<string, unknown>;
    const checks: [string[], (out: string) => void][] = [
      [['import', yaml], (out) => expect(out).toMatch(/^Imported kowloon-co from .*: .*sources 7 added; groups 1 added\.$/m)],
      [['datamap'], (out) => {
        expect(out).toMatch(/^Data-mapping scan data-mapping-scan-kowloon-co-\S+: 7 sources\.$/m);
        expect(out).toMatch(/^ {2}planted-chat: RED$/m);
      }],
      [['--format', 'json', 'datamap'], (out) => {
        const run = json(out).run as { status: string; summary: { sources: { id: string; rating?: string }[] } };
        expect(run.status).toBe('succeeded');
        expect(run.summary.sources).toHaveLength(7);
        expect(run.summary.sources).toContainEqual(expect.objectContaining({ id: 'planted-chat', rating: 'red' }));
      }],
      [['gaps', '--status', 'all'], (out) => {
        expect(out).toMatch(/^Gap analysis gap-analysis-kowloon-co-\S+ /);
        expect(out).toMatch(/^Requirements met: PDPO /m);
        expect(out).toMatch(/^high +open +red-group-external-members:group:planted-chat#/m);
      }],
      [['--format', 'json', 'gaps', '--status', 'all'], (out) => {
        const { analysis, gaps } = json(out) as { analysis: { counts: { open: number } }; gaps: { id: string }[] };
        expect(gaps).toHaveLength(analysis.counts.open);
        expect(gaps.map((g) => g.id)).toContainEqual(expect.stringMatching(/^red-group-external-members:group:planted-chat#/));
      }],
      [['--format', 'csv', 'gaps', '--status', 'all'], (out) => {
        expect(out).toMatch(/^\uFEFFid,rule,subject kind,/);
        expect(out).toMatch(/^red-group-external-members:group:planted-chat#\w+,red-group-external-members,group,/m);
      }],
      [['risk'], (out) => {
        expect(out).toMatch(/^SOURCE +TIER +SCORE/m);
        expect(out).toMatch(/^planted-chat +(?:RED|AMBER|GREEN) +\d+ /m);
        expect(out).toMatch(/^GROUP +TIER +SCORE/m);
        expect(out).toMatch(/^planted-chat \/ Chat with .* +(?:RED|AMBER|GREEN) +\d+ /m);
      }],
      [['--format', 'json', 'risk'], (out) => {
        const risk = json(out) as { sources: { id: string }[]; groups: { source: string }[] };
        expect(risk.sources.map((s) => s.id)).toEqual(['planted-broken-json', 'planted-chat', 'planted-escaping', 'planted-folder', 'planted-headerless', 'planted-missing', 'planted-whatsapp']);
        expect(risk.groups.map((g) => g.source)).toEqual(['planted-chat']);
      }],
    ];
    const printed: string[] = [];
    for (const [args, check] of checks) {
      const run = await runCli([...global, ...args], env);
      expect(run.code, `${args.join(' ')}: ${run.stderr}`).toBe(0);
      check(run.stdout);
      printed.push(run.stdout, run.stderr);
    }
    expect(rawIn(printed.join('\n'))).toEqual([]);
  }, 120_000);
});

describe('the one-off clean-up of what earlier versions stored', () => {
  it('redacts data maps, run records and audit entries, and rewrites a map kept as one item in the current layout', async () => {
    const store = await freshStore();
    const org = 'kowloon-co';
    const legacyMap = {
      orgId: org,
      scanId: 'data-mapping-scan-kowloon-co-2026-10',
      scannedAt: '2026-10-01T02:00:00Z',
      sources: [
        {
          id: 'wa',
          platform: 'WhatsApp',
          status: 'scanned',
          storage: { region: 'ap-east-1', country: 'HK', jurisdiction: 'HK' },
          rating: 'amber',
          reasons: ['hk_phone: 1 finding (contact data)'],
          counts: { hk_phone: 1 },
          groups: [
            { group: GROUP_NAME, rating: 'amber', reasons: ['hk_phone: 1 finding (contact data)'], counts: { hk_phone: 1 } },
            // a chat named after a bare number, stored as written by earlier versions
            { group: '9123 4567 陳生', rating: 'amber', reasons: ['hk_phone: 1 finding (contact data)'], counts: { hk_phone: 1 } },
          ],
          peopleJurisdictions: [{ jurisdiction: 'HK', country: 'HK', findings: 1 }],
          flows: [],
          coverage: { bytesRead: 1, bytesTotal: 1, truncated: false },
        },
        { id: 'hr', platform: 'File share', status: 'failed', reason: `cannot read /share/HR ${PLANTED.hkid}.csv: permission denied` },
      ],
    };
    const diff = { turnedRed: [], wentGreen: [], ratingChanged: [], newJurisdictions: [], newFlaggedFlows: [], storageMoved: [], newSources: ['wa', 'hr'], removedSources: [], newlyFailed: ['hr'] };
    const put = (Item: Record<string, unknown>) => store.doc.send(new PutCommand({ TableName: store.table, Item }));
    await put({ ...keys.dataMap(org, legacyMap.scanId), type: 'datamap', orgId: org, scanId: legacyMap.scanId, dataMap: legacyMap, diff });
    await put({ ...keys.run(org, 'data-mapping-scan', legacyMap.scanId), type: 'run', orgId: org, kind: 'data-mapping-scan', name: legacyMap.scanId, status: 'succeeded', attempts: 1, summary: { sources: [{ id: 'hr', status: 'failed', reason: legacyMap.sources[1]!.reason }] } });
    await put({ ...keys.audit(org, '2026-10-01T02:00:05Z', 'abc'), type: 'audit', orgId: org, at: '2026-10-01T02:00:05Z', event: 'run.failed', subject: 'RUN#x', actor: 'x', detail: { error: `ReadError: cannot read ${PLANTED.email}.txt` } });
    expect(rawIn(await tableDump(store)).length).toBeGreaterThan(0);

    // Earlier versions' maps are read as they are until the clean-up rewrites them.
    expect((await previousDataMap(store, org))?.sources.map((s) => s.id)).toEqual(['wa', 'hr']);

    const summary = await redactStored(store, org, '2026-11-30T09:00:00Z');
    expect(summary).toMatchObject({ runs: 1, auditEntries: 1, dataMapsRewritten: 1 });
    expect(rawIn(await tableDump(store))).toEqual([]);
    const after = await previousDataMap(store, org);
    expect(after?.sources.map((s) => s.id)).toEqual(['wa', 'hr']);
    expect(after?.sources[0]).toMatchObject({ status: 'scanned', groups: [{ group: 'Chat with +852 ****4567 A12****(3)' }, { group: '+852 ****4567 陳生' }] });
    expect(await tableDump(store)).not.toContain('9123 4567');

    // Redacting again changes nothing.
    expect(await redactStored(store, org, '2026-11-30T09:05:00Z')).toEqual({ orgId: org, runs: 0, auditEntries: 0, dataMapItems: 0, dataMapsRewritten: 0 });
  });
});
