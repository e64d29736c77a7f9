// Defects a tester found in the detectors, each with the inputs as reported and the near
// misses that must stay clean: 工資 read across 員工 + 資料; phone keys written as
// identifiers (`phone_no:`, `mobileNo=`, `PHONE1=`); vCard TEL lines with parameters;
// escapes written out in JSON logs (`\nMobile: ...`, `\nchan@...`); e-mail addresses cut
// at an apostrophe or `=`, and a URL's userinfo read as one; a label and its number in
// HTML or Markdown markup.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sourceReaders } from '../lib/adapters/sources/source-reader.ts';
import { detect } from '../lib/domain/detect/detect.ts';
import { mask } from '../lib/domain/detect/mask.ts';
import { scanPaths } from '../lib/usecases/scan/scan-files.ts';
import { expectCandidatesComplete } from './support/candidate-checks.ts';
import { tempDir } from './support/temp-dir.ts';

/** Each finding of `text`: type, as written, canonical value, mask. */
function found(text: string): [string, string, string, string][] {
  return detect(text).map((d) => [d.type, d.raw, d.value, mask(d)]);
}

/** The hk_phone findings of `text` as written (and that nothing else is found). */
function phones(text: string): string[] {
  const ds = detect(text);
  expect(ds.filter((d) => d.type !== 'hk_phone'), text).toEqual([]);
  return ds.map((d) => d.raw);
}

const dir = tempDir('detect-qa-');
/** Scans a file of `content` named `name`: `type line masked` per finding. */
async function scanned(name: string, content: string): Promise<string[]> {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  const result = await scanPaths(sourceReaders(), [file]);
  return result.findings.map((f) => `${f.type} ${f.line ?? '-'} ${f.masked}`);
}

describe('工資 (wages) read across two words', () => {
  it('is not found in 員工資料 (員工 staff + 資料 data), 員工資訊, 員工資格 and the like', () => {
    for (const text of ['員工資料表', '员工资料', '員工資訊', '员工资讯', '員工資格', '员工资格', '請更新員工資料。', '員工資歷', '员工资质', '義工資料', '竣工資料', '勞工資訊']) {
      expect(found(text), text).toEqual([]);
    }
  });

  it('is still found where it is pay, 工資 before another 資 or a word that starts so too', () => {
    for (const [text, word] of [
      ['工資 5000', '工資'],
      ['本月工資', '工資'],
      ['員工工資', '工資'],
      ['员工工资：8000', '工资'],
      ['員工工資資料', '工資'], // wage data
      ['最低工資訊息', '工資'], // 工資 + 訊息
      ['工資格式', '工資'],
      ['最低工資格外重要', '工資'],
      ['工资历史', '工资'],
    ] as const) {
      expect(found(text), text).toEqual([['payroll', word, word, word]]);
    }
  });

  it('leaves an HR file of staff data clean and finds its pay line', async () => {
    expect(await scanned('staff.txt', '員工資料表\n员工资料更新\n本月工資 5000\n')).toEqual(['payroll 3 工資']);
  });
});

