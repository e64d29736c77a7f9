// The `compliance` command line's commands (main.mjs is its entry). Exit codes: 0 done, 1 failure, 2 usage or input error.
// Start: only what builds the commands is imported here (commander, the workflow
// declarations, the review commands and the evidence statuses they share); each
// command loads the rest when it runs, and the modules that give a command its option
// choices or arguments (the catalogues, a workflow's presenter) load when that command
// is the one given (or its help asked for), so that --help and a scan start quickly.
import { Argument, Command, CommanderError, Option } from 'commander';
import { DependencyError, errorOutcome, NotFoundError, UsageError } from '../errors.ts';
import type { CatalogueName } from '../domain/catalogues/catalogues.ts';
import { EVIDENCE_STATUSES, type EvidenceStatusName } from '../domain/vocabulary.ts';
import { cycle, workflow, type WorkflowName } from '../workflows/declarations.ts';
import type { Presented } from './presenters.ts';
import { addReviewCommands } from './review-commands.ts';
import { addAuditCommands } from './audit-commands.ts';
import { addApiCommands } from './api-commands.ts';
import { addExportCommands } from './export-commands.ts';
import { addMonitoringCommands } from './monitoring-commands.ts';
import { addReportCommand } from './report-command.ts';
import type { GlobalOptions, Session } from './session.ts';
import { handleSignals, interruptedExitCode } from './interrupt.ts';

const readConfig = async () => (await import('../config.ts')).readConfig();
const orgFiles = () => import('../adapters/files/org-file-reader.ts');

/**
 * Setup that needs modules only one command uses, run when that command is the one
 * given (a preSubcommand hook of its parent), before its arguments are parsed or its
 * help is shown.
 */
function whenUsed(command: Command, setup: () => Promise<void>): void {
  const parent = command.parent;
  if (!parent) throw new Error(`${command.name()}: no parent to hook`);
  parent.hook('preSubcommand', async (_parent, sub) => {
    if (sub === command) await setup();
  });
}


function print(options: GlobalOptions, human: string, data: unknown, csv?: string): void {
  if (options.format === 'csv') {
    if (csv === undefined) throw new UsageError('--format csv: this command prints human or json (csv: gaps, soa, review open|close|show)');
    process.stdout.write(csv);
    return;
  }
  process.stdout.write(options.format === 'json' ? `${JSON.stringify(data, null, 2)}\n` : `${human}\n`);
}

// The store, mail and workflow modules are loaded when a command needs them, so that
// commands that need none (catalogue, scan, --help) start quickly.
async function withSession<T>(options: GlobalOptions, fn: (session: Session) => Promise<T>): Promise<T> {
  const { openSession } = await import('./session.ts');
  const session = await openSession(options);
  try {
    return await fn(session);
  } finally {
    await session.close();
  }
}

/**
 * --org, or the only organisation imported. An --org that has not been imported is
 * refused here, before any command starts anything (a run would otherwise be recorded
 * for it, or fail only once under way).
 */
async function resolveOrg(session: Session, orgId: string | undefined): Promise<string> {
  if (orgId) {
    if (!(await session.rt.organisations.settings(orgId))) throw new NotFoundError(`--org: organisation "${orgId}" has not been imported (compliance import ORG.yaml first)`);
    return orgId;
  }
  const ids = await session.rt.organisations.ids();
  if (ids.length === 1 && ids[0]) return ids[0];
  throw new UsageError(ids.length === 0 ? 'no organisation imported yet: run "compliance import FILE" first' : `several organisations imported (${ids.join(', ')}): name one with --org`);
}

async function importFile(session: Session, file: string) {
  const org = (await orgFiles()).readOrgFile(file, session.now); // validates the whole file before anything is written
  const { importOrganisationFile } = await import('../usecases/org/import.ts');
  const { formatImport } = await import('./output.ts');
  const { localDate } = await import('../domain/review/quarter.ts');
  // Evidence this import retires stops counting from the day its dates were checked against (--now's).
  const summary = await importOrganisationFile(session.rt, org, `import:${file}`, undefined, localDate(session.now, org.organisation.timeZone));
  return { summary, human: formatImport(file, summary) };
}

