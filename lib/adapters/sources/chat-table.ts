// Chat or audit exports as tables (CSV, TSV, XLSX, as DingTalk admins export them),
// one message per row.
//
// - Columns are guessed from the header names (English or Chinese, see
//   COLUMN_NAMES; case-insensitive, trimmed, `_`/`-`/spaces alike) unless
//   `columns` is given. Without a content column: an InputError naming the file
//   (redacted), the header's line and its number of columns, and the `columns`
//   option; never the header's names, which in a file without a header are the first
//   row of data.
// - Missing sender column: sender ''. Missing group column: the file name without
//   extension. Rows with an empty content cell are not messages.
// - A CSV/TSV record the reader rejects (an unbalanced quote: a problem at its line) is no
//   row, but its first line is a message of its own (no sender, the file's group, `at`
//   its line alone), so that what it holds is still scanned (csv-reader.ts).
// - time: ISO-8601 when it is a date-time we can read (`2026-11-03 09:15[:22]`,
//   `2026/11/3 下午3:15`, `03/11/2026 09:15` read day first, ISO with a zone kept
//   as is, epoch seconds or milliseconds as UTC), else the text as written.
// - CSV/TSV: `budgetBytes` passes to the CSV reader; `at` has `row` and `line`.
//   XLSX (by its name, or its bytes: a workbook renamed `.csv`) is read whole (see xlsx-reader.ts): `budgetBytes` does not apply; `at`
//   has `row` (the data row, header not counted). A title or metadata lines above the
//   header (a preamble: table-layout.ts) are no messages, and the header is found below
//   them, by both readers.
// - `budgetRecords` (all readers): stop after the first N messages.
import path from 'node:path';
import { redactName } from '../../domain/detect/redact.ts';
import type { Encoding } from '../../domain/text/encoding.ts';
import { InputError } from '../../errors.ts';
import { normalizeTime, type ChatMessage } from './chat-message.ts';
import { readCsvRecords, readCsvRecordsAndRejected, type CsvRejectedLine, type CsvReport } from './csv-reader.ts';
import { fileKind } from './file-kinds.ts';
import { workbookByBytes } from './local-files.ts';
import { rejectedRecord } from './table-records.ts';
import { readXlsxRows, type XlsxReadOptions } from './xlsx-reader.ts';

/** Header names in the export. */
export interface ColumnMapping {
  sender?: string;
  time?: string;
  group?: string;
  content: string;
}

/** Header names recognised for each role, in order of preference (compared normalised). */
export const COLUMN_NAMES: Readonly<Record<keyof ColumnMapping, readonly string[]>> = {
  content: ['content', 'message', 'text', 'body', '內容', '内容', '消息內容', '消息内容'],
  sender: ['sender', 'from', 'user', '發送人', '发送人', '发送者', '發送者', '成員', '成员'],
  time: ['time', 'timestamp', 'sent at', '時間', '时间', '發送時間', '发送时间'],
  group: ['group', 'channel', 'chat', 'conversation', '群組', '群组', '群名稱', '群名称', '會話', '会话'],
};

const normalizeHeader = (h: string): string => h.trim().toLowerCase().replace(/[\s_\-]+/g, ' ');

/** Every recognised name, normalised. */
const KNOWN_FORMS: ReadonlySet<string> = new Set(Object.values(COLUMN_NAMES).flat().map(normalizeHeader));

/** Columns for a chat table from its header names; undefined when no content column is found. */
export function guessColumns(headers: string[]): ColumnMapping | undefined {
  // One pass over the headers (there may be thousands), keeping the first header of each recognised form.
  const byForm = new Map<string, string>();
  for (const h of headers) {
    const form = normalizeHeader(h);
    if (KNOWN_FORMS.has(form) && !byForm.has(form)) byForm.set(form, h);
  }
  const find = (role: keyof ColumnMapping): string | undefined => {
    for (const name of COLUMN_NAMES[role]) {
      const hit = byForm.get(normalizeHeader(name));
      if (hit !== undefined) return hit;
    }
    return undefined;
  };
  const content = find('content');
  if (content === undefined) return undefined;
  const mapping: ColumnMapping = { content };
  for (const role of ['sender', 'time', 'group'] as const) {
    const hit = find(role);
    if (hit !== undefined && hit !== content) mapping[role] = hit;
  }
  return mapping;
}

export interface ChatTableOptions {
  /** Header names to use; overrides guessing. */
  columns?: ColumnMapping;
  /** CSV/TSV only: read at most the first N bytes (see csv-reader.ts). */
  budgetBytes?: number;
  /** Stop after the first N messages. */
  budgetRecords?: number;
  /** CSV/TSV only. */
  encoding?: Encoding;
  /** CSV/TSV only; default as the CSV reader decides (a `sep=` line, the extension, sniffed semicolons, tabs or pipes: csv-reader.ts). */
  delimiter?: string;
  /** XLSX only: sheet number (1-based) or name. */
  sheet?: number | string;
  /** Dates in the time column are day/month/year unless false. Default true. */
  dayFirst?: boolean;
  /** Group for rows without a group column; default the file name without extension. */
  group?: string;
  /** CSV/TSV only: the CSV reader's report (problems such as unbalanced quotes). */
  report?: (r: CsvReport) => void;
}