describe('a phone key written as an identifier', () => {
  it('is the phone word of the number after it: snake_case, camelCase, one word with no/number, an index', () => {
    expect(phones('phone_no: 91234567')).toEqual(['91234567']);
    expect(phones('phoneNumber: 91234567')).toEqual(['91234567']);
    expect(phones('mobileNo=91234567')).toEqual(['91234567']);
    expect(phones('tel_no=23456789')).toEqual(['23456789']);
    expect(phones('contactPhone: 91234567')).toEqual(['91234567']);
    expect(phones('mobilePhone=91234567')).toEqual(['91234567']);
    expect(phones('PHONE1=91234567')).toEqual(['91234567']);
    expect(phones('{"mobileNo":"91234567"}')).toEqual(['91234567']);
    expect(phones('PHONE_NO_1=9123 4567')).toEqual(['9123 4567']);
    expect(phones('CONTACTNO: 2345 6789')).toEqual(['2345 6789']);
    expect(phones("UPDATE staff SET mobile_no = '91234567' WHERE id = 7")).toEqual(['91234567']);
    expect(phones('<mobileNo>91234567</mobileNo>')).toEqual(['91234567']);
    expect(phones("$row['tel_no'] => '2345 6789'")).toEqual(['2345 6789']);
    expect(phones('homeTel: 23456789')).toEqual(['23456789']);
    expect(phones('emergencyContactNo: 91234567')).toEqual(['91234567']);
    expect(phones('phone_2 = 6123-4567')).toEqual(['6123-4567']);
    // and each number of a list after it
    expect(phones('mobileNo=9123 4567 / 6123 4567')).toEqual(['9123 4567', '6123 4567']);
    expect(found('phone_no: 91234567')).toEqual([['hk_phone', '91234567', '+85291234567', '+852 ****4567']]);
  });

  it('is not a word inside another (hotel, intel, cellular, headphone, iPhone), nor a key that names a count or an id', () => {
    for (const text of [
      'hotel 23456789',
      'Hotel: 23456789',
      'hotelTel: 23456789',
      'motel_no 23456789',
      'intel 23456789',
      'cellular_id=23456789',
      'headphone: 23456789',
      'microphone=23456789',
      'iPhone: 23456789',
      'automobile: 23456789',
      // a key naming the phone's count, id or an index of a spreadsheet cell or a pH
      'telephone_count=23456789',
      'phone_count: 23456789',
      'phone_total=23456789',
      'phone_id: 23456789',
      'cell_1 = 23456789',
      'PH2 23456789',
      'phone2fa 23456789',
      // no HK phone at all: it starts with 1
      'telephone_count=12345678',
      'order_no=23456789',
    ]) {
      expect(found(text), text).toEqual([]);
    }
  });

  it('finds them in a log, a .env file and JSON lines read as text, at their lines', async () => {
    const log = [
      'INFO user created phone_no: 91234567',
      'DEBUG payload {"name":"chan","mobileNo":"91234567"}',
      'mobileNo=91234567 tel_no=23456789',
      'telephone_count=23456789 hotel 23456789',
      'contactPhone: 9123 4567',
    ].join('\n');
    expect(await scanned('app.log', log + '\n')).toEqual([
      'hk_phone 1 +852 ****4567',
      'hk_phone 2 +852 ****4567',
      'hk_phone 3 +852 ****4567',
      'hk_phone 3 +852 ****6789',
      'hk_phone 5 +852 ****4567',
    ]);
    expect(await scanned('app.env', 'APP_NAME=hr\nPHONE1=91234567\nMAX_ROWS=23456789\n')).toEqual(['hk_phone 2 +852 ****4567']);
  });
});

describe('a vCard TEL line with parameters', () => {
  it('is the phone word of its number', () => {
    expect(phones('TEL;type=CELL;type=VOICE;type=pref:9123 4567')).toEqual(['9123 4567']);
    expect(phones('TEL;CELL;PREF:98765432')).toEqual(['98765432']);
    expect(phones('TEL;HOME:23456789')).toEqual(['23456789']);
    expect(phones('TEL;TYPE=CELL,VOICE:9876 5432')).toEqual(['9876 5432']);
    expect(phones('item2.TEL;type=WORK:2345 6789')).toEqual(['2345 6789']);
    // not another property's
    expect(phones('TELEX;TYPE=X:23456789')).toEqual([]);
    expect(phones('HOTEL;X:23456789')).toEqual([]);
    expect(phones('X-ABUID;TYPE=pref:23456789')).toEqual([]);
  });

  it('finds the numbers of a contact card (.vcf) at their lines', async () => {
    const vcf = [
      'BEGIN:VCARD',
      'VERSION:3.0',
      'FN:Chan Tai Man',
      'TEL;type=CELL;type=VOICE;type=pref:9123 4567',
      'TEL;CELL;PREF:98765432',
      'TEL;HOME:23456789',
      'TEL;TYPE=CELL,VOICE:9876 5432',
      'NOTE:ref 23456789',
      'END:VCARD',
    ].join('\r\n');
    expect(await scanned('chan.vcf', vcf + '\r\n')).toEqual([
      'hk_phone 4 +852 ****4567',
      'hk_phone 5 +852 ****5432',
      'hk_phone 6 +852 ****6789',
      'hk_phone 7 +852 ****5432',
    ]);
  });
});