/**
 * Runs one workflow locally for one organisation, and what to print of it. A
 * person's direct command runs now under its own name (`onDemand`); the full cycle
 * is one run per period. A run that fails says why, from its run record (exit 1).
 */
async function runWorkflow(session: Session, name: WorkflowName, orgId: string, given: { onDemand?: boolean; period?: string; timeZone?: string } = {}, opts: Record<string, unknown> = {}) {
  const { startLocalRun } = await import('../adapters/local/workflow-runner.ts');
  const { runRequest } = await import('../workflows/declarations.ts');
  // A period of the organisation's own (the review's quarter) is named in its time zone (read here unless given).
  const timeZone = given.timeZone ?? (workflow(name).localPeriod ? (await session.rt.organisations.settings(orgId))?.timeZone : undefined);
  const how = { ...given, ...(timeZone ? { timeZone } : {}) };
  let result;
  try {
    result = await startLocalRun(session.rt, name, orgId, session.now, how);
  } catch (error) {
    const run = await session.rt.runs.get({ orgId, kind: name, name: runRequest(name, orgId, session.now, how).name });
    if (run?.status === 'failed') throw new DependencyError(`${workflow(name).title} ${run.name} failed: ${run.error ?? 'no reason recorded'}`, { cause: error });
    throw error;
  }
  const { WORKFLOW_CLI } = await import('./presenters.ts');
  const presented: Presented = await WORKFLOW_CLI[name].present(session, orgId, result, opts);
  return { result, ...presented, data: presented.data ?? result };
}

/** A file of answers, checked whole with its evidence files read (hashed), before a run starts anything. */
async function readAnswers(fileName: string) {
  const file = (await orgFiles()).readAnswersFile(fileName);
  const { readAnswerEvidence } = await import('../usecases/review/apply-answers.ts');
  const { readEvidenceFile } = await import('../adapters/files/evidence-file.ts');
  return { file, evidence: await readAnswerEvidence(file.answers, readEvidenceFile, file.locate) };
}

/**
 * A file of answers applied to the review a run opened (its name ends with the quarter).
 * A file the review refuses (a task's owner, a decision's reviewer...) comes back as
 * `refused`, with what to print: the rest of the cycle still runs.
 */
async function applyAnswerFile(session: Session, orgId: string, answers: Awaited<ReturnType<typeof readAnswers>>, reviewRun: string) {
  const { AnswersRefused, applyAnswers } = await import('../usecases/review/apply-answers.ts');
  const { quarterOfRun } = await import('../usecases/review/open.ts');
  const quarter = quarterOfRun({ orgId, runName: reviewRun, now: session.now.toISOString() });
  const readBefore = async (file: string) => {
    const read = answers.evidence.get(file);
    if (!read) throw new Error(`${file}: not read before the run started`);
    return read;
  };
  try {
    const applied = await applyAnswers(session.rt, orgId, quarter, answers.file.answers, readBefore, session.now, answers.file.locate);
    const answered = applied.filter((a) => a.answered === 'answered').length;
    const decided = applied.filter((a) => a.decision === 'accepted' || a.decision === 'returned').length;
    return { human: `Answers to ${quarter}: ${answered} given now, ${applied.length - answered} given before; ${decided} reviewed now.`, data: applied };
  } catch (error) {
    if (!(error instanceof AnswersRefused)) throw error;
    return { human: `Answers to ${quarter}: refused, ${error.given === 0 ? 'none' : error.given} given (the problems follow).`, refused: error };
  }
}

/**
 * A command that runs one workflow for one organisation (--org, or the only one
 * imported); a two-word command (`review open`) is a subcommand of the first word's.
 */
