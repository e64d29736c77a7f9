// The blocks `compliance scan --format json` writes and a scan worker hands back
// (lib/cli/utf8-blocks.ts): the same bytes as the text in order, whatever mix of strings
// and bytes, short and long, ASCII and not, and each block in memory of its own, so that a
// worker can move every one to the main thread.
import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { Utf8Blocks } from '../lib/cli/utf8-blocks.ts';

function collect(): { blocks: Uint8Array[]; out: Utf8Blocks } {
  const blocks: Uint8Array[] = [];
  return { blocks, out: new Utf8Blocks((b) => blocks.push(b)) };
}

describe('Utf8Blocks', () => {
  it('sends the UTF-8 of everything written, in order, short and long, text and bytes', () => {
    const { blocks, out } = collect();
    const pieces: (string | Uint8Array)[] = [];
    for (let i = 0; i < 3000; i++) {
      const kind = i % 7;
      const piece =
        kind === 0 ? `,\n    {"masked":"手機 ****${i}"}` : kind === 3 ? Buffer.from(`bytes ${i} 電話 😀`) : kind === 5 && i % 35 === 5 ? 'é'.repeat(30_000 + i) : `{"line":${i}}`;
      pieces.push(piece);
      if (typeof piece === 'string') out.write(piece);
      else out.writeBytes(piece);
    }
    out.writeBytes(Buffer.alloc(200_000, 0x61)); // more than a block: sent as it is
    pieces.push(Buffer.alloc(200_000, 0x61));
    out.flush();
    const want = Buffer.concat(pieces.map((p) => (typeof p === 'string' ? Buffer.from(p) : p)));
    expect(Buffer.concat(blocks).equals(want)).toBe(true);
    expect(blocks.every((b) => b.length > 0)).toBe(true);
  });

  it('puts every block of text in memory of its own, which a worker can move to another thread', () => {
    const { blocks, out } = collect();
    // a finding's JSON longer than a block holds (a long column name or pointer) goes out by itself
    out.write(`,\n    {"column":"${'k'.repeat(22_000)}"}`);
    for (let i = 0; i < 2000; i++) out.write(`,\n    {"line":${i},"masked":"+852 ****4567"}`);
    out.write(`,\n    {"pointer":"/${'j'.repeat(30_000)}"}`);
    out.flush();
    expect(blocks.length).toBeGreaterThan(3);
    const buffers = blocks.map((b) => b.buffer as ArrayBuffer);
    expect(new Set(buffers).size).toBe(blocks.length);
    for (const b of blocks) expect(b.byteOffset).toBe(0);
    const text = Buffer.concat(blocks).toString();
    const { port1, port2 } = new MessageChannel();
    try {
      expect(() => port1.postMessage(blocks, buffers)).not.toThrow();
      expect(blocks.every((b) => b.length === 0)).toBe(true); // moved, not copied
    } finally {
      port1.close();
      port2.close();
    }
    expect(text.startsWith(',\n    {"column":"kkk')).toBe(true);
    expect(text.endsWith('jjj"}')).toBe(true);
  });
});