describe('escapes written out in text (JSON logs, .ics and .vcf fields)', () => {
  const line = String.raw`{"msg":"Reply to:\nchan@acme.com.hk\nMobile: 91234567"}`;

  it('end the word before them: the phone word after \\n, \\t or \\r\\n is a phone word, and the e-mail starts after the escape', () => {
    expect(found(line)).toEqual([
      ['email', 'chan@acme.com.hk', 'chan@acme.com.hk', 'c***@acme.com.hk'],
      ['hk_phone', '91234567', '+85291234567', '+852 ****4567'],
    ]);
    expect(phones(String.raw`"a\tTel 2345 6789"`)).toEqual(['2345 6789']);
    expect(phones(String.raw`"note\r\nTel: 2345 6789"`)).toEqual(['2345 6789']);
    expect(found(String.raw`"x\tchan@acme.hk"`)).toEqual([['email', 'chan@acme.hk', 'chan@acme.hk', 'c***@acme.hk']]);
    expect(found(String.raw`"\r\nchan@acme.hk"`)).toEqual([['email', 'chan@acme.hk', 'chan@acme.hk', 'c***@acme.hk']]);
    // `<` escaped as JSON writers in Go and others do
    expect(found(String.raw`"Chan \u003cchan@acme.hk\u003e"`)).toEqual([['email', 'chan@acme.hk', 'chan@acme.hk', 'c***@acme.hk']]);
  });

  it('only when they are escapes: a letter before a word, or an escaped backslash before n, is not one', () => {
    expect(phones('nMobile: 91234567')).toEqual([]);
    expect(phones('hotTel 23456789')).toEqual([]);
    // `\\n` is a backslash and an n: the address is nchan@
    expect(found(String.raw`"C:\\nchan@acme.hk"`)).toEqual([['email', 'nchan@acme.hk', 'nchan@acme.hk', 'n***@acme.hk']]);
    expect(found('nchan@acme.hk')).toEqual([['email', 'nchan@acme.hk', 'nchan@acme.hk', 'n***@acme.hk']]);
  });

  it('start the identifier or keyword after them, and \\n ends a line as a line end does', () => {
    expect(found(String.raw`"Card:\n4111 1111 1111 1111"`)).toEqual([['payment_card', '4111 1111 1111 1111', '4111111111111111', '4111 **** **** 1111']]);
    expect(found(String.raw`"HKID:\nA123456(3)"`)).toEqual([['hk_id', 'A123456(3)', 'A1234563', 'A12****(3)']]);
    expect(found(String.raw`"x\n13812345678"`)).toEqual([['cn_phone', '13812345678', '+8613812345678', '+86 *******5678']]);
    expect(found(String.raw`"x\tsalary\nsick leave"`)).toEqual([
      ['payroll', 'salary', 'salary', 'salary'],
      ['health', 'sick leave', 'sick leave', 'sick leave'],
    ]);
    expect(phones(String.raw`"Chan\nM: 9123 4567\nT: 2345 6789"`)).toEqual(['9123 4567', '2345 6789']);
    expect(phones(String.raw`"Tel:\t91234567"`)).toEqual(['91234567']);
    expect(phones(String.raw`"Tel 9123 4567 / 6123 4567\nthanks"`)).toEqual(['9123 4567', '6123 4567']);
    // a phone word at the end of one line does not reach a number on the next, written out or not
    expect(phones(String.raw`"Mobile:\n91234567"`)).toEqual([]);
    expect(phones('Mobile:\n91234567')).toEqual([]);
    expect(phones(String.raw`"Mobile:\nOrder 23456789"`)).toEqual([]);
  });

  it('are read so in lower case only where a letter could start a two-letter HKID', () => {
    // `\nA123456(A)`: NA123456(A) is a valid two-letter HKID, A123456(A) no HKID; the n is an escape's
    expect(found(String.raw`x\nA123456(A)`)).toEqual([]);
    // after an escaped backslash the n is a letter: NA123456(A)
    expect(found(String.raw`x\\nA123456(A)`)).toEqual([['hk_id', 'nA123456(A)', 'NA123456A', 'NA12****(A)']]);
    // a Windows path's \T is no escape JSON writes
    expect(found(String.raw`C:\T123456(5).pdf`)).toEqual([['hk_id', 'T123456(5)', 'T1234565', 'T12****(5)']]);
  });

  it('finds them in a JSON log read as text, at their line', async () => {
    expect(await scanned('mail.log', `start\n${line}\n`)).toEqual(['email 2 c***@acme.com.hk', 'hk_phone 2 +852 ****4567']);
  });
});

