// Detectors (lib/domain/detect/detect.ts) and masking / keyed hashes (lib/domain/detect/mask.ts).
// Published examples and check-digit failures per type, the near misses the issue names
// (order and invoice numbers, timestamps, tracking numbers), mixed-language text, and a
// cross-check against the npm package `stdnum` as an independent oracle.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { stdnum } from 'stdnum';
import writeXlsxFile from 'write-excel-file/node';
import { sourceReaders } from '../lib/adapters/sources/source-reader.ts';
import { isPhoneName } from '../lib/domain/detect/records.ts';
import { scanPaths } from '../lib/usecases/scan/scan-files.ts';
import { tempDir } from './support/temp-dir.ts';
import { luhnChecksumValidate, mod97base10Validate } from 'stdnum/lib/cjs/util/checksum.js';
import { detect, FINDING_TYPES, type Detection, type FindingType } from '../lib/domain/detect/detect.ts';
import { keyedHash, mask } from '../lib/domain/detect/mask.ts';

/** [type, value] of every detection in `text`. */
function found(text: string): Array<[FindingType, string]> {
  return detect(text).map((d) => [d.type, d.value]);
}

function only(text: string): Detection {
  const ds = detect(text);
  expect(ds, `exactly one finding in ${JSON.stringify(text)}`).toHaveLength(1);
  return ds[0]!;
}

function none(text: string): void {
  expect(detect(text), `no finding in ${JSON.stringify(text)}`).toEqual([]);
}

describe('hk_id', () => {
  it('finds valid numbers, bracketed (ASCII or full-width) or bare, and verifies the check digit', () => {
    expect(only('A123456(3)')).toEqual({ type: 'hk_id', start: 0, end: 10, raw: 'A123456(3)', value: 'A1234563', country: 'HK' });
    expect(found('ID: A123456（3）')).toEqual([['hk_id', 'A1234563']]);
    expect(found('ID A1234563.')).toEqual([['hk_id', 'A1234563']]);
    expect(found('ID A123456 (3)')).toEqual([['hk_id', 'A1234563']]);
    // check digit 10 is written A
    expect(found('G123456(A)')).toEqual([['hk_id', 'G123456A']]);
    // two letters: X=33, A=10 -> 33*9 + 10*8 + (1..6 weighted 7..2 = 77) = 454, 454 mod 11 = 3, check 8
    expect(found('XA123456(8)')).toEqual([['hk_id', 'XA1234568']]);
    expect(found('AB987654(3)')).toEqual([['hk_id', 'AB9876543']]);
  });

  it('rejects a wrong check digit and other near misses', () => {
    none('A123456(4)');
    none('A1234564');
    none('XA123456(9)');
    none('G123456(0)');
    none('ABC123456(3)'); // three letters
    none('A12345(3)'); // five digits
    none('A1234563B'); // inside a longer alphanumeric run
    none('SKU A12345637');
  });

  it('finds an HKID written inside Chinese text without spaces', () => {
    const text = '客戶身份證A123456(3)已核實';
    const d = only(text);
    expect(d).toMatchObject({ type: 'hk_id', value: 'A1234563', raw: 'A123456(3)' });
    expect(text.slice(d.start, d.end)).toBe('A123456(3)');
  });
});

describe('cn_resident_id', () => {
  it('finds the published example and verifies MOD 11-2', () => {
    expect(only('11010519491231002X')).toEqual({
      type: 'cn_resident_id', start: 0, end: 18, raw: '11010519491231002X', value: '11010519491231002X', country: 'CN',
    });
    expect(found('身份证号码11010519491231002x，已登记')).toEqual([['cn_resident_id', '11010519491231002X']]);
    expect(found('id 440304198001011239')).toEqual([['cn_resident_id', '440304198001011239']]);
  });

  it('rejects a wrong check character and impossible birth dates', () => {
    none('110105194912310021');
    none('110105194912310020');
    // month 13 and 29 February 1949, each with the check character that MOD 11-2 would give
    none('110105194913310021');
    none('110105194902290029');
    // 2000 was a leap year
    expect(found('310115200002290013')).toEqual([['cn_resident_id', '310115200002290013']]);
    // before 1900 or from 2100 on: not a birth date we accept
    none('110105210001010015');
  });

  it('does not read an ID out of a longer digit run', () => {
    none('911010519491231002X');
    none('11010519491231002X1');
  });
});

