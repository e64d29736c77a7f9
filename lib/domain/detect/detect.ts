// Detectors for personal and regulated data in mixed English / Chinese text.
//
// Pure: no I/O, no clock. `detect(text)` returns every finding, sorted by start,
// without overlaps. Offsets are JavaScript string indices (UTF-16 code units), end
// exclusive, so `text.slice(start, end) === raw`.
//
// How it stays fast (one core; see the figures in the issue note): the text is walked
// once by a small WebAssembly kernel (candidates.ts), which lists the positions where a
// regex below could match, and JS runs only there:
//   1. the identifier regex (HKID, IBAN, PRC ID, cards, phones), sticky, at each
//      candidate. Its shapes are as tight as a regex can make them (scheme prefixes and
//      lengths, IBAN country codes, the phone-word context), so nearly every match is a
//      finding; JS then verifies check digits, dates and IBANs. See ID_RE
//      (identifier-pattern.ts).
//   2. `indexOf('@')` for e-mail, expanding left with a short loop and right with a
//      sticky regex;
//   3. the keyword regexes for the health / payroll topics (one for English, one for
//      Chinese), sticky, at each candidate.
// Aho-Corasick (`modern-ahocorasick`, which the issue suggests) was measured and not
// used: it is grapheme-aware and walks the text in JS, about 7 MB/s on the benchmark
// text.
//
// Rules and the choices made where the issue leaves room:
// - Identifiers are never part of a longer alphanumeric run: the character before and
//   after must not be an ASCII letter or digit, nor a hyphen joining one (CJK
//   characters, punctuation, spaces and line ends are all fine, so
//   `客戶身份證A123456(3)已核實` is found, while a tracking number like
//   `SF4111111111111111`, a hex hash or `ORD-20261122-37121867` is not). Grouped numbers
//   (`4111 1111 1111 1111`) must also not be preceded by a digit and a separator, nor
//   continue with the same separator and four more digits (for cards, see below). Nothing
//   ending right before `@` is a number finding (that is the local part of an e-mail such
//   as `13812345678@163.com`, found as an e-mail instead). Full-width digits, letters
//   and `＋－．＠` (`９１２３ ４５６７`, `Ａ１２３４５６（３）`, typed in a Chinese input
//   method's full-width mode) are read as their ASCII forms: a text holding one is scanned
//   as its ASCII reading (readAs, which writes full-width punctuation in ASCII too: `ＨＫ＄`,
//   `：`, `／`, `＃`, `＿`; one code unit each, so offsets are the same), and each
//   finding keeps its raw as written, while its value, and so its mask and hash, are those
//   of the ASCII writing (the same person, the same hash). The kernel lists where they are.
// - Separators: wherever a space may stand between groups (or before an HKID's bracket),
//   so may the no-break, figure, thin, narrow no-break and ideographic spaces (U+00A0,
//   U+2007, U+2009, U+202F, U+3000), which text copied from Word, Outlook and web pages
//   has; wherever a hyphen may (and where one joins a token to the next), so may U+2010
//   to U+2013 (hyphen, non-breaking hyphen, figure dash, en dash). SPACE and HYPHEN in
//   identifier-pattern.ts; spaces of different kinds count as one kind. `raw` keeps them
//   as written; values, and so masks and hashes, have none.
// - hk_id: one or two letters (either case; value upper-cased), six digits, check digit
//   0-9 or A, bare or in ASCII `()`, square `[]` or full-width `（）` brackets (one space
//   before the bracket is allowed). A space may also stand after upper-case letters when
//   the check digit is in ASCII brackets (`A 123456 (3)`, `AB 987654(3)`: SPACED_HKID;
//   not `to 123456 (3)`). A hyphen may stand before the check digit (`A123456-3`); that
//   form, and two letters a space apart (`AB 987654 (3)`), only when an HKID word (`HKID`,
//   `HK ID`, `H.K.I.D.`, `HKIC`, `Hong Kong ID`, `identity`, `ID card`, 身份證, 身分證, 證件;
//   not `ID` alone)
//   stands within 24 characters on its line (HKID_WORD: `PO123456-1` is an order's line,
//   `INVOICE NO 123456 (8)` an invoice's number), or an ID number's label right before
//   it (`ID no. A123456-3`, `ID number`, `I.D. No.`; not a thing's or an order's, `Order
//   ID no.`, `Product ID:`: ID_NUMBER_LABEL and labels.ts). The check digit is verified: a single letter counts
//   as a leading space (36), letters A=10..Z=35, weights 9..2, check = (11 - sum mod 11)
//   mod 11, 10 written A. value: `A1234563`.
// - cn_resident_id: 17 digits + check digit or X (x accepted, value upper-cased), compact
//   or grouped 6-8-4 (region code, birth date, sequence and check: `110105 19491231 002X`,
//   `110105-19491231-002X`) with one kind of separator (which, unlike shorter groups, may
//   stand next to another number: `110105 19491231 002X 138 1234 5678`; CN_ID_GROUPS_REST
//   in identifier-pattern.ts); ISO 7064 MOD 11-2 verified; digits
//   7-14 a real calendar date between 1900-01-01 and 2099-12-31 (a fixed bound keeps
//   detect() free of the clock). The compact form's region code is not checked; a
//   grouped one's first two digits must be a province's (PROVINCE: six digits, a date
//   and four is also how batch and reference numbers are written). value: compact,
//   `11010519491231002X`, whatever the grouping (so the mask and hash are the compact
//   form's).
// - payment_card: brands by IIN range and length (check-digits.ts): Visa, Mastercard,
//   Amex, UnionPay, JCB, Discover, Diners Club, Maestro; compact, or grouped 4-4-4-4,
//   4-4-4-4-1..3, 4-4-4-1..3, 4-6-5 or 4-6-4 with one kind of separator (single space or
//   dash); Luhn verified. A candidate of more than 16 digits in groups of four that fails
//   falls back to its first 16 digits (a card number followed by a CVV). 4-4-4-4 may also
//   follow a date, a time, an amount or a zero-led number and a space (`2026-11-30 4111
//   ...`, `10:15 4111 ...`, `HK$500 4111 ...`, `001 4111 ...`; not `12 4111 ...`, which
//   may be one longer number), and be followed by an expiry MMYY, and a three-digit CVV
//   after it, that end the grouping (`... 1111 1227 cvv 123`, `... 1111 1227 123`; not
//   `... 1111 1227 3456`, EXPIRY_THEN_CVV). A 13-digit number (a Visa of old, a Maestro) is a card only
//   with a card word within 32 characters on its line (cardContext): 13 digits is an
//   EAN-13 barcode's length. (A table's column or a JSON key named for cards stands for
//   the card word of the number starting its value: records.ts.) An 18-digit run whose
//   digits 7-14 are a date is a (mistyped) PRC ID, never a card; so are 18 digits in
//   groups of four (`6201 0219 8506 1512 02`), found as a PRC ID when one (a province's
//   code and a right check digit). 4-4-4-4 with spaces after a phone word, its halves two
//   bare Hong Kong numbers, is those two phones unless a card word is near (`Tel: 5123 4567
//   6123 4561`; `Tel: 5123 4567 6123 4561 (Visa)` is a card): see hk_phone.
// - iban: against the SWIFT IBAN Registry held as data (iban.ts): length, character class
//   per BBAN position, mod 97 and national check digits where the country defines them;
//   either case, compact or grouped with one kind of separator (space, dash or dot), which
//   may also stand between the country code and the check digits (`NO 93 8601 1117 947`);
//   a grouped candidate that runs on into the next words is cut at its country's length;
//   what an IBAN candidate covers is never read again as another type (but after a
//   separated country code that starts no IBAN, the rest is). country: the
//   IBAN's country code. (`ibantools` was dropped: its per-country patterns differed from
//   the registry.)
// - hk_phone: +852 / (852) / (+852) / （852） / [+852] (not `[852]`, a log's process id) / 00852 followed by eight digits starting 2-9;
//   a bare `852` prefix only with 2, 3, 5, 6, 7 or 9 next, or 44, 46, 47 or 84 set apart
//   (`852 4612 3456`; not `85244123456`), and no label before it (labels.ts); optional space or dash after
//   the prefix and between 4+4, or up to four spaces or tabs, as aligned text writes them
//   (`+852  9123 4567`, `+852 9123\t4567`; BLANKS; no tab right after a bare `852`, a
//   table's cell edge; a bare number's groups keep one separator). In a link the `+` may be percent-encoded, `%2B852` or
//   `%2b852`, and a separator may also be `%20` or `+` (`tel:%2B852%209123%204567`,
//   `?phone=%2B852+9123+4567`): raw is all that was written, the value the `+852` form's
//   (PCT_PATTERN); so are encoded brackets, `%28852%29`, `%28%2B852%29`, `(%2B852)`, and a
//   `%20` or `+` after a written `+852` / `(852)` and between its groups (LINK_SEP:
//   `tel:+852%209123%204567`, `?phone=+852+9123+4567`; not after a digit, where it is a
//   sum's: `1+852+2345+6789=`, isSum). No other
//   escape is read (`%2C852...`, `%252B852...`). Bare
//   eight-digit numbers starting 2, 3, 5, 6, 7, 9 or the mobile blocks 44, 46, 47 and 84 only next to a phone word
//   (PHONE_CONTEXT_* in identifier-pattern.ts; English case-insensitive and whole words,
//   so `hotel` and `tell` are not `tel`, `iPhone` is not `phone`; also the signature
//   labels `M:` / `T:` and `Hp:` / `H/P:` with the colon, hand phone: `HP` without one is
//   the printer maker; `(M)` / `(T)` in upper case at a line's start or after another
//   number, `Polo Shirt (M) 51234567` being a size): a phone word ending within 20 characters before the
//   number on the same line with no sentence punctuation, slash or digit between
//   (`手機：9123 4567`, `call me 6123 4567`, but not the order number in
//   `手機 9123 4567，訂單23456789` or `call me. Order 23456789`), nor an order, reference,
//   invoice or account word, 訂單, 發票, 編號 or `#` (NOT_A_PHONE_WORD: `call the hotline for
//   order 91234567`; `no.` / `#` right after the phone word are its label, `Mobile no.`,
//   and so is an index of one or two digits after it, bare, after `#` or `No.`, or in
//   brackets: `Phone 2: 9876 5432`, `Tel (2): `, `Phone #2 `, `電話2：`, PHONE_INDEX; not
//   a bare index and a space alone, `Phone 2 9123 4567`, which may be one longer number);
//   each number of a list after it too, up to four before, joined by `/`, `,`, `;`, `、`,
//   `or` or 或 and nothing else (`Phone: 9123 4567 / 6123 4567`), each item ending as
//   LIST_ITEM_END says or with a date or time after it (`電話 9123 4567 / 6123 4567 2026
//   1130`, `... on 2026 1130`), and none a date, a year 19xx/20xx and a valid month-day
//   (`電話: 9123 4567, 2026 1130`; right after the phone word it is still a phone: `電話
//   2026 1130`); or right after it, with only spaces, an opening bracket or "is my" /
//   係我 / 係佢 between (`9123 4567 (手機)`, `6130 1824 是我的手机`, `9123 4567 is my
//   mobile`), so that the next item's phone word does not count; each number of a list
//   before it too, up to four after, joined the same way and nothing else, the last with
//   its phone word right after it so (`9123 4567 / 6123 4567 (手機)`, `9123 4567、6123
//   4567 係我手機`), but not a first number that an order, reference or invoice word labels
//   up to eight characters before (`訂單 23456789、91234567 係我手機`), nor one that is a
//   date, as after (`2026 1130 / 9123 4567 (手機)`; right before the phone word it is still
//   a phone: `2026 1130 (手機)`). A number grouped
//   4 4 with spaces may be followed by a space and a date or time (DATE_OR_TIME: `2026
//   1130`, `2026-11-30`, `30/11/2026`, `11/30/2026`, `2026年`, `10:30`; a real month and
//   day, so not `45/13/2026` or `99.99.99`; `12.30pm`) or a count (COUNT_THEN_WORD: `2
//   people`, `2位`), not by other digits (`9123 4567 8888` may be
//   one number); a 4-4-4-4 that is no card but such a number and a date is
//   read as the number (HKB_AT), and one with spaces, card or not, that is two such numbers
//   after a phone word with no card word within 32 characters on its line as the two
//   (TWO_HK_NUMBERS: `Tel: 5123 4567 6123 4561`, the second ending as a bare number does;
//   compact, `Tel: 5123456761234561`, it is one number; a first number starting 7, 84 or 9
//   has no card's shape, and such a pair is not read: `Tel: 9123 4567 6123 4567`). value:
//   `+85291234567`. In text written by programs and
//   pages, these stand for a phone word too (PHONE_WORD_BEFORE): a key naming a phone and
//   its `:`, `=` or `>` right before the value (PHONE_KEY: `phone_no: 91234567`,
//   `"mobileNo":"91234567"`, `PHONE1=91234567`, `contactPhone: ...`; not
//   `telephone_count=...`, `hotel`, `headphone`), a vCard's TEL property with parameters
//   (VCARD_TEL: `TEL;type=CELL;type=VOICE;type=pref:9123 4567`), and a phone word with
//   HTML tags, `&nbsp;` or a Markdown table's `|` right before the number (MARKUP:
//   `<td>Phone:</td><td>9123 4567</td>`, `| Phone | 9876 5432 |`); a number may be grouped
//   with `&nbsp;` (`9123&nbsp;4567`; NBSP). An escape written out (`\n`, `\r`, `\t` in a
//   JSON log or an .ics / .vcf field: ESCAPE) joins no word or number to the next: the
//   phone word, number, HKID or keyword after it is found (`\nMobile: 91234567`,
//   `\nA123456(3)`, `\tsalary`), and `\n`, `\r` end a phone word's line as a line end
//   does (`Mobile:\n91234567` is two lines). A table's column or a JSON key
//   named with a phone word stands for the phone word of the value it holds
//   (records.ts), and a name is read as a phone word's context (redactName in redact.ts);
//   neither is this text path.
//   google-libphonenumber was not used: the leading-digit rule is the
//   specification, and its metadata would add ~500 kB and a per-candidate parse for no
//   gain in recall.
// - cn_phone: 1[3-9] + nine digits, compact or 3-4-4 with one kind of separator,
//   optionally after +86 / 86 / (+86) / (86) / [+86] / 0086 (or `%2B86`, `%2886%29`, `(%2B86)`,
//   `+86%20` or `+86+` in a link, as for hk_phone) and an optional space or dash (after a written +86 up to four spaces
//   or tabs, and between the groups after any prefix, as for hk_phone: `+86 138  1234 5678`); 3-4-4 with spaces may be followed by a date
//   or time as a Hong Kong number may. value: `+8613812345678`.
// - email: local part of ASCII letters, digits and `._%+-` or letters of non-CJK scripts,
//   an apostrophe between two letters or digits (`o'brien@`) and `=` (`a=b@`, a bounce
//   address's `SRS0=...=`), but not a key's `=` before it (`email=chan@`, `?to=`,
//   `SMTP_USER=`: afterKey) nor a quote around it (`'a@b.com'`) (no leading, trailing or
//   double dot; at most 64 characters), `@`, dot-separated
//   domain labels (letters and digits of any script, inner hyphens, punycode) and a TLD
//   (ASCII letters, punycode or Unicode letters); at most 253 characters of domain. CJK text
//   before the local part ends it, and so does an escape written out (`\nchan@`,
//   `\u003cchan@`: afterEscape); an address that cannot be taken whole is not reported at
//   all, nor is a URL's userinfo (`https://user:pass@host.example.com`). value: lower case.
//   An address percent-encoded, its `@` written `%40` (`mailto:chan%40acme.com.hk`,
//   `?email=chan.tm%40example.com`), is found so too: its local part is read from the text
//   decoded (a `+` a form's space; `%2B` is `+`) by the same rules, so that it is found,
//   and its value is, exactly as the address written out would be (`%27chan%40acme.hk%27`
//   as `'chan@acme.hk'`: `chan@acme.hk`; `chan%2Btm%40acme.hk`: `chan+tm@acme.hk`), and it
//   hashes the same; raw is as written (scanEncodedEmails).
// - health / payroll: keyword lists in English, Traditional and Simplified Chinese.
//   English keywords match whole words, case-insensitively (so `wealth` is not `health`);
//   an underscore counts as a boundary (`monthly_salary_hkd`). Chinese keywords match
//   anywhere. One detection per occurrence; value: the canonical keyword. Colloquial
//   Hong Kong words are included (醫生紙, 睇醫生, 出糧, 雙糧, 佣金, medical leave, OT pay,
//   commission). Dropped: a capitalised `Commission` in a body's name (`Securities and
//   Futures Commission`, `Commission (SFC)`, `Independent Commission Against
//   Corruption`), `bonus points` / `bonus miles`, the idiom 花紅柳綠. `人工`
//   (wages, colloquially) is left out: it is mostly `人工智能` and other non-pay uses;
//   `工資` read across 員工 + 資料 (`員工資料`, staff data), 資訊, 資格 is dropped (keepTopic).
//   A keyword inside an e-mail address (`payroll@acme.hk`) is dropped in favour of the
//   e-mail.
//
// The parts: keywords.ts (topic tables and regexes), identifier-pattern.ts (the
// identifier regex and phone words), check-digits.ts; this module runs the passes and
// merges their findings.
import { candidates, FULL_WIDTH_FORMS, WIDE } from './candidates.ts';
import { cardValid, cnIdValid, hkidValue } from './check-digits.ts';
import { ibanLength, ibanValid } from './iban.ts';
import { bareHkValue, GROUP_KINDS, HKB_PATTERN, HYPHEN, ID_RE, isSeparator, SPACED_HKID, TWO_HK_NUMBERS, URL_ESCAPES } from './identifier-pattern.ts';
import { EN_AFTER_UNDERSCORE, pushTopic, TOPIC_RES } from './keywords.ts';
import { labelBefore } from './labels.ts';

