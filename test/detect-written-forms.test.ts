// Ways of writing identifiers that QA found in real files and the detectors missed, with
// the near misses that must stay clean (a review's among them): HKIDs with a space after
// the letters (`A 123456 (3)`; two letters, `AB 987654 (3)`, and a hyphen before the check
// digit, `A123456-3`, only with an HKID word near); the phone labels `Hp:`, `H/P:`, `(M)`
// (upper case, where a signature puts it); `[+852]` and a form-encoded `+852+9123+4567`
// (not a sum's `1+852+2345+6789`); e-mail addresses percent-encoded in links and logs
// (`chan%40acme.hk`), whose value is the address decoded, exactly as written out.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { sourceReaders } from '../lib/adapters/sources/source-reader.ts';
import { detect } from '../lib/domain/detect/detect.ts';
import { keyedHash, mask } from '../lib/domain/detect/mask.ts';
import { scanPaths } from '../lib/usecases/scan/scan-files.ts';
import { expectCandidatesComplete } from './support/candidate-checks.ts';
import { hkidCheck } from './support/labelled-corpus.ts';
import { tempDir } from './support/temp-dir.ts';

/** Each finding of `text`: type, as written, canonical value, mask. */
function found(text: string): [string, string, string, string][] {
  return detect(text).map((d) => [d.type, d.raw, d.value, mask(d)]);
}

/** An HKID's check digit other than the right one. */
function wrongCheck(letters: string, digits: string): string {
  return hkidCheck(letters, digits) === '0' ? '1' : '0';
}

const KEY = 'test-key';

describe('HKIDs with a space after the letters', () => {
  const cases: [string, string][] = [
    ['A', '123456'],
    ['Z', '683365'],
    ['AB', '987654'],
    ['XA', '246813'],
  ];

  it('are found with the check digit in brackets, spaced or not, and hash as the compact form does', () => {
    for (const [letters, digits] of cases) {
      const check = hkidCheck(letters, digits);
      const value = `${letters}${digits}${check}`;
      const compact = detect(`${letters}${digits}(${check})`);
      expect(compact.map((d) => d.value)).toEqual([value]);
      for (const written of [`${letters} ${digits} (${check})`, `${letters} ${digits}(${check})`, `${letters}\u00A0${digits} (${check})`]) {
        // two letters set apart only next to an HKID word (see below)
        const texts = letters.length === 1 ? [written, `\\n${written}`] : [];
        for (const text of [...texts, `HKID ${written}`, `身份證號碼：${written}，已核實`]) {
          expect(found(text), text).toEqual([['hk_id', written, value, mask({ type: 'hk_id', value })]]);
          expect(keyedHash(KEY, detect(text)[0]!)).toBe(keyedHash(KEY, compact[0]!));
        }
      }
    }
  });

  it('are not found with a wrong check digit, in lower case, or joined to a word or number', () => {
    for (const [letters, digits] of cases) {
      const check = hkidCheck(letters, digits);
      for (const text of [
        `HKID ${letters} ${digits} (${wrongCheck(letters, digits)})`,
        `${letters.toLowerCase()} ${digits} (${check})`,
        `X${letters} ${digits} (${check})`,
        `9${letters} ${digits} (${check})`,
        `REF-${letters} ${digits} (${check})`,
        `${letters} ${digits} (${check}0)`,
        `${letters} ${digits}0 (${check})`,
      ]) {
        expect(found(text), text).toEqual([]);
      }
    }
    // words of two letters and a number: `to 123456 (3)`
    const check = hkidCheck('TO', '123456');
    expect(found(`transfer to 123456 (${check})`)).toEqual([]);
  });

  it("with two letters, only next to an HKID word: `NO 123456 (8)` is an invoice's number", () => {
    const no = hkidCheck('NO', '123456');
    for (const text of [`INVOICE NO 123456 (${no})`, `PO NO 123456 (${no})`, `Ref NO 123456 (${no})`, `AB 987654 (${hkidCheck('AB', '987654')})`, `Order ID NO 123456 (${no})`]) {
      expect(found(text), text).toEqual([]);
    }
    for (const text of [`HKID: NO 123456 (${no})`, `NO 123456 (${no}) 身份證`, `identity card NO 123456 (${no})`]) {
      expect(found(text).map(([type, raw, value]) => [type, raw, value]), text).toEqual([['hk_id', `NO 123456 (${no})`, `NO123456${no}`]]);
    }
  });

  it('leave the forms found before as they were', () => {
    const check = hkidCheck('A', '123456');
    for (const text of [`A123456(${check})`, `A123456 (${check})`, `A123456（${check}）`, `A123456[${check}]`, `A123456${check}`]) {
      expect(found(text).map(([type, raw]) => [type, raw]), text).toEqual([['hk_id', text]]);
    }
  });
});

