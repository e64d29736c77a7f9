// A table column or JSON key named for cards stands for the card word a 13-digit card
// number needs (records.ts; cardContext in detect.ts): `卡號`, `card_no`, `Credit Card`,
// `cardNumber`, `CC`. A 13-digit, Luhn-valid number of a 13-digit brand (Visa of old,
// Maestro) starting such a cell or JSON string is a payment_card; an `ean`, `barcode` or
// `sku` column of the same numbers stays clean, as does text without a card word.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import writeXlsxFile from 'write-excel-file/node';
import { sourceReaders } from '../lib/adapters/sources/source-reader.ts';
import { cardValid } from '../lib/domain/detect/check-digits.ts';
import { detect } from '../lib/domain/detect/detect.ts';
import { isCardName } from '../lib/domain/detect/records.ts';
import { scanPaths } from '../lib/usecases/scan/scan-files.ts';
import { tempDir } from './support/temp-dir.ts';

// 13 digits, Luhn-valid: a Visa, two Maestros; and one that fails Luhn
const VISA13 = '4222222222222';
const MAESTRO13 = '6759123456787';
const MAESTRO13B = '5018123456789';
const BAD = '4222222222223';

describe('card column names', () => {
  it('takes card words as the text does (English whole words, camelCase as words, 卡 and 咭 anywhere) and CC, PAN, CARDNO as the whole name', () => {
    for (const name of ['card_no', 'Card No.', 'Credit Card', 'CREDIT_CARD_NUMBER', 'creditcard', 'cardNumber', 'CardNo', 'CC', 'cc#', 'CC No', 'PAN', 'Visa', 'maestro_no', '卡號', '信用卡', '信用咭號碼', '银行卡号', 'ＣＡＲＤ']) {
      expect(isCardName(name), name).toBe(true);
    }
  });

  it('does not take a barcode, a product code, a card\'s other fields or a ledger\'s amounts', () => {
    for (const name of ['ean', 'EAN13', 'barcode', 'sku', 'upc', 'cardinality', 'discard', 'scorecard', 'cvv', 'expiry', 'exp', 'credit', 'debit', 'accident', 'ccy', 'pancake', 'phone', '條碼']) {
      expect(isCardName(name), name).toBe(false);
    }
  });
});

describe('13-digit card numbers in a card column or under a card key', () => {
  it('uses Luhn-valid 13-digit numbers of a 13-digit brand (the test data)', () => {
    for (const n of [VISA13, MAESTRO13, MAESTRO13B]) expect(cardValid(n), n).toBe(true);
    expect(cardValid(BAD)).toBe(false);
    // text without a card word: no card (13 digits is an EAN-13 barcode's length)
    expect(detect(`${VISA13} ${MAESTRO13}`)).toEqual([]);
  });

  const dir = tempDir('detect-card-columns-');
  async function scanned(name: string, content: string | (() => Promise<unknown>)): Promise<string[]> {
    const file = path.join(dir, name);
    if (typeof content === 'string') writeFileSync(file, content);
    else await content();
    const result = await scanPaths(sourceReaders(), [file]);
    return result.findings.map((f) => `${f.type} ${f.row ?? ''}${f.column !== undefined ? `[${f.column}]` : ''}${f.pointer ?? ''} ${f.masked}`);
  }

  it('finds the number starting a cell of a column named for cards, compact or 4-4-4-1, and behind Excel\'s text marks', async () => {
    const csv = [
      'card_no,ean,Credit Card,卡號,cardNumber,CC',
      `${VISA13},${VISA13},4222 2222 2222 2,'${MAESTRO13},="${MAESTRO13B}",${VISA13} (old card)`,
      `${BAD},x,4222-2222-2222-2,  ${VISA13},12 ${VISA13},="${VISA13}`,
    ].join('\n');
    expect(await scanned('cards.csv', csv + '\n')).toEqual([
      'payment_card 1[card_no] 4222 **** * 2222',
      'payment_card 1[Credit Card] 4222 **** * 2222',
      'payment_card 1[卡號] 6759 **** * 6787',
      'payment_card 1[cardNumber] 5018 **** * 6789',
      'payment_card 1[CC] 4222 **** * 2222',
      // row 2: Luhn fails; not at the cell's start; `="...` never closed is not Excel's mark
      'payment_card 2[Credit Card] 4222 **** * 2222',
      'payment_card 2[卡號] 4222 **** * 2222',
    ]);
  });

  it('leaves ean, barcode and sku columns of the same numbers clean, and numbers of other lengths or ranges in a card column as detect() has them', async () => {
    const csv = ['ean,barcode,sku,Product Code,card_no', `${VISA13},${MAESTRO13},${VISA13},${VISA13},4111111111111111`, `${VISA13},${VISA13},${VISA13},${VISA13},3000000000007`, `x,x,x,x,42222222222226`].join('\n');
    // 3000000000007: 13 digits, Luhn-valid, but of no brand's range at 13 digits; 42222222222226: 14 digits, of no brand's length
    expect(await scanned('products.csv', csv + '\n')).toEqual(['payment_card 1[card_no] 4111 **** **** 1111']);
  });

  it('finds it under a JSON card key (a string or a number, or an array of them), not under an ean key', async () => {
    const json = `{"card_no": "${VISA13}", "ean": "${VISA13}", "cards": ["${MAESTRO13}", ${VISA13}], "卡號": "4222 2222 2222 2", "barcode": ${VISA13}, "note": "${VISA13}"}`;
    expect(await scanned('cards.json', json)).toEqual([
      'payment_card /card_no 4222 **** * 2222',
      'payment_card /cards/0 6759 **** * 6787',
      'payment_card /cards/1 4222 **** * 2222',
      'payment_card /卡號 4222 **** * 2222',
    ]);
  });

  it('finds it in a TSV and an XLSX card column', async () => {
    expect(await scanned('cards.tsv', `name\tCredit Card\tEAN\nA\t${VISA13}\t${VISA13}\n`)).toEqual(['payment_card 1[Credit Card] 4222 **** * 2222']);
    const xlsx = () =>
      writeXlsxFile([
        [{ value: '姓名' }, { value: '信用卡號碼' }, { value: '條碼' }],
        [{ value: '陳生' }, { value: VISA13 }, { value: VISA13 }],
      ]).toFile(path.join(dir, 'cards.xlsx'));
    expect(await scanned('cards.xlsx', xlsx)).toEqual([expect.stringMatching(/^payment_card \d+\[信用卡號碼\] 4222 \*{4} \* 2222$/)]);
  });
});
