// Detectors for personal and regulated data in mixed English / Chinese text.
//
// Pure: no I/O, no clock. `detect(text)` returns every finding, sorted by start,
// without overlaps. Offsets are JavaScript string indices (UTF-16 code units), end
// exclusive, so `text.slice(start, end) === raw`.
//
// How it stays fast (one core; see the figures in the issue note): every pass over the
// text is a V8-compiled regular expression or a native `indexOf`, never a per-character
// JS loop, and JS runs only on the few candidates whose shape already matches:
//   1. one identifier regex (HKID, IBAN, PRC ID, cards, phones). Its shapes are as tight
//      as a regex can make them (scheme prefixes and lengths, IBAN country codes, the
//      phone-word context), so nearly every match is a finding; JS then verifies check
//      digits, dates and IBANs. See ID_RE for how it is laid out for speed.
//   2. `indexOf('@')` for e-mail, expanding left with a short loop and right with a
//      sticky regex;
//   3. keyword regexes for the health / payroll topics: one for English, and the
//      Chinese keywords as prefix tries of at most 12 first characters each.
// Aho-Corasick (`modern-ahocorasick`, which the issue suggests) was measured and not
// used: it is grapheme-aware and walks the text in JS, about 7 MB/s on the benchmark
// text against several hundred MB/s for the keyword regexes.
//
// Rules and the choices made where the issue leaves room:
// - Identifiers are never part of a longer alphanumeric run: the character before and
//   after must not be an ASCII letter or digit, nor a hyphen joining one (CJK
//   characters, punctuation, spaces and line ends are all fine, so
//   `客戶身份證A123456(3)已核實` is found, while a tracking number like
//   `SF4111111111111111`, a hex hash or `ORD-20261122-37121867` is not). Grouped numbers
//   (`4111 1111 1111 1111`) must also not be preceded by a digit and a separator, nor
//   continue with the same separator and four more digits. Nothing ending right before
//   `@` is a number finding (that is the local part of an e-mail such as
//   `13812345678@163.com`, found as an e-mail instead). Full-width digits are not read.
// - hk_id: one or two UPPER-CASE letters (lower case is too noisy in chat), six digits,
//   check digit 0-9 or A, bare or in ASCII `()` or full-width `（）` brackets (one space
//   before the bracket is allowed). The check digit is verified: a single letter counts
//   as a leading space (36), letters A=10..Z=35, weights 9..2, check = (11 - sum mod 11)
//   mod 11, 10 written A. value: `A1234563`.
// - cn_resident_id: 17 digits + check digit or X (x accepted, value upper-cased);
//   ISO 7064 MOD 11-2 verified; digits 7-14 a real calendar date between 1900-01-01 and
//   2099-12-31 (a fixed bound keeps detect() free of the clock). The region code is not
//   checked.
// - payment_card: Visa (4; 13, 16 or 19 digits), Mastercard (51-55, 2221-2720; 16), Amex
//   (34, 37; 15), UnionPay (62; 16-19), JCB (3528-3589; 16-19); compact, or in groups
//   4-4-4-4(-3) or Amex 4-6-5 with one kind of separator (single space or dash); Luhn
//   verified. A grouped 19-digit candidate that fails falls back to its first 16 digits
//   (a card number followed by a CVV).
// - iban: upper case, compact or in groups of four separated by single spaces; country,
//   length, BBAN format and mod 97 checked (`ibantools`, after a cheap length and mod-97
//   check of our own; a grouped candidate that runs
//   on into the next word is cut at its country's length when that falls on a group
//   boundary). country: the IBAN's country code.
// - hk_phone: +852 / (852) / (+852) / （852） / 00852 followed by eight digits starting 2-9;
//   a bare `852` prefix only with 2, 3, 5, 6, 7 or 9 next; optional space or dash after
//   the prefix and between 4+4. Bare eight-digit numbers starting 2, 3, 5, 6, 7 or 9
//   only next to a phone word (PHONE_CONTEXT_* below; English case-insensitive and
//   whole words, so `hotel` and `tell` are not `tel`, `iPhone` is not `phone`; also the
//   signature labels `M:` / `T:`): a phone word ending within 20 characters before the
//   number on the same line with no sentence punctuation, slash or digit between
//   (`手機：9123 4567`, `call me 6123 4567`, but not the order number in
//   `手機 9123 4567，訂單23456789` or `call me. Order 23456789`), or right after it, with
//   only spaces, an opening bracket or "is my" / 係我 / 係佢 between (`9123 4567 (手機)`,
//   `6130 1824 是我的手机`, `9123 4567 is my mobile`), so that the next item's phone word
//   does not count. value: `+85291234567`.
//   google-libphonenumber was not used: the issue's leading-digit rule is the
//   specification, and its metadata would add ~500 kB and a per-candidate parse for no
//   gain in recall.
// - cn_phone: 1[3-9] + nine digits, compact or 3-4-4 with one kind of separator,
//   optionally after +86 / 86 / (+86) / (86) / 0086 and an optional space or dash.
//   value: `+8613812345678`.
// - email: local part of ASCII letters, digits and `._%+-` (no leading, trailing or
//   double dot), `@`, dot-separated domain labels (letters, digits, inner hyphens) and an
//   alphabetic TLD of 2+ letters. Anything non-ASCII (CJK, full-width punctuation) ends
//   it. value: lower case.
// - health / payroll: keyword lists in English, Traditional and Simplified Chinese.
//   English keywords match whole words, case-insensitively (so `wealth` is not `health`);
//   an underscore counts as a boundary (`monthly_salary_hkd`). Chinese keywords match
//   anywhere. One detection per occurrence; value: the canonical keyword. Colloquial
//   Hong Kong words are included (醫生紙, 睇醫生, 出糧, 雙糧, 佣金, medical leave, OT pay,
//   commission). Dropped: a capitalised `Commission` in a body's name (`Securities and
//   Futures Commission`, `Commission (SFC)`, `Independent Commission Against
//   Corruption`), `bonus points` / `bonus miles`, the idiom 花紅柳綠. `人工`
//   (wages, colloquially) is left out: it is mostly `人工智能` and other non-pay uses.
//   A keyword inside an e-mail address (`payroll@acme.hk`) is dropped in favour of the
//   e-mail.