describe('HKIDs with a hyphen before the check digit', () => {
  const check = hkidCheck('A', '123456');
  const hyphenated = `A123456-${check}`;

  it('are found with an HKID word near them on the line', () => {
    for (const text of [`HKID: ${hyphenated}`, `HK ID ${hyphenated}`, `ID card no. ${hyphenated}`, `I.D. card: ${hyphenated}`, `H.K.I.D. ${hyphenated}`, `identity card ${hyphenated}`, `Identity: ${hyphenated.toLowerCase()}`, `身份證 ${hyphenated}`, `身分證號碼${hyphenated}`, `${hyphenated} (HKID)`, `证件号码：${hyphenated}`, `HKID: A123456\u2013${check}`]) {
      const raw = text.includes('\u2013') ? `A123456\u2013${check}` : text.startsWith('Identity') ? hyphenated.toLowerCase() : hyphenated;
      expect(found(text), text).toEqual([['hk_id', raw, `A123456${check}`, `A12****(${check})`]]);
      expectCandidatesComplete(text);
    }
    const two = hkidCheck('XA', '987654');
    expect(found(`HKID XA987654-${two}`).map(([, , value]) => value)).toEqual([`XA987654${two}`]);
  });

  it('are not found without one (document and line numbers are written so), nor with a wrong check digit', () => {
    const po = hkidCheck('PO', '123456');
    const so = hkidCheck('S', '765432');
    for (const text of [
      hyphenated,
      `PO123456-${po} shipped`,
      `訂單 S765432-${so}`,
      `part ${hyphenated} in stock`,
      `HKID\nline 2 ${hyphenated}`, // the word on another line
      `HKID: A123456-${wrongCheck('A', '123456')}`,
      `HKID: A123456-${check}0`,
      `HKID: A123456-${check}-2`,
      `HKID: XA123456-${check}`.replace('XA', 'XYZ'),
      // `ID` alone is any record's, not an identity card's
      `Order ID: PO123456-${po}`,
      `Customer ID PO123456-${po} shipped`,
      `Invoice PO123456-${po} (id: 77)`,
      `https://shop.example.com/item?id=5&sku=PO123456-${po}`,
      `2026-11-30 INFO order_id=PO123456-${po} shipped`,
      `{"id": 17, "ref": "PO123456-${po}"}`,
      `Product ID PO123456-${po}, qty 2`,
      `${hyphenated} order id 7`,
      `see id. ${hyphenated}`,
    ]) {
      expect(found(text), text).toEqual([]);
      expectCandidatesComplete(text);
    }
  });

  it('leave a letter and seven digits (a staff number or an HKID without brackets) as it was: found only with a right check digit', () => {
    expect(found(`Staff A123456${check}`).map(([type]) => type)).toEqual(['hk_id']);
    expect(found(`Staff A123456${wrongCheck('A', '123456')}`)).toEqual([]);
  });
});

