// Full-width forms: a Chinese input method in full-width mode types digits, letters,
// `＋`, `－`, `．` and `＠` as U+FF0B to U+FF5A (`９１２３ ４５６７`, `Ａ１２３４５６（３）`).
// The detectors read them as ASCII (readAs in detect.ts): a finding keeps its raw as
// written and its offsets, and gets the value, mask and hash of the ASCII writing.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sourceReaders } from '../lib/adapters/sources/source-reader.ts';
import { candidates, FULL_WIDTH_FORMS, WIDE } from '../lib/domain/detect/candidates.ts';
import { cutTokenStart } from '../lib/domain/detect/cut-token.ts';
import { detect, readAs } from '../lib/domain/detect/detect.ts';
import { keyedHash } from '../lib/domain/detect/mask.ts';
import { redact, redactName } from '../lib/domain/detect/redact.ts';
import { scanPaths } from '../lib/usecases/scan/scan-files.ts';
import { labelledLines } from './support/labelled-corpus.ts';
import { tempDir } from './support/temp-dir.ts';

/** `text` with every ASCII character that has a full-width form in FULL_WIDTH_FORMS written in it. */
function widened(text: string): string {
  return text.replace(/[+\-.0-9@A-Za-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
}

const shown = (text: string) => detect(text).map((d) => [d.type, d.start, d.end, d.raw, d.value, d.country]);

describe('full-width digits and letters', () => {
  it('finds each identifier type written in full-width forms, raw as written and value in ASCII', () => {
    expect(shown('電話：９１２３ ４５６７')).toEqual([['hk_phone', 3, 12, '９１２３ ４５６７', '+85291234567', 'HK']]);
    expect(shown('身份證Ａ１２３４５６（３）已核實')).toEqual([['hk_id', 3, 13, 'Ａ１２３４５６（３）', 'A1234563', 'HK']]);
    expect(shown('身份證號 １１０１０５１９４９１２３１００２Ｘ')).toEqual([['cn_resident_id', 5, 23, '１１０１０５１９４９１２３１００２Ｘ', '11010519491231002X', 'CN']]);
    expect(shown('卡號 ４１１１ １１１１ １１１１ １１１１')).toEqual([['payment_card', 3, 22, '４１１１ １１１１ １１１１ １１１１', '4111111111111111', undefined]]);
    expect(shown('手機１３８１２３４５６７８')).toEqual([['cn_phone', 2, 13, '１３８１２３４５６７８', '+8613812345678', 'CN']]);
    expect(shown('＋８５２ ９１２３－４５６７')).toEqual([['hk_phone', 0, 14, '＋８５２ ９１２３－４５６７', '+85291234567', 'HK']]);
    expect(shown('電郵ｃｈａｎ＠ａｃｍｅ．ｃｏｍ．ｈｋ')).toEqual([['email', 2, 18, 'ｃｈａｎ＠ａｃｍｅ．ｃｏｍ．ｈｋ', 'chan@acme.com.hk', undefined]]);
    expect(shown('ＩＢＡＮ ＧＢ８２ ＷＥＳＴ １２３４ ５６９８ ７６５４ ３２')).toEqual([
      ['iban', 5, 32, 'ＧＢ８２ ＷＥＳＴ １２３４ ５６９８ ７６５４ ３２', 'GB82WEST12345698765432', 'GB'],
    ]);
    // a phone word in full-width letters, and an English keyword
    expect(shown('ＴＥＬ ９１２３ ４５６７')).toEqual([['hk_phone', 4, 13, '９１２３ ４５６７', '+85291234567', 'HK']]);
    expect(shown('本月ｓａｌａｒｙ已出')).toEqual([['payroll', 2, 8, 'ｓａｌａｒｙ', 'salary', undefined]]);
  });

  it('reads full-width punctuation as ASCII in a full-width text, and takes the marks that matter beside ASCII digits', () => {
    const card = ['payment_card', '4111111111111111'];
    const found = (text: string) => detect(text).map((d) => [d.type, d.value]);
    // a card after an amount, a date or a time: full-width throughout, or only the mark
    expect(found('付款 ＨＫ＄５００ ４１１１ １１１１ １１１１ １１１１')).toEqual([card]);
    expect(found('２０２６／１１／３０ ４１１１ １１１１ １１１１ １１１１')).toEqual([card]);
    expect(found('１０：１５ ４１１１ １１１１ １１１１ １１１１')).toEqual([card]);
    expect(found('10：15 4111 1111 1111 1111')).toEqual([card]);
    expect(found('HK＄500 4111 1111 1111 1111')).toEqual([card]);
    // an underscore in an address: the whole address, not its tail
    expect(found('電郵 ｃｈａｎ＿ｔｍ＠ａｃｍｅ．ｈｋ')).toEqual([['email', 'chan_tm@acme.hk']]);
    // HKID check digits in full-width square brackets, or in mixed brackets
    for (const id of ['Ａ１２３４５６［３］', 'A123456［3］', 'A123456（3)', 'A123456(3）']) expect(found(`HKID ${id}`), id).toEqual([['hk_id', 'A1234563']]);
    // `＃` labels a reference number as `#` does: no phone word reaches past it
    expect(found('call me about ＃２３４５６７８９')).toEqual([]);
    expect(found('call me about ＃23456789')).toEqual([]);
    expect(found('call me about #23456789')).toEqual([]);
  });

  it('keeps the rules of the ASCII writing: a full-width run is as long a run as an ASCII one', () => {
    // eight digits with no phone word: no phone, as `91234567` alone is none
    expect(shown('訂單９１２３４５６７')).toEqual([]);
    // part of a longer run of letters and digits, full-width or mixed
    expect(shown('ＳＦ４１１１１１１１１１１１１１１１')).toEqual([]);
    expect(shown('SF４１１１１１１１１１１１１１１１')).toEqual([]);
    // a check digit that fails
    expect(shown('身份證Ａ１２３４５６（４）')).toEqual([]);
  });

  it('finds in a widened text exactly what the ASCII text gives: the labelled corpus, line by line', () => {
    const lines = labelledLines(3000, { seed: 1913 });
    let findings = 0;
    for (const { text } of lines) {
      const ascii = detect(text).map((d) => [d.type, d.start, d.end, d.value, d.country]);
      const wide = widened(text);
      const found = detect(wide);
      expect(found.map((d) => [d.type, d.start, d.end, d.value, d.country]), text).toEqual(ascii);
      for (const d of found) expect(d.raw).toBe(wide.slice(d.start, d.end));
      findings += found.length;
    }
    expect(findings).toBeGreaterThan(1000);
  });

  it('hashes and masks a full-width identifier as its ASCII writing (the same person, the same hash)', () => {
    const [wide] = detect('電話：９１２３ ４５６７');
    const [ascii] = detect('電話：9123 4567');
    expect(keyedHash('k', wide!)).toBe(keyedHash('k', ascii!));
    expect(redact('身份證Ａ１２３４５６（３）')).toBe('身份證A12****(3)');
  });

  it('the candidate kernel lists where full-width forms stand, and nothing for text without them', () => {
    const text = `ab 電話：９x${FULL_WIDTH_FORMS}（）：，`;
    const at = [...candidates(text)[WIDE]!];
    // `９` at 6, then the forms from 8 on; `x`, the brackets and punctuation are not listed
    expect(at).toEqual([6, ...Array.from({ length: FULL_WIDTH_FORMS.length }, (_, i) => 8 + i)]);
    expect([...candidates('電話 9123 4567，（852）：')[WIDE]!]).toEqual([]);
    // read so, every full-width form is written in ASCII, its punctuation too
    expect(readAs(text)).toBe(`ab 電話:9x${FULL_WIDTH_FORMS.split('').map((c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).join('')}():,`);
  });

  it('masks full-width numbers in names, and a byte budget does not cut a full-width number short', () => {
    expect(redactName('客戶 ９１２３４５６７.txt')).toBe('客戶 +852 ****4567.txt');
    expect(redactName('hkid-ａ１２３４５６３.pdf')).toBe('hkid-A12****(3).pdf');
    // the last token, cut by the budget, is `４１１１ １１１１ １１`
    expect(cutTokenStart('卡 ４１１１ １１１１ １１')).toBe(2);
  });

  it('reads a full-width number in a phone column, a phone-named JSON key, and a full-width column name', async () => {
    const dir = tempDir('full-width-');
    const csv = path.join(dir, 'contacts.csv');
    writeFileSync(csv, 'name,電話,ＴＥＬ\n陳大文,９１２３４５６７,\n李小明,,６１２３ ４５６７\n');
    const json = path.join(dir, 'contacts.json');
    writeFileSync(json, '{"staff":[{"mobile":"５１２３４５６７"}]}');
    const { findings } = await scanPaths(sourceReaders(), [csv, json]);
    expect(findings.map((f) => [f.type, f.row ?? f.pointer, f.column, f.masked])).toEqual([
      ['hk_phone', 1, '電話', '+852 ****4567'],
      ['hk_phone', 2, 'ＴＥＬ', '+852 ****4567'],
      ['hk_phone', '/staff/0/mobile', undefined, '+852 ****4567'],
    ]);
  });
});
