// What the words around a number say it is: a PRC ID in groups of four is no card, `HKIC`
// names an HKID, an order's or product's label makes a code no HKID, and a currency, a
// decimal part or a unit of bytes makes a phone-shaped number an amount.
import { describe, expect, it } from 'vitest';
import { detect } from '../lib/domain/detect/detect.ts';

const found = (text: string) => detect(text).map((d) => [d.type, d.raw]);

describe('a PRC ID in groups of four', () => {
  it('is the ID, never a card, when its province, date and check digit are right', () => {
    expect(found('身份证 6201 0219 8506 1512 02')).toEqual([['cn_resident_id', '6201 0219 8506 1512 02']]);
    expect(found('身份证 4403 0119 8506 1512 38')).toEqual([['cn_resident_id', '4403 0119 8506 1512 38']]);
    expect(detect('6201 0219 8506 1512 02')[0]?.value).toBe('620102198506151202');
  });

  it('is nothing when its check digit is wrong (a mistyped ID is no card either)', () => {
    expect(found('身份证 6201 0219 8506 1512 03')).toEqual([]);
  });

  it('leaves a card with a CVV after it a card', () => {
    expect(found('4111 1111 1111 1111 123')).toEqual([['payment_card', '4111 1111 1111 1111']]);
  });
});

describe('HKIC and Hong Kong ID as HKID words', () => {
  it.each([
    ['HKIC: K234567-6', 'K234567-6'],
    ['H.K.I.C. K234567-6', 'K234567-6'],
    ['Hong Kong ID: K234567-6', 'K234567-6'],
    ['HKIC no. CA 182361 (1)', 'CA 182361 (1)'],
  ])('finds the HKID in %j', (text, raw) => {
    expect(found(text)).toEqual([['hk_id', raw]]);
  });

  it('still wants one for the hyphen form', () => {
    expect(found('Ref K234567-6')).toEqual([]);
  });
});

describe("an order's or product's label", () => {
  it.each(['SKU: P2030407', 'Order SO1234567', 'Invoice S1234562', 'Order no. A123456(3)', 'Item #: A123456(3)', '訂單編號：A1234563', '貨號 A123456(3)'])(
    'makes %j no HKID',
    (text) => {
      expect(found(text)).toEqual([]);
    },
  );

  it.each([
    ['A123456(3)', 'A123456(3)'],
    ['Customer A123456(3) placed the order', 'A123456(3)'],
    ['Order for HKID A123456(3)', 'A123456(3)'],
    ['訂單客戶身份證 A123456(3)', 'A123456(3)'],
    ['port A123456(3)', 'A123456(3)'],
  ])('leaves %j an HKID', (text, raw) => {
    expect(found(text)).toEqual([['hk_id', raw]]);
  });
});

describe('amounts and sizes', () => {
  it.each(['Phone bill HK$ 51234567', '手機費 $91234567', 'Phone bill: 91234567.50', 'Mobile data usage 51234567 bytes', 'backup.tar 16106127360 bytes', 'Amount: 13912345678.50', 'tel 13812345678 GiB', 'Mobile RMB 13912345678'])(
    'finds no phone in %j',
    (text) => {
      expect(found(text)).toEqual([]);
    },
  );

  it.each([
    ['Tel: 91234567.', 'hk_phone', '91234567'],
    ['電話 13812345678。', 'cn_phone', '13812345678'],
    ['call 13812345678 B座', 'cn_phone', '13812345678'],
    ['Mobile: 9123 4567, thanks', 'hk_phone', '9123 4567'],
  ])('still finds the phone in %j', (text, type, raw) => {
    expect(found(text)).toEqual([[type, raw]]);
  });
});
