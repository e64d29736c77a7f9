// QA pass 20's lower-severity wording: a missing review suggests only what can work, the
// API's 404s name its routes rather than commands, an unknown --owner is refused as
// --to is, and alert statistics default their period at both doors, naming query.period.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { call, OWNER, SAMPLE, servedSample, type ApiFixture, type ServedSample } from './support/api.ts';
import { runCli } from './support/cli.ts';
import { tempDir } from './support/temp-dir.ts';

const ORG = 'harbour-ledger'; // Asia/Hong_Kong
const NOW = new Date('2026-11-30T02:00:00Z'); // 2026-Q4 under way

describe('the HTTP API: 404s that name routes, alert statistics by default and naming query.period', () => {
  let served: ServedSample;
  const api = () => served as unknown as ApiFixture;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    served = await servedSample(() => new Date(NOW));
    tokens.auditor = await served.token('auditor');
    tokens.admin = await served.token('admin', 'michelle-leung');
    tokens.owner = await served.token('owner', OWNER);
  }, 120_000);
  afterAll(async () => {
    await served?.close();
  });

  it('GET /v1/reviews/{quarter} of an ended quarter says no review was held; of the one under way, how to open it; never a command', async () => {
    const ended = await call(api(), 'GET', '/v1/reviews/2026-Q3', { token: tokens.auditor });
    expect(ended).toMatchObject({ status: 404, body: { message: `"${ORG}" held no review of 2026-Q3: the quarter ended on 2026-09-30 (in Asia/Hong_Kong), and a review opens only while its quarter is under way` } });
    const current = await call(api(), 'GET', '/v1/reviews/2026-Q4', { token: tokens.auditor });
    expect(current).toMatchObject({ status: 404, body: { message: `no review of 2026-Q4 has been opened for "${ORG}" yet: an admin or a scheduler opens it with POST /v1/runs {"workflow":"quarterly-review"}` } });
    const ahead = await call(api(), 'GET', '/v1/reviews/2027-Q1', { token: tokens.auditor });
    expect(ahead).toMatchObject({ status: 404, body: { message: `no review of 2027-Q1 for "${ORG}": 2027-Q1 has not begun (it begins 2027-01-01 in Asia/Hong_Kong), and a review opens only while its quarter is under way` } });
    for (const r of [ended, current, ahead]) expect((r.body as { message: string }).message).not.toMatch(/compliance /);
  });

  it('an unknown task and an unknown alert are 404s pointing to GET /v1/tasks and GET /v1/alerts', async () => {
    const answer = await call(api(), 'POST', '/v1/reviews/2026-Q4/tasks/A.5.1/answer', { token: tokens.owner, body: JSON.stringify({ result: 'effective' }) });
    expect(answer).toMatchObject({ status: 404, body: { message: 'no task "2026-Q4/A.5.1" (tasks are named <quarter>/<control>, e.g. 2026-Q4/A.8.15: see GET /v1/tasks?quarter=2026-Q4)' } });
    const ack = await call(api(), 'POST', '/v1/alerts/no-such-alert/ack', { token: tokens.admin });
    expect(ack).toMatchObject({ status: 404, body: { message: `no alert "no-such-alert" in ${ORG}: see GET /v1/alerts` } });
    const resolve = await call(api(), 'POST', '/v1/alerts/no-such-alert/resolve', { token: tokens.admin, body: JSON.stringify({ disposition: 'benign' }) });
    expect(resolve).toMatchObject({ status: 404, body: { message: `no alert "no-such-alert" in ${ORG}: see GET /v1/alerts` } });
  });

  it('GET /v1/alerts/stats with no period gives the quarter under way, as alerts stats does; one not begun is 400 naming query.period', async () => {
    const stats = await call(api(), 'GET', '/v1/alerts/stats', { token: tokens.auditor });
    expect(stats).toMatchObject({ status: 200, body: { period: '2026-Q4', from: '2026-10-01', to: '2026-12-31' } });
    expect(await call(api(), 'GET', '/v1/alerts/stats?period=2027-Q1', { token: tokens.auditor })).toMatchObject({
      status: 400,
      body: { message: 'query.period: 2027-Q1 has not begun (it begins 2027-01-01 in Asia/Hong_Kong)' },
    });
  });
});

describe('the command line: review show and task list --owner', () => {
  const dir = tempDir('qa20-wording-');
  const table = `test-qa20-wording-${randomUUID()}`;
  const cli = (...args: string[]) =>
    runCli(['--endpoint', inject('dynamoEndpoint'), '--table', table, '--outbox', path.join(dir, 'outbox'), '--data-dir', path.join(dir, 'data'), '--now', '2026-11-30', ...args]);

  beforeAll(async () => {
    const imported = await cli('import', SAMPLE);
    expect(imported.stderr).toBe('');
  }, 120_000);

  it('review show of an ended quarter says none was held, and suggests review open only for the quarter under way', async () => {
    const ended = await cli('review', 'show', '2026-Q3');
    expect(ended.code).toBe(2);
    expect(ended.stderr).toBe(`"${ORG}" held no review of 2026-Q3: the quarter ended on 2026-09-30 (in Asia/Hong_Kong), and a review opens only while its quarter is under way\n`);
    const current = await cli('review', 'show', '2026-Q4');
    expect(current.code).toBe(2);
    expect(current.stderr).toBe(`no review of 2026-Q4 has been opened for "${ORG}" yet: open it with compliance review open 2026-Q4\n`);
  });

  it('task list --owner of no one in the organisation is refused, exit 2, as task delegate --to is; a person with no tasks is an empty list', async () => {
    const nobody = await cli('task', 'list', '--owner', 'nobody');
    expect(nobody.code).toBe(2);
    expect(nobody.stderr).toBe(`--owner: "nobody" is not a person of ${ORG}\n`);
    const someone = await cli('task', 'list', '--owner', OWNER);
    expect(someone).toMatchObject({ code: 0, stderr: '' });
  });

  it('alerts stats of a quarter not begun names --period, as the API names query.period', async () => {
    const ahead = await cli('alerts', 'stats', '--period', '2027-Q1');
    expect(ahead.code).toBe(2);
    expect(ahead.stderr).toBe('--period: 2027-Q1 has not begun (it begins 2027-01-01 in Asia/Hong_Kong)\n');
  });
});
