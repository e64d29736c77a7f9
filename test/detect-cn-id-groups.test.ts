// PRC resident identity numbers written in groups: 6-8-4 (region code, birth date,
// sequence and check character), as forms and people group them: `110105 19491231 002X`,
// `110105-19491231-002X`, with a no-break or ideographic space. Found as cn_resident_id
// with the compact value (and so the compact form's mask and hash), the check character and
// date verified as for the compact form; nothing else is reported on any part of one, and
// digit groups that are not IDs are read as before.
import { describe, expect, it } from 'vitest';
import { detect } from '../lib/domain/detect/detect.ts';
import { mask } from '../lib/domain/detect/mask.ts';
import { redact } from '../lib/domain/detect/redact.ts';
import { mulberry32 } from '../lib/domain/text/seeded-random.ts';
import { expectCandidatesComplete } from './support/candidate-checks.ts';
import { cnIdCheck, luhnCheckDigit } from './support/labelled-corpus.ts';

const found = (text: string): Array<[string, string]> => detect(text).map((d) => [d.type, d.raw]);

/** An ID's 17 digits with their check character (from the test support's own MOD 11-2). */
const withCheck = (first17: string): string => first17 + cnIdCheck(first17);
/** An ID in groups 6-8-4 joined by `sep`. */
const grouped = (id: string, sep: string): string => `${id.slice(0, 6)}${sep}${id.slice(6, 14)}${sep}${id.slice(14)}`;

const BEIJING = '11010519491231002X';
const SHENZHEN = withCheck('44030519900307123'); // a digit check character
const LEAP_DAY = withCheck('31010420000229456'); // 29 February 2000
const IDS = [BEIJING, SHENZHEN, LEAP_DAY];

const SEPARATORS: Array<[string, string]> = [
  ['space', ' '],
  ['hyphen', '-'],
  ['no-break space', '\u00A0'],
  ['ideographic space', '\u3000'],
  ['narrow no-break space', '\u202F'],
  ['en dash', '\u2013'],
];

describe('PRC resident IDs in groups of 6-8-4', () => {
  it('finds the grouping of the issue with a space and with a hyphen, as the compact form is found', () => {
    const text = 'ID 110105 19491231 002X\nID 110105-19491231-002X\nid: 11010519491231002X\n';
    expect(detect(text).map((d) => [d.type, d.raw, d.value, d.country])).toEqual([
      ['cn_resident_id', '110105 19491231 002X', BEIJING, 'CN'],
      ['cn_resident_id', '110105-19491231-002X', BEIJING, 'CN'],
      ['cn_resident_id', BEIJING, BEIJING, 'CN'],
    ]);
  });

  it.each(SEPARATORS)('takes a %s between the groups, one kind throughout', (_name, sep) => {
    for (const id of IDS) {
      const raw = grouped(id, sep);
      for (const text of [raw, `身份證號碼：${raw}`, `居民身份证${raw}，已核实`, `PRC ID ${raw}.`, `(${raw})`]) {
        expect(detect(text).map((d) => [d.type, d.raw, d.value]), text).toEqual([['cn_resident_id', raw, id]]);
      }
    }
  });

  it('takes a lower-case x check character, the value upper-cased', () => {
    expect(detect('身份证 110105 19491231 002x').map((d) => [d.type, d.raw, d.value])).toEqual([['cn_resident_id', '110105 19491231 002x', BEIJING]]);
    expect(detect('身份证 110105-19491231-002x').map((d) => d.value)).toEqual([BEIJING]);
  });

  it('gives the mask and value of the compact form, and redact() masks it as it does that', () => {
    const compact = detect(`ID ${BEIJING}`)[0]!;
    for (const [, sep] of SEPARATORS) {
      const d = detect(`ID ${grouped(BEIJING, sep)}`)[0]!;
      expect(d.value).toBe(compact.value);
      expect(mask(d)).toBe('110105***********X');
      expect(mask(d)).toBe(mask(compact));
    }
    expect(redact('ID 110105 19491231 002X / 110105-19491231-002x')).toBe('ID 110105***********X / 110105***********X');
    // joined to a word by a hyphen, in a file's name, as the compact form is
    expect(redact('hr-110105-19491231-002X.csv')).toBe(redact(`hr-${BEIJING}.csv`));
    expect(redact('hr-110105-19491231-002X.csv')).toBe('hr-110105***********X.csv');
  });

  it('finds it written in full-width digits, the value in ASCII', () => {
    const wide = '１１０１０５　１９４９１２３１　００２Ｘ';
    expect(detect(`身份證 ${wide}`).map((d) => [d.type, d.raw, d.value])).toEqual([['cn_resident_id', wide, BEIJING]]);
  });

  it('finds IDs next to other numbers on a line: a row of IDs, an ID and a phone', () => {
    const a = grouped(SHENZHEN, ' ');
    const b = grouped(BEIJING, ' ');
    expect(found(`IDs ${a} ${b}`)).toEqual([['cn_resident_id', a], ['cn_resident_id', b]]);
    expect(found(`陳大文 ${b} 138 1234 5678`)).toEqual([['cn_resident_id', b], ['cn_phone', '138 1234 5678']]);
    expect(found(`陳大文 ${a}, 手機 9123 4567`)).toEqual([['cn_resident_id', a], ['hk_phone', '9123 4567']]);
  });

  it('reports nothing else on any part of one, whatever words stand near it', () => {
    // birth dates of the 2000s make an eight-digit group that starts like a Hong Kong
    // number (2xxxxxxx); a phone, card or account word does not make it one
    const r = mulberry32(91);
    const digits = (n: number): string => Array.from({ length: n }, () => String(Math.floor(r() * 10))).join('');
    const contexts = ['Tel: {}', '電話 {}', '手機：{}', 'call me {}', 'card {}', '卡號 {}', 'IBAN {}', 'account {}', '{} (手機)', '{} 係我手機', 'Phone: 9123 4567 / {}'];
    let n = 0;
    for (let k = 0; k < 300; k++) {
      const year = String(1900 + Math.floor(r() * 200));
      const month = String(1 + Math.floor(r() * 12)).padStart(2, '0');
      const day = String(1 + Math.floor(r() * 28)).padStart(2, '0');
      // province codes that start like cards (3, 4, 5, 6), phones (13x, 8x) and others
      const region = `${['11', '31', '44', '51', '62', '81', '82', '13', '21', '91'][k % 10]}${digits(4)}`;
      const id = withCheck(region + year + month + day + digits(3));
      const [, sep] = SEPARATORS[k % SEPARATORS.length]!;
      const raw = grouped(id, sep);
      const text = contexts[k % contexts.length]!.replace('{}', raw);
      const ds = detect(text).filter((d) => d.end > text.indexOf(raw) && d.start < text.indexOf(raw) + raw.length);
      expect(ds.map((d) => [d.type, d.raw, d.value]), text).toEqual([['cn_resident_id', raw, id]]);
      n++;
    }
    expect(n).toBe(300);
  });
});

