// The identifier regex: one pass that finds the candidates for HKID, IBAN, PRC ID,
// payment cards and phone numbers (with the phone words that make a bare Hong Kong
// number one). Each candidate kind is a capture group; GROUP_KINDS names them, and
// detect.ts verifies what they capture.
import { IBAN_COUNTRY_CODES } from './iban.ts';
import { trie } from './trie.ts';

/**
 * A line end or tab written out as an escape, as JSON logs and .ics / .vcf fields carry
 * them in text (`{"msg":"Reply to:\nchan@acme.com.hk\nMobile: 91234567"}`, `\tTel`,
 * `\r\nTel`): `\n`, `\r`, `\t`. Its letter joins no word or number: what follows starts
 * one (WORD_START, notJoined; the kernel starts a run after it), and `\n` and `\r` end a
 * line as line ends do (CONTEXT_GAP). The `i` flag of the regexes reads `\N`, `\R`,
 * `\T` so too (rare; detect.ts reads a two-letter HKID's first letter as an escape only
 * in lower case).
 */
export const ESCAPE = String.raw`\\[nrt]`;
/** Where an English word starts: not after an ASCII letter, unless that letter is an ESCAPE's. */
const WORD_START = String.raw`(?<![A-Za-z](?<!${ESCAPE}))`;

/** Words that make a bare eight-digit number a Hong Kong phone number. */
export const PHONE_CONTEXT_CJK = [
  '電話', '电话', '手機', '手机', '聯絡', '联络', '聯繫', '聯系', '联系', '致電', '致电',
  '傳真', '传真', '手提', '熱線', '热线', '微信',
  // Cantonese `call me` / `find me` (打俾我, 打畀我, 搵我), Mandarin 打给
  '打俾', '打畀', '打給', '打给', '搵我',
  // the Faster Payment System's proxy id, a mobile number (轉數快; not 回電, call back: it
  // starts 回電郵, reply by e-mail)
  '轉數快', '转数快',
] as const;
/** Whole words, case-insensitive: `tell` is not `tel`, `iPhone` is not `phone`. */
export const PHONE_CONTEXT_EN = [
  'tel', 'telephone', 'phone', 'phones', 'mobile', 'mob', 'call', 'calls', 'called', 'calling',
  'whatsapp', 'contact', 'contacts', 'cell', 'cellphone', 'fax', 'hotline', 'sms', 'wechat',
  'text me', 'text us', 'text him', 'text her',
  // `ph: 9123-4567`, Singapore / Malaysia `handphone`, and a number said to be someone's
  'ph', 'handphone', 'my number', 'our number', 'his number', 'her number',
  // a WhatsApp or WeChat id is the number (an `ID` elsewhere is another thing's: `Contact ID`)
  'whatsapp id', 'wechat id',
  // FPS, whose proxy id is a mobile number (`FPS: 9123 4567`; not `Telegram`: a column so
  // named holds handles)
  'fps',
] as const;
// `電話號碼`, `聯絡電話`, `打電話`, `联系电话` are covered by the shorter words above.
// `號碼` (number) alone is not a phone word: 訂單號碼 23456789 is an order number.

/** How far before a bare number its phone word may end (characters, same line). */
const CONTEXT_WINDOW = 20;

// Candidate shapes are as tight as a regex can make them (scheme prefixes and lengths
// for cards, IBAN country codes, the phone-word context for bare Hong Kong numbers), so
// that almost every match is a finding.

/**
 * The spaces that may stand between an identifier's groups wherever a space may: the
 * ASCII space, and those that text copied from Word, Outlook or web pages has instead:
 * no-break (U+00A0), figure (U+2007), thin (U+2009), narrow no-break (U+202F), and the
 * ideographic space (U+3000) that Chinese input modes type between half-width digits.
 * A regex class. (Tabs, line ends and zero-width spaces are not.)
 */
export const SPACE = '[ \\u00A0\\u2007\\u2009\\u202F\\u3000]';
/**
 * The hyphens that stand wherever `-` does, between groups and joining a token to the
 * next: hyphen-minus, hyphen (U+2010), non-breaking hyphen (U+2011), figure dash (U+2012,
 * the dash meant for numbers) and en dash (U+2013). A regex class.
 */
export const HYPHEN = '[\\-\\u2010-\\u2013]';
/** SPACE or a tab. */
export const SPACE_OR_TAB = '[\\t \\u00A0\\u2007\\u2009\\u202F\\u3000]';
/** A space or a hyphen of those above, where either may stand (what was `[ -]`). */
const SEP = '[ \\u00A0\\u2007\\u2009\\u202F\\u3000\\-\\u2010-\\u2013]';
/**
 * Spaces as aligned text and some exports write them between a written country code and
 * a number's groups: one to four of SPACE's (`+852  9123 4567`, `+86 138  1234 5678`).
 * Only after `+852`, `(852)`, `+86` and their kin (HKPP_PATTERN, CNPP_PATTERN,
 * LISTED_NUMBER): a bare `852` or `86`, and a bare number's groups, keep one separator,
 * and no tab counts (`Qty  852  2000  1500`, `+852\t2000\t1500`: a table's columns).
 */
const BLANKS = `${SPACE}{1,4}`;
/** SEP with BLANKS for its spaces. */
const WIDE_SEP = `(?:${BLANKS}|${HYPHEN})`;
/** Whether a code unit is one of SEP's (kernel/candidates.as.ts has the same test). */
export function isSeparator(c: number): boolean {
  return c === 32 || c === 45 || c === 0xa0 || c === 0x2007 || c === 0x2009 || (c >= 0x2010 && c <= 0x2013) || c === 0x202f || c === 0x3000;
}
/**
 * A no-break space written as HTML writes it, `&nbsp;`, where a space may stand between a
 * Hong Kong number's groups and after its +852 (`Tel:&nbsp;9123&nbsp;4567`, a web page or
 * an HTML mail read as text): HK_LOCAL, LINK_SEP, LISTED_NUMBER. (The `i` flag takes
 * `&NBSP;` too; the kernel's gate does.) Its digits-free letters leave the value as is.
 */
const NBSP = '&nbsp;';
/** An optional SEP, or NBSP: `(?:SEP?|NBSP)`, the class first (what nearly every number has). */
const SEP_OR_NBSP_OPT = `(?:${SEP}?|${NBSP})`;
/**
 * Not after a digit and a separator (SEP or NBSP): two lookbehinds, each failing at its
 * first character for most numbers. A digit after `#` is an index (PHONE_INDEX: `Phone #2
 * 9123 4567`), not a number's first group.
 */
