#!/usr/bin/env -S node --max-semi-space-size=4
// The `compliance` command line. Exit codes: 0 done, 1 failure, 2 usage or input error.
import { Command, CommanderError, Option } from 'commander';
import { today } from '../domain/dates.ts';
import { InputError } from '../errors.ts';
import { JavaMissingError } from '../adapters/local/dynamodb-local.ts';
import { startLocalRun } from '../adapters/local/workflow-runner.ts';
import { normaliseAnnexAId } from '../domain/org/annex-a.ts';
import { readOrgFile } from '../domain/org/org-file.ts';
import { EvidenceStatusName } from '../domain/evidence/lapse-policy.ts';
import { importOrganisation, listEvidence, listOrganisationIds, loadOrganisation } from '../adapters/dynamodb/org-store.ts';
import { UnknownOrganisationError } from '../usecases/sweep/plan.ts';
import type { SweepSummary } from '../usecases/sweep/report.ts';
import { evidenceRows } from '../domain/evidence/evidence-rows.ts';
import { formatDataMap, formatEvidence, formatImport, formatScan, formatSweep } from './output.ts';
import { scanPaths, scanPathsTo, type ScanOptions } from '../usecases/scan/scan-files.ts';
import { openSession, type GlobalOptions, type Session } from './session.ts';

class UsageError extends InputError {}

function print(options: GlobalOptions, human: string, data: unknown): void {
  process.stdout.write(options.format === 'json' ? `${JSON.stringify(data, null, 2)}\n` : `${human}\n`);
}

async function withSession<T>(options: GlobalOptions, fn: (session: Session) => Promise<T>): Promise<T> {
  const session = await openSession(options);
  try {
    return await fn(session);
  } finally {
    await session.close();
  }
}

/** --org, or the only organisation imported. */
async function resolveOrg(session: Session, orgId: string | undefined): Promise<string> {
  if (orgId) return orgId;
  const ids = await listOrganisationIds(session.rt.store);
  if (ids.length === 1 && ids[0]) return ids[0];
  throw new UsageError(ids.length === 0 ? 'no organisation imported yet: run "compliance import FILE" first' : `several organisations imported (${ids.join(', ')}): name one with --org`);
}

async function importFile(session: Session, options: GlobalOptions, file: string) {
  const org = readOrgFile(file); // validates the whole file before anything is written
  const summary = await importOrganisation(session.rt.store, org, `import:${file}`, session.rt.clock().toISOString());
  return { summary, human: formatImport(file, summary) };
}

async function dataMap(session: Session, orgId: string) {
  const result = await startLocalRun(session.rt, 'data-mapping-scan', orgId, session.now);
  return { result, human: formatDataMap(result) };
}

async function sweep(session: Session, orgId: string) {
  const result = await startLocalRun(session.rt, 'evidence-sweep', orgId, session.now);
  const org = await loadOrganisation(session.rt.store, orgId);
  const failed = result.status === 'completed' && ((result.output as SweepSummary).noticesFailed > 0 || (result.output as SweepSummary).status === 'failed');
  return { result, human: formatSweep(result, org, session.outboxDir), failed };
}

/** A command that runs one workflow for one organisation (--org, or the only one imported). */
function orgCommand(
  program: Command,
  name: string,
  description: string,
  run: (session: Session, orgId: string) => Promise<{ result: unknown; human: string; failed?: boolean }>,
): void {
  program
    .command(name)
    .description(description)
    .option('--org <id>', 'organisation (default: the only one imported)')
    .action(async (opts: { org?: string }, cmd: Command) => {
      const options = cmd.optsWithGlobals() as GlobalOptions;
      await withSession(options, async (session) => {
        const { result, human, failed } = await run(session, await resolveOrg(session, opts.org));
        print(options, human, result);
        if (failed) process.exitCode = 1;
      });
    });
}

