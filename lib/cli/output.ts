// Human-readable output of the CLI commands (JSON output is the data itself).
import type { ImportCounts, ImportSummary, LoadedOrganisation } from '../domain/org/org.ts';
import type { LocalRunResult } from '../adapters/local/workflow-runner.ts';
import type { SweepSummary } from '../usecases/sweep/report.ts';
import type { EvidenceRow } from '../domain/evidence/evidence-rows.ts';
import type { ScanSummary as ScanRunSummary } from '../usecases/datamap/scan-run.ts';
import type { CatalogueRow } from '../domain/catalogues/catalogues.ts';
import { printable } from '../domain/text/printable.ts';
import { columns, plural } from './columns.ts';
import { localMoment } from '../domain/local-time.ts';
import { flowDestination } from '../domain/datamap/residency.ts';

const counts = (label: string, c: ImportCounts & { renewed?: number }) => {
  const parts = [
    c.added && `${c.added} added`,
    c.changed && `${c.changed} changed`,
    c.renewed && `${c.renewed} renewed`,
    c.removed && `${c.removed} ${label === 'evidence' ? 'retired' : 'removed'}`,
    c.unchanged && `${c.unchanged} unchanged`,
  ].filter(Boolean);
  return `${label} ${parts.join(', ') || 'none'}`;
};

export function formatImport(file: string, s: ImportSummary): string {
  const undone = s.undone ? `An earlier import of ${s.orgId} (started ${s.undone.startedAt}) did not finish: its ${s.undone.items} writes were undone first.\n` : '';
  // Platforms, groups and acceptances are shown once a file declares (or declared) any.
  const declared = (['platforms', 'groups', 'acceptances'] as const).filter((k) => Object.values(s[k]).some((n) => n > 0)).map((k) => `; ${counts(k, s[k])}`);
  return `${undone}Imported ${s.orgId} from ${file}: ${counts('people', s.people)}; ${counts('controls', s.controls)}; ${counts('evidence', s.evidence)}; ${counts('sources', s.sources)}${declared.join('')}.`;
}

/**
 * What a mail's notices were, each notice counted once so the parts add up to the
 * total: a review digest is one notice however many tasks it lists (shown after it).
 */
function noticeKinds(k: NonNullable<SweepSummary['mails'][number]['kinds']>): string {
  // Summaries recorded before digests were counted have only the task count.
  const digests = k.digests ?? (k.tasks > 0 ? undefined : 0);
  const reviews = digests === undefined ? plural(k.tasks, 'review task') : digests > 0 ? `${plural(digests, 'review digest')} (${plural(k.tasks, 'task')})` : '';
  return [k.escalated && `${k.escalated} escalated`, k.lapsed && `${k.lapsed} lapsed`, k['due-soon'] && `${k['due-soon']} due soon`, reviews, k.alerts && plural(k.alerts, 'alert')].filter(Boolean).join(', ');
}

export function formatSweep(result: LocalRunResult, org: LoadedOrganisation | undefined, outboxDir?: string): string {
  if (result.status === 'already-ran') {
    const sent = (result.run.summary?.mailsSent as number | undefined) ?? 0;
    const finished = localMoment(result.run.finishedAt, org?.organisation.timeZone ?? 'UTC');
    return `Evidence sweep ${result.name} already ran (finished ${finished}; it sent ${sent} mail${sent === 1 ? '' : 's'} then). Nothing sent now.`;
  }
  const s = result.output as SweepSummary;
  const lines = [
    `Evidence sweep ${s.runName}: read ${s.evidenceRead} evidence item${s.evidenceRead === 1 ? '' : 's'} in the window, recorded ${s.noticesRecorded} new notice${s.noticesRecorded === 1 ? '' : 's'}.`,
  ];
  if (s.mailsSent === 0 && s.noticesFailed === 0) lines.push('Nothing to send: every notice due was sent before.');
  else if (s.mailsSent > 0) lines.push(`Sent ${s.mailsSent} mail${s.mailsSent === 1 ? '' : 's'} (${s.noticesSent} notice${s.noticesSent === 1 ? '' : 's'}):`);
  for (const mail of s.mails) {
    const person = org?.people.get(mail.recipientId);
    const who = person ? `${person.name} <${person.email}> [${person.language}]` : mail.recipientId;
    lines.push(`  ${who}: ${mail.notices} notice${mail.notices === 1 ? '' : 's'}${mail.kinds ? `: ${noticeKinds(mail.kinds)}` : ''}`);
  }
  if (s.reviewsClosed?.length) lines.push(`Closed the ${s.reviewsClosed.join(', ')} review${s.reviewsClosed.length === 1 ? '' : 's'} (deadline passed or every answer accepted).`);
  if (s.noticesSuperseded || s.noticesCancelled) lines.push(`Set aside ${s.noticesSuperseded} superseded and ${s.noticesCancelled} cancelled (renewed) notices.`);
  for (const f of s.failedRecipients) lines.push(`FAILED to mail ${f.recipientId}: ${f.error} (the notices stay pending for the next sweep)`);
  if (s.error) lines.push(`The sweep failed: ${s.error}`);
  if (outboxDir && s.mailsSent > 0) lines.push(`Mails are in ${outboxDir}`);
  return lines.join('\n');
}

