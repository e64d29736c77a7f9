// The audit package of a quarter gives the Statement of Applicability as it stood at the
// quarter's end: no result, decision or awaiting answer of a later quarter's review, nor
// one given after the end, in soa.json, soa.csv or the OSCAL package's soa.json; the same
// quarter downloaded later says the same; a quarter before anything was recorded is refused.
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { localManifestSigner } from '../lib/adapters/local/local-manifest-signer.ts';
import { withLocalStarter } from '../lib/adapters/local/workflow-runner.ts';
import type { PackageFile } from '../lib/domain/export/package.ts';
import type { SoaRow } from '../lib/domain/review/soa.ts';
import { InputError } from '../lib/errors.ts';
import { createRuntime, type Runtime } from '../lib/runtime.ts';
import { exportPackage } from '../lib/usecases/export/export-package.ts';
import { answerTask, decideTask } from '../lib/usecases/review/answer.ts';
import { soaOf } from '../lib/usecases/review/show.ts';
import type { ManifestSigner } from '../lib/usecases/export/signer.ts';
import { freshStore, RecordingMailer } from './support/local-store.ts';
import { runSampleCycle, SAMPLE_NOW, SAMPLE_ORG as ORG } from './support/sample-cycle.ts';
import { tempDir } from './support/temp-dir.ts';

const file = (files: readonly PackageFile[], name: string): Buffer => {
  const f = files.find((x) => x.path === name);
  if (!f) throw new Error(`no ${name} in the package`);
  return f.content;
};
const soaJson = (files: readonly PackageFile[]) => (JSON.parse(file(files, 'soa.json').toString('utf8')) as { asOf: string; controls: SoaRow[] });
const soaCsv = (files: readonly PackageFile[]) => parse(file(files, 'soa.csv'), { columns: true, bom: true }) as Record<string, string>[];
/** What the reviews say of each control, as the package's SoA has it. */
const reviewed = (rows: readonly SoaRow[]) => rows.filter((r) => r.lastResult || r.unreviewedAnswer).map(({ id, lastResult, unreviewedAnswer }) => ({ id, lastResult, unreviewedAnswer }));

