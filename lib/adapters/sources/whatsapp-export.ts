// WhatsApp chat exports (`.txt`) as chat messages.
//
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
import path from 'node:path';
import type { Encoding } from '../../domain/text/encoding.ts';
import { isoFrom, type ChatMessage } from './chat-message.ts';
import { readTextChunks, type ReadReport, type ReadTextOptions } from './text-reader.ts';

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
