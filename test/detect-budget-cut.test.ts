// `--budget-bytes` (a source's budgetBytes) stops reading after N bytes, wherever that
// falls: inside a number, the reader must not hand the detectors the part before the cut
// as if it were whole (the first 16 characters of a PRC ID read as a card, the first 11
// digits of a longer number as a mainland mobile). The text's last token is left out
// (text-chunks.ts, cutTokenStart in lib/domain/detect/cut-token.ts): a budgeted read
// finds only what the whole text finds there.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeTextChunks } from '../lib/adapters/sources/text-chunks.ts';
import { readTextChunks } from '../lib/adapters/sources/text-reader.ts';
import { cutTokenStart } from '../lib/domain/detect/cut-token.ts';
import { detect, type Detection } from '../lib/domain/detect/detect.ts';
import { detectRecords, type SourceRecord } from '../lib/domain/detect/records.ts';
import type { ReadReport } from '../lib/adapters/sources/text-reader.ts';
import { labelledLines } from './support/labelled-corpus.ts';
import { tempDir } from './support/temp-dir.ts';

const dir = tempDir('detect-budget-');
let files = 0;

/** The findings of a file read with a byte budget, as the scan reads a text file. */
async function budgeted(text: string, budgetBytes: number): Promise<{ found: Array<[string, string]>; report: ReadReport }> {
  const file = path.join(dir, `f${++files}.txt`);
  writeFileSync(file, text);
  let report: ReadReport | undefined;
  async function* records(): AsyncGenerator<SourceRecord> {
    for await (const c of readTextChunks(file, { budgetBytes, report: (r) => (report = r) })) {
      yield { group: 'g', sender: '', text: c.text, at: { file, line: c.line }, newlines: c.newlines };
    }
  }
  const found: Array<[string, string]> = [];
  await detectRecords(records(), (_r, d) => found.push([d.type, d.value]));
  return { found, report: report! };
}

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

/** The text the detectors get of `bytes` cut after `n` bytes (text-reader.ts passes `cut` so). */
async function cutText(bytes: Uint8Array, n: number, maxChunkChars = 1 << 20): Promise<string> {
  let text = '';
  for await (const c of decodeTextChunks(once(bytes.subarray(0, n)), 'utf-8', { cut: n < bytes.length, maxChunkChars })) text += c.text.slice(c.overlap);
  return text;
}

const identifiers = (found: Detection[]) => found.filter((d) => d.type !== 'health' && d.type !== 'payroll').map((d) => [d.type, d.start, d.raw, d.value]);

describe('a text cut by a byte budget', () => {
  it('does not read a PRC ID cut after 16 characters as a card, nor a longer number cut after 11 digits as a mobile (QA t18, t18b)', async () => {
    const id = await budgeted('ID 62010219850702001X end\n', 19);
    expect(id.found).toEqual([]);
    expect(id.report).toMatchObject({ bytesRead: 19, truncated: true, lines: 1 });
    expect((await budgeted('ref 138123456789012 end\n', 15)).found).toEqual([]);
    // the whole files: the ID is found, the longer number is none
    expect((await budgeted('ID 62010219850702001X end\n', 1000)).found).toEqual([['cn_resident_id', '62010219850702001X']]);
    expect((await budgeted('ref 138123456789012 end\n', 1000)).found).toEqual([]);
  });

  it('keeps what ends before the last token, and all of a text the budget does not cut', async () => {
    const text = 'Tel 9123 4567, card 4111 1111 1111 1111; ID 62010219850702001X end\n';
    expect((await budgeted(text, text.indexOf('ID') + 10)).found).toEqual([
      ['hk_phone', '+85291234567'],
      ['payment_card', '4111111111111111'],
    ]);
    expect((await budgeted(text, text.length)).found).toHaveLength(3);
  });

  it('leaves out the token the cut may fall inside: a number\'s groups, its brackets and prefix, an address', () => {
    const cases: Array<[string, string]> = [
      ['ID 6201021985070200', 'ID '],
      ['card 4111 1111 11', 'card '],
      ['Tel: +852 9123 45', 'Tel: '],
      ['HKID A123456 (3', 'HKID '],
      ['HKID A123456\u00A0(', 'HKID '],
      ['pay 4111\u00A01111 ', 'pay '],
      ['mail chan.tm@acme.co', 'mail '],
      ['GB82 WEST 1234 5698 7654 3', 'GB82 WEST '],
      ['電話：9123–45', '電話：'],
      ['done.\n', 'done.\n'],
      ['總額 HK$500，', '總額 HK$500，'],
    ];
    for (const [text, kept] of cases) expect([text, text.slice(0, cutTokenStart(text))]).toEqual([text, kept]);
  });

  it('finds, at every cut of a text of many identifiers, only identifiers the whole text has there', async () => {
    const text = labelledLines(60, { seed: 99 }).map((l) => l.text).join('\n');
    const bytes = Buffer.from(text, 'utf8');
    const whole = new Set(identifiers(detect(text)).map((f) => JSON.stringify(f)));
    let cuts = 0;
    let found = 0;
    for (let n = 1; n < bytes.length; n += 1 + (n % 3)) {
      const cut = await cutText(bytes, n);
      const extra = identifiers(detect(cut)).filter((f) => !whole.has(JSON.stringify(f)));
      expect(extra, `cut after ${n} bytes: …${JSON.stringify(cut.slice(-40))}`).toEqual([]);
      cuts++;
      found += identifiers(detect(cut)).length;
    }
    expect(cuts).toBeGreaterThan(1000);
    expect(found).toBeGreaterThan(1000);
  });

  it('cuts a long line\'s last chunk, keeping the overlap the chunk before left to it', async () => {
    // a line longer than a chunk of 4,096 characters cut by the budget inside a number
    // that starts right after the first chunk: the last chunk is then only the overlap
    // repeated from the first, whose second half (with the phone number) the first left to it
    const head = 'x'.repeat(3700) + ' Tel 9123 4567 ' + 'y '.repeat(190) + ' ';
    expect(head.length).toBe(4096);
    const text = `${head}4111 1111 1111 1111 1234 5678`;
    const bytes = Buffer.from(text, 'utf8');
    let cut = '';
    const found: string[] = [];
    async function* records(): AsyncGenerator<SourceRecord> {
      for await (const c of decodeTextChunks(once(bytes.subarray(0, head.length + 12)), 'utf-8', { cut: true, maxChunkChars: 4096 })) {
        cut += c.text.slice(c.overlap);
        yield { group: 'g', sender: '', text: c.text, at: { file: 'f', line: c.line }, ...(c.repeatedFrom !== undefined ? { repeatedFrom: c.repeatedFrom } : {}) };
      }
    }
    await detectRecords(records(), (_r, d) => found.push(`${d.type} ${d.raw}`));
    expect(cut).toBe(head);
    expect(found).toEqual(['hk_phone 9123 4567']);
  });
});
