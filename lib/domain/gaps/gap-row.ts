// A gap as a row of a table for a spreadsheet: what `compliance gaps --format csv`
// writes and the audit package's gaps.csv, the times as people read them in the
// organisation's time zone (the header names it). Pure.
import type { Gap } from './gap.ts';

export interface GapColumns {
  /** The first column's header, over the gap's id. */
  id: string;
  /** A column of how often the gap has reopened, after the day it closed. */
  reopened: boolean;
}

export function gapHeader(timeZone: string, columns: GapColumns): string[] {
  return [
    columns.id,
    'rule',
    'subject kind',
    'subject',
    'status',
    'severity',
    'requirements',
    'owner',
    'remedy',
    `opened (${timeZone})`,
    `closed (${timeZone})`,
    ...(columns.reopened ? ['reopened'] : []),
    'accepted until (by)',
  ];
}

/** `local`: an instant as people read it in the zone the header names ('' for none). */
export function gapRow(g: Gap, local: (iso: string | undefined) => string, columns: GapColumns): (string | number)[] {
  return [
    g.id,
    g.rule,
    g.subject.kind,
    g.subject.id,
    g.status,
    g.severity,
    g.requirements.map((r) => `${r.framework}:${r.id}`).join('; '),
    g.owner,
    g.remedy,
    local(g.openedAt),
    local(g.closedAt),
    ...(columns.reopened ? [g.reopened] : []),
    g.acceptance ? `${g.acceptance.until} (${g.acceptance.approvedBy})` : '',
  ];
}
