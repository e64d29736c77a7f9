// What the review commands print: the Statement of Applicability, a quarter's
// review with its tasks and nonconformities, a task list; tables for people, CSV
// for a spreadsheet (UTF-8 with a byte-order mark, as `compliance gaps` writes it).
import { applicability, soaTable, type SoaRow } from '../domain/review/soa.ts';
import type { OpeningSummary } from '../usecases/review/open.ts';
import type { ReviewView, TaskView } from '../usecases/review/show.ts';
import type { LocalRunResult } from '../adapters/local/workflow-runner.ts';
import { spreadsheetCsv } from '../domain/export/csv.ts';
import { localMoment } from '../domain/local-time.ts';
import { columns, plural } from './columns.ts';
import { IMPLEMENTATION_STATUSES } from '../domain/vocabulary.ts';

const csv = spreadsheetCsv;

/** The accepted result, then any newer answer the reviewer has not accepted: `effective; 2026-Q4 not-effective awaits review`. */
function resultCell(r: SoaRow): string {
  const u = r.unreviewedAnswer;
  const unreviewed = u ? `${u.task.split('/')[0]} ${u.result} ${u.reviewClosed ? 'never reviewed' : 'awaits review'}` : undefined;
  return [r.lastResult, unreviewed].filter(Boolean).join('; ');
}

export function formatSoa(rows: readonly SoaRow[]): string {
  const decided = rows.filter((r) => r.applicable !== null);
  const applicable = rows.filter((r) => r.applicable === true);
  const unjustified = applicable.filter((r) => !r.justified).length;
  const unstated = applicable.filter((r) => !r.implementation).length;
  const byStatus = IMPLEMENTATION_STATUSES.map((s) => [s, applicable.filter((r) => r.implementation === s).length] as const).filter(([, n]) => n > 0);
  const head = `Statement of Applicability: ${rows.length} Annex A controls, ${applicable.length} applicable, ${decided.length - applicable.length} not applicable, ${rows.length - decided.length} undecided.`;
  const notes = [
    ...(byStatus.length ? [`Of the applicable: ${byStatus.map(([s, n]) => `${n} ${s}`).join(', ')}${unstated ? `, ${unstated} not stated` : ''}.`] : []),
    ...(unstated ? [`${plural(unstated, 'applicable control')} ${unstated === 1 ? 'does' : 'do'} not say whether ${unstated === 1 ? 'it is' : 'they are'} implemented (ISO/IEC 27001 6.1.3 d) asks): add \`implementation\` (${IMPLEMENTATION_STATUSES.join(', ')}) in the organisation file.`] : []),
    ...(unjustified ? [`${unjustified} applicable control${unjustified === 1 ? ' has' : 's have'} no justification for inclusion (ISO/IEC 27001 6.1.3 d) asks one): add \`justification\` to ${unjustified === 1 ? 'it' : 'them'} in the organisation file.`] : []),
    ...(rows.some((r) => r.titleInOrganisationFile) ? ["Titles are the catalogue's; the organisation file's own, where different, in [brackets]: check it names the same control."] : []),
  ];
  return `${[head, ...notes].join('\n')}\n\n${columns(
    ['CONTROL', 'APPLICABLE', 'IMPLEMENTED', 'OWNER', 'LAST RESULT', 'EVIDENCE', 'TITLE', 'JUSTIFICATION'],
    rows.map((r) => [
      r.id,
      applicability(r.applicable),
      r.implementation ?? (r.applicable === true ? '(not stated)' : ''),
      r.owner ?? '',
      resultCell(r),
      r.evidenceStatus,
      r.titleInOrganisationFile ? `${r.title} [${r.titleInOrganisationFile}]` : r.title,
      r.justification ?? (r.applicable === true ? '(none given)' : ''),
    ]),
  )}`;
}

export const soaCsv = (rows: readonly SoaRow[]): string => {
  const table = soaTable(rows);
  return csv(table.header, table.rows);
};

const counts = (byResult: Record<string, number>) =>
  Object.entries(byResult)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, n]) => `${n} ${k}`)
    .join(', ');

export function formatTasks(tasks: readonly TaskView[]): string {
  if (tasks.length === 0) return 'No tasks match.';
  return columns(
    ['TASK', 'OWNER', 'DUE', 'STATUS', 'RESULT', 'DECISION', 'EVIDENCE AT OPENING', 'TITLE'],
    tasks.map((t) => [t.id, t.delegate ? `${t.owner} -> ${t.delegate}` : t.owner, t.due, t.status, t.result ?? '', t.reviewDecision ?? '', t.evidenceStatusAtOpening, t.controlTitle]),
  );
}

export function formatReview(view: ReviewView, brief = false): string {
  const r = view.review;
  const state = r.status === 'closed' ? `closed ${r.closedAt?.slice(0, 10)}` : `open, tasks due ${r.due}, closes by ${r.deadline}`;
  const lines = [`Review ${r.id} (${state}): ${r.summary.tasks} task${r.summary.tasks === 1 ? '' : 's'}${r.summary.tasks ? `: ${counts(r.summary.byResult)}` : ''}.`];
  if (r.summary.overdueOwners.length) lines.push(`Overdue owners: ${r.summary.overdueOwners.join(', ')}.`);
  const open = view.nonconformities.filter((nc) => nc.status === 'open');
  if (view.nonconformities.length) lines.push(`Nonconformities: ${view.nonconformities.map((nc) => `${nc.id} (${nc.status})`).join(', ')}.`);
  else if (!brief) lines.push('No nonconformities.');
  if (brief) return lines.join('\n');
  if (open.length && r.status === 'closed') lines.push(`Open nonconformities are carried into the next quarter's task of their control until an effective answer closes them.`);
  lines.push('', formatTasks(view.tasks));
  return lines.join('\n');
}

export const reviewCsv = (view: ReviewView): string =>
  csv(
    ['task', 'control', 'title', 'owner', 'delegate', 'reviewer', 'due', 'status', 'result', 'decision', 'comment', 'carries', 'evidence at opening', 'evidence'],
    view.tasks.map((t) => [
      t.id,
      t.control,
      t.controlTitle,
      t.owner,
      t.delegate ?? '',
      t.reviewer,
      t.due,
      t.status,
      t.result ?? '',
      t.reviewDecision ?? '',
      t.comment ?? '',
      t.carries ?? '',
      t.evidenceStatusAtOpening,
      t.evidence.map((e) => `${e.id} ${e.location}`).join('; '),
    ]),
  );

/** `timeZone`: the organisation's, for the time a run that already ran finished. */
export function formatOpening(result: LocalRunResult, timeZone: string): string {
  if (result.status === 'already-ran') return `Quarterly review ${result.name} already ran (finished ${localMoment(result.run.finishedAt, timeZone)}). Nothing opened now.`;
  const s = result.output as OpeningSummary;
  const what = s.review === 'created' ? 'opened' : s.review === 'closed' ? 'is closed already' : 'was open already';
  const lines = [`Review ${s.quarter} ${what}: ${s.tasks} task${s.tasks === 1 ? '' : 's'} due ${s.due} (${s.tasksCreated} written now); ${s.digestsRecorded} digest${s.digestsRecorded === 1 ? '' : 's'} recorded, ${s.mailsSent} mail${s.mailsSent === 1 ? '' : 's'} sent.`];
  if (s.closedFirst.length) lines.push(`Closed first (deadline passed): ${s.closedFirst.join(', ')}.`);
  for (const f of s.failedRecipients) lines.push(`FAILED to mail ${f.recipientId}: ${f.error} (the digest stays pending for the daily run)`);
  return lines.join('\n');
}