describe('phone labels Hong Kong people write', () => {
  it('finds a number after Hp:, H/P:, (M), (M): and M:', () => {
    for (const [text, raw] of [
      ['Hp: 91234567', '91234567'],
      ['HP: 9123 4567', '9123 4567'],
      ['hp:91234567', '91234567'],
      ['H/P: 9123 4567', '9123 4567'],
      ['H/P：6123-4567', '6123-4567'],
      ['(M) 9123 4567', '9123 4567'],
      ['Chan Tai Man\n(M) 9123 4567', '9123 4567'],
      ['Chan Tai Man\n  (M) 9123 4567', '9123 4567'],
      ['{"sig":"Chan Tai Man\\n(M) 9123 4567"}', '9123 4567'],
      ['(M): 91234567', '91234567'],
      ['（M）9123 4567', '9123 4567'],
      ['(T) 2345 6789', '2345 6789'],
      ['M: 91234567', '91234567'],
    ] as const) {
      expect(found(text), text).toEqual([['hk_phone', raw, `+852${raw.replace(/\D/g, '')}`, `+852 ****${raw.slice(-4)}`]]);
      expectCandidatesComplete(text);
    }
  });

  it('reads (M) and (T) after another number of a signature, or a list separator after it', () => {
    for (const text of ['Tel: 2345 6789 (M) 9123 4567', 'Tel: +852 2345 6789 / (M) 9123 4567', '(T) 2345 6789, (M) 9123 4567', 'T: 2345-6789 | (M) 9123-4567']) {
      expect(detect(text).map((d) => d.value), text).toEqual(['+85223456789', '+85291234567']);
      expectCandidatesComplete(text);
    }
  });

  it('reads HP without its colon as the printer maker, H/P without one as hire purchase, and (M) as no label of an order number', () => {
    for (const text of ['HP printer 91234567', 'HP LaserJet 9123 4567', 'H/P 91234567', 'Size (M) order 91234567', 'Size (M) x2 91234567', 'HPE: 91234567', 'SHP: 91234567', 'Hp: 1234 5678']) {
      expect(found(text), text).toEqual([]);
    }
  });

  it('reads (M) and (T) in lower case, or inside a line (a size, millions, a model), as no label', () => {
    for (const text of [
      'Polo Shirt (M) 51234567',
      'T-shirt size (M) SKU 51234567',
      'Revenue (M) 23456789',
      '(m) 23456789 shares to be allotted',
      '(t) 23456789',
      'HP LaserJet Pro M404 (T) 55551234',
      'Order 1234 (M) 91234567',
      // a name and then (M) reads as a product and its size does: not a label
      'Chan Tai Man (M) 9123 4567',
    ]) {
      expect(found(text), text).toEqual([]);
      expectCandidatesComplete(text);
    }
  });

  it('reads (M) in upper case only where V8 compiles the identifier regex unoptimized too', async () => {
    // `(?-i:[MT])` under the regex's `i` flag; unoptimized code once lost `(?i:...)` (see
    // PHONE_WORD in identifier-pattern.ts), so the modifier is checked there as well
    const script = `import { detect } from ${JSON.stringify(path.resolve('lib/domain/detect/detect.ts'))};
      console.log(JSON.stringify(['(M) 9123 4567', '(m) 9123 4567', '(T) 2345 6789', '(t) 2345 6789'].map((t) => detect(t).length)));`;
    for (const flags of [[], ['--no-regexp-optimization'], ['--regexp-interpret-all']]) {
      const { stdout } = await promisify(execFile)(process.execPath, [...flags, '--input-type=module', '-e', script]);
      expect(JSON.parse(stdout), flags.join(' ')).toEqual([1, 0, 1, 0]);
    }
  });
});

describe('+852 written in square brackets, and with + for spaces', () => {
  it('finds [+852] numbers (and (+852), as before), and [+86] ones', () => {
    for (const [text, type, value] of [
      ['[+852] 9123 4567', 'hk_phone', '+85291234567'],
      ['[+852]91234567', 'hk_phone', '+85291234567'],
      ['(+852) 9123 4567', 'hk_phone', '+85291234567'],
      ['[+86] 138 1234 5678', 'cn_phone', '+8613812345678'],
    ] as const) {
      const ds = detect(text);
      expect(ds.map((d) => [d.type, d.value]), text).toEqual([[type, value]]);
      expect(ds[0]!.raw, text).toBe(text.slice(text.indexOf('[') >= 0 ? text.indexOf('[') : text.indexOf('(')));
      expectCandidatesComplete(text);
    }
  });

  it('not [852] without its +: a log\'s process id before a date', () => {
    for (const text of ['worker[852] 20241130 started', 'pid [852] 20241130 ok', 'cron[86] 13812345678x']) expect(detect(text), text).toEqual([]);
  });

  it('finds +852+9123+4567 and +86+138+1234+5678 as links form-encode them, with the value of the +852 form', () => {
    for (const [text, raw, value] of [
      ['https://wa.me/?phone=+852+9123+4567&text=hi', '+852+9123+4567', '+85291234567'],
      ['tel:+852+91234567', '+852+91234567', '+85291234567'],
      ['?mobile=(852)+2345+6789', '(852)+2345+6789', '+85223456789'],
      ['sms:+86+138+1234+5678', '+86+138+1234+5678', '+8613812345678'],
    ] as const) {
      expect(detect(text).map((d) => [d.raw, d.value]), text).toEqual([[raw, value]]);
      expectCandidatesComplete(text);
    }
  });

  it('reads a sum, `+` joining numbers after a digit, as no phone', () => {
    for (const text of ['1+852+2345+6789=...', '=1000+852+30004000', 'total 1200+852+3000+4500', '1+86+138+1234+5678', '2[+852]+9123+4567']) {
      expect(found(text), text).toEqual([]);
      expectCandidatesComplete(text);
    }
    // a link's, after `=`, a letter or a space, stays one
    for (const text of ['?phone=+852+9123+4567', 'https://wa.me/?phone=+852+9123+4567&text=hi', 'sms +852+9123+4567', 'tel:+852+91234567']) {
      expect(detect(text).map((d) => d.value), text).toEqual(['+85291234567']);
    }
  });

  it('reads no other bracket or + as a phone', () => {
    for (const text of ['[8, 9, 10]', '[+852]', '[+852] 1234 5678', '[+852] 9123 45678', '+852+9123+45678', '[+85] 9123 4567']) {
      expect(found(text), text).toEqual([]);
      expectCandidatesComplete(text);
    }
  });
});