describe('an e-mail address', () => {
  it("is taken whole with an apostrophe or an = in its local part", () => {
    expect(found("o'brien@example.com")).toEqual([['email', "o'brien@example.com", "o'brien@example.com", 'o***@example.com']]);
    expect(found("Mary O'Neil-Chan <mary.o'neil@example.com>")).toEqual([['email', "mary.o'neil@example.com", "mary.o'neil@example.com", 'm***@example.com']]);
    expect(found('a=b@example.com')).toEqual([['email', 'a=b@example.com', 'a=b@example.com', 'a***@example.com']]);
    // bounce addresses
    expect(found('SRS0=HHH=TT=example.com=chan@fwd.example.net').map((d) => d[1])).toEqual(['SRS0=HHH=TT=example.com=chan@fwd.example.net']);
    expect(found('list+chan=acme.hk@lists.example.com').map((d) => d[1])).toEqual(['list+chan=acme.hk@lists.example.com']);
  });

  it('is not a quote around it, nor a key and its = before it', () => {
    expect(found("'a@b.com'")).toEqual([['email', 'a@b.com', 'a@b.com', 'a***@b.com']]);
    expect(found("to: 'o'brien@example.com'").map((d) => d[1])).toEqual(["o'brien@example.com"]);
    expect(found("it's chan@acme.hk").map((d) => d[1])).toEqual(['chan@acme.hk']);
    expect(found("d'@example.com")).toEqual([]);
    for (const text of ['email=chan@acme.hk', 'SMTP_USER=chan@acme.hk', '--cc=chan@acme.hk', 'reply-to=chan@acme.hk', 'https://x.example.com/?a=1&to=chan@acme.hk', 'key==chan@acme.hk']) {
      expect(found(text).map((d) => d[1]), text).toEqual(['chan@acme.hk']);
    }
  });

  it("is not a URL's userinfo, nor its password and host", () => {
    expect(found('https://user:pass@host.example.com/x')).toEqual([]);
    expect(found('ftp://anonymous@ftp.example.com/pub')).toEqual([]);
    expect(found('see https://user:pass@host.example.com/x or chan@acme.hk').map((d) => d[1])).toEqual(['chan@acme.hk']);
    // an address in a URL's path or query, or after a scheme without `//`, is one
    expect(found('https://x.example.com/u/chan@acme.hk').map((d) => d[1])).toEqual(['chan@acme.hk']);
    expect(found('mailto:chan@acme.hk').map((d) => d[1])).toEqual(['chan@acme.hk']);
    expect(found('Contact:chan@acme.hk').map((d) => d[1])).toEqual(['chan@acme.hk']);
  });

  it('is found whole in a file, at its line', async () => {
    expect(await scanned('people.txt', "Contacts\no'brien@example.com, a=b@example.com\nhttps://user:pass@host.example.com/x\n")).toEqual([
      'email 2 o***@example.com',
      'email 2 a***@example.com',
    ]);
  });
});

