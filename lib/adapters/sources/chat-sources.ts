// Chat exports that keep who wrote what in which group (issue 3, "Sources"):
// WhatsApp `.txt` exports, Slack export folders, and CSV/TSV/XLSX chat or audit
// exports as DingTalk admins export them. Each reader yields one ChatMessage per
// message, in file order, with where it is (line, row, or JSON pointer).
//
// Decisions (documented here because callers depend on them):
//
// WhatsApp
// - Both export formats: iOS `[03/11/2026, 09:15:22] Sender: text` and Android
//   `03/11/2026, 09:15 - Sender: text`; 2- or 4-digit years; `/`, `.` or `-`
//   between date parts; times with seconds or not, with AM/PM (also `a.m.`, with a
//   narrow no-break space) or a leading 上午/下午 (also 凌晨/中午/晚上); a
//   leading U+200E mark is ignored. A date starting with a 4-digit year is read
//   year/month/day.
// - Dates are read day/month/year, as Hong Kong (en-HK, zh-HK) phones write them;
//   pass `dayFirst: false` for month/day/year exports. `time` is an ISO-8601
//   local date-time without a zone (`2026-11-03T09:15:22`: the export has no
//   zone); when the date is not a real date it is the text as written.
// - Lines without a timestamp continue the previous message (joined with '\n';
//   `at.line` is the line where the message starts). Lines before the first
//   timestamp are ignored.
// - System lines (a timestamp with no `Sender: ` after it, e.g. "Messages and
//   calls are end-to-end encrypted", "Peter added Mary"; and on iOS a line from
//   the group itself whose text starts with U+200E) are SKIPPED by default; with
//   `includeSystem: true` they are yielded with sender ''.
// - A message longer than `maxMessageChars` (default 1 MiB) is cut there, so a
//   huge single line is held in bounded memory.
//
// Slack
// - Channels from `channels.json` (and `groups.json`, private channels, when
//   present), in file order; without either, the sub-folders in name order. A
//   channel name that is not a plain folder name (contains a path separator or
//   is `.`/`..`) is refused. Day files `YYYY-MM-DD.json` in name order.
// - sender = `user_profile.real_name`, else the user's `real_name` (profile or
//   top-level) in `users.json`, else its `name`, else the user id (or
//   `username`/`bot_id` for bots). Messages without a string `text` are skipped.
// - time = `ts` (epoch seconds) as ISO-8601 UTC; `at.pointer` = `/<index>/text`.
// - A JSON file larger than `maxFileBytes` (default 64 MiB) is refused with an
//   error rather than read. `budgetBytes` counts whole day files: reading stops
//   before the first day file that would take the total past the budget.
//
// Tables (CSV, TSV, XLSX)
// - Columns are guessed from the header names (English or Chinese, see
//   COLUMN_NAMES; case-insensitive, trimmed, `_`/`-`/spaces alike) unless
//   `columns` is given. Without a content column: an Error naming the file, the
//   headers seen and the `columns` option.
// - Missing sender column: sender ''. Missing group column: the file name without
//   extension. Rows with an empty content cell are not messages.
// - time: ISO-8601 when it is a date-time we can read (`2026-11-03 09:15[:22]`,
//   `2026/11/3 下午3:15`, `03/11/2026 09:15` read day first, ISO with a zone kept
//   as is, epoch seconds or milliseconds as UTC), else the text as written.
// - CSV/TSV: `budgetBytes` passes to the CSV reader; `at` has `row` and `line`.
//   XLSX is read whole (see xlsx-reader.ts): `budgetBytes` does not apply; `at`
//   has `row` (the data row, header not counted).
// - `budgetRecords` (all readers): stop after the first N messages.
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { readCsvRecords, type CsvReport } from './csv-reader.ts';
import type { Encoding } from '../../domain/text/encoding.ts';
import { readTextChunks, ReadError, type ReadReport } from './text-reader.ts';
import { readXlsxRows, type XlsxReadOptions } from './xlsx-reader.ts';

export interface ChatMessage {
  group: string;
  sender: string;
  /** ISO-8601 when parseable, else as written. */
  time?: string;
  text: string;
  /** Where it is: line for text exports, row (+line) for CSV/XLSX, file + JSON pointer for Slack. */
  at: { file: string; line?: number; row?: number; pointer?: string };
}

/** Header names in the export. */
export interface ColumnMapping {
  sender?: string;
  time?: string;
  group?: string;
  content: string;
}

// ---------------------------------------------------------------------------
// Dates and times

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

function validDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1 || d > 31) return false;
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

const TIME_RE = /^(上午|下午|凌晨|中午|晚上|早上)?\s*(\d{1,2}):(\d{2})(?::(\d{2}))?(?:[\s\u202f\u00a0]*([AaPp])\.?\s?[Mm]\.?)?$/;

/** '09:15', '9:15:22 PM', '下午3:15' as [h, m, s] on a 24-hour clock, or undefined. */
function parseClock(text: string): [number, number, number] | undefined {
  const m = TIME_RE.exec(text.trim());
  if (!m) return undefined;
  let h = Number(m[2]);
  const min = Number(m[3]);
  const s = m[4] === undefined ? 0 : Number(m[4]);
  const pm = m[5] ? m[5].toLowerCase() === 'p' : m[1] === '下午' || m[1] === '晚上' ? true : m[1] === '中午' ? h < 11 : false;
  const twelveHour = m[5] !== undefined || m[1] !== undefined;
  if (twelveHour) {
    if (h < 1 || h > 12) return undefined;
    if (pm && h < 12) h += 12;
    if (!pm && h === 12) h = 0;
  }
  if (h > 23 || min > 59 || s > 59) return undefined;
  return [h, min, s];
}

/** A date and a clock time as written, as an ISO-8601 local date-time; undefined when not a real date. */
function isoFrom(date: string, clock: string, dayFirst: boolean): string | undefined {
  const parts = date.split(/[/.\-年月日]/).filter((p) => p !== '');
  if (parts.length !== 3 || parts.some((p) => !/^\d+$/.test(p))) return undefined;
  const [a, b, c] = parts as [string, string, string];
  let y: number, mo: number, d: number;
  if (a.length === 4) [y, mo, d] = [Number(a), Number(b), Number(c)];
  else if (dayFirst) [d, mo, y] = [Number(a), Number(b), Number(c)];
  else [mo, d, y] = [Number(a), Number(b), Number(c)];
  if (a.length !== 4 && c.length <= 2) y += 2000;
  if (!validDate(y, mo, d)) return undefined;
  const t: [number, number, number] | undefined = clock === '' ? [0, 0, 0] : parseClock(clock);
  if (!t) return undefined;
  return `${pad(y, 4)}-${pad(mo)}-${pad(d)}T${pad(t[0])}:${pad(t[1])}:${pad(t[2])}`;
}

const DATE_TIME_RE = /^(\d{1,4}[/.\-年]\d{1,2}[/.\-月]\d{1,4}日?)(?:(?:[\sT,]+)(.+))?$/;

/** A table's time cell as ISO-8601 when it can be read, else as written (trimmed). */
export function normalizeTime(text: string, dayFirst = true): string {
  const s = text.trim();
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(s)) return s;
  if (/^\d{10}(\.\d+)?$/.test(s)) return new Date(Number(s) * 1000).toISOString();
  if (/^\d{13}$/.test(s)) return new Date(Number(s)).toISOString();
  const m = DATE_TIME_RE.exec(s);
  if (m) return isoFrom(m[1] ?? '', m[2] ?? '', dayFirst) ?? s;
  return s;
}

// ---------------------------------------------------------------------------
// WhatsApp

export interface WhatsAppOptions {
  /** Group name; default the file name without extension, minus a leading 'WhatsApp Chat with '. */
  group?: string;
  encoding?: Encoding;
  budgetBytes?: number;
  /** Stop after the first N messages. */
  budgetRecords?: number;
  /** Dates are day/month/year unless false (month/day/year). Default true (Hong Kong). */
  dayFirst?: boolean;
  /** Yield system lines with sender '' instead of skipping them. */
  includeSystem?: boolean;
  /** Longest message kept, in UTF-16 code units (default 1 MiB); the rest is cut. */
  maxMessageChars?: number;
  /** Passed to readTextChunks. */
  maxChunkChars?: number;
  report?: (r: ReadReport) => void;
}

const WA_DATE = String.raw`(\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4})`;
const WA_TIME = String.raw`((?:上午|下午|凌晨|中午|晚上|早上)?\s?\d{1,2}:\d{2}(?::\d{2})?(?:[\s\u202f\u00a0]?[AaPp]\.?\s?[Mm]\.?)?)`;
const WA_IOS = new RegExp(String.raw`^[\u200e\u200f]?\[${WA_DATE},?\s+${WA_TIME}\]\s?(.*)$`, 's');
const WA_ANDROID = new RegExp(String.raw`^[\u200e\u200f]?${WA_DATE},?\s+${WA_TIME}\s[-–]\s(.*)$`, 's');