import { countrySpecs, isValidIBAN } from 'ibantools';

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

// ---------------------------------------------------------------------------------
// Topic keywords

/** health: canonical keyword -> spellings (English: whole words, case-insensitive). */
export const HEALTH_KEYWORDS: Readonly<Record<string, readonly string[]>> = {
  diagnosis: ['diagnosis', 'diagnoses', 'diagnosed'],
  'medical certificate': ['medical certificate', 'medical certificates', 'medical cert'],
  'medical record': ['medical record', 'medical records', 'medical history'],
  'medical report': ['medical report', 'medical reports'],
  'medical condition': ['medical condition', 'medical conditions', 'health condition', 'health conditions'],
  'sick leave': ['sick leave', 'sick-leave', 'sick note'],
  'medical leave': ['medical leave'],
  hospital: ['hospital', 'hospitals', 'hospitalised', 'hospitalized', 'hospitalisation', 'hospitalization'],
  prescription: ['prescription', 'prescriptions'],
  'health check': ['health check', 'health checks', 'health check-up', 'medical check-up', 'medical checkup'],
  病假: ['病假'],
  醫生證明: ['醫生證明'],
  医生证明: ['医生证明'],
  醫生紙: ['醫生紙'], // colloquial Hong Kong for a medical certificate
  医生纸: ['医生纸'],
  診斷: ['診斷'],
  诊断: ['诊断'],
  住院: ['住院'],
  醫療: ['醫療'],
  医疗: ['医疗'],
  體檢: ['體檢'],
  体检: ['体检'],
  病歷: ['病歷'],
  病历: ['病历'],
  處方: ['處方'],
  处方: ['处方'],
  醫院: ['醫院'],
  医院: ['医院'],
  睇醫生: ['睇醫生'], // colloquial: seeing a doctor
  睇医生: ['睇医生'],
  門診: ['門診'],
  门诊: ['门诊'],
  入院: ['入院'],
};

/** payroll: canonical keyword -> spellings. */
export const PAYROLL_KEYWORDS: Readonly<Record<string, readonly string[]>> = {
  salary: ['salary', 'salaries'],
  payslip: ['payslip', 'payslips', 'pay slip', 'pay slips', 'pay-slip', 'pay-slips'],
  payroll: ['payroll', 'payrolls'],
  bonus: ['bonus', 'bonuses'],
  MPF: ['mpf'],
  wages: ['wage', 'wages'],
  commission: ['commission', 'commissions'], // sales pay; not a regulator's name (see keepTopic)
  'OT pay': ['ot pay', 'ot payment'],
  薪金: ['薪金'],
  薪酬: ['薪酬'],
  薪水: ['薪水'],
  薪資: ['薪資'],
  薪资: ['薪资'],
  工資: ['工資'],
  工资: ['工资'],
  糧單: ['糧單'],
  粮单: ['粮单'],
  出糧: ['出糧'],
  出粮: ['出粮'],
  強積金: ['強積金'],
  强积金: ['强积金'],
  花紅: ['花紅'],
  花红: ['花红'],
  獎金: ['獎金'],
  奖金: ['奖金'],
  佣金: ['佣金'],
  月薪: ['月薪'],
  年薪: ['年薪'],
  底薪: ['底薪'],
  加薪: ['加薪'],
  雙糧: ['雙糧'], // the 13th-month payment
  双粮: ['双粮'],
  津貼: ['津貼'],
  津贴: ['津贴'],
};

