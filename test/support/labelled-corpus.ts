// A deterministic, labelled corpus for the data-mapping detectors (issue 3, "Checked"):
// lines of mixed English / Traditional / Simplified Chinese chat and log text in the
// styles Hong Kong companies produce (DingTalk and WhatsApp group exports, application
// logs), each embedding zero or more items with their true label and exact span.
//
// Items are either real-looking values of a finding type (check digits computed here,
// independently of lib/domain/detect/detect.ts) or near misses labelled NONE: wrong check digits,
// order and invoice numbers, timestamps, tracking numbers, bare eight-digit numbers
// without a phone word, numbers inside longer digit runs, impossible dates, look-alike
// words, e-mail addresses without a TLD. Labels follow the ISSUE's intent, not the
// detector's implementation: e.g. English topic words are whole words, and `tell` is
// not a phone word.
//
// Offsets are JavaScript string indices (UTF-16 code units), end exclusive, like
// `Detection.start/end`. Nothing here reads the clock or Math.random: the same seed
// gives the same corpus.
import type { Detection, FindingType } from '../../lib/domain/detect/detect.ts';
import { mulberry32 } from '../../lib/domain/text/seeded-random.ts';

export type LabelType = FindingType | 'NONE';

export interface Label {
  type: LabelType;
  start: number;
  end: number;
  /** what the item is, for diagnostics: e.g. `hk_id/1-letter/full-width`, `near/order-number` */
  kind: string;
}

export interface LabelledLine {
  text: string;
  /** spans relative to the line */
  labels: Label[];
}

export interface LabelledCorpus {
  /** the lines joined with '\n' */
  text: string;
  /** spans relative to `text` */
  labels: Label[];
  lines: number;
}

export interface CorpusOptions {
  seed?: number;
  /** share of lines that carry at least one item (default 0.85) */
  itemLineShare?: number;
  /** share of items that are near misses labelled NONE (default 0.4) */
  nearMissShare?: number;
}

// ---------------------------------------------------------------------------------
// Seeded PRNG (mulberry32, lib/domain/text/seeded-random.ts)

class Rng {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
  digits(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String(this.int(10));
    return s;
  }
  /** weighted choice: [weight, value][] */
  weighted<T>(table: readonly (readonly [number, T])[]): T {
    let total = 0;
    for (const [w] of table) total += w;
    let r = this.next() * total;
    for (const [w, v] of table) {
      r -= w;
      if (r < 0) return v;
    }
    return table[table.length - 1]![1];
  }
}

// ---------------------------------------------------------------------------------
// Check digits (independent of lib/domain/detect/detect.ts)

/** HKID check character for one or two upper-case letters and six digits. */
export function hkidCheck(letters: string, digits: string): string {
  const code = (c: string) => c.charCodeAt(0) - 55; // A=10 .. Z=35
  let sum = letters.length === 1 ? 36 * 9 + code(letters) * 8 : code(letters[0]!) * 9 + code(letters[1]!) * 8;
  for (let i = 0; i < 6; i++) sum += Number(digits[i]) * (7 - i);
  const c = (11 - (sum % 11)) % 11;
  return c === 10 ? 'A' : String(c);
}

/** ISO 7064 MOD 11-2 check character of a PRC resident ID's first 17 digits. */
export function cnIdCheck(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (2 ** (17 - i) % 11);
  return '10X98765432'[sum % 11]!;
}

export function luhnCheckDigit(payload: string): string {
  let sum = 0;
  for (let i = payload.length - 1, double = true; i >= 0; i--, double = !double) {
    let v = Number(payload[i]);
    if (double) {
      v *= 2;
      if (v > 9) v -= 9;
    }
    sum += v;
  }
  return String((10 - (sum % 10)) % 10);
}

export function luhnOk(digits: string): boolean {
  return luhnCheckDigit(digits.slice(0, -1)) === digits[digits.length - 1];
}

function mod97(s: string): number {
  let r = 0;
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if (c >= 65) r = (r * 100 + (c - 55)) % 97;
    else r = (r * 10 + (c - 48)) % 97;
  }
  return r;
}

/** The two IBAN check digits for `country` and `bban`. */
export function ibanCheckDigits(country: string, bban: string): string {
  return String(98 - mod97(bban + country + '00')).padStart(2, '0');
}

export function ibanOk(iban: string): boolean {
  return mod97(iban.slice(4) + iban.slice(0, 4)) === 1;
}

function validDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = m === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;
  return d <= days;
}

// ---------------------------------------------------------------------------------
// Values

/** Hong Kong identity card number, valid; `bracket`: ascii `(3)`, full-width `（3）`, spaced ` (3)` or none. */
function hkid(rng: Rng, valid: boolean): { text: string; kind: string } {
  const two = rng.chance(0.2);
  // single letters in use (no I, O, Q, U, X), and issued two-letter prefixes
  const letters = two ? rng.pick(['XA', 'XB', 'XC', 'XD', 'XE', 'XG', 'WX', 'EC', 'CA']) : rng.pick([...'ABCDEFGHJKLMNPRSTVWYZ']);
  const digits = rng.digits(6);
  let check = hkidCheck(letters, digits);
  if (!valid) {
    const others = [...'0123456789A'].filter((c) => c !== check);
    check = rng.pick(others);
  }
  const style = rng.weighted([
    [5, 'ascii'],
    [2, 'full-width'],
    [1, 'spaced'],
    [2, 'bare'],
  ] as const);
  const tail = style === 'ascii' ? `(${check})` : style === 'full-width' ? `（${check}）` : style === 'spaced' ? ` (${check})` : check;
  return { text: letters + digits + tail, kind: `${two ? '2-letter' : '1-letter'}/${style}` };
}