function workflowCommand(program: Command, name: WorkflowName): void {
  const declared = workflow(name);
  const words = declared.command.split(' ');
  const parent = words.length > 1 ? commandGroup(program, words[0] as string) : program;
  const command = parent
    .command(words.at(-1) as string)
    .description(declared.description)
    .option('--org <id>', 'organisation (default: the only one imported)');
  whenUsed(command, async () => {
    const cli = (await import('./presenters.ts')).WORKFLOW_CLI[name];
    if (cli.period) command.addArgument(cli.period.argument());
    for (const option of cli.options?.() ?? []) command.addOption(option);
  });
  command.action(async (...args: unknown[]) => {
    const cli = (await import('./presenters.ts')).WORKFLOW_CLI[name];
    const cmd = args.at(-1) as Command;
    const opts = cmd.opts() as { org?: string } & Record<string, unknown>;
    const named = cli.period && typeof args[0] === 'string' ? cli.period.parse(args[0]) : undefined;
    const options = cmd.optsWithGlobals() as GlobalOptions;
    await withSession(options, async (session) => {
      const how = named ? { period: named } : { onDemand: true };
      const orgId = await resolveOrg(session, opts.org);
      // A run that could only fail (a quarter ended or not begun, no data map) is refused
      // here, as POST /v1/runs refuses it: exit 2, nothing started or recorded.
      const { checkRunStart } = await import('../usecases/runs/start-checks.ts');
      const { timeZone } = await checkRunStart(session.rt, orgId, name, named, session.now, { period: cli.period?.argument().name() ?? 'period', workflow: declared.command });
      const { data, human, csv, failed } = await runWorkflow(session, name, orgId, { ...how, ...(timeZone ? { timeZone } : {}) }, opts);
      print(options, human, data, csv);
      if (failed) process.exitCode = 1;
    });
  });
}

/** The group command `name` (e.g. `review`), made once and shared by every module that adds to it. */
export function commandGroup(program: Command, name: string, description?: string): Command {
  const found = program.commands.find((c) => c.name() === name);
  if (found) {
    if (description) found.description(description);
    return found;
  }
  const group = program.command(name);
  if (description) group.description(description);
  return group;
}