export const FINDING_TYPES = [
  'hk_id',
  'cn_resident_id',
  'payment_card',
  'iban',
  'hk_phone',
  'cn_phone',
  'email',
  'health',
  'payroll',
] as const;
export type FindingType = (typeof FINDING_TYPES)[number];

export interface Detection {
  type: FindingType;
  start: number;
  end: number;
  /** the matched text as written */
  raw: string;
  /**
   * canonical form: A1234563, 11010519491231002X, 4111111111111111,
   * GB82WEST12345698765432, +85291234567, +8613812345678, lower-case e-mail; for
   * topics the canonical keyword
   */
  value: string;
  /** iban: its country code; phones and ids: 'HK' | 'CN' */
  country?: string;
}

type Push = (type: FindingType, start: number, end: number, raw: string, value: string, country?: string) => void;

/** The identifier regex, sticky: tried at its candidates only (candidates.ts); `i` as ID_RE's (see PHONE_WORD in identifier-pattern.ts). */
const ID_AT = new RegExp(ID_RE.source, ID_RE.flags.replace('g', 'y'));
/**
 * A bare Hong Kong number in its context, sticky: for a card's shape that is no card and
 * ends in a date (`6123 4567 2026 1130`), where ID_RE took the card's branch first.
 */
const HKB_AT = new RegExp(HKB_PATTERN, 'yi');
/** The Hong Kong mobile blocks opened from 2018 (HK_LEAD in identifier-pattern.ts). */
const NEW_BLOCK = /^(?:4[467]|84)/;
/**
 * A Hong Kong number labelled a thing's or an account's (labels.ts): a reference's, an
 * order's or a booking's may be a phone (`9123 4567 / ref 6123 4567 (手機)`, `Booking: 2345
 * 6789 (Tel)`).
 */