/** `timeZone`: the organisation's, for the time a run that already ran finished. */
export function formatDataMap(result: LocalRunResult, timeZone = 'UTC'): string {
  if (result.status === 'already-ran') return `Data-mapping scan ${result.name} already ran (finished ${localMoment(result.run.finishedAt, timeZone)}). Nothing scanned now.`;
  const s = result.output as ScanRunSummary;
  const lines = [`Data-mapping scan ${s.scanId}: ${s.sources.length} source${s.sources.length === 1 ? '' : 's'}.`];
  for (const source of s.sources) lines.push(`  ${source.id}: ${source.status === 'scanned' ? source.rating?.toUpperCase() : `FAILED (${printable(source.reason ?? '')})`}`);
  const d = s.diff;
  const changes = [
    d.turnedRed.length && `turned red: ${d.turnedRed.join(', ')}`,
    d.wentGreen.length && `went green: ${d.wentGreen.join(', ')}`,
    d.newJurisdictions.length && `new jurisdictions: ${d.newJurisdictions.map((j) => `${j.source} ${j.jurisdiction}`).join(', ')}`,
    d.newFlaggedFlows.length && `cross-border flows without a transfer basis: ${d.newFlaggedFlows.map((f) => `${f.source} (${f.from} -> ${flowDestination(f.to, s.storedIn?.[f.source])})`).join(', ')}`,
    d.newlyFailed.length && `newly failed: ${d.newlyFailed.join(', ')}`,
  ].filter(Boolean);
  lines.push(changes.length ? `Since the previous scan: ${changes.join('; ')}.` : 'No change since the previous scan.');
  return lines.join('\n');
}

export function formatEvidence(rows: EvidenceRow[]): string {
  if (rows.length === 0) return 'No evidence matches.';
  return columns(
    ['ID', 'CONTROL', 'STATUS', 'VALID UNTIL', 'DAYS', 'OWNER', 'TITLE'],
    rows.map((r) => [
      r.id,
      r.control,
      r.status,
      r.validUntil ?? '-',
      r.daysOverdue === undefined ? '' : r.daysOverdue > 0 ? `+${r.daysOverdue}` : String(r.daysOverdue),
      r.owner,
      r.title,
    ]),
  );
}

/** A catalogue as a table: its name, then id, theme (2022), 2022 controls (2013), status (PDPO) and title. */
export function formatCatalogue(name: string, rows: CatalogueRow[]): string {
  const optional = [
    { header: 'THEME', cell: (r: CatalogueRow) => r.theme },
    { header: 'MAPS TO (2022)', cell: (r: CatalogueRow) => r.mapsTo?.join(', ') },
    { header: 'STATUS', cell: (r: CatalogueRow) => r.status },
  ].filter((c) => rows.some((r) => c.cell(r) !== undefined));
  const table = columns(['ID', ...optional.map((c) => c.header), 'TITLE'], rows.map((r) => [r.id, ...optional.map((c) => c.cell(r) ?? ''), r.title]));
  return `${name}: ${plural(rows.length, 'entry', 'entries')}\n\n${table}`;
}
