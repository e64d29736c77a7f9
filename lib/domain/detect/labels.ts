// What a label right before a number says it is, when it says the number is a code
// rather than a person's identifier: an order's, a product's, a claim's, a business
// registration's (`BR No.`, 商業登記), an account's, a reference's, a staff member's. detect.ts asks it of each HKID, card and bare Hong Kong
// number it is about to report (one code in eleven of the shape `A1234567` passes the
// HKID check digit, one number in ten a card's Luhn check), and records.ts of a column's
// name or a JSON key, the label of each value under it:
//   `SKU: P2030407`, `Order SO1234567`, `訂單編號：A1234563`, `Staff ID E1023458`, `PO
//   PO2026113` are no HKIDs;
//   `Order no: 4000123456789017`, `Transaction ID: 4000123456789017`, `Policy No. ...` no
//   cards;
//   `Invoice 23456789 (手機)`, `a/c 9123 4567 (contact Amy)`, `Phone repair job 91234567`,
//   `工號 61234567 手機 9123 4500`, `BR No.: 61234567 (Tel: 2877 1234)` no phones, though a phone word is near them (a member's number with one, `Member:
//   91234567 (mobile)`, still is, and so is an order's or a booking's: `Booking: 2345 6789
//   (Tel)` is the number to book by).
// Pure. The label is read backwards from the number, word by word, over a label's marks
// (spaces, `:`, `.`, `#`, `no`, `number`, `code`, `id`, 號碼, 號): a regex anchored at the
// end of the text before the number cost about 2 µs a number, as much as the rest of
// what detect() does with one.

/**
 * What a label says the number after it is: a thing's code (an invoice, a product, a
 * tracking number, a policy, a job, a claim, a business registration, a staff member's
 * number), an order's, a booking's or a transaction's (which a phone may also be for:
 * `Booking: 2345 6789 (Tel)`), an account's (whose card is its number), or a reference's (a
 * code a phone or a card may be: `ref 4111111111111111` is the card paid with; but no HKID).
 */
export type LabelKind = 'thing' | 'order' | 'account' | 'reference';

/** English label words (whole words, either case), by kind. */
const EN_LABELS = new Map<string, LabelKind>([
  // `po` (a purchase order's) only as isPoLabel says: Po is a given name (`CHAN Siu Po A123456(3)`)
  ...[
    'sku', 'invoice', 'invoices', 'inv', 'item', 'items', 'product', 'products', 'part', 'model', 'tracking', 'waybill', 'receipt', 'batch', 'lot', 'serial',
    'policy', 'cheque', 'parcel', 'job', 'build', 'licence', 'license', 'claim', 'br',
    // a staff member's number (STAFF_WORDS), a code that is no phone, no card and no HKID
    'staff', 'employee', 'emp',
  ].map((w): [string, LabelKind] => [w, 'thing']),
  ...['order', 'orders', 'booking', 'ticket', 'transaction', 'txn'].map((w): [string, LabelKind] => [w, 'order']),
  ...['account', 'acct'].map((w): [string, LabelKind] => [w, 'account']),
  ...['ref', 'reference'].map((w): [string, LabelKind] => [w, 'reference']),
]);
/** A reference's words: the label before one says whose it is (`Txn Ref`, `Order ref`, `FPS reference`: a transfer's). */
const REF_WORDS = new Set(['ref', 'reference']);
/**
 * Words that label a staff member's code only with an ID's mark word or `#` after them
 * (`Staff ID`, `Employee No.`, `Staff #`): `Staff A1234563`, `Staff: ...` may be followed by
 * the member's HKID.
 */
