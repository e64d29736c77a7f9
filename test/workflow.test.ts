// The real ASL files: validated, checked for Retry/Catch/timeouts, and executed
// locally with the real handlers their workflow declares (and serverless.yml deploys).
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import aslValidator from 'asl-validator';
import { describe, expect, it } from 'vitest';
import { executeWorkflow, localDefinition, readDefinition, taskFunctions } from '../lib/adapters/local/workflow-runner.ts';
import { importOrganisationFile } from '../lib/usecases/org/import.ts';
import type { SweepSummary } from '../lib/usecases/sweep/report.ts';
import type { MonitorSummary } from '../lib/usecases/monitoring/run.ts';
import { OrgFile } from '../lib/domain/org/org.ts';
import { DataMap, diffDataMaps } from '../lib/domain/datamap/datamap.ts';
import type { Runtime } from '../lib/runtime.ts';
import { allFunctions, definitionFile, runRequest, WORKFLOWS } from '../lib/workflows/declarations.ts';
import { readAudit } from '../lib/adapters/dynamodb/audit.ts';
import { sfnStarter } from '../lib/adapters/aws/sfn-starter.ts';
import { tableItems } from './support/api.ts';
import { smallOrg } from './support/fixtures.ts';
import { RecordingMailer, testRuntime, throttleWhen } from './support/local-store.ts';
import { tempDir } from './support/temp-dir.ts';

const LAMBDA_ERRORS = ['Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException', 'Lambda.TooManyRequestsException'];
const files = readdirSync(new URL('../workflows/', import.meta.url)).filter((f) => f.endsWith('.asl.json'));

type State = Record<string, any>;
function allStates(states: Record<string, State>): [string, State][] {
  return Object.entries(states).flatMap(([name, s]) => [
    [name, s] as [string, State],
    ...(s.ItemProcessor ? allStates(s.ItemProcessor.States) : []),
    ...(s.Branches ?? []).flatMap((b: State) => allStates(b.States)),
  ]);
}

describe.each(files)('workflow definition %s', (file) => {
  const definition = JSON.parse(readFileSync(new URL(`../workflows/${file}`, import.meta.url), 'utf8'));

  it('passes asl-validator as written and as bound for the local run', () => {
    for (const d of [definition, localDefinition(definition)]) {
      const result = aslValidator(d, { checkArn: true, checkPaths: true });
      expect(result.errorsText()).toBe('');
      expect(result.isValid).toBe(true);
    }
  });

  it('has a state machine timeout, and every Task has a timeout, Retry for Lambda service errors and a Catch', () => {
    expect(definition.TimeoutSeconds).toBeGreaterThan(0);
    const tasks = allStates(definition.States).filter(([, s]) => s.Type === 'Task');
    expect(tasks.length).toBeGreaterThan(0);
    for (const [name, task] of tasks) {
      expect(task.TimeoutSeconds, name).toBeGreaterThan(0);
      expect(task.TimeoutSeconds, name).toBeLessThanOrEqual(900); // Lambda's own limit
      const retried = (task.Retry ?? []).flatMap((r: State) => r.ErrorEquals);
      for (const error of LAMBDA_ERRORS) expect(retried, `${name} retries ${error}`).toContain(error);
      expect((task.Catch ?? []).some((c: State) => c.ErrorEquals.includes('States.ALL')), `${name} catches`).toBe(true);
    }
  });

  it("runs no more of a function at once than its reserved concurrency, and waits out throttling (a sweep's notices would wait a day)", () => {
    const reserved = new Map([...allFunctions()].map(([key, fn]) => [key as string, (fn as { reservedConcurrency?: number }).reservedConcurrency]));
    for (const [name, map] of allStates(definition.States).filter(([, s]) => s.Type === 'Map')) {
      for (const [, task] of allStates(map.ItemProcessor.States).filter(([, s]) => s.Type === 'Task')) {
        const limit = reserved.get(/^\$\{(\w+)\}$/.exec(task.Resource)?.[1] ?? '');
        if (limit === undefined) continue;
        expect(map.MaxConcurrency, `${name}: at most ${limit} at once`).toBeLessThanOrEqual(limit);
        // Other executions (another organisation's sweep) share the limit: throttling is retried for minutes, not seconds.
        const retrier = (task.Retry as State[]).find((r) => r.ErrorEquals.includes('Lambda.TooManyRequestsException'))!;
        const waits = Array.from({ length: retrier.MaxAttempts }, (_, k) => Math.min(retrier.IntervalSeconds * retrier.BackoffRate ** k, retrier.MaxDelaySeconds ?? Infinity));
        expect(waits.reduce((a, b) => a + b, 0), `${name} waits out throttling`).toBeGreaterThanOrEqual(600);
      }
    }
  });

  it('catches a payload over the Step Functions limit by name in every Task and Map (States.ALL does not catch it), so the failure is recorded', () => {
    const states = allStates(definition.States).filter(([, s]) => s.Type === 'Task' || s.Type === 'Map');
    expect(states.length).toBeGreaterThan(0);
    for (const [name, state] of states) {
      const catchers = (state.Catch ?? []) as State[];
      const byName = catchers.find((c) => c.ErrorEquals.includes('States.DataLimitExceeded'));
      expect(byName, `${name} catches States.DataLimitExceeded`).toBeDefined();
      // It goes where every other failure goes.
      expect(byName?.Next, name).toBe(catchers.find((c) => c.ErrorEquals.includes('States.ALL'))?.Next);
    }
  });

  it("names only its own workflow's declared functions, with handler files that exist", () => {
    const declared = WORKFLOWS.find((w) => definitionFile(w.name) === file);
    expect(declared, `${file} belongs to a declared workflow`).toBeDefined();
    const functions: Record<string, { handler: string }> = declared?.functions ?? {};
    for (const [state, fn] of taskFunctions(definition)) {
      expect(functions[fn], `${state} -> ${fn}`).toBeDefined();
      const handlerFile = String(functions[fn]?.handler).replace(/\.[^.]+$/, '.ts');
      expect(existsSync(new URL(`../${handlerFile}`, import.meta.url)), handlerFile).toBe(true);
    }
  });
});