const phoneLabelled = (text: string, start: number): boolean => {
  const kind = labelBefore(text, start);
  return kind === 'thing' || kind === 'account';
};
/**
 * A card's shape labelled a thing's or an order's (labels.ts), with no card word near it
 * (`Order no: 4000123456789017`; not `Visa card for booking 4111 ...`): a card account's
 * number is the card's.
 */
const thingLabelled = (text: string, start: number, end: number): boolean => {
  const kind = labelBefore(text, start);
  return (kind === 'thing' || kind === 'order') && !cardContext(text, start, end);
};
/** A card's shape 4-4-4-4 whose last two groups are a year 19xx or 20xx and a month-day (HKB_AT). */
const ENDS_IN_DATE = /^\d{4}(.)\d{4}\1(?:19|20)\d\d\1(?:0[1-9]|1[0-2])[0-3]\d$/;

/** A bare Hong Kong number in its context at `start` (HKB_AT), as written; undefined when none. */
function phoneAt(text: string, start: number): string | undefined {
  HKB_AT.lastIndex = start;
  return HKB_AT.exec(text)?.[0];
}

/** TWO_HK_NUMBERS, sticky: the first of two numbers after a phone word, and the space after it. */
const TWO_PHONES_AT = new RegExp(TWO_HK_NUMBERS, 'yi');

/**
 * Where the second number starts when a card's shape 4-4-4-4 text[start, end) is two
 * bare Hong Kong numbers a space apart after a phone word (TWO_HK_NUMBERS: `Tel: 5123 4567
 * 6123 4561`), each a phone as a bare one is (phoneKept), and no card word stands near
 * (cardContext: `Tel: 5123 4567 6123 4561 (Visa)` is a card); -1 when it is not.
 */
function secondPhoneAt(text: string, start: number, end: number): number {
  // No phone word's context ends in a line end or a comma (CONTEXT_GAP): a card at a line's
  // or a table cell's start, or after a CSV comma, is told without the costly lookbehind.
  const before = text.charCodeAt(start - 1);
  if (start === 0 || before === 10 || before === 13 || before === 44) return -1;
  TWO_PHONES_AT.lastIndex = start;
  const second = TWO_PHONES_AT.test(text) ? TWO_PHONES_AT.lastIndex : -1;
  return second > 0 && phoneKept(text, start, second - 1) && phoneKept(text, second, end) && !cardContext(text, start, end) ? second : -1;
}

/**
 * Whether a bare Hong Kong number in a phone word's context, text[start, end), is a phone:
 * not an amount (isAmount), nor labelled a thing's or an account's (`訂單 23456789 (手機)`,
 * `a/c 9123 4567 (contact ...)`: the phone word after it is not its label).
 */
const phoneKept = (text: string, start: number, end: number): boolean => !isAmount(text, start, end) && !phoneLabelled(text, start);