// Real region codes (Beijing, Shanghai, Guangzhou, Shenzhen, Hangzhou, Nanjing, Chengdu,
// Wuhan, Xiamen, Chongqing, Lanzhou). Lanzhou (62...) starts like a UnionPay card, so
// near misses leave it out (an 18-digit 62... number that fails as an ID may be a card).
const REGIONS = ['110101', '110105', '310104', '310115', '440106', '440304', '440305', '330106', '320102', '510107', '420106', '350203', '500103', '620102'];
const NEAR_REGIONS = REGIONS.filter((r) => !r.startsWith('62') && !r.startsWith('35'));

function cnId(rng: Rng, mode: 'valid' | 'bad-check' | 'bad-date'): { text: string; kind: string } {
  const region = rng.pick(mode === 'valid' ? REGIONS : NEAR_REGIONS);
  const y = rng.range(1950, 2006);
  let m = rng.range(1, 12);
  let d = rng.range(1, 28);
  if (mode === 'bad-date') {
    const bad = rng.pick([
      [2, 30],
      [2, 31],
      [4, 31],
      [6, 31],
      [13, 1],
      [0, 10],
      [11, 31],
      [9, 0],
    ] as const);
    [m, d] = bad;
    if (m === 2 && d === 29) d = 30;
  } else if (rng.chance(0.1)) {
    d = rng.pick([29, 30, 31]);
    if (!validDate(y, m, d)) d = 28;
  }
  const body = region + String(y) + String(m).padStart(2, '0') + String(d).padStart(2, '0') + rng.digits(3);
  let check = cnIdCheck(body);
  if (mode === 'bad-check') check = rng.pick([...'0123456789X'].filter((c) => c !== check));
  const lower = check === 'X' && rng.chance(0.2);
  return { text: body + (lower ? 'x' : check), kind: mode === 'valid' ? (check === 'X' ? 'check-X' : 'digit-check') : mode };
}

type Scheme = 'visa' | 'mastercard-5' | 'mastercard-2' | 'amex' | 'unionpay-16' | 'unionpay-19' | 'jcb';

/** Issuer prefix and length of each scheme's numbers. */
const SCHEMES: Record<Scheme, { prefix: (rng: Rng) => string; length: number }> = {
  visa: { prefix: () => '4', length: 16 },
  'mastercard-5': { prefix: (rng) => String(rng.range(51, 55)), length: 16 },
  'mastercard-2': { prefix: (rng) => String(rng.range(2221, 2720)), length: 16 },
  amex: { prefix: (rng) => rng.pick(['34', '37']), length: 15 },
  'unionpay-16': { prefix: () => '62', length: 16 },
  'unionpay-19': { prefix: () => '62', length: 19 },
  jcb: { prefix: (rng) => String(rng.range(3528, 3589)), length: 16 },
};

function cardNumber(rng: Rng, scheme: Scheme, valid: boolean): string {
  const { length } = SCHEMES[scheme];
  const prefix = SCHEMES[scheme].prefix(rng);
  const payload = prefix + rng.digits(length - 1 - prefix.length);
  const check = luhnCheckDigit(payload);
  if (valid) return payload + check;
  const wrong = String((Number(check) + rng.range(1, 9)) % 10);
  const n = payload + wrong;
  // A 19-digit number whose first 16 digits pass is a card followed by three more digits.
  if (n.length === 19 && luhnOk(n.slice(0, 16))) return cardNumber(rng, scheme, valid);
  return n;
}

function groupCard(digits: string, sep: string): string {
  if (digits.length === 15) return [digits.slice(0, 4), digits.slice(4, 10), digits.slice(10)].join(sep);
  const groups: string[] = [];
  for (let i = 0; i < digits.length; i += 4) groups.push(digits.slice(i, i + 4));
  return groups.join(sep);
}

function card(rng: Rng, valid: boolean): { text: string; kind: string } {
  const scheme = rng.weighted<Scheme>([
    [5, 'visa'],
    [3, 'mastercard-5'],
    [1.5, 'mastercard-2'],
    [2, 'amex'],
    [2, 'unionpay-16'],
    [1, 'unionpay-19'],
    [1.5, 'jcb'],
  ]);
  const digits = cardNumber(rng, scheme, valid);
  const style = rng.weighted([
    [4, 'spaces'],
    [3, 'compact'],
    [2, 'dashes'],
  ] as const);
  const text = style === 'compact' ? digits : groupCard(digits, style === 'spaces' ? ' ' : '-');
  return { text, kind: `${scheme}/${style}` };
}

