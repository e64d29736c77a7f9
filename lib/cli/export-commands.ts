// `compliance export`: the audit package of a period written to a folder (JSON, CSV or
// OSCAL, with a signed manifest), and `compliance export verify DIR`, which checks a
// package offline. Only commander is loaded at start; the store, the formats and the
// keys load when one of these commands runs.
import { Option, type Command } from 'commander';
import { UsageError } from '../errors.ts';
import type { GlobalOptions, Session } from './session.ts';

export interface ExportCli {
  withSession<T>(options: GlobalOptions, fn: (session: Session) => Promise<T>): Promise<T>;
  resolveOrg(session: Session, orgId: string | undefined): Promise<string>;
  print(options: GlobalOptions, human: string, data: unknown, csv?: string): void;
  commandGroup(program: Command, name: string, description?: string): Command;
}

const PACKAGE_FORMATS = ['json', 'csv', 'oscal'] as const;
type PackageFormat = (typeof PACKAGE_FORMATS)[number];

export function addExportCommands(program: Command, cli: ExportCli): void {
  // --format is the program's option: it is read wherever it stands, before the
  // command is known, so it takes oscal as well, and only export accepts oscal.
  const formatOption = program.options.find((o) => o.long === '--format');
  if (formatOption?.argChoices && !formatOption.argChoices.includes('oscal')) formatOption.choices([...formatOption.argChoices, 'oscal']);

  const exportCommand = cli
    .commandGroup(program, 'export', 'the audit package of a period: the Statement of Applicability, the review with every answer, the evidence index, the gaps, the data-map summary and the audit trail, with a signed manifest')
    .option('--period <quarter>', 'the period, a quarter written YYYY-Qn such as 2026-Q4 (required)')
    .option('--out <dir>', 'the folder to write (default: audit-package-<org>-<period>-<format>); it must not exist or be empty')
    .option('--force', 'replace what the --out folder holds')
    .addOption(new Option('--org <id>', 'organisation (default: the only one imported)'))
    .addHelpText('after', '\nThe package format is --format json (default), csv or oscal.')
    .action(async (opts: { period?: string; out?: string; force?: boolean; org?: string }, cmd: Command) => {
      const options = cmd.optsWithGlobals() as GlobalOptions;
      const format = packageFormat(program, options.format);
      if (opts.period === undefined) throw new UsageError('--period: required, a quarter written YYYY-Qn such as 2026-Q4');
      const { parsePeriod } = await import('../domain/export/period.ts');
      const period = parsePeriod(opts.period, '--period');
      const { checkPackageDir, writePackageDir } = await import('../adapters/files/package-dir.ts');
      if (opts.out !== undefined) checkPackageDir(opts.out, { force: Boolean(opts.force) }); // refused before anything is read or sealed
      const { readConfig } = await import('../config.ts');
      const { manifestSigner } = await import('../adapters/manifest-signer.ts');
      const signer = await manifestSigner(readConfig(), options.aws ? undefined : { dataDir: options.dataDir });
      await cli.withSession(options, async (session) => {
        const orgId = await cli.resolveOrg(session, opts.org);
        const dir = opts.out ?? `audit-package-${orgId}-${period}-${format}`;
        checkPackageDir(dir, { force: Boolean(opts.force) });
        const { exportPackage } = await import('../usecases/export/export-package.ts');
        const { files, manifest } = await exportPackage(session.rt, { orgId, period, format, signer, now: session.now, actor: 'cli:export' });
        const written = await writePackageDir(dir, files, { force: Boolean(opts.force) });
        const head = manifest.audit.hash ? `audit chain head ${manifest.audit.seq} (${manifest.audit.hash})` : `${manifest.audit.seq} audit entries held, none sealed yet`;
        process.stdout.write(
          `Audit package ${period} of ${orgId} (${format}) written to ${written}: ${manifest.files.length} files and the manifest.json that lists them, signed with ${manifest.signature.algorithm} key ${manifest.signature.keyId}; ${head}.\n` +
            `Check it with: compliance export verify ${dir}\n`,
        );
      });
    });

  exportCommand
    .command('verify')
    .description("check a package offline: every file's SHA-256 and size against manifest.json, and the manifest's signature; exit 1 naming the first mismatch")
    .argument('<dir>', 'the package folder')
    .option('--public-key <file>', 'the public key (PEM) the organisation publishes: the manifest must be signed with it, not just with the key it names')
    .action(async (dir: string, opts: { publicKey?: string }, cmd: Command) => {
      const options = cmd.optsWithGlobals() as GlobalOptions;
      const { readPackageDir } = await import('../adapters/files/package-dir.ts');
      const { verifyPackage } = await import('../domain/export/manifest.ts');
      const trustedKeyPem = opts.publicKey === undefined ? undefined : await readPublicKey(opts.publicKey);
      const { files, others } = readPackageDir(dir);
      const check = verifyPackage(files, trustedKeyPem === undefined ? {} : { trustedKeyPem });
      const problems = [...check.problems, ...others.map((o) => `${o}: not a regular file`)];
      const m = check.manifest;
      const ok = problems.length === 0 && m !== undefined;
      if (options.format === 'json') {
        process.stdout.write(`${JSON.stringify({ ok, problems, ...(m ? { orgId: m.orgId, period: m.period, format: m.format, generatedAt: m.generatedAt, files: m.files.length, audit: m.audit, signature: { algorithm: m.signature.algorithm, keyId: m.signature.keyId, fingerprint: check.fingerprint } } : {}) }, null, 2)}\n`);
      } else if (ok) {
        process.stdout.write(
          `${dir}: all ${m.files.length} files match manifest.json; its signature verifies (${m.signature.algorithm}, key ${m.signature.keyId}, SHA-256 fingerprint ${check.fingerprint})${trustedKeyPem ? ', the key given' : ''}.\n` +
            `Package ${m.period} of ${m.orgId} (${m.format}), made ${m.generatedAt}; audit chain head ${m.audit.seq}${m.audit.hash ? ` (${m.audit.hash})` : ', not sealed'}.\n`,
        );
      } else {
        process.stderr.write(`${dir}: ${problems[0]}${problems.length > 1 ? ` (and ${problems.length - 1} more: ${problems.slice(1, 6).join('; ')}${problems.length > 6 ? '; ...' : ''})` : ''}\n`);
      }
      if (!ok) process.exitCode = 1;
    });

  program.hook('preAction', (_program, action) => {
    if ((action.optsWithGlobals() as { format?: string }).format === 'oscal' && action !== exportCommand) {
      throw new UsageError('--format oscal: only compliance export writes OSCAL');
    }
  });
}

/** The package's format: --format json, csv or oscal; json when --format is not given. */
function packageFormat(program: Command, given: string): PackageFormat {
  if (program.getOptionValueSource('format') !== 'cli' && program.getOptionValueSource('format') !== 'env') return 'json';
  if ((PACKAGE_FORMATS as readonly string[]).includes(given)) return given as PackageFormat;
  throw new UsageError(`--format ${given}: an audit package is written as ${PACKAGE_FORMATS.join(', ')}`);
}

async function readPublicKey(file: string): Promise<string> {
  const { readFileSync } = await import('node:fs');
  const { createPublicKey } = await import('node:crypto');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`--public-key ${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  try {
    createPublicKey(text);
  } catch {
    throw new UsageError(`--public-key ${file}: not a PEM public key`);
  }
  return text;
}
