// Renders the one e-mail a recipient gets per sweep: every evidence item that
// needs them, grouped into escalations, lapsed items and items due soon, in
// English or Traditional Chinese (Hong Kong). Pure: no I/O, no clock; the days
// on each line and the sweep's date come from the input.
import type { NoticeLine } from './notice.ts';

export interface NoticeMailInput {
  recipient: { name: string; email: string; language: 'en' | 'zh-Hant' };
  organisationName: string;
  /** YYYY-MM-DD, the sweep's date. */
  asOf: string;
  /** At least one. */
  lines: NoticeLine[];
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

type Language = NoticeMailInput['recipient']['language'];
type SectionKey = 'escalated' | 'lapsed' | 'dueSoon';

/** Sections in the order they appear in the body. */
const SECTION_ORDER: readonly SectionKey[] = ['escalated', 'lapsed', 'dueSoon'];
/** Counts in the order they appear in the subject. */
const SUBJECT_ORDER: readonly SectionKey[] = ['lapsed', 'dueSoon', 'escalated'];

interface Strings {
  subjectLead: string;
  subjectCount: Record<SectionKey, (n: number) => string>;
  subjectJoin: string;
  greeting: (name: string) => string;
  intro: (organisation: string, asOf: string) => string;
  sectionTitle: Record<SectionKey, string>;
  sectionHeading: (title: string, n: number) => string;
  sectionNote: Record<SectionKey, string>;
  label: {
    control: string;
    evidence: string;
    owner: string;
    notice: string;
    validUntil: string;
    status: string;
    location: string;
  };
  /** Joins a label and its value in the plain-text body. */
  colon: string;
  /** Wraps a parenthetical in the plain-text body. */
  paren: (s: string) => string;
  lapsedStage: string;
  reminder: (n: number) => string;
  daysOverdue: (n: number) => string;
  endsToday: string;
  endsIn: (n: number) => string;
  closing: string[];
  closingEscalated: string;
  signOff: (organisation: string) => string;
}

const STRINGS: Record<Language, Strings> = {
  en: {
    subjectLead: 'Evidence needs your attention: ',
    subjectCount: {
      lapsed: (n) => `${n} lapsed`,
      dueSoon: (n) => `${n} due soon`,
      escalated: (n) => `${n} escalated`,
    },
    subjectJoin: ', ',
    greeting: (name) => `Dear ${name},`,
    intro: (organisation, asOf) =>
      `As of ${asOf}, the following ISO/IEC 27001 evidence for ${organisation} needs your attention.`,
    sectionTitle: { escalated: 'Escalated to you', lapsed: 'Lapsed', dueSoon: 'Due soon' },
    sectionHeading: (title, n) => `${title} (${n})`,
    sectionNote: {
      escalated: 'Evidence owned by people who report to you has been lapsed for some time. Please follow up with the owner.',
      lapsed: 'This evidence is past its validity end date.',
      dueSoon: 'This evidence reaches its validity end date soon.',
    },
    label: {
      control: 'Control',
      evidence: 'Evidence',
      owner: 'Owner',
      notice: 'Notice',
      validUntil: 'Valid until',
      status: 'Status',
      location: 'Location',
    },
    colon: ': ',
    paren: (s) => ` (${s})`,
    lapsedStage: 'Lapsed',
    reminder: (n) => `Reminder ${n}`,
    daysOverdue: (n) => (n === 1 ? '1 day overdue' : `${n} days overdue`),
    endsToday: 'ends today',
    endsIn: (n) => (n === 1 ? 'ends in 1 day' : `ends in ${n} days`),
    closing: [
      'What to do: upload renewed evidence for each item you own and update its validity dates. Once an item is renewed, its reminders stop.',
      'Until then, reminders repeat on a regular schedule.',
    ],
    closingEscalated: 'For escalated items, please ask the named owner to renew the evidence.',
    signOff: (organisation) => `This message was sent automatically by the ${organisation} compliance review tool.`,
  },
  'zh-Hant': {
    subjectLead: '證據需要處理：',
    subjectCount: {
      lapsed: (n) => `${n} 項已過期`,
      dueSoon: (n) => `${n} 項即將到期`,
      escalated: (n) => `${n} 項已升級`,
    },
    subjectJoin: '、',
    greeting: (name) => `${name}，你好：`,
    intro: (organisation, asOf) => `截至 ${asOf}，${organisation} 的以下 ISO/IEC 27001 證據需要你處理。`,
    sectionTitle: { escalated: '升級通知', lapsed: '已過期', dueSoon: '即將到期' },
    sectionHeading: (title, n) => `${title}（${n} 項）`,
    sectionNote: {
      escalated: '以下證據由向你匯報的同事負責，已過期一段時間，請與負責人跟進。',
      lapsed: '以下證據已超過有效期。',
      dueSoon: '以下證據即將到期。',
    },
    label: {
      control: '控制措施',
      evidence: '證據',
      owner: '負責人',
      notice: '通知',
      validUntil: '有效期至',
      status: '狀態',
      location: '位置',
    },
    colon: '：',
    paren: (s) => `（${s}）`,
    lapsedStage: '已過期',
    reminder: (n) => `第 ${n} 次提醒`,
    daysOverdue: (n) => `逾期 ${n} 天`,
    endsToday: '今天到期',
    endsIn: (n) => `${n} 天後到期`,
    closing: [
      '處理方法：請為你負責的每項證據上載更新後的版本，並更新其有效期。證據更新後，相關提醒便會停止。',
      '在證據更新之前，系統會定期重複發送提醒。',
    ],
    closingEscalated: '對於升級通知中的項目，請提醒列明的負責人更新證據。',
    signOff: (organisation) => `此電郵由 ${organisation} 合規審查工具自動發出。`,
  },
};

function sectionOf(line: NoticeLine): SectionKey {
  if (line.stage === 'escalated') return 'escalated';
  if (line.stage === 'due-soon') return 'dueSoon';
  return 'lapsed';
}

/** The reminder number of a `reminder-N` stage, or undefined for any other stage. */
function reminderNumber(line: NoticeLine): number | undefined {
  const m = /^reminder-(\d+)$/.exec(line.stage);
  return m ? Number(m[1]) : undefined;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Orders control ids numerically by the dotted parts after "A.": A.5.2 before A.5.10. */
export function compareControlIds(a: string, b: string): number {
  const parts = (id: string): string[] => (id.startsWith('A.') ? id.slice(2) : id).split('.');
  const pa = parts(a);
  const pb = parts(b);
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i] ?? '';
    const y = pb[i] ?? '';
    const bothNumeric = /^\d+$/.test(x) && /^\d+$/.test(y);
    const c = bothNumeric ? Number(x) - Number(y) : compareText(x, y);
    if (c !== 0) return c < 0 ? -1 : 1;
  }
  if (pa.length !== pb.length) return pa.length < pb.length ? -1 : 1;
  return compareText(a, b);
}