interface TableRow {
  cells: Record<string, string>;
  row: number;
  line?: number;
}

async function csvHeader(file: string, options: ChatTableOptions): Promise<{ header: string[]; line?: number }> {
  let header: string[] = [];
  let line: number | undefined;
  const csv = {
    report: (r: CsvReport) => {
      header = r.header;
      line = r.headerLine;
    },
    ...csvOptions(options),
  };
  for await (const _ of readCsvRecords(file, csv)) break;
  return { header, ...(line !== undefined ? { line } : {}) };
}

function csvOptions(options: ChatTableOptions): { encoding?: Encoding; budgetBytes?: number; delimiter?: string } {
  const o: { encoding?: Encoding; budgetBytes?: number; delimiter?: string } = {};
  if (options.encoding !== undefined) o.encoding = options.encoding;
  if (options.budgetBytes !== undefined) o.budgetBytes = options.budgetBytes;
  if (options.delimiter !== undefined) o.delimiter = options.delimiter;
  return o;
}

/** The file has no column we can read messages from: where its header is and how wide, never what it says. */
function noContentError(file: string, headers: string[], headerLine: number | undefined, missing?: string): InputError {
  const what = missing === undefined ? 'no message content column found' : `column ${JSON.stringify(redactName(missing))} (from the source's columns) not found`;
  const where = headers.length ? `in its header row (${headerLine !== undefined ? `line ${headerLine}, ` : ''}${headers.length} column${headers.length === 1 ? '' : 's'})` : '(the file has no header row)';
  return new InputError(
    `${redactName(file)}: ${what} ${where}. ` +
      `Name the columns in the source's "columns" (e.g. columns: { content: Msg, sender: Who, time: When, group: Room }), ` +
      `or give the file a header row (recognised content headers: ${COLUMN_NAMES.content.join(', ')})`,
  );
}

/** Messages of a CSV, TSV or XLSX chat or audit export (one message per row). */
export async function* readChatTable(file: string, options: ChatTableOptions = {}): AsyncGenerator<ChatMessage> {
  const budget = options.budgetRecords ?? Infinity;
  const dayFirst = options.dayFirst ?? true;
  const group = options.group ?? path.basename(file, path.extname(file));
  // a workbook by its name (.xlsx, .xlsm, .xltx), or by its bytes (an export renamed .csv), as the file scan reads one
  const xlsx = fileKind(file) === 'xlsx' || (await workbookByBytes(file));

  let rows: AsyncIterable<TableRow | CsvRejectedLine>;
  let headers: string[];
  let headerLine: number | undefined;
  if (xlsx) {
    // onHeader is called before the first row is yielded: pull that row now.
    let seen: string[] = [];
    const xo: XlsxReadOptions = { onHeader: (h) => (seen = h) };
    if (options.sheet !== undefined) xo.sheet = options.sheet;
    const it = readXlsxRows(file, xo);
    const first = await it.next();
    headers = seen;
    rows = (async function* () {
      if (first.done) return;
      yield first.value;
      yield* it;
    })();
  } else {
    ({ header: headers, line: headerLine } = await csvHeader(file, options));
    const co = { ...csvOptions(options), ...(options.report ? { report: options.report } : {}) };
    rows = readCsvRecordsAndRejected(file, co);
  }

  const columns = options.columns ?? guessColumns(headers);
  if (columns === undefined) throw noContentError(file, headers, headerLine);
  for (const key of ['content', 'sender', 'time', 'group'] as const) {
    const name = columns[key];
    if (name !== undefined && !headers.includes(name)) throw noContentError(file, headers, headerLine, name);
  }
  if (budget <= 0) return;

  let count = 0;
  for await (const r of rows) {
    if ('text' in r) {
      // a rejected record's first line (a problem at its line): no cells to read, but text to scan
      yield rejectedRecord(group, file, r);
      if (++count >= budget) return;
      continue;
    }
    const text = r.cells[columns.content] ?? '';
    if (text.trim() === '') continue;
    const at: ChatMessage['at'] = { file, row: r.row };
    if (r.line !== undefined) at.line = r.line;
    const message: ChatMessage = {
      group: (columns.group !== undefined ? r.cells[columns.group]?.trim() : undefined) || group,
      sender: (columns.sender !== undefined ? r.cells[columns.sender]?.trim() : undefined) ?? '',
      text,
      at,
    };
    if (message.sender !== '') message.senderAt = { ...at, column: columns.sender! }; // its own cell, scanned once per group (records.ts)
    const time = columns.time !== undefined ? r.cells[columns.time] : undefined;
    if (time !== undefined && time.trim() !== '') message.time = normalizeTime(time, dayFirst);
    yield message;
    if (++count >= budget) return;
  }
}