describe('a label and its number in HTML or Markdown', () => {
  it('reaches the number across tags, a written-out no-break space or a table bar', () => {
    expect(phones('<tr><td>Phone:</td><td>9123 4567</td></tr>')).toEqual(['9123 4567']);
    expect(phones('<p><strong>Tel:</strong> 2345 6789</p>')).toEqual(['2345 6789']);
    expect(phones('<span>手機</span><span>9234 5678</span>')).toEqual(['9234 5678']);
    expect(phones('Tel:&nbsp;9123 4567')).toEqual(['9123 4567']);
    // and a number grouped with it, as +852 / 852 forms are
    expect(found('Tel:&nbsp;9123&nbsp;4567')).toEqual([['hk_phone', '9123&nbsp;4567', '+85291234567', '+852 ****4567']]);
    expect(found('Tel: +852&nbsp;9123&nbsp;4567')).toEqual([['hk_phone', '+852&nbsp;9123&nbsp;4567', '+85291234567', '+852 ****4567']]);
    expect(phones('<td>Tel:</td><td>9123&nbsp;4567 / 6123&nbsp;4567</td>')).toEqual(['9123&nbsp;4567', '6123&nbsp;4567']);
    expect(phones('| Phone | 9876 5432 |')).toEqual(['9876 5432']);
    expect(phones('<td class="label">Tel:</td><td class="value"><span style="color:#555">2345 6789</span></td>')).toEqual(['2345 6789']);
    expect(phones('<b>Tel</b>: 9123 4567 / 6123 4567')).toEqual(['9123 4567', '6123 4567']);
  });

  it('not across another label or text between the tags and the number', () => {
    expect(phones('<td>Order</td><td>23456789</td>')).toEqual([]);
    expect(phones('<td>Phone</td><td>Order</td><td>23456789</td>')).toEqual([]);
    expect(phones('| Order | 23456789 |')).toEqual([]);
    expect(phones('| Phone | Order | 23456789 |')).toEqual([]);
    expect(phones('微信 | 訂單號碼 52138417')).toEqual([]);
    expect(phones('<p>Tel:</p>\n<p>23456789</p>')).toEqual([]);
    // a number grouped with &nbsp; needs its phone word as any other, and is no part of a longer one
    expect(phones('Order&nbsp;9123&nbsp;4567')).toEqual([]);
    expect(phones('9123&nbsp;4567')).toEqual([]);
    expect(phones('Tel:&nbsp;9123&nbsp;4567&nbsp;8888')).toEqual([]);
  });

  it('finds them in a web page, at their lines', async () => {
    const html = ['<table>', '<tr><td>Name:</td><td>Chan</td></tr>', '<tr><td>Phone:</td><td>9123 4567</td></tr>', '<tr><td>Order:</td><td>23456789</td></tr>', '</table>', '<p><strong>Tel:</strong> 2345 6789</p>', '<p>Mobile:&nbsp;6123&nbsp;4567</p>'].join('\n');
    expect(await scanned('page.html', html + '\n')).toEqual(['hk_phone 3 +852 ****4567', 'hk_phone 6 +852 ****6789', 'hk_phone 7 +852 ****4567']);
    expect(await scanned('contacts.md', '| Field | Value |\n|---|---|\n| Phone | 9876 5432 |\n| Staff no | 23456789 |\n')).toEqual(['hk_phone 3 +852 ****5432']);
  });
});

describe('the candidates', () => {
  it('are complete for these shapes: every position where the identifier regex matches is listed', () => {
    const text = [
      'phone_no: 91234567 phoneNumber: 91234567 mobileNo=91234567 tel_no=23456789 contactPhone: 91234567',
      'mobilePhone=91234567 PHONE1=91234567 {"mobileNo":"91234567"} telephone_count=23456789 hotel 23456789',
      'TEL;type=CELL;type=VOICE;type=pref:9123 4567 TEL;CELL;PREF:98765432 TEL;TYPE=CELL,VOICE:9876 5432',
      String.raw`{"msg":"Reply to:\nchan@acme.com.hk\nMobile: 91234567"} "a\tTel 2345 6789"`,
      '<tr><td>Phone:</td><td>9123 4567</td></tr> | Phone | 9876 5432 | Tel:&nbsp;9123&nbsp;4567',
      String.raw`"Card:\n4111 1111 1111 1111 HKID:\nA123456(3) x\n13812345678 x\nA123456(A) \\nA123456(A) \tsalary"`,
    ].join('\n');
    const { matched, found: ds } = expectCandidatesComplete(text);
    expect(matched).toBeGreaterThan(10);
    // five phones on the first line, three on the second (not the count's, nor the hotel's),
    // three, an e-mail and two, and three
    expect(ds.map((d) => d.type)).toEqual([...Array<string>(11).fill('hk_phone'), 'email', ...Array<string>(5).fill('hk_phone'), 'payment_card', 'hk_id', 'cn_phone', 'hk_id', 'payroll']);
    expect(ds.filter((d) => d.type === 'hk_phone').map((d) => d.raw)).toEqual([
      '91234567', '91234567', '91234567', '23456789', '91234567',
      '91234567', '91234567', '91234567',
      '9123 4567', '98765432', '9876 5432',
      '91234567', '2345 6789',
      '9123 4567', '9876 5432', '9123&nbsp;4567',
    ]);
  });
});