describe('the Statement of Applicability of a past quarter', () => {
  let rt: Runtime;
  let signer: ManifestSigner;
  // Audit entries are stamped with the runtime's clock: it moves with each step's `now`, as it would in use.
  let clock = SAMPLE_NOW;

  beforeAll(async () => {
    rt = withLocalStarter(createRuntime({ store: await freshStore(), mailer: new RecordingMailer(), hashKey: async () => 'test-hash-key-0123456789', clock: () => clock }));
    await runSampleCycle(rt, SAMPLE_NOW);
    signer = localManifestSigner(tempDir('export-past-key-'));
  });

  const exportAt = (now: Date, period: string, format = 'json') => {
    clock = now;
    return exportPackage(rt, { orgId: ORG, period, format, signer, now });
  };

  it('2026-Q3, after the 2026-Q4 answers: no result nor awaiting answer of 2026-Q4, in JSON, CSV and OSCAL', async () => {
    // The live SoA does hold them (A.5.1 accepted effective in 2026-Q4, A.5.7 awaiting review).
    const live = reviewed(await soaOf(rt, ORG, SAMPLE_NOW));
    expect(live).toContainEqual({ id: 'A.5.1', lastResult: 'effective', unreviewedAnswer: undefined });
    expect(live.some((r) => r.unreviewedAnswer?.task.startsWith('2026-Q4/'))).toBe(true);

    const json = soaJson((await exportAt(SAMPLE_NOW, '2026-Q3')).files);
    expect(json.asOf).toBe('2026-09-30');
    expect(json.controls).toHaveLength(93);
    expect(json.controls.find((r) => r.id === 'A.5.1')).not.toHaveProperty('lastResult');
    expect(reviewed(json.controls)).toEqual([]);
    // The columns the file and the evidence give stay.
    expect(json.controls.find((r) => r.id === 'A.5.1')).toMatchObject({ applicable: true, owner: 'michelle-leung', evidenceStatus: 'current' });

    const csv = soaCsv((await exportAt(SAMPLE_NOW, '2026-Q3', 'csv')).files);
    expect(csv).toHaveLength(93);
    expect(csv.filter((r) => r['last result'] !== '' || r['answer awaiting review'] !== '').map((r) => [r.control, r['last result'], r['answer awaiting review']])).toEqual([]);

    const oscal = soaJson((await exportAt(SAMPLE_NOW, '2026-Q3', 'oscal')).files);
    expect(oscal.controls).toEqual(json.controls);
  });

  it('2026-Q4 downloaded after decisions made on 1 January gives the SoA of 31 December', async () => {
    const atEnd = soaJson((await exportAt(new Date('2026-12-31T15:30:00Z'), '2026-Q4')).files); // 23:30 in Hong Kong
    expect(atEnd.asOf).toBe('2026-12-31');
    expect(reviewed(atEnd.controls)).toContainEqual({ id: 'A.5.7', lastResult: undefined, unreviewedAnswer: { task: '2026-Q4/A.5.7', result: 'effective', reviewClosed: false } });

    // 1 January 2027 in Hong Kong, the review not yet closed: A.5.7 accepted, A.5.15 returned, A.5.9 answered.
    clock = new Date('2027-01-01T02:00:00Z');
    const task = async (control: string) => (await rt.reviews.task(ORG, `2026-Q4/${control}`))!;
    await decideTask(rt, { orgId: ORG, taskId: '2026-Q4/A.5.7', as: (await task('A.5.7')).reviewer, decision: 'accept', now: clock });
    await decideTask(rt, { orgId: ORG, taskId: '2026-Q4/A.5.15', as: (await task('A.5.15')).reviewer, decision: 'return', now: clock });
    const a59 = await task('A.5.9');
    await answerTask(rt, { orgId: ORG, taskId: a59.id, as: a59.owner, result: 'not-applicable', comment: 'after the quarter', now: clock });
    expect(reviewed(await soaOf(rt, ORG, clock))).toContainEqual({ id: 'A.5.7', lastResult: 'effective', unreviewedAnswer: undefined });

    const later = soaJson((await exportAt(new Date('2027-01-01T03:00:00Z'), '2026-Q4')).files);
    expect(later.asOf).toBe('2026-12-31');
    expect(later.controls).toEqual(atEnd.controls);
  });

  it('2027-Q1, with the 2026-Q4 review left open and a task of it answered again in April: its answer of 2026 still stood on 31 March', async () => {
    const endOfQ4 = soaJson((await exportAt(new Date('2027-01-01T03:00:00Z'), '2026-Q4')).files);
    const waiting = endOfQ4.controls.find((r) => r.unreviewedAnswer?.task.startsWith('2026-Q4/') && !['A.5.7', 'A.5.15', 'A.5.9'].includes(r.id));
    expect(waiting).toBeDefined();
    const before = soaJson((await exportAt(new Date('2027-04-01T03:00:00Z'), '2027-Q1')).files).controls.find((r) => r.id === waiting!.id);
    expect(before?.unreviewedAnswer).toEqual(waiting!.unreviewedAnswer);

    // 2 April 2027: answered again, after 2027-Q1 ended
    clock = new Date('2027-04-02T02:00:00Z');
    const task = (await rt.reviews.task(ORG, waiting!.unreviewedAnswer!.task))!;
    await answerTask(rt, { orgId: ORG, taskId: task.id, as: task.owner, result: task.result === 'effective' ? 'not-effective' : 'effective', comment: 'in April', now: clock });
    const after = soaJson((await exportAt(new Date('2027-04-02T03:00:00Z'), '2027-Q1')).files).controls.find((r) => r.id === waiting!.id);
    expect(after).toEqual(before);
  });

  it('2020-Q1, before anything was recorded, is refused naming the period, with no package and no export entry', async () => {
    const entries = (await rt.audit.read(ORG)).length;
    const refusal = exportAt(SAMPLE_NOW, '2020-Q1');
    await expect(refusal).rejects.toThrow(InputError);
    await expect(refusal).rejects.toThrow(/^period: 2020-Q1 ended 2020-03-31 \(in Asia\/Hong_Kong\), before anything was recorded for harbour-ledger/);
    expect((await rt.audit.read(ORG)).length).toBe(entries);

    // 2024-Q4 held evidence (collected 2024-11-25 as the organisation file says): a package, with no review result.
    const q = soaJson((await exportAt(SAMPLE_NOW, '2024-Q4')).files);
    expect(q.asOf).toBe('2024-12-31');
    expect(reviewed(q.controls)).toEqual([]);
  });
});
