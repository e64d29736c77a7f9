// Behaviour monitoring's commands beside `monitor` (a workflow, see presenters.ts):
// `events import` (then a monitoring run on what arrived) and `alerts list|ack|resolve|stats`.
import { Option, type Command } from 'commander';
import type { AlertStatus } from '../domain/monitoring/alert.ts';
import { DISPOSITIONS, type Disposition } from '../domain/vocabulary.ts';
import { DependencyError, rethrowFieldAs } from '../errors.ts';
import { parseQuarter } from './review-commands.ts';
import type { GlobalOptions, Session } from './session.ts';

export interface MonitoringCli {
  withSession<T>(options: GlobalOptions, fn: (session: Session) => Promise<T>): Promise<T>;
  resolveOrg(session: Session, orgId: string | undefined): Promise<string>;
  print(options: GlobalOptions, human: string, data: unknown, csv?: string): void;
  commandGroup(program: Command, name: string, description?: string): Command;
}

/** What the commands print, loaded when one runs. */
const output = () => import('./monitoring-output.ts');

/** A monitoring run now (a person's own, named after the moment), as `compliance monitor` runs it. */
async function monitorNow(session: Session, orgId: string): Promise<{ human: string; data: unknown; failed: boolean }> {
  const { startLocalRun } = await import('../adapters/local/workflow-runner.ts');
  const { runRequest } = await import('../workflows/declarations.ts');
  let result;
  try {
    result = await startLocalRun(session.rt, 'behaviour-monitoring', orgId, session.now, { onDemand: true });
  } catch (error) {
    const run = await session.rt.runs.get({ orgId, kind: 'behaviour-monitoring', name: runRequest('behaviour-monitoring', orgId, session.now, { onDemand: true }).name });
    if (run?.status === 'failed') throw new DependencyError(`Behaviour monitoring ${run.name} failed: ${run.error ?? 'no reason recorded'}`, { cause: error });
    throw error;
  }
  const { WORKFLOW_CLI } = await import('./presenters.ts');
  const presented = await WORKFLOW_CLI['behaviour-monitoring'].present(session, orgId, result, {});
  const human = result.status === 'already-ran' ? `${presented.human} The events just imported wait for the next run (give --now a later time to run one now).` : presented.human;
  return { human, data: presented.data ?? result, failed: presented.failed };
}