/**
 * Whether text[i] is the letter of an escape written out, `\n`, `\r` or `\t` (ESCAPE in
 * identifier-pattern.ts), in lower case as JSON writes it: after a backslash that no
 * other escapes (`\\n` is a backslash and an `n`).
 */
function escapeLetterAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return (c === 110 || c === 114 || c === 116) && escapedAt(text, i);
}

/** Whether text[i] follows a backslash that escapes it: an odd number of them before it. */
function escapedAt(text: string, i: number): boolean {
  let b = 0;
  while (i - 1 - b >= 0 && text.charCodeAt(i - 1 - b) === 92) b++;
  return b % 2 === 1;
}

function scanIdentifiers(text: string, at: Int32Array, push: Push): void {
  const re = ID_AT;
  const groups = GROUP_KINDS.length;
  let next = 0; // where the last match (or IBAN candidate) ended
  for (const p of at) {
    if (p < next) continue;
    re.lastIndex = p;
    const m = re.exec(text);
    if (m === null) continue;
    let i = 1;
    while (i < groups && m[i] === undefined) i++;
    const raw = m[i] ?? '';
    const kind = GROUP_KINDS[i - 1];
    const start = m.index;
    const end = start + raw.length;
    next = end;
    if (escapeLetterAt(text, start)) {
      // `\nA123456(3)`: the letter of an escape written out starts no HKID or IBAN; what
      // follows it is read from the next position (the kernel lists it)
      next = start + 1;
      continue;
    }
    switch (kind) {
      case 'hkid':
        pushHkid(text, raw, start, end, push);
        break;
      case 'iban':
        // What is read as an IBAN's place is never read again as another type.
        next = scanIban(raw, start, push).end;
        break;
      case 'ibans': {
        // A country code set apart is a weaker sign (`ticket no 12 13812345678`): unless an
        // IBAN is found, what follows the country code is read as usual.
        const iban = scanIban(raw, start, push);
        next = iban.found ? iban.end : start + 2;
        break;
      }
      case 'hkp':
      case 'hkpp': {
        if (kind === 'hkpp' && isSum(text, raw, start)) {
          next = start + 1;
          break;
        }
        // `+852%209123%204567` (LINK_SEP): an encoded space is no digit of the number
        const digits = raw.replace(URL_ESCAPES, '').replace(/\D/g, '');
        const local = digits.slice(-8);
        // A bare `852` prefix is weaker than +852: only the classic fixed and mobile ranges,
        // or the blocks opened from 2018 set apart from it (`852 4612 3456`; `85244123456` is
        // as often a record's number as a phone), and not after a label (labels.ts).
        if (kind === 'hkp' && ((!digits.startsWith('00') && !'235679'.includes(local[0]!) && !(NEW_BLOCK.test(local) && /\D/.test(raw))) || phoneLabelled(text, start))) break;
        push('hk_phone', start, end, raw, `+852${local}`, 'HK');
        break;
      }
      case 'cnp':
      case 'cng':
      case 'cnpp':
        if (kind === 'cnpp' && isSum(text, raw, start)) {
          next = start + 1;
          break;
        }
        // a bare 3-4-4 number a label names is that thing's, as a compact one is (classifyRun)
        if (kind === 'cng' && labelBefore(text, start) !== undefined) break;
        push('cn_phone', start, end, raw, `+86${raw.replace(URL_ESCAPES, '').replace(/\D/g, '').slice(-11)}`, 'CN');
        break;
      case 'pct': {
        // `%2B852...` / `%28852%29...` / `%2B86...`: the `+`, brackets and any `%20` are no digits of the number
        const digits = raw.replace(URL_ESCAPES, '').replace(/\D/g, '');
        if (digits.startsWith('852')) push('hk_phone', start, end, raw, `+${digits}`, 'HK');
        else push('cn_phone', start, end, raw, `+${digits}`, 'CN');
        break;
      }
      case 'card': {
        // A phone and a date (`電話 9123 4567 / 6123 4567 2026 1130`) have a card's shape, and
        // one in ten such passes Luhn: in a phone's context (HKB_AT) it is the phone, read as
        // ID_RE would have read it had the card's branch not come first.
        const phone = raw.length === 19 && ENDS_IN_DATE.test(raw) ? phoneAt(text, start) : undefined;
        if (phone !== undefined) {
          push('hk_phone', start, start + phone.length, phone, bareHkValue(phone), 'HK');
          next = start + phone.length;
          break;
        }
        // Two numbers a person lists after a phone word, a space apart (`Tel: 5123 4567 6123
        // 4561`), have the shape 4-4-4-4 too, and one pair in ten a card's IIN and Luhn (the
        // card's branch may take more digits after them: `... 4561 10:30`).
        const second = raw.length >= 19 ? secondPhoneAt(text, start, start + 19) : -1;
        if (second > 0) {
          push('hk_phone', start, second - 1, raw.slice(0, 9), bareHkValue(raw.slice(0, 9)), 'HK');
          push('hk_phone', second, start + 19, raw.slice(10, 19), bareHkValue(raw.slice(10, 19)), 'HK');
          next = start + 19;
          break;
        }
        const digits = raw.replace(/\D/g, '');
        if (digits.length === 18 && idShaped(digits)) {
          // a PRC ID in groups of four (`6201 0219 8506 1512 02`), never a card: an ID when
          // it is one (a province's code and its check digit), else nothing, as for a run
          if (PROVINCE.test(digits) && cnIdValid(digits)) push('cn_resident_id', start, end, raw, digits, 'CN');
          break;
        }
        if (cardValid(digits)) {
          if ((digits.length !== 13 || cardContext(text, start, end)) && !thingLabelled(text, start, end)) push('payment_card', start, end, raw, digits);
        } else if (digits.length > 16 && raw.length > 19 && /\d{4}(.)\d{4}\1\d{4}\1\d{4}/y.test(raw) && cardValid(digits.slice(0, 16))) {
          // a card number in groups of four followed by more digits (a CVV) in the same grouping
          if (!thingLabelled(text, start, start + 19)) push('payment_card', start, start + 19, raw.slice(0, 19), digits.slice(0, 16));
        } else {
          // No card here: a card may still start at a later group, where CARD_PATTERN lets
          // one follow a number apart (`30.11.2026 4111 1111 1111 1111`: not `2026 4111 ...`).
          next = start + 1;
        }
        break;
      }
      case 'hkb':
        if (phoneKept(text, start, end)) push('hk_phone', start, end, raw, bareHkValue(raw), 'HK');
        break;
      case 'run':
        classifyRun(text, raw, start, end, push);
        break;
    }
  }
}

/**
 * HKIDs written as document numbers are too, so that an HKID word must stand near them
 * (HKID_WORD): a hyphen before the check digit (`A123456-3`; `PO123456-1`, `SO123456-2`
 * are an order's lines) and two letters a space apart from the digits (`AB 987654 (3)`;
 * `INVOICE NO 123456 (8)`). One in eleven such numbers passes the check digit.
 */
const NEEDS_HKID_WORD = new RegExp(`${HYPHEN}[0-9Aa]$|^[A-Za-z]{2}\\D`);
/**
 * Words that make such a number an HKID: English ones whole words, either case (`HKID`,
 * `HK ID`, `H.K.I.D.`, `HKIC`, `H.K.I.C.`, `Hong Kong ID`, `identity`, `ID card`, `I.D.
 * card`; not `ID` alone, which is any
 * record's: `Order ID: PO123456-1`, `order_id=SO123456-7`, `?id=5&sku=PO123456-1`);
 * 身份證, 身分證, 證件 (and their simplified forms) anywhere.
 */
