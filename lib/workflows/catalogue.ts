// The workflows this product runs, and how each names its runs and its input.
import { today } from '../domain/dates.ts';
import { runName } from '../adapters/dynamodb/run-store.ts';

export const WORKFLOWS = {
  'evidence-sweep': {
    file: 'evidence-sweep.asl.json',
    /** Daily: one run per organisation per UTC day. */
    period: (now: Date) => today(now),
  },
  'data-mapping-scan': {
    file: 'data-mapping-scan.asl.json',
    /** Monthly: one run per organisation per UTC month. */
    period: (now: Date) => today(now).slice(0, 7),
  },
} as const;

export type WorkflowName = keyof typeof WORKFLOWS;

export function isWorkflowName(value: string): value is WorkflowName {
  return Object.hasOwn(WORKFLOWS, value);
}

/** The execution name and input for a workflow, organisation and moment. */
export function runRequest(workflow: WorkflowName, orgId: string, now: Date) {
  const name = runName(workflow, orgId, WORKFLOWS[workflow].period(now));
  return { name, input: { orgId, runName: name, now: now.toISOString() } };
}