function compareLines(a: NoticeLine, b: NoticeLine): number {
  return compareControlIds(a.controlId, b.controlId) || compareText(a.evidenceId, b.evidenceId);
}

function daysText(s: Strings, daysOverdue: number): string {
  if (daysOverdue > 0) return s.daysOverdue(daysOverdue);
  if (daysOverdue === 0) return s.endsToday;
  return s.endsIn(-daysOverdue);
}

function noticeText(s: Strings, line: NoticeLine): string {
  const n = reminderNumber(line);
  return n === undefined ? s.lapsedStage : s.reminder(n);
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: string | number): string {
  return String(value).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

function isWebLink(location: string): boolean {
  return /^https?:\/\//i.test(location);
}

function locationHtml(location: string): string {
  const escaped = escapeHtml(location);
  return isWebLink(location) ? `<a href="${escaped}">${escaped}</a>` : escaped;
}

/** Columns a string takes in a monospaced font: CJK and full-width characters take two. */
function displayWidth(value: string): number {
  let width = 0;
  for (const ch of value) width += /[\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  return width;
}

interface Section {
  key: SectionKey;
  lines: NoticeLine[];
}

function textSection(s: Strings, section: Section): string[] {
  const title = s.sectionHeading(s.sectionTitle[section.key], section.lines.length);
  const out = [title, '-'.repeat(Math.max(displayWidth(title), 8)), s.sectionNote[section.key], ''];
  const field = (label: string, value: string): string => `  ${label}${s.colon}${value}`;
  for (const line of section.lines) {
    out.push(`- ${s.label.control}${s.colon}${line.controlId} ${line.controlTitle}`);
    out.push(field(s.label.evidence, `${line.evidenceTitle}${s.paren(line.evidenceId)}`));
    if (section.key === 'escalated') out.push(field(s.label.owner, line.ownerName));
    if (section.key === 'lapsed') out.push(field(s.label.notice, noticeText(s, line)));
    out.push(field(s.label.validUntil, `${line.validUntil}${s.paren(daysText(s, line.daysOverdue))}`));
    out.push(field(s.label.location, line.evidenceLocation));
    out.push('');
  }
  return out;
}

function htmlSection(s: Strings, section: Section): string[] {
  const headers = [s.label.control, s.label.evidence];
  if (section.key === 'escalated') headers.push(s.label.owner);
  if (section.key === 'lapsed') headers.push(s.label.notice);
  headers.push(s.label.validUntil, s.label.status, s.label.location);

  const title = s.sectionHeading(s.sectionTitle[section.key], section.lines.length);
  const out = [
    `<h2>${escapeHtml(title)}</h2>`,
    `<p>${escapeHtml(s.sectionNote[section.key])}</p>`,
    '<table border="1" cellpadding="6" cellspacing="0" style="border-collapse:collapse">',
    `<thead><tr>${headers.map((h) => `<th align="left">${escapeHtml(h)}</th>`).join('')}</tr></thead>`,
    '<tbody>',
  ];
  for (const line of section.lines) {
    const cells = [
      `${escapeHtml(line.controlId)} ${escapeHtml(line.controlTitle)}`,
      `${escapeHtml(line.evidenceTitle)}${escapeHtml(s.paren(line.evidenceId))}`,
    ];
    if (section.key === 'escalated') cells.push(escapeHtml(line.ownerName));
    if (section.key === 'lapsed') cells.push(escapeHtml(noticeText(s, line)));
    cells.push(
      escapeHtml(line.validUntil),
      escapeHtml(daysText(s, line.daysOverdue)),
      locationHtml(line.evidenceLocation),
    );
    out.push(`<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`);
  }
  out.push('</tbody>', '</table>');
  return out;
}

export function renderNoticeMail(input: NoticeMailInput): RenderedMail {
  if (input.lines.length === 0) throw new Error('renderNoticeMail: a notice mail needs at least one line');
  const { recipient, organisationName, asOf } = input;
  const s = STRINGS[recipient.language];

  const grouped: Record<SectionKey, NoticeLine[]> = { escalated: [], lapsed: [], dueSoon: [] };
  for (const line of input.lines) grouped[sectionOf(line)].push(line);
  const sections: Section[] = SECTION_ORDER.map((key) => ({ key, lines: [...grouped[key]].sort(compareLines) })).filter(
    (section) => section.lines.length > 0,
  );

  const counts = SUBJECT_ORDER.filter((key) => grouped[key].length > 0).map((key) =>
    s.subjectCount[key](grouped[key].length),
  );
  // A header value: no line breaks, whatever the organisation's name holds.
  const subject = `[${organisationName}] ${s.subjectLead}${counts.join(s.subjectJoin)}`.replace(/[\r\n]+/g, ' ');

  const closing = [...s.closing];
  if (grouped.escalated.length > 0) closing.push(s.closingEscalated);

  const text = [
    s.greeting(recipient.name),
    '',
    s.intro(organisationName, asOf),
    '',
    ...sections.flatMap((section) => textSection(s, section)),
    ...closing,
    '',
    s.signOff(organisationName),
    '',
  ].join('\n');

  const html = [
    '<!doctype html>',
    `<html lang="${escapeHtml(recipient.language)}">`,
    '<head>',
    '<meta charset="utf-8">',
    `<title>${escapeHtml(subject)}</title>`,
    '</head>',
    '<body style="font-family:sans-serif">',
    `<p>${escapeHtml(s.greeting(recipient.name))}</p>`,
    `<p>${escapeHtml(s.intro(organisationName, asOf))}</p>`,
    ...sections.flatMap((section) => htmlSection(s, section)),
    ...closing.map((p) => `<p>${escapeHtml(p)}</p>`),
    `<p><small>${escapeHtml(s.signOff(organisationName))}</small></p>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');

  return { subject, text, html };
}
