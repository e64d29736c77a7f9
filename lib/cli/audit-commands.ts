// `compliance audit verify|seal`: the tamper-evident audit trail from the command line.
// Only commander and types load at start; the use cases load when a command runs.
import { Option, type Command } from 'commander';
import type { AuditVerification, SealResult } from '../domain/audit/chain.ts';
import { UsageError } from '../errors.ts';
import { plural } from './columns.ts';
import type { GlobalOptions, Session } from './session.ts';

export interface AuditCli {
  withSession<T>(options: GlobalOptions, fn: (session: Session) => Promise<T>): Promise<T>;
  resolveOrg(session: Session, orgId: string | undefined): Promise<string>;
  print(options: GlobalOptions, human: string, data: unknown, csv?: string): void;
  commandGroup(program: Command, name: string, description?: string): Command;
}

const short = (hash: string | null) => (hash ? `${hash.slice(0, 16)}…` : 'none');

/** What `audit verify` prints for a person: each finding with the first key or digest it names. */
export function formatVerification(r: AuditVerification): string {
  const lines = [
    `Audit trail of ${r.orgId}: ${plural(r.entries, 'entry', 'entries')}; ${plural(r.digests, 'digest')} sealing ${r.sealed}` +
      (r.head ? ` (head: digest ${r.head.seq}, ${short(r.head.hash)}, sealed ${r.head.sealedAt}).` : '.'),
  ];
  const entry = (label: string, what: string, f: AuditVerification['altered'], hint = '') => {
    if (f.count === 0 || !f.first) return;
    lines.push(`${label}: ${plural(f.count, 'entry', 'entries')} ${what}; the first: ${f.first.sk}${f.first.digest !== null ? ` (digest ${f.first.digest})` : ''}.${hint}`);
  };
  entry('ALTERED', 'no longer match the hash their digest gives', r.altered);
  entry('REMOVED', 'sealed by a digest are not in the table', r.removed);
  entry('INSERTED', 'are in no digest and were never marked as new', r.inserted, ' (Entries written before sealing existed look the same until "compliance audit seal --adopt" seals them.)');
  const reasons: Record<string, string> = {
    hash: 'its hash is not that of its content',
    malformed: 'it is not a digest',
    anchor: 'it is not the head given',
    gap: 'the sequence skips it',
    chain: 'its previous hash is not the hash of the digest before it',
  };
  const digest = (label: string, f: AuditVerification['digestAltered']) => {
    if (f.count === 0 || !f.first) return;
    lines.push(`${label}: ${plural(f.count, 'digest')}; the first: digest ${f.first.seq} (${reasons[f.first.reason] ?? f.first.reason}).`);
  };
  digest('DIGEST ALTERED', r.digestAltered);
  digest('DIGEST MISSING', r.digestMissing);
  if (r.ok) lines.push('Verified: no sealed entry altered, removed or inserted, no digest altered or missing.');
  if (r.unsealed.count > 0) {
    const more = r.unsealed.count - r.unsealed.first.length;
    lines.push(`Not yet sealed: ${plural(r.unsealed.count, 'entry', 'entries')} written since the last seal: ${r.unsealed.first.join(', ')}${more > 0 ? `, and ${more} more` : ''}.`);
  }
  if (r.awaitingClear > 0) lines.push(`${plural(r.awaitingClear, 'sealed entry', 'sealed entries')} still marked as new (a seal stopped before clearing them; the next seal does).`);
  return lines.join('\n');
}

export function formatSeal(orgId: string, s: SealResult): string {
  const head = s.seq === 0 ? 'nothing is sealed yet' : `the chain's head is digest ${s.seq} (${short(s.hash)})`;
  return s.sealedEntries > 0 ? `Sealed ${plural(s.sealedEntries, 'entry', 'entries')} of ${orgId}: ${head}.` : `Nothing new to seal for ${orgId}: ${head}.`;
}

/** `--anchor 42:<64 hex>`: a digest number and its hash. */
export function parseAnchor(value: string): { seq: number; hash: string } {
  const m = /^([1-9]\d{0,9}):([0-9a-f]{64})$/.exec(value.trim());
  if (!m) throw new UsageError(`--anchor "${value}" must be a digest number and its SHA-256, written SEQ:HASH (64 lower-case hex digits)`);
  return { seq: Number(m[1]), hash: m[2]! };
}

export function addAuditCommands(program: Command, cli: AuditCli): void {
  const orgOption = () => new Option('--org <id>', 'organisation (default: the only one imported)');
  const audit = cli.commandGroup(program, 'audit', 'the tamper-evident audit trail: verify it, seal it');

  audit
    .command('verify')
    .description(
      'recompute every digest and sealed entry: name the first entry altered, removed or inserted and the first digest altered or missing (exit 1), and list the entries not yet sealed',
    )
    .addOption(orgOption())
    .option('--anchor <seq:hash>', "the chain's head as known from elsewhere (an audit package's manifest: audit.seq and audit.hash): that digest must still be there with that hash", parseAnchor)
    .action(async (opts: { org?: string; anchor?: { seq: number; hash: string } }, cmd: Command) => {
      const options = cmd.optsWithGlobals() as GlobalOptions;
      await cli.withSession(options, async (session) => {
        const { verifyAudit } = await import('../usecases/audit/trail.ts');
        const report = await verifyAudit(session.rt, await cli.resolveOrg(session, opts.org), opts.anchor ? { anchor: opts.anchor } : {});
        cli.print(options, formatVerification(report), report);
        if (!report.ok) process.exitCode = 1;
      });
    });

  audit
    .command('seal')
    .description('seal the entries written since the last seal into digests chained to the head (every workflow run does this at its end)')
    .addOption(orgOption())
    .option('--adopt', 'also seal the entries written before sealing existed (they carry no mark): reads the whole trail; once, after upgrading a table')
    .action(async (opts: { org?: string; adopt?: boolean }, cmd: Command) => {
      const options = cmd.optsWithGlobals() as GlobalOptions;
      await cli.withSession(options, async (session) => {
        const { sealAudit } = await import('../usecases/audit/trail.ts');
        const orgId = await cli.resolveOrg(session, opts.org);
        const sealed = await sealAudit(session.rt, orgId, opts.adopt ? 'cli:audit-seal-adopt' : 'cli:audit-seal', { adopt: Boolean(opts.adopt) });
        cli.print(options, formatSeal(orgId, sealed), { orgId, ...sealed });
      });
    });
}
