// Every word of the report that is not data, in English and Traditional Chinese (Hong
// Kong), as the notice mails have them (../notice/notice-mail.ts). Values from the
// organisation and its records (names, titles, reasons) stay as they are written.
import type { Framework } from '../catalogues/catalogues.ts';
import type { Jurisdiction } from '../datamap/residency.ts';
import type { Severity } from '../gaps/gap.ts';
import type { Level, Tier } from '../gaps/risk.ts';
import type { Language } from '../org/org.ts';
import { grouped } from './html.ts';
import type { Freshness, MapStanding, ReviewOutcome, StoredIn, Theme } from './view.ts';

export interface Labels {
  title: string;
  subtitle: (period: string, asOf: string, timeZone: string) => string;
  contents: string;
  glance: string;
  glanceItems: {
    sources: string;
    /** When some sources could not be read: the mapped of all, then the text after it. */
    sourcesPartly: (mapped: number, all: number, failed: number) => [string, string];
    redSources: string;
    flaggedFlows: string;
    openGaps: string;
    controlsLapsed: string;
    answered: string;
    redTier: string;
    /** In place of open gaps when no gap analysis had run by the day. */
    noAnalysis: string;
    /** In place of controls needing evidence when none is decided applicable. */
    noneApplicable: string;
  };
  provenance: string;
  sourceCount: string;
  rating: string;
  period: string;
  asOf: string;
  sections: { dataMap: string; evidence: string; gaps: string; review: string; risk: string };
  intro: {
    dataMap: (scanId: string, scannedAt: string) => string;
    noDataMap: string;
    noAnalysis: string;
    evidence: string;
    gaps: (from: string, to: string) => string;
    review: (quarter: string, status: 'open' | 'closed', due: string, deadline: string, closedOn?: string) => string;
    noReview: (quarter: string) => string;
    risk: (red: number, amber: number) => string;
  };
  dataTable: string;
  none: string;
  total: string;
  count: string;
  date: string;
  theme: string;
  control: string;
  controlTitle: string;
  owner: string;
  status: string;
  source: string;
  platform: string;
  group: string;
  framework: string;
  severity: string;
  analysis: string;
  dataMapOf: string;
  stored: string;
  whose: string;
  /** The first column of the cross-border flows: where a transfer starts (not whose data it is). */
  transferFrom: string;
  /** After a storage place the organisation file declares, for a source the scan could not read. */
  declaredStorage: string;
  flows: string;
  basis: string;
  flagged: string;
  covered: string;
  noBasis: string;
  overdue: string;
  overdueOwners: string;
  noOverdueOwners: string;
  nonconformities: (opened: number, closed: number) => string;
  answered: string;
  gapStatus: { open: string; accepted: string };
  reviewStatus: { open: string; closed: string };
  peopleTable: string;
  tier: string;
  score: string;
  reason: string;
  truncatedNote: (shown: number, all: number) => string;
  allSources: (n: number) => string;
  allGroups: (n: number) => string;
  noGroups: string;
  jurisdiction: Record<StoredIn, string>;
  standing: Record<MapStanding, string>;
  theme_: Record<Theme, string>;
  freshness: Record<Freshness, string>;
  severity_: Record<Severity, string>;
  frameworkName: Record<Framework, string>;
  outcome: Record<ReviewOutcome, string>;
  tierName: Record<Tier, string>;
  level: Record<Level, string>;
  factor: { sensitivity: string; role: string; mobility: string };
  trend: { opened: string; reopened: string; expired: string; closed: string; accepted: string; open: string };
  /** In an analysis's score cell: the framework did not apply to the organisation then (nothing of it checked). */
  scoreNotApplicable: string;
  charts: {
    storage: { title: string; desc: (rows: string) => string };
    flowMap: { title: string; desc: (flows: string, unknown: number) => string; storedHere: (n: number) => string; peopleHere: (n: number) => string; noFlows: string };
    freshness: { title: string; desc: (rows: string) => string };
    freshnessOverTime: { title: string; desc: (first: string, last: string, rows: string) => string };
    gapsByFramework: { title: string; desc: (rows: string, open: number) => string };
    gapTrend: { title: string; desc: (n: number, rows: string) => string; empty: string };
    review: { title: string; desc: (rows: string, tasks: number) => string };
    riskScores: { title: string; desc: (rows: string) => string };
    riskFactors: { title: string; desc: (n: number, rows: string) => string };
  };
  attention: { evidence: string; review: string; noneEvidence: string; noneApplicable: string; noneReview: string };
  footer: (asOf: string, timeZone: string) => string;
  /** Joins the parts of a list in a sentence. */
  listJoin: string;
  /** Joins the counts of one row in a sentence, and ends a sentence. */
  comma: string;
  stop: string;
  /** `label: value` in a sentence. */
  pair: (label: string, value: string) => string;
}

