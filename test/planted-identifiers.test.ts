// No raw identifier leaves the scanner: identifiers planted in every place a scan reads
// a name from (test/support/planted.ts) appear in no output of `compliance scan` (JSON
// and table), no error, and no data-map entry; only masks and keyed hashes do.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sourceReaders } from '../lib/adapters/sources/source-reader.ts';
import { groupHash } from '../lib/domain/detect/mask.ts';
import { scanSource } from '../lib/usecases/datamap/scan-source.ts';
import { scanPaths } from '../lib/usecases/scan/scan-files.ts';
import { PLANTED, plantedS3, plantedS3Denied, plantedSources, plantFiles, rawIn } from './support/planted.ts';
import { tempDir } from './support/temp-dir.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const KEY = 'planted-test-key-0123456789';

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['lib/cli/main.mjs', ...args], { cwd: ROOT, env: { ...process.env, COMPLIANCE_HASH_KEY: KEY }, maxBuffer: 16 << 20 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

/** What a failed scan leaves: its message, its stack, and its causes. */
const errorText = (error: unknown): string => {
  const e = error as Error & { cause?: unknown };
  return `${e.message}\n${e.stack}\n${e.cause ? errorText(e.cause) : ''}`;
};

describe('identifiers planted in names', () => {
  const files = plantFiles(tempDir('planted-'));
  const paths = [files.folder, files.missing, files.escaping];

  it('compliance scan prints none of them, as JSON or as a table, and still finds them masked', async () => {
    const [json, table] = await Promise.all([cli(['scan', ...paths, '--format', 'json']), cli(['scan', ...paths, '--format', 'table'])]);
    // a path given that is not there is exit 2; what was found is printed all the same
    expect(json.code).toBe(2);
    expect(table.code).toBe(2);
    for (const out of [json.stdout, json.stderr, table.stdout, table.stderr]) expect(rawIn(out)).toEqual([]);
    const parsed = JSON.parse(json.stdout) as { findings: { type: string; file: string; column?: string; pointer?: string; masked: string }[]; files: { file: string; status: string; reason?: string }[] };
    // Found, masked: the identifiers in the header are the column of the finding under it.
    expect(parsed.findings.find((f) => f.file.endsWith('header.csv') && f.type === 'cn_resident_id')?.column).toBe('A12****(3)');
    expect(parsed.findings.some((f) => f.pointer === '/A12****(3)/a***@example.hk')).toBe(true);
    expect(parsed.findings.some((f) => f.file.includes('WhatsApp Chat with +852 ****4567.txt'))).toBe(true);
    expect(parsed.files.find((f) => f.file.includes('4111 **** **** 1111_110105***********X.txt'))?.status).toBe('scanned');
    // Failures say where, never what.
    const broken = parsed.files.find((f) => f.file.endsWith('broken.json'));
    expect(broken).toMatchObject({ status: 'failed', reason: expect.stringMatching(/^not valid JSON: line 1, column \d+: /) });
    expect(parsed.files.find((f) => f.reason === 'no such file or folder')?.file).toMatch(/A12\*\*\*\*\(3\) \+852 \*\*\*\*4567\.txt$/);
    expect(table.stdout).toMatch(/^TYPE\s+WHERE\s+MASKED/m);
  });

  it('the data map keeps redacted group names with a keyed hash of the raw one, and no raw value', async () => {
    const entries = [];
    for (const source of plantedSources(files).filter((s) => ['planted-chat', 'planted-whatsapp', 'planted-folder'].includes(s.id))) {
      entries.push(await scanSource(source, KEY, sourceReaders()));
    }
    expect(rawIn(JSON.stringify(entries))).toEqual([]);
    const chat = entries[0]!;
    expect(chat.groups).toEqual([
      expect.objectContaining({ group: 'Chat with +852 ****4567 A12****(3)', groupHash: groupHash(KEY, `Chat with ${PLANTED.phone} ${PLANTED.hkid}`), rating: 'red' }),
    ]);
    expect(entries[1]!.groups.map((g) => g.group)).toEqual(['+852 ****4567']);
    expect(entries[2]!.groups.map((g) => g.group)).toContain('HR A12****(3) a***@example.hk/4111 **** **** 1111_110105***********X.txt');
  });

  it('a source that fails (no header, a ../ path, broken JSON, a missing file) fails with no raw value in its error', async () => {
    const expected: Record<string, RegExp> = {
      'planted-headerless': /headerless\.csv: no message content column found in its header row \(line 1, 3 columns\)/,
      'planted-escaping': /outside\.csv: no message content column found in its header row \(line 1, 1 column\)/,
      'planted-broken-json': /broken\.json: not valid JSON: line 1, column \d+: expected ',' or '\]'/,
      'planted-missing': /cannot read .*A12\*\*\*\*\(3\) \+852 \*\*\*\*4567\.txt: no such file/,
    };
    const failing = plantedSources(files).filter((s) => s.id in expected);
    expect(failing).toHaveLength(4);
    for (const source of failing) {
      const error = await scanSource(source, KEY, sourceReaders()).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect((error as Error)?.message, source.id).toMatch(expected[source.id]!);
      expect(rawIn(errorText(error)), source.id).toEqual([]);
    }
  });

  it('S3 keys: groups, skipped objects and a refused object name no raw value', async () => {
    const { source, client } = plantedS3();
    const entry = await scanSource(source, KEY, sourceReaders({ s3: client }));
    expect(rawIn(JSON.stringify(entry))).toEqual([]);
    expect(entry.groups.map((g) => g.group).sort()).toEqual(['+852 ****4567', 'hr']);
    const denied = plantedS3Denied();
    const error = await scanSource(denied.source, KEY, sourceReaders({ s3: denied.client })).catch((e: unknown) => e);
    expect((error as Error).name).toBe('AccessDenied');
    expect(rawIn(errorText(error))).toEqual([]);
  });

  it('scanPaths returns no raw value either (the use case, without the CLI)', async () => {
    const result = await scanPaths(sourceReaders(), paths, { hashKey: KEY });
    expect(result.findings.length).toBeGreaterThan(10);
    expect(rawIn(JSON.stringify(result))).toEqual([]);
  });
});
