import { z } from 'zod';
import { lambdaHandler } from '../lib/handler.ts';
import { sfnStarter, startRuns } from '../lib/workflows/starter.ts';
import { isWorkflowName } from '../lib/workflows/catalogue.ts';

const StartEvent = z.object({
  workflow: z.string().refine(isWorkflowName, 'is not a known workflow (evidence-sweep)'),
  orgId: z.string().min(1).optional(),
  /** For a catch-up run; a schedule tick leaves it out and the run is for now. */
  now: z.iso.datetime({ offset: true }).optional(),
});

const starter = sfnStarter();

export const handler = lambdaHandler(StartEvent, (rt, event) => {
  const arn = process.env.EVIDENCE_SWEEP_ARN;
  if (!arn) throw new Error('EVIDENCE_SWEEP_ARN is not set');
  return startRuns(rt, starter, arn, { workflow: event.workflow as 'evidence-sweep', ...(event.orgId ? { orgId: event.orgId } : {}), now: event.now ? new Date(event.now) : rt.clock() });
});
