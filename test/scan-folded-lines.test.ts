// Contact cards (.vcf) and calendars (.ics) are read unfolded (folded-lines.ts): a value
// cut over a fold (a line end and a space or tab) is found whole, on the line of the file
// where it starts; vCard 2.1 quoted-printable values are decoded with their CHARSET;
// binary values (a PHOTO) are not scanned; bad input is read as well as it can be, with a
// problem at its line; a card or calendar is never cut in parts for the threads.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { splitFile } from '../lib/adapters/sources/file-parts.ts';
import { readFileRecords } from '../lib/adapters/sources/local-files.ts';
import { sourceReaders } from '../lib/adapters/sources/source-reader.ts';
import { readTextChunks } from '../lib/adapters/sources/text-reader.ts';
import { scanPathsParallel, type PartFound } from '../lib/cli/scan-pool.ts';
import { FindingJson } from '../lib/cli/scan-json.ts';
import { detectRecords } from '../lib/domain/detect/records.ts';
import { scanPaths } from '../lib/usecases/scan/scan-files.ts';
import { tempDir } from './support/temp-dir.ts';

const KEY = 'folded-lines-test-key';
const dir = tempDir('scan-folded-');
const put = (name: string, text: string | Buffer): string => {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
};
const found = async (file: string, options: { budgetBytes?: number; maxChunkChars?: number } = {}) => {
  const result = await scanPaths(sourceReaders(), [file], { hashKey: KEY, ...options });
  return { findings: result.findings.map((f) => [f.line, f.type, f.masked]), read: result.files[0]! };
};
/** Quoted-printable of UTF-8 (or of `bytes`), every byte escaped. */
const qp = (text: string | Buffer) => [...(typeof text === 'string' ? Buffer.from(text) : text)].map((b) => `=${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');

const CARD = [
  'BEGIN:VCARD',
  'VERSION:3.0',
  'FN:Chan Tai Man',
  'NOTE:Staff file. HKID: A1234', // line 4: the HKID starts here
  ' 56(3)\\nMobile: 9123 45', // line 5: the phone starts here
  ' 67\\nend of note',
  'TEL;TYPE=CELL:+852 9876 ',
  ' 5432',
  'END:VCARD',
  '',
].join('\r\n');

describe('a contact card (vCard 3.0) with folded lines', () => {
  it('finds a value cut over a fold, on the line where it starts', async () => {
    const { findings, read } = await found(put('card.vcf', CARD));
    expect(findings).toEqual([
      [4, 'hk_id', 'A12****(3)'],
      [5, 'hk_phone', '+852 ****4567'],
      [7, 'hk_phone', '+852 ****5432'],
    ]);
    expect(read).toMatchObject({ status: 'scanned', truncated: false });
    expect(read.problems).toBeUndefined();
  });

  it('is known by its text whatever its name; a plain text whose lines start with a space is not unfolded', async () => {
    expect((await found(put('card-export.txt', CARD))).findings.map((f) => f[0])).toEqual([4, 5, 7]);
    // the same lines in a text that is not a card: a line starting with a space is a line of its own
    const plain = put('notes.txt', CARD.replace('BEGIN:VCARD', 'Notes of the meeting'));
    expect((await found(plain)).findings.filter((f) => f[1] === 'hk_id')).toEqual([]);
  });

  it('counts the lines of a card of many folded lines right in chunks of any size, long lines cut in pieces included', async () => {
    // random folds, some inside the identifiers; long NOTEs (over the chunk size) among short ones
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const lines = ['BEGIN:VCARD', 'VERSION:3.0'];
    const notes: { text: string; line: number; folds: number[] }[] = [];
    for (let card = 0; card < 60; card++) {
      const words: string[] = [];
      for (let n = random() < 0.3 ? 40 : 3; n > 0; n--) {
        const filler = 'lorem ipsum dolor sit amet '.slice(0, 5 + Math.floor(random() * 20));
        words.push(`${filler}${random() < 0.5 ? 'HKID: A123456(3)' : `Mobile: 9${String(n).padStart(3, '0')} 4567`}; `);
      }
      const text = `NOTE:${words.join('')}`;
      // fold at random places, up to 75 characters apart
      const folds: number[] = [];
      for (let at = 1 + Math.floor(random() * 74); at < text.length; at += 1 + Math.floor(random() * 74)) folds.push(at);
      notes.push({ text, line: lines.length + 1, folds });
      [0, ...folds].forEach((at, i) => lines.push(`${i > 0 ? (random() < 0.5 ? ' ' : '\t') : ''}${text.slice(at, folds[i] ?? text.length)}`));
    }
    lines.push('END:VCARD', '');
    const file = put('many.vcf', lines.join('\r\n'));
    // what a scan of each note unfolded finds, on the line of the file where it starts
    const expected: [number, string][] = [];
    const unfolded = put('many-unfolded.txt', notes.map((n) => n.text).join('\n'));
    await detectRecords(readFileRecords(unfolded, 'g'), ({ text }, d, line) => {
      const note = notes[line! - 1]!;
      const at = d.start - (text.lastIndexOf('\n', d.start - 1) + 1);
      expected.push([note.line + note.folds.filter((f) => f <= at).length, d.type]);
    });
    expect(expected.length).toBeGreaterThan(300);
    for (const maxChunkChars of [256, 1000, undefined]) {
      const got: [number, string][] = [];
      await detectRecords(readFileRecords(file, 'g', maxChunkChars ? { maxChunkChars } : {}), (_, d, line) => got.push([line!, d.type]));
      expect({ maxChunkChars, got }).toEqual({ maxChunkChars, got: expected });
    }
  });
});

describe('a calendar (iCalendar) with folded lines', () => {
  it('unfolds a DESCRIPTION folded with tabs and spaces, Chinese text included', async () => {
    const ics = put(
      'invite.ics',
      [
        'BEGIN:VCALENDAR',
        'VERSION:2.0',
        'BEGIN:VEVENT',
        'SUMMARY:入職簡報',
        'DESCRIPTION:新同事陳大文，身份證號碼 B12345', // line 5
        '\t6(6)，手機 6123 ',
        ' 4567。',
        'END:VEVENT',
        'END:VCALENDAR',
        '',
      ].join('\r\n'),
    );
    expect((await found(ics)).findings).toEqual([
      [5, 'hk_id', 'B12****(6)'],
      [6, 'hk_phone', '+852 ****4567'],
    ]);
  });

  it('makes whole a character that a fold cut between its bytes (RFC 5545 §3.1), on the line where it starts', async () => {
    const split = (text: string, at: number) => Buffer.concat([Buffer.from(text).subarray(0, at), Buffer.from('\r\n '), Buffer.from(text).subarray(at)]);
    const description = 'DESCRIPTION:聯絡手機 61234567';
    const at = Buffer.byteLength('DESCRIPTION:聯絡手') + 1; // inside 機
    const ics = Buffer.concat([Buffer.from('BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n'), split(description, at), Buffer.from('\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n')]);
    const { findings, read } = await found(put('split.ics', ics));
    expect(findings).toEqual([[4, 'hk_phone', '+852 ****4567']]);
    expect(read).toMatchObject({ replacedSequences: 0 });
    // the same text in reads from disk of any size, a fold across two reads included
    const text = async (highWaterMark: number) => {
      let out = '';
      for await (const chunk of readTextChunks(path.join(dir, 'split.ics'), { highWaterMark })) out += chunk.text.slice(chunk.overlap);
      return out;
    };
    const whole = await text(1 << 16);
    expect(whole).toContain('DESCRIPTION:聯絡手機\r\n  61234567'); // 機 whole before the fold, then its space and the text's own
    expect(Buffer.byteLength(whole)).toBe(ics.length);
    for (const size of [1, 2, 3, 5, 7, 64]) expect({ size, text: await text(size) }).toEqual({ size, text: whole });
  });

  it('cut short (no END:VCALENDAR) is read, with a problem at the line that began it; cut by the byte budget, with none', async () => {
    const text = ['BEGIN:VCALENDAR', 'BEGIN:VEVENT', 'DESCRIPTION:HKID A123456(3) and a long note that goes o', ' n and on', 'END:VEVENT', ''].join('\r\n');
    const cut = put('cut.ics', text);
    const whole = await found(cut);
    expect(whole.findings).toEqual([[3, 'hk_id', 'A12****(3)']]);
    expect(whole.read.problems).toEqual([{ line: 1, message: 'BEGIN:VCALENDAR has no END:VCALENDAR: the text ends inside it (cut short?)' }]);
    const budget = await found(cut, { budgetBytes: text.indexOf(' n and on') + 3 });
    expect(budget.findings).toEqual([[3, 'hk_id', 'A12****(3)']]);
    expect(budget.read).toMatchObject({ truncated: true });
    expect(budget.read.problems).toBeUndefined();
  });
});

describe('a calendar invitation attached to a mail', () => {
  it('is read unfolded, its problems named by the attachment and its line', async () => {
    const invite = ['BEGIN:VCALENDAR', 'METHOD:REQUEST', 'BEGIN:VEVENT', 'DESCRIPTION:請致電陳先生，手機 6123 ', ' 4567 或電郵。', 'END:VEVENT', ''].join('\r\n');
    const mail = put(
      'invite.eml',
      [
        'From: hr@example.com',
        'Subject: Onboarding',
        'Content-Type: multipart/mixed; boundary="XX"',
        '',
        '--XX',
        'Content-Type: text/plain; charset=UTF-8',
        '',
        'See the invitation.',
        '--XX',
        'Content-Type: text/calendar; charset=UTF-8; method=REQUEST; name="invite.ics"',
        'Content-Transfer-Encoding: base64',
        '',
        Buffer.from(invite).toString('base64'),
        '--XX--',
        '',
      ].join('\r\n'),
    );
    const result = await scanPaths(sourceReaders(), [mail], { hashKey: KEY });
    expect(result.findings.map((f) => [f.pointer, f.type, f.masked])).toEqual([
      ['/from', 'email', 'h***@example.com'],
      ['/attachments/0', 'hk_phone', '+852 ****4567'],
    ]);
    expect(result.files[0]!.problems).toEqual([{ line: 1, message: 'attachment 0, its line 1: BEGIN:VCALENDAR has no END:VCALENDAR: the text ends inside it (cut short?)' }]);
  });
});

describe('vCard 2.1 (Android and older phones)', () => {
  it('decodes quoted-printable values with their CHARSET, a soft line end joining lines', async () => {
    const card = put(
      'android.vcf',
      [
        'BEGIN:VCARD',
        'VERSION:2.1',
        `N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:${qp('陳;大文')}`,
        `NOTE;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:${qp('身份證')} A123456(3) ${qp('手機')}=`, // line 4
        ` 9123 =`, // line 5: the phone starts here, after a soft line end
        `4567`,
        `NOTE;CHARSET=BIG5;QUOTED-PRINTABLE:${qp(Buffer.from([0xa4, 0xe2, 0xbe, 0xf7]))}: 61234567`, // 手機 in Big5, line 7
        'NOTE:Mobile', // 2.1 folds only at white space, which it keeps: `Mobile 51234567`
        ' 51234567',
        'END:VCARD',
        '',
      ].join('\r\n'),
    );
    const { findings, read } = await found(card);
    expect(findings).toEqual([
      [4, 'hk_id', 'A12****(3)'],
      [5, 'hk_phone', '+852 ****4567'],
      [7, 'hk_phone', '+852 ****4567'],
      [9, 'hk_phone', '+852 ****4567'],
    ]);
    expect(read.problems).toBeUndefined();
  });

  it('reads bad quoted-printable and an unknown CHARSET as well as it can, with a problem at the line', async () => {
    const card = put(
      'bad-qp.vcf',
      [
        'BEGIN:VCARD',
        `NOTE;ENCODING=QUOTED-PRINTABLE:=ZZ HKID A123456(3) =E6=89`,
        `NOTE;CHARSET=X-NO-SUCH;ENCODING=QUOTED-PRINTABLE:${qp('手機')} 91234567`,
        'END:VCARD',
        '',
      ].join('\n'),
    );
    const { findings, read } = await found(card);
    expect(findings).toEqual([
      [2, 'hk_id', 'A12****(3)'],
      [3, 'hk_phone', '+852 ****4567'],
    ]);
    expect(read.problems).toEqual([
      { line: 2, message: 'quoted-printable value with a bad escape (=ZZ): read as written' },
      { line: 3, message: 'unknown CHARSET=X-NO-SUCH: read as UTF-8' },
    ]);
    // bytes that are not UTF-8
    const notUtf8 = put('not-utf8.vcf', `BEGIN:VCARD\nNOTE;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=FF=FE A123456(3)\nEND:VCARD\n`);
    const bad = await found(notUtf8);
    expect(bad.findings).toEqual([[2, 'hk_id', 'A12****(3)']]);
    expect(bad.read.problems).toEqual([{ line: 2, message: 'quoted-printable value not valid utf-8: its bad bytes replaced' }]);
  });
});

describe('binary values (a PHOTO)', () => {
  // base64 holds '+' and '/', and so runs that read as a phone number or a card number
  const data = (n: number) => Array.from({ length: n }, (_, i) => `MIICXAIBAAKBgQCq${i}GKukO1De7zhZj6+85291234567+H0qtjTk/4111111111111111/`).join('');
  const folded = (text: string) => text.match(/.{1,74}/g)!.join('\r\n ');

  it('gives no findings, in each way cards write them, and is not handed to the detectors', async () => {
    const card = put(
      'photos.vcf',
      [
        'BEGIN:VCARD',
        'VERSION:3.0',
        folded(`PHOTO;ENCODING=b;TYPE=JPEG:${data(2000)}`),
        'TEL;TYPE=CELL:9876 5432',
        'END:VCARD',
        'BEGIN:VCARD',
        'VERSION:2.1',
        `PHOTO;ENCODING=BASE64;TYPE=JPEG:${data(1)}`,
        ...data(2000).match(/.{1,76}/g)!, // 2.1: the value goes on, on lines of its own, to a blank line
        '',
        'TEL;CELL:6123 4567',
        'END:VCARD',
        'BEGIN:VCARD',
        'VERSION:4.0',
        folded(`PHOTO:data:image/jpeg;base64,${data(2000)}`),
        'END:VCARD',
        '',
      ].join('\r\n'),
    );
    const { findings } = await found(card);
    const lines = (await import('node:fs')).readFileSync(card, 'utf8').split('\r\n');
    expect(findings).toEqual([
      [lines.indexOf('TEL;TYPE=CELL:9876 5432') + 1, 'hk_phone', '+852 ****5432'],
      [lines.indexOf('TEL;CELL:6123 4567') + 1, 'hk_phone', '+852 ****4567'],
    ]);
    let scanned = 0;
    for await (const record of readFileRecords(card, 'g')) scanned += record.text.length;
    expect(scanned).toBeLessThan(lines.length * 4 + 1000);
  });
});

describe('a file named as a card or calendar that is not one', () => {
  it('is read as plain text, with a problem at line 1', async () => {
    const { findings, read } = await found(put('contacts.vcf', 'Name,Mobile\nChan,\n 9123 4567 HKID A123456(3)\n'));
    expect(findings).toEqual([[3, 'hk_id', 'A12****(3)']]);
    expect(read.problems).toEqual([{ line: 1, message: 'not a vCard or iCalendar (it does not start with BEGIN:VCARD or BEGIN:VCALENDAR): read as plain text, its lines not unfolded' }]);
  });
});

describe('a card file larger than the parts the threads scan', () => {
  it('is read whole: one thread and several give the same JSON, folded values found', async () => {
    const cards = Array.from({ length: 400 }, (_, i) =>
      ['BEGIN:VCARD', 'VERSION:3.0', `FN:Person ${i}`, `NOTE:${'x'.repeat(60 + (i % 13))}HKID: A1234`, ' 56(3)', 'TEL;TYPE=CELL:9123 45', ' 67', 'END:VCARD'].join('\r\n'),
    );
    const big = put('big.vcf', `${cards.join('\r\n')}\r\n`);
    expect(await splitFile(big, undefined, 16 * 1024)).toBeUndefined();
    const one = await scanPaths(sourceReaders(), [big], { hashKey: KEY });
    expect(one.findings).toHaveLength(800);
    expect(one.findings[0]).toMatchObject({ line: 4, type: 'hk_id' });
    const parts: PartFound[] = [];
    const summary = await scanPathsParallel([big], { hashKey: KEY }, (p) => parts.push(p), { threads: 2, partBytes: 16 * 1024, mode: 'json' });
    const writer = new FindingJson();
    expect(Buffer.concat(parts.flatMap((p) => p.json)).toString()).toBe(one.findings.map((f) => `,\n    ${writer.text(f)}`).join(''));
    expect(summary.files).toEqual(one.files);
  });
});

describe('cards and calendars: a value’s kind read unfolded, vCalendar 1.0, nesting, bounded folds', () => {
  /** Each detection as [line, type], and the largest `newlines` of a record read. */
  const detected = async (file: string, maxChunkChars?: number) => {
    let mostLines = 0;
    const records = (async function* () {
      const reading = readFileRecords(file, 'g', maxChunkChars ? { maxChunkChars } : {});
      for (let next = await reading.next(); ; next = await reading.next()) {
        if (next.done) return next.value;
        mostLines = Math.max(mostLines, next.value.newlines?.length ?? 0);
        yield next.value;
      }
    })();
    const got: [number, string][] = [];
    const read = await detectRecords(records, (_, d, line) => got.push([line!, d.type]));
    return { got, mostLines, problems: read.problems ?? [] };
  };

  it('a PHOTO as a data: URI is left out when a fold cuts it before `;base64,`', async () => {
    const base64 = '/9j/4AAQ+4111111111111111+AAQSk'; // digits a card's check would take
    const card = ['BEGIN:VCARD', 'VERSION:4.0', 'FN:Chan', 'PHOTO;MEDIATYPE=image/jpeg:data:image/jp', ` eg;base64,${base64}`, 'NOTE:HKID A123456(3)', 'END:VCARD', ''].join('\r\n');
    expect((await detected(put('photo-fold.vcf', card))).got).toEqual([[6, 'hk_id']]);
    // the same URI unfolded, and one that is no base64, as before
    expect((await detected(put('photo-whole.vcf', card.replace('jp\r\n eg', 'jpeg')))).got).toEqual([[5, 'hk_id']]);
    expect((await detected(put('note-data.vcf', card.replace(';base64,', ',')))).got).toEqual([[5, 'payment_card'], [6, 'hk_id']]);
  });

  it('a vCalendar 1.0 (.vcs) keeps a fold’s space, as a vCard 2.1 does: the words either side stay apart', async () => {
    const vcs = ['BEGIN:VCALENDAR', 'VERSION:1.0', 'BEGIN:VEVENT', 'DESCRIPTION:Staff HKID', ' A123456(3) mobile', ' 91234567', 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');
    expect(await detected(put('event.vcs', vcs))).toMatchObject({ got: [[5, 'hk_id'], [6, 'hk_phone']], problems: [] });
    // .vcs is a calendar's name: one that is no calendar is said to be read as plain text
    expect((await detected(put('other.vcs', 'Staff HKID A123456(3)\n'))).problems).toEqual([
      { line: 1, message: 'not a vCard or iCalendar (it does not start with BEGIN:VCARD or BEGIN:VCALENDAR): read as plain text, its lines not unfolded' },
    ]);
  });

  it('a component left open inside another is named at its BEGIN line, not taken for the calendar left open', async () => {
    const ics = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'BEGIN:VEVENT', 'SUMMARY:x', 'BEGIN:VALARM', 'ACTION:DISPLAY', 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');
    expect((await detected(put('alarm.ics', ics))).problems).toEqual([{ line: 5, message: 'BEGIN:VALARM has no END:VALARM: END:VEVENT (line 7) came first' }]);
    const closed = ics.replace('ACTION:DISPLAY', 'ACTION:DISPLAY\r\nEND:VALARM');
    expect((await detected(put('alarm-closed.ics', closed))).problems).toEqual([]);
  });

  it('millions of empty folds in one content line (after its colon, or before it) keep a record’s line ends within a chunk', { timeout: 60_000 }, async () => {
    const folds = 3_000_000;
    const maxChunkChars = 32 * 1024; // the default
    const value = put('empty-folds.vcf', `BEGIN:VCARD\nVERSION:3.0\nNOTE:x\n${' \n'.repeat(folds)}  A123456(3)\nEND:VCARD\n`);
    const after = await detected(value);
    expect(after.got).toEqual([[folds + 4, 'hk_id']]);
    expect(after.mostLines).toBeLessThanOrEqual(maxChunkChars);
    const head = put('empty-folds-head.vcf', `BEGIN:VCARD\nVERSION:3.0\nNO\n${' \n'.repeat(folds)} TE:A123456(3)\nEND:VCARD\n`);
    const before = await detected(head);
    expect(before.got).toEqual([[folds + 4, 'hk_id']]);
    expect(before.mostLines).toBeLessThanOrEqual(maxChunkChars);
    // a value either side of such a run is found whole when the run is shorter than half a chunk (the cut's overlap keeps it)
    const small = await detected(put('folds-split.vcf', `BEGIN:VCARD\nVERSION:3.0\nNOTE:HKID A1234\n${' \n'.repeat(300)} 56(3)\nEND:VCARD\n`), 1000);
    expect(small).toMatchObject({ got: [[3, 'hk_id']] });
    expect(small.mostLines).toBeLessThanOrEqual(1000);
  });
});