// BBAN builders: [country, build]; national check digits computed where the country defines them (France, Belgium).
const IBAN_COUNTRIES: readonly (readonly [string, (rng: Rng) => string])[] = [
  ['GB', (r) => r.pick(['WEST', 'BARC', 'HBUK', 'LOYD', 'NWBK', 'MIDL']) + r.digits(14)],
  ['DE', (r) => r.digits(18)],
  [
    'FR',
    (r) => {
      const bank = r.digits(5);
      const branch = r.digits(5);
      const account = r.digits(11);
      const key = 97 - ((89 * Number(bank) + 15 * Number(branch) + 3 * Number(account)) % 97);
      return bank + branch + account + String(key).padStart(2, '0');
    },
  ],
  ['NL', (r) => r.pick(['ABNA', 'INGB', 'RABO', 'SNSB']) + r.digits(10)],
  ['CH', (r) => r.digits(17)],
  [
    'BE',
    (r) => {
      const ten = r.digits(10);
      const c = Number(ten) % 97;
      return ten + String(c === 0 ? 97 : c).padStart(2, '0');
    },
  ],
  ['AT', (r) => r.digits(16)],
  ['IE', (r) => r.pick(['AIBK', 'BOFI', 'IPBS']) + r.digits(14)],
  ['LU', (r) => r.digits(16)],
  ['SE', (r) => r.digits(20)],
];

function iban(rng: Rng, valid: boolean): { text: string; kind: string } {
  const [country, build] = rng.pick(IBAN_COUNTRIES);
  const bban = build(rng);
  let check = ibanCheckDigits(country, bban);
  if (!valid) {
    let wrong = check;
    while (wrong === check) wrong = String(rng.range(2, 98)).padStart(2, '0');
    check = wrong;
  }
  const compact = country + check + bban;
  const grouped = rng.chance(0.55);
  const text = grouped ? compact.replace(/(.{4})(?=.)/g, '$1 ') : compact;
  return { text, kind: `${country}/${grouped ? 'grouped' : 'compact'}` };
}

/** An IBAN one character short whose mod-97 check nevertheless holds. */
function ibanShort(rng: Rng): string {
  const [country, build] = rng.pick(IBAN_COUNTRIES);
  const bban = build(rng).slice(0, -1);
  const compact = country + ibanCheckDigits(country, bban) + bban;
  return rng.chance(0.5) ? compact.replace(/(.{4})(?=.)/g, '$1 ') : compact;
}

/** Sixteen digits that pass Luhn but belong to no card scheme (first digit 1, 7, 8, 9 or 0). */
function luhnNoScheme(rng: Rng): string {
  const payload = rng.pick([...'17890']) + rng.digits(14);
  const digits = payload + luhnCheckDigit(payload);
  return rng.chance(0.5) ? digits : groupCard(digits, rng.pick([' ', '-']));
}

/** A Hong Kong number: fixed lines and the classic mobile ranges, and now and then the mobile blocks opened from 2018. */
function hkLocal(rng: Rng): string {
  return rng.chance(0.1) ? rng.pick(['44', '46', '47', '84']) + rng.digits(6) : rng.pick([...'235679']) + rng.digits(7);
}

function hkPrefixed(rng: Rng): { text: string; kind: string } {
  const n = hkLocal(rng);
  const prefix = rng.weighted([
    [5, '+852 '],
    [2, '+852'],
    [1, '+852-'],
    [2, '852 '],
    [1, '852-'],
    [2, '(852) '],
    [1, '(+852) '],
    [1, '（852）'],
    [1, '00852 '],
  ] as const);
  const body = rng.weighted([
    [3, `${n.slice(0, 4)} ${n.slice(4)}`],
    [2, n],
    [1, `${n.slice(0, 4)}-${n.slice(4)}`],
  ] as const);
  return { text: prefix + body, kind: `prefixed/${prefix.trim()}` };
}

/** First two digits that start no Hong Kong number a phone word makes one of (HK_LEAD in identifier-pattern.ts). */
const NOT_HK_LEADS = ['10', '13', '19', '40', '41', '42', '43', '45', '48', '49', '80', '81', '82', '83', '85', '88', '89'];

function hkBare(rng: Rng, lead?: 'not-a-phone'): string {
  const n = lead === undefined ? hkLocal(rng) : rng.pick(NOT_HK_LEADS) + rng.digits(6);
  return rng.weighted([
    [3, `${n.slice(0, 4)} ${n.slice(4)}`],
    [3, n],
    [1, `${n.slice(0, 4)}-${n.slice(4)}`],
  ] as const);
}

function cnMobile(rng: Rng): { text: string; kind: string } {
  const n = '1' + rng.pick([...'3456789']) + rng.digits(9);
  const prefix = rng.weighted([
    [6, ''],
    [3, '+86 '],
    [2, '+86'],
    [1, '+86-'],
    [1, '86 '],
    [1, '(86) '],
    [1, '(+86)'],
    [1, '0086 '],
  ] as const);
  const sep = rng.weighted([
    [6, ''],
    [2, ' '],
    [1, '-'],
  ] as const);
  const body = sep === '' ? n : [n.slice(0, 3), n.slice(3, 7), n.slice(7)].join(sep);
  return { text: prefix + body, kind: `${prefix.trim() || 'bare'}/${sep === '' ? 'compact' : sep === ' ' ? '3-4-4 spaces' : '3-4-4 dashes'}` };
}

const GIVEN = ['peter', 'mandy', 'ada', 'kelvin', 'winnie', 'jason', 'carmen', 'eric', 'fiona', 'ken', 'joyce', 'tommy', 'xiaoming', 'lily'];
const SURNAMES = ['chan', 'wong', 'lee', 'cheung', 'lam', 'ho', 'ng', 'leung', 'tsang', 'liu', 'zhang', 'wang'];
const DOMAINS = ['acme.com.hk', 'gmail.com', 'yahoo.com.hk', 'example.cn', 'hkbn.net', 'qq.com', '163.com', 'acme-group.co.uk', 'abc-trading.hk', 'outlook.com'];

