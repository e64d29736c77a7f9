import { z } from 'zod';
import { lambdaHandler } from '../lib/lambda/handler.ts';
import { RunInput } from '../lib/usecases/run-input.ts';
import { startFollowers, startRuns } from '../lib/usecases/runs/start-runs.ts';
import { WORKFLOW_NAMES, type WorkflowName } from '../lib/workflows/declarations.ts';

const StartEvent = z.object({
  workflow: z.enum(WORKFLOW_NAMES as [WorkflowName, ...WorkflowName[]], { error: `is not a known workflow (${WORKFLOW_NAMES.join(', ')})` }),
  orgId: z.string().min(1).optional(),
  /** For a catch-up run; a schedule tick leaves it out and the run is for now. */
  now: z.iso.datetime({ offset: true }).optional(),
});

/** The schedules' (and later the API's) starter. */
export const handler = lambdaHandler(StartEvent, (rt, event) =>
  startRuns(rt, rt.starter, { workflow: event.workflow, ...(event.orgId ? { orgId: event.orgId } : {}), now: event.now ? new Date(event.now) : rt.clock() }),
);

/** A workflow's last step: starts what follows it, under its period. */
export const after = lambdaHandler(RunInput, (rt, event) => startFollowers(rt, event));