describe('payment_card', () => {
  it.each([
    ['4111111111111111', 'Visa'],
    ['5500005555555559', 'Mastercard'],
    ['2223000048400011', 'Mastercard 2-series'],
    ['378282246310005', 'Amex'],
    ['6200000000000005', 'UnionPay'],
    ['6222021234567890128', 'UnionPay 19 digits'],
    ['3530111333300000', 'JCB'],
    ['4111111111111111003', 'Visa 19 digits'],
  ])('finds %s (%s), compact and grouped', (number) => {
    expect(found(`card ${number} exp 12/28`)).toEqual([['payment_card', number]]);
    if (number.length === 16) {
      const spaced = number.replace(/(\d{4})(?=\d)/g, '$1 ');
      const dashed = number.replace(/(\d{4})(?=\d)/g, '$1-');
      expect(found(`card ${spaced} exp 12/28`)).toEqual([['payment_card', number]]);
      expect(found(`卡號${dashed}，到期12/28`)).toEqual([['payment_card', number]]);
    }
  });

  it('finds Amex in 4-6-5 groups and a card followed by its CVV', () => {
    expect(found('Amex 3782 822463 10005')).toEqual([['payment_card', '378282246310005']]);
    const d = only('4111 1111 1111 1111 123 12/28');
    expect(d).toMatchObject({ value: '4111111111111111', raw: '4111 1111 1111 1111' });
  });

  it('rejects Luhn failures, unknown schemes and wrong lengths', () => {
    none('4111111111111112');
    none('4111 1111 1111 1112');
    none('5500005555555558');
    none('378282246310006');
    none('6200000000000006');
    none('9111111111111110'); // Luhn-valid, no scheme starts with 9
    none('305693090259049'); // Luhn-valid, 15 digits but not 34/37
    none('41111111111111'); // Visa prefix, 14 digits
  });

  it('does not read a card out of a longer digit run or grouped run', () => {
    none('41111111111111110000');
    none('SF4111111111111111');
    none('4111 1111 1111 1111 2222 3333');
    none('12 4111 1111 1111 1111');
  });
});

describe('iban', () => {
  it('finds compact and grouped IBANs, with their country', () => {
    expect(only('GB82WEST12345698765432')).toEqual({
      type: 'iban', start: 0, end: 22, raw: 'GB82WEST12345698765432', value: 'GB82WEST12345698765432', country: 'GB',
    });
    expect(found('IBAN: GB82 WEST 1234 5698 7654 32.')).toEqual([['iban', 'GB82WEST12345698765432']]);
    expect(found('請轉賬至DE89370400440532013000謝謝')).toEqual([['iban', 'DE89370400440532013000']]);
    expect(detect('DE89 3704 0044 0532 0130 00')[0]).toMatchObject({ type: 'iban', value: 'DE89370400440532013000', country: 'DE' });
    expect(found('NL91 ABNA 0417 1643 00')).toEqual([['iban', 'NL91ABNA0417164300']]);
  });

  it('stops a grouped IBAN at its country length when a word follows', () => {
    const d = only('BE68 5390 0754 7034 ABCD please');
    expect(d).toMatchObject({ value: 'BE68539007547034', raw: 'BE68 5390 0754 7034', country: 'BE' });
  });

  it('rejects a wrong check, a wrong length and unknown countries', () => {
    none('GB83WEST12345698765432');
    none('GB82 WEST 1234 5698 7654 33');
    none('GB82WEST1234569876543');
    none('DE89370400440532013001');
    none('ZZ82WEST12345698765432');
  });
});