export const HKID_WORD = /(?<![A-Za-z])(?:hk ?i[dc]|h\.k\.i\.[dc]|hong ?kong id|identity|i\.?d\.?[ -]?card)(?![A-Za-z])|身[份分][證证]|[證证]件/i;
/** How far from such an HKID its HKID word may be (characters, same line). */
const HKID_WORD_WINDOW = 24;
/**
 * An ID number's label right before such an HKID, which says as much as an HKID word
 * (`ID no. A123456-3`, `ID No.: `, `ID number `, `I.D. No. `): `ID` alone is any record's
 * (`Order ID A123456-3`), and `ID no.` after any word is that word's (`Employee ID No.`,
 * `Member ID no.`, `Case ID no.`): only the label standing alone counts.
 */
const ID_NUMBER_LABEL = /(?<![A-Za-z][ \t]?)(?<![A-Za-z])i\.?d\.?[ \t]?(?:no\.?|number)[ \t:：]{0,3}$/i;

/**
 * An HKID candidate (ID_RE's or SPACED_HKID's, as written): reported when its check digit
 * is right, and for the forms of NEEDS_HKID_WORD when an HKID word stands near it or an
 * ID number's label right before it (ID_NUMBER_LABEL). value:
 * letters, digits and check digit, `A1234563`.
 */
function pushHkid(text: string, raw: string, start: number, end: number, push: Push): void {
  if (NEEDS_HKID_WORD.test(raw) && !wordOnLine(HKID_WORD, HKID_WORD_WINDOW, text, start, end) && !ID_NUMBER_LABEL.test(text.slice(Math.max(0, start - 24), start))) return;
  const value = hkidValue(raw);
  if (value === undefined) return;
  // `SKU: P2030407`, `Order SO1234567` (labels.ts), unless an HKID word stands near
  if (labelBefore(text, start) !== undefined && !wordOnLine(HKID_WORD, HKID_WORD_WINDOW, text, start, end)) return;
  push('hk_id', start, end, raw, value, 'HK');
}

/** SPACED_HKID, sticky. */
const SPACED_HKID_AT = new RegExp(SPACED_HKID, 'y');

/**
 * HKIDs with a space after their letters (SPACED_HKID: `A 123456 (3)`), found from each
 * `(` with six digits before it, perhaps a space between: the letters start nine or ten
 * characters before the digits' end (two letters, or one).
 */
function scanSpacedHkids(text: string, push: Push): void {
  for (let b = text.indexOf('('); b >= 0; b = text.indexOf('(', b + 1)) {
    const e = isDigit(text.charCodeAt(b - 1)) ? b : b - 1;
    if (!isDigit(text.charCodeAt(e - 1))) continue;
    for (let s = e - 9; s <= e - 8; s++) {
      SPACED_HKID_AT.lastIndex = s;
      const m = s >= 0 ? SPACED_HKID_AT.exec(text) : null;
      if (m !== null) {
        pushHkid(text, m[0], s, s + m[0].length, push);
        break;
      }
    }
  }
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/**
 * Whether a `+852` / `+86` number whose groups a `+` joins (LINK_SEP: a form-encoded space,
 * `?phone=+852+9123+4567`) follows a digit: then it is a sum's terms (`1+852+2345+6789=...`,
 * `=1000+852+30004000`), not a link's number.
 */
const isSum = (text: string, raw: string, start: number): boolean => isDigit(text.charCodeAt(start - 1)) && /[\d)）\]]\+/.test(raw);

/** Eighteen characters whose digits 7-14 are a date from 1900 to 2099: a PRC resident ID, whatever its check character. */
function idShaped(id: string): boolean {
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  return y >= 1900 && y <= 2099 && m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

/**
 * The first two digits of a grouped PRC ID: a province-level code of GB/T 2260 (11-15,
 * 21-23, 31-37, 41-46, 50-54, 61-65, 71 Taiwan, 81-83 Hong Kong, Macao and Taiwan
 * residents' permits) or 9x (foreigners' permanent residence cards of 2023). Checked for
 * the grouped form only: six digits, a date and four is also how batch and reference
 * numbers are written (`Batch 600123 20261130 0019`), and one in eleven passes the check
 * character; the compact form is read as it always was.
 */
const PROVINCE = /^(?:1[1-5]|2[1-3]|3[1-7]|4[1-6]|5[0-4]|6[1-5]|71|8[1-3]|9\d)/;

function classifyRun(text: string, raw: string, start: number, end: number, push: Push): void {
  const n = raw.length;
  if (n === 20) {
    // a PRC ID in groups 6-8-4, each separator one code unit: that or nothing (no other
    // candidate starts within it)
    const id = (raw.slice(0, 6) + raw.slice(7, 15) + raw.slice(16)).toUpperCase();
    if (PROVINCE.test(id) && cnIdValid(id)) push('cn_resident_id', start, end, raw, id, 'CN');
    return;
  }
  if (n === 18) {
    const id = raw.toUpperCase();
    if (cnIdValid(id)) {
      push('cn_resident_id', start, end, raw, id, 'CN');
      return;
    }
    if (id[17] === 'X' || idShaped(id)) return; // a mistyped ID is not a card
  }
  if (n === 11) {
    // (a label before it says whose number it is: `Order No.: 13912345678`, `會員編號 13812345678`)
    if (!isAmount(text, start, end) && labelBefore(text, start) === undefined) push('cn_phone', start, end, raw, `+86${raw}`, 'CN');
    return;
  }
  if (cardValid(raw) && (n !== 13 || cardContext(text, start, end)) && !thingLabelled(text, start, end)) push('payment_card', start, end, raw, raw);
}

/** A currency right before a number, perhaps with a space: `HK$ 51234567`, `$91234567`, `¥13912345678`, `RMB 13912345678`. */
const CURRENCY_BEFORE = /(?:[$¥￥€£]|(?<![A-Za-z])(?:hkd|rmb|cny|usd))[ \u00A0]?$/i;
/**
 * After a number: a decimal part (`91234567.50`; not zeros alone, `91234567.0`, as pandas
 * and other exporters write a whole number in a column with blanks) or a unit of bytes
 * (`16106127360 bytes`).
 */
const AMOUNT_AFTER = /\.0*[1-9]|[ \u00A0]?(?:bytes?|[KMGT]i?B)(?![A-Za-z])/y;

/**
 * Whether the bare phone-shaped number text[start, end) is an amount or a size: a currency
 * before it, a decimal part or a unit of bytes after it (`Phone bill HK$ 51234567`,
 * `手機費 $91234567`, `Amount: 13912345678.50`, `backup.tar 16106127360 bytes`). A phone
 * word near a bill's amount, and eleven digits starting 13-19 in a file listing, are
 * otherwise read as phones.
 */
function isAmount(text: string, start: number, end: number): boolean {
  // the regexes only where the character after (a dot, a space, a unit's letter) or before
  // (a sign, a space, a code's letter) could start what they look for: most numbers have
  // neither, and this runs for every bare phone found
  const after = text.charCodeAt(end);
  if (after === 46 || after === 32 || after === 0xa0 || after === 98 || (after >= 65 && after <= 84)) {
    AMOUNT_AFTER.lastIndex = end;
    if (AMOUNT_AFTER.test(text)) return true;
  }
  const before = text.charCodeAt(start - 1);
  const sign = before === 36 || before === 0xa5 || before === 0xffe5 || before === 0x20ac || before === 0xa3;
  const codeOrSpace = before === 32 || before === 0xa0 || (before | 32) === 100 || (before | 32) === 98 || (before | 32) === 121;
  return (sign || codeOrSpace) && CURRENCY_BEFORE.test(text.slice(Math.max(0, start - 5), start));
}

/**
 * Words that make a 13-digit number a card: English ones whole words, either case;
 * `卡` (卡號, 信用卡, 银行卡, 刷卡) and `咭` (信用咭) anywhere.
 */
const CARD_WORD = /(?<![A-Za-z])(?:cards?|credit|debit|visa|mastercard|maestro|amex|cvv|cvc|exp|expiry|expires)(?![A-Za-z])|[卡咭]/i;
/** How far from a 13-digit card number its card word may be (characters, same line). */
const CARD_WORD_WINDOW = 32;

/**
 * Whether a card word stands within CARD_WORD_WINDOW characters before or after
 * text[start, end) on its line. A 13-digit number needs one to be a card: 13 digits is
 * an EAN-13 barcode's length too (product tables are full of them, and about one in ten
 * of those starting with 4 passes Luhn), while 13-digit card numbers are few (Visa has
 * issued none for decades; a 13-digit Maestro is rare), and are written next to a word
 * that says so where they are still kept (`card 4222222222222`, `卡號 4222 2222 2222 2`).
 */
const cardContext = (text: string, start: number, end: number): boolean => wordOnLine(CARD_WORD, CARD_WORD_WINDOW, text, start, end);

/** Whether `word` stands within `window` characters before or after text[start, end) on its line. */
function wordOnLine(word: RegExp, window: number, text: string, start: number, end: number): boolean {
  const before = text.slice(Math.max(0, start - window), start);
  const after = text.slice(end, end + window);
  const nl = after.indexOf('\n');
  return word.test(before.slice(before.lastIndexOf('\n') + 1)) || word.test(nl < 0 ? after : after.slice(0, nl));
}

/** An IBAN candidate's compact form as char codes (scanIban's, reused). */
const ibanCodes: number[] = [];

/**
 * An IBAN candidate: compact or grouped, either case. Returns whether it is an IBAN and
 * where it ends: the end of the IBAN found, or else of as much of the candidate as its
 * country's IBAN would take (a candidate that ran on into the next words is cut there, at
 * a group boundary).
 */
function scanIban(raw: string, start: number, push: Push): { found: boolean; end: number } {
  const country = raw.slice(0, 2).toUpperCase();
  const len = ibanLength(country) ?? 0;
  // The compact IBAN, upper case, read up to the first group boundary at or past the
  // country's length (a regex replace and toUpperCase() cost more than the checks).
  const codes = ibanCodes;
  codes.length = 0;
  let cutAt = raw.length;
  let asWritten = true; // no separator or lower case before the cut: the compact form is the part itself
  for (let i = 0; i <= raw.length; i++) {
    const c = raw.charCodeAt(i);
    const boundary = i === raw.length || c === 46 || isSeparator(c);
    if (boundary && codes.length >= len) {
      cutAt = i;
      break;
    }
    if (boundary) asWritten = false;
    else if (c >= 97 && c <= 122) {
      asWritten = false;
      codes.push(c - 32);
    } else codes.push(c);
  }
  const part = raw.slice(0, cutAt);
  const compact = asWritten ? part : String.fromCharCode(...codes);
  const found = compact.length === len && ibanValid(compact);
  if (found) push('iban', start, start + cutAt, part, compact, country);
  return { found, end: start + cutAt };
}

function isLocalChar(c: number): boolean {
  return (
    (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) ||
    c === 46 /* . */ || c === 95 /* _ */ || c === 37 /* % */ || c === 43 /* + */ || c === 45 /* - */
  );
}

/** CJK scripts, their punctuation and full-width forms (and surrogates): text that is not an address's. */
export function isCjk(c: number): boolean {
  return (c >= 0x2e80 && c <= 0xa4cf) || (c >= 0xac00 && c <= 0xd7af) || (c >= 0xd800 && c <= 0xdfff) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xffef);
}

