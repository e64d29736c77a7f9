// What every workflow step is handed: the organisation, the run's name and the
// moment the run is for. Checked at the Lambda edge.
import { z } from 'zod';
import { Role } from '../domain/access/principal.ts';
import { isRealDate } from '../domain/dates.ts';
import { isQuarter } from '../domain/review/quarter.ts';
import { workflow as workflowOf, type PeriodKind, type WorkflowName } from '../workflows/declarations.ts';

const DAY = '\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])';
const TIME = '([01]\\d|2[0-3])[0-5]\\d[0-5]\\d';

/**
 * How each kind's period is written in a run's name (runRequest): as the schedule names
 * it, and as a person's direct command does (onDemandPeriodOf: the moment to the
 * second); `day`: the real day it starts with, where it holds one (the patterns let
 * 2026-02-31 through).
 */
export const RUN_PERIODS: Record<PeriodKind, { pattern: RegExp; example: string; onDemand: RegExp; onDemandExample: string; day?: (period: string) => string }> = {
  'quarter-hour': {
    pattern: new RegExp(`^${DAY}T([01]\\d|2[0-3])(00|15|30|45)$`),
    example: '2026-11-30T0915',
    onDemand: new RegExp(`^${DAY}T${TIME}$`),
    onDemandExample: '2026-11-30T093015',
    day: (p) => p.slice(0, 10),
  },
  day: { pattern: new RegExp(`^${DAY}$`), example: '2026-11-30', onDemand: new RegExp(`^${DAY}T${TIME}$`), onDemandExample: '2026-11-30T093015', day: (p) => p.slice(0, 10) },
  // A month's on-demand run is named with its day too (2026-11 + -30T093015).
  month: { pattern: /^\d{4}-(0[1-9]|1[0-2])$/, example: '2026-11', onDemand: new RegExp(`^${DAY}T${TIME}$`), onDemandExample: '2026-11-30T093015' },
  quarter: {
    pattern: /^\d{4}-Q[1-4]$/,
    example: '2026-Q4',
    onDemand: new RegExp(`^\\d{4}-Q[1-4]-(0[1-9]|1[0-2])(0[1-9]|[12]\\d|3[01])T${TIME}$`),
    onDemandExample: '2026-Q4-1130T093015',
  },
};

/** A month's and a quarter's on-demand runs hold a day too: 2026-11-30T093015, 2026-Q4-1130T093015. */
function onDemandDay(period: string): string {
  return /^\d{4}-Q/.test(period) ? `${period.slice(0, 4)}-${period.slice(8, 10)}-${period.slice(10, 12)}` : period.slice(0, 10);
}

/**
 * Why `runName` is not a run of `workflow` for `orgId` as runRequest names them
 * (`<workflow>-<org>-<period>`, the period written for the workflow's kind: as scheduled,
 * or, unless the period is the organisation's own, on demand), or undefined.
 */
export function runNameProblem(workflow: WorkflowName, runName: string, orgId: string): string | undefined {
  const prefix = `${workflow}-${orgId}-`;
  if (!runName.startsWith(prefix)) return `"${runName}" is not a ${workflow} run of ${orgId}: its name must be ${prefix}<period>`;
  const declared = workflowOf(workflow);
  const period = runName.slice(prefix.length);
  const { pattern, example, onDemand, onDemandExample, day } = RUN_PERIODS[declared.period];
  // A quarter the review holds runs from 1970 (isQuarter); the pattern alone lets 0001-Q1 through.
  const asScheduled = pattern.test(period) && (!day || isRealDate(day(period))) && (declared.period !== 'quarter' || isQuarter(period));
  // A period of the organisation's own (the review's quarter) is named the same however the run is started.
  const asOnDemand = !declared.localPeriod && onDemand.test(period) && isRealDate(onDemandDay(period));
  if (asScheduled || asOnDemand) return undefined;
  const forms = declared.localPeriod ? `written like ${example}` : `written like ${example}, or for a run started on demand like ${onDemandExample}`;
  return `"${runName}" does not end with a ${workflow} period: "${period}" is not a real ${declared.period} ${forms}`;
}

/** Step Functions' execution names. */
const EXECUTION_NAME = /^[A-Za-z0-9_-]{1,80}$/;

/** Who started a run through the API: the token's person and role (the schedule and the CLI name no one). */
const StartedBy = z.strictObject({ person: z.string().min(1).max(128), role: Role });

export const RunInput = z.object({
  orgId: z.string().min(1),
  runName: z.string().regex(EXECUTION_NAME, 'must be 1-80 letters, digits, "_" or "-"'),
  /** The run's date and time (ISO-8601); date rules use its date in the organisation's time zone (Hong Kong: 17:00Z is already the next day). */
  now: z.iso.datetime({ offset: true, error: 'must be an ISO-8601 date-time' }),
  /** Read by the first step, which records the run as begun by them (runs.begin). */
  startedBy: StartedBy.optional(),
});
export type RunInput = z.infer<typeof RunInput>;

/**
 * The input of the first step of a workflow that reads its run's name (the review its
 * quarter, the scan the period its gap analysis is started under): RunInput with the
 * name checked as runNameProblem does, so a name made by hand is refused at the edge,
 * naming runName, before the run is recorded or anything written (unchecked, the review
 * would record the run and then fail on its name, and the scan would read every source
 * before its store step refused it).
 */
export function runInputOf(workflow: WorkflowName) {
  return RunInput.superRefine((input, ctx) => {
    // A name the field refused already is not told twice.
    if (!EXECUTION_NAME.test(input.runName)) return;
    const problem = runNameProblem(workflow, input.runName, input.orgId);
    if (problem) ctx.addIssue({ code: 'custom', path: ['runName'], message: problem });
  });
}
