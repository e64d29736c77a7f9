// New evidence given no validity (neither validUntil nor validFor) gets an end wherever it
// comes in: POST /v1/evidence, an answer through the API, the web form, a file of answers.
// The default (lib/domain/evidence/input-rules.ts defaultValidity) is the period of the
// item it renews, counted from the day it was collected, else one round of the control's
// review rhythm; the item then lapses the day after, and the control with it. The
// organisation file, which records history, may still hold evidence without an end.
// Over the sample's HTTP API against DynamoDB Local.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../lib/domain/dates.ts';
import { Evidence } from '../lib/domain/org/org.ts';
import { applyAnswers } from '../lib/usecases/review/apply-answers.ts';
import type { EvidenceFile } from '../lib/usecases/review/answer.ts';
import { listEvidenceRows, showControl } from '../lib/usecases/controls/show.ts';
import { signInCode } from '../lib/web/auth.ts';
import { call, NOW, ORG, OWNER, sampleApiWithPages, type ApiFixture } from './support/api.ts';

const sha = (n: number) => n.toString(16).padStart(4, '0').padEnd(64, 'e');
/** Noon in Hong Kong on `day` (the sample's time zone), as a clock. */
const at = (day: string) => new Date(`${day}T04:00:00Z`);

describe('new evidence without a validity gets an end', () => {
  let api: ApiFixture;
  const register = (body: Record<string, unknown>) => call(api, 'POST', '/v1/evidence', { token: api.tokens.owner, body: JSON.stringify({ title: 'Scan', kind: 'report', sha256: sha(1), ...body }) });
  const statusOn = async (id: string, day: string) => (await listEvidenceRows(api.rt, ORG, at(day), {})).find((r) => r.id === id)?.status;
  const stored = async (control: string, where: (e: { id: string; sha256?: string }) => boolean) => (await api.rt.organisations.evidence(ORG, control)).find(where);

  beforeAll(async () => {
    api = await sampleApiWithPages();
  }, 300_000);
  afterAll(async () => {
    await api?.close();
  });

  it('POST /v1/evidence: one round of the control\'s review rhythm (A.8.20: quarterly), shown in the 201, lapsed the day after', async () => {
    const reply = await register({ control: 'A.8.20', location: 'https://sp.example/net.pdf', sha256: sha(1) });
    expect(reply.status).toBe(201);
    // collected 2026-11-30 (today) + P3M, its last day: as validFor: P3M would give.
    expect(reply.body).toMatchObject({ evidence: { collected: '2026-11-30', validUntil: '2027-02-27' } });
    const id = (reply.body as { evidence: { id: string } }).evidence.id;
    expect((await stored('A.8.20', (e) => e.id === id))?.validUntil).toBe('2027-02-27');
    expect(await statusOn(id, '2027-02-27')).toBe('due-soon');
    expect(await statusOn(id, '2027-02-28')).toBe('lapsed');
    expect(await statusOn(id, '2040-06-30')).toBe('escalated');
  });

  it('POST /v1/evidence collected earlier: counted from the day it was collected', async () => {
    const reply = await register({ control: 'A.8.20', location: 'https://sp.example/net2.pdf', sha256: sha(2), collected: '2026-11-01' });
    expect(reply).toMatchObject({ status: 201, body: { evidence: { collected: '2026-11-01', validUntil: '2027-01-31' } } });
  });

  it('POST /v1/evidence collected so long ago that the default has ended: refused naming body.validFor, nothing written', async () => {
    const before = await api.rt.organisations.evidence(ORG, 'A.8.20');
    expect(await register({ control: 'A.8.20', location: 'https://sp.example/net3.pdf', sha256: sha(7), collected: '2026-01-01' })).toMatchObject({
      status: 400,
      body: { message: "body.validFor: not given, so the control's review rhythm (P3M from 2026-01-01) would apply, and it ends 2026-03-31, before today (2026-11-30 in Asia/Hong_Kong): evidence that has ended is no evidence; give a validity that includes today" },
    });
    expect(await api.rt.organisations.evidence(ORG, 'A.8.20')).toEqual(before);
  });

  it('POST /v1/evidence renewing a lapsed item: as long as it was, from today (not its end); the control lapses after that day', async () => {
    // ev-050, A.8.5's only evidence: 2026-08-25 to 2026-11-24 (91 days on), lapsed.
    const reply = await register({ control: 'A.8.5', location: 's3://harbour-ledger-evidence/a.8.5/2026-11/mfa.pdf', sha256: sha(3), renews: 'ev-050' });
    expect(reply).toMatchObject({ status: 201, body: { evidence: { renews: 'ev-050', validUntil: addDays('2026-11-30', 91) } } });
    expect(addDays('2026-11-30', 91)).toBe('2027-03-01');
    const control = async (day: string) => (await showControl(api.rt, ORG, 'A.8.5', at(day))).control.evidenceStatus;
    expect(await control('2026-11-30')).toBe('current');
    expect(await control('2027-03-02')).toBe('lapsed');
  });

  it('an answer through the API with evidence and no validFor: the renewed item\'s period, lapsed the day after', async () => {
    // ev-049, A.8.1's live item ending first: 2026-11-02 to 2027-01-30 (89 days on).
    const file: EvidenceFile = { location: 'https://sp.example/intune-dec.pdf', name: 'intune-dec.pdf', sha256: sha(4), bytes: 3 };
    const reply = await call(api, 'POST', '/v1/reviews/2026-Q4/tasks/A.8.1/answer', { token: api.tokens.owner, body: JSON.stringify({ result: 'effective', evidence: file }) });
    expect(reply.status).toBe(200);
    const item = await stored('A.8.1', (e) => e.sha256 === sha(4));
    expect(item).toMatchObject({ origin: 'answer', collected: '2026-11-30', validUntil: '2027-02-27', renews: 'ev-049' });
    expect(await statusOn(item!.id, '2027-02-28')).toBe('lapsed');
  });

  it('an answer through the web form with evidence and no validity: likewise', async () => {
    const landed = await fetch(`${api.server.url}/sign-in?code=${await signInCode(api.key, { person: OWNER, orgId: ORG, role: 'owner' })}`, { redirect: 'manual' });
    const cookie = (landed.headers.get('set-cookie') ?? '').split(';')[0] as string;
    const tasks = await (await fetch(`${api.server.url}/tasks`, { headers: { cookie } })).text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(tasks)?.[1] ?? '';
    const form = { csrf, result: 'effective', evidenceLocation: 'https://sp.example/access-q4.xlsx', evidenceName: 'access-q4.xlsx', evidenceSha256: sha(5) };
    const reply = await fetch(`${api.server.url}/tasks/2026-Q4/A.5.18`, { method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
    expect(reply.status).toBe(303);
    // ev-013, A.5.18's live item ending first: 2026-08-24 to 2026-11-23 (91 days on).
    const item = await stored('A.5.18', (e) => e.sha256 === sha(5));
    expect(item).toMatchObject({ origin: 'answer', validUntil: '2027-03-01', renews: 'ev-013' });
    expect(await statusOn(item!.id, '2027-03-02')).toBe('lapsed');
  });

  it('a file of answers with evidence and no validFor: likewise', async () => {
    const file: EvidenceFile = { location: 'https://sp.example/assets-dec.csv', name: 'assets-dec.csv', sha256: sha(6), bytes: 3 };
    await applyAnswers(api.rt, ORG, '2026-Q4', [{ task: 'A.5.9', as: OWNER, result: 'effective', evidence: 'assets-dec.csv' }], async () => file, NOW);
    // ev-004, A.5.9's live item: 2026-07-02 to 2026-12-31 (182 days on).
    const item = await stored('A.5.9', (e) => e.sha256 === sha(6));
    expect(item).toMatchObject({ origin: 'answer', validUntil: addDays('2026-11-30', 182) });
    expect(await statusOn(item!.id, addDays('2026-11-30', 183))).toBe('lapsed');
  });
});

describe('the organisation file', () => {
  it('still takes evidence without an end (it records history): no validUntil, current until the file gives one', () => {
    const parsed = Evidence.parse({ id: 'ev-900', control: 'A.5.1', title: 'Policy', kind: 'policy', location: 'https://x.example/p.pdf', collected: '2020-01-01' });
    expect(parsed.validUntil).toBeUndefined();
  });
});
