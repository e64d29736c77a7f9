// The health and payroll topics: keyword tables in English, Traditional and Simplified
// Chinese, the regexes that find them (see topicRegexes for how they are built for
// speed), how a match resolves to its canonical keyword, and the uses that are not
// about pay or health (keepTopic).
import { escapeRegex, trie } from './trie.ts';

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
  'maternity leave': ['maternity leave', 'maternity-leave'],
  pregnancy: ['pregnancy', 'pregnancies', 'pregnant'],
  allergy: ['allergy', 'allergies', 'allergic'], // not a food label's `allergy advice` (keepTopic)
  diabetes: ['diabetes', 'diabetic', 'diabetics'],
  asthma: ['asthma', 'asthmatic'],
  clinic: ['clinic', 'clinics'], // not a clinic's name, `ABC Dental Clinic, 1/F` (keepTopic); not `flu` (`influx`, `flush`)
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
  睇醫生: ['睇醫生', '睇咗醫生', '睇緊醫生', '睇完醫生', '睇過醫生'], // colloquial: seeing (saw, is seeing) a doctor
  睇医生: ['睇医生', '睇咗医生', '睇紧医生', '睇完医生', '睇过医生'],
  門診: ['門診'],
  门诊: ['门诊'],
  覆診: ['覆診', '複診'], // a follow-up consultation
  复诊: ['复诊'],
  診所: ['診所'], // a clinic, only after going to or being at one (keepTopic): not a clinic's name in an address
  诊所: ['诊所'],
  糖尿病: ['糖尿病'], // diabetes, the same in both scripts
  產假: ['產假'], // maternity leave; not 侍產假, paternity leave (keepTopic)
  产假: ['产假'],
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
  'basic pay': ['basic pay'],
  'net pay': ['net pay'], // not `net payable`: whole words
  'gross pay': ['gross pay'],
  'double pay': ['double pay', 'double-pay'], // the 13th-month payment, 雙糧
  薪金: ['薪金'],
  薪酬: ['薪酬'],
  薪水: ['薪水'],
  薪資: ['薪資'],
  薪资: ['薪资'],
  工資: ['工資'],
  工资: ['工资'],
  糧單: ['糧單'],
  粮单: ['粮单'],
  出糧: ['出糧', '出咗糧'], // pay day (colloquial 糧, pay); not 糧食 (grain, keepTopic)
  出粮: ['出粮', '出咗粮'],
  發糧: ['發糧'],
  发粮: ['发粮'],
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

/**
 * Chinese keywords whose second character starts another keyword (`月薪` and `薪金`,
 * `雙糧` and `糧單`, `睇醫生` and `醫院`, `門診` and `診斷`) are matched from that second
 * character, and scanTopics checks the character before: tail -> first character ->
 * keyword. This lets the longer keyword win in `本月薪金`.
 */
const anchoredByTail = new Map<string, Map<string, { spelling: string; keyword: Keyword }>>();

/**
 * English keywords starting with a short word (`OT pay`) are matched from the second
 * word, with the first in a lookbehind, so that every English match starts with three
 * letters (candidates.ts looks for those). Lower-case tail -> lower-case prefix (with its
 * space).
 */
const EN_PREFIXED = new Map<string, string>();

/**
 * The topic regexes. English keywords: one case-insensitive regex, whole words; the
 * boundary is any character but an ASCII letter or digit, so a CJK neighbour
 * (`薪金salary`) and an underscore (`monthly_salary_hkd`, see EN_AFTER_UNDERSCORE)
 * count as boundaries. Chinese keywords: one prefix trie.
 */
