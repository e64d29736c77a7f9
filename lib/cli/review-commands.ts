// The review commands beside `review open` (a workflow, see presenters.ts):
// `review close|show`, `task list|answer|review|delegate` and `soa`.
import { Argument, Option, type Command } from 'commander';
import { isQuarter, QUARTER_RULE, type Quarter } from '../domain/review/quarter.ts';
import { TASK_RESULTS, type TaskResult } from '../domain/vocabulary.ts';
import { InputError, UsageError } from '../errors.ts';
import type { GlobalOptions, Session } from './session.ts';

/** What the commands print, loaded when one runs (it brings the CSV writer and the table layout). */
const output = () => import('./review-output.ts');

export interface ReviewCli {
  withSession<T>(options: GlobalOptions, fn: (session: Session) => Promise<T>): Promise<T>;
  resolveOrg(session: Session, orgId: string | undefined): Promise<string>;
  print(options: GlobalOptions, human: string, data: unknown, csv?: string): void;
  commandGroup(program: Command, name: string, description?: string): Command;
}

/** A quarter as a person writes it on the command line; anything but `YYYY-Qn` is a usage error. */
/** A quarter given as an argument, or as `option` (its error then names the option). */
export function parseQuarter(value: string, option?: string): Quarter {
  if (!isQuarter(value)) throw new UsageError(`${option ? `${option}: "${value}"` : `quarter "${value}"`} ${QUARTER_RULE}`);
  return value;
}

const quarterArgument = (value: string | undefined): Quarter | undefined => (value === undefined ? undefined : parseQuarter(value));


