// JSON read as text (JSON Lines, JSON Lines saved as .json, and a document too large to
// read string by string) has its `\uXXXX` escapes read before the detectors see it
// (lib/domain/text/json-escapes.ts): Python's json.dumps escapes every non-ASCII
// character by default, and the phone words, keywords and full-width forms would be lost.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sourceReaders } from '../lib/adapters/sources/source-reader.ts';
import { detectRecords } from '../lib/domain/detect/records.ts';
import { jsonEscapesRead } from '../lib/domain/text/json-escapes.ts';
import { scanPaths } from '../lib/usecases/scan/scan-files.ts';
import { tempDir } from './support/temp-dir.ts';

/** JSON text with every character beyond ASCII escaped, as Python's json.dumps writes it. */
const escaped = (value: unknown): string => JSON.stringify(value).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

const MESSAGES = [
  { from: '陳大文', text: '手機 91234567' },
  { from: 'Lee', text: '身份證Ａ１２３４５６（３）' },
  { from: 'Ho', text: '醫生紙 出糧' },
  { from: 'Wong', text: 'line one\nline two 電話：6123 4567' },
];

const shown = (findings: Array<{ type: string; line?: number; masked: string }>) => findings.map((f) => [f.type, f.line, f.masked]);

describe('JSON read as text', () => {
  it('finds in escaped JSON Lines (.jsonl, .ndjson, and JSON Lines saved as .json) what the same lines unescaped give, on the same lines', async () => {
    const dir = tempDir('json-escapes-');
    const plain = path.join(dir, 'plain.jsonl');
    writeFileSync(plain, `${MESSAGES.map((m) => JSON.stringify(m)).join('\n')}\n`);
    const expected = shown((await scanPaths(sourceReaders(), [plain])).findings);
    expect(expected).toEqual([
      ['hk_phone', 1, '+852 ****4567'],
      ['hk_id', 2, 'A12****(3)'],
      ['health', 3, '醫生紙'],
      ['payroll', 3, '出糧'],
      ['hk_phone', 4, '+852 ****4567'],
    ]);
    for (const name of ['escaped.jsonl', 'escaped.ndjson', 'escaped.json']) {
      const file = path.join(dir, name);
      writeFileSync(file, `${MESSAGES.map(escaped).join('\n')}\n`);
      expect(shown((await scanPaths(sourceReaders(), [file])).findings), name).toEqual(expected);
    }
  });

  it('keeps an escaped backslash as written, and text files as they are', async () => {
    const dir = tempDir('json-escapes-');
    // `\\u624b` is a backslash and the text u624b: no 手 there, so no phone word
    const json = path.join(dir, 'a.jsonl');
    writeFileSync(json, '{"t":"\\\\u624b\\\\u6a5f 91234567"}\n{"t":"\\u624b\\u6a5f 91234567"}\n');
    expect(shown((await scanPaths(sourceReaders(), [json])).findings)).toEqual([['hk_phone', 2, '+852 ****4567']]);
    const text = path.join(dir, 'a.txt');
    writeFileSync(text, '{"t":"\\u624b\\u6a5f 91234567"}\n');
    expect((await scanPaths(sourceReaders(), [text])).findings).toEqual([]);
  });

  it('reads a line longer than a chunk in pieces that hand over as the unescaped line would, each finding once', async () => {
    const dir = tempDir('json-escapes-');
    const items = Array.from({ length: 400 }, (_, i) => ({ n: i, text: `${'閒聊'.repeat(i % 7)}手機 ${9100 + (i % 900)} ${String(1000 + i).padStart(4, '0')}` }));
    const file = path.join(dir, 'one-line.jsonl');
    writeFileSync(file, `${escaped(items)}\n`);
    const read = async (maxChunkChars: number) => {
      const found: string[] = [];
      await detectRecords(sourceReaders().file(file, 'g', { maxChunkChars }), (_r, d, line) => found.push(`${line}:${d.value}`));
      return found;
    };
    const whole = await read(1 << 20); // one piece
    expect(whole).toHaveLength(400);
    expect(new Set(whole).size).toBe(400);
    // (pieces of 4 Ki code units and more overlap by the full 1,024 the handover is made for)
    for (const maxChunkChars of [4096, 4097, 4098, 4099, 4100, 4101, 5000, 7001]) expect(await read(maxChunkChars), `pieces of ${maxChunkChars}`).toEqual(whole);
  });

  it('gives back a record without escapes unchanged, and a piece’s repeated text read on its own', () => {
    const record = { text: 'no escapes', newlines: [3], repeatedFrom: 2 };
    expect(jsonEscapesRead(record)).toBe(record);
    const piece = jsonEscapesRead({ text: '\\u624b\\u6a5f x\\u0041\\u000a', repeatedFrom: 13, newlines: [] });
    expect(piece).toEqual({ text: '手機 xA ', repeatedFrom: 3 }); // 13 code units written, 3 read
  });
});