describe('hk_phone', () => {
  it('finds numbers with a +852, 852, (852) or 00852 prefix', () => {
    expect(only('+852 9123 4567')).toMatchObject({ type: 'hk_phone', value: '+85291234567', country: 'HK', raw: '+852 9123 4567' });
    expect(found('Tel(852) 2345-6789')).toEqual([['hk_phone', '+85223456789']]);
    expect(found('(+852)91234567')).toEqual([['hk_phone', '+85291234567']]);
    expect(found('852-6123-4567')).toEqual([['hk_phone', '+85261234567']]);
    expect(found('85291234567')).toEqual([['hk_phone', '+85291234567']]);
    expect(found('00852 3123 4567')).toEqual([['hk_phone', '+85231234567']]);
    expect(found('請致電（852）5123 4567')).toEqual([['hk_phone', '+85251234567']]);
  });

  it('finds bare eight-digit numbers when a phone word comes shortly before, in English or Chinese', () => {
    expect(found('手機：9123 4567')).toEqual([['hk_phone', '+85291234567']]);
    expect(found('call me 6123 4567')).toEqual([['hk_phone', '+85261234567']]);
    expect(found('聯絡電話 23456789')).toEqual([['hk_phone', '+85223456789']]);
    expect(found('有事打電話俾我51234567')).toEqual([['hk_phone', '+85251234567']]);
    expect(found('WhatsApp: 7123-4567')).toEqual([['hk_phone', '+85271234567']]);
    expect(found('联系电话：3123 4567')).toEqual([['hk_phone', '+85231234567']]);
    expect(found('Mobile no. is 9876 5432')).toEqual([['hk_phone', '+85298765432']]);
  });

  it('finds bare numbers with the phone word right after them', () => {
    expect(found('李小姐 7326 7019 (手機)')).toEqual([['hk_phone', '+85273267019']]);
    expect(found('陳生 6130 1824 是我的手机')).toEqual([['hk_phone', '+85261301824']]);
    expect(found('2942 8707 係我手機')).toEqual([['hk_phone', '+85229428707']]);
    expect(found('63592496（WhatsApp）')).toEqual([['hk_phone', '+85263592496']]);
    expect(found('9123 4567 (mobile)')).toEqual([['hk_phone', '+85291234567']]);
    // the next item's phone word does not make an order number a phone
    expect(found('訂單號碼 23456789，手機 9123 4567')).toEqual([['hk_phone', '+85291234567']]);
    expect(found('9123 4567 is my mobile; 9123 4568 係佢手機')).toEqual([['hk_phone', '+85291234567'], ['hk_phone', '+85291234568']]);
  });

  it('applies a phone word before a number to the nearest number only', () => {
    expect(found('手機 9123 4567，訂單23456789')).toEqual([['hk_phone', '+85291234567']]);
    none('call me. Order 23456789');
    none('微信 / 訂單號碼 52138417');
    expect(found('Mobile no. 9123 4567')).toEqual([['hk_phone', '+85291234567']]);
    expect(found('M: 9123 4567 T: 2345 6789')).toEqual([['hk_phone', '+85291234567'], ['hk_phone', '+85223456789']]);
    none('PT: 2345 6789');
  });

  it('does not find bare numbers without a phone word, far from it, or on another line', () => {
    none('91234567');
    none('9123 4567');
    none('訂單號碼 23456789');
    none('hotel room 91234567');
    none('pls tell him order 3026 2633 is done'); // tell is not tel
    none('my iPhone 91234567');
    none('call re order ORD-20261122-37121867'); // joined to other tokens by hyphens
    none('call me back about invoice number 2026 and then reference 91234567');
    none('phone:\n91234567');
  });

  it('does not find eight-digit numbers starting 1, 4 or 8, or inside longer runs', () => {
    none('tel 12345678');
    none('電話 41234567');
    none('phone 8123 4567');
    none('phone 912345678');
    none('phone 1912345678');
    none('852 1234 5678');
  });
});

