// The one way a Lambda handler is built: middy, the event parsed by a zod schema
// at the edge (a bad event fails with the field and the reason, before any
// work), then one lib/ function with the runtime.
import middy from '@middy/core';
import type { z } from 'zod';
import { InputError } from '../errors.ts';
import { runtime, type Runtime } from '../runtime.ts';
import { FAILED_RUN_METRIC, workflowOfRun } from '../workflows/declarations.ts';

export class EventError extends InputError {}

export function parseEvent<S extends z.ZodType>(schema: S, event: unknown): z.infer<S> {
  const result = schema.safeParse(event);
  if (result.success) return result.data;
  throw new EventError(
    `invalid event: ${result.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(event)'}: ${i.message}`).join('; ')}`,
  );
}

/** A middleware that replaces the raw event with the parsed one. */
function validateEvent<S extends z.ZodType>(schema: S): middy.MiddlewareObj<unknown> {
  return {
    before: (request) => {
      request.event = parseEvent(schema, request.event);
    },
  };
}

/**
 * A report step's result that records its run as failed though the execution goes on to
 * succeed (mail not delivered): logged as FAILED_RUN_METRIC in CloudWatch's embedded
 * metric format, so an alarm sees it. A report given the execution's own error is on the
 * way to a Fail state, which the ExecutionsFailed alarm sees already.
 */
export function failedRunMetric(event: unknown, result: unknown, table = process.env.COMPLIANCE_TABLE ?? ''): string | undefined {
  const r = result as { status?: unknown; runName?: unknown } | null;
  if (typeof r !== 'object' || r === null || r.status !== 'failed' || typeof r.runName !== 'string') return undefined;
  const { error, orgId } = (event ?? {}) as { error?: unknown; orgId?: unknown };
  if (error !== undefined || typeof orgId !== 'string') return undefined;
  const runName = r.runName;
  const workflow = workflowOfRun(runName, orgId)?.name;
  if (!workflow) return undefined;
  const { namespace, name } = FAILED_RUN_METRIC;
  return JSON.stringify({
    _aws: { Timestamp: Date.now(), CloudWatchMetrics: [{ Namespace: namespace, Dimensions: [['Table', 'Workflow']], Metrics: [{ Name: name, Unit: 'Count' }] }] },
    Table: table,
    Workflow: workflow,
    [name]: 1,
    runName,
  });
}

export function lambdaHandler<S extends z.ZodType, R>(schema: S, fn: (rt: Runtime, event: z.infer<S>) => Promise<R>) {
  return middy<unknown, R>()
    .use(validateEvent(schema))
    .handler(async (event) => {
      const result = await fn(runtime(), event as z.infer<S>);
      // On Lambda only: the local runner calls these handlers too, and its stdout is the CLI's.
      const metric = process.env.AWS_LAMBDA_FUNCTION_NAME ? failedRunMetric(event, result) : undefined;
      if (metric) console.log(metric);
      return result;
    });
}
