// A finding as `compliance scan --format json` writes it (lib/cli/scan-json.ts): written
// in parts straight into the output's blocks, it is byte for byte the text
// JSON.stringify gives, whatever its mask, file name, line or hash, and wherever a block
// ends.
import { describe, expect, it } from 'vitest';
import { FindingJson } from '../lib/cli/scan-json.ts';
import { Utf8Blocks } from '../lib/cli/utf8-blocks.ts';
import type { Finding } from '../lib/usecases/scan/scan-files.ts';

const MASKS = ['+852 ****4567', 'A12****(3)', '醫生證明', 'c***@例子.香港', 'q"***@x.hk', 'b\\***@x.hk', 'tab\t***@x.hk', 'line\u2028***@x.hk'];
/** Longer than half a block: written as text, not into the block. */
const LONG_MASK = 'x'.repeat(40_000);
const FILES = ['/data/chat.txt', '/data/客戶 9123 4567.txt', '/data/"quoted".txt'];
/** A file's name longer than half a block. */
const LONG_FILE = `/data/${'long-'.repeat(8_000)}.txt`;

function findings(): Finding[] {
  const out: Finding[] = [];
  for (let i = 0; i < 6_000; i++) {
    // keys in the order scan-files.ts sets them
    const f = { type: i % 3 === 0 ? 'hk_phone' : 'health', file: i >= 2100 && i < 2110 ? LONG_FILE : FILES[Math.floor(i / 700) % FILES.length]! } as Finding;
    if (i % 13 !== 0) f.line = [1, 9, 10, 99, 100, 123_456_789, i][i % 7]!;
    if (i % 11 === 0) f.column = '電話';
    f.masked = i % 997 === 5 ? LONG_MASK : MASKS[i % MASKS.length]!;
    if (i % 4 === 0) f.hash = 'ab'.repeat(32);
    if (i % 5 === 0) f.country = i % 10 === 0 ? 'HK' : 'C"N';
    out.push(f);
  }
  return out;
}

describe('FindingJson.writeTo', () => {
  it('writes the same bytes as the text of each finding, in order, across blocks, mixed with other text', () => {
    const blocks: Uint8Array[] = [];
    const out = new Utf8Blocks((b) => blocks.push(b));
    const writer = new FindingJson();
    let want = '';
    for (const [i, f] of findings().entries()) {
      if (i % 17 === 0) {
        out.write(`/*${i} 註*/`);
        want += `/*${i} 註*/`;
      }
      writer.writeTo(f, out);
      want += `,\n    ${JSON.stringify(f)}`;
    }
    out.flush();
    expect(blocks.length).toBeGreaterThan(10);
    expect(Buffer.concat(blocks).toString()).toBe(want);
  });
});