describe('hk_phone in a phone column or under a phone key', () => {
  const dir = tempDir('phone-columns-');
  /** [where, masked] of the findings of a file written with `content`. */
  async function scanned(name: string, content: string | (() => Promise<void>)): Promise<string[]> {
    const file = path.join(dir, name);
    if (typeof content === 'string') writeFileSync(file, content);
    else await content();
    const result = await scanPaths(sourceReaders(), [file]);
    expect(result.files.map((f) => f.status)).toEqual(['scanned']);
    return result.findings.map((f) => `${f.type} ${f.row ?? ''}${f.column !== undefined ? `[${f.column}]` : ''}${f.pointer ?? ''} ${f.masked}`);
  }

  it('takes a phone word as a column\'s name for the bare number its cells are or start with (CSV, each header language)', async () => {
    for (const header of ['phone', '電話', '手機', '手机', 'mobile', 'Tel', 'Mobile No.', 'contact_phone', 'phoneNumber', '聯絡電話']) {
      const csv = `name,${header.includes(',') ? `"${header}"` : header}\nA,91234567\nB,9123 4567\nC,9123-4567\nD, 2345 6789 (office)\n`;
      expect(await scanned(`phones-${Buffer.from(header).toString('hex')}.csv`, csv), header).toEqual([
        `hk_phone 1[${header}] +852 ****4567`,
        `hk_phone 2[${header}] +852 ****4567`,
        `hk_phone 3[${header}] +852 ****4567`,
        `hk_phone 4[${header}] +852 ****6789`,
      ]);
    }
  });

  it('does so in TSV, JSON (a key, or an array\'s key) and XLSX', async () => {
    expect(await scanned('phones.tsv', 'name\tTel\tnote\nA\t6123 4567\tx\n')).toEqual(['hk_phone 1[Tel] +852 ****4567']);
    const json = JSON.stringify({ staff: [{ name: 'A', phone: '91234567', order: '23456789' }], 手機: ['5123 4567', '7123-4567'], contact: { mobileNo: '2345 6789' } });
    expect(await scanned('phones.json', json)).toEqual([
      'hk_phone /staff/0/phone +852 ****4567',
      'hk_phone /手機/0 +852 ****4567',
      'hk_phone /手機/1 +852 ****4567',
      'hk_phone /contact/mobileNo +852 ****6789',
    ]);
    const xlsx = () => writeXlsxFile([[{ value: '姓名' }, { value: '電話' }, { value: '訂單號碼' }], [{ value: '陳生' }, { value: '9123 4567' }, { value: '23456789' }]]).toFile(path.join(dir, 'phones.xlsx'));
    expect(await scanned('phones.xlsx', xlsx)).toEqual([expect.stringMatching(/^hk_phone \d+\[電話\] \+852 \*{4}4567$/)]);
  });

  it('reads a number written as a JSON number as its digits: a card, a mobile, a phone under a phone key; not a fraction, a negative or a short one', async () => {
    // 4111111111111111 and 6011111111111117 are past 2^53: read from the text, no digit lost
    const json = '{"card": 4111111111111111, "mobile": 13812345678, "phone": 91234567, "n": 12345678, "ts": 1753531755426, "neg": -4111111111111111, "f": 4111111111111111.5, "e": 41111111e8, "list": [6011111111111117], "short": 1234567}';
    expect(await scanned('numbers.json', json)).toEqual([
      'payment_card /card 4111 **** **** 1111',
      'cn_phone /mobile +86 *******5678',
      'hk_phone /phone +852 ****4567',
      'payment_card /list/0 6011 **** **** 1117',
    ]);
  });

  it('finds a number once, whatever else finds it: `+852 9123 4567` or `Tel 9123 4567` in a phone column', async () => {
    expect(await scanned('once.csv', 'phone\n+852 9123 4567\nTel 6123 4567\n91234567\n')).toEqual(['hk_phone 1[phone] +852 ****4567', 'hk_phone 2[phone] +852 ****4567', 'hk_phone 3[phone] +852 ****4567']);
  });

  it('finds nothing in a column or under a key that is not a phone\'s, nor a number that is not a Hong Kong one in a phone column', async () => {
    // beside each, a phone column with a Hong Kong number in its first row: the one finding
    const bad = ['1234567', '912345678', '9123 45678', '12345678', '41234567', '81234567', '01234567', '9123 4567 8901 2345', 'ORD-91234567', 'A91234567', 'room 91234567'];
    const rows = bad.map((b, i) => `${23456789 + i},91234567,61234567,51234567,${b}`);
    expect(await scanned('orders.csv', `order_no,amount,iPhone,tell,phone\n23456789,91234567,61234567,51234567,9123 4567\n${rows.join('\n')}\n`)).toEqual(['hk_phone 1[phone] +852 ****4567']);
    const json = JSON.stringify({ order_no: '23456789', invoices: ['91234567'], note: '9123 4567', phone: ['9123 4567', ...bad] });
    expect(await scanned('orders.json', json)).toEqual(['hk_phone /phone/0 +852 ****4567']);
  });

  it('finds every Hong Kong number in a phone column\'s cell: a list of Google Contacts values (` ::: `), one after a name or a word, several', async () => {
    const csv =
      'Name,Phone 1 - Value,Emergency Contact,緊急聯絡人,Notes\n' +
      'Chan,9123 4567 ::: 6123 4567,Mrs Chan 9876 5432,陳太 9876 5432,ref 2345 6789\n' +
      'Lee,+852 9123 4567 ::: 9876 5432 ::: 2345 6789,"Home 2345 6789, Mobile 6123 4567",Spouse: 91234567,x\n' +
      // other numbers in a phone column after a word naming them are not phones
      'Ho,x,room 91234567,會員編號 91234567,y\n' +
      'Ng,x,Order #2345 6789,Acct: 6123 4567,z\n';
    expect(await scanned('contacts.csv', csv)).toEqual([
      'hk_phone 1[Phone 1 - Value] +852 ****4567',
      'hk_phone 1[Phone 1 - Value] +852 ****4567',
      'hk_phone 1[Emergency Contact] +852 ****5432',
      'hk_phone 1[緊急聯絡人] +852 ****5432',
      'hk_phone 2[Phone 1 - Value] +852 ****4567',
      'hk_phone 2[Phone 1 - Value] +852 ****5432',
      'hk_phone 2[Phone 1 - Value] +852 ****6789',
      'hk_phone 2[Emergency Contact] +852 ****6789',
      'hk_phone 2[Emergency Contact] +852 ****4567',
      'hk_phone 2[緊急聯絡人] +852 ****4567',
    ]);
    // so under a phone key in JSON
    expect(await scanned('contact.json', JSON.stringify({ emergencyPhone: 'Mrs Chan 9876 5432', phone: 'room 91234567' }))).toEqual(['hk_phone /emergencyPhone +852 ****5432']);
  });

  it('takes the key of the object a generic value key is in (SCIM\'s phoneNumbers[].value, {"phone": {"number": ...}})', async () => {
    const json = JSON.stringify({
      Resources: [{ phoneNumbers: [{ value: '91234567', type: 'mobile' }], phone: { number: '61234567' }, order: { number: '51234567' }, value: '92345678', emails: [{ value: 'x' }] }],
    });
    expect(await scanned('scim.json', json)).toEqual(['hk_phone /Resources/0/phoneNumbers/0/value +852 ****4567', 'hk_phone /Resources/0/phone/number +852 ****4567']);
  });

  it('reads a name as a phone word by the text\'s rules: whole English words, Chinese anywhere', () => {
    for (const name of ['phone', 'Phone', 'TEL', 'mobile_no', 'Mobile No.', 'phoneNumber', 'customerMobile', '電話', '聯絡電話', '手机号码', 'WhatsApp', 'fax', 'MSISDN', 'Direct Line', 'direct_dial']) expect(isPhoneName(name), name).toBe(true);
    for (const name of ['order_no', 'telegram', 'iPhone', 'hotel', 'tell', 'cellar', 'amount', '號碼', '訂單號碼', 'phonetic', '', 'DL', 'Line', 'direct']) expect(isPhoneName(name), name).toBe(false);
  });
});

