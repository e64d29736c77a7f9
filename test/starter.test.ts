// The starter that schedules and the API call: a tick delivered twice is one run.
import { ExecutionAlreadyExists } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { DataMap, diffDataMaps } from '../lib/domain/datamap/datamap.ts';
import { importOrganisationFile } from '../lib/usecases/org/import.ts';
import { runRequest } from '../lib/workflows/declarations.ts';
import { sfnStarter } from '../lib/adapters/aws/sfn-starter.ts';
import { startRuns } from '../lib/usecases/runs/start-runs.ts';
import type { ExecutionStarter } from '../lib/usecases/ports.ts';
import { smallOrg } from './support/fixtures.ts';
import { testRuntime } from './support/local-store.ts';

/** Step Functions' own rule: a second execution of the same name is refused. */
function fakeStepFunctions() {
  const executions = new Map<string, string>();
  const start: ExecutionStarter = async (workflow, name, input) => {
    if (executions.has(name)) return 'exists';
    executions.set(name, input);
    return { executionArn: `arn:aws:states:ap-east-1:123456789012:execution:compliance-dev-${workflow}:${name}` };
  };
  return { executions, start };
}

describe('starting workflow runs', () => {
  it('names runs after workflow, organisation and day, so a repeated tick is the same run', async () => {
    const rt = await testRuntime();
    await importOrganisationFile(rt, smallOrg([]), 'import:test', '2026-11-01T00:00:00Z');
    const sfn = fakeStepFunctions();

    const first = await startRuns(rt, sfn.start, { workflow: 'evidence-sweep', now: new Date('2026-11-30T01:00:00Z') });
    const again = await startRuns(rt, sfn.start, { workflow: 'evidence-sweep', now: new Date('2026-11-30T01:00:07Z') });
    const nextDay = await startRuns(rt, sfn.start, { workflow: 'evidence-sweep', now: new Date('2026-12-01T01:00:00Z') });

    expect(first).toEqual([{ orgId: 'kowloon-co', name: 'evidence-sweep-kowloon-co-2026-11-30', status: 'started', executionArn: `arn:aws:states:ap-east-1:123456789012:execution:compliance-dev-evidence-sweep:evidence-sweep-kowloon-co-2026-11-30` }]);
    expect(again).toEqual([{ orgId: 'kowloon-co', name: 'evidence-sweep-kowloon-co-2026-11-30', status: 'already-started' }]);
    expect(nextDay[0]?.status).toBe('started');
    expect([...sfn.executions.keys()]).toEqual(['evidence-sweep-kowloon-co-2026-11-30', 'evidence-sweep-kowloon-co-2026-12-01']);
    expect(JSON.parse(sfn.executions.get('evidence-sweep-kowloon-co-2026-11-30') ?? '')).toEqual({
      orgId: 'kowloon-co',
      runName: 'evidence-sweep-kowloon-co-2026-11-30',
      now: '2026-11-30T01:00:00.000Z',
    });
  });

  it('starts no monitoring pass for an organisation with no data map yet (it would only fail), and starts it once one exists', async () => {
    const rt = await testRuntime();
    await importOrganisationFile(rt, smallOrg([]), 'import:test', '2026-11-01T00:00:00Z');
    const sfn = fakeStepFunctions();
    const tick = (at: string) => startRuns(rt, sfn.start, { workflow: 'behaviour-monitoring', now: new Date(at) });
    expect(await tick('2026-11-30T01:00:00Z')).toEqual([{ orgId: 'kowloon-co', name: 'behaviour-monitoring-kowloon-co-2026-11-30T0100', status: 'waiting' }]);
    expect(sfn.executions.size).toBe(0);
    const map = DataMap.parse({ orgId: 'kowloon-co', scanId: 'data-mapping-scan-kowloon-co-2026-11', scannedAt: '2026-11-30T01:05:00Z', sources: [] });
    await rt.dataMaps.put(map, diffDataMaps(undefined, map), '2026-11-30T01:05:00Z');
    expect((await tick('2026-11-30T01:15:00Z'))[0]?.status).toBe('started');
    expect([...sfn.executions.keys()]).toEqual(['behaviour-monitoring-kowloon-co-2026-11-30T0115']);
  });

  it('starts one run per imported organisation when the tick names none', async () => {
    const rt = await testRuntime();
    const second = smallOrg([]);
    await importOrganisationFile(rt, smallOrg([]), 'import:test', '2026-11-01T00:00:00Z');
    await importOrganisationFile(rt, { ...second, organisation: { ...second.organisation, id: 'lantau-ltd' } }, 'import:test', '2026-11-01T00:00:00Z');
    const sfn = fakeStepFunctions();
    const started = await startRuns(rt, sfn.start, { workflow: 'evidence-sweep', now: new Date('2026-11-30T01:00:00Z') });
    expect(started.map((s) => s.name).sort()).toEqual(['evidence-sweep-kowloon-co-2026-11-30', 'evidence-sweep-lantau-ltd-2026-11-30']);
  });

  it("treats Step Functions' ExecutionAlreadyExists as already started, and passes other errors on", async () => {
    const refusing = { send: async () => { throw new ExecutionAlreadyExists({ message: 'Execution Already Exists', $metadata: {} }); } };
    const arns = { 'evidence-sweep': 'arn:aws:states:ap-east-1:123456789012:stateMachine:sweep' };
    const start = sfnStarter(arns, refusing as never);
    await expect(start('evidence-sweep', 'evidence-sweep-kowloon-co-2026-11-30', '{}')).resolves.toBe('exists');
    const throttled = { send: async () => { throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }); } };
    await expect(sfnStarter(arns, throttled as never)('evidence-sweep', 'x', '{}')).rejects.toThrow('Rate exceeded');
  });

  it('refuses to start a workflow whose state machine is not configured, naming the variable', async () => {
    const start = sfnStarter({}, { send: async () => ({}) } as never);
    await expect(start('data-mapping-scan', 'x', '{}')).rejects.toThrow('environment DATA_MAPPING_SCAN_ARN: is not set');
  });

  it('derives the same name for the local runner as for the starter', () => {
    expect(runRequest('evidence-sweep', 'kowloon-co', new Date('2026-11-30T23:59:59Z')).name).toBe('evidence-sweep-kowloon-co-2026-11-30');
  });
});
