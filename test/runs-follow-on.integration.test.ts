// A run a person starts through POST /v1/runs is theirs, and so is the run it starts
// when it ends: the data-mapping scan's gap analysis, started by the scan's last step
// (the real ASL files, the real handlers, the API served over loopback, DynamoDB Local).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAudit } from '../lib/adapters/dynamodb/audit.ts';
import { localSigningKey, type SigningKey } from '../lib/adapters/local/local-signing-key.ts';
import { issueLocalToken } from '../lib/adapters/local/local-token.ts';
import { withBackgroundStarter } from '../lib/adapters/local/workflow-runner.ts';
import { serveApi, type LocalServer } from '../lib/api/local-server.ts';
import { setRuntime, type Runtime } from '../lib/runtime.ts';
import { importOrganisationFile } from '../lib/usecases/org/import.ts';
import { call, type ApiFixture } from './support/api.ts';
import { smallOrg } from './support/fixtures.ts';
import { testRuntime } from './support/local-store.ts';
import { tempDir } from './support/temp-dir.ts';

const ORG = 'kowloon-co';
const NOW = new Date('2026-11-30T01:00:00Z');

describe('POST /v1/runs: the run a person started starts its follow-on in their name', () => {
  let rt: Runtime;
  let server: LocalServer;
  let key: SigningKey;
  let token: string;
  const api = () => ({ rt, server, key }) as unknown as ApiFixture;

  beforeAll(async () => {
    rt = withBackgroundStarter({ ...(await testRuntime()), clock: () => NOW });
    await importOrganisationFile(rt, smallOrg([]), 'import:test', '2026-11-01T00:00:00Z');
    setRuntime(rt);
    key = localSigningKey(tempDir('follow-on-key-'));
    server = await serveApi({ key });
    token = await issueLocalToken(key, { person: 'carol', orgId: ORG, role: 'admin', ttlSeconds: 3600, now: new Date() });
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    setRuntime(undefined);
  });

  /** The run's view once its execution has ended (the background starter runs it in this process). */
  const ended = async (name: string) => {
    let view: { run?: { status: string; startedBy?: string }; execution?: { status: string } } = {};
    for (let i = 0; i < 600 && !['SUCCEEDED', 'FAILED'].includes(view.execution?.status ?? ''); i++) {
      await new Promise((r) => setTimeout(r, 50));
      view = (await call(api(), 'GET', `/v1/runs/${name}`, { token })).body as typeof view;
    }
    return view;
  };

  it("an on-demand scan's gap analysis carries the scan's starter: startedBy on both runs, and both run.started entries name them with their role", async () => {
    const started = await call(api(), 'POST', '/v1/runs', { token, body: JSON.stringify({ workflow: 'data-mapping-scan' }) });
    expect(started).toMatchObject({ status: 202, body: { name: 'data-mapping-scan-kowloon-co-2026-11-30T010000', status: 'started' } });
    const scan = 'data-mapping-scan-kowloon-co-2026-11-30T010000';
    const gaps = 'gap-analysis-kowloon-co-2026-11-30T010000';
    expect(await ended(scan)).toMatchObject({ run: { status: 'succeeded', startedBy: 'carol' }, execution: { status: 'SUCCEEDED' } });
    expect(await ended(gaps)).toMatchObject({ run: { status: 'succeeded', startedBy: 'carol' }, execution: { status: 'SUCCEEDED' } });

    const listed = (await call(api(), 'GET', '/v1/runs?workflow=gap-analysis', { token })).body as { items: { name: string; startedBy?: string }[] };
    expect(listed.items).toEqual([expect.objectContaining({ name: gaps, startedBy: 'carol' })]);
    // The test's clock is fixed: both entries may carry one time, so they are compared in order of subject.
    const runStarted = (await readAudit(rt.store, ORG)).filter((e) => e.event === 'run.started').map((e) => [e.subject, e.actor, e.detail]);
    expect(runStarted.sort((a, b) => String(a[0]).localeCompare(String(b[0])))).toEqual([
      [`RUN#data-mapping-scan#${scan}`, 'carol', { role: 'admin' }],
      [`RUN#gap-analysis#${gaps}`, 'carol', { role: 'admin' }],
    ]);
  }, 120_000);
});