describe('cn_phone', () => {
  it('finds mainland mobiles with or without +86 and separators', () => {
    expect(only('13812345678')).toMatchObject({ type: 'cn_phone', value: '+8613812345678', country: 'CN' });
    expect(found('手机:+86 138 1234 5678')).toEqual([['cn_phone', '+8613812345678']]);
    expect(found('(+86)139-1234-5678')).toEqual([['cn_phone', '+8613912345678']]);
    expect(found('8615912345678')).toEqual([['cn_phone', '+8615912345678']]);
    expect(found('+86-19912345678')).toEqual([['cn_phone', '+8619912345678']]);
    expect(found('86 138 1234 5678')).toEqual([['cn_phone', '+8613812345678']]);
    expect(found('86-13812345678')).toEqual([['cn_phone', '+8613812345678']]);
    expect(found('0086 13812345678')).toEqual([['cn_phone', '+8613812345678']]);
    expect(found('联系人张伟，电话18612345678，谢谢')).toEqual([['cn_phone', '+8618612345678']]);
  });

  it('does not find a mobile inside a longer digit run, or with a wrong prefix', () => {
    none('20261130123456789');
    none('113812345678');
    none('138123456789');
    none('12812345678');
    none('1381234567');
    expect(found('11010519491231002X')).toEqual([['cn_resident_id', '11010519491231002X']]);
  });
});

describe('email', () => {
  it('finds addresses and lower-cases the value', () => {
    expect(only('Mail John.Doe@Example.COM now')).toMatchObject({ type: 'email', value: 'john.doe@example.com', raw: 'John.Doe@Example.COM' });
    expect(found('聯絡chan.tm@acme.com.hk。謝謝')).toEqual([['email', 'chan.tm@acme.com.hk']]);
    expect(found('请发到wang_fang+hr@corp.example.cn，谢谢')).toEqual([['email', 'wang_fang+hr@corp.example.cn']]);
    expect(found('<a.b-c@sub-domain.example.org>')).toEqual([['email', 'a.b-c@sub-domain.example.org']]);
    expect(found('end of sentence: x@example.com.')).toEqual([['email', 'x@example.com']]);
    // a numeric local part is an e-mail, not a phone number
    expect(found('13812345678@163.com')).toEqual([['email', '13812345678@163.com']]);
  });

  it('ignores things that are not addresses', () => {
    none('a@b');
    none('user@localhost');
    none('@mention in Slack');
    none('x@example.c0m');
    none('dot..dot@example.com');
  });
});