function email(rng: Rng): { text: string; kind: string } {
  const g = rng.pick(GIVEN);
  const s = rng.pick(SURNAMES);
  const kind = rng.weighted([
    [4, 'dotted'],
    [2, 'underscore'],
    [2, 'role'],
    [1, 'plus'],
    [1, 'digits'],
  ] as const);
  const local =
    kind === 'dotted' ? `${g}.${s}` : kind === 'underscore' ? `${g}_${s}${rng.int(100)}` : kind === 'role' ? rng.pick(['hr', 'finance', 'admin', 'payments', 'it-support', 'cs']) : kind === 'plus' ? `${g}+${rng.pick(['hr', 'crm', 'news'])}` : `1${rng.pick([...'3589'])}${rng.digits(9)}`;
  const domain = kind === 'digits' ? rng.pick(['163.com', 'qq.com', '126.com']) : rng.pick(DOMAINS);
  const upper = rng.chance(0.1);
  const text = `${local}@${domain}`;
  return { text: upper ? text[0]!.toUpperCase() + text.slice(1) : text, kind };
}

// Topic words. `colloquial` are everyday Hong Kong spellings the intent covers
// (a 醫生紙 is a medical certificate; medical leave is sick leave).
const HEALTH_WORDS = {
  en: ['sick leave', 'medical certificate', 'diagnosis', 'diagnosed', 'hospital', 'hospitalised', 'prescription', 'medical record', 'medical records', 'health check', 'medical report', 'sick-leave', 'Sick leave', 'Hospital'],
  tc: ['病假', '醫生證明', '診斷', '住院', '體檢', '病歷', '處方', '醫院', '醫療'],
  sc: ['病假', '医生证明', '诊断', '住院', '体检', '病历', '处方', '医院', '医疗'],
  colloquial: ['醫生紙', 'medical leave'],
} as const;
const PAYROLL_WORDS = {
  en: ['salary', 'salaries', 'payslip', 'pay slip', 'payroll', 'bonus', 'MPF', 'wages', 'Salary', 'Payroll', 'pay-slips'],
  tc: ['薪金', '薪酬', '薪水', '薪資', '工資', '糧單', '出糧', '強積金', '花紅', '獎金'],
  sc: ['薪酬', '薪水', '薪资', '工资', '粮单', '出粮', '强积金', '花红', '奖金'],
  colloquial: ['佣金', 'commission'],
} as const;

function topicWord(rng: Rng, words: typeof HEALTH_WORDS | typeof PAYROLL_WORDS): { text: string; kind: string } {
  const script = rng.weighted([
    [10, 'en'],
    [10, 'tc'],
    [8, 'sc'],
    [1, 'colloquial'],
  ] as const);
  return { text: rng.pick(words[script]), kind: script };
}

// ---------------------------------------------------------------------------------
// Line furniture

const NAMES = ['陳小姐', '李生', '王經理', '張主任', '黃Sir', 'Peter Wong', 'Mandy Chan', '刘经理', '赵敏', 'Ada Lam', '何太', 'Kelvin', '周先生', 'Winnie 梁'];
const GROUPS = ['財務部', 'HR 人事', 'Frontline 排更', 'Sales Team', '销售群', '客服中心'];

const FILLERS = {
  en: ['noted, thanks', 'pls check and revert', 'see attached', 'will follow up tmr', 'ok got it', 'FYI', 'the client confirmed this morning', 'please update the CRM', 'pending approval from Amy', 'sent to the team', 'meeting moved to 3pm', 'updated the sheet', 'thx', 'can you double-check', 'approved', 'any update?', 'on my way', 'Happy Friday all'],
  tc: ['收到，唔該', '已跟進', '請盡快處理', '麻煩你幫手check下', '客戶話今日會覆', '好的，我哋跟進', '已更新系統', '聽日開會再傾', '資料已上傳', '請批核', '聽日交', '辛苦晒', '唔該晒', '今日落大雨，小心'],
  sc: ['收到，谢谢', '已跟进', '请尽快处理', '客户今天确认了', '资料已上传', '明天开会再讨论', '好的，我这边更新系统', '辛苦了', '麻烦看一下', '已审批'],
} as const;

const SEPARATORS = ['，', '。', '; ', ', ', ' / ', '！', '. ', '；'] as const;

interface Piece {
  text: string;
  label?: { type: LabelType; kind: string };
}

function item(type: LabelType, kind: string, before: string, value: string, after: string): Piece[] {
  return [{ text: before }, { text: value, label: { type, kind } }, { text: after }];
}

function fill(template: string, type: LabelType, kind: string, value: string): Piece[] {
  const at = template.indexOf('{v}');
  return item(type, kind, template.slice(0, at), value, template.slice(at + 3));
}

// ---------------------------------------------------------------------------------
// Items: positives

const PHONE_WORD_BEFORE = ['電話：', '電話號碼 ', '手機 ', '手机：', '联系电话：', '聯絡電話 ', '致電', '请致电', 'tel: ', 'Tel ', 'call me at ', 'Call ', 'WhatsApp ', 'whatsapp me on ', 'mobile: ', 'Mobile ', 'phone ', 'contact ', '傳真 ', 'fax: ', '打電話去 '];
const PHONE_WORD_AFTER = [' (手機)', ' (mobile)', ' 係我手機', '（WhatsApp）', ' 是我的手机'];

