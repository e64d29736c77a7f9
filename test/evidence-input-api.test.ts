// New evidence refused where it comes in, over the sample's HTTP API (and a file of
// answers through its use case), against DynamoDB Local: a validity that has ended or
// runs for decades, a title or file name that is not one line, a location with
// credentials. Each is a 400 naming the field and why, and writes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnswersRefused, applyAnswers } from '../lib/usecases/review/apply-answers.ts';
import type { EvidenceFile } from '../lib/usecases/review/answer.ts';
import { call, NOW, ORG, OWNER, sampleApi, tableItems, type ApiFixture } from './support/api.ts';

/** A SHA-256 that differs from the others in its first characters, which ids are made of. */
const sha = (n: number) => n.toString(16).padStart(4, '0').padEnd(64, 'c');
const file = (n: number, more: Partial<EvidenceFile> = {}): EvidenceFile => ({ location: `https://sp.example/m${n}.pdf`, name: `m${n}.pdf`, sha256: sha(n), bytes: 3, ...more });
/** A 400 whose message names `field` (as the use case does, or with the route's `body.` before it). */
const refused = (field: string, why: RegExp | string) => ({
  status: 400,
  body: { message: expect.stringMatching(new RegExp(`^body\\.${field.replaceAll('.', '\\.')}: ${typeof why === 'string' ? why.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : why.source}`)) },
});

