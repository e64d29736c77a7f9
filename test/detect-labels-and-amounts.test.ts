// What the words around a number say it is: a PRC ID in groups of four is no card, `HKIC`
// names an HKID, an order's or product's label makes a code no HKID or card, an account's
// makes a number no phone, a currency, a decimal part or a unit of bytes makes a
// phone-shaped number an amount, and a monitoring log's health check is a system's.
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
    ['Applicant: CHAN Siu Po A123456(3)', 'A123456(3)'], // Po is a given name, not a purchase order
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
    ['Mobile: 91234567.0', 'hk_phone', '91234567'], // a whole number as pandas writes one in a column with blanks
    ['手機 13912345678.0', 'cn_phone', '13912345678'],
  ])('still finds the phone in %j', (text, type, raw) => {
    expect(found(text)).toEqual([[type, raw]]);
  });
});

describe('phone words people write', () => {
  it.each([
    ['FPS: 9123 4567', '9123 4567'],
    ['轉數快 9123 4567', '9123 4567'],
  ])('finds the number after %j', (text, raw) => {
    expect(found(text)).toEqual([['hk_phone', raw]]);
  });

});

describe('a written +852 or +86 with dots between its groups', () => {
  it.each([
    ['+852.9123.4567', 'hk_phone', '+85291234567'],
    ['(852).9123.4567', 'hk_phone', '+85291234567'],
    ['+86.138.1234.5678', 'cn_phone', '+8613812345678'],
  ])('finds %j', (text, type, value) => {
    expect(detect(text).map((d) => [d.type, d.raw, d.value])).toEqual([[type, text, value]]);
  });
});

describe("an order's or a thing's label before a card-shaped number", () => {
  it.each(['Order no: 4000123456789017', 'Tracking number 6011 0009 9013 9424', '淘宝订单号 4123456789012345677'])('makes %j no card', (text) => {
    expect(found(text)).toEqual([]);
  });

  it('leaves a card after a card word, or a reference or account label, or with a card word near its label, a card', () => {
    expect(found('Order paid by card 4111 1111 1111 1111')).toEqual([['payment_card', '4111 1111 1111 1111']]);
    expect(found('Visa card for booking 4111 1111 1111 1111')).toEqual([['payment_card', '4111 1111 1111 1111']]);
    expect(found('Card used for order: 4111111111111111')).toEqual([['payment_card', '4111111111111111']]);
    expect(found('Cardholder: LEE KA PO 4111 1111 1111 1111 exp 12/27')).toEqual([['payment_card', '4111 1111 1111 1111']]);
    expect(found('ref 4111111111111111')).toEqual([['payment_card', '4111111111111111']]);
    expect(found('Account: 4111 1111 1111 1111')).toEqual([['payment_card', '4111 1111 1111 1111']]);
  });
});

describe("a thing's or an account's label before a number with a phone word after it", () => {
  it.each(['Invoice 23456789 (手機)', '戶口 91234567 (電話查詢)', 'Transfer to a/c 9123 4567 (contact Amy for details)', 'Invoice 85291234567'])('makes %j no phone', (text) => {
    expect(found(text)).toEqual([]);
  });

  it("leaves a member's, an order's or a booking's number with its phone word, and a phone word's own label, a phone", () => {
    expect(found('Member: 91234567 (mobile)')).toEqual([['hk_phone', '91234567']]);
    expect(found('Booking: 2345 6789 (Tel)')).toEqual([['hk_phone', '2345 6789']]);
    expect(found('Order: 9123 4567 (WhatsApp)')).toEqual([['hk_phone', '9123 4567']]);
    expect(found('Mobile no. 9876 5432')).toEqual([['hk_phone', '9876 5432']]);
    expect(found('Account manager Tel: 9123 4567')).toEqual([['hk_phone', '9123 4567']]);
  });
});

describe("a system's health check", () => {
  it.each(['2026-11-30 10:00:02 WARN health check failed for db-1', '2026-11-30 [ERROR] health check failed', 'ELB health check passed', 'server health checks: ok', 'health check endpoint /healthz', 'readiness health check timed out'])(
    'is no health topic in %j',
    (text) => {
      expect(found(text)).toEqual([]);
    },
  );

  it.each([
    'Staff annual health check on Monday',
    'Please book your health check',
    'the health check results were normal',
    '我下星期做 health check',
    'Pre-employment health check: failed',
    'Chan Tai Man health check failed, refer to doctor',
    'Annual health check status: pending',
  ])('a person\'s is, in %j', (text) => {
    expect(found(text).map(([type]) => type)).toEqual(['health']);
  });
});

describe('what the new words and ranges leave alone', () => {
  it.each(['Order 85284123456 shipped', 'txn 85244123456', '已回電郵確認 23456789'])('finds no phone in %j', (text) => {
    expect(found(text)).toEqual([]);
  });
});
