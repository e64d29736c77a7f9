import { z } from 'zod';
import { readConfig } from '../lib/config.ts';
import { lambdaHandler } from '../lib/lambda/handler.ts';
import { sfnStarter } from '../lib/adapters/aws/sfn-starter.ts';
import { startRuns } from '../lib/usecases/runs/start-runs.ts';
import { WORKFLOW_NAMES } from '../lib/workflows/declarations.ts';

const StartEvent = z.object({
  workflow: z.enum(WORKFLOW_NAMES as [string, ...string[]], { error: `is not a known workflow (${WORKFLOW_NAMES.join(', ')})` }),
  orgId: z.string().min(1).optional(),
  /** For a catch-up run; a schedule tick leaves it out and the run is for now. */
  now: z.iso.datetime({ offset: true }).optional(),
});

const starter = sfnStarter(readConfig().stateMachineArns);

export const handler = lambdaHandler(StartEvent, (rt, event) =>
  startRuns(rt, starter, { workflow: event.workflow as (typeof WORKFLOW_NAMES)[number], ...(event.orgId ? { orgId: event.orgId } : {}), now: event.now ? new Date(event.now) : rt.clock() }),
);