/** Words that make a bare eight-digit number a Hong Kong phone number. */
export const PHONE_CONTEXT_CJK = [
  '電話', '电话', '手機', '手机', '聯絡', '联络', '聯繫', '聯系', '联系', '致電', '致电',
  '傳真', '传真', '手提', '熱線', '热线', '微信',
] as const;
/** Whole words, case-insensitive: `tell` is not `tel`, `iPhone` is not `phone`. */
export const PHONE_CONTEXT_EN = [
  'tel', 'telephone', 'phone', 'phones', 'mobile', 'mob', 'call', 'calls', 'called', 'calling',
  'whatsapp', 'contact', 'contacts', 'cell', 'cellphone', 'fax', 'hotline', 'sms', 'wechat',
  'text me', 'text us', 'text him', 'text her',
] as const;
/** Signature labels, upper case and followed by a colon: `M: 9123 4567`, `T: 2345 6789`. */
const PHONE_CONTEXT_LABEL = String.raw`(?<![A-Za-z])[MT][:：]`;
// `電話號碼`, `聯絡電話`, `打電話`, `联系电话` are covered by the shorter words above.
// `號碼` (number) alone is not a phone word: 訂單號碼 23456789 is an order number.

/** How far before a bare number its phone word may end (characters, same line). */
const CONTEXT_WINDOW = 20;

interface Keyword {
  type: 'health' | 'payroll';
  value: string;
}