/** `writeErr`: where commander's own messages go (an unknown option, a value not among the choices, the help after them); stderr by default. */
export function buildProgram(writeErr: (text: string) => void = (text) => process.stderr.write(text)): Command {
  const program = new Command('compliance')
    .description('Compliance review automation: data-mapping scans and evidence-lapse sweeps, locally or on AWS.')
    .option('--endpoint <url>', 'use the DynamoDB at this URL instead of starting DynamoDB Local (or DYNAMODB_ENDPOINT)')
    .option('--aws', 'use the deployed table on AWS (COMPLIANCE_TABLE) with the default AWS credentials')
    .option('--table <name>', 'table name (or COMPLIANCE_TABLE)')
    .option('--data-dir <dir>', 'where DynamoDB Local keeps its data', '.local/dynamodb')
    .option('--outbox <dir>', 'folder for .eml files when mail goes to the outbox (or OUTBOX_DIR)')
    .option('--now <date>', 'the clock, as YYYY-MM-DD or an ISO-8601 time (or COMPLIANCE_NOW)')
    .addOption(new Option('--format <format>', 'output format (table is the same as human)').choices(['human', 'table', 'json', 'csv']).default('human'))
    .showHelpAfterError()
    .configureOutput({ writeErr })
    .exitOverride();

  program
    .command('import')
    .description('validate an organisation YAML file as a whole, then write what changed')
    .argument('<file>', 'organisation file (YAML)')
    .action(async (file: string, _opts, cmd: Command) => {
      const options = cmd.optsWithGlobals() as GlobalOptions;
      (await orgFiles()).readOrgFile(file); // refuse a bad file before starting anything
      await withSession(options, async (session) => {
        const { summary, human } = await importFile(session, file);
        print(options, human, summary);
      });
    });

  for (const w of cycle()) workflowCommand(program, w.name as WorkflowName);

  program
    .command('run')
    .description('the whole cycle, one run per period: import the organisation file (when given), then the data-mapping scan, its gap analysis, the quarter\'s review (answered from --answers, when given) and the daily sweep')
    .argument('[file]', 'organisation file to import first')
    .option('--org <id>', 'organisation (default: the file\'s, or the only one imported)')
    .option('--answers <file>', 'answers to the quarter\'s review tasks (YAML), applied once the review is open')
    .action(async (file: string | undefined, opts: { org?: string; answers?: string }, cmd: Command) => {
      const options = cmd.optsWithGlobals() as GlobalOptions;
      // Both files are checked whole (the answers' evidence files read) before anything starts.
      if (file) (await orgFiles()).readOrgFile(file);
      const answers = opts.answers ? await readAnswers(opts.answers) : undefined;
      await withSession(options, async (session) => {
        const imported = file ? await importFile(session, file) : undefined;
        const orgId = await resolveOrg(session, opts.org ?? imported?.summary.orgId);
        // The cycle's day is the organisation's, as its sweep and review count days.
        const { localDate } = await import('../domain/review/quarter.ts');
        const timeZone = (await session.rt.organisations.settings(orgId))?.timeZone ?? 'UTC';
        const human = [imported?.human, `As of ${localDate(session.now, timeZone)}.`];
        const data: Record<string, unknown> = { asOf: session.now.toISOString(), import: imported?.summary };
        let refused: Error | undefined;
        // Runs begun from here on are this cycle's (the scan starts its gap analysis itself).
        const cycleSince = session.rt.clock().toISOString();
        for (const w of cycle()) {
          const ran = await runWorkflow(session, w.name as WorkflowName, orgId, {}, { brief: true, cycleSince });
          human.push(ran.human);
          data[w.cycleKey] = ran.data;
          if (ran.failed) process.exitCode = 1;
          if (w.name === 'quarterly-review' && answers) {
            // What only the open review can check (each task's owner, its reviewer) is
            // checked there, for the whole file; a refused file leaves the sweep to run.
            const applied = await applyAnswerFile(session, orgId, answers, ran.result.name);
            human.push(applied.human);
            if (applied.refused) {
              refused = applied.refused;
              data.answersRefused = applied.refused.problems;
            } else data.answers = applied.data;
          }
        }
        print(options, human.filter(Boolean).join('\n'), data);
        if (refused) throw refused; // its problems, one a line, exit 2
      });
    });

  addReviewCommands(program, { withSession, resolveOrg, print, commandGroup });
  addAuditCommands(program, { withSession, resolveOrg, print, commandGroup });
  addApiCommands(program, { withSession, resolveOrg, print, commandGroup });
  addExportCommands(program, { withSession, resolveOrg, print, commandGroup });
  addMonitoringCommands(program, { withSession, resolveOrg, print, commandGroup });
  addReportCommand(program, { withSession, resolveOrg, print, commandGroup });

  program
    .command('redact-stored')
    .description('clean up once what earlier versions stored: redact data maps, run records and audit entries again, and rewrite data maps kept as one item')
    .option('--org <id>', 'organisation (default: the only one imported)')
    .action(async (opts: { org?: string }, cmd: Command) => {
      const options = cmd.optsWithGlobals() as GlobalOptions;
      await withSession(options, async (session) => {
        const { redactStored } = await import('../adapters/dynamodb/redact-stored.ts');
        const s = await redactStored(session.rt.store, await resolveOrg(session, opts.org), session.rt.clock().toISOString());
        print(options, `Redacted ${s.orgId}: ${s.runs} run records, ${s.auditEntries} audit entries and ${s.dataMapItems} data-map items changed; ${s.dataMapsRewritten} data maps rewritten in the current layout.`, s);
      });
    });

  program
    .command('risk')
    .description('the three-factor risk (sensitivity x role x mobility) of every source and declared group, from the latest data map, with the platforms each may use')
    .option('--org <id>', 'organisation (default: the only one imported)')
    .action(async (opts: { org?: string }, cmd: Command) => {
      const options = cmd.optsWithGlobals() as GlobalOptions;
      await withSession(options, async (session) => {
        const { assessRiskOf } = await import('../usecases/gaps/risk.ts');
        const risk = await assessRiskOf(session.rt, await resolveOrg(session, opts.org), session.now);
        const { formatRisk } = await import('./gaps-output.ts');
        print(options, formatRisk(risk), risk);
      });
    });

  program
    .command('scan')
    .description('scan files and folders for personal and regulated data; prints masked values only')
    .argument('<paths...>', 'files or folders: .json documents, .csv/.tsv/.tab tables, .xlsx workbooks (every sheet), .eml mails (their parts and attachments), every other file whose content is text as lines (.txt, .log, .sql, ...; .vcf and .ics cards and calendars unfolded); PDF, Office, images, archives and other binary files are skipped')
    .option('--budget-bytes <n>', 'read at most this many bytes of each file (sampling budget)', positiveInteger('--budget-bytes'))
    .option('--threads <n>', 'threads that scan a large scan, this one and workers (default: one fewer than the cores, at least 1; at most four per core; 1: no workers)', positiveInteger('--threads'))
    .action(async (paths: string[], opts: { budgetBytes?: number; threads?: number }, cmd: Command) => {
      const options = cmd.optsWithGlobals() as GlobalOptions;
      if (options.format === 'csv') print(options, '', undefined); // refused, as for every command without csv
      // A scan reads no clock, but a bad --now is refused here as by every other command.
      if (options.now) (await import('../domain/dates.ts')).parseNow(options.now);
      // The configuration is read (and checked whole) only when it holds a hash key, the
      // one setting a scan uses: checking it loads zod, about 100 ms of a 200 ms start.
      const hashKey = process.env.COMPLIANCE_HASH_KEY ? (await readConfig()).COMPLIANCE_HASH_KEY : undefined;
      // Loaded here: the readers, the detectors and the worker pool are for this command only.
      const { runScanCommand } = await import('./scan-command.ts');
      const { availableParallelism } = await import('node:os');
      await runScanCommand(paths, {
        format: options.format === 'json' ? 'json' : 'human',
        // One core is left to this thread (it cuts the files and writes what the workers
        // find) and to the garbage collectors' helpers: on 2 cores, two workers took as
        // long as one scan on this thread and 1.6x its CPU time.
        threads: opts.threads ?? Math.max(1, availableParallelism() - 1),
        ...(hashKey ? { hashKey } : {}),
        ...(opts.budgetBytes ? { budgetBytes: opts.budgetBytes } : {}),
      });
    });

  const evidence = program.command('evidence').description('evidence held for the controls in scope');
  evidence
    .command('list')
    .description('list evidence with its status today (or at --now)')
    .option('--org <id>', 'organisation (default: the only one imported)')
    .option('--control <id>', 'only evidence for this Annex A control, e.g. A.5.15 (a 2013 id such as A.12.4.1 is read as its 2022 control)')
    .addOption(new Option('--status <status>', 'only evidence in this status').choices(EVIDENCE_STATUSES))
    .action(async (opts: { org?: string; control?: string; status?: EvidenceStatusName }, cmd: Command) => {
      const options = cmd.optsWithGlobals() as GlobalOptions;
      const control = opts.control ? await normaliseControl(opts.control) : undefined;
      await withSession(options, async (session) => {
        const orgId = await resolveOrg(session, opts.org);
        const org = await session.rt.organisations.settings(orgId);
        if (!org) throw new NotFoundError(`organisation "${orgId}" has not been imported`);
        const { evidenceRows } = await import('../domain/evidence/evidence-rows.ts');
        const { formatEvidence } = await import('./output.ts');
        const { localDate } = await import('../domain/review/quarter.ts');
        // Counted on the organisation's date, as the sweep and the report count them.
        const rows = evidenceRows(await session.rt.organisations.evidence(orgId, control), localDate(session.now, org.timeZone), org.sweep, opts.status);
        print(options, formatEvidence(rows), rows);
      });
    });

  const catalogue = program
    .command('catalogue')
    .description('list a requirement catalogue: the PDPO, the GDPR, ISO/IEC 27001:2022 Annex A, the 2013 controls with their 2022 counterparts, or the ISO/IEC 27001:2022 clauses gaps cite (iso27001-clauses)')
    .action(async (name: CatalogueName, _opts, cmd: Command) => {
      const options = cmd.optsWithGlobals() as GlobalOptions;
      const { catalogueRows, catalogueTitle } = await import('../domain/catalogues/catalogues.ts');
      const { formatCatalogue } = await import('./output.ts');
      const rows = catalogueRows(name);
      print(options, formatCatalogue(catalogueTitle(name), rows), rows);
    });
  whenUsed(catalogue, async () => {
    const { CatalogueName } = await import('../domain/catalogues/catalogues.ts');
    catalogue.addArgument(new Argument('<name>', 'which catalogue').choices(CatalogueName.options));
  });

  return program;
}

