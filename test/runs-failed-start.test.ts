// A run whose execution fails before its first step can record anything (here, a step's
// module that does not load): the execution's error and cause, redacted, are shown by
// GET /v1/runs/{name}, logged by the server, and the run is recorded failed with them,
// so it is still known once the process that ran it has gone.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Runtime } from '../lib/runtime.ts';
import type { ApiFixture, ServedSample } from './support/api.ts';

// The sweep's first step's module is one that is not there; its path holds an address, which the redaction masks.
vi.mock('../lib/workflows/declarations.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../lib/workflows/declarations.ts')>();
  return {
    ...real,
    allFunctions: () => {
      const fns = real.allFunctions();
      fns.set('sweepPlan', { ...fns.get('sweepPlan')!, handler: 'functions/plan-of-chan.tai.man@example.com.handler' });
      return fns;
    },
  };
});

const ORG = 'harbour-ledger';
const NOW = new Date('2026-11-30T02:00:00Z');

describe('a run that fails before its first step', () => {
  let rt: Runtime;
  let served: ServedSample;
  let token: string;
  let adminToken: string;
  const api = () => served as unknown as ApiFixture;
  const logged: string[] = [];
  let call: typeof import('./support/api.ts').call;

  beforeAll(async () => {
    // The modules that read the declarations load anew, with the mock: the worker may hold
    // them loaded for another file (vitest.config.ts), and loses these again below.
    vi.resetModules();
    const support = await import('./support/api.ts');
    call = support.call;
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(' ')));
    served = await support.servedSample(() => new Date(NOW));
    rt = served.rt;
    token = await served.token('scheduler');
    adminToken = await served.token('admin', 'michelle-leung');
  }, 120_000);
  afterAll(async () => {
    await served?.close();
    vi.restoreAllMocks();
    vi.resetModules();
  });

  it('shows, logs and records why, redacted', async () => {
    const name = `evidence-sweep-${ORG}-2026-11-30`;
    expect(await call(api(), 'POST', '/v1/runs', { token, body: JSON.stringify({ workflow: 'evidence-sweep', period: '2026-11-30' }) })).toMatchObject({ status: 202, body: { name } });
    let view: { run?: { status: string; error?: string }; execution?: { status: string; error?: string; cause?: string } } = {};
    for (let i = 0; i < 300; i++) {
      view = (await call(api(), 'GET', `/v1/runs/${name}`, { token })).body as typeof view;
      if (view.execution?.status !== 'RUNNING' && view.run?.status === 'failed') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const cause = expect.stringMatching(/^Cannot find module '.*\/functions\/p\*\*\*@example\.com\.ts' imported from /);
    // a scheduler gets the error's name, not its cause (which on AWS may quote a state's input or output)
    expect(view).toMatchObject({ execution: { status: 'FAILED', error: 'Error' }, run: { name, status: 'failed', error: expect.stringMatching(/^Error: Cannot find module '.*\/functions\/p\*\*\*@example\.com\.ts'/) } });
    expect(view.execution).not.toHaveProperty('cause');
    const seen = (await call(api(), 'GET', `/v1/runs/${name}`, { token: adminToken })).body as typeof view;
    expect(seen).toMatchObject({ execution: { status: 'FAILED', error: 'Error', cause } });
    expect(JSON.stringify([view, seen])).not.toContain('chan.tai.man@example.com');
    // Recorded: a process that never ran it (a restarted server) still knows the run and why it failed.
    const record = await rt.runs.get({ orgId: ORG, kind: 'evidence-sweep', name });
    expect(record).toMatchObject({ status: 'failed', error: expect.stringMatching(/^Error: Cannot find module /) });
    const failedLog = logged.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.run === name);
    expect(failedLog).toMatchObject({ level: 'error', workflow: 'evidence-sweep', run: name, error: 'Error', cause });
    expect(logged.join('\n')).not.toContain('chan.tai.man@example.com');
  }, 60_000);
});
