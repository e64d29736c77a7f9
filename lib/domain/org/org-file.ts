// Parses an organisation YAML file's text. The whole file is checked before
// anything is written; each problem is reported as file:line: field: reason.
import { isMap, LineCounter, parseDocument, visit, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { InputError } from '../../errors.ts';
import { ORG_FILE_LIMITS } from './limits.ts';
import { OrgFile } from './org.ts';
import { localDate } from '../review/quarter.ts';

export class OrgFileError extends InputError {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(problems.join('\n'));
    this.problems = problems;
  }
}

/** A field's name from its path (`people[1].email`); `(file)` for the whole file. */
export function fieldName(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i > 0 ? '.' : ''}${String(p)}`)).join('') || '(file)';
}

/** The line of the deepest node along `path` that exists in the document. */
function lineOf(doc: Document, lines: LineCounter, path: readonly PropertyKey[]): number {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = doc.getIn(path.slice(0, depth) as (string | number)[], true) as Node | undefined;
    const offset = node?.range?.[0];
    if (offset !== undefined) {
      // For a missing key, point at the mapping it belongs in.
      return lines.linePos(offset).line;
    }
  }
  return 1;
}

/**
 * The file's bytes as text: UTF-8 only (a UTF-8 byte-order mark is dropped). UTF-16
 * and UTF-32 files, and bytes that are not UTF-8, are refused at the line they are on.
 */
export function decodeOrgFile(bytes: Uint8Array, fileName: string): string {
  const bom = [...bytes.subarray(0, 4)];
  const startsWith = (...b: number[]) => b.every((v, i) => bom[i] === v);
  if (startsWith(0xff, 0xfe) || startsWith(0xfe, 0xff) || startsWith(0, 0, 0xfe, 0xff)) {
    throw new OrgFileError([`${fileName}:1: (file): must be UTF-8 text; this file is UTF-16 or UTF-32 (save it as UTF-8)`]);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    const text = new TextDecoder('utf-8').decode(bytes);
    const bad = text.indexOf('\ufffd');
    const line = text.slice(0, Math.max(0, bad)).split('\n').length;
    throw new OrgFileError([`${fileName}:${line}: (file): must be UTF-8 text; line ${line} holds bytes that are not UTF-8 (save the file as UTF-8)`]);
  }
}

/** How many aliases (*name) the document holds, and the line of the first. */
function aliases(doc: Document, lines: LineCounter): { count: number; firstLine: number } {
  let count = 0;
  let firstLine = 1;
  visit(doc, {
    Alias(_key, node) {
      if (count++ === 0) firstLine = lines.linePos(node.range?.[0] ?? 0).line;
    },
  });
  return { count, firstLine };
}

/**
 * An organisation file. Given `now` (as on import), also that no evidence is dated after
 * the organisation's today: collected, or retired, in the future is a typing error (the
 * API refuses it too), and the SoA, which counts an item from the day it was collected,
 * would disagree with the evidence list and the gap analysis, which take it as held.
 */
export function parseOrgFile(text: string, fileName: string, now?: Date): OrgFile {
  return parseYamlFile(now ? orgFileOn(now) : OrgFile, text, fileName, 'must be a mapping with organisation, people, controls and evidence');
}

function orgFileOn(now: Date) {
  return OrgFile.superRefine((file, ctx) => {
    const timeZone = file.organisation.timeZone;
    // The later of the organisation's date and UTC's: a date-only --now (09:00 UTC) is the
    // day before west of UTC-9, and a day's slack costs nothing against a wrong year or month.
    const local = localDate(now, timeZone);
    const utc = localDate(now, 'UTC');
    const today = utc > local ? utc : local;
    const said = today === local ? `${local} in ${timeZone}` : `${utc} in UTC, ${local} in ${timeZone}`;
    file.evidence.forEach((e, i) => {
      for (const field of ['collected', 'retiredOn'] as const) {
        const day = e[field];
        if (day !== undefined && day > today) ctx.addIssue({ code: 'custom', path: ['evidence', i, field], message: `${day} is after today (${said})` });
      }
    });
  });
}

/**
 * `file:line: field` for a path into a YAML file already parsed whole (a problem found
 * only later, as an answer the review refuses). The text is parsed again on first use.
 */
export function yamlLocator(text: string, fileName: string): (path: readonly (string | number)[]) => string {
  let parsed: { doc: Document; lines: LineCounter } | undefined;
  return (path) => {
    if (!parsed) {
      const lines = new LineCounter();
      parsed = { doc: parseDocument(text, { lineCounter: lines, prettyErrors: false }), lines };
    }
    return `${fileName}:${lineOf(parsed.doc, parsed.lines, path)}: ${fieldName(path)}`;
  };
}

/** Any YAML file the product reads (organisation, answers): the limits above, then `schema`, each problem with its line. */
export function parseYamlFile<T>(schema: z.ZodType<T>, text: string, fileName: string, shape: string): T {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new OrgFileError(
      doc.errors.map((e) => `${fileName}:${lines.linePos(e.pos[0]).line}: YAML: ${e.message.split('\n')[0]}`),
    );
  }
  if (!isMap(doc.contents)) throw new OrgFileError([`${fileName}:1: (file): ${shape}`]);
  const found = aliases(doc, lines);
  const bomb = `${fileName}:${found.firstLine}: YAML: aliases (*name) that expand to more than ${ORG_FILE_LIMITS.aliases} copies; write the values out`;
  if (found.count > ORG_FILE_LIMITS.aliases) throw new OrgFileError([bomb]);
  let plain: unknown;
  try {
    // Nested aliases multiply: the parser stops one that expands too far (an alias bomb).
    plain = doc.toJS({ maxAliasCount: ORG_FILE_LIMITS.aliases });
  } catch {
    throw new OrgFileError([bomb]);
  }
  const result = schema.safeParse(plain);
  if (result.success) return result.data;
  throw new OrgFileError(describeIssues(result.error.issues, doc, lines, fileName));
}

function describeIssues(issues: z.core.$ZodIssue[], doc: Document, lines: LineCounter, fileName: string): string[] {
  const out = issues.map((issue) => {
    const path = issue.path;
    let message = issue.message;
    if (issue.code === 'unrecognized_keys') message = `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    // A field that is missing, whatever the schema would say of a wrong value.
    if (issue.code === 'invalid_type' && !message.startsWith('is required') && (/received undefined/.test(message) || !doc.hasIn(path as (string | number)[]))) message = 'is required';
    const line = lineOf(doc, lines, issue.code === 'unrecognized_keys' && issue.keys[0] ? [...path, issue.keys[0]] : path);
    return { line, text: `${fileName}:${line}: ${fieldName(path)}: ${message}` };
  });
  return out.sort((a, b) => a.line - b.line).map((o) => o.text);
}
