// A line longer than a chunk comes in chunks that overlap (text-chunks.ts), and
// detectRecords hands the findings over at the middle of the overlap (records.ts): the
// findings must be exactly those of a scan of the whole line, each once, whatever the
// offset of an identifier near a cut. Checked here by sliding identifiers across the
// cut of lines just over the chunk size, one character at a time, and with the real
// chunk size (256 Ki characters) on the shapes QA found.
import { describe, expect, it } from 'vitest';
import { decodeTextChunks } from '../lib/adapters/sources/text-chunks.ts';
import { detect } from '../lib/domain/detect/detect.ts';
import { detectRecords, type SourceRecord } from '../lib/domain/detect/records.ts';

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

type Found = [type: string, start: number, raw: string, value: string];

/** The findings of `text` read as a text file is (chunks of at most `maxChunkChars`), at their offsets in `text`. */
async function chunked(text: string, maxChunkChars: number): Promise<{ found: Found[]; chunks: number }> {
  const offsets = new Map<SourceRecord, number>();
  let chunks = 0;
  async function* records(): AsyncGenerator<SourceRecord> {
    let offset = 0;
    for await (const c of decodeTextChunks(once(Buffer.from(text, 'utf8')), 'utf-8', { maxChunkChars })) {
      const start = offset - c.overlap;
      const record: SourceRecord = { group: 'g', sender: '', text: c.text, at: { file: 'f', line: c.line }, newlines: c.newlines, ...(c.repeatedFrom !== undefined ? { repeatedFrom: c.repeatedFrom } : {}) };
      offsets.set(record, start);
      offset = start + c.text.length;
      chunks++;
      yield record;
    }
  }
  const found: Found[] = [];
  await detectRecords(records(), (r, d) => found.push([d.type, offsets.get(r)! + d.start, d.raw, d.value]));
  return { found, chunks };
}

const whole = (text: string): Found[] => detect(text).map((d) => [d.type, d.start, d.raw, d.value]);

/** Items whose findings depend on what stands before or after them, or that are long. */
const ITEMS = [
  'chan.taiman.verylongname@mail.example-company.com.hk',
  '+852 9123 4567',
  '電話 9123 4567',
  'call me on 6123 4567 tonight',
  '9123 4567 係我手機',
  'IBAN GB82 WEST 1234 5698 7654 32',
  'NO 93 8601 1117 947',
  'HKID A123456(3)',
  'card 4111 1111 1111 1111 exp',
  '11010519491231002X',
  'sales commission; Securities and Futures Commission', // the second one no topic: a body's name
  'sick leave',
  `${'a'.repeat(60)}@${'b'.repeat(30)}.${'c'.repeat(60)}.${'d'.repeat(60)}.${'e'.repeat(60)}.com`, // 64 + 1 + 220
];

describe('a line longer than a chunk', () => {
  const size = 4096; // a chunk; its overlap is 1,024 characters, handed over at 512

  it.each(ITEMS.map((item) => [item]))('gives the whole line\'s findings, each once, with %s at every offset near the cut', async (item) => {
    // the first chunk of a line of 1.5 chunks ends at `size`; the item is slid over
    // the overlap before it and a little after, one character at a time
    let runs = 0;
    let findings = 0;
    for (let at = size - 1024 - item.length - 4; at <= size + 8; at++) {
      const line = `${'x '.repeat(at >> 1)}${at & 1 ? ' ' : ''}${item} ${'y '.repeat(size >> 2)}`;
      const expected = whole(line);
      const { found, chunks } = await chunked(line, size);
      expect(chunks).toBe(2);
      expect(found, `at ${at}`).toEqual(expected);
      runs++;
      findings += expected.length;
    }
    expect(runs).toBeGreaterThan(1000);
    expect(findings).toBeGreaterThanOrEqual(runs); // every item gives a finding
  });

  it('cut in three, with findings all along it, gives the whole line\'s', async () => {
    const line = Array.from({ length: 400 }, (_, i) => ITEMS[i % ITEMS.length]).join(' · ');
    expect(line.length).toBeGreaterThan(3 * 4096);
    const { found, chunks } = await chunked(line, 4096);
    expect(chunks).toBeGreaterThan(3);
    expect(found).toEqual(whole(line));
  });

  // The three lines QA cut at 256 Ki characters (the chunk size of a text file's reader):
  // an e-mail reported twice (once cut short, with another value), a phone number twice
  // (`+852 9123 4567`, and `852 9123 4567` in the next chunk), and a number whose phone
  // word was left behind in the chunk before.
  it.each([
    ['an e-mail straddling the overlap', 262070, 'chan.taiman.verylongname@mail.example-company.com.hk'],
    ['a +852 number starting one before the repeated text', 262079, '+852 9123 4567'],
    ['a number whose phone word ends before the repeated text', 262078, '電話 9123 4567'],
  ])('at the real chunk size: %s', async (_label, at, item) => {
    const line = ' '.repeat(at) + item + ' '.repeat(262357 - at - item.length) + '\n';
    const { found } = await chunked(line, 256 * 1024);
    expect(found).toEqual(whole(line));
    expect(found).toHaveLength(1);
  });
});
