// The starter that schedules and the API call: a tick delivered twice is one run.
import { ExecutionAlreadyExists } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { importOrganisation } from '../lib/adapters/dynamodb/org-store.ts';
import { runRequest } from '../lib/workflows/catalogue.ts';
import { sfnStarter, startRuns, type ExecutionStarter } from '../lib/adapters/aws/sfn-starter.ts';
import { smallOrg } from './support/fixtures.ts';
import { testRuntime } from './support/local-store.ts';

/** Step Functions' own rule: a second execution of the same name is refused. */
function fakeStepFunctions() {
  const executions = new Map<string, string>();
  const start: ExecutionStarter = async (arn, name, input) => {
    if (executions.has(name)) return 'exists';
    executions.set(name, input);
    return { executionArn: `${arn.replace(':stateMachine:', ':execution:')}:${name}` };
  };
  return { executions, start };
}

describe('starting workflow runs', () => {
  it('names runs after workflow, organisation and day, so a repeated tick is the same run', async () => {
    const rt = await testRuntime();
    await importOrganisation(rt.store, smallOrg([]), 'import:test', '2026-11-01T00:00:00Z');
    const sfn = fakeStepFunctions();
    const arn = 'arn:aws:states:ap-east-1:123456789012:stateMachine:compliance-dev-evidence-sweep';

    const first = await startRuns(rt, sfn.start, arn, { workflow: 'evidence-sweep', now: new Date('2026-11-30T01:00:00Z') });
    const again = await startRuns(rt, sfn.start, arn, { workflow: 'evidence-sweep', now: new Date('2026-11-30T01:00:07Z') });
    const nextDay = await startRuns(rt, sfn.start, arn, { workflow: 'evidence-sweep', now: new Date('2026-12-01T01:00:00Z') });

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

  it('starts one run per imported organisation when the tick names none', async () => {
    const rt = await testRuntime();
    const second = smallOrg([]);
    await importOrganisation(rt.store, smallOrg([]), 'import:test', '2026-11-01T00:00:00Z');
    await importOrganisation(rt.store, { ...second, organisation: { ...second.organisation, id: 'lantau-ltd' } }, 'import:test', '2026-11-01T00:00:00Z');
    const sfn = fakeStepFunctions();
    const started = await startRuns(rt, sfn.start, 'arn:aws:states:ap-east-1:123456789012:stateMachine:sweep', { workflow: 'evidence-sweep', now: new Date('2026-11-30T01:00:00Z') });
    expect(started.map((s) => s.name).sort()).toEqual(['evidence-sweep-kowloon-co-2026-11-30', 'evidence-sweep-lantau-ltd-2026-11-30']);
  });

  it("treats Step Functions' ExecutionAlreadyExists as already started, and passes other errors on", async () => {
    const refusing = { send: async () => { throw new ExecutionAlreadyExists({ message: 'Execution Already Exists', $metadata: {} }); } };
    const start = sfnStarter(refusing as never);
    await expect(start('arn', 'evidence-sweep-kowloon-co-2026-11-30', '{}')).resolves.toBe('exists');
    const throttled = { send: async () => { throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }); } };
    await expect(sfnStarter(throttled as never)('arn', 'x', '{}')).rejects.toThrow('Rate exceeded');
  });

  it('derives the same name for the local runner as for the starter', () => {
    expect(runRequest('evidence-sweep', 'kowloon-co', new Date('2026-11-30T23:59:59Z')).name).toBe('evidence-sweep-kowloon-co-2026-11-30');
  });
});