export function buildProgram(): Command {
  const program = new Command('compliance')
    .description('Compliance review automation: data-mapping scans and evidence-lapse sweeps, locally or on AWS.')
    .option('--endpoint <url>', 'use the DynamoDB at this URL instead of starting DynamoDB Local (or DYNAMODB_ENDPOINT)')
    .option('--aws', 'use the deployed table on AWS (COMPLIANCE_TABLE) with the default AWS credentials')
    .option('--table <name>', 'table name (or COMPLIANCE_TABLE)')
    .option('--data-dir <dir>', 'where DynamoDB Local keeps its data', '.local/dynamodb')
    .option('--outbox <dir>', 'folder for .eml files when mail goes to the outbox (or OUTBOX_DIR)')
    .option('--now <date>', 'the clock, as YYYY-MM-DD or an ISO-8601 time (or COMPLIANCE_NOW)')
    .addOption(new Option('--format <format>', 'output format (table is the same as human)').choices(['human', 'table', 'json']).default('human'))
    .showHelpAfterError()
    .exitOverride();

  program
    .command('import')
    .description('validate an organisation YAML file as a whole, then write what changed')
    .argument('<file>', 'organisation file (YAML)')
    .action(async (file: string, _opts, cmd: Command) => {
      const options = cmd.optsWithGlobals() as GlobalOptions;
      readOrgFile(file); // refuse a bad file before starting anything
      await withSession(options, async (session) => {
        const { summary, human } = await importFile(session, options, file);
        print(options, human, summary);
      });
    });

  orgCommand(program, 'sweep', 'run the evidence-lapse sweep: notices for evidence due soon, lapsed or to escalate', sweep);

  program
    .command('run')
    .description('the whole cycle: import the organisation file (when given), then the data-mapping scan and the evidence sweep')
    .argument('[file]', 'organisation file to import first')
    .option('--org <id>', 'organisation (default: the file\'s, or the only one imported)')
    .action(async (file: string | undefined, opts: { org?: string }, cmd: Command) => {
      const options = cmd.optsWithGlobals() as GlobalOptions;
      if (file) readOrgFile(file);
      await withSession(options, async (session) => {
        const imported = file ? await importFile(session, options, file) : undefined;
        const orgId = await resolveOrg(session, opts.org ?? imported?.summary.orgId);
        const mapped = await dataMap(session, orgId);
        const swept = await sweep(session, orgId);
        print(options, [imported?.human, `As of ${today(session.now)}.`, mapped.human, swept.human].filter(Boolean).join('\n'), {
          asOf: session.now.toISOString(),
          import: imported?.summary,
          dataMap: mapped.result,
          sweep: swept.result,
        });
        if (swept.failed) process.exitCode = 1;
      });
    });

  orgCommand(program, 'datamap', "run the data-mapping scan over the organisation's declared sources and store the data map", dataMap);

  program
    .command('scan')
    .description('scan files and folders for personal and regulated data; prints masked values only')
    .argument('<paths...>', 'files or folders (.txt, .log, .json, .jsonl, .csv, .tsv)')
    .option('--budget-bytes <n>', 'read at most this many bytes of each file (sampling budget)', positiveInteger)
    .action(async (paths: string[], opts: { budgetBytes?: number }, cmd: Command) => {
      const options = cmd.optsWithGlobals() as GlobalOptions;
      const hashKey = process.env.COMPLIANCE_HASH_KEY;
      const scanOptions = { ...(hashKey ? { hashKey } : {}), ...(opts.budgetBytes ? { budgetBytes: opts.budgetBytes } : {}) };
      if (options.format === 'json') {
        // Streamed: each finding is written as it is found, so output of any size takes bounded memory.
        await writeScanJson(paths, scanOptions);
        return;
      }
      const result = await scanPaths(paths, scanOptions);
      print(options, formatScan(result), result);
    });

  const evidence = program.command('evidence').description('evidence held for the controls in scope');
  evidence
    .command('list')
    .description('list evidence with its status today (or at --now)')
    .option('--org <id>', 'organisation (default: the only one imported)')
    .option('--control <id>', 'only evidence for this Annex A control, e.g. A.5.15')
    .addOption(new Option('--status <status>', 'only evidence in this status').choices(EvidenceStatusName.options))
    .action(async (opts: { org?: string; control?: string; status?: EvidenceStatusName }, cmd: Command) => {
      const options = cmd.optsWithGlobals() as GlobalOptions;
      const control = opts.control ? normaliseControl(opts.control) : undefined;
      await withSession(options, async (session) => {
        const orgId = await resolveOrg(session, opts.org);
        const org = await loadOrganisation(session.rt.store, orgId);
        if (!org) throw new UnknownOrganisationError(`organisation "${orgId}" has not been imported`);
        const rows = evidenceRows(await listEvidence(session.rt.store, orgId, control), today(session.now), org.organisation.sweep, opts.status);
        print(options, formatEvidence(rows), rows);
      });
    });

  return program;
}

/** `{ "findings": [...], "files": [...], "counts": {...} }`, the findings written one by one. */
async function writeScanJson(paths: string[], options: ScanOptions): Promise<void> {
  const out = process.stdout;
  let first = true;
  out.write('{\n  "findings": [');
  const summary = await scanPathsTo(paths, options, (f) => {
    out.write(`${first ? '' : ','}\n    ${JSON.stringify(f)}`);
    first = false;
  });
  out.write(`${first ? '' : '\n  '}],\n  "files": ${JSON.stringify(summary.files)},\n  "counts": ${JSON.stringify(summary.counts)}\n}\n`);
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0) throw new UsageError(`"${value}" is not a positive whole number`);
  return n;
}

function normaliseControl(value: string): string {
  const id = normaliseAnnexAId(value);
  if (!id) throw new UsageError(`--control: "${value}" is not an ISO/IEC 27001:2022 Annex A control (A.5.1 to A.8.34)`);
  return id;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return Number(process.exitCode ?? 0);
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version exit 0; help shown because no command was given is a usage error.
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof InputError || error instanceof UnknownOrganisationError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    if (error instanceof JavaMissingError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    process.stderr.write(`compliance: ${(error as Error).message ?? error}\n`);
    if (process.env.DEBUG) process.stderr.write(`${(error as Error).stack}\n`);
    return 1;
  }
}

if (import.meta.main) {
  process.exitCode = await main(process.argv);
}
