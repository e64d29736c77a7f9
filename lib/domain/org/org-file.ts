// Parses an organisation YAML file's text. The whole file is checked before
// anything is written; each problem is reported as file:line: field: reason.
import { isMap, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { InputError } from '../../errors.ts';
import { OrgFile } from './org.ts';

export class OrgFileError extends InputError {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(problems.join('\n'));
    this.problems = problems;
  }
}

function fieldName(path: readonly PropertyKey[]): string {
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

export function parseOrgFile(text: string, fileName: string): OrgFile {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new OrgFileError(
      doc.errors.map((e) => `${fileName}:${lines.linePos(e.pos[0]).line}: YAML: ${e.message.split('\n')[0]}`),
    );
  }
  if (!isMap(doc.contents)) throw new OrgFileError([`${fileName}:1: (file): must be a mapping with organisation, people, controls and evidence`]);
  const result = OrgFile.safeParse(doc.toJS());
  if (result.success) return result.data;
  throw new OrgFileError(describeIssues(result.error.issues, doc, lines, fileName));
}

function describeIssues(issues: z.core.$ZodIssue[], doc: Document, lines: LineCounter, fileName: string): string[] {
  const out = issues.map((issue) => {
    const path = issue.path;
    let message = issue.message;
    if (issue.code === 'unrecognized_keys') message = `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    if (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) message = 'is required';
    const line = lineOf(doc, lines, issue.code === 'unrecognized_keys' && issue.keys[0] ? [...path, issue.keys[0]] : path);
    return { line, text: `${fileName}:${line}: ${fieldName(path)}: ${message}` };
  });
  return out.sort((a, b) => a.line - b.line).map((o) => o.text);
}