const STAFF_WORDS = new Set(['staff', 'employee', 'emp']);
/** Chinese label words (two characters, anywhere), by kind. */
const CJK_LABELS = new Map<string, LabelKind>([
  ...['單號', '单号', '貨號', '货号', '編號', '编号', '發票', '发票', '產品', '产品', '型號', '型号', '批號', '批号', '序號', '序号', '保單', '保单', '修單', '修单', '工號', '工号', '登記', '登记', '員工', '员工'].map(
    (w): [string, LabelKind] => [w, 'thing'],
  ),
  ...['訂單', '订单'].map((w): [string, LabelKind] => [w, 'order']),
  ...['帳號', '賬號', '账号', '戶口', '户口', '帳戶', '賬戶', '账户'].map((w): [string, LabelKind] => [w, 'account']),
]);
/**
 * Chinese label words that label a number only with a number's mark after them (號碼, 號):
 * 登記 is also "registered", and 員工 (staff) may be followed by the member's HKID.
 */
const NUMBER_MARKED: ReadonlySet<string> = new Set(['登記', '登记', '員工', '员工']);
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
 * Whether `po` at text[j, i), before a number at `start`, is a purchase order's label: `PO`
 * in capitals, with a mark other than a space after it (`PO:`, `PO#`, `PO no.`) or before a
 * code that repeats it (`PO PO2026113`); not Po the given name, `CHAN SIU PO A123456(3)`.
 */
const isPoLabel = (text: string, j: number, i: number, start: number): boolean =>
  text.startsWith('PO', j) && (text.startsWith('PO', start) || /[^ \t]/.test(text.slice(i, start)));

/**
 * The kind of label that stands right before text[start] on its line (within
 * LABEL_WINDOW characters), with only a label's marks between; undefined when none.
 */
export const labelBefore = (text: string, start: number): LabelKind | undefined => labelAt(text, start, false);

/** labelBefore(), or (`ofRef`) the label of a reference's word ending at `start` (REF_WORDS), or FPS's. */
function labelAt(text: string, start: number, ofRef: boolean): LabelKind | undefined {
  const from = Math.max(0, start - LABEL_WINDOW);
  let i = start;
  let numberMarked = false; // 號碼 or 號 read between the label and the number
  for (;;) {
    while (i > from && isMarkChar(text.charCodeAt(i - 1))) i--;
    if (i <= from) return undefined;
    let j = i;
    while (j > from && isAsciiLetter(text.charCodeAt(j - 1))) j--;
    if (j < i) {
      // no label word is shorter than two letters or longer than eleven (but `c` of `a/c`)
      if (i - j > 11 || (i - j === 1 && text.charCodeAt(j) !== 99 && text.charCodeAt(j) !== 67)) return undefined;
      if (j === from && from > 0 && isAsciiLetter(text.charCodeAt(j - 1))) return undefined; // a word longer than the window
      const word = text.slice(j, i).toLowerCase();
      if (EN_MARKS.has(word)) {
        i = j;
        continue;
      }
      // `a/c`: an account's
      if (word === 'c' && text.charCodeAt(j - 1) === 47 && (text.charCodeAt(j - 2) | 32) === 97 && !isAsciiLetter(text.charCodeAt(j - 3))) return 'account';
      if (word === 'po') return isPoLabel(text, j, i, start) ? 'order' : undefined;
      if (REF_WORDS.has(word)) return ofRef ? 'reference' : (labelAt(text, j, true) ?? 'reference');
      if (ofRef && word === 'fps') return 'order';
      if (STAFF_WORDS.has(word) && !/[A-Za-z#＃]/.test(text.slice(i, start))) return undefined;
      return EN_LABELS.get(word);
    }
    if (!CJK_LAST.has(text.charCodeAt(i - 1))) return undefined;
    const two = text.slice(i - 2, i);
    const kind = CJK_LABELS.get(two);
    // 登記 (registered) labels only with its number's mark, 商業登記號碼: `已登記. 1578...` is a sentence's end
    if (kind !== undefined && (!NUMBER_MARKED.has(two) || numberMarked)) return kind;
    if (two === '號碼' || two === '号码') i -= 2;
    else if (two.endsWith('號') || two.endsWith('号')) i -= 1;
    else return undefined;
    numberMarked = true;
  }
}
