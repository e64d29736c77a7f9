// GET /v1/audit's date range as people mean it (a date is its whole day where the
// organisation is, both bounds inclusive, a from after its to refused), cursors that
// say which list they are of, and the export route naming its path's period.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, servedSample, type ApiFixture, type ServedSample } from './support/api.ts';

const ORG = 'harbour-ledger'; // Asia/Hong_Kong, UTC+8
const NOW = new Date('2026-12-02T02:00:00Z');

describe('GET /v1/audit?from=&to=, cursors, /v1/exports/{period}', () => {
  let served: ServedSample;
  let auditor: string;
  const api = () => served as unknown as ApiFixture;
  const get = (url: string) => call(api(), 'GET', url, { token: auditor });
  const ats = async (url: string) => ((await get(url)).body as { items: { at: string; event: string }[] }).items.filter((e) => e.event === 'test.marker').map((e) => e.at);

  beforeAll(async () => {
    served = await servedSample(() => new Date(NOW), '2026-11-20T00:00:00.000Z');
    // 30 November in Hong Kong runs from 2026-11-29T16:00Z to 2026-11-30T16:00Z.
    for (const at of ['2026-11-29T15:59:59.999Z', '2026-11-29T16:00:00.000Z', '2026-11-30T09:00:00.000Z', '2026-11-30T15:59:59.999Z', '2026-11-30T16:00:00.000Z']) {
      await served.rt.audit.append({ orgId: ORG, at, event: 'test.marker', subject: `TEST#${at}`, actor: 'test' });
    }
    auditor = await served.token('auditor');
  }, 120_000);
  afterAll(async () => {
    await served?.close();
  });

  it('a date-only to takes its whole day, in the organisation\'s time zone; from and to are inclusive', async () => {
    expect(await ats('/v1/audit?from=2026-11-30&to=2026-11-30')).toEqual(['2026-11-29T16:00:00.000Z', '2026-11-30T09:00:00.000Z', '2026-11-30T15:59:59.999Z']);
    expect(await ats('/v1/audit?to=2026-11-29&limit=500')).toEqual(['2026-11-29T15:59:59.999Z']);
    expect(await ats('/v1/audit?from=2026-12-01')).toEqual(['2026-11-30T16:00:00.000Z']);
    // A time is that instant, included at either end.
    expect(await ats('/v1/audit?from=2026-11-30T09:00:00Z&to=2026-11-30T09:00:00Z')).toEqual(['2026-11-30T09:00:00.000Z']);
    expect(await ats('/v1/audit?from=2026-11-30T17:00%2B08:00&to=2026-11-30T23:59:59.999%2B08:00')).toEqual(['2026-11-30T09:00:00.000Z', '2026-11-30T15:59:59.999Z']);
  });

  it('refuses a from after its to, 400 naming query.from', async () => {
    expect(await get('/v1/audit?from=2026-12-01&to=2026-11-30')).toMatchObject({
      status: 400,
      body: { code: 'bad-request', message: 'query.from: 2026-12-01 is after query.to 2026-11-30 (in Asia/Hong_Kong, the organisation\'s time zone, where a date is its whole day)' },
    });
    expect(await get('/v1/audit?from=2026-11-30T09:00:00.001Z&to=2026-11-30T09:00:00Z')).toMatchObject({ status: 400, body: { message: expect.stringMatching(/^query\.from: /) } });
    // Still a real date first.
    expect(await get('/v1/audit?from=2026-02-31')).toMatchObject({ status: 400, body: { message: expect.stringMatching(/^query\.from: must be a real date/) } });
  });

  it('a cursor is of its own list: another list\'s is refused, 400 naming query.cursor; its own pages on', async () => {
    const evidence = (await get('/v1/evidence?limit=1')).body as { items: unknown[]; next: string };
    expect(evidence.next).toEqual(expect.any(String));
    expect(await get(`/v1/controls?cursor=${evidence.next}`)).toMatchObject({
      status: 400,
      body: { code: 'bad-request', message: 'query.cursor: is a cursor of another list, not of /v1/controls: pass back the next cursor /v1/controls gave' },
    });
    const controls = (await get('/v1/controls?limit=2')).body as { items: { id: string }[]; next: string };
    const next = (await get(`/v1/controls?limit=2&cursor=${controls.next}`)).body as { items: { id: string }[] };
    expect([...controls.items, ...next.items].map((c) => c.id)).toEqual(['A.5.1', 'A.5.2', 'A.5.3', 'A.5.4']);
    expect(await get('/v1/controls?cursor=bm90LWEtY3Vyc29y')).toMatchObject({ status: 400, body: { message: 'query.cursor: is not a cursor this API gave' } });
  });

  it('names the export\'s period path.period when it has not begun, as the path\'s other errors do', async () => {
    expect(await get('/v1/exports/2027-Q1')).toMatchObject({ status: 400, body: { message: expect.stringMatching(/^path\.period: 2027-Q1 has not begun/) } });
    expect(await get('/v1/exports/2026-Q5')).toMatchObject({ status: 400, body: { message: expect.stringMatching(/^path\.period: /) } });
  });
});
