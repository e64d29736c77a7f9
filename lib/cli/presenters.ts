// What the command line prints of each workflow's run, its options beyond --org, and
// whether the run failed (exit 1). One entry per declared workflow: the compiler asks
// for a new workflow's.
import { Argument, Option } from 'commander';
import { parseQuarter } from './review-commands.ts';
import { formatOpening, formatReview, reviewCsv } from './review-output.ts';
import type { LocalRunResult } from '../adapters/local/workflow-runner.ts';
import { Framework, SEVERITIES, type Severity } from '../domain/gaps/gap.ts';
import type { SweepSummary } from '../usecases/sweep/report.ts';
import type { MonitorSummary } from '../usecases/monitoring/run.ts';
import type { WorkflowName } from '../workflows/declarations.ts';
import { formatAnalysis, gapsCsv, filterGaps, type GapFilter } from './gaps-output.ts';
import { formatDataMap, formatSweep } from './output.ts';
import type { Session } from './session.ts';
import { localMoment } from '../domain/local-time.ts';

export interface Presented {
  human: string;
  /** What --format json prints (default: the run's result). */
  data?: unknown;
  /** What --format csv prints, where the command offers it. */
  csv?: string;
  failed: boolean;
}

interface WorkflowCli {
  options?: () => Option[];
  /** A positional argument naming the run's period (the review's quarter), checked before anything starts. */
  period?: { argument: () => Argument; parse: (value: string) => string };
  present(session: Session, orgId: string, result: LocalRunResult, opts: Record<string, unknown>): Promise<Presented>;
}

/**
 * The first line of a gap analysis that already ran: when it finished, where the
 * organisation is, and what it changed then. One that started at or after `since` (the
 * `run` cycle's start) is the data-mapping scan's follow-on in the same cycle, and said so.
 */
function analysedBefore(result: Extract<LocalRunResult, { status: 'already-ran' }>, timeZone: string, since: string | undefined): string {
  const c = result.run.summary?.changes as { opened: number; closed: number; reopened: number } | undefined;
  const changes = c ? `it opened ${c.opened}, closed ${c.closed} and reopened ${c.reopened}` : undefined;
  if (since !== undefined && result.run.startedAt !== undefined && result.run.startedAt >= since) {
    return `Gap analysis ${result.name}, started by the data-mapping scan${changes ? `: ${changes}` : ''}.`;
  }
  const finished = localMoment(result.run.finishedAt, timeZone);
  return `Gap analysis ${result.name} already ran (finished ${finished}${changes ? `; ${changes} then` : ''}). Nothing analysed now.`;
}

export const WORKFLOW_CLI: Record<WorkflowName, WorkflowCli> = {
  'data-mapping-scan': {
    present: async (session, orgId, result) => ({ human: formatDataMap(result, (await session.rt.organisations.settings(orgId))?.timeZone), failed: false }),
  },
  'gap-analysis': {
    options: () => [
      new Option('--status <status>', 'which gaps to list').choices(['open', 'closed', 'accepted', 'all']).default('open'),
      new Option('--severity <severity>', 'only gaps of this severity').choices(SEVERITIES),
      new Option('--framework <framework>', 'only gaps against this framework').choices(Framework.options),
    ],
    // Whether it ran now or earlier in the period, what is shown is the latest analysis and the gaps as they stand.
    present: async (session, orgId, result, opts) => {
      const [analysis, gaps, org] = await Promise.all([session.rt.gaps.latestAnalysis(orgId), session.rt.gaps.all(orgId), session.rt.organisations.settings(orgId)]);
      if (!analysis) throw new Error(`no gap analysis of "${orgId}" is on record`);
      const filter: GapFilter = { status: (opts.status as GapFilter['status']) ?? 'open', ...(opts.severity ? { severity: opts.severity as Severity } : {}), ...(opts.framework ? { framework: opts.framework as Framework } : {}) };
      const timeZone = org?.timeZone ?? 'Asia/Hong_Kong';
      // A run that already ran changed nothing now: it says so, with what it did then, in place of the latest analysis's changes.
      const headline = result.status === 'already-ran' ? analysedBefore(result, timeZone, opts.cycleSince as string | undefined) : undefined;
      return {
        human: formatAnalysis(analysis, gaps, filter, timeZone, opts.brief === true, headline),
        data: { analysis, gaps: filterGaps(gaps, filter) },
        csv: gapsCsv(gaps, filter, timeZone),
        failed: false,
      };
    },
  },
  'quarterly-review': {
    period: {
      argument: () => new Argument('[quarter]', "the quarter, written YYYY-Qn (default: the current one in the organisation's time zone)"),
      parse: parseQuarter,
    },
    // Whether opened now or before, what is shown is the review as it stands.
    present: async (session, orgId, result, opts) => {
      const { showReview } = await import('../usecases/review/show.ts');
      const { quarterOfRun } = await import('../usecases/review/open.ts');
      const quarter = quarterOfRun({ orgId, runName: result.name, now: session.now.toISOString() });
      const [view, org] = await Promise.all([showReview(session.rt, orgId, quarter, session.now), session.rt.organisations.settings(orgId)]);
      const opened = formatOpening(result, org?.timeZone ?? 'UTC');
      return { human: `${opened}\n${formatReview(view, opts.brief === true)}`, data: view, csv: reviewCsv(view), failed: result.status === 'completed' && (result.output as { status: string }).status === 'failed' };
    },
  },
  'behaviour-monitoring': {
    // The alerts this run raised, as they stand now.
    present: async (session, orgId, result) => {
      const { formatMonitor } = await import('./monitoring-output.ts');
      const summary = result.status === 'completed' ? (result.output as MonitorSummary) : undefined;
      const ids = summary?.alertsRaised ?? [];
      const [org, alerts] = await Promise.all([session.rt.organisations.load(orgId), Promise.all(ids.map((id) => session.rt.alerts.get(orgId, id)))]);
      const raised = alerts.filter((a): a is NonNullable<typeof a> => a !== undefined);
      return { human: formatMonitor(result, org, raised, session.outboxDir), data: summary ? { ...summary, alerts: raised } : result, failed: summary?.status === 'failed' };
    },
  },
  'evidence-sweep': {
    present: async (session, orgId, result) => {
      const summary = result.status === 'completed' ? (result.output as SweepSummary) : undefined;
      const org = await session.rt.organisations.load(orgId);
      return { human: formatSweep(result, org, session.outboxDir), failed: !!summary && (summary.noticesFailed > 0 || summary.status === 'failed') };
    },
  },
};
