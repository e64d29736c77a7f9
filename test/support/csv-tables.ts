// CSV/TSV files written to a temporary folder, then scanned or read: what the tests of
// how tables are laid out (preamble, delimiter) share.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { readCsvRecords, type CsvReadOptions, type CsvRecord, type CsvReport } from '../../lib/adapters/sources/csv-reader.ts';
import { sourceReaders } from '../../lib/adapters/sources/source-reader.ts';
import { expect } from 'vitest';
import { FindingJson } from '../../lib/cli/scan-json.ts';
import { scanPathsParallel, type PartFound } from '../../lib/cli/scan-pool.ts';
import { scanPaths, type ScanResult } from '../../lib/usecases/scan/scan-files.ts';
import { tempDir } from './temp-dir.ts';

export type Found = { type: string; file?: string; line?: number; row?: number; column?: string; sheet?: string; masked: string };

/** Findings as [type, line, row, column, masked]: where each was found and what it shows. */
export const where = (findings: readonly Found[]) => findings.map((f) => [f.type, f.line, f.row, f.column, f.masked]);

/** `text` written as `name` in a new temporary folder named from `prefix`; its path. */
export function putTable(prefix: string, name: string, text: string | Buffer): string {
  const file = path.join(tempDir(prefix), name);
  writeFileSync(file, text);
  return file;
}

/** `text` written as `name` and scanned as the CLI scans it: its findings and its file's result. */
export async function scanTable(prefix: string, name: string, text: string | Buffer, hashKey: string) {
  const file = putTable(prefix, name, text);
  const { findings, files } = await scanPaths(sourceReaders(), [file], { hashKey });
  return { findings: findings as Found[], file: files[0]!, path: file };
}

/** A CSV file's records and the reader's report of it. */
export async function readTable(file: string, options: CsvReadOptions = {}): Promise<{ records: CsvRecord[]; report: CsvReport }> {
  let report: CsvReport | undefined;
  const records: CsvRecord[] = [];
  for await (const r of readCsvRecords(file, { ...options, report: (x) => (report = x) })) records.push(r);
  return { records, report: report! };
}

/**
 * Scans `file` on two threads, cut into parts of `partBytes`, and expects what one thread
 * gave (`one`): a result per part, the same findings' JSON in the same order, the same files.
 */
export async function expectPartsScanAsOne(file: string, one: ScanResult, parts: number, hashKey: string, partBytes = 16 * 1024): Promise<void> {
  const found: PartFound[] = [];
  const summary = await scanPathsParallel([file], { hashKey }, (p) => found.push(p), { threads: 2, partBytes, mode: 'json' });
  expect(found.length).toBe(parts);
  const writer = new FindingJson();
  expect(Buffer.concat(found.flatMap((p) => p.json)).toString()).toBe(one.findings.map((f) => `,\n    ${writer.text(f)}`).join(''));
  expect(JSON.stringify(summary.files)).toBe(JSON.stringify(one.files));
}