const NOT_AFTER_DIGIT_SEP = String.raw`(?<!(?<![#＃]\d?)\d${SEP})(?<!\d${NBSP})`;

// Not followed by an alphanumeric, an e-mail's `@`, or a hyphen joining another token
// (`ORD-20261122-37121867`).
const END = `(?![0-9A-Za-z@]|${HYPHEN}[0-9A-Za-z])`;

/** The registry's country codes, in either case (spelt out as `[Gg][Bb]`: see PHONE_WORD). */
const IBAN_COUNTRIES = `(?:${trie(IBAN_COUNTRY_CODES).replace(/[A-Z]/g, (c) => `[${c}${c.toLowerCase()}]`)})`;

/**
 * English words here (phone words, order words, `no.`, `or`, `is my`) are matched in
 * either case by the `i` flag of every regex built from these pieces (ID_RE, PHONE_WORD_RE,
 * NEXT_PHONE_AT in records.ts), not by `(?i:...)` modifiers: V8 (Node 24) compiles a regex
 * unoptimized when its source is over 20 kB, or once the process has generated a
 * megabyte of regex code and holds 16 MB of executable memory (a long-running server, a
 * regex first run late on two-byte text), and then a modifier over alternatives fails to
 * match capitals: `(?i:te(?:l|x)) \d+` misses `TEL 123`, a `Phone:` went unread. The one
 * piece that must not read either case is `(?-i:[MT])`, the letter of `(M)` and `(T)`
 * (PHONE_CONTEXT_LABEL): unoptimized code keeps that one right (test/detect-written-forms.test.ts
 * runs it so). Nothing else in these pieces depends on case (letters are written `[A-Za-z]`;
 * the currency codes of an amount read in either case too).
 */
const PHONE_WORD = `(?:${trie(PHONE_CONTEXT_CJK)}|(?<![A-Za-z])(?:${trie(PHONE_CONTEXT_EN)})(?![A-Za-z]))`;
/**
 * PHONE_WORD before a number (PHONE_WORD_BEFORE), where a word may also start after an
 * escape's letter (WORD_START: `\nMobile: 91234567`). After a number (PHONE_CONTEXT_AHEAD)
 * a word on the next line, written out or not, is the next line's; the fewer lookbehinds
 * in the regex, the faster it is.
 */
const PHONE_WORD_BEHIND = `(?:${trie(PHONE_CONTEXT_CJK)}|${WORD_START}(?:${trie(PHONE_CONTEXT_EN)})(?![A-Za-z]))`;

/**
 * Words that say the number after them is something else's (an order's, an invoice's, an
 * account's) or a quantity (a count, a total, an amount: `telephone_count=23456789`, how
 * many telephones, is no phone number): standing between a phone word and a number, they
 * break the phone word's hold on it (`call the hotline for order 91234567`, `致電查詢訂單
 * 91234567`). English ones whole words, either case; `no` and `#` too (`call re no.
 * 23456789`), except right after the phone word (NUMBER_LABEL: `Mobile no. 9876 5432`,
 * `Phone #: 9123 4567`). Prefix tries (trie()): tried at each character of a gap.
 */
const NOT_A_PHONE_WORDS_EN = [
  'order', 'orders', 'ref', 'refs', 'reference', 'invoice', 'invoices', 'inv', 'receipt', 'booking', 'ticket', 'case', 'account', 'acct',
  'member', 'membership', 'policy', 'tracking', 'waybill', 'sku', 'item', 'qty', 'quantity', 'count', 'counts', 'cnt', 'total', 'totals',
  'amount', 'amt', 'id', 'no', 'nos',
];
const NOT_A_PHONE_WORDS_CJK = ['訂單', '订单', '單號', '单号', '發票', '发票', '編號', '编号', '參考', '参考', '帳號', '賬號', '账号', '戶口', '户口', '會員', '会员', '保單', '保单', '收據', '收据', '個案', '个案'];
const NOT_A_PHONE_WORD = String.raw`(?:(?<![A-Za-z])(?:${trie(NOT_A_PHONE_WORDS_EN)})(?![A-Za-z])|[#＃]|${trie(NOT_A_PHONE_WORDS_CJK)})`;

/**
 * What may stand between a phone word and the number after it: anything but a line end
 * (or one written out, `\n`, `\r`: ESCAPE), sentence punctuation, a slash or bar (`微信 /
 * 訂單號碼 52138417`), a digit or the start of a NOT_A_PHONE_WORD, so that the phone word
 * applies to the nearest number only
 * (`手機 9123 4567，訂單23456789`, `call me. Order 23456789`). A full stop is allowed
 * after the abbreviations `no.`, `tel.`, `mob.`, `ph.`, `fax.` (`Mobile no. is 9876 5432`).
 */
const CONTEXT_GAP = String.raw`(?:(?!${NOT_A_PHONE_WORD})[^\n\r。，,.;；!?！？/|\d\\]|(?<=(?<![A-Za-z])(?:no|tel|mob|ph|fax))\.|\\(?![nr]))`;

/** `no.`, `No:`, `num`, `#` right after a phone word: its label (`Tel. No.: `, `Phone #`), not another thing's number. (A key's, `phone_no:`, is PHONE_KEY.) */
const NUMBER_LABEL = String.raw`(?:\.?${SPACE}{0,2}(?:(?<![A-Za-z])(?:no|nos|num|nbr)(?![A-Za-z])\.?|#))`;
/**
 * An index after a phone word (or its NUMBER_LABEL), which of a person's numbers this is:
 * `Phone 2: `, `Mobile 1: `, `Tel (2): `, `Tel. 2: `, `Phone #2 `, `Phone No. 2: `, `電話2：`.
 * One or two digits (`Phone 2023 report 9123 4567` has none), bare or in brackets, and not
 * a word's (`Mobile 5G plan`); what may follow it is CONTEXT_GAP's, as after the phone
 * word. A bare index with only a space before the number is refused as any digit there is
 * (NOT_AFTER_DIGIT_SEP: `Phone 2 9123 4567` may be a Sydney number); after `#` it is an index.
 */
const PHONE_INDEX = String.raw`(?:\.?${SPACE}{0,2}(?:\d\d?|[(（]\d\d?[)）])(?![A-Za-z\d]))`;

