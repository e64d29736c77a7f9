// A .json file that is not one valid JSON document: the findings before the error are
// kept and reported, and the file says it was read up to there (failed, truncated, the
// error's line, column and reason); JSON Lines saved as .json are read as lines, as a
// .jsonl file is; nothing valid is ever read as lines.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonShape } from '../lib/adapters/sources/local-files.ts';
import { sourceReaders } from '../lib/adapters/sources/source-reader.ts';
import { scanPaths } from '../lib/usecases/scan/scan-files.ts';
import { tempDir } from './support/temp-dir.ts';

const dir = tempDir('scan-json-');
const put = (name: string, text: string): string => {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
};
const scan = (file: string) => scanPaths(sourceReaders(), [file]);
const RAW = ['A123456(3)', '4111 1111 1111 1111', 'chan@acme.hk'];
const rawIn = (text: string): string[] => RAW.filter((r) => text.includes(r));

describe('a .json file with an error part way', () => {
  it('keeps the findings before the error (5,000 HKIDs, then a trailing comma), and says the file was read up to there', async () => {
    const file = put('big-prefix.json', `[${Array.from({ length: 5000 }, () => '"A123456(3)"').join(',')},]`);
    const result = await scan(file);
    expect(result.findings).toHaveLength(5000);
    expect(result.findings[4999]).toMatchObject({ type: 'hk_id', pointer: '/4999', masked: 'A12****(3)' });
    expect(result.counts).toEqual({ hk_id: 5000 });
    expect(result.files).toEqual([
      {
        file,
        status: 'failed',
        format: 'json',
        encoding: 'utf-8',
        truncated: true,
        reason: 'not valid JSON: line 1, column 65002: expected a value (read up to there: the findings before it are reported)',
        findings: 5000,
      },
    ]);
  });

  it('NaN (as Python writes it): the strings before it found, the reason names its line and column', async () => {
    const result = await scan(put('nan.json', '{"a":"A123456(3)","b":NaN,"c":"4111 1111 1111 1111"}'));
    expect(result.findings.map((f) => [f.type, f.pointer])).toEqual([['hk_id', '/a']]);
    expect(result.files[0]).toMatchObject({ status: 'failed', truncated: true, findings: 1, reason: expect.stringMatching(/^not valid JSON: line 1, column 23: expected a value /) });
    expect(rawIn(JSON.stringify(result))).toEqual([]);
  });

  it('an error after several chunks of text keeps every chunk’s findings', async () => {
    const line = `"${'x'.repeat(100)} A123456(3)",\n`;
    const file = put('chunks.json', `[\n${line.repeat(5000)}  oops\n]`);
    const result = await scanPaths(sourceReaders(), [file], { maxChunkChars: 4096 });
    expect(result.findings).toHaveLength(5000);
    expect(result.files[0]).toMatchObject({ status: 'failed', findings: 5000, reason: expect.stringMatching(/^not valid JSON: line 5002, column 3: expected a value/) });
  });
});

describe('an empty or blank .json file', () => {
  it('is read and holds nothing: scanned, a problem at line 1 saying so, not a failed file (the scan exited 1 for it)', async () => {
    for (const [name, text] of [
      ['empty.json', ''],
      ['blank.json', ' \n\t\r\n'],
      ['bom.json', '\ufeff\n'],
    ]) {
      const file = put(name!, text!);
      const result = await scan(file);
      expect(result.findings).toEqual([]);
      expect(result.files).toEqual([expect.objectContaining({ file, status: 'scanned', format: 'json', problems: [{ line: 1, message: 'no JSON value: the file is empty or blank' }], findings: 0 })]);
    }
    // a document that is not blank but holds no value is still bad JSON
    expect((await scan(put('junk.json', ' x '))).files[0]).toMatchObject({ status: 'failed', reason: expect.stringMatching(/^not valid JSON: line 1, column 2: /) });
  });
});