function topicRegexes(): { regexes: RegExp[]; starts: string[][]; afterUnderscore: RegExp } {
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
  const enPlain = en.filter((s) => !s.startsWith('ot '));
  const enAlts = `${trie(enPlain)}|${prefixed.join('|')}`;
  const afterUnderscore = new RegExp(`(?:${enAlts})(?![A-Za-z0-9])`, 'iy');
  // not after a letter, digit or `_` (`\b`), unless it is the letter of an escape written
  // out (`\nsalary` in a JSON log: ESCAPE in identifier-pattern.ts; the kernel lists the
  // position after it)
  const res: RegExp[] = [new RegExp(`(?<!\\w(?<!\\\\[nrt]))(?:${enAlts})(?![A-Za-z0-9])`, 'iy')];
  // where an English match starts: a spelling's first three letters (the tail's, for `OT pay`)
  const starts: string[][] = [[...new Set([...enPlain, ...EN_PREFIXED.keys()].map((s) => s.slice(0, 3)))]];
  res.push(new RegExp(trie(uniq), 'y'));
  starts.push(heads);
  return { regexes: res, starts, afterUnderscore };
}

/**
 * TOPIC_RES: the topic regexes, sticky: each is tried at the positions where a match of
 * it could start (candidates.ts), TOPIC_STARTS[i] says where those are: the first three
 * letters of an English keyword (either case) for the first, a first character of a
 * Chinese keyword for the second. EN_AFTER_UNDERSCORE: the
 * English keywords right after an underscore (`monthly_salary_hkd`), where `\b` sees no
 * word boundary: tried as a sticky regex after each `_` (rare in chat text; a separate
 * `_(?:...)` pass would cost about as much as the English pass itself).
 */
export const { regexes: TOPIC_RES, starts: TOPIC_STARTS, afterUnderscore: EN_AFTER_UNDERSCORE } = topicRegexes();

/** Capitalised words before a `Commission` that is a body's name, not pay. */
const COMMISSION_BODY_BEFORE = /(?:^|[^A-Za-z])[A-Z][a-z]+[ \t]+$/;
const COMMISSION_PAY_BEFORE = /(?:^|[^A-Za-z])(?:Sales|Agent|Agency|Broker|Monthly|Annual|Total|Your|My|Our|Her|His|The|Base|Paid|Unpaid|Pending)[ \t]+$/;

/**
 * What follows a `工資` / `工资` that is a word ending in 工 and one starting with 資:
 * 員工 + 資料 (staff data, the header of every HR file), 員工資訊 / 资讯, 員工資格 / 资格
 * (qualifications), 員工資歷 / 资历 (seniority), 資質 / 资质, 資源; also 竣工資料, 義工資料,
 * 勞工資訊. Not the pay words that also start so: 工資 + 訊息 (`最低工資訊息`), 格式 / 格外 /
 * 格局 (`工資格式`, `最低工資格外重要`), 歷史 / 歷年 (`工資歷史`). 工資 before another 資
 * (`員工工資資料`, wage data) stays pay.
 */
const NOT_PAY_AFTER_GONGZI = /^(?:[料質质源]|[訊讯](?!息)|格(?![式外局])|[歷历](?![史年]))/;

/**
 * A system's health check, not a person's (`WARN health check failed for db-1`, `ELB health
 * check passed`, `health check endpoint /healthz`): a log level, a server, balancer or
 * container word right before it, or what only a system's has after it (an endpoint, a
 * probe, an interval, a time-out). A result alone is not a system's: `Pre-employment health
 * check: failed` is a person's.
 */
const SYSTEM_CHECK_AFTER = /^[ \t:=-]*(?:endpoints?|probes?|interval|path|url|grace|timed? ?out|timeouts?)(?![A-Za-z])/i;
const SYSTEM_CHECK_BEFORE =
  /(?<![A-Za-z])(?:warn|warning|error|info|debug|trace|fatal|crit|critical|elb|alb|nlb|load[ -]?balancer|target(?: group)?|container|pod|service|kubernetes|k8s|liveness|readiness|http|https|tcp|docker|server|db|database|api|node|instance|cluster)[\] \t:_-]*$/i;