/**
 * What joins the numbers of a list after one phone word (`Phone: 9123 4567 / 6123 4567`,
 * `call me at 9123 4567 or 6123 4567`, `電話 9123 4567、6123 4567`): a slash, comma,
 * semicolon or 、 (ASCII or full-width), `or` or 或, with at most two spaces or tabs on
 * either side. Nothing else may stand between the numbers. (A regex of it takes the `i`
 * flag: see PHONE_WORD.)
 */
export const LIST_SEPARATOR = String.raw`${SPACE_OR_TAB}{0,2}(?:[/／,，;；、]|(?<![A-Za-z])(?:or)(?![A-Za-z])|或)${SPACE_OR_TAB}{0,2}`;
/** How many numbers of a list before a number the phone word before them still governs (and after it, the phone word after them). */
const LIST_MAX = 4;
/**
 * The first digits of a Hong Kong number that needs a phone word (a bare one, or after a
 * bare `852`): 2 and 3 (fixed lines), 5, 6, 9 and 7 (mobile; 7 also pagers), and the mobile
 * blocks OFCA opened from 2018, 44, 46, 47 and 84 (the libphonenumber metadata's mobile
 * ranges). Not 1 (no local number), nor other 4x and 8x (81-83 are personal numbers, 800
 * freephone has nine digits). One digit, so `(?:HK_LEAD)\d{3}` is a number's first four:
 * written as two-digit alternatives (`[235679]\d|4[467]|84`), it made V8 (Node 24) miss
 * every bare number once the identifier regex's other branches stood beside it
 * (test/detect-hk-mobile-blocks.test.ts).
 */
export const HK_LEAD = '[235679]|4(?=[467])|8(?=4)';
/**
 * A phone number earlier in such a list: a bare one, or one with a +852 / (852) / 852
 * prefix (`Tel: +852 9123 4567 / 6123 4567`), its spaces BLANKS as HKPP_PATTERN's (`+852
 * 9123  4567`); the number after it is then one too.
 */
const LISTED_NUMBER = String.raw`(?:(?:\+852|\(\+?852\)|（\+?852）)(?:${WIDE_SEP}?|${NBSP})[2-9]\d{3}(?:${WIDE_SEP}?|${NBSP})|(?:00)?852${SEP_OR_NBSP_OPT}[2-9]\d{3}${SEP_OR_NBSP_OPT}|(?:${HK_LEAD})\d{3}${SEP_OR_NBSP_OPT})\d{4}`;

/**
 * A key that names a phone the way programs write keys (logs, YAML, .env, SQL, JSON read
 * as text), and its value: a phone word as the key's last part, in camelCase or as one word
 * or snake_case with a number's label or an index after it (`phoneNumber`, `mobileNo`,
 * `PHONENO`, `phone_no`, `tel_no`, `PHONE1`, `phone_2`, `contactPhone`, `mobilePhone`,
 * `homeTel`, `emergencyContactNo`; PHONE_NAME_COMPACT in records.ts says the same of a
 * column's name), then the key's `:`, `=` or `>` (an XML tag's; perhaps after a closing
 * quote or bracket and a space or two), then the value right after it, but for spaces,
 * quotes, a `>` or a `[` (`"mobileNo":"91234567"`, `PHONE1=91234567`, `mobile_no =
 * '91234567'`, `<mobileNo>91234567`, `$row['tel_no'] => '2345 6789'`). A key whose phone
 * word is a whole word followed by other parts is PHONE_WORD's, with the rest read as the
 * gap (`mobile_phone_hk: ...`), where a count or an id stops it (NOT_A_PHONE_WORD:
 * `telephone_count=23456789`, `phone_id: 23456789`). The regex has the `i` flag, so
 * camelCase cannot be told from one word: before `phone`, any two or more letters make a
 * camelCase key but for words that are other things (`headphone`, `earphone`, and those
 * ending in `o` or `a`: `microphone`, `xylophone`, `megaphone`; `iPhone` has one letter);
 * before `mobile`, `tel`, `fax` and `contact` only the words of PHONE_KEY_PREFIXES, so
 * that `hotel`, `motel`, `intel`, `hostel` and `automobile` are no keys. An index after
 * `cell` or `ph` is not read (`cell_1`, `PH2`: a spreadsheet's cell, a pH). Tried once per
 * number, not at every character of a gap as phone words are: the value follows its key.
 */
const PHONE_KEY_WORDS = ['phone', 'telephone', 'tel', 'mobile', 'mob', 'cell', 'cellphone', 'handphone', 'contact', 'fax', 'whatsapp', 'ph'];
const PHONE_KEY_PREFIXES = [
  'home', 'office', 'work', 'business', 'company', 'personal', 'private', 'direct', 'main', 'primary', 'secondary', 'alt',
  'other', 'emergency', 'contact', 'mobile', 'user', 'customer', 'client', 'member', 'staff', 'parent', 'guardian',
];
const KEY_LABEL = '(?:no|nos|num|number|nbr)';
const KEY_INDEX = String.raw`(?<!cell|ph)[_-]?\d{1,2}`;
const PHONE_KEY =
  String.raw`${WORD_START}(?:(?:[A-Za-z]{2,24}(?<![oa]|head|ear)(?=phone)|(?:${trie(PHONE_KEY_PREFIXES)}){1,2}(?=mobile|tel|fax|contact))(?:${trie(PHONE_KEY_WORDS)})(?:[_.-]?${KEY_LABEL})?(?:${KEY_INDEX})?` +
  String.raw`|(?:${trie(PHONE_KEY_WORDS)})(?:[_.-]?${KEY_LABEL}(?:${KEY_INDEX})?|${KEY_INDEX}))(?![A-Za-z0-9])["'\]]{0,2}${SPACE_OR_TAB}{0,2}[:=>：][ \t"'>[]{0,4}`;
/**
 * A vCard's TEL property with parameters (`TEL;type=CELL;type=VOICE;type=pref:` as an
 * iPhone writes it, `TEL;CELL;PREF:`, `TEL;TYPE=CELL,VOICE:`, `item1.TEL;HOME:`): its
 * parameters may be longer than CONTEXT_WINDOW, and hold `;` and `,`, which CONTEXT_GAP
 * does not take. Up to four of 20 characters each.
 */
const VCARD_TEL = String.raw`${WORD_START}tel(?:;[-\w=,".]{1,20}){1,4}:`;