const LETTER = /^[\p{L}\p{M}]$/u;

/** A character of an internationalised local part (RFC 6531): ASCII as above, or a letter of a non-CJK script. */
function isUnicodeLocalChar(c: number): boolean {
  return isLocalChar(c) || (c >= 0x80 && !isCjk(c) && LETTER.test(String.fromCharCode(c)));
}

/** Longest local part (RFC 5321); a longer run is not an address, and no part of it is reported. */
const MAX_LOCAL = 64;
/** How much longer the run read back from `@` may be when a key and its `=` start it (`contact_email=`: afterKey). */
const MAX_KEY = 32;
/**
 * Longest domain (RFC 1035: 255 octets on the wire, 253 characters written); a longer one
 * is not an address either. It also bounds an address's length, which the pieces of a
 * long line rely on (records.ts): 64 + 1 + 253.
 */
const MAX_DOMAIN = 253;

// Domain labels: ASCII letters, digits and inner hyphens (punycode `xn--` labels too), or
// Unicode letters and digits (an internationalised domain). The top-level label: ASCII
// letters (then a CJK character may follow, as in `chan@acme.hk查詢`), punycode, or
// Unicode letters (then no letter or digit may follow).
const LABEL = String.raw`[\p{L}\p{N}](?:[\p{L}\p{N}\p{M}-]{0,61}[\p{L}\p{N}\p{M}])?`;
const DOMAIN_RE = new RegExp(
  String.raw`(?:${LABEL}\.)+(?:[A-Za-z]{2,24}(?![A-Za-z0-9-]|\.[\p{L}\p{N}])|xn--[A-Za-z0-9-]{2,59}(?![\p{L}\p{N}\p{M}-]|\.[\p{L}\p{N}])|[\p{L}\p{M}]{2,63}(?<![A-Za-z])(?![\p{L}\p{N}\p{M}-]|\.[\p{L}\p{N}]))`,
  'uy',
);

/** An ASCII letter or digit, or a letter of another script (a local part's `'` stands between two). */
function isLetterOrDigit(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || (c >= 0x80 && !isCjk(c) && LETTER.test(String.fromCharCode(c)));
}

/**
 * Where a local part starts once a written-out escape before it is left out: `\n`, `\r`,
 * `\t` (`"Reply to:\nchan@acme.com.hk"` in a JSON log, an .ics field) and `\u003c` (Go
 * and others write `<` so: `\u003cchan@acme.hk\u003e`), after an odd number of
 * backslashes (`\\n` is a backslash and an `n`). The run the local part was read from
 * starts at `s`, right after the backslash.
 */
function afterEscape(text: string, s: number, at: number): number {
  if (escapeLetterAt(text, s)) return s + 1;
  if (text.charCodeAt(s) === 117 && at - s > 5 && escapedAt(text, s) && /^[0-9A-Fa-f]{4}$/.test(text.slice(s + 1, s + 5))) return s + 5; // uXXXX
  return s;
}

/**
 * A key before `=` in a local part's run (`email=chan@acme.hk`, `?to=`, `SMTP_USER=`,
 * `--cc=`): a URL query's or a parameter's (after `?`, `&` or `;`), or a word of two or
 * more letters, digits and underscores, perhaps hyphenated once (`reply-to`), perhaps an
 * option's dashes before it. What is not a key is the address's own (`a=b@example.com`;
 * a bounce address, `SRS0=HHHH=TT=example.com=chan@`, `list+chan=acme.hk@`,
 * `bounce-mc.us5_12.34-ab12=acme.hk@`, has several `=`, a `+` or dots before it).
 */
const EMAIL_KEY = /^-{0,2}[A-Za-z][A-Za-z0-9_]*(?:-[A-Za-z][A-Za-z0-9_]*)?$/;

/**
 * Where a local part read back from `@` over [s, at) starts, once a key and its `=` are
 * left out: an `=` is an address's character (RFC 5322 atext), but in logs, .env files
 * and links it mostly joins a key to the address (EMAIL_KEY).
 */