const keywordBySpelling = new Map<string, Keyword>();
for (const [type, table] of [['health', HEALTH_KEYWORDS], ['payroll', PAYROLL_KEYWORDS]] as const) {
  for (const [value, spellings] of Object.entries(table)) {
    for (const s of spellings) keywordBySpelling.set(s.toLowerCase(), { type, value });
  }
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Chinese keywords whose second character starts another keyword (`月薪` and `薪金`,
 * `雙糧` and `糧單`, `睇醫生` and `醫院`, `門診` and `診斷`) are matched from that second
 * character, and scanTopics checks the character before: tail -> first character ->
 * keyword. This keeps the number of first characters, and so of regex passes, down
 * (one pass per 12 first characters), and lets the longer keyword win in `本月薪金`.
 */
const anchoredByTail = new Map<string, Map<string, { spelling: string; keyword: Keyword }>>();

/**
 * English keywords starting with a short word (`OT pay`) are matched from the second
 * word, with the first in a lookbehind: a first character `o` would slow the English
 * pass down by about a fifth. Lower-case tail -> lower-case prefix (with its space).
 */
const EN_PREFIXED = new Map<string, string>();

/**
 * English keywords right after an underscore (`monthly_salary_hkd`), where `\b` sees no
 * word boundary: tried as a sticky regex after each `_` (rare in chat text; a separate
 * `_(?:...)` pass would cost about as much as the English pass itself).
 */
let EN_AFTER_UNDERSCORE = /(?!)/y;

/**
 * The topic regexes. English keywords: one case-insensitive regex, whole words; the
 * boundary is any character but an ASCII letter or digit, so a CJK neighbour
 * (`薪金salary`) and an underscore (`monthly_salary_hkd`, see EN_AFTER_UNDERSCORE)
 * count as boundaries. Chinese
 * keywords: a prefix trie, split into regexes of at most 12 first characters each
 * (V8 scans two-byte text several times slower once a regex's first-character class
 * has more than about 16 ranges; measured: a 16-head regex costs ~3x a 12-head one).
 */
function topicRegexes(): RegExp[] {
  const spellings = [...keywordBySpelling.keys()];
  const en = spellings.filter((s) => !/[^\x00-\x7f]/.test(s));
  const cjk = spellings.filter((s) => /[^\x00-\x7f]/.test(s));
  const firsts = new Set(cjk.map((s) => s[0]!));
  const words: string[] = [];
  for (const s of cjk) {
    if (s.length >= 2 && firsts.has(s[1]!) && !cjk.some((o) => o !== s && o[1] === s[0])) {
      const tail = s.slice(1);
      const byFirst = anchoredByTail.get(tail) ?? new Map();
      byFirst.set(s[0]!, { spelling: s, keyword: keywordBySpelling.get(s)! });
      anchoredByTail.set(tail, byFirst);
      words.push(tail);
    } else words.push(s);
  }
  const uniq = [...new Set(words)];
  const heads = [...new Set(uniq.map((s) => s[0]!))].sort();
  const prefixed: string[] = [];
  for (const s of en) {
    const p = /^(ot )(.+)$/.exec(s);
    if (p) {
      EN_PREFIXED.set(p[2]!, p[1]!);
      prefixed.push(`(?<=(?<![A-Za-z0-9])${escapeRegex(p[1]!)})${escapeRegex(p[2]!)}`);
    }
  }
  const enAlts = `${trie(en.filter((s) => !s.startsWith('ot ')))}|${prefixed.join('|')}`;
  EN_AFTER_UNDERSCORE = new RegExp(`(?:${enAlts})(?![A-Za-z0-9])`, 'iy');
  const res: RegExp[] = [new RegExp(`\\b(?:${enAlts})(?![A-Za-z0-9])`, 'gi')];
  const per = Math.ceil(heads.length / Math.ceil(heads.length / 12));
  for (let i = 0; i < heads.length; i += per) {
    const chunk = new Set(heads.slice(i, i + per));
    res.push(new RegExp(trie(uniq.filter((s) => chunk.has(s[0]!))), 'g'));
  }
  return res;
}

const TOPIC_RES = topicRegexes();

// ---------------------------------------------------------------------------------
// The combined identifier regex
//
// Candidate shapes are as tight as a regex can make them (scheme prefixes and lengths
// for cards, IBAN country codes, the phone-word context for bare Hong Kong numbers), so
// that almost every match is a finding and the regex, not JS, walks the text.

// Not followed by an alphanumeric, an e-mail's `@`, or a hyphen joining another token
// (`ORD-20261122-37121867`).
const END = '(?![0-9A-Za-z@]|-[0-9A-Za-z])';

/** A regex alternation of `words` sharing common prefixes (faster for irregexp). */
function trie(words: readonly string[]): string {
  return trieAlts(words).join('|');
}

function trieAlts(words: readonly string[]): string[] {
  const groups = new Map<string, string[]>();
  for (const w of words) {
    const head = w[0]!;
    const rest = groups.get(head) ?? [];
    rest.push(w.slice(1));
    groups.set(head, rest);
  }
  const alts: string[] = [];
  for (const [head, rests] of groups) {
    const tails = rests.filter((r) => r.length > 0);
    const optional = tails.length < rests.length;
    const h = escapeRegex(head);
    if (tails.length === 0) {
      alts.push(h);
      continue;
    }
    const sub = trieAlts(tails);
    const single = sub.length === 1 && (sub[0]!.length === 1 || !optional);
    if (single && !optional) alts.push(h + sub[0]!);
    else if (single) alts.push(`${h}${sub[0]!.length === 1 ? sub[0]! : `(?:${sub[0]!})`}?`);
    else alts.push(`${h}(?:${sub.join('|')})${optional ? '?' : ''}`);
  }
  return alts;
}

const IBAN_COUNTRIES = trie(Object.keys(countrySpecs).filter((c) => countrySpecs[c]?.chars !== undefined));

const PHONE_WORD = `(?:${trie(PHONE_CONTEXT_CJK)}|(?<![A-Za-z])(?i:${trie(PHONE_CONTEXT_EN)})(?![A-Za-z]))`;

/**
 * What may stand between a phone word and the number after it: anything but a line end,
 * sentence punctuation, a slash or bar (`微信 / 訂單號碼 52138417`) or a digit, so that
 * the phone word applies to the nearest number
 * only (`手機 9123 4567，訂單23456789`, `call me. Order 23456789`). A full stop is allowed
 * after the abbreviations `no.`, `tel.`, `mob.`, `ph.`, `fax.` (`Mobile no. is 9876 5432`).
 */
const CONTEXT_GAP = String.raw`(?:[^\n\r。，,.;；!?！？/|\d]|(?<=(?<![A-Za-z])(?i:no|tel|mob|ph|fax))\.)`;

/** A phone word ending at most CONTEXT_WINDOW characters before, on the same line. */
const PHONE_CONTEXT_BEHIND = `(?<=(?:${PHONE_WORD}|${PHONE_CONTEXT_LABEL})${CONTEXT_GAP}{0,${CONTEXT_WINDOW}})`;

/**
 * A phone word right after the number: `9123 4567 (手機)`, `（WhatsApp）`, `係我手機`,
 * `係佢手機`, `是我的手机`, `is my mobile`. Only spaces, an opening bracket or "is my"
 * may come between, so the phone word of the next item (`23456789，手機 9123 4567`)
 * does not count; nor does a signature label (`23456789 T: ...`).
 */
const PHONE_CONTEXT_AHEAD =
  `(?=[ \\t]{0,2}(?:[(（][ \\t]?|[係是](?:我|佢|他|她)(?:的|嘅)?|(?i:is (?:my|his|her|our|the) ))?${PHONE_WORD})`;

/** `f(' ')|f('-')`: one kind of separator throughout, without a backreference. */
function bySep(f: (sep: string) => string): string {
  return `${f(' ')}|${f('-')}`;
}

/** A Hong Kong local number: 4-4 with one separator, or compact. */
const HK_LOCAL = String.raw`[235679]\d{3}(?:${bySep((s) => String.raw`${s}\d{4}${END}(?!${s}\d)`)}|\d{4}${END})`;

// Each candidate kind is one capture group, written from the candidate's first
// character; GROUP_KINDS[i] is the kind of capture group i + 1.
type CandidateKind = 'hkid' | 'iban' | 'hkp' | 'cnp' | 'card' | 'cng' | 'hkb' | 'run' | 'hkpp' | 'cnpp';
const GROUP_KINDS: CandidateKind[] = [];

function group(kind: CandidateKind, pattern: string): string {
  GROUP_KINDS.push(kind);
  return `(${pattern})`;
}

const HKID_PATTERN =
  // check digit bracketed (ASCII or full-width) or bare
  String.raw`[A-Z]{1,2}\d{6}(?: ?\([0-9A]\)| ?（[0-9A]）|[0-9A]${END})`;
const IBAN_PATTERN =
  // a known country, check digits, then compact or groups of four
  String.raw`(?:${IBAN_COUNTRIES})\d{2}(?:[A-Z0-9]{11,30}|(?: [A-Z0-9]{4}){2,7}(?: [A-Z0-9]{1,3})?)${END}`;
// phones with a bare country code (852 / 86 / 00852 / 0086)
const HKP_PATTERN = String.raw`(?:00)?852[ -]?[2-9]\d{3}[ -]?\d{4}${END}`;
const CNP_PATTERN = String.raw`(?:00)?86[ -]?1[3-9]\d(?:\d{8}|${bySep((s) => String.raw`${s}\d{4}${s}\d{4}`)})${END}`;
// grouped card numbers: 4-4-4-4(-3), Amex 4-6-5; not continuing with another group
const CARD_PATTERN =
  String.raw`(?<!\d[ -])(?:[2-6]\d{3}(?:${bySep((s) => String.raw`${s}\d{4}${s}\d{4}${s}\d{4}(?:${s}\d{3})?${END}(?!${s}\d{4})`)})` +
  String.raw`|3[47]\d{2}(?:${bySep((s) => String.raw`${s}\d{6}${s}\d{5}${END}(?!${s}\d{4})`)}))`;
// grouped mainland mobile 3-4-4
const CNG_PATTERN = String.raw`(?<!\d[ -])1[3-9]\d(?:${bySep((s) => String.raw`${s}\d{4}${s}\d{4}${END}(?!${s}\d)`)})`;
// bare Hong Kong number, 4-4 or compact, after or right before a phone word
const HKB_PATTERN = String.raw`(?<!\d[ -])(?:${PHONE_CONTEXT_BEHIND}${HK_LOCAL}|${HK_LOCAL}${PHONE_CONTEXT_AHEAD})`;
// compact runs by length and prefix: PRC ID (or an 18-digit card), mainland mobile,
// Visa, Mastercard, Amex, JCB, UnionPay
const RUN_PATTERN = String.raw`(?:\d{17}[\dXx]|1[3-9]\d{9}|4\d{12}(?:\d{3}){0,2}|5[1-5]\d{14}|2[2-7]\d{14}|3[47]\d{13}|35\d{14,17}|62\d{14,17})${END}`;
// phones with +852 / (852) / (+852) / （852）, +86 / (86) / (+86) / （86）
const HKPP_PATTERN = String.raw`(?:\+852|\(\+?852\)|（\+?852）)[ -]?[2-9]\d{3}[ -]?\d{4}${END}`;
const CNPP_PATTERN = String.raw`(?:\+86|\(\+?86\)|（\+?86）)[ -]?1[3-9]\d(?:\d{8}|${bySep((s) => String.raw`${s}\d{4}${s}\d{4}`)})${END}`;

/** Not preceded by an ASCII letter or digit, nor by one and a hyphen, `n` characters back. */
function notJoined(n: number): string {
  const dots = '.'.repeat(n);
  return `(?<![0-9A-Za-z]${dots}|[0-9A-Za-z]-${dots})`;
}

/**
 * The identifier regex. V8 walks text fastest when every branch starts by consuming a
 * few characters from small classes (its Boyer-Moore-style skip looks as far ahead as
 * the shortest branch), so each branch consumes the start of a candidate (a letter and
 * a letter or digit; three digits; `86` and a separator and `1`; a sign or bracket and
 * `8` or `+`), checks what comes before it (not a letter or digit, nor one joined by a
 * hyphen) and a cheap gate on what follows, and only then, from inside a lookbehind,
 * runs the full candidate patterns as a lookahead from the candidate's first
 * character. The regex match is those few characters; the candidate is the capture
 * group that matched (lookaround captures are kept), and the caller moves lastIndex
 * past it. No backreferences (separators are spelt out) and no named groups, to keep
 * each match cheap to build.
 */
const ID_RE = new RegExp(
  [
    String.raw`[A-Z][A-Z\d]${notJoined(2)}(?:(?<=\d)|(?=\d))` +
      `(?<=(?=${group('hkid', HKID_PATTERN)}|${group('iban', IBAN_PATTERN)})..)`,
    String.raw`\d{3}${notJoined(3)}(?=\d[ -]?\d{3}|(?<=1[3-9]\d)[ -]|(?<=852)[ -]|(?<=008)52)` +
      `(?<=(?=${[
        group('hkp', HKP_PATTERN),
        group('cnp', CNP_PATTERN),
        group('card', CARD_PATTERN),
        group('cng', CNG_PATTERN),
        group('hkb', HKB_PATTERN),
        group('run', RUN_PATTERN),
      ].join('|')})...)`,
    String.raw`86[ -]1${notJoined(4)}(?<=(?=${group('cnp', CNP_PATTERN)})....)`,
    String.raw`[+(（][+8](?<=(?=${group('hkpp', HKPP_PATTERN)}|${group('cnpp', CNPP_PATTERN)})..)`,
  ].join('|'),
  'g',
);

// ---------------------------------------------------------------------------------
// Check digits

const C0 = 48; // '0'
const CA = 65; // 'A'

function digitAt(s: string, i: number): number {
  return s.charCodeAt(i) - C0;
}

/** HKID check: `letters` one or two upper-case letters, `digits` six, `check` 0-9 or A. */
export function hkidValid(letters: string, digits: string, check: string): boolean {
  let sum = 0;
  if (letters.length === 1) sum = 36 * 9 + (letters.charCodeAt(0) - CA + 10) * 8;
  else sum = (letters.charCodeAt(0) - CA + 10) * 9 + (letters.charCodeAt(1) - CA + 10) * 8;
  for (let i = 0; i < 6; i++) sum += digitAt(digits, i) * (7 - i);
  const c = (11 - (sum % 11)) % 11;
  return check === (c === 10 ? 'A' : String(c));
}

const CN_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CN_CHECK = '10X98765432';

/** PRC resident ID: 18 characters, upper-case X. MOD 11-2 and the birth date. */
export function cnIdValid(id: string): boolean {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += digitAt(id, i) * (CN_WEIGHTS[i] ?? 0);
  if (CN_CHECK[sum % 11] !== id[17]) return false;
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  if (y < 1900 || y > 2099 || m < 1 || m > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = m === 2 ? (leap ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
  return d <= days;
}

export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let v = digitAt(digits, i);
    if (double) {
      v *= 2;
      if (v > 9) v -= 9;
    }
    sum += v;
    double = !double;
  }
  return sum % 10 === 0;
}

/** Scheme prefix and length (Visa, Mastercard, Amex, UnionPay, JCB), then Luhn. */
export function cardValid(digits: string): boolean {
  const n = digits.length;
  const p2 = Number(digits.slice(0, 2));
  const p4 = Number(digits.slice(0, 4));
  const scheme =
    (digits[0] === '4' && (n === 13 || n === 16 || n === 19)) ||
    (((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) && n === 16) ||
    ((p2 === 34 || p2 === 37) && n === 15) ||
    (p2 === 62 && n >= 16 && n <= 19) ||
    (p4 >= 3528 && p4 <= 3589 && n >= 16 && n <= 19);
  return scheme && luhnValid(digits);
}

// ---------------------------------------------------------------------------------
// Passes

type Push = (type: FindingType, start: number, end: number, raw: string, value: string, country?: string) => void;

function scanIdentifiers(text: string, push: Push): void {
  const re = ID_RE;
  const groups = GROUP_KINDS.length;
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    let i = 1;
    while (i < groups && m[i] === undefined) i++;
    const raw = m[i] ?? '';
    const kind = GROUP_KINDS[i - 1];
    const start = m.index;
    const end = start + raw.length;
    re.lastIndex = end;
    switch (kind) {
      case 'hkid': {
        const letters = raw[1]! >= 'A' ? raw.slice(0, 2) : raw.slice(0, 1);
        const digits = raw.slice(letters.length, letters.length + 6);
        const last = raw[raw.length - 1]!;
        const check = last === ')' || last === '）' ? raw[raw.length - 2]! : last;
        if (hkidValid(letters, digits, check)) push('hk_id', start, end, raw, letters + digits + check, 'HK');
        break;
      }
      case 'iban':
        scanIban(raw, start, push);
        break;
      case 'hkp':
      case 'hkpp': {
        const digits = raw.replace(/\D/g, '');
        const local = digits.slice(-8);
        // A bare `852` prefix is weaker than +852: only the classic mobile and fixed ranges.
        if (kind === 'hkp' && !digits.startsWith('00') && !'235679'.includes(local[0]!)) break;
        push('hk_phone', start, end, raw, `+852${local}`, 'HK');
        break;
      }
      case 'cnp':
      case 'cng':
      case 'cnpp':
        push('cn_phone', start, end, raw, `+86${raw.replace(/\D/g, '').slice(-11)}`, 'CN');
        break;
      case 'card': {
        const digits = raw.replace(/\D/g, '');
        if (cardValid(digits)) push('payment_card', start, end, raw, digits);
        else if (digits.length === 19 && cardValid(digits.slice(0, 16))) {
          // a card number followed by three more digits (a CVV) in the same grouping
          push('payment_card', start, start + 19, raw.slice(0, 19), digits.slice(0, 16));
        }
        break;
      }
      case 'hkb':
        push('hk_phone', start, end, raw, `+852${raw.replace(/\D/g, '')}`, 'HK');
        break;
      case 'run':
        classifyRun(raw, start, end, push);
        break;
    }
  }
}

function classifyRun(raw: string, start: number, end: number, push: Push): void {
  const n = raw.length;
  if (n === 18) {
    const id = raw.toUpperCase();
    if (cnIdValid(id)) {
      push('cn_resident_id', start, end, raw, id, 'CN');
      return;
    }
    if (id[17] === 'X') return;
  }
  if (n === 11) {
    push('cn_phone', start, end, raw, `+86${raw}`, 'CN');
    return;
  }
  if (cardValid(raw)) push('payment_card', start, end, raw, raw);
}

/** ISO 7064 mod 97-10 over the IBAN moved round (`BBAN + country + check`) is 1. */
function ibanMod97(iban: string): boolean {
  let r = 0;
  const n = iban.length;
  for (let k = 0; k < n; k++) {
    const c = iban.charCodeAt((k + 4) % n);
    r = c >= 65 ? (r * 100 + c - 55) % 97 : (r * 10 + c - 48) % 97;
  }
  return r === 1;
}

/** Length, mod 97 (cheap, here), then country and BBAN format (ibantools). */
function ibanValid(compact: string): boolean {
  return countrySpecs[compact.slice(0, 2)]?.chars === compact.length && ibanMod97(compact) && isValidIBAN(compact);
}

function scanIban(raw: string, start: number, push: Push): void {
  const compact = raw.replace(/ /g, '');
  const country = compact.slice(0, 2);
  if (ibanValid(compact)) {
    push('iban', start, start + raw.length, raw, compact, country);
    return;
  }
  // Grouped form that ran on into the next word: cut it at the country's length if
  // that is a group boundary.
  const len = countrySpecs[country]?.chars;
  if (len === undefined || raw.indexOf(' ') < 0 || compact.length <= len || len % 4 !== 0) return;
  const cut = compact.slice(0, len);
  if (ibanValid(cut)) {
    const rawLen = len + len / 4 - 1; // groups of four and the spaces between them
    push('iban', start, start + rawLen, raw.slice(0, rawLen), cut, country);
  }
}

function isLocalChar(c: number): boolean {
  return (
    (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) ||
    c === 46 /* . */ || c === 95 /* _ */ || c === 37 /* % */ || c === 43 /* + */ || c === 45 /* - */
  );
}

const DOMAIN_RE = /(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![A-Za-z0-9-]|\.[A-Za-z0-9])/y;

function scanEmails(text: string, push: Push): void {
  let at = text.indexOf('@');
  while (at >= 0) {
    let s = at;
    while (s > 0 && at - s < 64 && isLocalChar(text.charCodeAt(s - 1))) s--;
    while (s < at && text.charCodeAt(s) === 46) s++; // no leading dot
    let next = at + 1;
    if (s < at && text.charCodeAt(at - 1) !== 46) {
      DOMAIN_RE.lastIndex = at + 1;
      const d = DOMAIN_RE.exec(text);
      if (d !== null) {
        const local = text.slice(s, at);
        if (!local.includes('..')) {
          const end = at + 1 + d[0].length;
          const raw = text.slice(s, end);
          push('email', s, end, raw, raw.toLowerCase());
          next = end;
        }
      }
    }
    at = text.indexOf('@', next);
  }
}

/** Capitalised words before a `Commission` that is a body's name, not pay. */
const COMMISSION_BODY_BEFORE = /(?:^|[^A-Za-z])[A-Z][a-z]+[ \t]+$/;
const COMMISSION_PAY_BEFORE = /(?:^|[^A-Za-z])(?:Sales|Agent|Agency|Broker|Monthly|Annual|Total|Your|My|Our|Her|His|The|Base|Paid|Unpaid|Pending)[ \t]+$/;

/**
 * Drops keyword hits that are not about pay or health: a regulator's name
 * (`Securities and Futures Commission`, `Commission (SFC)`, `Independent Commission
 * Against Corruption`), loyalty `bonus points` / `bonus miles`, the idiom `花紅柳綠`, and
 * `入院` read across `收入` (income) or `輸入` (input).
 */
function keepTopic(text: string, value: string, start: number, end: number): boolean {
  switch (value) {
    case 'commission': {
      const after = text.slice(end, end + 12);
      if (/^[ \t]*[(（]SFC[)）]/.test(after)) return false;
      if (text.charCodeAt(start) !== 67 /* C */) return true;
      if (/^[ \t]*[(（][A-Z]{2,6}[)）]|^[ \t]+(?:Against|for|on|of)\b/.test(after)) return false;
      const before = text.slice(Math.max(0, start - 24), start);
      return !COMMISSION_BODY_BEFORE.test(before) || COMMISSION_PAY_BEFORE.test(before);
    }
    case 'bonus':
      return !/^[ \t-]*(?:points?|pts|miles|stars?|dollars?|rewards?)(?![A-Za-z])/i.test(text.slice(end, end + 12));
    case '入院':
      // `收入院舍`, `輸入院校`: 收入 (income) / 輸入 (input) followed by 院
      return !/[收輸输]/.test(text.charAt(start - 1));
    case '花紅':
    case '花红':
      return !/^[柳綠绿]/.test(text.charAt(end));
    default:
      return true;
  }
}

/** One keyword match of `word` at `index`: resolves anchored and prefixed spellings. */
function pushTopic(text: string, index: number, word: string, push: Push): void {
  const end = index + word.length;
  const anchored = index > 0 ? anchoredByTail.get(word)?.get(text[index - 1]!) : undefined;
  if (anchored !== undefined) {
    const k = anchored.keyword;
    push(k.type, index - 1, end, text.slice(index - 1, end), k.value);
    return;
  }
  const lower = word.toLowerCase();
  const prefix = EN_PREFIXED.get(lower);
  if (prefix !== undefined) {
    const start = index - prefix.length;
    const k = keywordBySpelling.get(prefix + lower);
    if (k !== undefined) push(k.type, start, end, text.slice(start, end), k.value);
    return;
  }
  const k = keywordBySpelling.get(lower);
  if (k !== undefined && keepTopic(text, k.value, index, end)) push(k.type, index, end, word, k.value);
}

function scanTopics(text: string, push: Push): void {
  for (const re of TOPIC_RES) {
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text)) !== null) pushTopic(text, m.index, m[0], push);
  }
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
  const found: Detection[] = [];
  const push: Push = (type, start, end, raw, value, country) => {
    found.push(country === undefined ? { type, start, end, raw, value } : { type, start, end, raw, value, country });
  };
  scanIdentifiers(text, push);
  if (text.includes('@')) scanEmails(text, push);
  scanTopics(text, push);
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Detection[] = [];
  for (const d of found) {
    const last = out[out.length - 1];
    if (last === undefined || d.start >= last.end) out.push(d);
    else if (RANK[d.type] > RANK[last.type]) out[out.length - 1] = d;
  }
  return out;
}