/**
 * Markup between a label and its value, right before the number: HTML tags (a table's
 * cells, `<td>Phone:</td><td>9123 4567</td>`; `<strong>Tel:</strong> 2345 6789`;
 * `<span>手機</span><span>9234 5678</span>`), a written-out no-break space (`Tel:&nbsp;`)
 * or a Markdown table's bar (`| Phone | 9876 5432 |`), with spaces and colons around
 * them. At most four of them, a tag's attributes at most 60 characters (a longer style
 * is not read: 311 characters of markup at most), so that with the phone word and its
 * label (20), its index (7: PHONE_INDEX), the gap (20) and a list of four numbers before
 * this one (128), what is read before a number stays under 490 characters, within the
 * 512 a long line's piece sees before it (records.ts). Not a gap's unit: a gap's character is tried against every
 * phone word, markup once.
 */
const MARKUP = String.raw`(?:[ \t:：]{0,3}(?:<\/?[A-Za-z][A-Za-z0-9]{0,9}(?:\s[^<>\n]{0,60})?>|&nbsp;|&#160;|\|)){1,4}[ \t:：]{0,3}`;

/**
 * Where a signature puts a bracketed label (`(M)`, `(T)`: PHONE_CONTEXT_LABEL): at a line's
 * start, or after a line end written out (`\n(M) 9123 4567` in a JSON log), spaces or tabs
 * before it; or right after another number of the signature, a space or a list's separator
 * between (`T: 2345 6789 (M) 9123 4567`, `2345 6789 / (M) 9123 4567`).
 */
const BRACKET_LABEL_PLACE = String.raw`(?:(?:(?<![^\n\r])|${ESCAPE})${SPACE_OR_TAB}{0,8}|(?<!\d)[2-9]\d{3}${SEP_OR_NBSP_OPT}\d{4}${SPACE_OR_TAB}{0,2}(?:[/／,，;；、|]${SPACE_OR_TAB}{0,2})?)`;
/**
 * Signature labels: `M: 9123 4567`, `T: 2345 6789`, `(M) 9123 4567`, `(M): 91234567`, and
 * `Hp:` / `H/P:` (hand phone, as Hong Kong and Malaysia write it) with its colon: `HP` alone
 * is the printer maker (`HP LaserJet`, `HP printer 91234567`), and `H/P` alone hire purchase.
 * `(M)` and `(T)` only in upper case and where a signature puts them (BRACKET_LABEL_PLACE):
 * elsewhere they are a size, millions, or a model's letter (`Polo Shirt (M) 51234567`,
 * `Revenue (M) 23456789`, `(m) 23456789 shares`, `M404 (T) 55551234`).
 */
const PHONE_CONTEXT_LABEL = String.raw`(?:${WORD_START}(?:[MT]|H/?P)[:：]|${BRACKET_LABEL_PLACE}[(（](?-i:[MT])[)）])`;
/**
 * A phone word ending at most CONTEXT_WINDOW characters before, on the same line, with
 * what CONTEXT_GAP allows between, and markup right before the number (MARKUP); or a
 * phone key and its value (PHONE_KEY); or a vCard's TEL property, the number right after it.
 */
const PHONE_WORD_BEFORE = `(?:(?:${PHONE_WORD_BEHIND}|${PHONE_CONTEXT_LABEL})${NUMBER_LABEL}?${PHONE_INDEX}?${CONTEXT_GAP}{0,${CONTEXT_WINDOW}}(?:${MARKUP})?|${PHONE_KEY}|${VCARD_TEL}${SPACE_OR_TAB}{0,2})`;
const PHONE_CONTEXT_BEHIND = `(?<=${PHONE_WORD_BEFORE})`;
/**
 * A phone word before a list of up to LIST_MAX numbers that ends right before this one
 * (a separator first, in a lookbehind of its own: most numbers have none before them, and
 * fail there cheaply).
 */
const LIST_CONTEXT_BEHIND = `(?<=${LIST_SEPARATOR})(?<=${PHONE_WORD_BEFORE}(?:${LISTED_NUMBER}${LIST_SEPARATOR}){1,${LIST_MAX}})`;
/**
 * A valid month and day, MMDD (29 February in any year): what makes four digits after a
 * year 19xx or 20xx a date.
 */
const MONTH_DAY = String.raw`(?:(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d)|(?:0[13-9]|1[0-2])30|(?:0[13578]|1[02])31)`;
/**
 * A date written as a year 19xx or 20xx and a month-day, `2026 1130`, `2026-1130` or
 * `20261130`: the shape of a bare Hong Kong number (2026 1130), which after a list of
 * phones is that list's date (`電話: 9123 4567, 6123 4567, 2026 1130`), not another phone.
 */
const YEAR_MONTH_DAY = String.raw`(?:19|20)\d\d${SEP}?${MONTH_DAY}`;
/** A month 1-12 and a day 1-31, each with or without a leading zero (DATE_OR_TIME). */
const MONTH = String.raw`(?:0?[1-9]|1[0-2])`;
const DAY = String.raw`(?:0?[1-9]|[12]\d|3[01])`;
/**
 * A day and a month in either order, `sep` between (Hong Kong writes both `30/11` and
 * `11/30`): a month and a day, or a day 13-31 and a month. Which branch holds is known by
 * the first field's two digits, so a failing token costs a few steps.
 */
function dayAndMonth(sep: string): string {
  return String.raw`(?:${MONTH}${sep}${DAY}|(?:1[3-9]|2\d|3[01])${sep}${MONTH})`;
}
/**
 * A date or a time that stands apart from a number before it and a space: YEAR_MONTH_DAY
 * (not running on into another group), `2026-11-30`, `2026/11/30`, `2026.11.30`,
 * `30/11/2026`, `11/30/2026`, `30-11-26`, `30.11.2026`, `2026年`, `10:30`, `12.30pm`; a real month
 * and day (MONTH, DAY), so `99.99.99`, `45/13/2026` or `2026-19-45` (a reference, a
 * version) is no date. After a phone number it is when, not more of the number: `電話
 * 9123 4567 / 6123 4567 2026 1130`, `Tel: 9123 4567 10:30`.
 */
const DATE_OR_TIME = String.raw`(?:${YEAR_MONTH_DAY}${END}(?!${SEP}\d)|(?:(?:19|20)\d\d(?:-${MONTH}-${DAY}|/${MONTH}/${DAY}|\.${MONTH}\.${DAY})|(?:${dayAndMonth('/')}/|${dayAndMonth('-')}-|${dayAndMonth('\\.')}\.)(?:19|20)?\d\d|(?:[01]?\d|2[0-3])[:：][0-5]\d)(?!\d)|(?:19|20)\d\d年|(?:1[0-2]|0?[1-9])\.[0-5]\d${SPACE}?[AaPp]\.?[Mm](?![A-Za-z]))`;