/** A capitalised word (`Dental`, `ABC`) before a `Clinic`: the clinic's name, as an address writes it. */
const CLINIC_NAME_BEFORE = /(?:^|[^A-Za-z])[A-Z][A-Za-z&'.-]*[ \t]+$/;

/** Going to or being at a clinic (`去咗診所`, `喺诊所`), the only 診所 kept: elsewhere it is mostly a clinic's name. */
const AT_CLINIC_BEFORE = /[去返到喺在](?:咗|了|過|过|完|緊|紧)?$/;

/**
 * Drops keyword hits that are not about pay or health: a regulator's name
 * (`Securities and Futures Commission`, `Commission (SFC)`, `Independent Commission
 * Against Corruption`), loyalty `bonus points` / `bonus miles`, a system's health check
 * (SYSTEM_CHECK_AFTER, SYSTEM_CHECK_BEFORE), the idiom `花紅柳綠`,
 * `入院` read across `收入` (income) or `輸入` (input), `工資` read across 員工 and
 * 資料 (NOT_PAY_AFTER_GONGZI), `發糧` / `出糧` read across 批發 / 輸出 and 糧食 (grain),
 * 糧油 (grain and oil) and the like, 侍產假 (paternity leave), a food label's `allergy
 * advice`, a clinic's name (CLINIC_NAME_BEFORE, AT_CLINIC_BEFORE).
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
    case 'health check':
      return !(SYSTEM_CHECK_AFTER.test(text.slice(end, end + 16)) || SYSTEM_CHECK_BEFORE.test(text.slice(Math.max(0, start - 24), start)));
    case '入院':
      // `收入院舍`, `輸入院校`: 收入 (income) / 輸入 (input) followed by 院
      return !/[收輸输]/.test(text.charAt(start - 1));
    case '花紅':
    case '花红':
      return !/^[柳綠绿]/.test(text.charAt(end));
    case '工資':
    case '工资':
      return !NOT_PAY_AFTER_GONGZI.test(text.slice(end, end + 2));
    case '出糧':
    case '出粮':
    case '發糧':
    case '发粮':
      return !/^[食倉仓草油票]/.test(text.charAt(end));
    case '產假':
    case '产假':
      return text.charAt(start - 1) !== '侍';
    case '診所':
    case '诊所':
      return AT_CLINIC_BEFORE.test(text.slice(Math.max(0, start - 2), start));
    case 'clinic':
      return text.charCodeAt(start) !== 67 /* C */ || !CLINIC_NAME_BEFORE.test(text.slice(Math.max(0, start - 24), start));
    case 'allergy':
      return !/^[ \t-]*(?:advice|information|info|warnings?|statements?|labels?|labell?ing|free|friendly)(?![A-Za-z])/i.test(text.slice(end, end + 14));
    default:
      return true;
  }
}

type TopicPush = (type: Keyword['type'], start: number, end: number, raw: string, value: string) => void;

/** One match of `word` at `index` of a topic regex: resolves anchored and prefixed spellings, drops what keepTopic drops. */
export function pushTopic(text: string, index: number, word: string, push: TopicPush): void {
  const end = index + word.length;
  const before = index > 0 ? text[index - 1]! : '';
  const anchored = anchoredByTail.get(word)?.get(before);
  if (anchored !== undefined) {
    pushAnchored(text, index, end, anchored.keyword, push);
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
  if (k !== undefined && keepTopic(text, k.value, index, end)) {
    push(k.type, index, end, word, k.value);
    return;
  }
  // a longer word not kept gives way to the anchored keyword that ends at its first
  // character: `覆診所需` is 覆診 + 所需, not 診所
  const shorter = anchoredByTail.get(word[0]!)?.get(before);
  if (shorter !== undefined) pushAnchored(text, index, index + 1, shorter.keyword, push);
}

/** An anchored keyword: its first character before `index`, its tail from `index` to `end`. */
function pushAnchored(text: string, index: number, end: number, k: Keyword, push: TopicPush): void {
  if (keepTopic(text, k.value, index - 1, end)) push(k.type, index - 1, end, text.slice(index - 1, end), k.value);
}
