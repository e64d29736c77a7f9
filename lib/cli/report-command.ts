// `compliance report [--period 2026-Q4] [--org ID] [--lang en|zh-Hant] --out FILE`:
// the report for boards and regulators as one self-contained HTML file (charts as
// inline SVG, nothing fetched, prints to PDF), written whole or not at all. Only
// commander and types load at start; the use case, the renderer and the file writer
// load when the command runs.
import { Option, type Command } from 'commander';
import { InputError } from '../errors.ts';
import { parseQuarter, type ReviewCli } from './review-commands.ts';
import type { GlobalOptions } from './session.ts';

export type ReportCli = ReviewCli;

interface ReportOptions {
  period?: string;
  org?: string;
  lang?: 'en' | 'zh-Hant';
  out: string;
}

/** What the command says of a file it wrote. */
export interface ReportWritten {
  out: string;
  bytes: number;
  sha256: string;
  orgId: string;
  period: string;
  asOf: string;
  language: string;
}

const LANGUAGE_NAMES: Record<string, string> = { en: 'English', 'zh-Hant': 'Traditional Chinese' };

export function addReportCommand(program: Command, cli: ReportCli): void {
  program
    .command('report')
    .description('the report for boards and regulators, one self-contained HTML file (no network, charts as inline SVG, prints to PDF): data map and cross-border flows, evidence freshness, gaps and their trend, the review, three-factor risk')
    .option('--period <quarter>', 'the quarter, written YYYY-Qn (default: the current one if it has a review, else the latest review\'s)')
    .option('--org <id>', 'organisation (default: the only one imported)')
    .addOption(new Option('--lang <language>', "the report's language (default: that of the organisation's compliance contact)").choices(['en', 'zh-Hant']))
    .requiredOption('--out <file>', 'the HTML file to write (replaced whole); - writes to standard output')
    .action(async (opts: ReportOptions, cmd: Command) => {
      const options = cmd.optsWithGlobals() as GlobalOptions;
      const period = opts.period === undefined ? undefined : parseQuarter(opts.period, '--period');
      await cli.withSession(options, async (session) => {
        const { gatherReport } = await import('../usecases/report/gather.ts');
        const { renderReport } = await import('../domain/report/render.ts');
        const orgId = await cli.resolveOrg(session, opts.org);
        const view = await gatherReport(session.rt, orgId, { now: session.now, ...(period ? { period } : {}), ...(opts.lang ? { language: opts.lang } : {}) });
        const document = renderReport(view);
        if (opts.out === '-') {
          process.stdout.write(document);
          return;
        }
        const { createHash } = await import('node:crypto');
        const { writeFileAtomic } = await import('../adapters/files/atomic-file.ts');
        let written;
        try {
          written = await writeFileAtomic(opts.out, document);
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR' || code === 'ENOTDIR' || code === 'EROFS') {
            throw new InputError(`--out ${opts.out}: cannot write there (${code === 'ENOENT' ? 'no such folder' : code === 'EISDIR' ? 'it is a folder' : code === 'EROFS' ? 'read-only file system' : code === 'ENOTDIR' ? 'a part of the path is not a folder' : 'permission denied'})`, { cause: error });
          }
          throw error;
        }
        const result: ReportWritten = {
          out: written.path,
          bytes: written.bytes,
          sha256: createHash('sha256').update(document).digest('hex'),
          orgId,
          period: view.period,
          asOf: view.asOf,
          language: view.language,
        };
        const kb = Math.max(1, Math.round(written.bytes / 1024));
        cli.print(options, `Wrote ${opts.out} (${kb} KB, ${LANGUAGE_NAMES[view.language] ?? view.language}): the report of ${orgId} for ${view.period}, figures as of ${view.asOf} (${view.organisation.timeZone}).`, result);
      });
    });
}
