import { z } from 'zod';
import { lambdaHandler } from '../lib/lambda/handler.ts';
import { sfnStarter, startRuns } from '../lib/adapters/aws/sfn-starter.ts';
import { isWorkflowName, type WorkflowName } from '../lib/workflows/catalogue.ts';

const StartEvent = z.object({
  workflow: z.string().refine(isWorkflowName, 'is not a known workflow (evidence-sweep, data-mapping-scan)'),
  orgId: z.string().min(1).optional(),
  /** For a catch-up run; a schedule tick leaves it out and the run is for now. */
  now: z.iso.datetime({ offset: true }).optional(),
});

const starter = sfnStarter();

/** Each workflow's state machine, from the environment serverless.yml sets. */
const ARN_VARIABLE: Record<WorkflowName, string> = { 'evidence-sweep': 'EVIDENCE_SWEEP_ARN', 'data-mapping-scan': 'DATA_MAPPING_SCAN_ARN' };

export const handler = lambdaHandler(StartEvent, (rt, event) => {
  const workflow = event.workflow as WorkflowName;
  const arn = process.env[ARN_VARIABLE[workflow]];
  if (!arn) throw new Error(`${ARN_VARIABLE[workflow]} is not set`);
  return startRuns(rt, starter, arn, { workflow, ...(event.orgId ? { orgId: event.orgId } : {}), now: event.now ? new Date(event.now) : rt.clock() });
});