function afterKey(text: string, s: number, at: number): number {
  const run = text.slice(s, at);
  const eq = run.indexOf('=');
  if (eq < 0) return s;
  let end = eq + 1;
  while (run.charCodeAt(end) === 61) end++; // `key==chan@`
  if (run.includes('=', end)) return s; // several: a bounce address's
  const before = text.charCodeAt(s - 1);
  if (before === 63 /* ? */ || before === 38 /* & */ || before === 59 /* ; */) return s + end;
  return eq >= 2 && EMAIL_KEY.test(run.slice(0, eq)) ? s + end : s;
}

/**
 * Whether the `@` after a local part that starts at `s` ends a URL's userinfo
 * (`https://user:pass@host.example.com/x`, `ftp://anonymous@ftp.example.com`): that names
 * a login at a host, not a mailbox. The local part then starts right after `://` or after
 * the userinfo's `:`. With `encoded`, the text before it is read with its escapes
 * decoded (a link carried in another's query, `?next=http%3A%2F%2Fuser%3Apass%40host.example.com`).
 * Reads back at most 256 characters, and no further than the first that no userinfo holds
 * (an `@` among them), so that each `@` or `%40` costs a few steps, whatever the text.
 */
function inUserinfo(text: string, s: number, encoded = false): boolean {
  let i = charBefore(text, s, encoded);
  const c = charAt(text, i, encoded);
  if (c !== 58 /* : */ && c !== 47 /* / */) return false;
  for (let n = 0; i >= 0 && n < 256; n++, i = charBefore(text, i, encoded)) {
    const d = charAt(text, i, encoded);
    if (d === 47) {
      // `://`
      const j = charBefore(text, i, encoded);
      return charAt(text, j, encoded) === 47 && charAt(text, charBefore(text, j, encoded), encoded) === 58;
    }
    if (d <= 32 || d === 64 || d === 63 || d === 35 || d === 34 || d === 39 || d === 60 || d === 62 || d === 40 || d === 91) return false; // space @ ? # " ' < > ( [
  }
  return false;
}

/** The byte a percent escape at text[i] stands for (`%3A`: 58); -1 when none starts there. */
function escapeAt(text: string, i: number): number {
  if (text.charCodeAt(i) !== 37) return -1;
  const hi = hexValue(text.charCodeAt(i + 1));
  const lo = hexValue(text.charCodeAt(i + 2));
  return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
}

const hexValue = (c: number): number => (c >= 48 && c <= 57 ? c - 48 : (c | 32) >= 97 && (c | 32) <= 102 ? (c | 32) - 87 : -1);

/** Where the character before text[i] starts: with `encoded`, an escape's `%` when one ends there. */
const charBefore = (text: string, i: number, encoded: boolean): number => (encoded && i >= 3 && escapeAt(text, i - 3) >= 0 ? i - 3 : i - 1);

/** The character at text[i]: with `encoded`, the byte of an escape that starts there. */
function charAt(text: string, i: number, encoded: boolean): number {
  const b = encoded ? escapeAt(text, i) : -1;
  return b >= 0 ? b : text.charCodeAt(i);
}

/**
 * Where the local part of an address whose `@` is text[at] starts, by the rules of
 * scanEmails; -1 when the run before the `@` holds none (empty, longer than 64
 * characters, a trailing or double dot).
 */
function localStart(text: string, at: number): number {
  let s = at;
  let eq = false;
  while (s > 0 && at - s <= MAX_LOCAL + MAX_KEY) {
    const c = text.charCodeAt(s - 1);
    if (isUnicodeLocalChar(c)) s--;
    else if (c === 39 /* ' */ && s < at && s >= 2 && isLetterOrDigit(text.charCodeAt(s)) && isLetterOrDigit(text.charCodeAt(s - 2))) s--;
    else if (c === 61 /* = */ && s < at) {
      s--;
      eq = true;
    } else break;
  }
  if (s > 0 && text.charCodeAt(s - 1) === 92) s = afterEscape(text, s, at);
  if (eq) s = afterKey(text, s, at);
  // leading dots and `=` are punctuation (`see...chan@`, `key==chan@`)
  for (let c = text.charCodeAt(s); s < at && (c === 46 || c === 61); c = text.charCodeAt(++s));
  const local = text.slice(s, at);
  return local.length > 0 && local.length <= MAX_LOCAL && !local.endsWith('.') && !local.includes('..') ? s : -1;
}

/** Where the domain that starts at text[from] ends (DOMAIN_RE, at most MAX_DOMAIN characters); -1 when none does. */
/** Endings of files, none a top-level domain: `icon@2x.png`, `url(logo@3x.jpg)` (high-density images' names) are no addresses. */
const FILE_ENDING = /\.(?:png|jpe?g|gif|svg|webp|bmp|ico|css|js)$/i;

function domainEnd(text: string, from: number): number {
  DOMAIN_RE.lastIndex = from;
  const d = DOMAIN_RE.exec(text);
  return d !== null && d[0].length <= MAX_DOMAIN && !FILE_ENDING.test(d[0]) ? from + d[0].length : -1;
}

/**
 * E-mail addresses, found from each `@`: the whole address or nothing. The local part
 * reaches left over ASCII local characters and letters of non-CJK scripts (`müller@`),
 * an apostrophe between two letters or digits (`o'brien@`; not a quote around the
 * address, `'a@b.com'`) and an `=` (`a=b@`; but not a key's, afterKey: `email=chan@`);
 * CJK text ends it (`請電郵chan@acme.hk`: Chinese writes no space before an address), and
 * so does a written-out escape (afterEscape: `\nchan@`); a
 * run longer than 64 characters, a double dot or a trailing dot is no address at all
 * (localStart), nor is a URL's userinfo (inUserinfo: `https://user:pass@host.example.com`).
 */
function scanEmails(text: string, push: Push): void {
  for (let at = text.indexOf('@'), next = 0; at >= 0; at = text.indexOf('@', next)) {
    next = at + 1;
    const s = localStart(text, at);
    const end = s < 0 || inUserinfo(text, s) ? -1 : domainEnd(text, at + 1);
    if (end < 0) continue;
    const raw = text.slice(s, end);
    push('email', s, end, raw, raw.toLowerCase());
    next = end;
  }
}

/**
 * E-mail addresses percent-encoded in links and logs, their `@` written `%40`
 * (`mailto:chan%40acme.com.hk`, `?email=chan.tm%40example.com&x=1`). The text before the
 * `%40` is decoded (encodedRun, decodeRun: `chan%2Btm` is `chan+tm`; a `+` is a form's
 * space, `?q=contact+chan%40acme.hk`) and its local part read by scanEmails' own rules
 * (localStart), so that an address is found, and its value (the address decoded, lower
 * case) is, exactly as the address written out would be, and hashes the same:
 * `%27chan%40acme.hk%27` gives `chan@acme.hk` as `'chan@acme.hk'` does, `%E9%99%B3chan%40`
 * (`陳chan@`) `chan@...`, `%2Echan%40` `chan@...`. raw is the address as written, from
 * the escape its local part starts with. A local part right after an escape that does not
 * decode is no address (`m%FCller%40`: Latin-1, not UTF-8), nor is a URL's userinfo, its
 * `://` and `:` encoded or not (inUserinfo: `?next=http%3A%2F%2Fuser%3Apass%40host.example.com`).
 */