/** The default WhatsApp group name for an export file. */
export function whatsAppGroupName(file: string): string {
  return path.basename(file, path.extname(file)).replace(/^WhatsApp Chat with /i, '').replace(/^WhatsApp 聊天(記錄|记录)?[:：]?\s*/, '');
}

/** Lines of a text file with their 1-based numbers, '\r\n' ending removed. */
async function* readLines(file: string, options: WhatsAppOptions, maxLineChars: number): AsyncGenerator<{ text: string; line: number }> {
  let partial = '';
  let partialLine = 1;
  const text: ReadTextOptions = { report: options.report };
  if (options.encoding !== undefined) text.encoding = options.encoding;
  if (options.budgetBytes !== undefined) text.budgetBytes = options.budgetBytes;
  if (options.maxChunkChars !== undefined) text.maxChunkChars = options.maxChunkChars;
  for await (const chunk of readTextChunks(file, text)) {
    const body = chunk.text.slice(chunk.overlap);
    let line = chunk.continued ? partialLine : chunk.line;
    let start = 0;
    for (let nl = body.indexOf('\n'); nl >= 0; nl = body.indexOf('\n', start)) {
      const piece = partial + body.slice(start, Math.min(nl, start + maxLineChars));
      yield { text: piece.endsWith('\r') ? piece.slice(0, -1) : piece, line };
      partial = '';
      line++;
      start = nl + 1;
    }
    if (start < body.length) {
      if (partial === '') partialLine = line;
      if (partial.length < maxLineChars) partial += body.slice(start, start + maxLineChars - partial.length);
    }
  }
  if (partial !== '') yield { text: partial.endsWith('\r') ? partial.slice(0, -1) : partial, line: partialLine };
}

type ReadTextOptions = NonNullable<Parameters<typeof readTextChunks>[1]>;

/** Messages of a WhatsApp chat export (.txt), iOS or Android format. */
export async function* readWhatsAppExport(file: string, options: WhatsAppOptions = {}): AsyncGenerator<ChatMessage> {
  const group = options.group ?? whatsAppGroupName(file);
  const dayFirst = options.dayFirst ?? true;
  const budget = options.budgetRecords ?? Infinity;
  const maxChars = options.maxMessageChars ?? 1 << 20;
  if (budget <= 0) return;
  let current: (ChatMessage & { system: boolean }) | undefined;
  let count = 0;

  const finish = (m: ChatMessage & { system: boolean }): ChatMessage | undefined => {
    if (m.system && !options.includeSystem) return undefined;
    const { system: _system, ...message } = m;
    return message;
  };

  for await (const { text, line } of readLines(file, options, maxChars)) {
    const m = WA_IOS.exec(text) ?? WA_ANDROID.exec(text);
    if (!m) {
      if (current && current.text.length < maxChars) current.text = (current.text + '\n' + text).slice(0, maxChars);
      continue;
    }
    if (current) {
      const done = finish(current);
      if (done) {
        yield done;
        if (++count >= budget) return;
      }
    }
    const [, date = '', clock = '', rest = ''] = m;
    const time = isoFrom(date, clock, dayFirst) ?? `${date}, ${clock}`;
    const colon = rest.indexOf(': ');
    const sender = colon >= 0 ? rest.slice(0, colon).replace(/^[\u200e\u200f]+/, '').trim() : rest.endsWith(':') ? rest.slice(0, -1).trim() : '';
    const body = colon >= 0 ? rest.slice(colon + 2) : rest.endsWith(':') ? '' : rest;
    // iOS writes system lines as coming from the group, text starting with U+200E.
    const system = sender === '' || (sender === group && body.startsWith('\u200e'));
    current = { group, sender: system ? '' : sender, time, text: system ? body.replace(/^[\u200e\u200f]+/, '') : body, at: { file, line }, system };
  }
  if (current) {
    const done = finish(current);
    if (done) yield done;
  }
}

// ---------------------------------------------------------------------------
// Slack

export interface SlackOptions {
  /** Stop before the first day file that would take the bytes read past this. */
  budgetBytes?: number;
  /** Stop after the first N messages. */
  budgetRecords?: number;
  /** Largest JSON file read (default 64 MiB); a larger one is an error. */
  maxFileBytes?: number;
}

export const DEFAULT_MAX_SLACK_FILE_BYTES = 64 * 1024 * 1024;

