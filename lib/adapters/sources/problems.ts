// What a reader says it could not read as written, and how much of that it keeps: one
// place for every reader (text, cards, CSV, S3 objects, a split file's parts), so a
// file's problems are capped alike however it was read. Imports nothing: a text scan
// that loads it loads no parser.

/** A problem at a line of a file or object (1-based). */
export interface LineProblem {
  line: number;
  message: string;
}

/** Problems kept per file or object (the rest are counted, not listed): a broken file may hold one per line. */
export const MAX_PROBLEMS = 1000;
