// Renders the one e-mail a recipient gets per sweep: every evidence item that
// needs them, grouped into escalations, lapsed items and items due soon, and the
// review tasks that wait for them (assigned, due soon, or overdue and escalated to
// them as reviewer), and the behaviour-monitoring alerts they are told of, in English
// or Traditional Chinese (Hong Kong). Pure: no I/O, no clock; the days
// on each line and the sweep's date come from the input.
import type { AlertLine, NoticeLine, TaskLine } from './notice.ts';
import { RULE_TITLES } from '../monitoring/alert.ts';

export interface NoticeMailInput {
  recipient: { name: string; email: string; language: 'en' | 'zh-Hant' };
  organisationName: string;
  /** YYYY-MM-DD, the sweep's date. */
  asOf: string;
  /** Evidence lines; with the task lines, at least one. */
  lines: NoticeLine[];
  tasks?: TaskLine[];
  /** Behaviour-monitoring alerts, listed first. */
  alerts?: AlertLine[];
  /** The owner's tasks page (the web pages' /tasks), linked from a mail with tasks. */
  tasksUrl?: string;
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

type Language = NoticeMailInput['recipient']['language'];
type SectionKey = 'escalated' | 'lapsed' | 'dueSoon';
type TaskSectionKey = 'tasksOverdue' | 'tasksDueSoon' | 'tasksAssigned';
const TASK_SECTION_ORDER: readonly TaskSectionKey[] = ['tasksOverdue', 'tasksDueSoon', 'tasksAssigned'];

/** Sections in the order they appear in the body. */
const SECTION_ORDER: readonly SectionKey[] = ['escalated', 'lapsed', 'dueSoon'];
/** Counts in the order they appear in the subject. */
const SUBJECT_ORDER: readonly SectionKey[] = ['lapsed', 'dueSoon', 'escalated'];

interface TaskStrings {
  subjectLead: (quarter: string) => string;
  /** The lead when a mail holds evidence and tasks. */
  mixedLead: string;
  intro: (organisation: string, asOf: string) => string;
  mixedIntro: (organisation: string, asOf: string) => string;
  subjectCount: Record<TaskSectionKey, (n: number) => string>;
  sectionTitle: Record<TaskSectionKey, (quarter: string) => string>;
  sectionNote: Record<TaskSectionKey, string>;
  label: { task: string; control: string; owner: string; due: string; status: string };
  dueToday: string;
  dueIn: (n: number) => string;
  overdue: (n: number) => string;
  /** The line that links to the tasks page. */
  online: (url: string) => string;
  closing: string;
}

interface Strings {
  task: TaskStrings;
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
  /** Beside a control's catalogue title: the organisation file's own, where it differs. */
  titleInFile: (title: string) => string;
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
    task: {
      subjectLead: (quarter) => `ISO/IEC 27001 review ${quarter}: `,
      mixedLead: 'Compliance items need your attention: ',
      intro: (organisation, asOf) => `As of ${asOf}, the following ISO/IEC 27001 review tasks for ${organisation} wait for you.`,
      mixedIntro: (organisation, asOf) => `As of ${asOf}, the following ISO/IEC 27001 review tasks and evidence for ${organisation} need your attention.`,
      subjectCount: {
        tasksOverdue: (n) => `${n} overdue task${n === 1 ? '' : 's'} escalated`,
        tasksDueSoon: (n) => `${n} task${n === 1 ? '' : 's'} due soon`,
        tasksAssigned: (n) => `${n} task${n === 1 ? '' : 's'} to answer`,
      },
      sectionTitle: {
        tasksOverdue: (q) => `Overdue review tasks you review (${q})`,
        tasksDueSoon: (q) => `Review tasks due soon (${q})`,
        tasksAssigned: (q) => `Your review tasks (${q})`,
      },
      sectionNote: {
        tasksOverdue: 'These tasks are past their due date without an answer. As their reviewer, please follow up with the owner.',
        tasksDueSoon: 'These tasks of yours still wait for an answer.',
        tasksAssigned: "Please review each control: is it effective, with current evidence? Answer each task by its due date.",
      },
      label: { task: 'Task', control: 'Control', owner: 'Owner', due: 'Due', status: 'Status' },
      dueToday: 'due today',
      dueIn: (n) => (n === 1 ? 'due in 1 day' : `due in ${n} days`),
      overdue: (n) => (n === 1 ? '1 day overdue' : `${n} days overdue`),
      online: (url: string) => `Answer your tasks online: ${url}`,
      closing: 'To answer a task: compliance task answer TASK --as YOU --result effective|partially-effective|not-effective|not-applicable [--comment ...] [--evidence FILE], or on the review pages.',
    },
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
    titleInFile: (title) => `your title: ${title}`,
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
    task: {
      subjectLead: (quarter) => `ISO/IEC 27001 ${quarter} 季度審查：`,
      mixedLead: '合規事項需要處理：',
      intro: (organisation, asOf) => `截至 ${asOf}，${organisation} 的以下 ISO/IEC 27001 審查任務正等待你處理。`,
      mixedIntro: (organisation, asOf) => `截至 ${asOf}，${organisation} 的以下 ISO/IEC 27001 審查任務及證據需要你處理。`,
      subjectCount: {
        tasksOverdue: (n) => `${n} 項逾期任務已升級`,
        tasksDueSoon: (n) => `${n} 項任務即將到期`,
        tasksAssigned: (n) => `${n} 項任務待回覆`,
      },
      sectionTitle: {
        tasksOverdue: (q) => `由你覆核的逾期審查任務（${q}）`,
        tasksDueSoon: (q) => `即將到期的審查任務（${q}）`,
        tasksAssigned: (q) => `你的審查任務（${q}）`,
      },
      sectionNote: {
        tasksOverdue: '以下任務已過到期日仍未回覆。你是覆核人，請與負責人跟進。',
        tasksDueSoon: '以下由你負責的任務仍未回覆。',
        tasksAssigned: '請審查每項控制措施是否有效、證據是否仍然有效，並在到期日前回覆每項任務。',
      },
      label: { task: '任務', control: '控制措施', owner: '負責人', due: '到期日', status: '狀態' },
      dueToday: '今天到期',
      dueIn: (n) => `${n} 天後到期`,
      overdue: (n) => `逾期 ${n} 天`,
      online: (url: string) => `在網上回覆你的任務：${url}`,
      closing: '回覆任務：compliance task answer 任務 --as 你的編號 --result effective|partially-effective|not-effective|not-applicable [--comment ...] [--evidence 檔案]，或在審查網頁上回覆。',
    },
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
    titleInFile: (title) => `機構所用名稱：${title}`,
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

/** The control as a line names it: id, catalogue title, and the file's title where it differs, so a title naming another control shows. */
function controlText(s: Strings, line: NoticeLine): string {
  return `${line.controlId} ${line.controlTitle}${line.controlTitleInOrganisationFile !== undefined ? s.paren(s.titleInFile(line.controlTitleInOrganisationFile)) : ''}`;
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

/** A plain-text section's head: its title underlined, then its note. */
function textHead(title: string, note: string): string[] {
  return [title, '-'.repeat(Math.max(displayWidth(title), 8)), note, ''];
}

/** An HTML section: its title, its note, and a table of cells already escaped. */
function htmlTable(title: string, note: string, headers: readonly string[], rows: readonly string[][]): string[] {
  return [
    `<h2>${escapeHtml(title)}</h2>`,
    `<p>${escapeHtml(note)}</p>`,
    '<table border="1" cellpadding="6" cellspacing="0" style="border-collapse:collapse">',
    `<thead><tr>${headers.map((h) => `<th align="left">${escapeHtml(h)}</th>`).join('')}</tr></thead>`,
    '<tbody>',
    ...rows.map((cells) => `<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`),
    '</tbody>',
    '</table>',
  ];
}

function textSection(s: Strings, section: Section): string[] {
  const out = textHead(s.sectionHeading(s.sectionTitle[section.key], section.lines.length), s.sectionNote[section.key]);
  const field = (label: string, value: string): string => `  ${label}${s.colon}${value}`;
  for (const line of section.lines) {
    out.push(`- ${s.label.control}${s.colon}${controlText(s, line)}`);
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
  const rows = section.lines.map((line) => {
    const cells = [escapeHtml(controlText(s, line)), `${escapeHtml(line.evidenceTitle)}${escapeHtml(s.paren(line.evidenceId))}`];
    if (section.key === 'escalated') cells.push(escapeHtml(line.ownerName));
    if (section.key === 'lapsed') cells.push(escapeHtml(noticeText(s, line)));
    cells.push(escapeHtml(line.validUntil), escapeHtml(daysText(s, line.daysOverdue)), locationHtml(line.evidenceLocation));
    return cells;
  });
  return htmlTable(s.sectionHeading(s.sectionTitle[section.key], section.lines.length), s.sectionNote[section.key], headers, rows);
}

function taskSectionOf(line: TaskLine): TaskSectionKey {
  if (line.stage === 'escalated') return 'tasksOverdue';
  return line.stage === 'reminder' ? 'tasksDueSoon' : 'tasksAssigned';
}

function taskDaysText(t: TaskStrings, daysOverdue: number): string {
  if (daysOverdue > 0) return t.overdue(daysOverdue);
  return daysOverdue === 0 ? t.dueToday : t.dueIn(-daysOverdue);
}

interface TaskSection {
  key: TaskSectionKey;
  quarter: string;
  lines: TaskLine[];
}

/** Task sections: one per stage and quarter (a quarter's tasks share a due date), in control order. */
function taskSections(tasks: readonly TaskLine[]): TaskSection[] {
  const sections = new Map<string, TaskSection>();
  for (const line of tasks) {
    const key = taskSectionOf(line);
    const id = `${TASK_SECTION_ORDER.indexOf(key)}#${line.quarter}`;
    const section = sections.get(id) ?? { key, quarter: line.quarter, lines: [] };
    section.lines.push(line);
    sections.set(id, section);
  }
  return [...sections.entries()]
    .sort(([a], [b]) => compareText(a, b))
    .map(([, section]) => ({ ...section, lines: section.lines.sort((a, b) => compareControlIds(a.controlId, b.controlId)) }));
}

function taskTextSection(s: Strings, section: TaskSection): string[] {
  const t = s.task;
  const out = textHead(s.sectionHeading(t.sectionTitle[section.key](section.quarter), section.lines.length), t.sectionNote[section.key]);
  const field = (label: string, value: string): string => `  ${label}${s.colon}${value}`;
  for (const line of section.lines) {
    out.push(`- ${t.label.task}${s.colon}${line.taskId}`);
    out.push(field(t.label.control, `${line.controlId} ${line.controlTitle}`));
    if (section.key === 'tasksOverdue') out.push(field(t.label.owner, line.ownerName));
    out.push(field(t.label.due, `${line.due}${s.paren(taskDaysText(t, line.daysOverdue))}`));
    out.push('');
  }
  return out;
}

function taskHtmlSection(s: Strings, section: TaskSection): string[] {
  const t = s.task;
  const overdue = section.key === 'tasksOverdue';
  const headers = [t.label.task, t.label.control, ...(overdue ? [t.label.owner] : []), t.label.due, t.label.status];
  const rows = section.lines.map((line) => [
    escapeHtml(line.taskId),
    `${escapeHtml(line.controlId)} ${escapeHtml(line.controlTitle)}`,
    ...(overdue ? [escapeHtml(line.ownerName)] : []),
    escapeHtml(line.due),
    escapeHtml(taskDaysText(t, line.daysOverdue)),
  ]);
  return htmlTable(s.sectionHeading(t.sectionTitle[section.key](section.quarter), section.lines.length), t.sectionNote[section.key], headers, rows);
}

interface AlertStrings {
  lead: string;
  count: (n: number, critical: number) => string;
  intro: (organisation: string) => string;
  mixedIntro: (organisation: string, asOf: string) => string;
  title: string;
  note: string;
  label: { alert: string; what: string; who: string; group: string; when: string; events: string };
  severity: Record<AlertLine['severity'], string>;
  tier: (tier: string) => string;
  /** After the tier, when it is assumed: the latest scan could not read the group's source. */
  assumed: string;
  on: (group: string, tier: string, platform: string) => string;
  detail: (line: AlertLine) => string;
  closing: string;
}

const num = (v: unknown) => (typeof v === 'number' ? v : Number(v ?? 0));
const textOf = (v: unknown) => (v === undefined || v === null ? '' : String(v));

const ZH_TIERS: Readonly<Record<string, string>> = { red: '紅色級別', amber: '琥珀色級別', green: '綠色級別' };

const ALERT_STRINGS: Record<Language, AlertStrings> = {
  en: {
    lead: 'Behaviour monitoring: ',
    count: (n, critical) => `${n} alert${n === 1 ? '' : 's'}${critical > 0 ? ` (${critical} critical)` : ''}`,
    intro: (organisation) => `The following activity on ${organisation}'s platforms needs your attention.`,
    mixedIntro: (organisation, asOf) => `As of ${asOf}, the following alerts, tasks and evidence for ${organisation} need your attention.`,
    title: 'Behaviour alerts',
    note: 'Look into each alert and acknowledge it; once it is settled, resolve it as a true positive, benign, or a false positive.',
    label: { alert: 'Alert', what: 'What', who: 'Who', group: 'Group', when: 'When', events: 'Events' },
    severity: { low: 'low', medium: 'medium', high: 'high', critical: 'critical' },
    tier: (tier) => (tier === 'unknown' ? 'tier not assessed' : `${tier} tier`),
    assumed: ', assumed: its source was not assessed',
    on: (group, tier, platform) => `${group} (${tier}) on ${platform}`,
    detail: (a) => {
      const d = a.detail;
      const rule = (a.pattern ?? a.rule) as keyof typeof RULE_TITLES;
      const lead = a.rule === 'departure' ? 'In their notice period: ' : '';
      let what: string;
      if (rule === 'volume' || rule === 'timing') {
        what = `${num(d.count)} downloads and exports in ${num(d.windowMinutes)} minutes${rule === 'timing' ? ' outside working hours' : ''} (threshold ${num(d.threshold)}; ${d.learning ? 'no baseline yet' : `own baseline ${num(d.baseline)}`})`;
      } else if (rule === 'flow') {
        what = d.kind === 'lower-tier' ? `forwarded to ${textOf(d.to)} (${d.toTier === 'unknown' ? 'tier not assessed' : `${textOf(d.toTier)} tier`})` : d.kind === 'personal' ? `sent to a personal account at ${textOf(d.domain)}` : `sent outside the organisation, to ${textOf(d.domain)}`;
      } else if (rule === 'strangers') {
        what = `${a.eventCount} event${a.eventCount === 1 ? '' : 's'} by someone not of the organisation${d.insideDomain ? " (with the organisation's own domain)" : ''}`;
      } else if (rule === 'exposure') {
        what = d.kind === 'public' ? 'a public link was created' : `shared with an outside address at ${textOf(d.domain)}`;
      } else what = '';
      return `${lead}${RULE_TITLES[rule]?.en ?? rule}${what ? `: ${what}` : ''}`;
    },
    closing: 'To acknowledge an alert: compliance alerts ack ID --as YOU; to resolve it: compliance alerts resolve ID --as YOU --disposition true-positive|benign|false-positive.',
  },
  'zh-Hant': {
    lead: '行為監察：',
    count: (n, critical) => `${n} 項警報${critical > 0 ? `（${critical} 項嚴重）` : ''}`,
    intro: (organisation) => `${organisation} 平台上的以下活動需要你處理。`,
    mixedIntro: (organisation, asOf) => `截至 ${asOf}，${organisation} 的以下警報、任務及證據需要你處理。`,
    title: '行為警報',
    note: '請調查每項警報並確認收到；處理完畢後，將其結案為真實事件（true-positive）、無害（benign）或誤報（false-positive）。',
    label: { alert: '警報', what: '內容', who: '人員', group: '群組', when: '時間', events: '事件數' },
    severity: { low: '低', medium: '中', high: '高', critical: '嚴重' },
    tier: (tier) => ZH_TIERS[tier] ?? '未評估級別',
    assumed: '（假定：其來源未獲評估）',
    on: (group, tier, platform) => `${group}（${tier}，${platform}）`,
    detail: (a) => {
      const d = a.detail;
      const rule = (a.pattern ?? a.rule) as keyof typeof RULE_TITLES;
      const lead = a.rule === 'departure' ? '通知期內：' : '';
      let what: string;
      if (rule === 'volume' || rule === 'timing') {
        what = `${num(d.windowMinutes)} 分鐘內${rule === 'timing' ? '在非辦公時間' : ''}下載及導出 ${num(d.count)} 次（門檻 ${num(d.threshold)}；${d.learning ? '尚未有平常水平' : `平常最高 ${num(d.baseline)}`}）`;
      } else if (rule === 'flow') {
        what = d.kind === 'lower-tier' ? `轉發至 ${textOf(d.to)}（${ZH_TIERS[textOf(d.toTier)] ?? '未評估級別'}）` : d.kind === 'personal' ? `發送至個人帳戶（${textOf(d.domain)}）` : `發送至機構以外（${textOf(d.domain)}）`;
      } else if (rule === 'strangers') {
        what = `機構以外人士的 ${a.eventCount} 項活動${d.insideDomain ? '（使用機構本身的域名）' : ''}`;
      } else if (rule === 'exposure') {
        what = d.kind === 'public' ? '建立了公開連結' : `分享至外部地址（${textOf(d.domain)}）`;
      } else what = '';
      return `${lead}${RULE_TITLES[rule]?.['zh-Hant'] ?? rule}${what ? `：${what}` : ''}`;
    },
    closing: '確認警報：compliance alerts ack 警報編號 --as 你的編號；結案：compliance alerts resolve 警報編號 --as 你的編號 --disposition true-positive|benign|false-positive。',
  },
};

const tierText = (a: AlertStrings, line: AlertLine) => `${a.tier(line.tier)}${line.detail.tierAssumed ? a.assumed : ''}`;

const SEVERITY_RANK: Record<AlertLine['severity'], number> = { critical: 0, high: 1, medium: 2, low: 3 };
const sortAlerts = (alerts: readonly AlertLine[]) => [...alerts].sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || compareText(a.alertId, b.alertId));

function alertTextSection(s: Strings, a: AlertStrings, alerts: readonly AlertLine[]): string[] {
  if (alerts.length === 0) return [];
  const out = textHead(s.sectionHeading(a.title, alerts.length), a.note);
  const field = (label: string, value: string): string => `  ${label}${s.colon}${value}`;
  for (const line of sortAlerts(alerts)) {
    out.push(`- ${a.label.alert}${s.colon}${line.alertId}${s.paren(a.severity[line.severity])}`);
    out.push(field(a.label.what, a.detail(line)));
    out.push(field(a.label.who, line.who));
    if (line.group !== undefined) out.push(field(a.label.group, a.on(line.group, tierText(a, line), line.platform)));
    out.push(field(a.label.when, line.when));
    out.push(field(a.label.events, String(line.eventCount)));
    out.push('');
  }
  return out;
}

function alertHtmlSection(s: Strings, a: AlertStrings, alerts: readonly AlertLine[]): string[] {
  if (alerts.length === 0) return [];
  const rows = sortAlerts(alerts).map((line) => [
    `${escapeHtml(line.alertId)}${escapeHtml(s.paren(a.severity[line.severity]))}`,
    escapeHtml(a.detail(line)),
    escapeHtml(line.who),
    line.group !== undefined ? escapeHtml(a.on(line.group, tierText(a, line), line.platform)) : '',
    escapeHtml(line.when),
    escapeHtml(line.eventCount),
  ]);
  return htmlTable(s.sectionHeading(a.title, alerts.length), a.note, [a.label.alert, a.label.what, a.label.who, a.label.group, a.label.when, a.label.events], rows);
}

export function renderNoticeMail(input: NoticeMailInput): RenderedMail {
  const tasks = input.tasks ?? [];
  const alerts = input.alerts ?? [];
  if (input.lines.length === 0 && tasks.length === 0 && alerts.length === 0) throw new Error('renderNoticeMail: a notice mail needs at least one line');
  const { recipient, organisationName, asOf } = input;
  const s = STRINGS[recipient.language];
  const a = ALERT_STRINGS[recipient.language];
  const others = input.lines.length + tasks.length;
  const tSections = taskSections(tasks);

  const grouped: Record<SectionKey, NoticeLine[]> = { escalated: [], lapsed: [], dueSoon: [] };
  for (const line of input.lines) grouped[sectionOf(line)].push(line);
  const sections: Section[] = SECTION_ORDER.map((key) => ({ key, lines: [...grouped[key]].sort(compareLines) })).filter(
    (section) => section.lines.length > 0,
  );

  const taskCounts = TASK_SECTION_ORDER.map((key) => [key, tasks.filter((l) => taskSectionOf(l) === key).length] as const);
  const counts = [
    ...(alerts.length > 0 ? [a.count(alerts.length, alerts.filter((l) => l.severity === 'critical').length)] : []),
    ...SUBJECT_ORDER.filter((key) => grouped[key].length > 0).map((key) => s.subjectCount[key](grouped[key].length)),
    ...taskCounts.filter(([, n]) => n > 0).map(([key, n]) => s.task.subjectCount[key](n)),
  ];
  const quarters = [...new Set(tasks.map((l) => l.quarter))];
  const lead =
    alerts.length > 0
      ? others > 0
        ? s.task.mixedLead
        : a.lead
      : tasks.length === 0
        ? s.subjectLead
        : input.lines.length > 0 || quarters.length > 1
          ? s.task.mixedLead
          : s.task.subjectLead(quarters[0] as string);
  // A header value: no line breaks, whatever the organisation's name holds.
  const subject = `[${organisationName}] ${lead}${counts.join(s.subjectJoin)}`.replace(/[\r\n]+/g, ' ');

  const intro =
    alerts.length > 0
      ? others > 0
        ? a.mixedIntro(organisationName, asOf)
        : a.intro(organisationName)
      : (tasks.length === 0 ? s.intro : input.lines.length === 0 ? s.task.intro : s.task.mixedIntro)(organisationName, asOf);
  const online = tasks.length > 0 && input.tasksUrl ? s.task.online(input.tasksUrl) : undefined;
  const closing = [...(alerts.length > 0 ? [a.closing] : []), ...(online ? [online] : []), ...(tasks.length > 0 ? [s.task.closing] : []), ...(input.lines.length > 0 ? s.closing : [])];
  if (grouped.escalated.length > 0) closing.push(s.closingEscalated);

  const text = [
    s.greeting(recipient.name),
    '',
    intro,
    '',
    ...alertTextSection(s, a, alerts),
    ...tSections.flatMap((section) => taskTextSection(s, section)),
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
    `<p>${escapeHtml(intro)}</p>`,
    ...alertHtmlSection(s, a, alerts),
    ...tSections.flatMap((section) => taskHtmlSection(s, section)),
    ...sections.flatMap((section) => htmlSection(s, section)),
    ...closing.map((p) => (p === online && input.tasksUrl ? `<p>${escapeHtml(p.replace(input.tasksUrl, ''))}<a href="${escapeHtml(input.tasksUrl)}">${escapeHtml(input.tasksUrl)}</a></p>` : `<p>${escapeHtml(p)}</p>`)),
    `<p><small>${escapeHtml(s.signOff(organisationName))}</small></p>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');

  return { subject, text, html };
}