async function fileSize(file: string): Promise<number | undefined> {
  try {
    return (await stat(file)).size;
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ENOENT') return undefined;
    throw new ReadError(file, String((err as { code?: unknown }).code ?? 'EIO'), (err as Error).message, { cause: err });
  }
}

async function readJson(file: string, maxBytes: number, size?: number): Promise<unknown> {
  const bytes = size ?? (await fileSize(file));
  if (bytes === undefined) throw new ReadError(file, 'ENOENT', 'no such file');
  if (bytes > maxBytes) {
    throw new ReadError(file, 'EFBIG', `file is ${bytes} bytes, larger than the ${maxBytes}-byte limit for Slack export files; not read`);
  }
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ReadError(file, String((err as { code?: unknown }).code ?? 'EIO'), (err as Error).message, { cause: err });
  }
  try {
    return JSON.parse(text.replace(/^\ufeff/, ''));
  } catch (err) {
    throw new Error(`${file}: not valid JSON (${(err as Error).message})`, { cause: err });
  }
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function slackTime(ts: unknown): string | undefined {
  if (typeof ts !== 'string' && typeof ts !== 'number') return undefined;
  const m = /^(\d+)(?:\.(\d+))?$/.exec(String(ts));
  if (!m) return typeof ts === 'string' ? ts : undefined;
  const ms = Number(m[1]) * 1000 + Math.floor(Number(`0.${m[2] ?? '0'}`) * 1000);
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? String(ts) : d.toISOString();
}

function plainFolderName(name: string): boolean {
  return name !== '' && name !== '.' && name !== '..' && !name.includes('/') && !name.includes('\\') && !name.includes('\0');
}

/** Messages of an unzipped Slack export folder. */
export async function* readSlackExport(folder: string, options: SlackOptions = {}): AsyncGenerator<ChatMessage> {
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_SLACK_FILE_BYTES;
  const budgetBytes = options.budgetBytes ?? Infinity;
  const budget = options.budgetRecords ?? Infinity;
  if (budget <= 0) return;

  // Users: id -> display name.
  const names = new Map<string, string>();
  const usersFile = path.join(folder, 'users.json');
  if ((await fileSize(usersFile)) !== undefined) {
    const users = await readJson(usersFile, maxBytes);
    if (Array.isArray(users)) {
      for (const u of users) {
        if (!isObject(u) || !str(u.id)) continue;
        const profile = isObject(u.profile) ? u.profile : {};
        const name = str(profile.real_name) ?? str(u.real_name) ?? str(profile.display_name) ?? str(u.name);
        if (name) names.set(u.id as string, name);
      }
    }
  }

  // Channels.
  const channels: string[] = [];
  let listed = false;
  for (const list of ['channels.json', 'groups.json']) {
    const f = path.join(folder, list);
    if ((await fileSize(f)) === undefined) continue;
    listed = true;
    const value = await readJson(f, maxBytes);
    if (!Array.isArray(value)) throw new Error(`${f}: expected a JSON array of channels`);
    for (const c of value) {
      const name = isObject(c) ? str(c.name) : undefined;
      if (name === undefined) continue;
      if (!plainFolderName(name)) throw new Error(`${f}: refusing channel name ${JSON.stringify(name)} (not a plain folder name)`);
      if (!channels.includes(name)) channels.push(name);
    }
  }
  if (!listed) {
    let entries;
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch (err) {
      throw new ReadError(folder, String((err as { code?: unknown }).code ?? 'EIO'), (err as Error).message, { cause: err });
    }
    channels.push(...entries.filter((e) => e.isDirectory()).map((e) => e.name).sort());
  }

  let bytes = 0;
  let count = 0;
  for (const channel of channels) {
    const dir = path.join(folder, channel);
    let days: string[];
    try {
      days = (await readdir(dir)).filter((n) => /^\d{4}-\d{2}-\d{2}\.json$/.test(n)).sort();
    } catch (err) {
      if ((err as { code?: unknown }).code === 'ENOENT') continue; // listed channel with no messages exported
      throw new ReadError(dir, String((err as { code?: unknown }).code ?? 'EIO'), (err as Error).message, { cause: err });
    }
    for (const day of days) {
      const file = path.join(dir, day);
      const size = (await fileSize(file)) ?? 0;
      if (bytes + size > budgetBytes) return;
      bytes += size;
      const value = await readJson(file, maxBytes, size);
      if (!Array.isArray(value)) throw new Error(`${file}: expected a JSON array of messages`);
      for (let i = 0; i < value.length; i++) {
        const msg: unknown = value[i];
        if (!isObject(msg) || typeof msg.text !== 'string') continue;
        const user = str(msg.user);
        const profile = isObject(msg.user_profile) ? msg.user_profile : {};
        const sender = str(profile.real_name) ?? (user ? names.get(user) : undefined) ?? user ?? str(msg.username) ?? str(msg.bot_id) ?? '';
        const message: ChatMessage = { group: channel, sender, text: msg.text, at: { file, pointer: `/${i}/text` } };
        const time = slackTime(msg.ts);
        if (time !== undefined) message.time = time;
        yield message;
        if (++count >= budget) return;
      }
    }
  }
}

