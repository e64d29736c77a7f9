// What the pages say, in the person's language (their `language` in the organisation
// file): English or Traditional Chinese.
import type { Language } from '../domain/org/org.ts';
import { WORKFLOWS, type WorkflowName } from '../workflows/declarations.ts';

const EN = {
  title: 'Compliance',
  myTasks: 'My tasks',
  controls: 'Controls',
  gaps: 'Gaps',
  dataMap: 'Data map',
  review: 'Review',
  audit: 'Audit trail',
  package: 'Audit package',
  runs: 'Runs',
  report: 'Report',
  signOut: 'Sign out',
  signedInAs: 'Signed in as',
  control: 'Control',
  evidence: 'Evidence',
  status: 'Status',
  due: 'Due',
  result: 'Result',
  comment: 'Comment',
  evidenceLocation: 'Evidence location (URL)',
  evidenceName: 'File name',
  evidenceSha: 'SHA-256 of the file',
  answer: 'Answer',
  answered: 'Your answer was recorded.',
  noTasks: 'You have no tasks in this quarter.',
  owner: 'Owner',
  theme: 'Theme',
  lastResult: 'Last result',
  validUntil: 'Valid until',
  location: 'Location',
  severity: 'Severity',
  framework: 'Framework',
  rule: 'Rule',
  subject: 'Subject',
  filter: 'Filter',
  all: 'all',
  source: 'Source',
  rating: 'Rating',
  storedIn: 'Stored in',
  people: 'Whose data',
  flows: 'Cross-border flows',
  tasks: 'Tasks',
  nonconformities: 'Nonconformities',
  verified: 'The audit trail verifies: nothing altered, removed or inserted.',
  notVerified: 'The audit trail does not verify.',
  unsealed: 'entries written since the last seal',
  when: 'When',
  event: 'Event',
  actor: 'By',
  period: 'Quarter',
  format: 'Format',
  download: 'Download',
  workflow: 'Workflow',
  start: 'Start now',
  started: 'Started',
  name: 'Name',
  finished: 'Finished',
  error: 'Something is wrong',
  back: 'Back',
  notAllowed: 'This page is not for your role.',
  signIn: 'Sign in',
  expired: 'Your session has ended. Sign in again.',
  summary: 'Summary',
  next: 'Next page',
  noSuchPage: 'There is no such page.',
  wrongMethod: 'This page cannot be opened that way: use the menu or the link below.',
  tooLarge: 'What was sent is too large (a form takes up to 64 KB).',
  unknownRun: 'No run of this name is known',
} as const;

export type Labels = { [K in keyof typeof EN]: string };

const ZH: Labels = {
  title: '合規',
  myTasks: '我的任務',
  controls: '控制措施',
  gaps: '差距',
  dataMap: '數據地圖',
  review: '審查',
  audit: '審計記錄',
  package: '審計資料包',
  runs: '執行記錄',
  report: '報告',
  signOut: '登出',
  signedInAs: '登入身份',
  control: '控制措施',
  evidence: '證據',
  status: '狀態',
  due: '到期日',
  result: '結果',
  comment: '備註',
  evidenceLocation: '證據位置（網址）',
  evidenceName: '檔案名稱',
  evidenceSha: '檔案的 SHA-256',
  answer: '提交',
  answered: '已記錄你的回覆。',
  noTasks: '本季你沒有任務。',
  owner: '負責人',
  theme: '主題',
  lastResult: '上次結果',
  validUntil: '有效至',
  location: '位置',
  severity: '嚴重程度',
  framework: '框架',
  rule: '規則',
  subject: '對象',
  filter: '篩選',
  all: '全部',
  source: '來源',
  rating: '評級',
  storedIn: '存放地',
  people: '資料當事人所在地',
  flows: '跨境流動',
  tasks: '任務',
  nonconformities: '不符合項',
  verified: '審計記錄核實無誤：沒有被更改、刪除或插入的記錄。',
  notVerified: '審計記錄核實失敗。',
  unsealed: '項在上次封存後寫入',
  when: '時間',
  event: '事件',
  actor: '執行者',
  period: '季度',
  format: '格式',
  download: '下載',
  workflow: '流程',
  start: '立即開始',
  started: '已開始',
  name: '名稱',
  finished: '完成',
  error: '出現問題',
  back: '返回',
  notAllowed: '你的角色不能查看此頁。',
  signIn: '登入',
  expired: '你的登入已過期，請重新登入。',
  summary: '摘要',
  next: '下一頁',
  noSuchPage: '沒有這個頁面。',
  wrongMethod: '此頁面不能以這種方式開啟：請使用選單或下面的連結。',
  tooLarge: '傳送的內容過大（表格最多 64 KB）。',
  unknownRun: '沒有這個名稱的執行記錄',
};

export function labels(language: Language | undefined): Labels {
  return language === 'zh-Hant' ? ZH : EN;
}

/** Each workflow's name as the pages show it: English from its declaration. */
const WORKFLOW_TITLES: Record<Language, Record<WorkflowName, string>> = {
  en: Object.fromEntries(WORKFLOWS.map((w) => [w.name, w.title])) as Record<WorkflowName, string>,
  'zh-Hant': {
    'data-mapping-scan': '數據地圖掃描',
    'gap-analysis': '差距分析',
    'quarterly-review': '季度審查',
    'evidence-sweep': '證據巡查',
    'behaviour-monitoring': '行為監察',
  },
};

/** A run's status (`pending`: started, its first step not yet run). */
const RUN_STATUSES: Record<Language, Record<'pending' | 'running' | 'succeeded' | 'failed', string>> = {
  en: { pending: 'pending', running: 'running', succeeded: 'succeeded', failed: 'failed' },
  'zh-Hant': { pending: '等待開始', running: '執行中', succeeded: '成功', failed: '失敗' },
};

/** A workflow's name in the person's language; one no longer declared as it is. */
export function workflowTitle(language: Language, name: string): string {
  return (WORKFLOW_TITLES[language] as Record<string, string>)[name] ?? name;
}

/** A run's status in the person's language; one not known here as it is. */
export function runStatusText(language: Language, status: string): string {
  return (RUN_STATUSES[language] as Record<string, string>)[status] ?? status;
}