/**
 * One or two digits and then a word, after a number a space apart: a count or a street
 * number, not more digits of the number (`Tel 9123 4567 2 people`, `電話 9123 4567 2位`,
 * `9123 4567 12 Queen's Road`; but `9123 4567 88 8888` may be one number).
 */
const COUNT_THEN_WORD = String.raw`\d{1,2}${SPACE}?[A-Za-z\u3400-\u9fff]`;

/**
 * What ends a number of such a list: the line or text (or a line end written out, `\n`:
 * ESCAPE), another separator, `and`, sentence punctuation, a bracket, a tag's `<` or a
 * table's `|` (MARKUP), or a phone word; or a date or time
 * (DATE_OR_TIME), right after it or after `on`, `at`, `by`, `from`, `until`, `till`,
 * `before`, `after`, 於 or 在 (`Tel 9123 4567 / 6123 4567 on 2026 1130`). Not a word of its
 * own: in `SMS 9123 4567, 98765432 units` the second number is a count, not a phone.
 */
const LIST_ITEM_END = String.raw`(?=${SPACE_OR_TAB}{0,2}(?:(?![\s\S])|[\n\r/／,，;；、.。!?！？)）(（<|]|${ESCAPE}|(?<![A-Za-z])(?:or|and)(?![A-Za-z])|[或及和同]|${PHONE_WORD}|(?:(?:on|at|by|from|until|till|before|after)${SPACE_OR_TAB}{1,2}|[於于在]${SPACE_OR_TAB}{0,2})?${DATE_OR_TIME}))`;

/**
 * A phone word right after the number: `9123 4567 (手機)`, `（WhatsApp）`, `係我手機`,
 * `係佢手機`, `是我的手机`, `is my mobile`. Only spaces, an opening bracket or "is my"
 * may come between, so the phone word of the next item (`23456789，手機 9123 4567`)
 * does not count; nor does a signature label (`23456789 T: ...`).
 */
const PHONE_CONTEXT_AHEAD =
  `(?=${SPACE_OR_TAB}{0,2}(?:[(（]${SPACE_OR_TAB}?|[係是](?:我|佢|他|她)(?:的|嘅)?|(?:is (?:my|his|her|our|the) ))?${PHONE_WORD})`;

/**
 * A list of up to LIST_MAX numbers after this one, the last with its phone word right
 * after it (PHONE_CONTEXT_AHEAD): `9123 4567 / 6123 4567 (手機)`, `9123 4567、6123 4567
 * 係我手機`. The mirror of LIST_CONTEXT_BEHIND: only LIST_SEPARATOR between the numbers,
 * on one line; and as there, a date (YEAR_MONTH_DAY) is no item of the list (HKB_PATTERN:
 * `2026 1130 / 9123 4567 (手機)`). Its separator is tested first, where most numbers fail
 * cheaply.
 */
const LIST_CONTEXT_AHEAD = `(?=${LIST_SEPARATOR}${LISTED_NUMBER}(?:${LIST_SEPARATOR}${LISTED_NUMBER}){0,${LIST_MAX - 1}}${PHONE_CONTEXT_AHEAD})`;
/**
 * Not a number that an order, reference, invoice or account word (NOT_A_PHONE_WORD)
 * labels: the word right before it, with only a label's marks between (spaces, `:`, `.`,
 * `#`, `No.`, 號碼): `訂單 23456789、91234567 係我手機`, `Order no.: 23456789, 91234567
 * (mobile)`. A phone word after a list reaches its first number across the others, and
 * that number's own label says it is another thing's. A word further off labels
 * something else (`會員陳大文 91234567 (手機)`: the member is the person).
 */
const NOT_LABELLED_OTHER = String.raw`(?<!${NOT_A_PHONE_WORD}(?:[ 	:：.#＃]|號碼|号码|號|号|碼|码|(?<![A-Za-z])(?:no|number)(?![A-Za-z])){0,4})`;
/**
 * A phone word right after a number that is the next number's label, not this one's:
 * `23456789 電話 91234567`. A labelled number (NOT_LABELLED_OTHER) with a phone word after
 * it is still a phone when that word labels nothing else (`Member: 91234567 (mobile)`).
 */
const PHONE_WORD_THEN_NUMBER = String.raw`(?=${SPACE_OR_TAB}{0,2}${PHONE_WORD}[^\n\r\d]{0,6}\d)`;

/** `f(SPACE)|f(HYPHEN)`: one kind of separator throughout (spaces, or hyphens), without a backreference. */
function bySep(f: (sep: string) => string, seps: readonly string[] = [SPACE, HYPHEN]): string {
  return seps.map(f).join('|');
}

/**
 * A Hong Kong local number: 4-4 with one separator (or HTML's `&nbsp;`: NBSP), or
 * compact. Grouped with spaces, it may be followed by a space and a date or time
 * (DATE_OR_TIME: `6123 4567 2026 1130`) or a count (COUNT_THEN_WORD: `9123 4567 2
 * people`), not by another number (`9123 4567 8888` may be one longer number).
 */
const HK_LOCAL = String.raw`(?:${HK_LEAD})\d{3}(?:${SPACE}\d{4}${END}(?!${SPACE}(?=\d)(?!${DATE_OR_TIME}|${COUNT_THEN_WORD}))|${HYPHEN}\d{4}${END}(?!${HYPHEN}\d)|\d{4}${END}|${NBSP}\d{4}${END}(?!${NBSP}\d))`;
/**
 * HK_LOCAL's span, where HK_LOCAL has already matched at the same place (HKB_PATTERN): its
 * four shapes differ at the fifth character and have fixed lengths, so this takes the
 * same characters, without repeating the tests of what follows (DATE_OR_TIME above all).
 * Each copy of HK_LOCAL costs the identifier regex about a kilobyte: above 20 kB V8
 * compiles it unoptimized (see PHONE_WORD), which is slower.
 */
const HK_LOCAL_SPAN = String.raw`(?:${HK_LEAD})\d{3}${SEP_OR_NBSP_OPT}\d{4}`;

// Each candidate kind is one capture group, written from the candidate's first
// character; GROUP_KINDS[i] is the kind of capture group i + 1.
export type CandidateKind = 'hkid' | 'iban' | 'ibans' | 'hkp' | 'cnp' | 'card' | 'cng' | 'hkb' | 'run' | 'hkpp' | 'cnpp' | 'pct';
export const GROUP_KINDS: CandidateKind[] = [];

function group(kind: CandidateKind, pattern: string): string {
  GROUP_KINDS.push(kind);
  return `(${pattern})`;
}