/** The parser of an option that takes a positive whole number; its error names the option. */
function positiveInteger(option: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    // digits only: Number() also takes `0x2`, `1e1` and `+2`
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n <= 0) throw new UsageError(`${option}: "${value}" is not a positive whole number`);
    return n;
  };
}

async function normaliseControl(value: string): Promise<string> {
  const { resolveControlId } = await import('../domain/catalogues/control-id.ts');
  const resolved = resolveControlId(value);
  if (!resolved.ok) throw new UsageError(`--control: ${resolved.reason}`);
  return resolved.id;
}

/** DEBUG set: stack traces of unexpected errors (a bad environment is the error being reported, so it counts as unset). */
async function debugging(): Promise<boolean> {
  try {
    return Boolean((await readConfig()).DEBUG);
  } catch {
    return false;
  }
}

export async function main(argv: string[]): Promise<number> {
  handleSignals();
  // a progress bar for data-mapping scans, on a terminal only; stopped when the command
  // ends, so that a scan that failed before its last source leaves no bar drawing (whose
  // timer would keep the process from exiting)
  const stopFollowing = process.stderr.isTTY ? (await import('./progress.ts')).followDataMapScans(process.stderr) : undefined;
  try {
    return await runCommand(argv);
  } finally {
    stopFollowing?.();
  }
}

