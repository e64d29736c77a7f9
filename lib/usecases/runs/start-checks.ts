// What can be known before a run starts, checked by both doors a person or a program
// starts one through (the CLI's workflow commands and POST /v1/runs), so that a run
// that could only fail is refused there: nothing started, nothing recorded, exit 2 or
// a 4xx naming the field. The workflows keep their own checks, which guard the
// scheduled runs (and a data map removed between this check and the run).
import { isRealDate } from '../../domain/dates.ts';
import { localDate, notUnderWay } from '../../domain/review/quarter.ts';
import { ConflictError, InputError, NotFoundError } from '../../errors.ts';
import { workflow, type PeriodKind, type WorkflowName } from '../../workflows/declarations.ts';
import type { Ports } from '../ports.ts';

/** Each kind's shape; `dated`: it starts with a day, which must be a real one (the pattern lets 2026-02-31 through). */
const PERIOD_PATTERNS: Record<PeriodKind, { pattern: RegExp; example: string; dated?: true }> = {
  'quarter-hour': { pattern: /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3])(00|15|30|45)$/, example: '2026-11-30T0915', dated: true },
  day: { pattern: /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, example: '2026-11-30', dated: true },
  month: { pattern: /^\d{4}-(0[1-9]|1[0-2])$/, example: '2026-11' },
  quarter: { pattern: /^\d{4}-Q[1-4]$/, example: '2026-Q4' },
};

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
  const { pattern, example, dated } = PERIOD_PATTERNS[declared.period];
  const what = `${/^[aeiou]/.test(name) ? 'an' : 'a'} ${name} run is for a ${declared.period}, written like ${example}`;
  if (!pattern.test(period)) throw new InputError(`${field}: ${what}`);
  // A run named for a day that never comes must not start.
  if (dated && !isRealDate(period.slice(0, 10))) throw new InputError(`${field}: must be a real date (${what})`);
}

/**
 * Refuses a run started now (`period`: the one named, else the current or an
 * on-demand one) that its workflow would only fail: a period not written for its
 * kind; a quarter's review for a quarter that has ended or not begun where the
 * organisation is (a review opened years ahead would mail every owner now); a gap
 * analysis with no data map to hold the requirements against.
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
  }
  if (name === 'gap-analysis' && !(await rt.dataMaps.latest(orgId))) {
    throw new ConflictError(`${fields.workflow}: no data map of "${orgId}" yet: a data-mapping scan must run first (compliance datamap, or the workflow data-mapping-scan); a gap analysis without one would report a clean bill it cannot know`);
  }
  return timeZone ? { timeZone } : {};
}
