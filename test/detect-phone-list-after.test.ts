// A list of bare Hong Kong numbers with the phone word after the last one
// (identifier-pattern.ts, LIST_CONTEXT_AHEAD): `9123 4567 / 6123 4567 (手機)`. Each number
// of the list is a phone, by the rules of a list after a phone word: joiners only, at most
// LIST_MAX numbers after the one, on one line.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sourceReaders } from '../lib/adapters/sources/source-reader.ts';
import { scanPaths } from '../lib/usecases/scan/scan-files.ts';
import { phones } from './support/phones.ts';
import { tempDir } from './support/temp-dir.ts';


describe('a list of numbers before one phone word', () => {
  it('makes each number of the list a phone, whatever joins them: / , ; 、 or 或', () => {
    expect(phones('9123 4567 / 6123 4567 (手機)')).toEqual(['9123 4567', '6123 4567']);
    expect(phones('9123 4567、6123 4567 係我手機')).toEqual(['9123 4567', '6123 4567']);
    expect(phones('91234567/61234567 mobile')).toEqual(['91234567', '61234567']);
    expect(phones('9123-4567; 6123-4567 (WhatsApp)')).toEqual(['9123-4567', '6123-4567']);
    expect(phones('9123 4567 or 6123 4567 is my mobile')).toEqual(['9123 4567', '6123 4567']);
    expect(phones('2345 6789，9123 4567 或 6123 4567（手提）')).toEqual(['2345 6789', '9123 4567', '6123 4567']);
    expect(phones('有事 9123 4567 / 6123 4567 是我的手机')).toEqual(['9123 4567', '6123 4567']);
    // a number of the list with a prefix (found anyway) carries it on
    expect(phones('9123 4567 / +852 6123 4567 (手機)')).toEqual(['9123 4567', '+852 6123 4567']);
    // full-width, as a Chinese input mode types it
    expect(phones('９１２３ ４５６７／６１２３ ４５６７（手機）')).toEqual(['９１２３ ４５６７', '６１２３ ４５６７']);
  });

  it('reaches as far back as a phone word before reaches forward: four numbers before the last', () => {
    expect(phones('9123 4567 / 6123 4567 / 5123 4567 / 2123 4567 / 3123 4567 / 7123 4567 (手機)')).toEqual([
      '6123 4567',
      '5123 4567',
      '2123 4567',
      '3123 4567',
      '7123 4567',
    ]);
  });

  it('stops at anything else between the numbers, a line end, or punctuation before the phone word', () => {
    expect(phones('9123 4567 / ref 6123 4567 (手機)')).toEqual(['6123 4567']);
    expect(phones('9123 4567 and 6123 4567 (mobile)')).toEqual(['6123 4567']);
    expect(phones('9123 4567 / 6123 4567 units (手機)')).toEqual([]);
    expect(phones('9123 4567 / 6123 4567。手機')).toEqual([]);
    expect(phones('9123 4567 /\n6123 4567 (手機)')).toEqual(['6123 4567']);
    expect(phones('9123 4567\n6123 4567 (手機)')).toEqual(['6123 4567']);
    // the phone word of the next item does not count (as for one number)
    expect(phones('23456789，手機 9123 4567')).toEqual(['9123 4567']);
    expect(phones('23456789 / 33456789, 手機 9123 4567')).toEqual(['9123 4567']);
    // no phone word: no list
    expect(phones('9123 4567 / 6123 4567 (office)')).toEqual([]);
  });

  it("leaves the list's first number when an order, reference or invoice word labels it", () => {
    expect(phones('訂單 23456789、91234567 係我手機')).toEqual(['91234567']);
    expect(phones('Order no.: 23456789, 91234567 (mobile)')).toEqual(['91234567']);
    expect(phones('INVOICE 23456789 / 91234567 (mobile)')).toEqual(['91234567']);
    // a word that is no such label does not
    expect(phones('我嘅 9123 4567 / 6123 4567 (手機)')).toEqual(['9123 4567', '6123 4567']);
  });

  const dir = tempDir('detect-phone-list-after-');

  it("does not take a phone word from the next cell of a table, nor a list across cells", async () => {
    const file = path.join(dir, 'cells.csv');
    writeFileSync(file, 'a,b,c\n9123 4567 / 6123 4567,手機,x\n9123 4567,6123 4567 (手機),y\n');
    const result = await scanPaths(sourceReaders(), [file]);
    expect(result.findings.map((f) => `${f.type} ${f.row}[${f.column}] ${f.masked}`)).toEqual(['hk_phone 2[b] +852 ****4567']);
  });
});

describe('a number with a phone word right after it', () => {
  it('is no phone when an order, invoice or member word labels it: the phone word is the next number’s label', () => {
    expect(phones('訂單 23456789 電話 91234567')).toEqual(['91234567']);
    expect(phones('Invoice No. 23456789 Tel: 2123 4567')).toEqual(['2123 4567']);
    expect(phones('會員編號 56781234 手機 61234567')).toEqual(['61234567']);
    // a labelled number whose phone word labels nothing after it is one (`ref ... (手機)` says so)
    expect(phones('Member: 91234567 (mobile)')).toEqual(['91234567']);
    // a word that labels the person, not the number, or stands further off, labels nothing
    expect(phones('會員陳大文 91234567 (手機)')).toEqual(['91234567']);
    expect(phones('保單持有人 91234567 手機')).toEqual(['91234567']);
    expect(phones('個案社工 9123 4567 (手機)')).toEqual(['9123 4567']);
    expect(phones('Any time, no rush 91234567 (mobile)')).toEqual(['91234567']);
    expect(phones('會員李小姐 9123 4567 / 6123 4567 (手機)')).toEqual(['9123 4567', '6123 4567']);
    // with no such word, the number the phone word follows still is one
    expect(phones('陳生 9123 4567 (手機)')).toEqual(['9123 4567']);
    expect(phones('請打 9123 4567 係我手機')).toEqual(['9123 4567']);
  });
});