describe('e-mail addresses percent-encoded in links and logs', () => {
  it('are found, as written, with the decoded address as value (so it hashes as the address written out does)', () => {
    for (const [text, raw, value] of [
      ['mailto:chan%40acme.com.hk', 'chan%40acme.com.hk', 'chan@acme.com.hk'],
      ['https://x.example/a?email=chan.tm%40example.com&x=1', 'chan.tm%40example.com', 'chan.tm@example.com'],
      ['2026-11-30 INFO login failed user=chan%40acme.com ip=10.0.0.1', 'chan%40acme.com', 'chan@acme.com'],
      ['redirect=mailto%3AChan%2Btm%40Acme.HK', 'Chan%2Btm%40Acme.HK', 'chan+tm@acme.hk'],
      ['to=o%27brien%40acme.hk', 'o%27brien%40acme.hk', "o'brien@acme.hk"],
      ['m%C3%BCller%40firma.de', 'm%C3%BCller%40firma.de', 'müller@firma.de'],
      ['電郵chan%40acme.com.hk查詢', 'chan%40acme.com.hk', 'chan@acme.com.hk'],
      ['u=https%3A%2F%2Fx.example%2F%3Femail%3Dchan%40acme.com', 'chan%40acme.com', 'chan@acme.com'],
    ] as const) {
      const ds = detect(text);
      expect(ds.map((d) => [d.type, d.raw, d.value]), text).toEqual([['email', raw, value]]);
      expect(keyedHash(KEY, ds[0]!)).toBe(keyedHash(KEY, detect(value)[0]!));
      expect(mask(ds[0]!)).toBe(`${value[0]}***${value.slice(value.indexOf('@'))}`);
    }
  });

  it('are not found where %40 is in no address', () => {
    for (const text of [
      'https://medium.com/%40chan/post',
      'https://www.npmjs.com/package/%40types%2Fnode',
      'npm i pkg%401.2.3',
      'a%40b',
      '%40acme.com',
      'chan%40',
      'bad%E9%40acme.com', // no UTF-8
      'chan%2540acme.com', // `%40` encoded twice: no `%40`
      'chan..tm%40acme.com',
      // a login at a host, as a URL's userinfo (inUserinfo), encoded in another link or not
      '?next=http%3A%2F%2Fuser%3Apass%40host.example.com',
      'http://user%3Apass%40host.example.com/',
    ]) {
      expect(found(text), text).toEqual([]);
    }
  });
});