export function addReviewCommands(program: Command, cli: ReviewCli): void {
  const orgOption = () => new Option('--org <id>', 'organisation (default: the only one imported)');
  const review = cli.commandGroup(program, 'review', "quarterly ISO/IEC 27001 reviews: open a quarter's, close it, show it");

  review
    .command('close')
    .description('close a review now: a result per control, the open tasks unanswered, a nonconformity for each not-effective or unanswered control')
    .addArgument(new Argument('[quarter]', 'the quarter, written YYYY-Qn (default: the current one)'))
    .addOption(orgOption())
    .action(async (quarter: string | undefined, opts: { org?: string }, cmd: Command) => {
      const options = cmd.optsWithGlobals() as GlobalOptions;
      const named = quarterArgument(quarter);
      await cli.withSession(options, async (session) => {
        const { closeQuarter } = await import('../usecases/review/close.ts');
        const { resolveQuarter, showReview } = await import('../usecases/review/show.ts');
        const orgId = await cli.resolveOrg(session, opts.org);
        const q = await resolveQuarter(session.rt, orgId, session.now, named);
        await closeQuarter(session.rt, orgId, q, 'cli:review-close', session.now.toISOString());
        const view = await showReview(session.rt, orgId, q, session.now);
        const { formatReview, reviewCsv } = await output();
        cli.print(options, formatReview(view), view, reviewCsv(view));
      });
    });

  review
    .command('show')
    .description("a quarter's review: its status and summary, every task with its answer, and the nonconformities")
    .addArgument(new Argument('[quarter]', 'the quarter, written YYYY-Qn (default: the current one, else the latest)'))
    .addOption(orgOption())
    .action(async (quarter: string | undefined, opts: { org?: string }, cmd: Command) => {
      const options = cmd.optsWithGlobals() as GlobalOptions;
      const named = quarterArgument(quarter);
      await cli.withSession(options, async (session) => {
        const { resolveQuarter, showReview } = await import('../usecases/review/show.ts');
        const orgId = await cli.resolveOrg(session, opts.org);
        const view = await showReview(session.rt, orgId, await resolveQuarter(session.rt, orgId, session.now, named), session.now);
        const { formatReview, reviewCsv } = await output();
        cli.print(options, formatReview(view), view, reviewCsv(view));
      });
    });

  const task = program.command('task').description("review tasks: list them, answer one, accept or return an answer, hand one to someone else");
  task
    .command('list')
    .description("a quarter's tasks (default: the current quarter's, else the latest review's)")
    .addOption(orgOption())
    .option('--owner <id>', 'only the tasks this person owns or was handed')
    .option('--quarter <quarter>', 'the quarter, written YYYY-Qn')
    .action(async (opts: { org?: string; owner?: string; quarter?: string }, cmd: Command) => {
      const options = cmd.optsWithGlobals() as GlobalOptions;
      const named = quarterArgument(opts.quarter);
      await cli.withSession(options, async (session) => {
        const { listTasks, resolveQuarter } = await import('../usecases/review/show.ts');
        const orgId = await cli.resolveOrg(session, opts.org);
        const tasks = await listTasks(session.rt, orgId, await resolveQuarter(session.rt, orgId, session.now, named), opts.owner);
        // As task delegate --to: a name that is no one's is a mistake, not an empty list (one who has left still lists the tasks they held).
        if (opts.owner !== undefined && tasks.length === 0 && !(await session.rt.organisations.load(orgId))?.people.has(opts.owner)) {
          throw new InputError(`--owner: "${opts.owner}" is not a person of ${orgId}`);
        }
        cli.print(options, (await output()).formatTasks(tasks), tasks);
      });
    });

  task
    .command('answer')
    .description('answer a task as its owner (or the person it was handed to), with a result, a comment and evidence')
    .argument('<task>', 'the task, e.g. 2026-Q4/A.8.15')
    .requiredOption('--as <person>', 'who answers (a person id of the organisation file)')
    .addOption(new Option('--result <result>', 'how the control holds').choices(TASK_RESULTS).makeOptionMandatory())
    .option('--comment <text>', 'what was checked, what is missing')
    .option('--evidence <file>', 'an evidence file: hashed (SHA-256) and registered for the control')
    .option('--valid-for <period>', 'how long the evidence holds, an ISO-8601 period such as P3M (default: that of the evidence it renews, else the control\'s review rhythm)')
    .addOption(orgOption())
    .action(async (taskId: string, opts: { as: string; result: TaskResult; comment?: string; evidence?: string; validFor?: string; org?: string }, cmd: Command) => {
      const options = cmd.optsWithGlobals() as GlobalOptions;
      if (opts.validFor && !opts.evidence) throw new UsageError('--valid-for: give it with --evidence FILE (it is the evidence that holds for a period)');
      if (opts.validFor) {
        // the organisation file's periods (at least a day, at most 100 years), read only for this option
        const { Period } = await import('../domain/org/org.ts');
        const period = Period.safeParse(opts.validFor);
        if (!period.success) throw new UsageError(`--valid-for "${opts.validFor}" ${period.error.issues[0]!.message}`);
      }
      const { readEvidenceFile } = await import('../adapters/files/evidence-file.ts');
      const evidence = opts.evidence ? await readEvidenceFile(opts.evidence) : undefined;
      await cli.withSession(options, async (session) => {
        const { answerTask } = await import('../usecases/review/answer.ts');
        const orgId = await cli.resolveOrg(session, opts.org);
        const t = await answerTask(session.rt, {
          orgId,
          taskId,
          as: opts.as,
          result: opts.result,
          now: session.now,
          ...(opts.comment !== undefined ? { comment: opts.comment } : {}),
          ...(evidence ? { evidence } : {}),
          ...(opts.validFor ? { validFor: opts.validFor } : {}),
        });
        const added = evidence ? t.evidence.find((e) => e.sha256 === evidence.sha256) : undefined;
        // The item's end, given or defaulted (the period of the item it renews, else the control's review rhythm), so the owner sees it.
        const item = added ? (await session.rt.organisations.evidence(orgId, t.control)).find((e) => e.id === added.id) : undefined;
        const until = item?.validUntil ? `, valid until ${item.validUntil}` : '';
        cli.print(options, `Answered ${t.id} as ${opts.as}: ${t.result}${added ? ` with evidence ${added.id}${until}` : ''}. ${t.reviewer} reviews it.`, t);
      });
    });

  task
    .command('review')
    .description("accept or return a task's answer, as its reviewer")
    .argument('<task>', 'the task, e.g. 2026-Q4/A.8.15')
    .requiredOption('--as <person>', 'who decides (the task\'s reviewer)')
    .option('--accept', 'accept the answer')
    .option('--return', 'return the answer to its owner for another')
    .option('--comment <text>', 'why')
    .addOption(orgOption())
    .action(async (taskId: string, opts: { as: string; accept?: boolean; return?: boolean; comment?: string; org?: string }, cmd: Command) => {
      const options = cmd.optsWithGlobals() as GlobalOptions;
      if (Boolean(opts.accept) === Boolean(opts.return)) throw new UsageError('give one of --accept or --return');
      await cli.withSession(options, async (session) => {
        const { decideTask } = await import('../usecases/review/answer.ts');
        const orgId = await cli.resolveOrg(session, opts.org);
        const decision = opts.accept ? 'accept' : 'return';
        const t = await decideTask(session.rt, { orgId, taskId, as: opts.as, decision, now: session.now, ...(opts.comment !== undefined ? { comment: opts.comment } : {}) });
        cli.print(options, `${decision === 'accept' ? 'Accepted' : 'Returned'} the answer to ${t.id}${decision === 'return' ? `: it is open again for ${t.delegate ?? t.owner}` : ''}.`, t);
      });
    });

  task
    .command('delegate')
    .description('hand a task to someone else, as its owner; they are told by the next daily run')
    .argument('<task>', 'the task, e.g. 2026-Q4/A.8.15')
    .requiredOption('--as <person>', "who hands it on (the task's owner)")
    .requiredOption('--to <person>', 'who answers it instead')
    .addOption(orgOption())
    .action(async (taskId: string, opts: { as: string; to: string; org?: string }, cmd: Command) => {
      const options = cmd.optsWithGlobals() as GlobalOptions;
      await cli.withSession(options, async (session) => {
        const { delegateTask } = await import('../usecases/review/answer.ts');
        const orgId = await cli.resolveOrg(session, opts.org);
        const t = await delegateTask(session.rt, { orgId, taskId, as: opts.as, to: opts.to, now: session.now, runName: `cli:task-delegate:${opts.as}` });
        cli.print(options, `Handed ${t.id} to ${opts.to}.`, t);
      });
    });

  program
    .command('soa')
    .description('the Statement of Applicability: all 93 Annex A controls with applicability, justification, owner, last result and evidence status')
    .addOption(orgOption())
    .action(async (opts: { org?: string }, cmd: Command) => {
      const options = cmd.optsWithGlobals() as GlobalOptions;
      await cli.withSession(options, async (session) => {
        const { soaOf } = await import('../usecases/review/show.ts');
        const rows = await soaOf(session.rt, await cli.resolveOrg(session, opts.org), session.now);
        const { formatSoa, soaCsv } = await output();
        cli.print(options, formatSoa(rows), rows, soaCsv(rows));
      });
    });
}