const HKID_PATTERN =
  // one or two letters, either case; check digit in ASCII, square or full-width brackets,
  // bare, or after a hyphen (`A123456-3`: detect() wants an HKID word near that one, or
  // an ID number's label right before it)
  String.raw`[A-Za-z]{1,2}\d{6}(?:${SPACE}?[(（][0-9Aa][)）]|${SPACE}?[[［][0-9Aa][\]］]|${HYPHEN}?[0-9Aa]${END})`;
/**
 * An HKID with a space after its letters, `A 123456 (3)`, `AB 987654(3)`: upper-case
 * letters (lower-case, `to 123456 (1)` is a word and a number) and the check digit in
 * ASCII brackets. Not part of ID_RE (the kernel lists no letter that a space follows):
 * detect() tries it from each `(` after a digit (scanSpacedHkids). Full-width and square
 * brackets are left out here: finding each `（` or `[` in a text costs a scan more time than
 * these rare forms are worth.
 */
export const SPACED_HKID = String.raw`${notJoined(0, true)}[A-Z]{1,2}${SPACE}\d{6}${SPACE}?\([0-9Aa]\)`;
/** IBAN groups: one kind of separator (space, dash or dot) throughout. */
const IBAN_SEPS = [SPACE, HYPHEN, String.raw`\.`] as const;
const IBAN_PATTERN =
  // a registry country, check digits, then compact, or in groups (commonly of four; the
  // first may run on from the check digits); either case. detect.ts cuts a candidate
  // that runs on into the next words at the country's length.
  String.raw`${IBAN_COUNTRIES}\d{2}(?:[A-Za-z0-9]{11,30}|[A-Za-z0-9]{0,30}(?:${bySep((s) => String.raw`(?:${s}[A-Za-z0-9]{1,30}){1,10}`, IBAN_SEPS)}))${END}`;
/**
 * An IBAN with a separator after its country code too (`NO 93 8601 1117 947`,
 * `DE-89-3704-...`): the same separator throughout; the check digits may run on into the
 * first group.
 */
const IBAN_SEPARATED_PATTERN =
  String.raw`${IBAN_COUNTRIES}(?:${bySep((s) => String.raw`${s}\d{2}[A-Za-z0-9]{0,30}(?:${s}[A-Za-z0-9]{1,30}){0,10}`, IBAN_SEPS)})${END}`;
// phones with a bare country code (852 / 86 / 00852 / 0086): one separator at most between
// groups (BLANKS says why)
const HKP_PATTERN = String.raw`(?:00)?852${SEP}?[2-9]\d{3}${SEP}?\d{4}${END}`;
const CNP_PATTERN = String.raw`(?:00)?86${SEP}?1[3-9]\d(?:\d{8}|${bySep((s) => String.raw`${s}\d{4}${s}\d{4}`)})${END}`;
// grouped card numbers: 4-4-4-4, 4-4-4-4-1..3 (to 19 digits), 4-4-4-1..3 (13-15 digits),
// 4-6-5 (Amex) and 4-6-4 (Diners Club); not continuing with another group, and not after
// a digit and a separator (`12 4111 1111 1111 1111` may be one longer number). Groups of
// four make a card plain enough that 4-4-4-4 may follow a number that plainly stands
// apart (NUMBER_APART, then a space), and may be followed by an expiry, four digits MMYY
// that end the grouping (`4111 1111 1111 1111 1227 cvv 123`, not `... 1227 3456`).

/**
 * A number that stands apart from a card number after it (and a space): a time (`10:15`,
 * `10:15:30`), a date (`2026-11-30`, `2026/11/30`, `30/11/2026`, `30.11.26`, `30-11-2026`),
 * an amount (`HK$500`, `$1,200.50`, `¥500`, `HKD 500`, `500.00`) or a number with leading
 * zeros (`001`, a sequence number). Bounded, as every lookbehind here is: the pieces of a
 * long line see 512 characters behind where they start reporting (records.ts).
 */
const NUMBER_APART = [
  String.raw`(?<![\d:：])\d{1,2}[:：]\d{2}(?:[:：]\d{2})?`,
  String.raw`(?<![\d/.-])(?:\d{4}-\d{1,2}-\d{1,2}|\d{4}/\d{1,2}/\d{1,2}|\d{1,2}/\d{1,2}/\d{2,4}|\d{1,2}\.\d{1,2}\.\d{2,4}|\d{1,2}-\d{1,2}-\d{2,4})`,
  String.raw`(?:[$¥￥€£＄]|(?<![A-Za-z])(?:HKD|USD|RMB|CNY|EUR|GBP)${SPACE}?)\d[\d,]{0,15}(?:\.\d{1,2})?`,
  String.raw`(?<![\d.,])\d[\d,]{0,15}\.\d{2}`,
  String.raw`(?<!\d)0\d{1,2}`,
].join('|');
const AFTER_NO_NUMBER_OR_ONE_APART = String.raw`(?:(?<!\d${SEP})|(?<=(?:${NUMBER_APART})${SPACE}))`;
// (all shapes start with four digits and a separator: tested first, before the lookbehinds)
/**
 * What may follow a card in groups of four with the same separator `s` and still end it:
 * an expiry MMYY, perhaps with a three-digit CVV after it (`4111 1111 1111 1111 1227`,
 * `... 1111 1227 123`, as a card's details are pasted), and then no more of the grouping
 * (`... 1111 1227 3456` may be one longer number).
 */
const EXPIRY_THEN_CVV = (s: string): string => String.raw`(?:0[1-9]|1[0-2])\d\d${END}(?!${s}(?!\d{3}${END}(?!${s}\d))\d)`;
const CARD_PATTERN =
  String.raw`(?=[2-6]\d{3}${SEP}\d)(?:${AFTER_NO_NUMBER_OR_ONE_APART}[2-6]\d{3}(?:${bySep((s) => String.raw`${s}\d{4}${s}\d{4}${s}\d{4}(?:${s}\d{1,3})?${END}(?!${s}(?!${EXPIRY_THEN_CVV(s)})\d{4})`)})` +
  String.raw`|(?<!\d${SEP})(?:[2-6]\d{3}(?:${bySep((s) => String.raw`${s}\d{4}${s}\d{4}${s}\d{1,3}${END}(?!${s}\d{4})`)})` +
  String.raw`|[3-6]\d{3}(?:${bySep((s) => String.raw`${s}\d{6}${s}\d{4,5}${END}(?!${s}\d)`)})))`;
