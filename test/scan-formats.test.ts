// The formats people write identifiers in: IBANs against the SWIFT IBAN Registry (every
// country's own example, python-stdnum's registry samples and broken numbers, national
// check digits, lower case, separators and groupings), card brands by IIN range and the
// groupings people write, HKIDs in lower case and square brackets, e-mail addresses with
// internationalised domains and local parts (the whole address or nothing), and one span
// never reported as two types.
import { describe, expect, it } from 'vitest';
import { cardBrand } from '../lib/domain/detect/check-digits.ts';
import { detect, type FindingType } from '../lib/domain/detect/detect.ts';
import { IBAN_REGISTRY, ibanValid, NATIONAL_CHECK_COUNTRIES } from '../lib/domain/detect/iban.ts';
import { hkidCheck, ibanCheckDigits, labelledCorpus, luhnCheckDigit } from './support/labelled-corpus.ts';

const found = (text: string): [FindingType, string][] => detect(text).map((d) => [d.type, d.raw]);
const compact = (s: string) => s.replace(/[\s.-]/g, '').toUpperCase();

describe('IBAN: the registry as data', () => {
  const countries = Object.entries(IBAN_REGISTRY.countries);

  it('holds the release and every country of it, each BBAN structure adding up to its length', () => {
    expect(IBAN_REGISTRY.registry).toBe('SWIFT IBAN Registry');
    expect(IBAN_REGISTRY.release).toBe(101);
    expect(countries.length).toBe(89);
    for (const [country, e] of countries) {
      const bban = [...e.bban.matchAll(/(\d+)!([nac])/g)].reduce((n, m) => n + Number(m[1]), 0);
      expect({ country, length: bban + 4 }).toEqual({ country, length: e.length });
      expect(e.bank?.[1], country).toBeLessThanOrEqual(bban);
    }
  });

  it.each(Object.entries(IBAN_REGISTRY.countries).map(([country, e]) => [country, e.example!]))('finds the registry example of %s (%s), compact, grouped, dashed, dotted, with its country code set apart and in lower case', (country, example) => {
    expect(ibanValid(example)).toBe(true);
    const grouped = example.replace(/(.{4})(?=.)/g, '$1 ');
    const apart = `${example.slice(0, 2)} ${example.slice(2, 4)} ${example.slice(4).replace(/(.{4})(?=.)/g, '$1 ')}`;
    for (const written of [example, grouped, grouped.replaceAll(' ', '-'), grouped.replaceAll(' ', '.'), grouped.toLowerCase(), example.toLowerCase(), apart, apart.replaceAll(' ', '-'), apart.toLowerCase()]) {
      const d = detect(`請匯款至 ${written}，謝謝`);
      expect(d.map((x) => [x.type, x.raw, x.value, x.country])).toEqual([['iban', written, example, country]]);
    }
  });

  // python-stdnum's tests/test_iban.doctest: registry sample numbers, and numbers with broken checksums, the wrong length or the wrong characters.
  const STDNUM_VALID = [
    'AD12 0001 2030 2003 5910 0100', 'AE07 0331 2345 6789 0123 456', 'AL47 2121 1009 0000 0002 3569 8741', 'AT61 1904 3002 3457 3201',
    'AZ21 NABZ 0000 0000 1370 1000 1944', 'BA39 1290 0794 0102 8494', 'BE68 5390 0754 7034', 'BG80 BNBG 9661 1020 3456 78',
    'BH67 BMAG 0000 1299 1234 56', 'BR97 0036 0305 0000 1000 9795 493P 1', 'CH93 0076 2011 6238 5295 7', 'CY17 0020 0128 0000 0012 0052 7600',
    'CZ65 0800 0000 1920 0014 5399', 'DE89 3704 0044 0532 0130 00', 'DK50 0040 0440 1162 43', 'EE38 2200 2210 2014 5685',
    'ES91 2100 0418 4502 0005 1332', 'FI21 1234 5600 0007 85', 'FR14 2004 1010 0505 0001 3M02 606', 'GB29 NWBK 6016 1331 9268 19',
    'GR16 0110 1250 0000 0001 2300 695', 'HR12 1001 0051 8630 0016 0', 'HU42 1177 3016 1111 1018 0000 0000', 'IE29 AIBK 9311 5212 3456 78',
    'IT60 X054 2811 1010 0000 0123 456', 'LT12 1000 0111 0100 1000', 'LU28 0019 4006 4475 0000', 'MT84 MALT 0110 0001 2345 MTLC AST0 01S',
    'NL91 ABNA 0417 1643 00', 'NO93 8601 1117 947', 'PL61 1090 1014 0000 0712 1981 2874', 'PT50 0002 0123 1234 5678 9015 4',
    'QA58 DOHB 0000 1234 5678 90AB CDEF G', 'RO49 AAAA 1B31 0075 9384 0000', 'SA03 8000 0000 6080 1016 7519', 'SE45 5000 0000 0583 9825 7466',
    'SI56 2633 0001 2039 086', 'SK31 1200 0000 1987 4263 7541', 'SM86 U032 2509 8000 0000 0270 100', 'TR33 0006 1005 1978 6457 8413 26',
  ];
  const STDNUM_INVALID = [
    'AL48212110090000000235698741', 'AD1210012030200359100100', 'AT611804300234573201', 'BE68530907547034', 'BA391290709401028494',
    'BG80BNBG99611020345678', 'HR1210010052863000160', 'CY17002001281000001200527600', 'CZ6508000000129000145399', 'CZ9455000000000101038930',
    'DK5000400440116342', 'AD48 0001 2030 2003 5910 01', 'AT93 1904 3002 3457 3201 99', 'BE36 5390 0754 7034 1234', 'BA30 1290 0794 0102 84',
    'BG93 BNBG 9661 1A20 3456 78', 'GI22 NW3K 0000 0000 7099 453', 'NL56 3003 0A17 1643 00', 'QQ93 1234 5678',
    'ES2121000418450200051331', 'ES89 3183 1500 9500 0121 0562',
  ];

  it('accepts the registry samples python-stdnum tests with, and rejects its broken ones', () => {
    for (const x of STDNUM_VALID) expect([x, ibanValid(compact(x)), found(`IBAN ${x}`)]).toEqual([x, true, [['iban', x]]]);
    for (const x of STDNUM_INVALID) expect([x, ibanValid(compact(x)), found(`IBAN ${x}`)]).toEqual([x, false, []]);
  });

  // Where each national check digit stands in the BBAN (0-based).
  const CHECK_AT: Record<string, number> = {
    BA: 15, BE: 11, CZ: 19, EE: 15, ES: 9, FI: 13, FR: 22, HR: 16, HU: 23, IT: 0, MC: 22, ME: 17, MK: 14, NO: 10, PL: 7, PT: 20, RS: 17, SI: 14, SK: 19, SM: 0, TL: 18,
  };

  it.each(NATIONAL_CHECK_COUNTRIES.map((c) => [c]))('%s: a wrong national check digit is refused even when mod 97 holds', (country) => {
    const example = IBAN_REGISTRY.countries[country]!.example!;
    const at = CHECK_AT[country]!;
    expect(at, `${country} has a national check position in this test`).toBeDefined();
    const bban = example.slice(4);
    const others = bban[at]! >= 'A' ? [...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'] : [...'0123456789'];
    for (const ch of others.filter((c) => c !== bban[at])) {
      const wrong = bban.slice(0, at) + ch + bban.slice(at + 1);
      const iban = country + ibanCheckDigits(country, wrong) + wrong;
      expect(ibanValid(iban), iban).toBe(false);
      expect(found(`IBAN ${iban}`)).toEqual([]);
    }
  });

  it('verifies the national algorithms on their own examples', () => {
    // Spain's CCC, Norway's kontonummer, Belgium's and Montenegro's mod 97, Italy's CIN, France's RIB key (python-stdnum's and the registry's examples)
    for (const x of ['ES7712341234161234567890', 'NO9386011117947', 'BE32123456789002', 'ME25510000000006234133', 'IT60X0542811101000000123456', 'FR7630006000011234567890189']) {
      expect([x, ibanValid(x)]).toEqual([x, true]);
    }
  });

  it('checks each position against the registry: letters in an alphanumeric account are found, digits where it has letters are not', () => {
    // Malta's 18!c account and France's 11!c account hold letters
    expect(found('IBAN MT84MALT011000012345MTLCAST001S')).toEqual([['iban', 'MT84MALT011000012345MTLCAST001S']]);
    expect(found('IBAN FR14 2004 1010 0505 0001 3M02 606')).toEqual([['iban', 'FR14 2004 1010 0505 0001 3M02 606']]);
    // the United Kingdom's and the Netherlands' bank codes are letters (4!a): mod 97 made to hold with digits there
    for (const [country, bban] of [['GB', '123460161331926819'], ['NL', '1234041716430']] as const) {
      const padded = bban.padEnd(IBAN_REGISTRY.countries[country]!.length - 4, '0');
      const iban = country + ibanCheckDigits(country, padded) + padded;
      expect(found(`IBAN ${iban}`)).toEqual([]);
    }
  });

  it('reads the groupings people write, and cuts a grouped IBAN that runs on into the next word', () => {
    expect(found('IBAN NO93 86011117947')).toEqual([['iban', 'NO93 86011117947']]);
    expect(found('IBAN NO9386 0111 17947')).toEqual([['iban', 'NO9386 0111 17947']]);
    expect(found('IBAN DE89 37040044 0532013000')).toEqual([['iban', 'DE89 37040044 0532013000']]);
    expect(found('wire to GB29 NWBK 6016 1331 9268 19 by Friday')).toEqual([['iban', 'GB29 NWBK 6016 1331 9268 19']]);
    expect(found('GB29-NWBK-6016-1331-9268-19 (GBP)')).toEqual([['iban', 'GB29-NWBK-6016-1331-9268-19']]);
    // one kind of separator throughout
    expect(found('IBAN GB29 NWBK-6016 1331.9268 19')).toEqual([]);
  });

  it('never reports a Norwegian IBAN, however grouped, as something else', () => {
    for (const written of ['NO93 8601 1117 947', 'NO93 86 01 11 17 947', 'NO93 860 111 17947', 'no93-8601-1117-947', 'NO93.8601.1117.947', 'NO9386011117947']) {
      expect(found(`konto ${written} takk`), written).toEqual([['iban', written]]);
    }
  });

  it('reads a country code set apart from the check digits, with the separator the groups use', () => {
    for (const written of ['NO 93 8601 1117 947', 'NO-93-8601-1117-947', 'NO.93.8601.1117.947', 'no 93 8601 1117 947', 'NO 9386011117947', 'NO 93 86011117947']) {
      expect(found(`konto ${written} takk`), written).toEqual([['iban', written]]);
    }
    expect(found('IBAN DE 89 3704 0044 0532 0130 00 bitte')).toEqual([['iban', 'DE 89 3704 0044 0532 0130 00']]);
    // one kind of separator throughout; a wrong check is no IBAN, and its digit groups are
    // then read as nothing else either
    expect(found('konto NO 93-8601-1117-947 takk')).toEqual([]);
    expect(found('konto NO 93 8601 1117 948 takk')).toEqual([]);
  });

  it('reads what follows two letters set apart as usual when they start no IBAN', () => {
    // `no` is Norway's code, `at` Austria's: neither starts an IBAN here
    expect(found('ticket no 12 13812345678')).toEqual([['cn_phone', '13812345678']]);
    expect(found('call me at 12 4111 1111 1111 1111')).toEqual([]);
    expect(found('paid at 12:30 with 4111 1111 1111 1111')).toEqual([['payment_card', '4111 1111 1111 1111']]);
  });
});

/** A Luhn-valid number of `length` digits starting with `prefix`. */
function card(prefix: string, length: number): string {
  const payload = prefix + '7'.repeat(length - 1 - prefix.length);
  return payload + luhnCheckDigit(payload);
}

describe('payment cards: brands by IIN range, and groupings', () => {
  it.each([
    ['Visa', '4111111111111111'], ['Visa', '4222222222222'], ['Mastercard', '5555555555554444'], ['Mastercard', '2223003122003222'],
    ['American Express', '378282246310005'], ['UnionPay', '6200000000000005'], ['JCB', '3530111333300000'],
    ['Discover', '6011111111111117'], ['Discover', '6011000990139424'], ['Discover', card('644', 16)], ['Discover', card('65', 19)],
    ['Diners Club', '30569309025904'], ['Diners Club', '38520000023237'], ['Diners Club', card('36', 14)], ['Diners Club', card('3095', 14)], ['Diners Club', card('39', 16)],
    ['Maestro', '6759649826438453'], ['Maestro', card('5018', 12)], ['Maestro', card('6304', 19)], ['Maestro', card('5893', 16)],
  ])('%s %s: found compact, with its brand', (brand, number) => {
    expect(cardBrand(number)).toBe(brand);
    expect(found(`card ${number} exp 12/28`)).toEqual([['payment_card', number]]);
  });

  it.each([
    ['4-4-4-4', '4111 1111 1111 1111'], ['4-4-4-4 dashed', '5555-5555-5555-4444'], ['4-6-5 (Amex)', '3782 822463 10005'], ['4-6-4 (Diners Club)', '3056 930902 5904'],
    ['4-4-4-2 (Diners Club)', '3056 9309 0259 04'], ['4-4-4-3 (Amex)', '3782 8224 6310 005'], ['4-4-4-1 (Visa 13)', '4222 2222 2222 2'],
    ['4-4-4-4-3 (19 digits)', `${card('62', 19).replace(/(\d{4})(?=\d)/g, '$1 ')}`], ['4-6-5 dashed', '3782-822463-10005'],
  ])('groups written %s: %s', (_label, written) => {
    expect(found(`卡號 ${written}，到期12/28`)).toEqual([['payment_card', written]]);
  });

  it('refuses numbers of no brand, a brand at the wrong length, and a failed Luhn', () => {
    for (const n of [card('9', 16), card('1', 16), card('36', 18), card('30', 15), card('5018', 11), card('6011', 15), '6011111111111118', '3056 930902 5905']) expect([n, found(`card ${n}`)]).toEqual([n, []]);
  });

  it('reads an 18-digit number shaped like a PRC resident ID as a mistyped ID, not a card (a Xinjiang prefix is also Discover\'s)', () => {
    const id = '650102199001011234'; // digits 7-14 a date, check character wrong
    expect(found(`ID ${id}`)).toEqual([]);
  });
});

describe('HKID in lower case and square brackets', () => {
  const check = hkidCheck('A', '123456');
  it.each([
    [`a123456(${check})`], [`A123456[${check}]`], [`a123456 [${check}]`], [`a123456${check}`], [`xa${'987654'}(${hkidCheck('XA', '987654')})`], [`Z683365[${hkidCheck('Z', '683365')}]`],
  ])('finds %s', (written) => {
    const d = detect(`身份證 ${written} 已核實`);
    expect(d.map((x) => [x.type, x.raw])).toEqual([['hk_id', written]]);
    expect(d[0]!.value).toBe(written.replace(/[\s()[\]]/g, '').toUpperCase());
  });

  it('still verifies the check digit and refuses a run-on', () => {
    const wrong = check === '0' ? '1' : '0';
    expect(found(`a123456(${wrong})`)).toEqual([]);
    expect(found(`A123456[${wrong}]`)).toEqual([]);
    expect(found(`xa123456${check}9`)).toEqual([]);
  });
});

describe('e-mail: internationalised addresses, the whole address or nothing', () => {
  it.each([
    ['chan@例子.香港', 'chan@例子.香港'],
    ['info@xn--fiqs8s.xn--j6w193g', 'info@xn--fiqs8s.xn--j6w193g'],
    ['müller@bücher.de', 'müller@bücher.de'],
    ['josé.garcía@ejemplo.es', 'josé.garcía@ejemplo.es'],
    ['δοκιμή@παράδειγμα.δοκιμή', 'δοκιμή@παράδειγμα.δοκιμή'],
    ['請電郵chan@acme.hk查詢', 'chan@acme.hk'],
    ['ops@xn--80ak6aa92e.com', 'ops@xn--80ak6aa92e.com'],
  ])('finds %s as %s', (text, address) => {
    expect(found(`mail: ${text}。`)).toEqual([['email', address]]);
    expect(detect(`${text} `)[0]!.value).toBe(address.toLowerCase());
  });

  it('reports no fragment of an address it cannot take whole', () => {
    expect(found(`${'a'.repeat(70)}@acme.hk`)).toEqual([]); // a local part longer than 64
    expect(found('ann..lee@acme.hk')).toEqual([]);
    expect(found('ann.@acme.hk')).toEqual([]);
    expect(found('陳大文@例子.香港')).toEqual([]); // a CJK local part: not told apart from the text before it
    expect(found('chan@acme.hk-x')).toEqual([]);
  });
});

describe('one span, one type', () => {
  it('never reports overlapping spans (so never one span as two types) on the labelled corpus', () => {
    const { text } = labelledCorpus(5000, { seed: 99 });
    const d = detect(text);
    for (let i = 1; i < d.length; i++) expect(d[i]!.start >= d[i - 1]!.end, JSON.stringify([d[i - 1], d[i]])).toBe(true);
  });

  it('keeps an e-mail whole over the number or keyword inside it', () => {
    expect(found('13812345678@163.com')).toEqual([['email', '13812345678@163.com']]);
    expect(found('payroll@acme.hk')).toEqual([['email', 'payroll@acme.hk']]);
  });
});