describe('health and payroll topics', () => {
  it('finds keywords in English, Traditional and Simplified Chinese', () => {
    expect(found('He is on sick leave with a medical certificate.')).toEqual([
      ['health', 'sick leave'],
      ['health', 'medical certificate'],
    ]);
    expect(found('請病假兩天，有醫生證明，診斷為流感')).toEqual([
      ['health', '病假'],
      ['health', '醫生證明'],
      ['health', '診斷'],
    ]);
    expect(found('已提交医生证明，诊断后住院，体检报告和病历')).toEqual([
      ['health', '医生证明'],
      ['health', '诊断'],
      ['health', '住院'],
      ['health', '体检'],
      ['health', '病历'],
    ]);
    expect(found('Salary, payslips and the Bonus; MPF too')).toEqual([
      ['payroll', 'salary'],
      ['payroll', 'payslip'],
      ['payroll', 'bonus'],
      ['payroll', 'MPF'],
    ]);
    expect(found('本月薪金、糧單及強積金，花紅下月發')).toEqual([
      ['payroll', '薪金'],
      ['payroll', '糧單'],
      ['payroll', '強積金'],
      ['payroll', '花紅'],
    ]);
    expect(found('工资条、粮单、强积金、奖金')).toEqual([
      ['payroll', '工资'],
      ['payroll', '粮单'],
      ['payroll', '强积金'],
      ['payroll', '奖金'],
    ]);
  });

  it('matches English keywords on word boundaries, also next to Chinese', () => {
    none('wealth management and the hospitality team');
    none('Wealth check');
    expect(found('Health check booked')).toEqual([['health', 'health check']]);
    expect(found('客戶salary已發')).toEqual([['payroll', 'salary']]);
    none('人工智能 project'); // 人工 is left out on purpose
    none('獎品、住宿、處理、醫學會、薪火計劃、工作、花生');
    none('healthy diagnostics, stealth wager, salad bonanza');
    expect(found('交醫生紙, medical leave; 佣金 and commission')).toEqual([
      ['health', '醫生紙'],
      ['health', 'medical leave'],
      ['payroll', '佣金'],
      ['payroll', 'commission'],
    ]);
  });

  it('counts an underscore as a word boundary, and matches keywords whose second character starts another', () => {
    expect(found('monthly_salary_hkd')).toEqual([['payroll', 'salary']]);
    expect(found('x_bonus')).toEqual([['payroll', 'bonus']]);
    none('salaryman_x');
    expect(detect('OT pay')).toMatchObject([{ type: 'payroll', start: 0, end: 6, raw: 'OT pay', value: 'OT pay' }]);
    expect(detect('佢月薪三萬')).toMatchObject([{ type: 'payroll', start: 1, end: 3, raw: '月薪', value: '月薪' }]);
    // the longer keyword wins: 本月 + 薪金, not 月薪
    expect(found('本月薪金')).toEqual([['payroll', '薪金']]);
    expect(found('雙糧、糧單、睇醫生、門診')).toEqual([
      ['payroll', '雙糧'],
      ['payroll', '糧單'],
      ['health', '睇醫生'],
      ['health', '門診'],
    ]);
  });

  it('does not read pay into a regulator, loyalty points or an idiom', () => {
    none('Securities and Futures Commission (SFC)');
    none('commission (SFC)');
    none('Independent Commission Against Corruption');
    none('bonus points, bonus miles');
    none('花紅柳綠');
    expect(found('Commission: 5%; your commission')).toEqual([['payroll', 'commission'], ['payroll', 'commission']]);
  });

  it('gives one detection per occurrence', () => {
    expect(found('salary salary 薪金薪金')).toEqual([
      ['payroll', 'salary'],
      ['payroll', 'salary'],
      ['payroll', '薪金'],
      ['payroll', '薪金'],
    ]);
  });

  it('keeps the e-mail, not the keyword inside it', () => {
    expect(found('send to payroll@acme.hk')).toEqual([['email', 'payroll@acme.hk']]);
  });
});

describe('near misses and mixed text', () => {
  it('does not turn order numbers, invoice numbers, timestamps or tracking numbers into findings', () => {
    for (const text of [
      'Order #20261130123456789 confirmed',
      '訂單編號 2026113012345 已確認',
      'Invoice INV-2026-0042 amount HK$12,500.00',
      '[2026-11-30 09:15:42] 陳大文: 收到',
      '1764489600000 ms since epoch, 1764489600 s',
      '20261130T091542Z',
      '顺丰单号 SF1234567890123',
      'UPS 1Z999AA10123456784',
      '快递单号 773012345678901 已发出',
      'Ref 00012345678 / PO 4500012345',
      'git 4f1d3c2b9a8e7f6d5c4b3a2910111213',
      'uuid 123e4567-e89b-12d3-a456-426614174000',
      'ORD-4111111111111111-A',
      'ref AB-A123456(3)',
    ]) {
      none(text);
    }
  });

  it('finds several identifiers in one mixed sentence, in order, without overlaps', () => {
    const text =
      '客戶陳大文（身份證A123456(3)）手機+852 9123 4567，電郵chan@acme.com.hk，' +
      '内地电话13812345678，身份证11010519491231002X，卡4111-1111-1111-1111，' +
      'IBAN GB82 WEST 1234 5698 7654 32，病假及薪金。';
    const ds = detect(text);
    expect(ds.map((d) => d.type)).toEqual([
      'hk_id', 'hk_phone', 'email', 'cn_phone', 'cn_resident_id', 'payment_card', 'iban', 'health', 'payroll',
    ]);
    for (let i = 0; i < ds.length; i++) {
      const d = ds[i]!;
      expect(text.slice(d.start, d.end)).toBe(d.raw);
      if (i > 0) expect(d.start).toBeGreaterThanOrEqual(ds[i - 1]!.end);
      expect(FINDING_TYPES).toContain(d.type);
    }
  });

  it('returns nothing for empty or plain text', () => {
    none('');
    none('Please send the quotation to the client before Friday. 請把報價單發給客戶。');
  });
});

// ---------------------------------------------------------------------------------
// stdnum as an independent oracle. It has validators for HKIDs and PRC IDs; for cards
// and IBANs it has the Luhn and ISO 7064 mod 97-10 checksums (the IBAN lengths and BBAN
// formats below are from the SWIFT IBAN registry, written here, not read from
// lib/domain/detect/data/iban-registry.json, which detect() itself uses; countries with
// national check digits are left to test/scan-iban.test.ts).

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const hkidOracle = stdnum.HK?.hkid;
const ricOracle = stdnum.CN?.ric;