export function addMonitoringCommands(program: Command, cli: MonitoringCli): void {
  const orgOption = () => new Option('--org <id>', 'organisation (default: the only one imported)');

  const events = cli.commandGroup(program, 'events', 'platform audit-log events, for behaviour monitoring');
  events
    .command('import')
    .description("import a platform's audit-log export (the project's CSV, a DingTalk-style export, Slack audit-log JSON, Microsoft 365's unified audit log, or any table with --mapping), then run behaviour monitoring on what arrived")
    .argument('<file>', 'the export: .csv, .tsv, .txt, .json, .jsonl or .xlsx')
    .requiredOption('--platform <id>', 'the platform it comes from, as the organisation file declares it')
    .option('--mapping <file>', 'a YAML mapping for a table in no known layout: columns { time, user, action, object, group?, target?, ip? }, actions, timeZone')
    .option('--no-monitor', 'import only; the next monitoring run examines the events')
    .addOption(orgOption())
    .action(async (file: string, opts: { platform: string; mapping?: string; monitor: boolean; org?: string }, cmd: Command) => {
      const options = cmd.optsWithGlobals() as GlobalOptions;
      // The file and the mapping are checked before anything starts: a file that is not what
      // its extension says, or in no known layout without a mapping, is refused here.
      const { openAuditLogFile } = await import('../adapters/events/audit-log-files.ts');
      const { readMappingFile } = await import('../adapters/files/org-file-reader.ts');
      const { jsonLayout, tableLayout } = await import('../domain/monitoring/layouts.ts');
      const mapping = opts.mapping ? readMappingFile(opts.mapping) : undefined;
      const log = await openAuditLogFile(file);
      if (log.sample.kind === 'table') tableLayout(log.sample.header, { timeZone: 'UTC', ...(mapping ? { mapping } : {}) });
      else jsonLayout(log.sample.first);
      await cli.withSession(options, async (session) => {
        const orgId = await cli.resolveOrg(session, opts.org);
        const { importAuditLog } = await import('../usecases/monitoring/import-events.ts');
        const { noDataMapForMonitoring } = await import('../usecases/runs/start-checks.ts');
        const summary = await importAuditLog(session.rt, { orgId, platform: opts.platform, file: log, mapping, actor: 'cli:events-import', now: session.now });
        const timeZone = (await session.rt.organisations.settings(orgId))?.timeZone ?? 'UTC';
        const human = [(await output()).formatEventImport(summary, timeZone)];
        const data: Record<string, unknown> = { import: summary };
        // Before the first data map a pass could not judge the events (checkRunStart refuses
        // `monitor` then): they are held, and the first pass after the scan examines them.
        const mapped = opts.monitor && summary.status === 'imported' ? await session.rt.dataMaps.latest(orgId) : undefined;
        if (opts.monitor && summary.status === 'imported' && !mapped) {
          human.push(`No monitoring run now: ${noDataMapForMonitoring(orgId)}.`);
          data.monitoring = { skipped: 'no-data-map' };
        } else if (opts.monitor && summary.status === 'imported') {
          const ran = await monitorNow(session, orgId);
          human.push(ran.human);
          data.monitoring = ran.data;
          if (ran.failed) process.exitCode = 1;
        }
        cli.print(options, human.join('\n'), data);
      });
    });

  const alerts = cli.commandGroup(program, 'alerts', 'behaviour-monitoring alerts: list them, acknowledge one, resolve one, and how fast they were handled');
  alerts
    .command('list')
    .description('alerts not yet resolved (open and acknowledged), newest first, or those of one status')
    .addOption(new Option('--status <status>', 'only alerts of this status').choices(['open', 'acknowledged', 'resolved']))
    .addOption(orgOption())
    .action(async (opts: { status?: AlertStatus; org?: string }, cmd: Command) => {
      const options = cmd.optsWithGlobals() as GlobalOptions;
      await cli.withSession(options, async (session) => {
        const { listAlerts } = await import('../usecases/monitoring/alerts.ts');
        const orgId = await cli.resolveOrg(session, opts.org);
        const [list, org] = await Promise.all([listAlerts(session.rt, orgId, opts.status), session.rt.organisations.settings(orgId)]);
        cli.print(options, (await output()).formatAlerts(list, org?.timeZone ?? 'UTC', opts.status ?? 'unresolved'), list);
      });
    });

  alerts
    .command('ack')
    .description('acknowledge an alert: you are looking into it (the time to acknowledge counts from when it was raised)')
    .argument('<id>', 'the alert, e.g. 20261124-3f9c2a1b')
    .requiredOption('--as <person>', "who acknowledges it: one of its recipients, the security contact or the compliance contact")
    .option('--comment <text>', 'what is being done')
    .addOption(orgOption())
    .action(async (id: string, opts: { as: string; comment?: string; org?: string }, cmd: Command) => {
      const options = cmd.optsWithGlobals() as GlobalOptions;
      await cli.withSession(options, async (session) => {
        const { acknowledgeAlert } = await import('../usecases/monitoring/alerts.ts');
        const orgId = await cli.resolveOrg(session, opts.org);
        const a = await acknowledgeAlert(session.rt, { orgId, id, as: opts.as, now: session.now, ...(opts.comment !== undefined ? { comment: opts.comment } : {}) });
        cli.print(options, `Acknowledged ${a.id} as ${opts.as}, ${minutesSince(a.at, a.acknowledgedAt!)} after it was raised.`, a);
      });
    });

  alerts
    .command('resolve')
    .description('resolve an alert with what it turned out to be')
    .argument('<id>', 'the alert, e.g. 20261124-3f9c2a1b')
    .requiredOption('--as <person>', "who resolves it: one of its recipients, the security contact or the compliance contact")
    .addOption(new Option('--disposition <disposition>', 'what it was').choices(DISPOSITIONS).makeOptionMandatory())
    .option('--comment <text>', 'what was found and done')
    .addOption(orgOption())
    .action(async (id: string, opts: { as: string; disposition: Disposition; comment?: string; org?: string }, cmd: Command) => {
      const options = cmd.optsWithGlobals() as GlobalOptions;
      await cli.withSession(options, async (session) => {
        const { resolveAlert } = await import('../usecases/monitoring/alerts.ts');
        const orgId = await cli.resolveOrg(session, opts.org);
        const a = await resolveAlert(session.rt, { orgId, id, as: opts.as, disposition: opts.disposition, now: session.now, ...(opts.comment !== undefined ? { comment: opts.comment } : {}) });
        cli.print(options, `Resolved ${a.id} as ${a.disposition} (by ${opts.as}), ${minutesSince(a.at, a.resolvedAt!)} after it was raised.`, a);
      });
    });

  alerts
    .command('stats')
    .description("a quarter's figures: median and 90th percentile time to acknowledge and to resolve, alerts by rule, severity and disposition, and what monitoring examined")
    .option('--period <quarter>', "the quarter, written YYYY-Qn (default: the current one in the organisation's time zone)")
    .addOption(orgOption())
    .action(async (opts: { period?: string; org?: string }, cmd: Command) => {
      const options = cmd.optsWithGlobals() as GlobalOptions;
      const named = opts.period === undefined ? undefined : parseQuarter(opts.period, '--period');
      await cli.withSession(options, async (session) => {
        const { quarterStats } = await import('../usecases/monitoring/alerts.ts');
        const orgId = await cli.resolveOrg(session, opts.org);
        // The use case names the field "period:" whoever asked; here it is the option.
        const stats = await quarterStats(session.rt, orgId, named, session.now).catch((error: unknown) => rethrowFieldAs(error, '--', /^period: /));
        cli.print(options, (await output()).formatStats(stats), stats);
      });
    });
}

/** `42 min`, `3 h 5 min`, `2 d 4 h`. */
function minutesSince(from: string, to: string): string {
  const minutes = Math.round((Date.parse(to) - Date.parse(from)) / 60_000);
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 24 * 60) return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
  return `${Math.floor(minutes / 1440)} d ${Math.floor((minutes % 1440) / 60)} h`;
}