// ---------------------------------------------------------------------------
// Tables: CSV, TSV, XLSX

/** Header names recognised for each role, in order of preference (compared normalised). */
export const COLUMN_NAMES: Readonly<Record<keyof ColumnMapping, readonly string[]>> = {
  content: ['content', 'message', 'text', 'body', '內容', '内容', '消息內容', '消息内容'],
  sender: ['sender', 'from', 'user', '發送人', '发送人', '发送者', '發送者', '成員', '成员'],
  time: ['time', 'timestamp', 'sent at', '時間', '时间', '發送時間', '发送时间'],
  group: ['group', 'channel', 'chat', 'conversation', '群組', '群组', '群名稱', '群名称', '會話', '会话'],
};

const normalizeHeader = (h: string): string => h.trim().toLowerCase().replace(/[\s_\-]+/g, ' ');

/** Columns for a chat table from its header names; undefined when no content column is found. */
export function guessColumns(headers: string[]): ColumnMapping | undefined {
  const find = (role: keyof ColumnMapping): string | undefined => {
    for (const name of COLUMN_NAMES[role]) {
      const hit = headers.find((h) => normalizeHeader(h) === normalizeHeader(name));
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
  /** CSV/TSV only; default by extension. */
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

async function csvHeader(file: string, options: ChatTableOptions): Promise<string[]> {
  let header: string[] = [];
  const csv = { report: (r: CsvReport) => (header = r.header), ...csvOptions(options) };
  for await (const _ of readCsvRecords(file, csv)) break;
  return header;
}

function csvOptions(options: ChatTableOptions): { encoding?: Encoding; budgetBytes?: number; delimiter?: string } {
  const o: { encoding?: Encoding; budgetBytes?: number; delimiter?: string } = {};
  if (options.encoding !== undefined) o.encoding = options.encoding;
  if (options.budgetBytes !== undefined) o.budgetBytes = options.budgetBytes;
  if (options.delimiter !== undefined) o.delimiter = options.delimiter;
  return o;
}

function noContentError(file: string, headers: string[], missing?: string): Error {
  const seen = headers.length ? headers.map((h) => JSON.stringify(h)).join(', ') : '(none)';
  const what = missing === undefined ? 'no message content column found' : `column ${JSON.stringify(missing)} not found`;
  return new Error(
    `${file}: ${what}; headers seen: ${seen}. ` +
      `Pass options.columns to name them, e.g. { columns: { content: 'Msg', sender: 'Who', time: 'When', group: 'Room' } } ` +
      `(recognised content headers: ${COLUMN_NAMES.content.join(', ')})`,
  );
}

/** Messages of a CSV, TSV or XLSX chat or audit export (one message per row). */
export async function* readChatTable(file: string, options: ChatTableOptions = {}): AsyncGenerator<ChatMessage> {
  const budget = options.budgetRecords ?? Infinity;
  const dayFirst = options.dayFirst ?? true;
  const group = options.group ?? path.basename(file, path.extname(file));
  const xlsx = path.extname(file).toLowerCase() === '.xlsx';

  let rows: AsyncIterable<TableRow>;
  let headers: string[];
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
    headers = await csvHeader(file, options);
    const co = { ...csvOptions(options), ...(options.report ? { report: options.report } : {}) };
    rows = readCsvRecords(file, co);
  }

  const columns = options.columns ?? guessColumns(headers);
  if (columns === undefined) throw noContentError(file, headers);
  for (const key of ['content', 'sender', 'time', 'group'] as const) {
    const name = columns[key];
    if (name !== undefined && !headers.includes(name)) throw noContentError(file, headers, name);
  }
  if (budget <= 0) return;

  let count = 0;
  for await (const r of rows) {
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
    const time = columns.time !== undefined ? r.cells[columns.time] : undefined;
    if (time !== undefined && time.trim() !== '') message.time = normalizeTime(time, dayFirst);
    yield message;
    if (++count >= budget) return;
  }
}
