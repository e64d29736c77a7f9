// Two Hong Kong numbers a person lists after a phone word, a space apart (`Tel: 5123 4567
// 6123 4561`), have a card's 4-4-4-4 shape: fixed lines start 2 or 3 (Mastercard's
// 2-series, JCB), mobiles 4x, 5, 6 (Mastercard 51-55, Visa, UnionPay 62), and about one pair
// in ten passes Luhn. After a phone word with no card word near, they are the two phones;
// with a card word near, compact, or no Hong Kong number's halves, the card stays a card.
import { describe, expect, it } from 'vitest';
import { cardValid } from '../lib/domain/detect/check-digits.ts';
import { detect } from '../lib/domain/detect/detect.ts';
import { mask } from '../lib/domain/detect/mask.ts';

const found = (text: string) => detect(text).map((d) => [d.type, d.raw]);

/** `first` and a second number from `second` with its last digit chosen so that the 16 digits pass a card's IIN and Luhn checks. */
function cardPair(first: string, second: string): string {
  for (let d = 0; d <= 9; d++) {
    const pair = `${first} ${second.slice(0, -1)}${d}`;
    if (cardValid(pair.replace(/\D/g, ''))) return pair;
  }
  throw new Error(`no card among ${first} ${second.slice(0, -1)}0-9`);
}

// first numbers of every card-shaped Hong Kong lead: a fixed line in Mastercard's 2-series
// and in JCB's range, mobiles in Mastercard 51-55, Visa (the 46 block) and UnionPay 62
const FIRSTS = ['2223 4567', '3530 1234', '5123 4567', '5512 3456', '4612 3456', '6212 3456'];
const SECONDS = ['6123 4560', '2345 6780', '9123 4560', '4712 3450'];
const PAIRS = FIRSTS.flatMap((f) => SECONDS.map((s) => cardPair(f, s)));

// phone words, labels, an index, keys, markup and a vCard's TEL: what makes a bare number a phone
const PHONE_WORDS = [
  'Tel: ', 'Phone ', 'Mobile no. ', 'M: ', 'T: ', 'Hp: ', 'Phone 2: ', 'Tel (2): ', '電話 ', '手機：', '聯絡電話: ', 'call me on ', 'WhatsApp ',
  '"mobileNo":"', 'phone_no=', '<td>Phone:</td><td>', 'TEL;type=CELL:', '{"msg":"ok\\nTel: ',
];

describe('two Hong Kong numbers a space apart after a phone word', () => {
  it('are two phones, not one card, though the 16 digits pass a card\'s checks', () => {
    for (const pair of PAIRS) {
      expect(cardValid(pair.replace(/\D/g, '')), pair).toBe(true);
      expect(found(pair), pair).toEqual([['payment_card', pair]]); // no phone word: a card
      for (const word of PHONE_WORDS) {
        expect(found(`${word}${pair}`), word + pair).toEqual([
          ['hk_phone', pair.slice(0, 9)],
          ['hk_phone', pair.slice(10)],
        ]);
      }
    }
  });

  it('are found as each number alone would be: where, value, mask', () => {
    const text = 'Tel: 5123 4567 6123 4561';
    expect(cardValid('5123456761234561')).toBe(true);
    expect(detect(text).map((d) => ({ ...d, masked: mask(d) }))).toEqual([
      { type: 'hk_phone', start: 5, end: 14, raw: '5123 4567', value: '+85251234567', country: 'HK', masked: '+852 ****4567' },
      { type: 'hk_phone', start: 15, end: 24, raw: '6123 4561', value: '+85261234561', country: 'HK', masked: '+852 ****4561' },
    ]);
  });

  it('are two phones when the 16 digits fail Luhn too', () => {
    expect(cardValid('6234567891234567')).toBe(false);
    expect(found('Mobile: 6234 5678 9123 4567')).toEqual([
      ['hk_phone', '6234 5678'],
      ['hk_phone', '9123 4567'],
    ]);
  });

  it('may be followed by what ends a bare number: a phone word, a time, a count, a line', () => {
    expect(found('Tel: 5123 4567 6123 4561 2 people')).toEqual([['hk_phone', '5123 4567'], ['hk_phone', '6123 4561']]);
    expect(found('Tel: 5123 4567 6123 4561 (mobile)\nnext')).toEqual([['hk_phone', '5123 4567'], ['hk_phone', '6123 4561']]);
    expect(found('Tel: 5123 4567 6123 4561 10:30')).toEqual([['hk_phone', '5123 4567'], ['hk_phone', '6123 4561']]);
  });
});

describe('a card after a phone word stays a card', () => {
  it('with a card word near it, before or after, on its line', () => {
    for (const text of [
      'Visa card 5123 4567 6123 4561',
      'Tel: 5123 4567 6123 4561 (Visa)',
      'Card no. / Tel: 5123 4567 6123 4561',
      '電話 5123 4567 6123 4561 信用卡',
      'Tel: 5123 4567 6123 4561 exp 12/27',
    ]) {
      expect(found(text), text).toEqual([['payment_card', '5123 4567 6123 4561']]);
    }
  });

  it('written compact: people do not write two phones without a space', () => {
    expect(found('Tel: 5123456761234561')).toEqual([['payment_card', '5123456761234561']]);
  });

  it('whose halves are no Hong Kong numbers (4111 is no number\'s lead)', () => {
    expect(found('Tel: 4111 1111 1111 1111')).toEqual([['payment_card', '4111 1111 1111 1111']]);
    const pair = cardPair('5123 4567', '1123 4560'); // 1: no Hong Kong number's lead
    expect(found(`Tel: ${pair}`)).toEqual([['payment_card', pair]]);
  });

  it('grouped with hyphens, or followed by an expiry or a CVV, which no bare number is', () => {
    expect(found('Tel: 5123-4567-6123-4561')).toEqual([['payment_card', '5123-4567-6123-4561']]);
    expect(found('Tel: 5123 4567 6123 4561 1227')).toEqual([['payment_card', '5123 4567 6123 4561']]);
    expect(found('Tel: 5123 4567 6123 4561 123')).toEqual([['payment_card', '5123 4567 6123 4561']]);
  });

  it('with the phone word a line, a sentence or a cell before it', () => {
    expect(found('Tel:\n5123 4567 6123 4561')).toEqual([['payment_card', '5123 4567 6123 4561']]);
    expect(found('Please call me. 5123 4567 6123 4561')).toEqual([['payment_card', '5123 4567 6123 4561']]);
    expect(found('Tel,5123 4567 6123 4561')).toEqual([['payment_card', '5123 4567 6123 4561']]); // a CSV's next cell
  });
});
