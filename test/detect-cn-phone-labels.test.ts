// A mainland mobile number's shape (eleven digits from 13 to 19) that a label names is
// that thing's number, as a Hong Kong number so labelled is: an order's, an invoice's, a
// tracking number, a member number, an account's, a reference. With a phone word, or a
// written +86, it is still a phone.
import { describe, expect, it } from 'vitest';
import { detect } from '../lib/domain/detect/detect.ts';

const found = (text: string) => detect(text).map((d) => [d.type, d.raw]);

describe('a mainland mobile shape after a label', () => {
  it('is no phone when an order, invoice, tracking, member, account or reference label names it', () => {
    for (const text of [
      'Order No.: 13912345678',
      'Invoice 15012345678',
      'Tracking no: 17012345678',
      '會員編號 13812345678',
      '訂單 13812345678',
      'a/c 13812345678',
      'ref 13912345678',
      'Order No.: 139 1234 5678',
      '發票 139-1234-5678',
    ]) {
      expect(found(text), text).toEqual([]);
    }
  });

  it('is still a phone after a phone word, with a written +86, or with nothing before it', () => {
    const phones: [string, string][] = [
      ['Tel: 13912345678', '13912345678'],
      ['手機 13912345678', '13912345678'],
      ['call 139 1234 5678', '139 1234 5678'],
      ['+86 13912345678', '+86 13912345678'],
      ['客戶 13912345678 已確認', '13912345678'],
      ['Order 123 shipped, contact 13912345678', '13912345678'],
    ];
    for (const [text, raw] of phones) expect(found(text), text).toEqual([['cn_phone', raw]]);
  });
});
