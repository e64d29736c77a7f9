// POST /v1/runs with a period: the runs other than the review work as of the moment they
// start, so a period is the one under way (on the calendar their runs are named on), or
// the run would be recorded as another period's; without one the run is on demand.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../lib/runtime.ts';
import { call, servedSample, tableItems, type ApiFixture, type ServedSample } from './support/api.ts';

const ORG = 'harbour-ledger';
// 20:00Z on 30 November: already 1 December in Hong Kong, still 30 November in UTC, on whose calendar these runs are named.
const NOW = new Date('2026-11-30T20:00:00Z');

describe('POST /v1/runs: a period that has ended is refused', () => {
  let rt: Runtime;
  let served: ServedSample;
  let token: string;
  const api = () => served as unknown as ApiFixture;
  const post = (body: Record<string, unknown>) => call(api(), 'POST', '/v1/runs', { token, body: JSON.stringify(body) });

  beforeAll(async () => {
    served = await servedSample(() => new Date(NOW));
    rt = served.rt;
    token = await served.token('scheduler');
  }, 120_000);
  afterAll(async () => {
    await served?.close();
  });

  it('a scan, analysis, sweep or monitoring pass for a period that has ended: 400 naming body.period and why, nothing started or recorded', async () => {
    const before = await tableItems(rt);
    const refused = (period: string, kind: string, current: string, workflow: string) =>
      `body.period: ${period} has ended (the ${kind} under way is ${current} in UTC, on whose calendar ${workflow} runs are named): ` +
      `${workflow} runs work as of the moment they start, so one is for the ${kind} under way (leave period out to start one on demand)`;
    for (const [workflow, period, kind, current] of [
      ['evidence-sweep', '1999-01-01', 'day', '2026-11-30'],
      ['evidence-sweep', '2026-11-29', 'day', '2026-11-30'],
      ['data-mapping-scan', '2026-10', 'month', '2026-11'],
      // before the 409 of a missing data map: the period alone refuses it
      ['gap-analysis', '1999-01', 'month', '2026-11'],
      ['behaviour-monitoring', '2026-11-30T1945', 'quarter-hour', '2026-11-30T2000'],
    ] as const) {
      expect(await post({ workflow, period }), `${workflow} ${period}`).toMatchObject({ status: 400, body: { code: 'bad-request', message: refused(period, kind, current, workflow) } });
      expect(await call(api(), 'GET', `/v1/runs/${workflow}-${ORG}-${period}`, { token })).toMatchObject({ status: 404 });
    }
    expect(await tableItems(rt)).toEqual(before);
  });

  it('the period under way starts, as does a run on demand (no period)', async () => {
    expect(await post({ workflow: 'evidence-sweep', period: '2026-11-30' })).toMatchObject({ status: 202, body: { name: `evidence-sweep-${ORG}-2026-11-30`, status: 'started' } });
    expect(await post({ workflow: 'evidence-sweep' })).toMatchObject({ status: 202, body: { name: `evidence-sweep-${ORG}-2026-11-30T200000`, status: 'started' } });
    for (const name of [`evidence-sweep-${ORG}-2026-11-30`, `evidence-sweep-${ORG}-2026-11-30T200000`]) {
      let state: { run?: { status: string }; execution?: { status: string } } = {};
      for (let i = 0; i < 600 && (state.execution?.status ?? 'RUNNING') === 'RUNNING'; i++) {
        state = (await call(api(), 'GET', `/v1/runs/${name}`, { token })).body as typeof state;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(state, name).toMatchObject({ run: { status: 'succeeded' }, execution: { status: 'SUCCEEDED' } });
    }
  }, 120_000);
});