type Gen = (rng: Rng) => Piece[];

const POSITIVES: Record<FindingType, Gen> = {
  hk_id: (rng) => {
    const v = hkid(rng, true);
    const t = rng.pick(['客戶身份證{v}已核實', '身份證號碼：{v}', 'HKID {v} verified', 'ID card no. {v}', '請核對身份證 {v}', '香港身份证{v}已核实', 'copy of HKID ({v}) received', '身份證副本 {v}，已存檔']);
    return fill(t, 'hk_id', v.kind, v.text);
  },
  cn_resident_id: (rng) => {
    const v = cnId(rng, 'valid');
    const t = rng.pick(['身份证号：{v}', '居民身份证{v}已登记', 'PRC ID {v}', '身份證號碼 {v}', '内地身份证 {v} 已核验', 'ID {v} (mainland)']);
    return fill(t, 'cn_resident_id', v.kind, v.text);
  },
  payment_card: (rng) => {
    const v = card(rng, true);
    const t = rng.pick(['card no. {v}', '信用卡 {v} 已扣款', '卡號{v}', '刷卡 {v} 到期 12/28', 'Visa/MC {v} exp 09/27', '银行卡号：{v}', 'pls refund to card {v}', '客户卡号{v}，请退款']);
    return fill(t, 'payment_card', v.kind, v.text);
  },
  iban: (rng) => {
    const v = iban(rng, true);
    const t = rng.pick(['IBAN {v}', '請匯款至 {v}', '收款账户 IBAN：{v}', 'beneficiary account {v} (EUR)', 'IBAN: {v}，已確認', 'wire to {v} by Friday', '{v} 已更新']);
    return fill(t, 'iban', v.kind, v.text);
  },
  hk_phone: (rng) => {
    const mode = rng.weighted([
      [10, 'prefixed'],
      [10, 'context-before'],
      [0.6, 'context-after'],
    ] as const);
    if (mode === 'prefixed') {
      const v = hkPrefixed(rng);
      const t = rng.pick(['請致電{v}', 'call {v}', '客戶電話 {v}', '{v} 已接通', 'reach her at {v}', '號碼：{v}', '聯絡人 陳小姐 {v}', 'Tel {v} ext 203']);
      return fill(t, 'hk_phone', v.kind, v.text);
    }
    if (mode === 'context-before') {
      const w = rng.pick(PHONE_WORD_BEFORE);
      return item('hk_phone', `bare/${w.trim()}`, w, hkBare(rng), rng.pick(['', ' 搵我', ' anytime', '，謝謝', ' (office)']));
    }
    const w = rng.pick(PHONE_WORD_AFTER);
    return item('hk_phone', `bare/after${w.trim()}`, rng.pick(['陳生 ', 'Peter ', '李小姐 ']), hkBare(rng), w);
  },
  cn_phone: (rng) => {
    const v = cnMobile(rng);
    const t = rng.pick(['手机{v}', '联系电话：{v}', 'mainland mobile {v}', '微信同号{v}', '內地手機 {v}', '{v} 已加微信', 'WeChat/phone {v}', '客户电话 {v}']);
    return fill(t, 'cn_phone', v.kind, v.text);
  },
  email: (rng) => {
    const v = email(rng);
    const t = rng.pick(['電郵：{v}', 'email {v}', '请发到{v}', 'cc {v}', '請電郵至{v}查詢', '<{v}>', 'send the file to {v}.', '邮箱 {v}，谢谢']);
    return fill(t, 'email', v.kind, v.text);
  },
  health: (rng) => {
    const v = topicWord(rng, HEALTH_WORDS);
    const t =
      v.kind === 'en'
        ? rng.pick(['need {v} for Friday', 'staff submitted {v} today', 'pls file the {v}', '{v} approved by HR', 're: {v} claims'])
        : v.kind === 'sc'
          ? rng.pick(['员工提交了{v}', '{v}资料已收到', '请补交{v}', '明天去{v}'])
          : rng.pick(['交咗{v}未？', '{v}已批', '阿明今日{v}', '請補交{v}', '{v}資料已收']);
    return fill(t, 'health', `${v.kind}/${v.text}`, v.text);
  },
  payroll: (rng) => {
    const v = topicWord(rng, PAYROLL_WORDS);
    const t =
      v.kind === 'en'
        ? rng.pick(['{v} for November is ready', 'pls check the {v} file', 'send {v} to finance', '今個月{v}幾時出？', '{v}供款已過數'])
        : v.kind === 'sc'
          ? rng.pick(['本月{v}已发', '{v}表已更新', '请核对{v}', '{v}明细见附件'])
          : rng.pick(['今個月{v}已過數', '{v}明細見附件', '請核對{v}', '{v}表已更新']);
    return fill(t, 'payroll', `${v.kind}/${v.text}`, v.text);
  },
};

const POSITIVE_WEIGHTS: readonly (readonly [number, FindingType])[] = [
  [1, 'hk_id'],
  [1, 'cn_resident_id'],
  [1, 'payment_card'],
  [1, 'iban'],
  [1.4, 'hk_phone'],
  [1, 'cn_phone'],
  [1, 'email'],
  [1, 'health'],
  [1, 'payroll'],
];

// ---------------------------------------------------------------------------------
// Items: near misses (NONE)

