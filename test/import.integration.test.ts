// An import is all or nothing, against DynamoDB Local with writes failed at the
// client: a small change is one transaction; a large one is journalled, undone when
// a write fails, and undone by the next import when the process died mid-way.
// Every read (organisation, people, controls, sources, evidence, audit trail) is
// then exactly as before.
import { PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { importOrganisationFile } from '../lib/usecases/org/import.ts';
import type { Store } from '../lib/adapters/dynamodb/client.ts';
import { readOrgFile } from '../lib/adapters/files/org-file-reader.ts';
import type { OrgFile } from '../lib/domain/org/org.ts';
import { ConflictError, DependencyError } from '../lib/errors.ts';
import type { Runtime } from '../lib/runtime.ts';
import { testRuntime } from './support/local-store.ts';

const SAMPLE = readOrgFile('examples/acme-hk/org.yaml');
const ORG = SAMPLE.organisation.id;
const AT = '2026-11-01T00:00:00.000Z';
const LATER = '2026-11-02T00:00:00.000Z';

/** Everything a reader can see of the organisation, through the use cases' repositories. */
async function reads(rt: Runtime) {
  const loaded = await rt.organisations.load(ORG);
  return {
    organisation: loaded?.organisation,
    people: [...(loaded?.people.values() ?? [])],
    controls: [...(loaded?.controls.values() ?? [])],
    sources: await rt.organisations.sources(ORG),
    evidence: await rt.organisations.evidence(ORG),
    endingBy: await rt.organisations.evidenceEndingBy(ORG, '2099-12-31'),
    audit: await rt.audit.read(ORG),
  };
}

async function allItems(store: Store) {
  const result = await store.doc.send(new ScanCommand({ TableName: store.table }));
  return (result.Items ?? []).sort((a, b) => `${a.PK}|${a.SK}`.localeCompare(`${b.PK}|${b.SK}`));
}

/** Fails the store's writes that `when` picks (given the command's input as JSON and a running count). */
function failWrites(store: Store, when: (input: string, n: number) => boolean): { off(): void } {
  let n = 0;
  let on = true;
  store.doc.middlewareStack.add(
    (next) => async (args) => {
      const input = JSON.stringify(args.input);
      if (on && /"(RequestItems|TransactItems)"/.test(input) && when(input, ++n)) {
        throw Object.assign(new Error('Internal server error'), { name: 'InternalServerError' });
      }
      return next(args);
    },
    { step: 'initialize', name: 'failWrites' },
  );
  return { off: () => (on = false) };
}

/** The sample with every evidence item renewed and every title changed: well over 100 writes. */
function bigChange(): OrgFile {
  return {
    ...SAMPLE,
    people: SAMPLE.people.map((p) => ({ ...p, name: `${p.name} (changed)` })),
    evidence: SAMPLE.evidence.map((e) => ({ ...e, title: `${e.title} (2027)`, validUntil: '2027-12-31' })),
  };
}

async function imported(): Promise<Runtime> {
  const rt = await testRuntime();
  await importOrganisationFile(rt, SAMPLE, 'import:base', AT);
  return rt;
}

describe('importing all or nothing', () => {
  it('writes a small change in one transaction: a failure leaves every read and item as it was', async () => {
    const rt = await imported();
    const [before, items] = [await reads(rt), await allItems(rt.store)];
    const small = { ...SAMPLE, controls: SAMPLE.controls.map((c, i) => (i === 0 ? { ...c, title: 'Renamed' } : c)) };
    failWrites(rt.store, (input) => input.includes('"TransactItems"'));
    await expect(importOrganisationFile(rt, small, 'import:small', LATER)).rejects.toThrow(/the import was not written \(nothing changed\)/);
    expect(await reads(rt)).toEqual(before);
    expect(await allItems(rt.store)).toEqual(items);
  });

  it('undoes a large import whose writes fail mid-way, before it reports the failure', async () => {
    const rt = await imported();
    const [before, items] = [await reads(rt), await allItems(rt.store)];
    // The journal and the first two batches of items go in; the third batch fails.
    const faults = failWrites(rt.store, (input, n) => !input.includes('import-journal') && n === 4);
    const failure = importOrganisationFile(rt, bigChange(), 'import:big', LATER);
    await expect(failure).rejects.toThrow(DependencyError);
    await expect(failure).rejects.toThrow(/the import failed and was undone; nothing changed/);
    faults.off();
    expect(await reads(rt)).toEqual(before);
    expect(await allItems(rt.store)).toEqual(items);
  });

  it('applies a large import in full when nothing fails, and leaves no journal behind', async () => {
    const rt = await imported();
    const summary = await importOrganisationFile(rt, bigChange(), 'import:big', LATER);
    expect(summary.evidence.renewed + summary.evidence.changed).toBe(SAMPLE.evidence.length);
    expect(summary.undone).toBeUndefined();
    const after = await reads(rt);
    expect(after.evidence.every((e) => e.validUntil === '2027-12-31' && e.title.endsWith('(2027)'))).toBe(true);
    expect((await allItems(rt.store)).filter((i) => String(i.type).startsWith('import'))).toEqual([]);
  });

  it('after a process died mid-way, refuses a second import while the first may still run, then undoes it before the next', async () => {
    const rt = await imported();
    const before = await reads(rt);
    // Every write after the journal fails: the import can neither finish nor undo itself (as if it died).
    const faults = failWrites(rt.store, (input, n) => !input.includes('import-journal') && n >= 3);
    await expect(importOrganisationFile(rt, bigChange(), 'import:dies', LATER)).rejects.toThrow(/could not yet be undone .* the next import of "harbour-ledger" undoes it first/);
    faults.off();
    expect((await reads(rt)).people).not.toEqual(before.people); // partly written: the journal has what it was

    await expect(importOrganisationFile(rt, SAMPLE, 'import:again', LATER)).rejects.toThrow(ConflictError);

    const later = new Date(Date.parse(LATER) + 10 * 60_000).toISOString();
    const summary = await importOrganisationFile(rt, SAMPLE, 'import:again', later);
    expect(summary.undone).toEqual({ startedAt: LATER, items: expect.any(Number) });
    expect(summary.people.changed + summary.evidence.changed + summary.evidence.renewed).toBe(0); // the undo restored the sample
    const after = await reads(rt);
    expect({ ...after, audit: [] }).toEqual({ ...before, audit: [] });
    expect((await allItems(rt.store)).filter((i) => String(i.type).startsWith('import'))).toEqual([]);
  });
});

describe('items an earlier version stored', () => {
  it('names a stored item that this version refuses, with its field and reason, and an import of the corrected file mends it', async () => {
    const rt = await imported();
    // A platform stored when a region name providers share was read as AWS's.
    const item = (await allItems(rt.store)).find((i) => i.type === 'platform' && (i.storage as { provider?: string } | undefined)?.provider === 'aws')!;
    const { provider: _provider, country: _country, ...storage } = item.storage as Record<string, unknown>;
    await rt.store.doc.send(new PutCommand({ TableName: rt.store.table, Item: { ...item, storage: { ...storage, region: 'eu-west-1' } } }));

    const refused = rt.organisations.load(ORG);
    await expect(refused).rejects.toThrow(ConflictError);
    await expect(refused).rejects.toThrow(
      new RegExp(`^organisation ${ORG}: the stored platform "${String(item.id)}" does not pass this version's checks \\(storage\\.region: "eu-west-1" is a region of AWS in Ireland \\(IE\\) and of Alibaba Cloud .*\\); correct the organisation file and import it again$`),
    );

    await importOrganisationFile(rt, SAMPLE, 'import:mend', LATER);
    expect((await rt.organisations.load(ORG))?.platforms.find((p) => p.id === item.id)?.storage).toEqual(item.storage);
  });
});

describe('the day evidence was retired', () => {
  const dayOf = async (rt: Runtime, id: string) => (await rt.organisations.evidence(ORG)).find((e) => e.id === id);

  it('keeps the file\'s retiredOn, the import day for an item live until then or left out, and none for an item first seen retired', async () => {
    const rt = await imported();
    // The sample's ev-005 gives its day; ev-014 is retired without one and was never live here.
    expect(await dayOf(rt, 'ev-005')).toMatchObject({ retired: true, retiredOn: '2026-09-15' });
    expect((await dayOf(rt, 'ev-014'))?.retiredOn).toBeUndefined();

    const [kept, gone, ...rest] = SAMPLE.evidence.filter((e) => !e.retired);
    const retiring = { ...SAMPLE, evidence: [{ ...kept!, retired: true }, ...rest, ...SAMPLE.evidence.filter((e) => e.retired)] };
    // 2026-11-02T00:00Z is 08:00 on 2 November in Hong Kong; 2026-11-02T20:00Z is already the 3rd there.
    await importOrganisationFile(rt, retiring, 'import:retire', '2026-11-02T20:00:00.000Z');
    expect(await dayOf(rt, kept!.id)).toMatchObject({ retired: true, retiredOn: '2026-11-03' });
    expect(await dayOf(rt, gone!.id)).toMatchObject({ retired: true, retiredOn: '2026-11-03' });

    // Imported again later, unchanged: the day stays the first one, and nothing is written.
    const again = await importOrganisationFile(rt, retiring, 'import:again', '2026-11-20T00:00:00.000Z');
    expect(again.evidence).toMatchObject({ added: 0, changed: 0, removed: 0, renewed: 0 });
    expect((await dayOf(rt, kept!.id))?.retiredOn).toBe('2026-11-03');
    expect((await dayOf(rt, gone!.id))?.retiredOn).toBe('2026-11-03');
  });

  it("takes the organisation's day of the import when given (the CLI's --now day), not the day it is written", async () => {
    const rt = await imported();
    const [kept, gone, ...rest] = SAMPLE.evidence.filter((e) => !e.retired);
    const retiring = { ...SAMPLE, evidence: [{ ...kept!, retired: true }, ...rest, ...SAMPLE.evidence.filter((e) => e.retired)] };
    // written on 20 November, the file checked as of 5 November (`--now 2026-11-05`)
    await importOrganisationFile(rt, retiring, 'import:back-dated', '2026-11-20T00:00:00.000Z', '2026-11-05');
    expect(await dayOf(rt, kept!.id)).toMatchObject({ retired: true, retiredOn: '2026-11-05' });
    expect(await dayOf(rt, gone!.id)).toMatchObject({ retired: true, retiredOn: '2026-11-05' });
  });
});
