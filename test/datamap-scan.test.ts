// The data-mapping scan workflow, executed locally with the real handlers against
// DynamoDB Local: a broken source is recorded as failed while the others complete,
// the data map is stored per scan with its history, and the change since the
// previous scan names the sources that turned red and the new jurisdictions.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { storeScan, type ScanSummary } from '../lib/usecases/datamap/scan-run.ts';
import { executeWorkflow } from '../lib/adapters/local/workflow-runner.ts';
import { formatDataMap } from '../lib/cli/output.ts';
import { OrgFile } from '../lib/domain/org/org.ts';
import { dataMapHistory } from '../lib/adapters/dynamodb/datamap-store.ts';
import { importOrganisationFile } from '../lib/usecases/org/import.ts';
import { runRequest } from '../lib/workflows/declarations.ts';
import { smallOrg } from './support/fixtures.ts';
import { testRuntime } from './support/local-store.ts';
import { tempDir } from './support/temp-dir.ts';

const RAW = ['A123456(3)', '9123 4567', '91234567', '11010519491231002X', '4111 1111 1111 1111', '4111111111111111'];

function sources(dir: string) {
  writeFileSync(path.join(dir, 'hr.csv'), 'name,id,mobile\nAda,A123456(3),+852 9123 4567\nBo,11010519491231002X,+86 138 1234 5678\n');
  writeFileSync(path.join(dir, 'roster.csv'), 'group,sender,time,content\n前線更表,Ada,2026-11-02 09:00,今晚更表已更新 call 9123 4567\nFrontline,Bo,2026-11-02 10:00,shift swap ok\n');
  const org = smallOrg([]);
  return OrgFile.parse({
    ...org,
    sources: [
      { id: 'hr-drive', name: 'HR share', platform: 'File share', kind: 'files', path: path.join(dir, 'hr.csv'), storage: { region: 'ap-east-1' } },
      { id: 'roster', name: 'Frontline roster', platform: 'DingTalk', kind: 'chat-table', path: path.join(dir, 'roster.csv'), storage: { region: 'cn-hangzhou', provider: 'alibaba' } },
      { id: 'gone', name: 'Old export', platform: 'WhatsApp', kind: 'whatsapp', path: path.join(dir, 'missing.txt'), storage: { country: 'HK' } },
    ],
  });
}