describe('agreement with stdnum', () => {
  const rand = rng(20261130);
  const int = (n: number) => Math.floor(rand() * n);
  const digits = (n: number) => Array.from({ length: n }, () => int(10)).join('');
  const pick = <T,>(xs: readonly T[]): T => xs[int(xs.length)]!;

  it('HKIDs: detect finds exactly the numbers stdnum validates', () => {
    if (hkidOracle === undefined) throw new Error('stdnum has no HK hkid validator');
    // stdnum refuses the prefix letter O (never issued); detect reads any letter
    const letters = 'ABCDEFGHIJKLMNPQRSTUVWXYZ';
    let valid = 0;
    for (let i = 0; i < 400; i++) {
      const prefix = (rand() < 0.3 ? pick([...letters]) : '') + pick([...letters]);
      const id = `${prefix}${digits(6)}${pick([...'0123456789A'])}`;
      const expected = hkidOracle.validate(id).isValid;
      const written = rand() < 0.5 ? `${id.slice(0, -1)}(${id.slice(-1)})` : id;
      const got = detect(`身份證${written}。`);
      expect(got.length === 1 && got[0]!.value === id, `${written}: stdnum says ${expected}`).toBe(expected);
      if (expected) valid++;
    }
    expect(valid).toBeGreaterThan(20); // about 1 in 11 random check digits is right
  });

  it('PRC IDs: detect finds exactly the numbers stdnum validates', () => {
    if (ricOracle === undefined) throw new Error('stdnum has no CN ric validator');
    const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let valid = 0;
    for (let i = 0; i < 400; i++) {
      // real dates 1900..2025 mostly, some impossible ones (stdnum also refuses future
      // dates, detect a fixed 2099 bound: the dates here stay in the past)
      const y = 1900 + int(126);
      const m = rand() < 0.1 ? 13 + int(7) : 1 + int(12);
      const d = rand() < 0.1 ? 30 + int(2) : 1 + int(28);
      const body = `${digits(6)}${y}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}${digits(3)}`;
      const sum = [...body].reduce((acc, c, k) => acc + Number(c) * W[k]!, 0);
      const right = '10X98765432'[sum % 11]!;
      const check = rand() < 0.5 ? right : pick([...'0123456789X']);
      const id = body + check;
      const expected = ricOracle.validate(id).isValid;
      const got = detect(`证件号${id}`);
      expect(got.length === 1 && got[0]!.type === 'cn_resident_id' && got[0]!.value === id, `${id}: stdnum says ${expected}`).toBe(expected);
      if (expected) valid++;
    }
    expect(valid).toBeGreaterThan(100);
  });

  it('cards: for scheme-shaped numbers, detect agrees with stdnum Luhn', () => {
    const shapes: Array<[string, number]> = [
      ['4', 16], ['4', 13], ['4', 19], ['51', 16], ['55', 16], ['2221', 16], ['2720', 16], ['34', 15], ['37', 15],
      ['62', 16], ['62', 19], ['3528', 16], ['3589', 19],
    ];
    let valid = 0;
    for (let i = 0; i < 400; i++) {
      const [prefix, len] = pick(shapes);
      const number = prefix + digits(len - prefix.length);
      const expected = luhnChecksumValidate(number);
      const written = rand() < 0.3 && len === 16 ? number.replace(/(\d{4})(?=\d)/g, '$1 ') : number;
      const got = detect(`card ${written} ok`);
      // an 18-digit number can also be a PRC ID; the shapes above avoid 18 digits
      expect(got.length === 1 && got[0]!.type === 'payment_card' && got[0]!.value === number, `${written}: Luhn ${expected}`).toBe(expected);
      if (expected) valid++;
    }
    expect(valid).toBeGreaterThan(20);
  });

  it('IBANs: detect agrees with the registry length and stdnum mod 97-10', () => {
    // country -> [length, BBAN pattern: 9 digit, A letter, X letter or digit]
    const registry: Record<string, [number, string]> = {
      GB: [22, 'AAAA99999999999999'],
      DE: [22, '999999999999999999'],
      AT: [20, '9999999999999999'],
      CH: [21, '99999XXXXXXXXXXXX'],
      IE: [22, 'AAAA99999999999999'],
      NL: [18, 'AAAA9999999999'],
      DK: [18, '99999999999999'],
      LU: [20, '999XXXXXXXXXXXXX'],
      GI: [23, 'AAAAXXXXXXXXXXXXXXX'],
      SE: [24, '99999999999999999999'],
    };
    const fill = (pattern: string) =>
      [...pattern].map((p) => (p === '9' ? String(int(10)) : p === 'A' ? String.fromCharCode(65 + int(26)) : pick([...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ']))).join('');
    let valid = 0;
    for (let i = 0; i < 400; i++) {
      const country = pick(Object.keys(registry));
      const [len, pattern] = registry[country]!;
      const bban = fill(pattern);
      // right check digits half of the time, found with stdnum's mod 97-10 (ISO 13616
      // check digits run 02..98)
      let check = String(int(100)).padStart(2, '0');
      if (rand() < 0.5) {
        for (let c = 2; c <= 98; c++) {
          const cc = String(c).padStart(2, '0');
          if (mod97base10Validate(`${bban}${country}${cc}`)) check = cc;
        }
      }
      const iban = `${country}${check}${bban}`;
      const expected =
        iban.length === len && Number(check) >= 2 && Number(check) <= 98 && mod97base10Validate(`${bban}${country}${check}`);
      const written = rand() < 0.5 ? iban.replace(/(.{4})(?=.)/g, '$1 ') : iban;
      const got = detect(`IBAN ${written}`);
      expect(got.length === 1 && got[0]!.type === 'iban' && got[0]!.value === iban, `${written}: oracle ${expected}`).toBe(expected);
      if (expected) valid++;
    }
    expect(valid).toBeGreaterThan(100);
  });
});

// ---------------------------------------------------------------------------------

describe('mask', () => {
  it('masks each identifier type as documented', () => {
    expect(mask({ type: 'hk_id', value: 'A1234563' })).toBe('A12****(3)');
    expect(mask({ type: 'hk_id', value: 'XA1234568' })).toBe('XA12****(8)');
    expect(mask({ type: 'cn_resident_id', value: '11010519491231002X' })).toBe('110105***********X');
    expect(mask({ type: 'payment_card', value: '4111111111111111' })).toBe('4111 **** **** 1111');
    expect(mask({ type: 'payment_card', value: '378282246310005' })).toBe('3782 **** *** 0005');
    // country and check digits, the last two, the rest starred, in the usual groups of four
    expect(mask({ type: 'iban', value: 'GB82WEST12345698765432' })).toBe('GB82 **** **** **** **** 32');
    expect(mask({ type: 'iban', value: 'NL91ABNA0417164300' })).toBe('NL91 **** **** **** 00');
    expect(mask({ type: 'hk_phone', value: '+85291234567' })).toBe('+852 ****4567');
    expect(mask({ type: 'cn_phone', value: '+8613812345678' })).toBe('+86 *******5678');
    expect(mask({ type: 'email', value: 'chan.tm@acme.com.hk' })).toBe('c***@acme.com.hk');
    expect(mask({ type: 'health', value: '病假' })).toBe('病假');
    expect(mask({ type: 'payroll', value: 'salary' })).toBe('salary');
  });

  it('never contains the raw or canonical value of an identifier', () => {
    const text =
      'A123456(3) XA1234568 11010519491231002X 4111 1111 1111 1111, 378282246310005 6222021234567890128 ' +
      'GB82 WEST 1234 5698 7654 32 DE89370400440532013000 +852 9123 4567 tel 23456789 13812345678 ' +
      'a@example.com chan.tm@acme.com.hk';
    const ds = detect(text);
    expect(ds).toHaveLength(13);
    for (const d of ds) {
      const m = mask(d);
      expect(m, d.raw).not.toContain(d.raw);
      expect(m, d.value).not.toContain(d.value);
      if (d.type !== 'email') expect(m.replace(/\D/g, ''), d.value).not.toBe(d.value.replace(/\D/g, ''));
    }
  });
});

describe('keyedHash', () => {
  const key = 'test-key-not-a-secret';

  it('is 64 hex characters of HMAC-SHA-256 and differs by key', () => {
    const d = { type: 'hk_id', value: 'A1234563' } as const;
    const h = keyedHash(key, d);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(keyedHash(new TextEncoder().encode(key), d)).toBe(h);
    expect(keyedHash('another-key', d)).not.toBe(h);
    expect(keyedHash(key, { type: 'hk_id', value: 'A1234564' })).not.toBe(h);
    expect(() => keyedHash('', d)).toThrow(/empty/);
  });

  it('is the same for the same person written differently', () => {
    const hashes = (text: string) => detect(text).map((d) => keyedHash(key, d));
    expect(hashes('A123456(3)')).toEqual(hashes('A1234563'));
    expect(hashes('A123456(3)')).toEqual(hashes('身份證A123456（3）'));
    expect(hashes('+852 9123 4567')).toEqual(hashes('手機 91234567'));
    expect(hashes('+86 138-1234-5678')).toEqual(hashes('13812345678'));
    expect(hashes('4111 1111 1111 1111')).toEqual(hashes('4111111111111111'));
    expect(hashes('GB82 WEST 1234 5698 7654 32')).toEqual(hashes('GB82WEST12345698765432'));
    expect(hashes('Chan@ACME.com.hk')).toEqual(hashes('chan@acme.com.hk'));
    expect(hashes('+852 9123 4567')).toHaveLength(1);
  });

  it('separates types that share digits', () => {
    expect(keyedHash(key, { type: 'hk_phone', value: '1' })).not.toBe(keyedHash(key, { type: 'cn_phone', value: '1' }));
  });
});