// grouped mainland mobile 3-4-4; grouped with spaces, it may be followed by a space and a
// date or time (DATE_OR_TIME, as HK_LOCAL)
const CNG_PATTERN = String.raw`(?<!\d${SEP})1[3-9]\d(?:${SPACE}\d{4}${SPACE}\d{4}${END}(?!${SPACE}(?=\d)(?!${DATE_OR_TIME}|${COUNT_THEN_WORD}))|${HYPHEN}\d{4}${HYPHEN}\d{4}${END}(?!${HYPHEN}\d))`;
// bare Hong Kong number, 4-4 or compact, after or right before a phone word, or in a list
// after or right before one (LIST_CONTEXT_BEHIND, LIST_CONTEXT_AHEAD); its shape is
// tested first, in a lookahead of its own: the phone-word lookbehind costs more than all the
// rest, and most digit candidates that get this far (longer runs, near misses) are not that shape
export const HKB_PATTERN = String.raw`${NOT_AFTER_DIGIT_SEP}(?=${HK_LOCAL})(?:${PHONE_CONTEXT_BEHIND}${HK_LOCAL_SPAN}|${LIST_CONTEXT_BEHIND}(?!${YEAR_MONTH_DAY})${HK_LOCAL_SPAN}${LIST_ITEM_END}|(?=${HK_LOCAL_SPAN}${PHONE_CONTEXT_AHEAD})(?:${NOT_LABELLED_OTHER}|(?!${HK_LOCAL_SPAN}${PHONE_WORD_THEN_NUMBER}))${HK_LOCAL_SPAN}|(?=${HK_LOCAL_SPAN}${LIST_CONTEXT_AHEAD})(?!${YEAR_MONTH_DAY})${NOT_LABELLED_OTHER}${HK_LOCAL_SPAN})`;
/**
 * Two bare Hong Kong numbers a space apart after a phone word, as a person lists them
 * (`Tel: 5123 4567 6123 4561`): a card's 4-4-4-4 shape, which one pair in ten passes Luhn
 * and an IIN range with. The match is the first number, after its phone word as
 * HKB_PATTERN's first branch reads it, and the space after it; the second number follows
 * as HK_LOCAL, ending as a bare number does (`... 6123 4561 (mobile)`, `... 6123 4561
 * 10:30`; not `... 6123 4561 1227`, an expiry). The shape is tested first: the phone-word
 * lookbehind costs most, and most cards are not two numbers' shape. Not part of ID_RE:
 * detect() tries it where the card's branch took such a shape.
 */
export const TWO_HK_NUMBERS = String.raw`(?=(?:${HK_LEAD})\d{3}${SPACE}\d{4}${SPACE}${HK_LOCAL})${NOT_AFTER_DIGIT_SEP}${PHONE_CONTEXT_BEHIND}\d{4}${SPACE}\d{4}${SPACE}`;
/**
 * A PRC resident ID in groups after its first six digits: 6-8-4 (region code, birth date,
 * sequence and check character: `110105 19491231 002X`, `110105-19491231-002x`), the way
 * forms and people group it, with one kind of separator throughout; the birth year 19xx
 * or 20xx (detect() checks the date and the check character). Unlike the short groups of
 * cards and phones, it may follow or be followed by another number and a space (`陳大文
 * 110105 19491231 002X 138 1234 5678`, a row of IDs): its date and check character say it
 * is one. (3-3-4-4-4 and 6-8-3-1 are left out: rarely written, and their short groups are
 * what phone and other numbers are made of.) Part of RUN_PATTERN's first branch, after
 * the six digits the compact ID starts with too: a branch of its own cost every candidate
 * that matches nothing (most are `9123 4567` without a phone word) a few percent more time.
 */
const CN_ID_GROUPS_REST = bySep((s) => String.raw`${s}(?:19|20)\d{6}${s}\d{3}[\dXx]`);
// compact runs by length and prefix: PRC ID (or an 18-digit card; or the ID grouped
// 6-8-4), mainland mobile, Visa, Mastercard, Amex, JCB, UnionPay, Discover, Diners Club,
// Maestro
const RUN_PATTERN =
  String.raw`(?:\d{6}(?:\d{11}[\dXx]|${CN_ID_GROUPS_REST})|1[3-9]\d{9}|4\d{12}(?:\d{3}){0,2}|5[1-5]\d{14}|2[2-7]\d{14}|3[47]\d{13}|35\d{14,17}|62\d{14,17}` +
  String.raw`|6(?:011|4[4-9]\d|5\d\d)\d{12,15}|3(?:0[0-5]\d|095|[689]\d\d)\d{10}(?:\d\d)?|(?:50(?:18|20|38)|5893|6304|67(?:59|6[1-3]))\d{8,15})${END}`;
/**
 * A separator after a written `+852` / `(852)` or `+86`: SEP's (its spaces BLANKS: more
 * than one, or a tab), or a space as a link writes
 * it with its `+` and brackets kept: percent-encoded, `%20` (`tel:+852%209123%204567`,
 * encodeURIComponent's `(852)%209123%204567`, `sms:+86%20138%201234%205678`), or
 * form-encoded, `+` (`?phone=+852+9123+4567`; PCT_PATTERN reads it so after `%2B852`); or
 * a dot, as some write a number's groups (`+852.9123.4567`, `+86.138.1234.5678`).
 */
const LINK_SEP = String.raw`(?:${WIDE_SEP}|%20|\+|\.|${NBSP})`;
// phones with +852 / (852) / (+852) / （852） / [+852], +86 / (86) / (+86) / （86） / [+86] (not `[852]`: a log's
// process id, `worker[852] 20241130 started`)
const HKPP_PATTERN = String.raw`(?:\+852|\(\+?852\)|（\+?852）|\[\+852\])${LINK_SEP}?[2-9]\d{3}${LINK_SEP}?\d{4}${END}`;
const CNPP_PATTERN = String.raw`(?:\+86|\(\+?86\)|（\+?86）|\[\+86\])${LINK_SEP}?1[3-9]\d(?:\d{8}|${bySep((s) => String.raw`${s}\d{4}${s}\d{4}`, [BLANKS, HYPHEN, '%20', String.raw`\+`, String.raw`\.`])})${END}`;