describe('data-mapping scan workflow', () => {
  it('records a broken source as failed while the others complete, and stores the map with its history and diff', async () => {
    const rt = await testRuntime();
    const dir = tempDir('datamap-');
    await importOrganisationFile(rt, sources(dir), 'import:test', '2026-11-01T00:00:00Z');

    const november = runRequest('data-mapping-scan', 'kowloon-co', new Date('2026-11-01T02:00:00Z'));
    expect(november.name).toBe('data-mapping-scan-kowloon-co-2026-11');
    const first = (await executeWorkflow(rt, 'data-mapping-scan', november.input)) as ScanSummary;
    expect(first.sources).toEqual([
      // named by its source, not by its path (held sealed: a file may be named after a person)
      { id: 'gone', status: 'failed', reason: 'InputError: source "gone": cannot read its path: no such file' },
      { id: 'hr-drive', status: 'scanned', rating: 'red' },
      { id: 'roster', status: 'scanned', rating: 'amber' },
    ]);
    expect(first.diff.newSources.sort()).toEqual(['gone', 'hr-drive', 'roster']);
    expect((await rt.runs.get({ orgId: 'kowloon-co', kind: 'data-mapping-scan', name: november.name }))?.status).toBe('succeeded');

    // The roster now carries an identity card number: next month it is red, and
    // HK people are stored in mainland China with no transfer basis declared.
    writeFileSync(path.join(dir, 'roster.csv'), 'group,sender,time,content\n前線更表,Ada,2026-12-01 09:00,新同事身份證A123456(3)，call 9123 4567\n');
    const december = runRequest('data-mapping-scan', 'kowloon-co', new Date('2026-12-01T02:00:00Z'));
    const second = (await executeWorkflow(rt, 'data-mapping-scan', december.input)) as ScanSummary;
    expect(second.diff.turnedRed).toEqual(['roster']);
    expect(second.diff.newSources).toEqual([]);

    const history = await dataMapHistory(rt.store, 'kowloon-co');
    expect(history.map((h) => h.dataMap.scanId)).toEqual([november.name, december.name]);
    const roster = history[1]?.dataMap.sources.find((s) => s.id === 'roster');
    expect(roster?.status).toBe('scanned');
    if (roster?.status !== 'scanned') return;
    expect(roster.storage.jurisdiction).toBe('CN');
    expect(roster.groups.map((g) => [g.group, g.rating])).toEqual([['前線更表', 'red']]);
    expect(roster.flows).toEqual([{ from: 'HK', to: 'CN', status: 'flagged' }]);
    const hr = history[0]?.dataMap.sources.find((s) => s.id === 'hr-drive');
    // An HKID and a +852 mobile point to Hong Kong; a PRC ID and a +86 mobile to the mainland.
    expect(hr?.status === 'scanned' && hr.peopleJurisdictions.map((p) => `${p.jurisdiction}:${p.findings}`).sort()).toEqual(['CN:2', 'HK:2']);
    expect(hr?.status === 'scanned' && hr.distinctPeople).toBe(4);
  });

  it('follows the organisation\'s classification thresholds', async () => {
    const rt = await testRuntime();
    const dir = tempDir('datamap-');
    const file = sources(dir);
    // Two HKIDs needed before a source counts as red: the HR share has one, so it is amber (its phone numbers).
    await importOrganisationFile(rt, { ...file, organisation: { ...file.organisation, classification: { red: { minFindings: 1 }, amber: { minFindings: 1 }, perType: { hk_id: { minFindings: 2 }, cn_resident_id: { minFindings: 2 } } } } }, 'import:test', '2026-11-01T00:00:00Z');
    const summary = (await executeWorkflow(rt, 'data-mapping-scan', runRequest('data-mapping-scan', 'kowloon-co', new Date('2026-11-01T02:00:00Z')).input)) as ScanSummary;
    expect(summary.sources.find((s) => s.id === 'hr-drive')).toEqual({ id: 'hr-drive', status: 'scanned', rating: 'amber' });
  });

  it('keeps no raw identifier anywhere in the table', async () => {
    const rt = await testRuntime();
    const dir = tempDir('datamap-');
    await importOrganisationFile(rt, sources(dir), 'import:test', '2026-11-01T00:00:00Z');
    await executeWorkflow(rt, 'data-mapping-scan', runRequest('data-mapping-scan', 'kowloon-co', new Date('2026-11-01T02:00:00Z')).input);
    const everything = JSON.stringify((await rt.store.doc.send(new ScanCommand({ TableName: rt.store.table }))).Items);
    expect(everything).toContain('data-mapping-scan-kowloon-co-2026-11');
    for (const raw of RAW) expect(everything).not.toContain(raw);
    // nor the path of the source that could not be read, in its failure
    expect(everything).toContain('source \\"gone\\": cannot read its path');
    expect(everything).not.toContain('missing.txt');
  });

  it('refuses to store, naming the field, results that are not a started scan of each declared source once, and writes nothing', async () => {
    const rt = await testRuntime();
    const dir = tempDir('datamap-');
    await importOrganisationFile(rt, sources(dir), 'import:test', '2026-11-01T00:00:00Z');
    const run = runRequest('data-mapping-scan', 'kowloon-co', new Date('2026-11-01T02:00:00Z'));
    await executeWorkflow(rt, 'data-mapping-scan', run.input);
    const before = await rt.dataMaps.latest('kowloon-co');
    expect(before?.scanId).toBe(run.name);
    const now = '2026-11-05T00:00:00Z';
    const scanned = (sourceId: string) => ({ sourceId, status: 'scanned' as const, rating: 'green' as const });
    await expect(storeScan(rt, { orgId: 'kowloon-co', runName: 'qa-evil', now, results: [] })).rejects.toThrow(
      /^runName: run "qa-evil" is not a data-mapping-scan run of kowloon-co\nresults: no result for the sources gone, hr-drive, roster$/,
    );
    const unstarted = runRequest('data-mapping-scan', 'kowloon-co', new Date('2026-12-01T02:00:00Z')).input.runName;
    await expect(storeScan(rt, { orgId: 'kowloon-co', runName: unstarted, now, results: ['gone', 'hr-drive', 'roster'].map(scanned) })).rejects.toThrow(
      `runName: run "${unstarted}" was never started`,
    );
    await expect(storeScan(rt, { orgId: 'kowloon-co', runName: run.name, now, results: ['gone', 'hr-drive', 'hr-drive', 'no-such-source'].map(scanned) })).rejects.toThrow(
      /^results\[2\]\.sourceId: "hr-drive" is given twice\nresults\[3\]\.sourceId: "no-such-source" is not a source of kowloon-co\nresults: no result for the source roster$/,
    );
    expect(await rt.dataMaps.latest('kowloon-co')).toEqual(before);
  });

  it('stores no chat group named after a bare phone number as written, and still matches it by name', async () => {
    const rt = await testRuntime();
    const dir = tempDir('datamap-');
    // No phone word in these names: a chat titled with a number is named after a phone.
    writeFileSync(path.join(dir, 'chat.csv'), 'group,sender,time,content\n9123 4567 陳生,Lee,2026-11-02 09:06,phone +852 6123 4567\n23456789,Ada,2026-11-02 09:07,HKID A123456(3)\n');
    const file = sources(dir);
    const org = OrgFile.parse({
      ...file,
      sources: [{ id: 'chat', name: 'Chat export', platform: 'DingTalk', kind: 'chat-table', path: path.join(dir, 'chat.csv'), storage: { region: 'cn-hangzhou', provider: 'alibaba' } }],
      groups: [{ source: 'chat', name: '23456789', owner: 'carol', members: ['carol'] }],
    });
    await importOrganisationFile(rt, org, 'import:test', '2026-11-01T00:00:00Z');
    await executeWorkflow(rt, 'data-mapping-scan', runRequest('data-mapping-scan', 'kowloon-co', new Date('2026-11-01T02:00:00Z')).input);
    const [map] = await dataMapHistory(rt.store, 'kowloon-co');
    const chat = map?.dataMap.sources.find((s) => s.id === 'chat');
    expect(chat?.status === 'scanned' && chat.groups.map((g) => g.group)).toEqual(['+852 ****4567 陳生', '+852 ****6789']);
    const everything = JSON.stringify((await rt.store.doc.send(new ScanCommand({ TableName: rt.store.table }))).Items);
    for (const raw of ['9123 4567', '91234567', '23456789', '2345 6789']) expect(everything).not.toContain(raw);
    // The declared group is still matched to the data map's, by the keyed hash of its raw name.
    const declared = (await rt.organisations.load('kowloon-co'))?.groups[0];
    expect(declared?.name).toBe('+852 ****6789');
    expect(chat?.status === 'scanned' && chat.groups.some((g) => g.groupHash === declared?.nameHash)).toBe(true);
  });

  it("keeps no identifier the organisation file writes in a source's name, a control's title or justification, or an evidence title", async () => {
    const rt = await testRuntime();
    const dir = tempDir('datamap-');
    const org = smallOrg([{ title: 'Access review of A123456(3)' }]);
    const file = OrgFile.parse({
      ...org,
      controls: [{ id: 'A.5.15', title: 'Access control 4111 1111 1111 1111', owner: 'owen', justification: 'Card 4111111111111111 kept' }, org.controls[1]],
      sources: [
        { id: 'gone', name: 'Missing export A123456(3)', platform: 'WhatsApp', kind: 'whatsapp', path: path.join(dir, 'missing.txt'), storage: { country: 'HK' } },
        // named after its chat, itself named after a phone number
        { id: 'chat', name: 'WhatsApp 9123 4567 陳生', platform: 'WhatsApp', kind: 'whatsapp', path: path.join(dir, 'missing-too.txt'), storage: { country: 'HK' } },
      ],
    });
    await importOrganisationFile(rt, file, 'import:test', '2026-11-01T00:00:00Z');
    await executeWorkflow(rt, 'data-mapping-scan', runRequest('data-mapping-scan', 'kowloon-co', new Date('2026-11-01T02:00:00Z')).input);
    const everything = JSON.stringify((await rt.store.doc.send(new ScanCommand({ TableName: rt.store.table }))).Items);
    for (const raw of RAW) expect(everything).not.toContain(raw);
    // held masked, as the data map's other names are
    expect(everything).toContain('Missing export A12****(3)');
    expect(everything).toContain('Access review of A12****(3)');
  });

  it('names the country a flagged flow goes to in the scan summary, never OTHER', async () => {
    const rt = await testRuntime();
    const dir = tempDir('datamap-');
    const file = sources(dir);
    const moved = { ...file, sources: file.sources.map((s) => (s.id === 'hr-drive' ? { ...s, storage: { region: 'us-east-1' } } : s)) };
    await importOrganisationFile(rt, moved, 'import:test', '2026-11-01T00:00:00Z');
    const request = runRequest('data-mapping-scan', 'kowloon-co', new Date('2026-11-01T02:00:00Z'));
    const summary = (await executeWorkflow(rt, 'data-mapping-scan', request.input)) as ScanSummary;
    expect(summary.storedIn).toEqual({ 'hr-drive': 'US', roster: 'CN' });
    expect(summary.diff.newFlaggedFlows).toContainEqual({ source: 'hr-drive', from: 'HK', to: 'OTHER' });
    const text = formatDataMap({ status: 'completed', name: request.name, output: summary });
    expect(text).toContain('hr-drive (HK -> US)');
    expect(text).toContain('roster (HK -> CN)');
    expect(text).not.toContain('OTHER');
  });
});
