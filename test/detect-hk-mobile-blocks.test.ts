// Hong Kong mobile numbers of the blocks OFCA opened from 2018 (44, 46, 47 and 84, as the
// libphonenumber metadata's mobile ranges have them) are phones next to a phone word, as
// 5, 6 and 9 numbers are; other 4x and 8x numbers are not (81-83 are personal numbers).
import { describe, expect, it } from 'vitest';
import { detect } from '../lib/domain/detect/detect.ts';

const found = (text: string) => detect(text).map((d) => [d.type, d.raw, d.value]);

describe('Hong Kong mobile blocks opened from 2018', () => {
  it.each([
    ['Mobile: 4612 3456', '4612 3456', '+85246123456'],
    ['手機：46123456', '46123456', '+85246123456'],
    ['call me on 4412-3456', '4412-3456', '+85244123456'],
    ['WhatsApp 4712 3456', '4712 3456', '+85247123456'],
    ['Tel 8412 3456', '8412 3456', '+85284123456'],
    ['4612 3456 (手機)', '4612 3456', '+85246123456'],
    ['+852 4612 3456', '+852 4612 3456', '+85246123456'],
    ['852 4612 3456', '852 4612 3456', '+85246123456'],
    ['852-8412-3456', '852-8412-3456', '+85284123456'],
  ])('finds %j', (text, raw, value) => {
    expect(found(text)).toEqual([['hk_phone', raw, value]]);
  });

  it('reads them in a list after a phone word, and beside the classic ranges', () => {
    expect(found('Tel: 9123 4567 / 4612 3456')).toEqual([
      ['hk_phone', '9123 4567', '+85291234567'],
      ['hk_phone', '4612 3456', '+85246123456'],
    ]);
    expect(found('電話 8412 3456、6123 4567')).toEqual([
      ['hk_phone', '8412 3456', '+85284123456'],
      ['hk_phone', '6123 4567', '+85261234567'],
    ]);
  });

  // after a bare `852` written together, only the classic ranges: `85244123456` is as often a record's number
  it.each(['Tel 4012 3456', 'call me 8123 4567', 'Mobile: 4512 3456', 'phone 8812 3456', '852 4012 3456', '852 8123 4567', '85246123456', 'Order 46123456', 'Mobile 4612 3456 7890'])(
    'finds no phone in %j',
    (text) => {
      expect(found(text)).toEqual([]);
    },
  );
});
