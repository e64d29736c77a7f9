// What can be known before a run starts, checked by both doors a person or a program
// starts one through (the CLI's workflow commands and POST /v1/runs), so that a run
// that could only fail is refused there: nothing started, nothing recorded, exit 2 or
// a 4xx naming the field. The workflows keep their own checks, which guard the
// scheduled runs (and a data map removed between this check and the run).
import { isRealDate } from '../../domain/dates.ts';
import { localDate, notUnderWay } from '../../domain/review/quarter.ts';
import { ConflictError, InputError, NotFoundError } from '../../errors.ts';
import { periodOf, workflow, type WorkflowName } from '../../workflows/declarations.ts';
import type { Ports } from '../ports.ts';
import { RUN_PERIODS } from '../run-input.ts';

/** How the door names what it was given, for its errors: `body.period` and `body.workflow` on the API. */
export interface StartFields {
  period: string;
  workflow: string;
}

export interface StartCheck {
  /** The organisation's time zone, for a workflow whose period is the organisation's (its run is named in it). */
  timeZone?: string;
}

/** A period written as the workflow's kind is (a real day where it holds one). */
function checkPeriod(name: WorkflowName, period: string, field: string): void {
  const declared = workflow(name);
  const { pattern, example, day } = RUN_PERIODS[declared.period];
  const what = `${/^[aeiou]/.test(name) ? 'an' : 'a'} ${name} run is for a ${declared.period}, written like ${example}`;
  if (!pattern.test(period)) throw new InputError(`${field}: ${what}`);
  // A run named for a day that never comes must not start.
  if (day && !isRealDate(day(period))) throw new InputError(`${field}: must be a real date (${what})`);
}

/**
 * Why a run cannot start now for `period`, of a workflow other than the review (whose
 * quarter must be under way: notUnderWay): a period that is not the one under way. These
 * runs work as of the moment they start (a scan reads the sources as they are now, a sweep
 * judges evidence as of today), so a run named for a period that has ended would be
 * recorded as that period's while it is of today (evidence-sweep 1999-01-01), and one for
 * a period not yet begun would take the name the schedule will want. Without a period the
 * run is an on-demand one, named for the moment. Judged on the calendar the workflow's
 * runs are named on, by the function that names them (runRequest's periodOf): UTC,
 * unless the period is the organisation's own. A scan's, analysis's, sweep's or
 * monitoring pass's period is a UTC one (the schedules fire in UTC and name their runs
 * so); judged on the organisation's date instead, a scheduler west of UTC would be
 * refused the month the schedule has just started (02:00 UTC on 1 December is still 30
 * November in Los Angeles), and one east of it could take tomorrow's UTC name before the
 * schedule, whose run would then find it taken and not run.
 */
function notCurrent(name: WorkflowName, period: string, now: Date, timeZone: string | undefined): string | undefined {
  const { period: kind } = workflow(name);
  const current = periodOf(kind, now, timeZone);
  if (period === current) return undefined;
  const calendar = `the ${kind} under way is ${current} in ${timeZone ?? 'UTC'}, on whose calendar ${name} runs are named`;
  // Periods of one kind are written to one width, most significant part first: they compare as strings.
  if (period > current) return `${period} has not begun (${calendar}): a run is for a ${kind} that has begun`;
  return `${period} has ended (${calendar}): ${name} runs work as of the moment they start, so one is for the ${kind} under way (leave period out to start one on demand)`;
}

/**
 * Refuses a run started now (`period`: the one named, else the current or an
 * on-demand one) that its workflow would only fail: a period not written for its
 * kind; a quarter's review for a quarter that has ended or not begun where the
 * organisation is (a review opened years ahead would mail every owner now); any
 * other run for a period that is not the one under way (notCurrent); a gap analysis or a monitoring
 * pass with no data map to hold the requirements or the events against.
 */
export async function checkRunStart(
  rt: Pick<Ports, 'organisations' | 'dataMaps'>,
  orgId: string,
  name: WorkflowName,
  period: string | undefined,
  now: Date,
  fields: StartFields,
): Promise<StartCheck> {
  if (period !== undefined) checkPeriod(name, period, fields.period);
  const declared = workflow(name);
  let timeZone: string | undefined;
  if (declared.localPeriod) {
    const org = await rt.organisations.settings(orgId);
    if (!org) throw new NotFoundError(`organisation "${orgId}" has not been imported`);
    timeZone = org.timeZone;
  }
  if (name === 'quarterly-review' && period !== undefined && timeZone) {
    const refused = notUnderWay(period, localDate(now, timeZone), timeZone);
    if (refused) throw new InputError(`${fields.period}: ${refused}`);
  } else if (period !== undefined) {
    const refused = notCurrent(name, period, now, timeZone);
    if (refused) throw new InputError(`${fields.period}: ${refused}`);
  }
  if (name === 'gap-analysis' && !(await rt.dataMaps.latest(orgId))) {
    throw new ConflictError(`${fields.workflow}: no data map of "${orgId}" yet: a data-mapping scan must run first (compliance datamap, or the workflow data-mapping-scan); a gap analysis without one would report a clean bill it cannot know`);
  }
  // A monitoring pass judges events by the groups' tiers and ratings, which only a data map
  // gives; one run before it would move the watermark past events it could not judge, and
  // they would never be examined again.
  if (name === 'behaviour-monitoring' && !(await rt.dataMaps.latest(orgId))) {
    throw new ConflictError(`${fields.workflow}: ${noDataMapForMonitoring(orgId)}`);
  }
  return timeZone ? { timeZone } : {};
}

/** Why a monitoring pass waits for the organisation's first data map (the start check's and the detect step's words). */
export function noDataMapForMonitoring(orgId: string): string {
  return `no data map of "${orgId}" yet: a data-mapping scan must run first (compliance datamap, or the workflow data-mapping-scan); a monitoring pass without one could not tell which groups are red, and its watermark would move past events it cannot judge (they wait, held, for the first pass after the scan)`;
}