const NEAR_MISSES: readonly (readonly [number, string, Gen])[] = [
  [3, 'hkid-bad-check', (rng) => fill(rng.pick(['身份證{v}', 'HKID {v}', 'ID card no. {v}']), 'NONE', 'hkid-bad-check', hkid(rng, false).text)],
  [2, 'cnid-bad-check', (rng) => fill(rng.pick(['身份证号：{v}', 'PRC ID {v}']), 'NONE', 'cnid-bad-check', cnId(rng, 'bad-check').text)],
  [2, 'cnid-bad-date', (rng) => fill(rng.pick(['身份证号：{v}', '居民身份证{v}']), 'NONE', 'cnid-bad-date', cnId(rng, 'bad-date').text)],
  [3, 'card-bad-luhn', (rng) => fill(rng.pick(['card no. {v}', '卡號{v}', '信用卡 {v}']), 'NONE', 'card-bad-luhn', card(rng, false).text)],
  [1, 'iban-bad-length', (rng) => fill(rng.pick(['IBAN {v}', 'account {v}']), 'NONE', 'iban-bad-length', ibanShort(rng))],
  [1, 'luhn-valid-no-scheme', (rng) => fill(rng.pick(['card no. {v}', '會員卡 {v}', 'gift card {v}']), 'NONE', 'luhn-valid-no-scheme', luhnNoScheme(rng))],
  [3, 'iban-bad-check', (rng) => fill(rng.pick(['IBAN {v}', '請匯款至 {v}']), 'NONE', 'iban-bad-check', iban(rng, false).text)],
  [
    3,
    'order-number',
    (rng) =>
      fill(rng.pick(['訂單 {v} 已出貨', 'order {v} shipped', '订单号{v}', 'ref: {v}']), 'NONE', 'order-number', `ORD-2026${String(rng.range(1, 12)).padStart(2, '0')}${String(rng.range(1, 28)).padStart(2, '0')}-${rng.digits(8)}`),
  ],
  [
    0.3,
    'order-number-after-phone-word',
    (rng) => fill(rng.pick(['請致電跟進訂單{v}', 'call re order {v}', '客戶來電查詢 {v}']), 'NONE', 'order-number-after-phone-word', `ORD-2026${String(rng.range(10, 12))}${String(rng.range(10, 28))}-${rng.digits(8)}`),
  ],
  [
    2,
    'invoice-number',
    (rng) => fill(rng.pick(['發票號碼 {v}', 'invoice {v} overdue', '发票{v}已开']), 'NONE', 'invoice-number', rng.pick([`INV-2026-${rng.digits(6)}`, `HK${rng.digits(10)}`, `2026${rng.digits(4)}-${rng.digits(3)}`])),
  ],
  [2, 'timestamp-14', (rng) => fill(rng.pick(['ts={v}', '時間戳 {v}', 'batch {v} done']), 'NONE', 'timestamp-14', `2026${rng.pick(['10', '11', '12'])}${String(rng.range(10, 28))}${rng.digits(6)}`)],
  [2, 'epoch-ms', (rng) => fill(rng.pick(['ts={v}', 'created_at {v}', '时间戳{v}']), 'NONE', 'epoch-ms', `17${rng.pick(['5', '6'])}${rng.digits(10)}`)],
  [1, 'epoch-s', (rng) => fill(rng.pick(['epoch {v}', 'ts={v}']), 'NONE', 'epoch-s', `17${rng.pick(['5', '6'])}${rng.digits(7)}`)],
  [2, 'tracking-sf', (rng) => fill(rng.pick(['順豐單號 {v}', 'tracking {v}', '快递单号{v}']), 'NONE', 'tracking-sf', `SF${rng.digits(12 + rng.int(2))}`)],
  [1, 'tracking-usps', (rng) => fill(rng.pick(['USPS {v}', 'tracking no. {v}']), 'NONE', 'tracking-usps', `9400 1${rng.digits(3)} ${rng.digits(4)} ${rng.digits(4)} ${rng.digits(4)} ${rng.digits(2)}`)],
  [
    4,
    'bare8-no-context',
    (rng) => fill(rng.pick(['訂單號碼 {v}', 'ref {v}', '會員編號 {v}', 'membership no. {v}', '單號{v}', 'qty {v}', 'HKD {v}', '合約 {v} 已續']), 'NONE', 'bare8-no-context', hkBare(rng)),
  ],
  [3, 'bare8-bad-lead-with-context', (rng) => item('NONE', 'bare8-bad-lead-with-context', rng.pick(PHONE_WORD_BEFORE), hkBare(rng, 'not-a-phone'), '')],
  [1, 'bare8-in-longer-run-with-context', (rng) => item('NONE', 'bare8-in-longer-run-with-context', rng.pick(PHONE_WORD_BEFORE), hkLocal(rng) + rng.digits(2), '')],
  [0.3, 'tell-is-not-tel', (rng) => item('NONE', 'tell-is-not-tel', rng.pick(['pls tell him order ', 'tell Amy ref ']), hkBare(rng), ' is done')],
  [
    3,
    'cn-mobile-in-longer-run',
    (rng) => {
      const n = '1' + rng.pick([...'3456789']) + rng.digits(9);
      const v = rng.chance(0.5) ? `2026113${n}${rng.digits(3)}` : `${rng.pick(['9', '2', '1'])}${n}${rng.digits(rng.pick([0, 1, 9, 10]))}`;
      return fill(rng.pick(['流水号{v}', 'txn {v}', '交易編號 {v}']), 'NONE', 'cn-mobile-in-longer-run', v);
    },
  ],
  [1, 'cn-bad-prefix', (rng) => fill(rng.pick(['手机{v}', 'ref {v}']), 'NONE', 'cn-bad-prefix', `1${rng.pick(['0', '1', '2'])}${rng.digits(9)}`)],
  [
    2,
    'email-no-tld',
    (rng) => fill(rng.pick(['login {v}', '帳號 {v}', 'user {v}']), 'NONE', 'email-no-tld', rng.pick([`${rng.pick(GIVEN)}@intranet`, 'admin@localhost', `${rng.pick(GIVEN)}@acme`, `${rng.pick(SURNAMES)}@corp.x`])),
  ],
  [1, 'mention', (rng) => fill('{v} 幫手睇下', 'NONE', 'mention', `@${rng.pick(NAMES)}`)],
  [3, 'topic-lookalike-en', (rng) => fill(rng.pick(['{v} seminar on Monday', 'the {v} plan', 're {v} fund']), 'NONE', 'topic-lookalike-en', rng.pick(['wealth', 'healthy', 'hospitality', 'diagnostics', 'wager', 'stealth', 'salad', 'Wealth', 'bonanza', 'wagering']))],
  [2, 'topic-lookalike-zh', (rng) => fill(rng.pick(['{v}安排好了', '請跟進{v}']), 'NONE', 'topic-lookalike-zh', rng.pick(['工作', '獎品', '奖品', '住宿', '處理', '处理', '醫學會', '薪火計劃', '工商登記', '花生']))],
];