async function runCommand(argv: string[]): Promise<number> {
  // commander's messages quote what was typed (`--format A123456(3)`): held, and shown redacted
  const commanderSaid: string[] = [];
  try {
    await buildProgram((text) => void commanderSaid.push(text)).parseAsync(argv);
    return Number(process.exitCode ?? 0);
  } catch (error) {
    // A signal is ending the command: what failed because of it (DynamoDB Local stopped under it) is not news.
    const signalled = interruptedExitCode();
    if (signalled !== undefined) return signalled;
    if (error instanceof CommanderError) {
      if (commanderSaid.length > 0) process.stderr.write((await import('../domain/detect/redact.ts')).redact(commanderSaid.splice(0).join('')));
      // --help and --version exit 0; help shown because no command was given is a usage error.
      return error.exitCode === 0 ? 0 : 2;
    }
    const outcome = errorOutcome(error);
    // Every message passes the redaction the findings and the API's errors pass: one may
    // quote what a file or a flag said (an unknown person "A123456(3)").
    const { redact, redactError } = await import('../domain/detect/redact.ts');
    const message = error instanceof Error ? redactError(error).message : redact(String(error));
    // Errors meant for the person are shown as they are; anything else says it is ours.
    process.stderr.write(outcome.expected ? `${message}\n` : `compliance: ${message}\n`);
    if (!outcome.expected && (await debugging()) && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    return outcome.exitCode;
  }
}