const plural = (n: number, one: string, many: string) => `${grouped(n)} ${n === 1 ? one : many}`;

const EN: Labels = {
  title: 'Compliance report',
  subtitle: (period, asOf, tz) => `${period}, figures as of ${asOf} (dates in ${tz})`,
  contents: 'Contents',
  glance: 'At a glance',
  glanceItems: {
    sources: 'data sources mapped',
    sourcesPartly: (mapped, all, failed) => [`${grouped(mapped)} of ${grouped(all)}`, `data sources mapped, ${grouped(failed)} not assessed`],
    redSources: 'rated red',
    flaggedFlows: 'sources sending data across a border without a basis',
    openGaps: 'open gaps',
    controlsLapsed: 'controls with lapsed, escalated or no evidence',
    answered: 'review tasks answered',
    redTier: 'sources in the red risk tier',
    noAnalysis: 'open gaps: no gap analysis had run',
    noneApplicable: 'controls decided applicable in the Statement of Applicability',
  },
  provenance: 'Where the figures come from',
  sourceCount: 'Sources',
  rating: 'Rating',
  period: 'Period',
  asOf: 'As of',
  sections: { dataMap: 'Data map', evidence: 'Evidence freshness', gaps: 'Gaps', review: 'Quarterly review', risk: 'Three-factor risk' },
  intro: {
    dataMap: (scan, at) => `From the data-mapping scan ${scan} of ${at}: each source's rating (red: government IDs, payment or bank data, health or payroll; amber: contact data only; green: none found), where it is stored, whose data it holds, and the flows between the two.`,
    noDataMap: 'No data-mapping scan had run by this day: where regulated data lives is not known yet.',
    noAnalysis: 'No gap analysis had run by this day: which requirements are unmet is not known yet, so no gap is counted as closed either.',
    evidence: "Applicable controls of the Statement of Applicability by the state of their evidence (a control counts as its worst live item). Over time: the same count at each month's end, from the evidence items' collection and validity dates.",
    gaps: (from, to) => `Gaps open on the day by framework and severity, and every gap analysis from ${from} to ${to}: what each opened and closed, and how many stayed open.`,
    review: (q, status, due, deadline, closed) => `The ISO/IEC 27001 review of ${q}: ${status === 'closed' ? `closed ${closed ?? ''}` : `open, tasks due ${due}, closes by ${deadline}`}.`,
    noReview: (q) => `No review of ${q} was opened.`,
    risk: (red, amber) => `Data sensitivity x user role x geographic mobility, each scored 1 to 3; the score is their product (1 to 27): red tier from ${red}, amber from ${amber}. Red data is never tiered green.`,
  },
  dataTable: 'Data table',
  none: 'None',
  total: 'Total',
  count: 'Count',
  date: 'Date',
  theme: 'Theme',
  control: 'Control',
  controlTitle: 'Title',
  owner: 'Owner',
  status: 'Status',
  source: 'Source',
  platform: 'Platform',
  group: 'Group',
  framework: 'Framework',
  severity: 'Severity',
  analysis: 'Analysis',
  dataMapOf: 'Data map',
  stored: 'Stored in',
  whose: "Whose data",
  transferFrom: 'Transfer from',
  declaredStorage: 'as declared; not scanned',
  flows: 'Cross-border flows',
  basis: 'Transfer basis',
  flagged: 'Without a basis',
  covered: 'Under a basis',
  noBasis: 'none',
  overdue: 'overdue',
  overdueOwners: 'Owners overdue',
  noOverdueOwners: 'No owner is overdue.',
  nonconformities: (o, c) => `Nonconformities: ${grouped(o)} opened, ${grouped(c)} closed.`,
  answered: 'Answered',
  gapStatus: { open: 'Open', accepted: 'Accepted' },
  reviewStatus: { open: 'open', closed: 'closed' },
  peopleTable: "Sources holding data of each jurisdiction's people",
  tier: 'Tier',
  score: 'Score',
  reason: 'Why',
  truncatedNote: (shown, all) => `The ${grouped(shown)} highest of ${grouped(all)}; the table lists all.`,
  allSources: (n) => `All ${plural(n, 'source', 'sources')}`,
  allGroups: (n) => `Declared groups (${grouped(n)})`,
  noGroups: 'No groups are declared.',
  jurisdiction: { HK: 'Hong Kong', CN: 'Mainland China', 'EU/EEA': 'EU/EEA', OTHER: 'Elsewhere', unknown: 'Unknown' },
  standing: { red: 'Red', amber: 'Amber', green: 'Green', failed: 'Not assessed' },
  theme_: { organizational: 'Organizational', people: 'People', physical: 'Physical', technological: 'Technological', Other: 'Other' },
  freshness: { current: 'Current', 'due-soon': 'Due soon', lapsed: 'Lapsed', escalated: 'Escalated', none: 'No evidence' },
  severity_: { critical: 'Critical', high: 'High', medium: 'Medium', low: 'Low' },
  frameworkName: { pdpo: 'PDPO', gdpr: 'GDPR', iso27001: 'ISO/IEC 27001' },
  outcome: {
    effective: 'Effective',
    'partially-effective': 'Partially effective',
    'not-effective': 'Not effective',
    'not-applicable': 'Not applicable',
    unanswered: 'Unanswered',
    open: 'Not answered yet',
  },
  tierName: { red: 'Red', amber: 'Amber', green: 'Green' },
  level: { high: 'high', medium: 'medium', low: 'low', unknown: 'unknown' },
  factor: { sensitivity: 'Sensitivity', role: 'Role', mobility: 'Mobility' },
  trend: { opened: 'Opened', reopened: 'Reopened', expired: 'Acceptance ran out', closed: 'Closed', accepted: 'Accepted', open: 'Open after' },
  scoreNotApplicable: 'not applicable',
  charts: {
    storage: { title: 'Sources by where they are stored and their rating', desc: (rows) => `Sources per storage jurisdiction, by data-map rating. ${rows}` },
    flowMap: {
      title: 'Cross-border flows: where transfers start and where the data is stored',
      desc: (flows, unknown) => `Arrows go from where a transfer starts (Hong Kong, for personal data stored outside it; the EU/EEA, for EU/EEA people's data stored outside it) to where the data is stored. ${flows}${unknown ? ` ${plural(unknown, 'source is', 'sources are')} of unknown storage.` : ''}`,
      storedHere: (n) => `Stored here: ${plural(n, 'source', 'sources')}`,
      peopleHere: (n) => `Its people's data: ${plural(n, 'source', 'sources')}`,
      noFlows: 'No data crosses a border.',
    },
    freshness: { title: 'Evidence freshness by control theme', desc: (rows) => `Applicable controls per theme by evidence status. ${rows}` },
    freshnessOverTime: { title: 'Evidence freshness over time', desc: (first, last, rows) => `Applicable controls by evidence status at each month's end from ${first} to ${last}. Latest: ${rows}` },
    gapsByFramework: { title: 'Open gaps by framework and severity', desc: (rows, open) => `${plural(open, 'gap is', 'gaps are')} open; a gap counts under every framework it leaves a requirement of unmet. ${rows}` },
    gapTrend: { title: 'Gaps opened and closed per analysis', desc: (n, rows) => `${plural(n, 'analysis', 'analyses')}; above the line gaps opened, below it gaps closed, and the line how many stayed open. ${rows}`, empty: 'No gap analysis ran in this time.' },
    review: { title: 'Review results by control theme', desc: (rows, tasks) => `${plural(tasks, 'task', 'tasks')} by theme and result. ${rows}` },
    riskScores: { title: 'Sources by risk score and tier', desc: (rows) => `How many sources have each three-factor score, by tier. ${rows}` },
    riskFactors: { title: 'Highest-risk sources and their three factors', desc: (n, rows) => `The ${plural(n, 'source', 'sources')} with the highest scores, each factor scored 1 to 3. ${rows}` },
  },
  attention: {
    evidence: 'Controls whose evidence needs renewing',
    review: 'Tasks not effective, unanswered or overdue',
    noneEvidence: 'Every applicable control has current evidence.',
    noneApplicable: 'No control is decided applicable in the Statement of Applicability yet, so there is no evidence to judge.',
    noneReview: 'No task is not effective, unanswered or overdue.',
  },
  footer: (asOf, tz) => `Made from the organisation's records as of ${asOf}; dates are in ${tz}. This file needs no network: open it in any browser or print it.`,
  listJoin: '; ',
  comma: ', ',
  stop: '.',
  pair: (label, value) => `${label}: ${value}`,
};