// ---------------------------------------------------------------------------------
// Lines

/** Phone words as a human reads them: whole words (left boundary only here, so conservative). */
const PHONE_WORDS_RE = /電話|电话|手機|手机|聯絡|联络|聯繫|聯系|联系|致電|致电|傳真|传真|(?<![A-Za-z])(?:tel|phone|mobile|mob|call|whatsapp|contact|cell|fax)/i;

function header(rng: Rng): string {
  const mm = String(rng.range(1, 12)).padStart(2, '0');
  const dd = String(rng.range(1, 28)).padStart(2, '0');
  const hh = String(rng.range(8, 21)).padStart(2, '0');
  const mi = String(rng.range(0, 59)).padStart(2, '0');
  const style = rng.weighted([
    [5, 'dingtalk'],
    [3, 'whatsapp'],
    [2, 'log'],
  ] as const);
  if (style === 'dingtalk') return `[2026-${mm}-${dd} ${hh}:${mi}] ${rng.pick(NAMES)}: `;
  if (style === 'whatsapp') return `${dd}/${mm}/2026, ${hh}:${mi} - ${rng.pick(NAMES)}: `;
  return `2026-${mm}-${dd}T${hh}:${mi}:${String(rng.range(10, 59))}.${rng.digits(3)}+08:00 INFO [${rng.pick(GROUPS)}] `;
}

function filler(rng: Rng): string {
  const lang = rng.weighted([
    [4, 'en'],
    [4, 'tc'],
    [3, 'sc'],
  ] as const);
  return rng.pick(FILLERS[lang]);
}

/** Near misses that carry a phone word on purpose. */
const CONTEXT_BY_DESIGN = new Set(['cn-bad-prefix', 'bare8-bad-lead-with-context', 'bare8-in-longer-run-with-context', 'order-number-after-phone-word']);

/** One labelled line (no line break). */
function line(rng: Rng, itemLineShare: number, nearMissShare: number): LabelledLine {
  let text = header(rng);
  const labels: Label[] = [];
  const n = rng.chance(itemLineShare) ? rng.weighted([
    [6, 1],
    [3, 2],
    [1, 3],
  ] as const) : 0;
  if (n === 0 || rng.chance(0.3)) text += filler(rng) + rng.pick(SEPARATORS);
  for (let k = 0; k < n; k++) {
    if (k > 0) text += rng.pick(SEPARATORS);
    let pieces: Piece[];
    if (rng.chance(nearMissShare)) {
      const gen = rng.weighted(NEAR_MISSES.map(([w, , g]) => [w, g] as const));
      pieces = gen(rng);
      // A near miss must not follow a phone word on its line by accident (another
      // item's, within 30 characters): put a neutral remark between them.
      const lab = pieces.find((p) => p.label)!.label!;
      if (!CONTEXT_BY_DESIGN.has(lab.kind)) {
        while (PHONE_WORDS_RE.test(text.slice(-30) + pieces[0]!.text.replace(/^(pls tell|tell)/, ''))) text += filler(rng) + rng.pick(SEPARATORS);
      }
    } else {
      pieces = POSITIVES[rng.weighted(POSITIVE_WEIGHTS)](rng);
    }
    for (const p of pieces) {
      if (p.label) labels.push({ type: p.label.type, start: text.length, end: text.length + p.text.length, kind: p.label.kind });
      text += p.text;
    }
  }
  if (rng.chance(0.3)) text += rng.pick(SEPARATORS) + filler(rng);
  return { text, labels };
}

