// Telegram Desktop's "Export chat history" (result.json) read as chat messages: a message's
// text joined from its pieces (a label and the number after it are read together), its
// text_entities not read again, its sender, time, pointer and line; the other strings of a
// message (a shared contact's phone number, a file's path) and of the export still scanned;
// a large export streamed as chats; any other JSON read as before.
import { createWriteStream, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SourceRecord } from '../lib/domain/detect/records.ts';
import { JSON_POINTERS_MAX_BYTES, readFileRecords } from '../lib/adapters/sources/local-files.ts';
import { JsonStrings, type JsonString } from '../lib/domain/text/json-strings.ts';
import { TelegramExport } from '../lib/adapters/sources/telegram-export.ts';
import { sourceReaders } from '../lib/adapters/sources/source-reader.ts';
import { scanPaths } from '../lib/usecases/scan/scan-files.ts';
import { tempDir } from './support/temp-dir.ts';

const dir = tempDir('scan-telegram-');
/** A document as Telegram Desktop writes it: one space of indent per level. */
const telegramJson = (value: unknown): string => `${JSON.stringify(value, null, 1)}\n`;
const put = (name: string, text: string): string => {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
};
const scan = (file: string) => scanPaths(sourceReaders(), [file]);
const RAW = ['9123 4567', '91234567', 'A123456(3)', '6123 4567', '61234567', 'chan@acme.hk', '13812345678'];
const rawIn = (text: string): string[] => RAW.filter((r) => text.includes(r));
/** The line of the file where `needle` stands (1-based), found in the text as written. */
const lineOf = (text: string, needle: string): number => text.slice(0, text.indexOf(needle)).split('\n').length;

async function records(file: string): Promise<SourceRecord[]> {
  const out: SourceRecord[] = [];
  for await (const r of readFileRecords(file, 'exports/result.json')) out.push(r);
  return out;
}

/** A message whose `text` is pieces and entities, with text_entities repeating them, as Telegram writes a formatted one. */
function formatted(id: number, from: string, pieces: (string | { type: string; text: string; href?: string })[]) {
  return {
    id,
    type: 'message',
    date: '2026-11-03T09:15:22',
    date_unixtime: '1793668522',
    from,
    from_id: `user51234${id}`,
    text: pieces,
    text_entities: pieces.map((p) => (typeof p === 'string' ? { type: 'plain', text: p } : p)),
  };
}

const SINGLE_CHAT = {
  name: 'HR 群組',
  type: 'private_supergroup',
  id: 1234567890,
  messages: [
    { id: 1, type: 'service', date: '2026-11-03T09:00:00', date_unixtime: '1793667600', actor: 'Peter Wong', actor_id: 'user5123', action: 'create_group', title: 'HR 群組', members: ['Peter Wong', 'chan@acme.hk'], text: '', text_entities: [] },
    formatted(2, 'Peter Wong', ['Mobile: ', { type: 'phone', text: '9123 4567' }, ' HKID ', { type: 'bold', text: 'A123456(3)' }]),
    {
      id: 3,
      type: 'message',
      date: '2026-11-03T09:16:00',
      date_unixtime: '1793668560',
      from: 'Mary Chan',
      from_id: 'user6123',
      contact_information: { first_name: 'Siu Ming', last_name: 'Chan', phone_number: '61234567' },
      contact_vcard: 'contacts/contact_1.vcf',
      photo: 'photos/HKID A123456(3).jpg',
      text: 'my card, and my mail chan@acme.hk',
      text_entities: [{ type: 'plain', text: 'my card, and my mail ' }, { type: 'email', text: 'chan@acme.hk' }],
    },
  ],
};

