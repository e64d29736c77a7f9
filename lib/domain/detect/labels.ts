// What a label right before a number says it is, when it says the number is a thing's
// code rather than a person's identifier: an order's, a product's, an account's, a
// reference's. detect.ts asks it of each HKID, card and bare Hong Kong number it is about
// to report (one code in eleven of the shape `A1234567` passes the HKID check digit, one
// number in ten a card's Luhn check):
//   `SKU: P2030407`, `Order SO1234567`, `訂單編號：A1234563` are no HKIDs;
//   `Order no: 4000123456789017`, `Tracking number 6011 0009 9013 9424` no cards;
//   `Invoice 23456789 (手機)`, `a/c 9123 4567 (contact Amy)` no phones, though a phone word
//   follows them (a member's number with one, `Member: 91234567 (mobile)`, still is, and so
//   is an order's or a booking's: `Booking: 2345 6789 (Tel)` is the number to book by).
// Pure. The label is read backwards from the number, word by word, over a label's marks
// (spaces, `:`, `.`, `#`, `no`, `number`, `code`, `id`, 號碼, 號): a regex anchored at the
// end of the text before the number cost about 2 µs a number, as much as the rest of
// what detect() does with one.

/**
 * What a label says the number after it is: a thing's code (an invoice, a product, a
 * tracking number), an order's or a booking's (which a phone may also be for: `Booking: 2345
 * 6789 (Tel)`), an account's, a reference's.
 */
export type LabelKind = 'thing' | 'order' | 'account' | 'reference';

/** English label words (whole words, either case), by kind. */
const EN_LABELS = new Map<string, LabelKind>([
  // not `po` (a purchase order's): Po is a given name (`CHAN Siu Po A123456(3)`)
  ...['sku', 'invoice', 'invoices', 'inv', 'item', 'items', 'product', 'products', 'part', 'model', 'tracking', 'waybill', 'receipt', 'batch', 'lot', 'serial'].map(
    (w): [string, LabelKind] => [w, 'thing'],
  ),
  ...['order', 'orders', 'booking', 'ticket'].map((w): [string, LabelKind] => [w, 'order']),
  ...['account', 'acct', 'policy'].map((w): [string, LabelKind] => [w, 'account']),
  ...['ref', 'reference'].map((w): [string, LabelKind] => [w, 'reference']),
]);
/** Chinese label words (two characters, anywhere), by kind. */
const CJK_LABELS = new Map<string, LabelKind>([
  ...['單號', '单号', '貨號', '货号', '編號', '编号', '發票', '发票', '產品', '产品', '型號', '型号', '批號', '批号', '序號', '序号'].map((w): [string, LabelKind] => [w, 'thing']),
  ...['訂單', '订单'].map((w): [string, LabelKind] => [w, 'order']),
  ...['帳號', '賬號', '账号', '戶口', '户口', '保單', '保单'].map((w): [string, LabelKind] => [w, 'account']),
]);
/** The last characters of the Chinese label words and marks: a character before a number that is none of them starts no label. */
const CJK_LAST: ReadonlySet<number> = new Set([...CJK_LABELS.keys(), '號碼', '号码'].map((w) => w.charCodeAt(w.length - 1)));
/** English words of a label's marks, between the label and its number (`Order no.`, `SKU code`, `Item ID`). */
const EN_MARKS = new Set(['no', 'number', 'code', 'id']);

/** How far before a number its label may start (characters, same line). */
const LABEL_WINDOW = 24;

const isAsciiLetter = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
/** A label's punctuation and spaces: space, tab, `:`, `：`, `.`, `#`, `＃`. */
const isMarkChar = (c: number): boolean => c === 32 || c === 9 || c === 58 || c === 0xff1a || c === 46 || c === 35 || c === 0xff03;

/**
 * The kind of label that stands right before text[start] on its line (within
 * LABEL_WINDOW characters), with only a label's marks between; undefined when none.
 */
export function labelBefore(text: string, start: number): LabelKind | undefined {
  const from = Math.max(0, start - LABEL_WINDOW);
  let i = start;
  for (;;) {
    while (i > from && isMarkChar(text.charCodeAt(i - 1))) i--;
    if (i <= from) return undefined;
    let j = i;
    while (j > from && isAsciiLetter(text.charCodeAt(j - 1))) j--;
    if (j < i) {
      // no label word is shorter than two letters or longer than nine (but `c` of `a/c`)
      if (i - j > 9 || (i - j === 1 && text.charCodeAt(j) !== 99 && text.charCodeAt(j) !== 67)) return undefined;
      if (j === from && from > 0 && isAsciiLetter(text.charCodeAt(j - 1))) return undefined; // a word longer than the window
      const word = text.slice(j, i).toLowerCase();
      if (EN_MARKS.has(word)) {
        i = j;
        continue;
      }
      // `a/c`: an account's
      if (word === 'c' && text.charCodeAt(j - 1) === 47 && (text.charCodeAt(j - 2) | 32) === 97 && !isAsciiLetter(text.charCodeAt(j - 3))) return 'account';
      return EN_LABELS.get(word);
    }
    if (!CJK_LAST.has(text.charCodeAt(i - 1))) return undefined;
    const two = text.slice(i - 2, i);
    const kind = CJK_LABELS.get(two);
    if (kind !== undefined) return kind;
    if (two === '號碼' || two === '号码') i -= 2;
    else if (two.endsWith('號') || two.endsWith('号')) i -= 1;
    else return undefined;
  }
}
