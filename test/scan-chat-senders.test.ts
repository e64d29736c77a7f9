// A chat's sender is personal data too: WhatsApp names a contact not in the phone's
// address book by its number (`+852 9123 4567: ...`), and a chat table's sender column
// may hold numbers or e-mail addresses. Each sender is scanned the first time it speaks
// in its group (records.ts: detectSender), where it is written, so a data map counts the
// person once, however often they spoke; a named sender gives nothing.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFileRecords } from '../lib/adapters/sources/local-files.ts';
import { sourceReaders } from '../lib/adapters/sources/source-reader.ts';
import { readWhatsAppExport } from '../lib/adapters/sources/whatsapp-export.ts';
import { detectRecords, type SourceRecord } from '../lib/domain/detect/records.ts';
import { Source } from '../lib/domain/org/source.ts';
import { scanSource } from '../lib/usecases/datamap/scan-source.ts';
import { tempDir } from './support/temp-dir.ts';

const KEY = 'k'.repeat(32);
const dir = tempDir('chat-senders-');
const put = (name: string, text: string): string => {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
};

/** Each detection as `group | where | type | raw`, in the order found. */
async function found(records: AsyncIterable<SourceRecord>): Promise<string[]> {
  const out: string[] = [];
  await detectRecords(records[Symbol.asyncIterator](), (r, d, line) => {
    const where = [line !== undefined ? `line ${line}` : '', r.at.row !== undefined ? `row ${r.at.row}` : '', r.at.column ?? '', r.at.pointer ?? ''].filter(Boolean).join(' ');
    out.push(`${r.group} | ${where} | ${d.type} | ${r.text.slice(d.start, d.end)}`);
  });
  return out;
}

const WHATSAPP = [
  '03/11/2026, 09:15 - +852 9123 4567: hello, can I book for Saturday?',
  '03/11/2026, 09:16 - Kowloon Bakery: sure, name please',
  '03/11/2026, 09:17 - +852 9123 4567: Chan, thanks',
  '03/11/2026, 09:18 - +86 138 1234 5678: me too',
  '03/11/2026, 09:19 - +852 9123 4567: see you',
  '',
].join('\n');

describe('a WhatsApp export', () => {
  it('gives an unsaved contact\'s number once per chat, on the line where it first speaks; a named sender gives nothing', async () => {
    const file = put('WhatsApp Chat with Bakery.txt', WHATSAPP);
    expect(await found(readWhatsAppExport(file, { group: 'Bakery' }))).toEqual([
      'Bakery | line 1 | hk_phone | +852 9123 4567',
      'Bakery | line 4 | cn_phone | +86 138 1234 5678',
    ]);
  });

  it('is amber in the data map, with each person counted once (it was green: no message text holds a number)', async () => {
    const file = put('WhatsApp Chat with Bakery 2.txt', WHATSAPP);
    const source = Source.parse({ id: 'bakery', name: 'Bakery chat', platform: 'WhatsApp', kind: 'whatsapp', path: file, storage: { country: 'HK' } });
    const entry = await scanSource(source, KEY, sourceReaders());
    expect(entry.rating).toBe('amber');
    expect(entry.counts).toMatchObject({ hk_phone: 1, cn_phone: 1 });
    expect(entry.distinctPeople).toBe(2);
    expect(JSON.stringify(entry)).not.toContain('9123 4567');
  });
});

describe('a chat table', () => {
  it('gives a sender cell\'s findings in the sender column, once per group', async () => {
    const file = put('chat.csv', [
      'group,sender,time,content',
      'Sales,chan@acme.hk,2026-11-03 09:00,morning',
      'Sales,chan@acme.hk,2026-11-03 09:05,quote sent',
      'Ops,chan@acme.hk,2026-11-03 09:10,stock ok',
      'Ops,Ada Lee,2026-11-03 09:11,thanks',
      '',
    ].join('\n'));
    const source = Source.parse({ id: 'chat', name: 'Chat', platform: 'DingTalk', kind: 'chat-table', path: file, storage: { country: 'HK' } });
    expect(await found(sourceReaders().source(source))).toEqual([
      'Sales | line 2 row 1 sender | email | chan@acme.hk',
      'Ops | line 4 row 3 sender | email | chan@acme.hk',
    ]);
  });
});

describe('a Telegram export', () => {
  it('gives a sender at its own `from`, once per chat', async () => {
    const message = (id: number, from: string, text: string) => ({ id, type: 'message', date: '2026-11-03T09:15:22', from, from_id: `user${id}`, text, text_entities: [] });
    const text = JSON.stringify({ name: 'Orders', type: 'private_group', id: 1, messages: [message(1, '+852 6123 4567', 'hi'), message(2, 'Shop', 'yes?'), message(3, '+852 6123 4567', 'order 2 cakes')] }, null, 1);
    const file = put('result.json', text);
    const line = text.slice(0, text.indexOf('"from": "+852 6123 4567"')).split('\n').length;
    expect(await found(readFileRecords(file, 'exports'))).toEqual([`Orders | line ${line} /messages/0/from | hk_phone | +852 6123 4567`]);
  });
});