describe('new evidence refused where it comes in', () => {
  let api: ApiFixture;
  const answer = (control: string, body: unknown) => call(api, 'POST', `/v1/reviews/2026-Q4/tasks/${control}/answer`, { token: api.tokens.owner, body: JSON.stringify(body) });
  const register = (body: Record<string, unknown>) =>
    call(api, 'POST', '/v1/evidence', { token: api.tokens.owner, body: JSON.stringify({ control: 'A.5.9', title: 'Asset scan', kind: 'report', location: 'https://sp.example/scan.pdf', sha256: sha(99), ...body }) });
  /** `act` is refused as `expected`, and the table is as it was. */
  async function refusedUnchanged(act: () => Promise<unknown>, expected: object) {
    const before = await tableItems(api.rt);
    expect(await act()).toMatchObject(expected);
    expect(await tableItems(api.rt)).toEqual(before);
  }

  beforeAll(async () => {
    // No behaviour monitoring: these tests look at no alert, and each refusal reads the
    // whole table twice, which its 5,527 audit-log events would make most of.
    api = await sampleApi({ monitoring: false });
  }, 300_000);
  afterAll(async () => api?.close());

  it('refuses an answer whose validFor ends before today (P0D), leaving the current item current', async () => {
    await refusedUnchanged(() => answer('A.5.9', { result: 'effective', evidence: file(1), validFor: 'P0D' }), refused('validFor', /must be at least one day/));
  });

  it('refuses an answer with validFor and no evidence, which it would have dropped unseen', async () => {
    await refusedUnchanged(() => answer('A.5.9', { result: 'effective', validFor: 'P1Y' }), refused('validFor', 'P1Y given without evidence: it is how long the evidence given with it holds'));
  });

  it('refuses an answer whose validFor runs more than 10 years', async () => {
    await refusedUnchanged(
      () => answer('A.5.9', { result: 'effective', evidence: file(2), validFor: 'P11Y' }),
      refused('validFor', 'P11Y from 2026-11-30 runs to 2037-11-29, more than 10 years after it was collected (2026-11-30; at most 2036-11-29)'),
    );
  });

  it('refuses an answer that would inherit a period of decades from the item it renews (stored by an earlier version)', async () => {
    await api.rt.organisations.register(
      ORG,
      // Ends first of the control's live items (the sample's ends 2027-01-30), so an answer renews it.
      { id: 'A.8.1/old-decades', control: 'A.8.1', title: 'Old', kind: 'report', location: 'https://sp.example/old.pdf', sha256: sha(50), collected: '1990-01-01', validUntil: '2027-01-01', owner: OWNER, retired: false, origin: 'api' },
      { orgId: ORG, at: NOW.toISOString(), event: 'evidence.registered', subject: 'EVIDENCE#A.8.1/old-decades', actor: OWNER, detail: {} },
    );
    await refusedUnchanged(() => answer('A.8.1', { result: 'effective', evidence: file(3) }), refused('validFor', /not given, so the period of evidence A\.8\.1\/old-decades it renews \(1990-01-01 to 2027-01-01\) would be inherited, and from 2026-11-30 it runs to \d{4}-\d\d-\d\d, more than 10 years/));
  });

  it('refuses POST /v1/evidence that has ended, naming validUntil, and one valid beyond 10 years, naming its field', async () => {
    await refusedUnchanged(
      () => register({ title: 'old scan', location: 'https://sp.example/old.pdf', collected: '2025-01-01', validUntil: '2025-02-01' }),
      refused('validUntil', 'ends 2025-02-01, before today (2026-11-30 in Asia/Hong_Kong)'),
    );
    await refusedUnchanged(() => register({ validUntil: '9999-12-31' }), refused('validUntil', 'runs to 9999-12-31, more than 10 years after it was collected (2026-11-30; at most 2036-11-29)'));
    await refusedUnchanged(() => register({ validFor: 'P100Y' }), refused('validFor', 'runs to 2126-11-29, more than 10 years'));
  });

  it('takes POST /v1/evidence at the bounds: valid until today, or for 10 years', async () => {
    expect((await register({ sha256: sha(97), location: 'https://sp.example/a.pdf', validUntil: '2026-11-30' })).status).toBe(201);
    expect((await register({ sha256: sha(98), location: 'https://sp.example/b.pdf', validFor: 'P10Y' })).status).toBe(201);
  });

  it('refuses a title or an evidence file name that is not one line, naming the field', async () => {
    await refusedUnchanged(() => register({ title: 'Report\n2026-Q4/A.5.9/fake  A.5.9  current\u202egpj.exe\u0007' }), refused('title', 'holds a line break (U+000A) at character 7'));
    await refusedUnchanged(() => answer('A.5.9', { result: 'effective', evidence: file(4, { name: 'm\u202egpj.exe' }) }), refused('evidence.name', 'holds a bidirectional override (U+202E) at character 2'));
    await refusedUnchanged(() => answer('A.5.9', { result: 'effective', evidence: file(5, { name: 'a\nb.pdf' }) }), refused('evidence.name', 'holds a line break (U+000A)'));
  });

  it('refuses a location with credentials in it, naming the field', async () => {
    const credentials = 'holds credentials (a user name or password before the host)';
    await refusedUnchanged(() => register({ location: 'https://user:secretpw@a.example/doc.pdf' }), refused('location', credentials));
    await refusedUnchanged(() => answer('A.5.9', { result: 'effective', evidence: file(6, { location: 'https://user:secretpw@a.example/doc.pdf' }) }), refused('evidence.location', credentials));
  });

  it('refuses the same in a file of answers, each at its entry and field, giving none', async () => {
    const files = new Map([
      ['long.pdf', file(7)],
      ['forged.pdf', file(8, { name: 'forged\n.pdf' })],
      ['secret.pdf', file(9, { location: 'https://u:p@a.example/s.pdf' })],
    ]);
    const read = async (f: string) => files.get(f)!;
    const entries = [
      { task: 'A.5.9', as: OWNER, result: 'effective' as const, evidence: 'long.pdf', validFor: 'P20Y' },
      { task: 'A.5.18', as: OWNER, result: 'effective' as const, evidence: 'forged.pdf' },
      { task: 'A.8.1', as: OWNER, result: 'effective' as const, evidence: 'secret.pdf' },
    ];
    const before = await tableItems(api.rt);
    const error = (await applyAnswers(api.rt, ORG, '2026-Q4', entries, read, NOW).then(() => undefined, (e: unknown) => e)) as AnswersRefused;
    expect(error).toBeInstanceOf(AnswersRefused);
    expect(error.problems).toEqual([
      'answers[0].validFor: P20Y from 2026-11-30 runs to 2046-11-29, more than 10 years after it was collected (2026-11-30; at most 2036-11-29)',
      expect.stringMatching(/^answers\[1\]\.evidence: holds a line break \(U\+000A\) at character 7/),
      expect.stringMatching(/^answers\[2\]\.evidence: holds credentials/),
    ]);
    expect(await tableItems(api.rt)).toEqual(before);
  });
});