describe('evidence sweep workflow, executed locally', () => {
  it('sends the mails and records the run through the real handlers', async () => {
    const mailer = new RecordingMailer();
    const rt = await testRuntime(mailer);
    await importOrganisationFile(rt, smallOrg([{ validUntil: '2026-11-01' }, { validUntil: '2026-11-20' }, { validUntil: '2027-06-30' }]), 'import:test', '2026-11-01T00:00:00Z');
    const { name, input } = runRequest('evidence-sweep', 'kowloon-co', new Date('2026-11-10T01:00:00Z'));
    const output = (await executeWorkflow(rt, 'evidence-sweep', input)) as SweepSummary;

    expect(output.status).toBe('succeeded');
    expect(output.evidenceRead).toBe(2); // the item ending 2027-06-30 is never read
    expect(output.noticesRecorded).toBe(3); // ev-1 reminder-1 to owen, ev-1 escalation to mgr, ev-2 due soon
    expect(mailer.sent.map((m) => m.to.email).sort()).toEqual(['mgr@kowloon.example', 'owen@kowloon.example']);
    expect(mailer.sent.find((m) => m.to.email === 'owen@kowloon.example')?.subject).toMatch(/1 lapsed, 1 due soon/);
    const run = await rt.runs.get({ orgId: 'kowloon-co', kind: 'evidence-sweep', name });
    expect(run?.status).toBe('succeeded');
    expect(run?.summary).toMatchObject({ mailsSent: 2, noticesSent: 3 });
  });

  it('sends to the other recipients when one recipient\'s mail is refused, and keeps that one pending', async () => {
    const mailer = new RecordingMailer();
    const rt = await testRuntime(mailer);
    await importOrganisationFile(rt, smallOrg([{ validUntil: '2026-11-01' }]), 'import:test', '2026-11-01T00:00:00Z');
    const send = mailer.send.bind(mailer);
    mailer.send = async (mail) => {
      if (mail.to.email === 'owen@kowloon.example') throw Object.assign(new Error('550 5.1.1 mailbox unavailable'), { name: 'MessageRejected' });
      return send(mail);
    };
    const { name, input } = runRequest('evidence-sweep', 'kowloon-co', new Date('2026-11-10T01:00:00Z'));
    const output = (await executeWorkflow(rt, 'evidence-sweep', input)) as SweepSummary;

    expect(mailer.sent.map((m) => m.to.email)).toEqual(['mgr@kowloon.example']);
    expect(output.mailsSent).toBe(1);
    expect(output.failedRecipients).toEqual([{ recipientId: 'owen', error: 'MessageRejected: 550 5.1.1 mailbox unavailable' }]);
    expect(output.status).toBe('failed');
    expect((await rt.runs.get({ orgId: 'kowloon-co', kind: 'evidence-sweep', name }))?.status).toBe('failed');
    const items = await rt.store.doc.send(new ScanCommand({ TableName: rt.store.table }));
    const notices = (items.Items ?? []).filter((i) => i.type === 'notice');
    expect(notices.map((n) => `${n.recipientId}:${n.status}`).sort()).toEqual(['mgr:sent', 'owen:pending']);
  });

  it('records a batch whose step fails through the Map Catch, leaving its notices pending', async () => {
    const mailer = new RecordingMailer();
    const rt = await testRuntime(mailer);
    await importOrganisationFile(rt, smallOrg([{ validUntil: '2026-11-01' }]), 'import:test', '2026-11-01T00:00:00Z');
    // The store refuses the batch's query for waiting notices: the send Lambda fails for the whole batch.
    throttleWhen(rt.store, (input) => input.includes('"IndexName":"GSI3"') && input.includes('BETWEEN'));
    const { name, input } = runRequest('evidence-sweep', 'kowloon-co', new Date('2026-11-10T01:00:00Z'));
    const output = (await executeWorkflow(rt, 'evidence-sweep', input)) as SweepSummary;

    expect(output.mailsSent).toBe(0);
    expect(mailer.sent).toEqual([]);
    expect(output.failedRecipients).toEqual([
      { recipientId: 'mgr', error: 'ProvisionedThroughputExceededException' },
      { recipientId: 'owen', error: 'ProvisionedThroughputExceededException' },
    ]);
    expect((await rt.runs.get({ orgId: 'kowloon-co', kind: 'evidence-sweep', name }))?.status).toBe('failed');
    // Nothing was claimed or sent: every notice waits for the next sweep.
    const items = await rt.store.doc.send(new ScanCommand({ TableName: rt.store.table }));
    const notices = (items.Items ?? []).filter((i) => i.type === 'notice');
    expect(notices).toHaveLength(2);
    expect(notices.every((n) => n.status === 'pending' && n.GSI3PK === 'ORG#kowloon-co#NOTICE_PENDING')).toBe(true);
  });

  it('reports a recipient whose step fails midway without stopping the others in its batch', async () => {
    const mailer = new RecordingMailer();
    const rt = await testRuntime(mailer);
    await importOrganisationFile(rt, smallOrg([{ validUntil: '2026-11-01' }]), 'import:test', '2026-11-01T00:00:00Z');
    // The store refuses to claim owen's notice only.
    throttleWhen(rt.store, (input) => input.includes('leaseUntil = :lease') && !input.includes('#escalated'));
    const { input } = runRequest('evidence-sweep', 'kowloon-co', new Date('2026-11-10T01:00:00Z'));
    const output = (await executeWorkflow(rt, 'evidence-sweep', input)) as SweepSummary;

    expect(mailer.sent.map((m) => m.to.email)).toEqual(['mgr@kowloon.example']);
    expect(output.mails.map((m) => m.recipientId)).toEqual(['mgr']);
    expect(output.failedRecipients).toEqual([{ recipientId: 'owen', error: 'ProvisionedThroughputExceededException: Throughput exceeds the current capacity' }]);
    const items = await rt.store.doc.send(new ScanCommand({ TableName: rt.store.table }));
    const notices = (items.Items ?? []).filter((i) => i.type === 'notice');
    expect(notices.map((n) => `${n.recipientId}:${n.status}`).sort()).toEqual(['mgr:sent', 'owen:pending']);
  });

  it('fails the execution through RecordFailure when planning fails, and records why', async () => {
    const rt = await testRuntime();
    const { name, input } = runRequest('evidence-sweep', 'no-such-org', new Date('2026-11-10T01:00:00Z'));
    await expect(executeWorkflow(rt, 'evidence-sweep', input)).rejects.toMatchObject({ name: 'ExecutionError' });
    const run = await rt.runs.get({ orgId: 'no-such-org', kind: 'evidence-sweep', name });
    expect(run?.status).toBe('failed');
    expect(run?.error).toMatch(/NotFoundError: organisation "no-such-org" has not been imported/);
  });

  it('refuses a malformed event at the edge, naming the field', async () => {
    const rt = await testRuntime();
    const failed: [string, string][] = [];
    const onTaskError = (state: string, error: unknown) => failed.push([state, String(error)]);
    // The first step refused the event naming both fields, and the execution fails with that refusal, not
    // pointing to a run record: no RecordFailure is tried, and nothing is on record under that name.
    await expect(executeWorkflow(rt, 'evidence-sweep', { orgId: 'kowloon-co', runName: 'bad name!', now: 'yesterday' }, { onTaskError })).rejects.toMatchObject({
      name: 'ExecutionError',
      cause: { name: 'RunInputRefused', message: expect.stringMatching(/invalid event: runName: must be 1-80 letters.*; now: must be an ISO-8601 date-time/) },
    });
    const named = /^EventError: invalid event: runName: must be 1-80 letters.*; now: must be an ISO-8601 date-time/;
    expect(failed).toEqual([['PlanNotices', expect.stringMatching(named)]]);
    expect(await rt.runs.get({ orgId: 'kowloon-co', kind: 'evidence-sweep', name: 'bad name!' })).toBeUndefined();
    const { handler } = await import('../functions/sweep-plan.ts');
    await expect(handler({ orgId: 'kowloon-co', runName: 'bad name!', now: 'yesterday' }, {} as never)).rejects.toThrow(/runName: must be 1-80 letters.*now: must be an ISO-8601 date-time/);
  });

  it('fails every workflow whose run input its first step refuses with that refusal, naming runName, not a run record no step could write; nothing written or mailed', async () => {
    const mailer = new RecordingMailer();
    const rt = await testRuntime(mailer);
    await importOrganisationFile(rt, smallOrg([{ validUntil: '2026-11-01' }, { validUntil: '2026-11-20' }]), 'import:test', '2026-11-01T00:00:00Z');
    const before = await tableItems(rt);
    const refusal = async (workflow: (typeof WORKFLOWS)[number]['name'], runName: string) => {
      const failed: string[] = [];
      const execution = executeWorkflow(rt, workflow, { orgId: 'kowloon-co', runName, now: '2026-11-10T01:00:00Z' }, { onTaskError: (state: string) => failed.push(state) });
      const error = (await execution.then(() => undefined, (e: unknown) => e)) as { name?: string; cause?: { name: string; message: string } } | undefined;
      expect(error?.name, `${workflow} ${runName}`).toBe('ExecutionError');
      expect(error?.cause?.name, `${workflow} ${runName}`).toBe('RunInputRefused');
      // refused by the first step alone: no RecordFailure was tried
      expect(failed, `${workflow} ${runName}`).toEqual([readDefinition(workflow).StartAt]);
      return error?.cause?.message;
    };
    for (const w of WORKFLOWS) expect(await refusal(w.name, 'bad name!'), w.name).toBe('invalid event: runName: must be 1-80 letters, digits, "_" or "-"');
    // The review and the scan read their run's name (its quarter; the period the scan's gap analysis is named for): a name not made as runs are named is refused there too.
    const cases: [string, string][] = [
      ['quarterly-review', 'qa-evil'],
      ['quarterly-review', 'quarterly-review-harbour-ledger-2026-Q4'],
      ['quarterly-review', 'quarterly-review-kowloon-co-zzz'],
      ['quarterly-review', 'quarterly-review-kowloon-co-1969-Q4'],
      ['quarterly-review', 'quarterly-review-kowloon-co-2026-Q4-1110T010000'],
      ['data-mapping-scan', 'qa-evil'],
      ['data-mapping-scan', 'data-mapping-scan-kowloon-co-'],
      ['data-mapping-scan', 'data-mapping-scan-kowloon-co-2026-11-10'],
      ['data-mapping-scan', 'data-mapping-scan-kowloon-co-2026-02-31T010000'],
    ];
    const refused = [];
    for (const [workflow, runName] of cases) refused.push(await refusal(workflow as (typeof WORKFLOWS)[number]['name'], runName));
    expect(refused).toEqual([
      'invalid event: runName: "qa-evil" is not a quarterly-review run of kowloon-co: its name must be quarterly-review-kowloon-co-<period>',
      'invalid event: runName: "quarterly-review-harbour-ledger-2026-Q4" is not a quarterly-review run of kowloon-co: its name must be quarterly-review-kowloon-co-<period>',
      'invalid event: runName: "quarterly-review-kowloon-co-zzz" does not end with a quarterly-review period: "zzz" is not a real quarter written like 2026-Q4',
      'invalid event: runName: "quarterly-review-kowloon-co-1969-Q4" does not end with a quarterly-review period: "1969-Q4" is not a real quarter written like 2026-Q4',
      'invalid event: runName: "quarterly-review-kowloon-co-2026-Q4-1110T010000" does not end with a quarterly-review period: "2026-Q4-1110T010000" is not a real quarter written like 2026-Q4',
      'invalid event: runName: "qa-evil" is not a data-mapping-scan run of kowloon-co: its name must be data-mapping-scan-kowloon-co-<period>',
      'invalid event: runName: "data-mapping-scan-kowloon-co-" does not end with a data-mapping-scan period: "" is not a real month written like 2026-11, or for a run started on demand like 2026-11-30T093015',
      'invalid event: runName: "data-mapping-scan-kowloon-co-2026-11-10" does not end with a data-mapping-scan period: "2026-11-10" is not a real month written like 2026-11, or for a run started on demand like 2026-11-30T093015',
      'invalid event: runName: "data-mapping-scan-kowloon-co-2026-02-31T010000" does not end with a data-mapping-scan period: "2026-02-31T010000" is not a real month written like 2026-11, or for a run started on demand like 2026-11-30T093015',
    ]);
    expect(mailer.sent).toEqual([]);
    expect(await tableItems(rt)).toEqual(before);
    // Names as runRequest makes them, scheduled and on demand, pass the same check.
    const { parseEvent } = await import('../lib/lambda/handler.ts');
    const { runInputOf } = await import('../lib/usecases/run-input.ts');
    for (const w of WORKFLOWS) {
      for (const how of [{}, { onDemand: true }]) {
        const { input } = runRequest(w.name, 'kowloon-co', new Date('2026-11-10T01:02:03Z'), { ...how, timeZone: 'Asia/Hong_Kong' });
        expect(parseEvent(runInputOf(w.name), input)).toEqual(input);
      }
    }
  });
});