describe('JSON Lines saved as .json', () => {
  it('are read as lines, as a .jsonl file is: every record, findings by line', async () => {
    const text = '{"text":"my hkid A123456(3)"}\n{"text":"card 4111 1111 1111 1111"}\n\n{"text":"chan@acme.hk"}\n';
    const asJson = await scan(put('lines.json', text));
    const asJsonl = await scan(put('lines.jsonl', text));
    expect(asJson.findings.map((f) => [f.type, f.line, f.masked])).toEqual([
      ['hk_id', 1, 'A12****(3)'],
      ['payment_card', 2, '4111 **** **** 1111'],
      ['email', 4, 'c***@acme.hk'],
    ]);
    expect(asJson.findings.map(({ file: _file, ...f }) => f)).toEqual(asJsonl.findings.map(({ file: _file, ...f }) => f));
    expect(asJson.files[0]).toMatchObject({ status: 'scanned', format: 'text', truncated: false, findings: 3 });
  });

  it('whose first line fills a chunk are still recognised (the next chunk is looked at)', async () => {
    // the second line does not fit in the first line's chunk: the first chunk holds the first line alone
    const first = `{"note":"${'y'.repeat(3000)}","id":"A123456(3)"}\n`;
    const second = `{"note":"${'z'.repeat(2000)}","id":"A123456(3)"}\n`;
    const result = await scanPaths(sourceReaders(), [put('long-first.json', first + second)], { maxChunkChars: 4096 });
    expect(result.files[0]).toMatchObject({ status: 'scanned', format: 'text' });
    expect(result.findings.map((f) => [f.type, f.line])).toEqual([
      ['hk_id', 1],
      ['hk_id', 2],
    ]);
  });

  it('whose first line runs over several chunks are still recognised (up to a mebibyte is looked at)', async () => {
    const first = `{"note":"${'y'.repeat(40_000)}","id":"A123456(3)"}\n`;
    const second = '{"id":"A123456(3)"}\n';
    for (const maxChunkChars of [undefined, 4096]) {
      const result = await scanPaths(sourceReaders(), [put('longer-first.json', first + second)], maxChunkChars ? { maxChunkChars } : {});
      expect(result.files[0], String(maxChunkChars)).toMatchObject({ status: 'scanned', format: 'text' });
      expect(result.findings.map((f) => [f.type, f.line])).toEqual([
        ['hk_id', 1],
        ['hk_id', 2],
      ]);
    }
    // a document on one line longer than that is still one document, read with pointers
    const minified = put('minified.json', `{"note":"${'x'.repeat(1_100_000)}","id":"A123456(3)"}\n`);
    const one = await scan(minified);
    expect(one.files[0]).toMatchObject({ status: 'scanned', format: 'json' });
    expect(one.findings.map((f) => [f.type, f.pointer])).toEqual([['hk_id', '/id']]);
  });

  it('one document, on one line or many, is read as JSON whatever follows it in blank lines', () => {
    expect(jsonShape('{"a":1}\n{"b":2}\n', false)).toBe('lines');
    expect(jsonShape('  \n[1,2]\n  [3]', false)).toBe('lines');
    expect(jsonShape('{"a":1}\n', true)).toBeUndefined(); // the next chunk decides
    expect(jsonShape('{"a":1}\n  \n', false)).toBe('document');
    expect(jsonShape('{\n  "a": 1\n}\n', false)).toBe('document');
    expect(jsonShape('[1,\n2]', false)).toBe('document');
    expect(jsonShape('"text"\n"more"\n', false)).toBe('document'); // scalars: not records
    expect(jsonShape('{"a":NaN}\n{"b":1}\n', false)).toBe('document'); // not JSON: the error says where
    expect(jsonShape('{"a":1', true)).toBeUndefined(); // the first line goes on: the next chunk decides
    expect(jsonShape('{"a":1', false)).toBe('document'); // a first line longer than what is looked at
  });

  it('a valid document spread over lines is still read with pointers', async () => {
    const result = await scan(put('pretty.json', '{\n  "a": "A123456(3)",\n  "b": ["chan@acme.hk"]\n}\n'));
    expect(result.findings.map((f) => [f.type, f.pointer])).toEqual([
      ['hk_id', '/a'],
      ['email', '/b/0'],
    ]);
    expect(result.files[0]).toMatchObject({ status: 'scanned', format: 'json' });
  });
});