function scanEncodedEmails(text: string, push: Push): void {
  for (let at = text.indexOf('%40'), next = 0; at >= 0; at = text.indexOf('%40', next)) {
    next = at + 3;
    const end = domainEnd(text, at + 3); // first: most `%40`s are no address's (`%40scope/pkg`), and this costs least
    if (end < 0) continue;
    const { decoded, offsets } = decodeRun(text, encodedRun(text, at), at);
    const ds = localStart(decoded, decoded.length);
    if (ds < 0 || decoded.charCodeAt(ds - 1) === 0xfffd) continue;
    const s = offsets[ds]!;
    if (inUserinfo(text, s, true)) continue;
    push('email', s, end, text.slice(s, end), `${decoded.slice(ds)}@${text.slice(at + 3, end)}`.toLowerCase());
    next = end;
  }
}

/**
 * How far back from `%40` an encoded local part is read: what localStart reads back
 * (MAX_LOCAL + MAX_KEY + 1 characters) at 9 written characters each at most (`%E9%99%B3`,
 * one UTF-16 code unit), so that a long address in another script is read whole
 * (`%D0%BA%D0%BE...%40mail.ru`) and a longer run is too long for localStart, as written out.
 */
const MAX_ENCODED_RUN = (MAX_LOCAL + MAX_KEY + 1) * 9;

/**
 * Where the text to decode before the `%40` at `at` starts: the run of characters and
 * escapes that may decode to a local part's or its key's (ASCII local characters, `'`,
 * `=`, letters of other scripts and any escaped byte of one; not `+`, a form's space),
 * read back no further than MAX_ENCODED_RUN, and then the one before it that ended the
 * run (with the backslashes before a backslash: escapedAt counts them), so that localStart
 * sees what stands before the local part as it would written out. Each step reads a
 * character or an escape whole, so the text never starts inside one; each `%40` ends the
 * run of the next, so that each character is read back once or twice, whatever the text.
 */
function encodedRun(text: string, at: number): number {
  const lo = Math.max(0, at - MAX_ENCODED_RUN);
  let s = at;
  while (s > lo) {
    const u = charBefore(text, s, true);
    const c = charAt(text, u, true);
    const inRun = u === s - 3 ? c >= 0x80 || isLocalChar(c) || c === 39 || c === 61 : c !== 43 && (isUnicodeLocalChar(c) || c === 39 || c === 61);
    if (inRun) {
      s = u;
      continue;
    }
    let from = u;
    while (charAt(text, from, true) === 92 && from > 0 && charAt(text, charBefore(text, from, true), true) === 92) from = charBefore(text, from, true);
    return from;
  }
  return s; // the whole run, or too long (localStart says which); an escape's start, never inside one
}

/**
 * text[from, to) percent-decoded as a link's query is: escapes as UTF-8 (a character's
 * escapes decoded together), `+` as a space, and an escape that does not decode (`%E9`
 * alone, `%` without two hex digits) as U+FFFD. offsets[i] is where decoded[i] is written.
 */
function decodeRun(text: string, from: number, to: number): { decoded: string; offsets: number[] } {
  let decoded = '';
  const offsets: number[] = [];
  for (let i = from; i < to; ) {
    const b = i + 3 <= to ? escapeAt(text, i) : -1;
    let ch = text[i]!;
    let n = 1;
    if (b >= 0x80) [ch, n] = utf8At(text, i, b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2, to);
    else if (b >= 0) [ch, n] = [String.fromCharCode(b), 3];
    else if (ch === '+') ch = ' ';
    else if (ch === '%') ch = '\ufffd';
    decoded += ch;
    for (let k = 0; k < ch.length; k++) offsets.push(i);
    i += n;
  }
  return { decoded, offsets };
}

/** The character `bytes` escapes at text[i] encode in UTF-8, and how many characters they take; U+FFFD and 3 when they encode none before `to`. */
function utf8At(text: string, i: number, bytes: number, to: number): [string, number] {
  const end = i + 3 * bytes;
  if (end <= to) {
    try {
      return [decodeURIComponent(text.slice(i, end)), end - i];
    } catch {
      // not UTF-8 (a continuation byte first, a missing or overlong one)
    }
  }
  return ['\ufffd', 3];
}

function scanTopics(text: string, at: readonly Int32Array[], push: Push): void {
  TOPIC_RES.forEach((re, i) => {
    let next = 0;
    for (const p of at[1 + i]!) {
      if (p < next) continue;
      re.lastIndex = p;
      const m = re.exec(text);
      if (m === null) continue;
      pushTopic(text, p, m[0], push);
      next = re.lastIndex;
    }
  });
  const re = EN_AFTER_UNDERSCORE;
  for (let u = text.indexOf('_'); u >= 0; u = text.indexOf('_', u + 1)) {
    re.lastIndex = u + 1;
    const m = re.exec(text);
    if (m !== null) pushTopic(text, u + 1, m[0], push);
  }
}

// When two findings overlap, the higher rank stays (an e-mail over a number or keyword
// inside it; an identifier over a topic).
const RANK: Record<FindingType, number> = {
  email: 9,
  hk_id: 8,
  cn_resident_id: 7,
  iban: 6,
  payment_card: 5,
  cn_phone: 4,
  hk_phone: 3,
  health: 1,
  payroll: 1,
};

export function detect(text: string): Detection[] {
  return detectText(text).found;
}

/**
 * What readAs() writes in ASCII: every full-width form of an ASCII character (U+FF01 to
 * U+FF5E), punctuation too, since a full-width input mode types `ＨＫ＄５００`, `１０：１５`
 * and `２０２６／１１／３０` as it types the digits. (A text is read so only when it holds one
 * of FULL_WIDTH_FORMS: full-width punctuation alone among ASCII digits, common in Chinese
 * text, is read as written, and the patterns take the few such marks that matter there.)
 */
const FULL_WIDTH = /[\uFF01-\uFF5E]/g;
/** A full-width form's ASCII one: U+FF01 to U+FF5E are `!` to `~` moved up by 0xFEE0. */
const ascii = (c: string): string => String.fromCharCode(c.charCodeAt(0) - 0xfee0);

/** `text` with its full-width forms (FULL_WIDTH) written in ASCII: the same length, each at its place. */
export function readAs(text: string): string {
  return text.replace(FULL_WIDTH, ascii);
}

/**
 * detect(), with the text as the detectors read it (`read`: `text` itself, or its
 * readAs() when it holds a full-width form) for callers that look at it further, such
 * as a phone column's cells (records.ts); they give raw back with asWritten().
 */
export function detectText(text: string): { found: Detection[]; read: string } {
  const at = candidates(text);
  if (at[WIDE]!.length === 0) return { found: detectAt(text, at), read: text };
  const read = readAs(text);
  return { found: asWritten(text, detectAt(read, candidates(read))), read };
}

/** Detections made in readAs(text), with their raw as `text` has it (offsets are the same). */
export function asWritten(text: string, found: Detection[]): Detection[] {
  for (const d of found) d.raw = text.slice(d.start, d.end);
  return found;
}

/**
 * detect() with the regexes tried at the positions `at` gives per pass (candidates.ts).
 * With every position in every pass this is the plain regex scan, which is how the
 * tests check that the candidates lose nothing.
 */
export function detectAt(text: string, at: readonly Int32Array[]): Detection[] {
  const found: Detection[] = [];
  const push: Push = (type, start, end, raw, value, country) => {
    found.push(country === undefined ? { type, start, end, raw, value } : { type, start, end, raw, value, country });
  };
  scanIdentifiers(text, at[0]!, push);
  if (text.includes('@')) scanEmails(text, push);
  scanEncodedEmails(text, push);
  scanSpacedHkids(text, push);
  scanTopics(text, at, push);
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Detection[] = [];
  for (const d of found) {
    const last = out[out.length - 1];
    if (last === undefined || d.start >= last.end) out.push(d);
    else if (RANK[d.type] > RANK[last.type]) out[out.length - 1] = d;
  }
  return out;
}