describe('data-mapping scan workflow, executed locally: its gap analysis is started by whoever started the scan', () => {
  const ORG = 'kowloon-co';
  const AT = new Date('2026-11-30T01:00:00Z');
  const RAYMOND = { person: 'raymond-wong', role: 'scheduler' } as const;
  /** The gap analysis a scan named `scan` started, and its run.started entry. */
  const followOn = async (rt: Runtime, scan: string) => {
    const name = scan.replace(/^data-mapping-scan-/, 'gap-analysis-');
    const run = await rt.runs.get({ orgId: ORG, kind: 'gap-analysis', name });
    const started = (await readAudit(rt.store, ORG)).filter((e) => e.event === 'run.started' && e.subject === `RUN#gap-analysis#${name}`);
    return { name, run, started };
  };

  it('a scan a person started (POST /v1/runs) starts a gap analysis that is theirs: startedBy on its run, run.started by them with their role', async () => {
    const rt = await testRuntime();
    await importOrganisationFile(rt, smallOrg([]), 'import:test', '2026-11-01T00:00:00Z');
    const { name, input } = runRequest('data-mapping-scan', ORG, AT, { onDemand: true });
    await executeWorkflow(rt, 'data-mapping-scan', { ...input, startedBy: RAYMOND });

    const gaps = await followOn(rt, name);
    expect(gaps.name).toBe('gap-analysis-kowloon-co-2026-11-30T010000');
    expect(gaps.run).toMatchObject({ status: 'succeeded', startedBy: 'raymond-wong' });
    expect(gaps.started).toEqual([expect.objectContaining({ actor: 'raymond-wong', detail: { role: 'scheduler' } })]);
  });

  it('a scheduled (or CLI) scan starts a gap analysis that names no one: no startedBy, run.started by the run itself', async () => {
    const rt = await testRuntime();
    await importOrganisationFile(rt, smallOrg([]), 'import:test', '2026-11-01T00:00:00Z');
    const { name, input } = runRequest('data-mapping-scan', ORG, AT);
    await executeWorkflow(rt, 'data-mapping-scan', input);

    const gaps = await followOn(rt, name);
    expect(gaps.run?.status).toBe('succeeded');
    expect(gaps.run).not.toHaveProperty('startedBy');
    expect(gaps.started).toHaveLength(1);
    expect(gaps.started[0]?.actor).toBe(gaps.name);
    expect(gaps.started[0]).not.toHaveProperty('detail.role');
  });

  it('on AWS, StartGapAnalysis has the gap analysis started (StartExecution) with the scan\'s starter in its input, and with none for a scheduled scan', async () => {
    const sent: { name?: string; input?: string }[] = [];
    const sfn = { send: async (command: { input: { name?: string; input?: string } }) => (sent.push(command.input), { executionArn: `arn:aws:states:ap-east-1:123456789012:execution:gaps:${command.input.name}` }) };
    const rt = await testRuntime();
    rt.starter = sfnStarter({ 'gap-analysis': 'arn:aws:states:ap-east-1:123456789012:stateMachine:gaps' }, sfn as never);
    await importOrganisationFile(rt, smallOrg([]), 'import:test', '2026-11-01T00:00:00Z');
    const byPerson = runRequest('data-mapping-scan', ORG, AT, { onDemand: true });
    const scheduled = runRequest('data-mapping-scan', ORG, AT);
    await executeWorkflow(rt, 'data-mapping-scan', { ...byPerson.input, startedBy: RAYMOND });
    await executeWorkflow(rt, 'data-mapping-scan', scheduled.input);

    expect(sent.map((s) => [s.name, JSON.parse(s.input ?? '')])).toEqual([
      ['gap-analysis-kowloon-co-2026-11-30T010000', { orgId: ORG, runName: 'gap-analysis-kowloon-co-2026-11-30T010000', now: '2026-11-30T01:00:00.000Z', startedBy: RAYMOND }],
      ['gap-analysis-kowloon-co-2026-11', { orgId: ORG, runName: 'gap-analysis-kowloon-co-2026-11', now: '2026-11-30T01:00:00.000Z' }],
    ]);
  });
});

