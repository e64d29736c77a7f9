// A run recorded as failed while its execution succeeds (mail not delivered) is logged as
// a metric in CloudWatch's embedded metric format, which the deployed alarms watch.
import { describe, expect, it } from 'vitest';
import { failedRunMetric } from '../lib/lambda/handler.ts';
import { FAILED_RUN_METRIC } from '../lib/workflows/declarations.ts';

/** What every report step's event carries besides: the organisation its run is of. */
const ORG = { orgId: 'kowloon-co' };

describe('the failed-run metric', () => {
  it("names the table and the run's workflow, in the embedded metric format", () => {
    const line = failedRunMetric({ orgId: 'kowloon-co', runName: 'evidence-sweep-kowloon-co-2026-11-30' }, { runName: 'evidence-sweep-kowloon-co-2026-11-30', status: 'failed', noticesFailed: 2 }, 'compliance-prod');
    const logged = JSON.parse(line ?? 'null');
    expect(logged).toMatchObject({ Table: 'compliance-prod', Workflow: 'evidence-sweep', [FAILED_RUN_METRIC.name]: 1, runName: 'evidence-sweep-kowloon-co-2026-11-30' });
    expect(logged._aws.CloudWatchMetrics).toEqual([{ Namespace: FAILED_RUN_METRIC.namespace, Dimensions: [['Table', 'Workflow']], Metrics: [{ Name: FAILED_RUN_METRIC.name, Unit: 'Count' }] }]);
    expect(Number.isInteger(logged._aws.Timestamp)).toBe(true);
    // the review's and monitoring's report steps too
    expect(JSON.parse(failedRunMetric(ORG, { runName: 'quarterly-review-kowloon-co-2026-Q4', status: 'failed' }) ?? 'null').Workflow).toBe('quarterly-review');
    expect(JSON.parse(failedRunMetric(ORG, { runName: 'behaviour-monitoring-kowloon-co-2026-11-30T0115', status: 'failed' }) ?? 'null').Workflow).toBe('behaviour-monitoring');
  });

  it('logs nothing for a run that succeeded, a result that is no run, or a report on its way to a Fail state', () => {
    expect(failedRunMetric(ORG, { runName: 'evidence-sweep-kowloon-co-2026-11-30', status: 'succeeded' })).toBeUndefined();
    expect(failedRunMetric(ORG, { status: 'failed' })).toBeUndefined();
    expect(failedRunMetric(ORG, undefined)).toBeUndefined();
    // RecordFailure hands the execution's error to the report step: ExecutionsFailed alarms on that one
    expect(failedRunMetric({ ...ORG, error: { Error: 'States.Timeout' } }, { runName: 'evidence-sweep-kowloon-co-2026-11-30', status: 'failed' })).toBeUndefined();
  });
});

describe('a report handler', () => {
  it('logs the metric on Lambda only (the local runner calls the same handlers, and its stdout is the CLI output)', async () => {
    const { vi } = await import('vitest');
    const { z } = await import('zod');
    const { lambdaHandler } = await import('../lib/lambda/handler.ts');
    const handler = lambdaHandler(z.object({ orgId: z.string(), runName: z.string() }), async (_rt, event) => ({ runName: event.runName, status: 'failed' as const }));
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      const event = { ...ORG, runName: 'evidence-sweep-kowloon-co-2026-11-30' };
      await handler(event, {} as never);
      expect(log).not.toHaveBeenCalled();
      vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', 'compliance-prod-sweepReport');
      await handler(event, {} as never);
      expect(log).toHaveBeenCalledTimes(1);
      expect(JSON.parse(String(log.mock.calls[0]?.[0])).Workflow).toBe('evidence-sweep');
    } finally {
      log.mockRestore();
      vi.unstubAllEnvs();
    }
  });
});
