// `compliance scan` for people (the table format). A module of its own so that a scan
// loads only what it prints with, not every command's presenters (some of which load zod).
import type { ScanResult } from '../usecases/scan/scan-files.ts';
import { printable } from '../domain/text/printable.ts';
import { columns } from './columns.ts';

/** Where a finding is, as a person reads it: names (already redacted) with control and format characters escaped. */
function where(f: ScanResult['findings'][number]): string {
  const file = printable(f.file);
  if (f.pointer !== undefined) return `${file}#${printable(f.pointer)}`;
  const sheet = f.sheet !== undefined ? ` sheet ${printable(f.sheet)}` : '';
  const at = f.line !== undefined ? `:${f.line}` : f.row !== undefined ? `${sheet} row ${f.row}` : sheet;
  return `${file}${at}${f.column ? ` [${printable(f.column)}]` : ''}`;
}

/**
 * A scan for people: findings per file and type, the findings listed (the first ones,
 * when `shown` says how many there were in all), each file's read, and the counts.
 */
export function formatScan(result: ScanResult, shown?: { total: number; byFile: ReadonlyMap<string, Partial<Record<string, number>>> }): string {
  const out: string[] = [];
  const total = shown?.total ?? result.findings.length;
  if (shown && shown.byFile.size > 0) {
    const rows: string[][] = [];
    for (const [file, counts] of shown.byFile) for (const [type, n] of Object.entries(counts)) rows.push([printable(file), type, String(n)]);
    out.push(columns(['FILE', 'TYPE', 'FINDINGS'], rows), '');
  }
  if (result.findings.length > 0) {
    out.push(columns(['TYPE', 'WHERE', 'MASKED'], result.findings.map((f) => [f.type, where(f), f.masked])));
    if (total > result.findings.length) out.push(`(the first ${result.findings.length} of ${total} findings; --format json lists them all)`);
    out.push('');
  }
  for (const f of result.files) {
    if (f.status !== 'scanned') out.push(`${f.status.toUpperCase()} ${printable(f.file)}: ${printable(f.reason ?? '')}`);
    else {
      const notes = [f.encoding ?? f.format, f.truncated && `sampled ${f.bytesRead} of ${f.bytesTotal} bytes`, f.replacedSequences && `${f.replacedSequences} invalid byte sequences replaced`].filter(Boolean);
      out.push(`scanned ${printable(f.file)} (${notes.join(', ')}): ${f.findings} finding${f.findings === 1 ? '' : 's'}`);
      for (const p of f.problems ?? []) out.push(`  line ${p.line}: ${printable(p.message)}`);
    }
  }
  const counts = Object.entries(result.counts).map(([type, n]) => `${type} ${n}`);
  out.push(`${total} finding${total === 1 ? '' : 's'}${counts.length ? `: ${counts.join(', ')}` : ''}.`);
  return out.join('\n');
}