describe('a Telegram chat export (result.json)', () => {
  it('reads a message’s text joined from its pieces: the bare number after its label is a phone, and nothing is found twice', async () => {
    const text = telegramJson(SINGLE_CHAT);
    const file = put('single.json', text);
    const result = await scan(file);
    expect(result.findings.map((f) => [f.type, f.pointer, f.line, f.masked])).toEqual([
      ['email', '/messages/0/members/1', lineOf(text, '"chan@acme.hk"'), 'c***@acme.hk'],
      ['hk_phone', '/messages/1/text', lineOf(text, '"9123 4567"'), '+852 ****4567'],
      ['hk_id', '/messages/1/text', lineOf(text, '"A123456(3)"'), 'A12****(3)'],
      // a shared contact's number: its key is the phone word
      ['hk_phone', '/messages/2/contact_information/phone_number', lineOf(text, '"61234567"'), '+852 ****4567'],
      ['hk_id', '/messages/2/photo', lineOf(text, 'photos/HKID'), 'A12****(3)'],
      ['email', '/messages/2/text', lineOf(text, 'my card, and'), 'c***@acme.hk'],
    ]);
    expect(result.files).toEqual([expect.objectContaining({ file, status: 'scanned', format: 'json', truncated: false, findings: 6 })]);
    expect(rawIn(JSON.stringify(result))).toEqual([]);
  });

  it('gives each message as a chat message: the chat as its group, its sender, its time, its pointer and line', async () => {
    const text = telegramJson(SINGLE_CHAT);
    const file = put('records.json', text);
    const got = await records(file);
    const messages = got.filter((r) => r.at.pointer?.endsWith('/text'));
    expect(messages.map(({ newlines: _n, ...r }) => r)).toEqual([
      { group: 'HR 群組', sender: 'Peter Wong', time: '2026-11-03T09:15:22', text: 'Mobile: 9123 4567 HKID A123456(3)', at: { file, line: lineOf(text, '"Mobile: "'), pointer: '/messages/1/text' }, senderAt: { file, line: lineOf(text, '"from": "Peter Wong"'), pointer: '/messages/1/from' } },
      { group: 'HR 群組', sender: 'Mary Chan', time: '2026-11-03T09:16:00', text: 'my card, and my mail chan@acme.hk', at: { file, line: lineOf(text, 'my card, and'), pointer: '/messages/2/text' }, senderAt: { file, line: lineOf(text, '"from": "Mary Chan"'), pointer: '/messages/2/from' } },
    ]);
    // the other strings of a message carry its group, sender and time; text_entities, keys and bookkeeping are not read
    expect(got.find((r) => r.at.pointer === '/messages/2/contact_information/phone_number')).toMatchObject({ group: 'HR 群組', sender: 'Mary Chan', time: '2026-11-03T09:16:00', text: '61234567' });
    expect(got.find((r) => r.at.pointer === '/messages/0/title')).toMatchObject({ group: 'HR 群組', sender: 'Peter Wong', time: '2026-11-03T09:00:00' });
    expect(got.filter((r) => /^\/messages\/.*(?:text_entities|\/from|\/date|\/type$)/.test(r.at.pointer ?? '') || r.text === 'text')).toEqual([]);
    // the export's own strings are read as JSON strings are
    expect(got.filter((r) => r.at.pointer === '/name').map((r) => [r.group, r.sender, r.text])).toEqual([
      ['exports/result.json', '', 'name'],
      ['exports/result.json', '', 'HR 群組'],
    ]);
  });

  it('reads the "all chats" export: each chat’s messages as its own group, the account’s details and contacts as JSON strings', async () => {
    const text = telegramJson({
      about: 'Here is the data you requested.',
      personal_information: { user_id: 5123, first_name: 'Peter', last_name: 'Wong', phone_number: '+852 9123 4567' },
      contacts: { about: 'contacts', list: [{ user_id: 6123, first_name: 'Mary', last_name: 'Chan', phone_number: '61234567', date: '2026-01-01T00:00:00' }] },
      chats: {
        about: 'chats',
        list: [
          { name: '陳小姐', type: 'personal_chat', id: 6123, messages: [formatted(10, '陳小姐', ['我的電話', { type: 'phone', text: '6123 4567' }])] },
          { name: 'Team', type: 'private_group', id: 7000, messages: [formatted(11, 'Peter Wong', ['手機：', { type: 'bold', text: '9123 4567' }])] },
        ],
      },
      left_chats: { about: 'left', list: [{ name: 'Old team', type: 'private_group', id: 8000, messages: [formatted(12, 'Ann', ['内地手机 ', { type: 'phone', text: '13812345678' }])] }] },
    });
    const file = put('all-chats.json', text);
    const result = await scan(file);
    expect(result.findings.map((f) => [f.type, f.pointer, f.line])).toEqual([
      ['hk_phone', '/personal_information/phone_number', lineOf(text, '"+852 9123 4567"')],
      ['hk_phone', '/contacts/list/0/phone_number', lineOf(text, '"61234567"')],
      ['hk_phone', '/chats/list/0/messages/0/text', lineOf(text, '"6123 4567"')],
      ['hk_phone', '/chats/list/1/messages/0/text', lineOf(text, '"9123 4567"')],
      ['cn_phone', '/left_chats/list/0/messages/0/text', lineOf(text, '"13812345678"')],
    ]);
    const groups = (await records(file)).filter((r) => r.at.pointer?.endsWith('/messages/0/text')).map((r) => r.group);
    expect(groups).toEqual(['陳小姐', 'Team', 'Old team']);
    expect(rawIn(JSON.stringify(result))).toEqual([]);
  });

  it('cuts a message longer than 1 MiB in pieces that overlap: what straddles a cut is found once, each where it is', async () => {
    const filler = ` ${'x '.repeat(300_000)}`;
    // the text passes 1 MiB with `Mobile: ` (a cut after it), then the number; a string of 1.6 MiB is read in
    // pieces, cut at 1 MiB inside the HKID
    const long = ` ${'z '.repeat(524_285)}HKID A123456(3) ${'z '.repeat(300_000)}`;
    const message = formatted(1, 'Ann', [filler, `${filler} Mobile: `, { type: 'phone', text: '9123 4567' }, long, ' end']);
    // (an export's first message, which tells it is one, is seldom so long)
    const text = telegramJson({ name: 'Long', type: 'personal_chat', id: 1, messages: [formatted(1, 'Ann', ['hi']), message] });
    const result = await scanPaths(sourceReaders(), [put('long.json', text)], { maxChunkChars: 64 * 1024 });
    expect(result.findings.map((f) => [f.type, f.pointer, f.line])).toEqual([
      ['hk_phone', '/messages/1/text', lineOf(text, '"9123 4567"')],
      ['hk_id', '/messages/1/text', lineOf(text, ' z z z z z HKID A123456(3) ')],
    ]);
  });

  it('a text whose pieces are spread over more lines than 1 MiB of text holds ends its record there: what a record keeps of its lines stays bounded', async () => {
    const head = telegramJson({ name: 'Gap', type: 'personal_chat', id: 1, messages: [formatted(1, 'Ann', ['hi'])] }).replace(/\n \]\n\}\n$/, '');
    const gap = '\n'.repeat(1_100_000);
    const text = `${head},\n{"id": 2, "type": "message", "date": "2026-11-03T09:15:22", "from": "Ann", "text": ["HKID A123456(3) ",${gap}"HKID A123456(3)"]}\n]}\n`;
    const file = put('gap.json', text);
    const [first, second] = [lineOf(text, 'HKID A123456(3)'), text.slice(0, text.lastIndexOf('HKID A123456(3)')).split('\n').length];
    expect(second - first).toBe(gap.length);
    const result = await scan(file);
    expect(result.findings.map((f) => [f.type, f.pointer, f.line])).toEqual([
      ['hk_id', '/messages/1/text', first],
      ['hk_id', '/messages/1/text', second],
    ]);
    const texts = (await records(file)).filter((r) => r.at.pointer === '/messages/1/text');
    expect(texts.map((r) => [r.text, r.at.line, r.newlines?.length])).toEqual([
      ['HKID A123456(3) ', first, 0],
      ['HKID A123456(3)', second, 0],
    ]);
  });

  it('a message written on one line (a minified export) has its findings on line 1', async () => {
    const file = put('minified.json', JSON.stringify(SINGLE_CHAT));
    const result = await scan(file);
    expect(result.findings.map((f) => [f.type, f.line])).toEqual([
      ['email', 1],
      ['hk_phone', 1],
      ['hk_id', 1],
      ['hk_phone', 1],
      ['hk_id', 1],
      ['email', 1],
    ]);
  });

  it('an export cut short fails with the line and column, and keeps what it read before, the message it was in included', async () => {
    const whole = telegramJson(SINGLE_CHAT);
    const cut = whole.slice(0, whole.indexOf('"text_entities": [\n    {\n     "type": "plain",\n     "text": "Mobile: "'));
    const result = await scan(put('cut.json', `${cut}oops`));
    expect(result.findings.map((f) => [f.type, f.pointer])).toEqual([
      ['email', '/messages/0/members/1'],
      ['hk_phone', '/messages/1/text'],
      ['hk_id', '/messages/1/text'],
    ]);
    expect(result.files[0]).toMatchObject({ status: 'failed', truncated: true, findings: 3, reason: expect.stringMatching(/^not valid JSON: line \d+, column \d+: expected a string key/) });
    expect(rawIn(JSON.stringify(result))).toEqual([]);
  });

  it(`an export over ${JSON_POINTERS_MAX_BYTES / 1024 / 1024} MiB is streamed as chats too (another document that large is read as text: hostile-files)`, { timeout: 60_000 }, async () => {
    const file = path.join(dir, 'large.json');
    const stream = createWriteStream(file);
    stream.write('{\n "name": "Big",\n "type": "private_group",\n "id": 1,\n "messages": [\n');
    const chatter = telegramJson(formatted(1, 'Ann', ['see you at the ', { type: 'bold', text: 'office' }, ' tomorrow'])).trimEnd();
    let bytes = 0;
    for (let i = 0; bytes <= JSON_POINTERS_MAX_BYTES; i++) {
      const ok = stream.write(`${chatter},\n`);
      bytes += chatter.length + 2;
      if (!ok) await new Promise<void>((resolve) => stream.once('drain', () => resolve()));
    }
    stream.write(`${telegramJson(formatted(2, 'Ann', ['Mobile: ', { type: 'phone', text: '9123 4567' }])).trimEnd()}\n ]\n}\n`);
    await new Promise<void>((resolve) => stream.end(() => resolve()));
    const result = await scan(file);
    expect(result.findings.map((f) => [f.type, f.masked])).toEqual([['hk_phone', '+852 ****4567']]);
    expect(result.files[0]).toMatchObject({ status: 'scanned', format: 'json', truncated: false, findings: 1 });
  });

  it('an export whose first message could not be exported is known by the next; a sender without a name is its id', async () => {
    const text = telegramJson({
      type: 'saved_messages',
      id: 1,
      messages: [{ id: 1, type: 'unsupported' }, { ...formatted(2, '', ['Mobile: ', { type: 'phone', text: '9123 4567' }]), from: null }],
    });
    const file = put('saved.json', text);
    expect((await scan(file)).findings.map((f) => [f.type, f.pointer])).toEqual([['hk_phone', '/messages/1/text']]);
    expect((await records(file)).find((r) => r.at.pointer === '/messages/1/text')).toMatchObject({ group: 'exports/result.json', sender: 'user512342', text: 'Mobile: 9123 4567' });
  });

  it('another JSON document is read as before: strings one by one, even with a messages array of texts', async () => {
    // no type, id or date: not an export, so the label and the number are strings apart, and each string is read
    const text = JSON.stringify({ messages: [{ text: ['Mobile: ', { text: '9123 4567' }], text_entities: [{ text: 'HKID A123456(3)' }] }, { text: 'HKID A123456(3)' }] });
    const result = await scan(put('other.json', text));
    expect(result.findings.map((f) => [f.type, f.pointer, f.line])).toEqual([
      ['hk_id', '/messages/0/text_entities/0/text', undefined],
      ['hk_id', '/messages/1/text', undefined],
    ]);
    // nor one that starts as an export does but holds no such message
    const like = JSON.stringify({ name: 'x', type: 'y', messages: [{ id: 1, type: 'note', date: '2026-11-03', text: ['Mobile: ', '9123 4567'] }, { text: 'HKID A123456(3)' }] });
    expect((await scan(put('like.json', like))).findings.map((f) => [f.type, f.pointer, f.line])).toEqual([['hk_id', '/messages/1/text', undefined]]);
  });

  it('a control character written `\\xXX`, as Telegram writes one (not JSON), is read as that character, not a failed file', async () => {
    const text = telegramJson(SINGLE_CHAT).replace('Mobile: ', '\\x0bMobile: ');
    expect(text).toContain('"\\x0bMobile: "');
    const result = await scan(put('control.json', text));
    expect(result.files[0]).toMatchObject({ status: 'scanned', format: 'json', truncated: false });
    expect(result.findings.filter((f) => f.pointer === '/messages/1/text').map((f) => f.type)).toEqual(['hk_phone', 'hk_id']);
  });

  it('`\\xXX` is decoded wherever a long string is cut in pieces, and an escaped backslash before `x41` stays one', () => {
    const strings = (doc: string, maxStringChars: number): string => {
      const out: JsonString[] = [];
      const reader = new JsonStrings({ maxStringChars });
      reader.push(doc, (s) => out.push(s));
      reader.end((s) => out.push(s));
      // each piece after the first repeats the end of the one before from its repeatedFrom
      return out.reduce((all, s, i) => (i === 0 ? s.text : all + s.text.slice(out[i - 1]!.text.length - out[i - 1]!.repeatedFrom!)), '');
    };
    const body = `${'a'.repeat(20)}\\x41${'b'.repeat(20)}\\\\x41`;
    for (let max = 17; max <= 30; max++) expect(strings(`["${body}"]`, max), String(max)).toBe(`${'a'.repeat(20)}A${'b'.repeat(20)}\\x41`);
  });
});

