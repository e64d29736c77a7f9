// Text read in chunks (text-chunks.ts) as records to scan, for local files and S3 objects
// alike: a contact card's or a calendar's text unfolded (folded-lines.ts), JSON's escapes
// read (json-escapes.ts), any other text's chunks as they come.
import { lineEnds } from '../../domain/detect/candidates.ts';
import type { SourceRecord } from '../../domain/detect/records.ts';
import { holdsMarkupTables } from './file-kinds.ts';
import { jsonEscapesRead } from '../../domain/text/json-escapes.ts';
import { foldedText, isFoldedName, unfoldedRecords } from './folded-lines.ts';
import type { LineProblem } from './problems.ts';
import type { TextChunk } from './text-chunks.ts';

export interface TextRecordsOptions {
  file: string;
  group: string;
  /** Lines before the first chunk's (a part of a file: file-parts.ts); 0 for a whole file. */
  linesBefore?: number;
  /** JSON read as text: its escapes read. */
  jsonEscapes?: boolean;
  /** The text may be a card or calendar (the whole of a file or object, not a part of one). */
  folded?: boolean;
  maxChunkChars: number;
  /** Whether a byte budget cut the text short, asked at its end. */
  cut: () => boolean;
  /** Gets what could not be read as written, by line. */
  problems: LineProblem[];
}

/**
 * How a reader of `file` finds its chunks' line ends (DecodeOptions.lineEnds): from the
 * detectors' kernel when the chunks go to the detectors as they are; a JSON file's (its
 * escapes read) and a card's or calendar's (unfolded) become other text, and find their own.
 */
export function lineEndsOf(file: string, jsonEscapes: boolean): { lineEnds?: typeof lineEnds } {
  return jsonEscapes || isFoldedName(file) ? {} : { lineEnds };
}

export async function* chunkRecords(chunks: AsyncIterable<TextChunk>, options: TextRecordsOptions): AsyncGenerator<SourceRecord> {
  const { file, group, jsonEscapes } = options;
  const before = options.linesBefore ?? 0;
  const reading = chunks[Symbol.asyncIterator]();
  const first = await reading.next();
  if (first.done) return;
  const rest = (async function* () {
    yield first.value;
    for (let next = await reading.next(); !next.done; next = await reading.next()) yield next.value;
  })();
  try {
    if (options.folded && foldedText(first.value.text)) {
      yield* unfoldedRecords(rest, { file, group, line: first.value.line + before }, options.maxChunkChars, options.problems, options.cut);
      return;
    }
    if (options.folded && isFoldedName(file))
      options.problems.push({ line: 1, message: 'not a vCard or iCalendar (it does not start with BEGIN:VCARD or BEGIN:VCALENDAR): read as plain text, its lines not unfolded' });
    const markup = holdsMarkupTables(file);
    for await (const { text, line, repeatedFrom, newlines } of rest) {
      const record: SourceRecord = { group, sender: '', text, at: { file, line: line + before }, newlines, ...(repeatedFrom !== undefined ? { repeatedFrom } : {}) };
      if (markup !== undefined) record.markupTables = markup;
      yield jsonEscapes ? jsonEscapesRead(record) : record;
    }
  } finally {
    await reading.return?.(undefined);
  }
}