describe('e-mail addresses percent-encoded read exactly as written out', () => {
  const values = (text: string) => detect(text).filter((d) => d.type === 'email').map((d) => d.value);
  /** Form-encoded, as a form or URLSearchParams writes a value: a space is `+`. */
  const formEncoded = (value: string) => new URLSearchParams({ q: value }).toString().slice(2);

  it('take the local part by the rules of the @ scan: quotes, spaces, other scripts and dots before it are left out', () => {
    for (const [text, raw] of [
      ['https://x.example.com/search?q=%27chan%40acme.hk%27', 'chan%40acme.hk'],
      ['https://x.example.com/search?q=%E2%80%9Cchan%40acme.hk%E2%80%9D', 'chan%40acme.hk'],
      ['?to=%C2%A0chan%40acme.hk', 'chan%40acme.hk'],
      ['?to=%E9%99%B3chan%40acme.hk', 'chan%40acme.hk'],
      ['?to=%2Echan%40acme.hk', 'chan%40acme.hk'],
      // a `+` is a form's space (a real one is `%2B`)
      ['https://x.example.com/search?q=contact+chan%40acme.hk', 'chan%40acme.hk'],
      // `\n` encoded is an escape written out, as `\nchan@acme.hk` is
      ['?x=%5Cnchan%40acme.hk', 'chan%40acme.hk'],
    ] as const) {
      expect(detect(text).map((d) => [d.type, d.raw, d.value]), text).toEqual([['email', raw, 'chan@acme.hk']]);
    }
    for (const text of ['?to=%E9%99%B3%40acme.hk', '?to=m%FCller%40acme.hk', '?to=%FFchan%40acme.hk']) expect(found(text), text).toEqual([]);
    expect(detect('?q=chan+tm%40acme.hk').map((d) => d.value)).toEqual(['tm@acme.hk']);
    expect(detect('?q=chan%2Btm%40acme.hk').map((d) => d.value)).toEqual(['chan+tm@acme.hk']);
  });

  it('give what the address written out gives, whatever stands before it, encoded either way', () => {
    const befores = [
      "'chan", '“chan', '陳chan', '陳', '\u00A0chan', ' chan', '.chan', 'see...chan', 'contact chan', "o'brien", "x 'chan", 'chan+tm', 'chan%', 'chan.', 'chan..tm',
      'email=chan', '?email=chan', 'a=b', 'key==chan', 'mailto:chan', 'https://user:pass', 'http://user', 'x:chan', '\\nchan', '\\\\nchan', '\\u003cchan', '<chan', '"chan',
      'chan`x', 'chan\ntm', 'müller', 'Ελένη', 'x'.repeat(64), 'x'.repeat(65), `${'k'.repeat(40)}=${'x'.repeat(60)}`, 'ж'.repeat(64), 'ж'.repeat(65), '𝒜chan',
    ];
    for (const before of befores) {
      const written = values(`${before}@acme.hk`);
      for (const encoded of [encodeURIComponent(before), formEncoded(before)]) {
        expect(values(`${encoded}%40acme.hk`), `${before} as ${encoded}`).toEqual(written);
      }
    }
  });

  it('read a long local part in another script whole, or not at all, never from inside an escape', () => {
    const local = 'константин.константинопольский';
    const raw = `${encodeURIComponent(local)}%40mail.ru`;
    expect(detect(`mailto:${raw}`).map((d) => [d.raw, d.value])).toEqual([[raw, `${local}@mail.ru`]]);
    for (let n = 1; n <= 70; n++) {
      const text = `mailto:${encodeURIComponent('ж'.repeat(n))}%40mail.ru`;
      expect(detect(text).map((d) => d.raw), `${n}`).toEqual(n <= 64 ? [text.slice('mailto:'.length)] : []);
    }
  });

  it('cost a few steps for each %40, however many there are (a review found 256 characters decoded for each)', () => {
    // counted, not timed (as in test/hostile-files.test.ts): the characters read and the
    // strings cut and matched, for a text of n `%40`s with no address among them
    const counted: [object, string][] = [[String.prototype, 'charCodeAt'], [String.prototype, 'slice'], [String.prototype, 'replace'], [RegExp.prototype, 'exec'], [Array.prototype, 'push']];
    const work = (text: string): number => {
      let calls = 0;
      const saved = counted.map(([proto, name]) => {
        const own = proto as Record<string, (...args: unknown[]) => unknown>;
        const original = own[name]!;
        own[name] = function (this: unknown, ...args: unknown[]) {
          calls++;
          return original.apply(this, args);
        };
        return original;
      });
      try {
        expect(detect(text)).toEqual([]);
      } finally {
        counted.forEach(([proto, name], i) => ((proto as Record<string, unknown>)[name] = saved[i]));
      }
      return calls;
    };
    for (const unit of ['a%40', '%3A%40', '%3Aa%40', 'chan%2Btm%40', 'http%3A%2F%2Fuser%3Apass%40']) {
      const text = unit.repeat(4000);
      expect(work(text) / text.length, unit).toBeLessThan(2);
    }
  });
});

describe('a scanned file with these forms', () => {
  const dir = tempDir('detect-written-');
  it('reports each with its mask, and no raw value anywhere in the result', async () => {
    const check = hkidCheck('A', '123456');
    const lines = [`客戶 A 123456 (${check}) 已核實`, `HKID: A123456-${check}`, 'Hp: 9123 4567', '[+852] 6123 4567', 'https://wa.me/?phone=+852+5123+4567', 'mailto:chan%40acme.com.hk'];
    const file = path.join(dir, 'forms.txt');
    writeFileSync(file, lines.join('\n') + '\n');
    const result = await scanPaths(sourceReaders(), [file]);
    expect(result.findings.map((f) => `${f.type} ${f.line} ${f.masked}`)).toEqual([
      `hk_id 1 A12****(${check})`,
      `hk_id 2 A12****(${check})`,
      'hk_phone 3 +852 ****4567',
      'hk_phone 4 +852 ****4567',
      'hk_phone 5 +852 ****4567',
      'email 6 c***@acme.com.hk',
    ]);
    const json = JSON.stringify(result);
    for (const raw of ['123456', '9123 4567', '6123 4567', '5123+4567', 'chan']) expect(json, raw).not.toContain(raw);
  });
});