describe('telling a Telegram export from another JSON document', () => {
  /** How many strings of `text` (pushed whole, not ended) the probe has given back as another document's, and whether it has decided. */
  const probed = (text: string) => {
    const strings = new JsonStrings({ numbers: true, lines: true });
    let given = 0;
    const telegram = new TelegramExport('f.json', 'g', () => {}, () => given++);
    strings.push(text, (s) => telegram.take(s));
    return { recognised: telegram.recognised, given };
  };

  it('a top-level key Telegram does not write, before the first message, ends the probe: the strings are not held', () => {
    const other = `{"name":"n","x":[${'"a",'.repeat(1000)}`;
    const { recognised, given } = probed(other);
    expect(recognised).toBe(false);
    expect(given).toBeGreaterThan(1000); // each "a" given back as it was read
  });

  it('the keys Telegram writes before its messages keep it probing (the "all chats" export, one chat’s)', () => {
    const all = '{"about":"a","personal_information":{"user_id":1,"phone_number":"+852 9123 4567"},"contacts":{"about":"c","list":[]},"frequent_contacts":{"about":"f","list":[]},"chats":{"about":"x","list":[{"name":"Team","type":"private_group","id":1,"messages":[{"id":1,"type":"message","date":"2026-11-03T09:00:00","text":"hi"},{"id":2,"type":"message"';
    expect(probed(all)).toMatchObject({ recognised: true, given: 0 });
    const one = '{"name":"Team","type":"private_group","id":1,"messages":[{"id":1,"type":"message","date":"2026-11-03T09:00:00","text":"hi"},{"id":2,"type":"message"';
    expect(probed(one)).toMatchObject({ recognised: true, given: 0 });
  });
});