/**
 * A +852 or +86 number in a link, its `+` percent-encoded as `%2B` (or `%2b`):
 * `tel:%2B852-9123-4567`, `https://wa.me/?phone=%2B85291234567`, `sms:%2B8613812345678`;
 * or its brackets, `%28852%29` / `%28%2B852%29` (URLSearchParams, PHP and Python encode
 * `(` and `)`), or its `+` alone inside kept brackets, `(%2B852)` (encodeURIComponent).
 * The shapes of HKPP_PATTERN and CNPP_PATTERN after it, where a separator may also be an
 * encoded space, `%20`, or a form-encoded one, `+` (`tel:%2B852%209123%204567`,
 * `phone=%2B852+9123+4567`, `%28852%29+9123+4567`). Only these escapes right around 852
 * or 86: others (`%2C`, `%252B`, `%28852)`) and prefixes are not read.
 */
const URL_SEP = String.raw`(?:${SEP}|%20|\+)`;
const pctCode = (code: string): string => String.raw`(?:%2[Bb]${code}|%28(?:%2[Bb])?${code}%29|\(%2[Bb]${code}\))`;
const PCT_PATTERN =
  String.raw`(?:${pctCode('852')}${URL_SEP}?[2-9]\d{3}${URL_SEP}?\d{4}|${pctCode('86')}${URL_SEP}?1[3-9]\d(?:\d{8}|${bySep((s) => String.raw`${s}\d{4}${s}\d{4}`, [SPACE, HYPHEN, '%20', String.raw`\+`])}))${END}`;
/** What PCT_PATTERN (and LINK_SEP) reads as no digit of the number: the encoded `+`, brackets and spaces. */
export const URL_ESCAPES = /%2[089Bb]/g;

/**
 * Not preceded by an ASCII letter or digit, nor by one and a hyphen, `n` characters back;
 * with `afterEscape`, but for the letter of an escape written out (ESCAPE: `\n91234567`,
 * `\nA123456(3)`), in the branches that start a number or an HKID (rare elsewhere, and
 * each lookbehind costs the regex time).
 */
function notJoined(n: number, afterEscape = false): string {
  const dots = '.'.repeat(n);
  return `(?<![0-9A-Za-z]${afterEscape ? `(?<!${ESCAPE})` : ''}${dots}|[0-9A-Za-z]${HYPHEN}${dots})`;
}

/**
 * A bare Hong Kong number where no phone word is needed because the place says it is a
 * phone (a chat named `9123 4567 陳生`, a cell of a `電話` column): the shapes HKB_PATTERN
 * takes after a phone word, with the same tests of what stands before and after.
 * Not part of ID_RE: text needs the phone word.
 */
export const BARE_HK_NUMBER = `${notJoined(0, true)}${NOT_AFTER_DIGIT_SEP}${HK_LOCAL}`;

/**
 * A 13-digit card number where no card word is needed because the place says it is a card
 * (a cell of a `卡號` or `card_no` column: records.ts): the shapes detect() takes for 13
 * digits, compact or 4-4-4-1 with one kind of separator, with the same tests of what stands
 * before and after. Not part of ID_RE: text needs the card word (cardContext in detect.ts).
 */
export const CARD_13_NUMBER =
  `${notJoined(0)}(?:\\d{13}${END}|(?<!\\d${SEP})(?:${bySep((s) => String.raw`\d{4}${s}\d{4}${s}\d{4}${s}\d${END}(?!${s}\d{4})`)}))`;

/** A bare Hong Kong number's canonical value, as detect() gives it: `+852` and its eight digits. */
export const bareHkValue = (raw: string): string => `+852${raw.replace(/\D/g, '')}`;

/**
 * A phone word (PHONE_CONTEXT_*) anywhere in a name, by the rules of the text's context
 * words: Chinese ones anywhere, English ones whole words in either case.
 */
export const PHONE_WORD_RE = new RegExp(PHONE_WORD, 'i');

/**
 * The identifier regex. V8 walks text fastest when every branch starts by consuming a
 * few characters from small classes (its Boyer-Moore-style skip looks as far ahead as
 * the shortest branch), so each branch consumes the start of a candidate (a letter, a
 * letter or digit, and a digit; three digits; `86` and a separator and `1`; a sign or bracket and
 * `8` or `+`; `%2B`, `%28`, `(%2`), checks what comes before it (not a letter or digit, nor one joined by a
 * hyphen) and a cheap gate on what follows, and only then, from inside a lookbehind,
 * runs the full candidate patterns as a lookahead from the candidate's first
 * character. The regex match is those few characters; the candidate is the capture
 * group that matched (lookaround captures are kept), and the caller moves lastIndex
 * past it. No backreferences (separators are spelt out) and no named groups, to keep
 * each match cheap to build.
 *
 * detect() tries it only where the kernel (candidates.ts, kernel/candidates.as.ts)
 * finds a branch's first step: a branch's first characters, `notJoined` and the digit
 * branch's gate are written out there too, and must change together with these.
 */
export const ID_RE = new RegExp(
  [
    // HKID and IBAN both start with a letter, a letter or digit, and a digit
    String.raw`[A-Za-z][A-Za-z\d]\d${notJoined(3, true)}` + `(?<=(?=${group('hkid', HKID_PATTERN)}|${group('iban', IBAN_PATTERN)})...)`,
    // an IBAN whose country code is separated from its check digits: two letters, a separator and a digit
    String.raw`[A-Za-z]{2}(?:${SEP}|\.)\d${notJoined(4)}(?<=(?=${group('ibans', IBAN_SEPARATED_PATTERN)})....)`,
    String.raw`\d{3}${notJoined(3, true)}(?=\d${SEP}?\d{3}|\d{3}${SEP}[12]|(?<=1[3-9]\d)${SEP}|(?<=852)${SEP}|(?<=008)52|\d${NBSP}\d{3})` +
      `(?<=(?=${[
        group('hkp', HKP_PATTERN),
        group('cnp', CNP_PATTERN),
        group('card', CARD_PATTERN),
        group('cng', CNG_PATTERN),
        group('hkb', HKB_PATTERN),
        group('run', RUN_PATTERN),
      ].join('|')})...)`,
    String.raw`86${SEP}1${notJoined(4)}(?<=(?=${group('cnp', CNP_PATTERN)})....)`,
    String.raw`[+(（[][+8](?<=(?=${group('hkpp', HKPP_PATTERN)}|${group('cnpp', CNPP_PATTERN)})..)`,
    // a percent-encoded `+` or bracket and a country code: `%2B852`, `%2b86`, `%28852%29`, `(%2B852)` (rare: last)
    String.raw`(?:%2[Bb8]|\(%2)(?<=(?=${group('pct', PCT_PATTERN)})...)`,
  ].join('|'),
  'gi', // `i` for the English words (see PHONE_WORD)
);
