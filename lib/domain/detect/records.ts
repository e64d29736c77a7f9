// Records: the one shape every source reader yields (a chat message, a text file's
// chunk of lines, a table cell, a JSON string, a stored string), and the detectors run
// over a stream of them. The data map tallies what comes out; the ad hoc scan masks it.
import { detect, type Detection } from './detect.ts';

/** Where a record is: its file (or object, or table), with line, row and column, or a JSON pointer. */
export interface Location {
  file: string;
  /** 1-based line of the record's first character. */
  line?: number;
  /** 1-based data row of a table. */
  row?: number;
  /** The column's header name. */
  column?: string;
  /** RFC 6901 JSON pointer of the string; keys in it are redacted by the reader (they are content). */
  pointer?: string;
}

export interface SourceRecord {
  /** The group, channel or folder it belongs to. */
  group: string;
  /** Who wrote it; '' when the source does not say. */
  sender: string;
  /** ISO-8601 when the reader could read it, else as written. */
  time?: string;
  /** May hold many lines: a finding's line is `at.line` plus the newlines before it. */
  text: string;
  at: Location;
  /**
   * Set when the next record starts again with `text.slice(repeatedFrom)` (a long line
   * cut in pieces that overlap, so that nothing straddling a cut is missed): detections
   * starting there are left to the next record, which sees them whole.
   */
  repeatedFrom?: number;
}

export type OnDetection = (record: SourceRecord, d: Detection, line: number | undefined) => void;

/**
 * Runs the detectors over each record a reader yields, in order, handing on each
 * detection with its line (when the record has lines); returns what the reader
 * returns when it is done (its coverage).
 */
export async function detectRecords<R>(records: AsyncIterator<SourceRecord, R>, onDetection: OnDetection): Promise<R> {
  try {
    for (;;) {
      const next = await records.next();
      if (next.done) return next.value;
      const { text, at, repeatedFrom = Infinity } = next.value;
      let line = at.line;
      let counted = 0;
      for (const d of detect(text)) {
        if (d.start >= repeatedFrom) break; // detections come sorted by start
        if (line !== undefined) {
          for (let i = text.indexOf('\n', counted); i !== -1 && i < d.start; i = text.indexOf('\n', i + 1)) line++;
          counted = d.start;
        }
        onDetection(next.value, d, line);
      }
    }
  } catch (error) {
    await records.return?.();
    throw error;
  }
}