describe('digit groups that are not grouped PRC IDs', () => {
  it('does not take a wrong check character, an impossible date or a year out of range', () => {
    const badCheck = `${BEIJING.slice(0, 17)}1`;
    const feb31 = withCheck('11010519490231002');
    const month13 = withCheck('11010519491331002');
    const feb29 = withCheck('11010520010229002'); // 2001 is no leap year
    const from1850 = withCheck('11010518500101002');
    for (const id of [badCheck, feb31, month13, feb29, from1850]) {
      for (const [, sep] of SEPARATORS) {
        const raw = grouped(id, sep);
        expect(found(`身份證 ${raw}`), raw).toEqual([]);
        expect(found(`ID ${raw}`), raw).toEqual([]);
      }
    }
  });

  it('does not take a grouped one whose first two digits are no province (a batch or reference number)', () => {
    const batch = withCheck('60012320261130001'); // 60 is no province
    expect(found(`Batch ${grouped(batch, ' ')}, qty 3`)).toEqual([]);
    expect(found(`Ref ${grouped(withCheck('00010519491231002'), '-')}`)).toEqual([]);
    // the same digits compact are read as they always were
    expect(found(`Batch ${batch}`)).toEqual([['cn_resident_id', batch]]);
    // Hong Kong, Macao and Taiwan residents' permits (81-83) and a foreigner's card (9x) are found
    for (const id of [withCheck('81000019900307123'), withCheck('83000019900307123'), withCheck('91000019900307123')]) {
      expect(found(`ID ${grouped(id, ' ')}`), id).toEqual([['cn_resident_id', grouped(id, ' ')]]);
    }
  });

  it('does not take other groupings, mixed separators or a group joined to more', () => {
    const id = BEIJING;
    for (const text of [
      `ID ${id.slice(0, 6)} ${id.slice(6, 14)}-${id.slice(14)}`, // mixed separators
      `ID ${id.slice(0, 6)}-${id.slice(6, 14)} ${id.slice(14)}`,
      `ID ${id.slice(0, 6)}\t${id.slice(6, 14)}\t${id.slice(14)}`, // a tab is no separator
      `ID ${id.slice(0, 6)}  ${id.slice(6, 14)}  ${id.slice(14)}`, // two spaces
      `ID ${id.slice(0, 6)}.${id.slice(6, 14)}.${id.slice(14)}`, // dots
      `ID ${id.slice(0, 6)} ${id.slice(6, 14)} ${id.slice(14)}9`, // one character too many
      `ID ${id.slice(0, 6)} ${id.slice(6, 14)} ${id.slice(14, 17)}`, // one too few
      `ID A${id.slice(0, 6)} ${id.slice(6, 14)} ${id.slice(14)}`, // joined to a token before
      `ID ${id.slice(0, 6)} ${id.slice(6, 14)} ${id.slice(14)}abc`, // and after
      `ORD-${id.slice(0, 6)}-${id.slice(6, 14)}-${id.slice(14)}`,
    ]) {
      expect(found(text), text).toEqual([]);
    }
  });

  it('reads cards, phone lists, dates and timestamps as before', () => {
    const card = `4111 1111 1111 1111`;
    expect(found(`card ${card}`)).toEqual([['payment_card', card]]);
    expect(found('card 4111-1111-1111-1111')).toEqual([['payment_card', '4111-1111-1111-1111']]);
    expect(found('Amex 3782 822463 10005')).toEqual([['payment_card', '3782 822463 10005']]);
    // a UnionPay card grouped 4-4-4-4 after a date (its digits 5-12 could be a birth date)
    const unionPay = `6222 1949 1231 002${luhnCheckDigit('622219491231002')}`;
    expect(found(`卡號 ${unionPay}`)).toEqual([['payment_card', unionPay]]);
    expect(found(`2026-11-30 ${unionPay}`)).toEqual([['payment_card', unionPay]]);
    expect(found('Phone: 9123 4567 / 6123 4567')).toEqual([['hk_phone', '9123 4567'], ['hk_phone', '6123 4567']]);
    expect(found('手機 138 1234 5678、139 8765 4321')).toEqual([['cn_phone', '138 1234 5678'], ['cn_phone', '139 8765 4321']]);
    expect(found('電話 2345 6789 / 9123 4567 / 6123 4567')).toEqual([['hk_phone', '2345 6789'], ['hk_phone', '9123 4567'], ['hk_phone', '6123 4567']]);
    for (const text of [
      'due 2026 1130',
      'at 20261130 093015',
      '2026-11-30 10:15:30',
      'log 20261130 093015 1234',
      'batch 123456 2026 1130 0001',
      'ref 1234 20261130 1234',
      'ref 12345 19491231 002X',
      'ref 1234567 19491231 002X',
      'ref 110105 1949123 1002X',
      'ref 110105 194912310 02X',
    ]) {
      expect(found(text), text).toEqual([]);
    }
  });
});