/** An endless, deterministic stream of labelled lines. */
export function* labelledLineStream(options: CorpusOptions = {}): Generator<LabelledLine> {
  const rng = new Rng(options.seed ?? 20261130);
  const itemLineShare = options.itemLineShare ?? 0.85;
  const nearMissShare = options.nearMissShare ?? 0.4;
  for (;;) yield line(rng, itemLineShare, nearMissShare);
}

export function labelledLines(n: number, options: CorpusOptions = {}): LabelledLine[] {
  const out: LabelledLine[] = [];
  const it = labelledLineStream(options);
  for (let i = 0; i < n; i++) out.push(it.next().value as LabelledLine);
  return out;
}

/** N lines joined with '\n', labels with spans in the joined text. */
export function labelledCorpus(n: number, options: CorpusOptions = {}): LabelledCorpus {
  const parts: string[] = [];
  const labels: Label[] = [];
  let offset = 0;
  for (const l of labelledLines(n, options)) {
    for (const lab of l.labels) labels.push({ ...lab, start: lab.start + offset, end: lab.end + offset });
    parts.push(l.text);
    offset += l.text.length + 1;
  }
  return { text: parts.join('\n'), labels, lines: n };
}

// ---------------------------------------------------------------------------------
// Scoring

export interface Example {
  kind: string;
  span: string;
  /** the line around it */
  context: string;
}

export interface TypeScore {
  type: FindingType;
  labelled: number;
  detected: number;
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
  falsePositives: Example[];
  falseNegatives: Example[];
  /** false positives by what they hit (a near-miss kind, another type's label, or unlabelled text) */
  fpByKind: Record<string, number>;
  /** false negatives by item kind */
  fnByKind: Record<string, number>;
}

function around(text: string, start: number, end: number): string {
  const s = text.lastIndexOf('\n', start - 1) + 1;
  const e = text.indexOf('\n', end);
  return text.slice(s, e < 0 ? text.length : e);
}

/**
 * Matches detections to labels of the same type whose spans overlap. A label is a true
 * positive when some detection of its type overlaps it, else a false negative; a
 * detection is a false positive when no label of its type overlaps it (the kind of
 * the label it hit, if any, is given: a near miss, or another type).
 */
export function score(text: string, labels: readonly Label[], detections: readonly Detection[], types: readonly FindingType[], maxExamples = 5): TypeScore[] {
  const sortedLabels = [...labels].sort((a, b) => a.start - b.start);
  const sortedDetections = [...detections].sort((a, b) => a.start - b.start);
  const scores = new Map<FindingType, TypeScore>(
    types.map((t) => [t, { type: t, labelled: 0, detected: 0, tp: 0, fp: 0, fn: 0, precision: 1, recall: 1, falsePositives: [], falseNegatives: [], fpByKind: {}, fnByKind: {} }]),
  );
  const overlapping = <T extends { start: number; end: number }>(sorted: readonly T[], start: number, end: number, from: { i: number }): T[] => {
    // spans are short (under 100 characters), so anything starting 200 before is done
    while (from.i < sorted.length && sorted[from.i]!.start < start - 200) from.i++;
    const out: T[] = [];
    for (let i = from.i; i < sorted.length && sorted[i]!.start < end; i++) {
      const x = sorted[i]!;
      if (x.end > start) out.push(x);
    }
    return out;
  };
  const dCursor = { i: 0 };
  for (const lab of sortedLabels) {
    if (lab.type === 'NONE') continue;
    const s = scores.get(lab.type);
    if (!s) continue;
    s.labelled++;
    const hit = overlapping(sortedDetections, lab.start, lab.end, dCursor).some((d) => d.type === lab.type);
    if (hit) s.tp++;
    else {
      s.fn++;
      s.fnByKind[lab.kind] = (s.fnByKind[lab.kind] ?? 0) + 1;
      if (s.falseNegatives.length < maxExamples) s.falseNegatives.push({ kind: lab.kind, span: text.slice(lab.start, lab.end), context: around(text, lab.start, lab.end) });
    }
  }
  const lCursor = { i: 0 };
  for (const d of sortedDetections) {
    const s = scores.get(d.type);
    if (!s) continue;
    s.detected++;
    const hits = overlapping(sortedLabels, d.start, d.end, lCursor);
    if (hits.some((l) => l.type === d.type)) continue;
    s.fp++;
    const kind = hits.length ? hits.map((h) => (h.type === 'NONE' ? `near/${h.kind}` : `label ${h.type}/${h.kind}`)).join(', ') : 'unlabelled text';
    s.fpByKind[kind] = (s.fpByKind[kind] ?? 0) + 1;
    if (s.falsePositives.length < maxExamples) {
      s.falsePositives.push({ kind, span: d.raw, context: around(text, d.start, d.end) });
    }
  }
  for (const s of scores.values()) {
    // TP/(TP+FP) counted over detections (a label hit twice is not two true positives).
    s.precision = s.detected === 0 ? 1 : (s.detected - s.fp) / s.detected;
    s.recall = s.labelled === 0 ? 1 : s.tp / s.labelled;
  }
  return [...scores.values()];
}

/** The per-type table, one line per type. */
export function formatScores(scores: readonly TypeScore[]): string {
  const rows = [['type', 'labelled', 'detected', 'TP', 'FP', 'FN', 'precision', 'recall']];
  for (const s of scores) rows.push([s.type, String(s.labelled), String(s.detected), String(s.tp), String(s.fp), String(s.fn), s.precision.toFixed(4), s.recall.toFixed(4)]);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')).join('\n');
}
