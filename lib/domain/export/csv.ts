// The audit package's parts as CSV for a spreadsheet, one file per table: UTF-8 with a
// byte-order mark so that Excel keeps Chinese titles and names, times in the
// organisation's time zone (the header names it), days as they are. Text a person
// typed (comments, titles, locations) is never read as a formula. Pure.
import { stringify } from 'csv-stringify/sync';
import { localTime } from '../local-time.ts';
import { gapHeader, gapRow } from '../gaps/gap-row.ts';
import { soaTable } from '../review/soa.ts';
import type { PackageContent, PackageFile } from './package.ts';

type Cell = string | number | boolean | undefined | null;

/** What a spreadsheet takes for the start of a formula (or, for tab and CR, strips before one). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A cell as text a spreadsheet shows and does not evaluate: text starting like a formula
 * gets a single quote in front (OWASP's advice against CSV injection), so an answer's
 * comment `=HYPERLINK(...)` or a title `=cmd|'...'!A0` stays text. Numbers are left as
 * they are (-3 is no formula); text that starts like a number (`+852 2345 6789`) is still
 * text, and quoted.
 */
function spreadsheetCell(value: Cell): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  const text = String(value);
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** A table as CSV for a spreadsheet: UTF-8 with a byte-order mark (Excel keeps the Chinese), every cell through spreadsheetCell. */
export function spreadsheetCsv(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  return `\ufeff${stringify([header, ...rows].map((r) => r.map(spreadsheetCell)))}`;
}

export function csvFile(path: string, header: readonly string[], rows: readonly (readonly Cell[])[]): PackageFile {
  return { path, content: Buffer.from(spreadsheetCsv(header, rows), 'utf8') };
}

const GAPS_CSV = { id: 'gap', reopened: true };

export function csvParts(c: PackageContent): PackageFile[] {
  const tz = c.window.timeZone;
  const local = (iso: string | undefined) => localTime(iso, tz);
  const at = (what: string) => `${what} (${tz})`;
  const tasks = c.review?.tasks ?? [];
  return [
    ((soa) => csvFile('soa.csv', soa.header, soa.rows))(soaTable(c.soa, `evidence status on ${c.asOf}`)),
    csvFile(
      'review.csv',
      ['task', 'control', 'title', 'owner', 'delegate', 'reviewer', 'due', 'status', 'result', 'comment', at('answered'), 'answered by', 'decision', 'decision comment', at('decided'), 'carries', 'evidence at opening', 'evidence'],
      tasks.map((t) => [
        t.id,
        t.control,
        t.controlTitle,
        t.owner,
        t.delegate,
        t.reviewer,
        t.due,
        t.status,
        t.result,
        t.comment,
        local(t.answeredAt),
        t.answeredBy,
        t.reviewDecision,
        t.reviewComment,
        local(t.reviewedAt),
        t.carries,
        t.evidenceStatusAtOpening,
        t.evidence.map((e) => `${e.id}: ${e.title} <${e.location}>${e.sha256 ? ` sha256:${e.sha256}` : ''}`).join('\n'),
      ]),
    ),
    csvFile(
      'nonconformities.csv',
      ['nonconformity', 'control', 'opened in', 'reason', 'status', 'closed in'],
      (c.review?.nonconformities ?? []).map((n) => [n.id, n.control, n.openedIn, n.reason, n.status, n.closedIn]),
    ),
    csvFile(
      'evidence.csv',
      ['evidence', 'control', 'title', 'kind', 'owner', 'origin', 'location', 'sha256', 'collected', 'valid until', `status on ${c.asOf}`, 'retired', 'renewed by', 'renews', 'retired on'],
      c.evidence.map((e) => [e.id, e.control, e.title, e.kind, e.owner, e.origin, e.location, e.sha256, e.collected, e.validUntil, e.status, e.retired ? 'yes' : 'no', e.renewedBy, e.renews, e.retiredOn]),
    ),
    csvFile(
      'gaps.csv',
      gapHeader(tz, GAPS_CSV),
      c.gaps.gaps.map((g) => gapRow(g, local, GAPS_CSV)),
    ),
    csvFile(
      'datamap.csv',
      ['scan', at('scanned'), 'source', 'platform', 'status', 'rating', 'stored in', 'region', 'country', 'people of', 'distinct people', 'findings', 'red groups', 'amber groups', 'green groups', 'flagged flows', 'reasons'],
      (c.dataMap?.sources ?? []).map((s) => [
        c.dataMap?.scanId,
        local(c.dataMap?.scannedAt),
        s.id,
        s.platform,
        s.status,
        s.rating,
        s.storage?.jurisdiction,
        s.storage?.region,
        s.storage?.country,
        s.peopleJurisdictions?.join('; '),
        s.distinctPeople,
        Object.entries(s.findings ?? {})
          .map(([type, n]) => `${type}: ${n}`)
          .join('; '),
        s.groups?.red,
        s.groups?.amber,
        s.groups?.green,
        (s.flows ?? [])
          .filter((f) => f.status === 'flagged')
          .map((f) => `${f.from} -> ${f.to}`)
          .join('; '),
        s.status === 'failed' ? s.reason : s.reasons?.join('; '),
      ]),
    ),
    csvFile(
      'audit.csv',
      ['at (UTC)', at('at'), 'event', 'subject', 'actor', 'detail', 'key', 'sha256'],
      c.audit.map((e) => [e.at, local(e.at), e.event, e.subject, e.actor, e.detail === undefined ? '' : JSON.stringify(e.detail), e.key, e.hash]),
    ),
  ];
}