describe('the candidate kernel and grouped PRC IDs', () => {
  // Text made of grouped IDs, valid or not, their near misses and what stands around
  // them: the kernel (candidates.ts) must list every position where the identifier regex
  // matches, and detect() give what the plain regex scan gives.
  const SEPS = [' ', '-', '\u00A0', '\u2007', '\u2009', '\u202F', '\u3000', '\u2010', '\u2011', '\u2012', '\u2013', '\t', '.', '\u2014'];
  const texts = Array.from({ length: 400 }, (_, k) => {
    const r = mulberry32(500 + k);
    const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
    const digits = (n: number): string => Array.from({ length: n }, () => String(Math.floor(r() * 10))).join('');
    const pieces: Array<() => string> = [
      () => {
        const s = pick(SEPS);
        // most with a province code (11, 44, ...), some with any two digits
        const region = r() < 0.8 ? pick(['11', '13', '31', '44', '51', '62', '81', '91']) + digits(4) : digits(6);
        const id = withCheck(region + pick(['19', '20', '18', '21']) + digits(2) + String(1 + Math.floor(r() * 12)).padStart(2, '0') + String(1 + Math.floor(r() * 28)).padStart(2, '0') + digits(3));
        const last = r() < 0.1 ? id.slice(14).toLowerCase() : r() < 0.2 ? digits(4) : id.slice(14);
        return `${id.slice(0, 6)}${s}${id.slice(6, 14)}${r() < 0.9 ? s : pick(SEPS)}${last}`;
      },
      () => digits(pick([3, 4, 5, 6, 7, 8])) + pick(SEPS) + pick(['1', '2', '3', '0']) + digits(pick([1, 3, 7, 8])),
      () => digits(1 + Math.floor(r() * 18)),
      () => pick(SEPS),
      () => pick(['ID ', '身份證', 'Tel: ', '手機 ', 'card ', 'A', 'x', '\n', '/', ',', '(', '852', '86 1', '+86 ', '@', 'ORD-', '9123 4567', '4111 1111 1111 1111']),
    ];
    return Array.from({ length: 1 + Math.floor(r() * 80) }, () => pick(pieces)()).join('');
  });

  it('lists every position where the identifier regex matches, and gives detect() the findings of the plain regex scan, grouped IDs among them', () => {
    let matched = 0;
    let ids = 0;
    for (const text of texts) {
      const checked = expectCandidatesComplete(text);
      matched += checked.matched;
      ids += checked.found.filter((d) => d.type === 'cn_resident_id' && d.raw.length === 20).length;
    }
    expect(matched).toBeGreaterThan(150);
    expect(ids).toBeGreaterThan(50);
  });
});