const ZH: Labels = {
  title: '合規報告',
  subtitle: (period, asOf, tz) => `${period}，數據截至 ${asOf}（日期以 ${tz} 時區計算）`,
  contents: '目錄',
  glance: '概覽',
  glanceItems: {
    sources: '個已繪製的數據來源',
    sourcesPartly: (mapped, all, failed) => [`${grouped(mapped)} / ${grouped(all)}`, `個數據來源已繪製，${grouped(failed)} 個未能評估`],
    redSources: '個評為紅色',
    flaggedFlows: '個來源在沒有轉移依據下跨境傳送資料',
    openGaps: '個未解決的差距',
    controlsLapsed: '項控制措施的證據已過期、已升級或欠缺',
    answered: '項審查任務已回覆',
    redTier: '個來源屬紅色風險級別',
    noAnalysis: '未解決的差距：尚未進行差距分析',
    noneApplicable: '項控制措施在適用性聲明中被決定為適用',
  },
  provenance: '數據出處',
  sourceCount: '來源數目',
  rating: '評級',
  period: '期間',
  asOf: '截至',
  sections: { dataMap: '數據地圖', evidence: '證據時效', gaps: '差距', review: '季度審查', risk: '三因素風險' },
  intro: {
    dataMap: (scan, at) => `根據 ${at} 的數據地圖掃描 ${scan}：每個來源的評級（紅色：政府身份證明、付款或銀行資料、健康或薪酬資料；琥珀色：只有聯絡資料；綠色：未有發現）、儲存地點、資料當事人所屬司法管轄區，以及兩者之間的資料流向。`,
    noDataMap: '截至當日尚未進行數據地圖掃描：受規管資料的所在位置仍未知。',
    noAnalysis: '截至當日尚未進行差距分析：哪些要求未獲滿足仍未知，亦不會把任何差距視為已解決。',
    evidence: '適用性聲明中適用的控制措施按其證據狀態分類（每項控制措施以其最差的有效證據計算）。隨時間變化：以證據的收集日期及有效期，計算每月月底的同一數字。',
    gaps: (from, to) => `當日未解決的差距按框架及嚴重程度分類，以及由 ${from} 至 ${to} 的每次差距分析：每次新增及關閉的差距，以及仍未解決的數目。`,
    review: (q, status, due, deadline, closed) => `${q} 的 ISO/IEC 27001 審查：${status === 'closed' ? `已於 ${closed ?? ''} 結束` : `進行中，任務於 ${due} 到期，於 ${deadline} 前結束`}。`,
    noReview: (q) => `${q} 沒有開展審查。`,
    risk: (red, amber) => `資料敏感度 × 用戶角色 × 地域流動性，每項 1 至 3 分；總分為三者之積（1 至 27）：${red} 分或以上屬紅色級別，${amber} 分或以上屬琥珀色級別。紅色資料不會被列為綠色級別。`,
  },
  dataTable: '數據表',
  none: '沒有',
  total: '總數',
  count: '數目',
  date: '日期',
  theme: '主題',
  control: '控制措施',
  controlTitle: '名稱',
  owner: '負責人',
  status: '狀態',
  source: '來源',
  platform: '平台',
  group: '群組',
  framework: '框架',
  severity: '嚴重程度',
  analysis: '分析',
  dataMapOf: '數據地圖',
  stored: '儲存地點',
  whose: '資料當事人所屬地',
  transferFrom: '轉移起點',
  declaredStorage: '按申報，未經掃描',
  flows: '跨境資料流向',
  basis: '轉移依據',
  flagged: '沒有依據',
  covered: '有依據',
  noBasis: '沒有',
  overdue: '逾期',
  overdueOwners: '逾期的負責人',
  noOverdueOwners: '沒有負責人逾期。',
  nonconformities: (o, c) => `不符合項：新增 ${grouped(o)} 項，關閉 ${grouped(c)} 項。`,
  answered: '已回覆',
  gapStatus: { open: '未解決', accepted: '已接受' },
  reviewStatus: { open: '進行中', closed: '已結束' },
  peopleTable: '載有各司法管轄區人士資料的來源',
  tier: '級別',
  score: '分數',
  reason: '原因',
  truncatedNote: (shown, all) => `${grouped(all)} 個中分數最高的 ${grouped(shown)} 個；數據表列出全部。`,
  allSources: (n) => `全部 ${grouped(n)} 個來源`,
  allGroups: (n) => `已申報的群組（${grouped(n)} 個）`,
  noGroups: '沒有申報群組。',
  jurisdiction: { HK: '香港', CN: '中國內地', 'EU/EEA': '歐盟／歐洲經濟區', OTHER: '其他地區', unknown: '不明' },
  standing: { red: '紅色', amber: '琥珀色', green: '綠色', failed: '未能評估' },
  theme_: { organizational: '組織', people: '人員', physical: '實體', technological: '技術', Other: '其他' },
  freshness: { current: '有效', 'due-soon': '即將到期', lapsed: '已過期', escalated: '已升級', none: '沒有證據' },
  severity_: { critical: '嚴重', high: '高', medium: '中', low: '低' },
  frameworkName: { pdpo: '私隱條例', gdpr: 'GDPR', iso27001: 'ISO/IEC 27001' },
  outcome: {
    effective: '有效',
    'partially-effective': '部分有效',
    'not-effective': '無效',
    'not-applicable': '不適用',
    unanswered: '未回覆',
    open: '尚未回覆',
  },
  tierName: { red: '紅色', amber: '琥珀色', green: '綠色' },
  level: { high: '高', medium: '中', low: '低', unknown: '不明' },
  factor: { sensitivity: '敏感度', role: '角色', mobility: '流動性' },
  trend: { opened: '新增', reopened: '重新開啟', expired: '接受期已過', closed: '已關閉', accepted: '已接受', open: '之後未解決' },
  scoreNotApplicable: '不適用',
  charts: {
    storage: { title: '按儲存地點及評級劃分的來源', desc: (rows) => `各儲存司法管轄區的來源數目，按數據地圖評級分類。${rows}` },
    flowMap: {
      title: '跨境資料流向：轉移起點與儲存地點',
      desc: (flows, unknown) => `箭頭由轉移的起點（存於香港以外的個人資料：香港；存於歐盟／歐洲經濟區以外的歐盟／歐洲經濟區人士資料：歐盟／歐洲經濟區）指向資料的儲存地點。${flows}${unknown ? `${grouped(unknown)} 個來源的儲存地點不明。` : ''}`,
      storedHere: (n) => `儲存於此：${grouped(n)} 個來源`,
      peopleHere: (n) => `載有當地人士資料：${grouped(n)} 個來源`,
      noFlows: '沒有資料跨境。',
    },
    freshness: { title: '按控制主題劃分的證據時效', desc: (rows) => `各主題適用控制措施的證據狀態。${rows}` },
    freshnessOverTime: { title: '證據時效的變化', desc: (first, last, rows) => `由 ${first} 至 ${last} 每月月底適用控制措施的證據狀態。最近：${rows}` },
    gapsByFramework: { title: '按框架及嚴重程度劃分的未解決差距', desc: (rows, open) => `共有 ${grouped(open)} 個未解決的差距；一個差距會計入其未符合要求的每個框架。${rows}` },
    gapTrend: { title: '每次分析新增及關閉的差距', desc: (n, rows) => `共 ${grouped(n)} 次分析；基線以上為新增的差距，基線以下為關閉的差距，折線為仍未解決的數目。${rows}`, empty: '期間沒有進行差距分析。' },
    review: { title: '按控制主題劃分的審查結果', desc: (rows, tasks) => `共 ${grouped(tasks)} 項任務，按主題及結果分類。${rows}` },
    riskScores: { title: '按風險分數及級別劃分的來源', desc: (rows) => `各三因素分數的來源數目，按級別分類。${rows}` },
    riskFactors: { title: '風險最高的來源及其三項因素', desc: (n, rows) => `分數最高的 ${grouped(n)} 個來源，每項因素 1 至 3 分。${rows}` },
  },
  attention: {
    evidence: '需要更新證據的控制措施',
    review: '無效、未回覆或逾期的任務',
    noneEvidence: '所有適用的控制措施均有有效證據。',
    noneApplicable: '適用性聲明中尚未有控制措施被決定為適用，因此沒有可評估的證據。',
    noneReview: '沒有無效、未回覆或逾期的任務。',
  },
  footer: (asOf, tz) => `根據機構截至 ${asOf} 的紀錄製作；日期以 ${tz} 時區計算。本檔案無需網絡連線，可在任何瀏覽器開啟或列印。`,
  listJoin: '；',
  comma: '，',
  stop: '。',
  pair: (label, value) => `${label}：${value}`,
};

export const LABELS: Readonly<Record<Language, Labels>> = { en: EN, 'zh-Hant': ZH };

export const jurisdictionLabel = (l: Labels, j: Jurisdiction | 'unknown'): string => l.jurisdiction[j];