describe('behaviour monitoring workflow, executed locally', () => {
  const monitoredOrg = (auditLog: string, passEvents = 100_000) =>
    OrgFile.parse({
      organisation: { id: 'kowloon-co', name: 'Kowloon Co', complianceContact: 'carol', monitoring: { passEvents, learningDays: 0 } },
      people: [
        { id: 'carol', name: 'Carol Lam', email: 'carol@kowloon.example' },
        { id: 'owen', name: 'Owen Ho', email: 'owen@kowloon.example' },
      ],
      platforms: [{ id: 'dingtalk', name: 'DingTalk', storage: { region: 'cn-hongkong', provider: 'alibaba' }, e2ee: 'none', auditLog: 'export', externalSharing: 'open', auditLogs: [{ path: auditLog }] }],
    });
  // A monitoring pass waits for the organisation's first data map: one of no source.
  const mapped = async (rt: Runtime) => {
    const map = DataMap.parse({ orgId: 'kowloon-co', scanId: 'data-mapping-scan-kowloon-co-2026-11', scannedAt: '2026-11-01T02:00:00Z', sources: [] });
    await rt.dataMaps.put(map, diffDataMaps(undefined, map), '2026-11-01T02:00:00Z');
  };
  const logFile = (rows: string[]) => {
    const file = path.join(tempDir('monitor-wf-'), 'audit.csv');
    writeFileSync(file, ['time,user,action,object,group,target,ip', ...rows].join('\n'));
    return file;
  };

  it('imports the declared audit log, examines it in passes while more wait, mails the alert, and records the run through the real handlers', async () => {
    const mailer = new RecordingMailer();
    const rt = await testRuntime(mailer);
    // 250 views, and one forward to a personal account: a flow alert even from a group of no assessed tier (low, one step up).
    const rows = Array.from({ length: 250 }, (_, i) => `2026-11-24T0${1 + (i % 8)}:${String(i % 60).padStart(2, '0')}:00Z,owen@kowloon.example,view,doc-${i}.pdf,General,,`);
    rows.push('2026-11-24T03:00:00Z,owen@kowloon.example,forward,plan.pdf,General,owen.ho@gmail.com,');
    await importOrganisationFile(rt, monitoredOrg(logFile(rows), 100), 'import:test', '2026-11-01T00:00:00Z');
    await mapped(rt);
    const { name, input } = runRequest('behaviour-monitoring', 'kowloon-co', new Date('2026-11-30T09:00:00Z'));
    const output = (await executeWorkflow(rt, 'behaviour-monitoring', input)) as MonitorSummary;

    expect(output.status).toBe('succeeded');
    expect(output.files).toEqual([{ platform: 'dingtalk', name: 'audit.csv', status: 'imported', layout: 'project', events: 251, problems: 0, ignored: 0 }]);
    expect(output.events).toBe(251);
    expect(output.passes).toBeGreaterThanOrEqual(3); // at most 100 a pass
    expect(output.alertsRaised).toHaveLength(1);
    expect(mailer.sent.map((m) => [m.to.email, m.subject])).toEqual([['carol@kowloon.example', '[Kowloon Co] Behaviour monitoring: 1 alert']]);
    const run = await rt.runs.get({ orgId: 'kowloon-co', kind: 'behaviour-monitoring', name });
    expect(run).toMatchObject({ status: 'succeeded', summary: { events: 251, mailsSent: 1 } });

    // The schedule's next quarter hour: the file was imported, nothing arrived since.
    const next = runRequest('behaviour-monitoring', 'kowloon-co', new Date('2026-11-30T09:15:00Z'));
    const quiet = (await executeWorkflow(rt, 'behaviour-monitoring', next.input)) as MonitorSummary;
    expect(quiet).toMatchObject({ status: 'succeeded', events: 0, alertsRaised: [], mailsSent: 0 });
    expect(quiet.files).toEqual([{ platform: 'dingtalk', name: 'audit.csv', status: 'already-imported', layout: 'project', events: 0, problems: 0, ignored: 0 }]);
  });

  it('records a declared file it cannot read as failed, examines the rest, and fails the run saying which', async () => {
    const rt = await testRuntime();
    await importOrganisationFile(rt, monitoredOrg('/nonexistent/audit.csv'), 'import:test', '2026-11-01T00:00:00Z');
    await mapped(rt);
    const { name, input } = runRequest('behaviour-monitoring', 'kowloon-co', new Date('2026-11-30T09:00:00Z'));
    const output = (await executeWorkflow(rt, 'behaviour-monitoring', input)) as MonitorSummary;
    expect(output.status).toBe('failed');
    expect(output.files).toMatchObject([{ platform: 'dingtalk', status: 'failed', name: 'declared audit log 1', error: 'cannot read its path: no such file' }]);
    expect((await rt.runs.get({ orgId: 'kowloon-co', kind: 'behaviour-monitoring', name }))?.error).toMatch(/1 audit-log file could not be read/);
  });

  it('fails the execution through RecordFailure when a step fails, and records why', async () => {
    const rt = await testRuntime();
    const { name, input } = runRequest('behaviour-monitoring', 'no-such-org', new Date('2026-11-30T09:00:00Z'));
    await expect(executeWorkflow(rt, 'behaviour-monitoring', input)).rejects.toMatchObject({ name: 'ExecutionError' });
    const run = await rt.runs.get({ orgId: 'no-such-org', kind: 'behaviour-monitoring', name });
    expect(run?.status).toBe('failed');
    expect(run?.error).toMatch(/NotFoundError: organisation "no-such-org" has not been imported/);
  });
});
