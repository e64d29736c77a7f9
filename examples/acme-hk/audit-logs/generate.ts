// Writes the sample audit-log exports of Harbour Ledger (all invented), deterministic:
// the same files every time. 14 weeks of ordinary activity (2026-08-24 to 2026-11-29)
// on four platforms, each in its own layout, with a few incidents planted among it.
// README.md beside this file lists what monitoring should and should not find.
//
//   node examples/acme-hk/audit-logs/generate.ts
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { mulberry32 } from '../../../lib/domain/text/seeded-random.ts';

const HERE = path.dirname(new URL(import.meta.url).pathname);
const DOMAIN = 'harbourledger.example';
const mail = (local: string) => `${local}@${DOMAIN}`;

/** A seeded generator, so the files are the same every time. */
const rnd = mulberry32(20261130);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
const between = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));

const FIRST = '2026-08-24';
const LAST = '2026-11-29';
/** Hong Kong's general holidays in the span (Sundays aside). */
const HOLIDAYS = new Set(['2026-09-26', '2026-10-01', '2026-10-19']);
const days: string[] = [];
for (let t = Date.parse(`${FIRST}T00:00:00Z`); t <= Date.parse(`${LAST}T00:00:00Z`); t += 86_400_000) days.push(new Date(t).toISOString().slice(0, 10));
const weekday = (day: string) => new Date(`${day}T00:00:00Z`).getUTCDay();
const workday = (day: string) => weekday(day) >= 1 && weekday(day) <= 5 && !HOLIDAYS.has(day);

/** A Hong Kong wall-clock time on `day`, plus seconds. */
const hk = (day: string, hhmm: string, plusSeconds = 0) => new Date(Date.parse(`${day}T${hhmm}:00+08:00`) + plusSeconds * 1000);
const officeTime = (day: string) => hk(day, `${String(between(9, 17)).padStart(2, '0')}:${String(between(0, 59)).padStart(2, '0')}`, between(0, 59));

interface Row {
  at: Date;
  user: string;
  action: 'view' | 'download' | 'export' | 'post' | 'forward' | 'share-link' | 'share-external' | 'login' | 'rename';
  object: string;
  group: string;
  target?: string;
  ip?: string;
}

// ---------------------------------------------------------------------------
// DingTalk standard tenant: the finance and HR groups, as the admin console exports its
// operation log (Traditional Chinese headers, local times without an offset).

const dingtalk: Row[] = [];
const office = () => `10.20.${between(1, 4)}.${between(10, 250)}`;
const doc = (prefix: string, day: string) => `${prefix}-${day.slice(0, 7)}-${String(between(1, 400)).padStart(3, '0')}.${pick(['pdf', 'xlsx', 'docx'])}`;
/** Who works in which DingTalk groups, and what they handle. */
const STAFF: { user: string; groups: string[]; files: string; forwardsTo?: string }[] = [
  { user: mail('ada.chan'), groups: ['財務部', '付款審批', '薪酬组'], files: 'finance-report', forwardsTo: '財務部' },
  { user: mail('poyee.mak'), groups: ['付款審批', '財務部'], files: 'payment-batch', forwardsTo: '財務部' },
  { user: mail('raymond.wong'), groups: ['付款審批', '財務部'], files: 'approval' },
  { user: mail('karen.chan'), groups: ['人事部', '薪酬组'], files: 'hr-memo', forwardsTo: '人事部' },
  { user: mail('natalie.yip'), groups: ['人事部', '薪酬组'], files: 'training-record', forwardsTo: '人事部' },
  { user: mail('cheryl.ng'), groups: ['人事部'], files: 'privacy-review' },
  { user: mail('jason.tsang'), groups: ['財務部'], files: 'system-note' },
  { user: mail('siuming.wong'), groups: ['財務部'], files: 'access-list' },
  { user: mail('jacky.chow'), groups: ['Sales - Greater China'], files: 'quotation', forwardsTo: 'Sales - International' },
  { user: mail('vivian.ho'), groups: ['Sales - Greater China', 'Sales - International'], files: 'quotation' },
];

for (const day of days) {
  if (!workday(day)) continue;
  for (const s of STAFF) {
    if (rnd() < 0.1) continue; // a day off
    dingtalk.push({ at: hk(day, '08:55', between(0, 1200)), user: s.user, action: 'login', object: 'DingTalk', group: '', ip: office() });
    for (let i = between(1, 3); i > 0; i--) dingtalk.push({ at: officeTime(day), user: s.user, action: 'view', object: doc(s.files, day), group: pick(s.groups) });
    for (let i = between(0, 3); i > 0; i--) dingtalk.push({ at: officeTime(day), user: s.user, action: 'download', object: doc(s.files, day), group: pick(s.groups) });
    for (let i = between(0, 2); i > 0; i--) dingtalk.push({ at: officeTime(day), user: s.user, action: 'post', object: `message ${between(1000, 9999)}`, group: pick(s.groups) });
    if (s.forwardsTo && rnd() < 0.15) dingtalk.push({ at: officeTime(day), user: s.user, action: 'forward', object: doc(s.files, day), group: pick(s.groups), target: s.forwardsTo });
  }
  // The systems administrator's backup export of the finance group, three nights a week: his own baseline is high.
  if ([1, 3, 5].includes(weekday(day))) {
    for (let i = 0; i < 30; i++) dingtalk.push({ at: hk(day, '23:00', i * 40), user: mail('siuming.wong'), action: 'export', object: `backup-${day}-${String(i + 1).padStart(3, '0')}.zip`, group: '財務部', ip: office() });
  }
}
// Month-end payroll: Karen downloads every payslip, each month (so last month's run is her baseline).
for (const day of ['2026-08-27', '2026-09-28', '2026-10-29', '2026-11-26']) {
  for (let i = 0; i < 60; i++) dingtalk.push({ at: hk(day, '10:00', i * 30), user: mail('karen.chan'), action: 'download', object: `payslip-${day.slice(0, 7)}-${String(i + 1).padStart(3, '0')}.pdf`, group: '薪酬组', ip: office() });
}
// Light work on public holidays: nothing to say about it.
for (const [day, user] of [['2026-10-01', mail('ada.chan')], ['2026-10-19', mail('jason.tsang')]] as const) {
  for (let i = 0; i < 3; i++) dingtalk.push({ at: hk(day, '11:00', i * 600), user, action: pick(['view', 'download'] as const), object: doc('finance-report', day), group: '財務部' });
}
// Operations the rules do not watch.
dingtalk.push({ at: hk('2026-09-07', '10:15'), user: mail('karen.chan'), action: 'rename', object: '人事部', group: '人事部' });
dingtalk.push({ at: hk('2026-10-12', '15:40'), user: mail('ada.chan'), action: 'rename', object: '付款審批', group: '付款審批' });

// --- planted incidents -----------------------------------------------------
// 1. volume: the systems administrator pulls 120 finance files one afternoon, four times his busiest window.
for (let i = 0; i < 120; i++) dingtalk.push({ at: hk('2026-11-18', '15:00', i * 20), user: mail('siuming.wong'), action: 'download', object: `finance-report-2026-11-${String(i + 1).padStart(3, '0')}.xlsx`, group: '財務部', ip: office() });
// 2. flow, lower tier: a payslip forwarded from the payroll group into a sales group.
dingtalk.push({ at: hk('2026-11-17', '11:20'), user: mail('natalie.yip'), action: 'forward', object: 'payslip-2026-10-014.pdf', group: '薪酬组', target: 'Sales - Greater China' });
// 3. flow, personal account: an HR file forwarded to a Gmail address.
dingtalk.push({ at: hk('2026-11-12', '16:45'), user: mail('cheryl.ng'), action: 'forward', object: 'staff-grievance-summary.docx', group: '人事部', target: 'cheryl.ng.hk@gmail.com' });
// 4. strangers: an outside account in the payment approvals group.
for (let i = 0; i < 7; i++) dingtalk.push({ at: hk('2026-11-20', '10:00', i * 240), user: 'audit.temp@lionrock-advisory.example', action: i < 3 ? 'view' : 'download', object: `payment-batch-2026-11-${String(i + 1).padStart(3, '0')}.xlsx`, group: '付款審批', ip: '198.51.100.40' });
// 5. exposure: a public link on the HR group's staff contact list.
dingtalk.push({ at: hk('2026-11-23', '14:10'), user: mail('natalie.yip'), action: 'share-link', object: 'staff-contacts-2026.xlsx', group: '人事部', target: 'public' });
// 6. timing: 25 finance files downloaded at two in the morning on a Saturday.
for (let i = 0; i < 25; i++) dingtalk.push({ at: hk('2026-11-21', '02:10', i * 45), user: mail('jason.tsang'), action: 'download', object: `finance-report-2026-10-${String(i + 1).padStart(3, '0')}.xlsx`, group: '財務部', ip: '203.0.113.61' });
// 7. departure: the payments lead, leaving on 2026-12-18, exports 30 payment files in her notice period.
for (let i = 0; i < 30; i++) dingtalk.push({ at: hk('2026-11-26', '16:00', i * 40), user: mail('poyee.mak'), action: 'export', object: `payment-batch-2026-${String(i + 1).padStart(3, '0')}.xlsx`, group: '付款審批', ip: office() });

const DT_ACTION: Record<Row['action'], string> = {
  view: '查看文件',
  download: '下載文件',
  export: '導出',
  post: '發送消息',
  forward: '轉發',
  'share-link': '創建分享連結',
  'share-external': '外部分享',
  login: '登錄',
  rename: '修改群名',
};
const NAMES: Record<string, string> = {
  [mail('ada.chan')]: 'Ada Chan', [mail('poyee.mak')]: '麥寶儀', [mail('raymond.wong')]: '黃兆明', [mail('karen.chan')]: '陳嘉欣', [mail('natalie.yip')]: 'Natalie Yip',
  [mail('cheryl.ng')]: 'Cheryl Ng', [mail('jason.tsang')]: 'Jason Tsang', [mail('siuming.wong')]: 'Wong Siu Ming', [mail('jacky.chow')]: 'Jacky Chow', [mail('vivian.ho')]: 'Vivian Ho',
};
const local = (at: Date) => new Date(at.getTime() + 8 * 3_600_000).toISOString().replace('T', ' ').slice(0, 19);
const cell = (v: string | undefined) => (v === undefined ? '' : /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

function byTime<T extends { at: Date }>(rows: T[]): T[] {
  return rows.sort((a, b) => a.at.getTime() - b.at.getTime());
}

const dtLines = ['操作時間,操作人,操作人郵箱,操作類型,文件名稱,群組,目標,IP地址'];
for (const r of byTime(dingtalk)) dtLines.push([local(r.at), NAMES[r.user] ?? '', r.user, DT_ACTION[r.action], r.object, r.group, r.target, r.ip].map(cell).join(','));
// Two rows the export got wrong: a day that does not exist, and no operator.
dtLines.splice(800, 0, ['2026-09-31 10:00:00', 'Ada Chan', mail('ada.chan'), '下載文件', 'finance-report-2026-09-101.pdf', '財務部', '', ''].join(','));
dtLines.splice(2400, 0, ['2026-10-14 11:30:00', '', '', '查看文件', 'approval-2026-10-022.pdf', '付款審批', '', ''].join(','));
writeFileSync(path.join(HERE, 'dingtalk-standard-operation-log.csv'), `${dtLines.join('\n')}\n`);

// ---------------------------------------------------------------------------
// DingTalk Exclusive Cloud (Hong Kong): the frontline roster, in the project's own CSV.

const frontline: Row[] = [];
const CREW = ['tony.lam', 'mei.ling', 'sam.cheung', 'winnie.kwok'].map(mail);
for (const day of days) {
  if (weekday(day) === 0) continue;
  if (weekday(day) === 5) frontline.push({ at: hk(day, '18:00', between(0, 600)), user: mail('waikit.ho'), action: 'post', object: `roster week of ${day}`, group: 'Kwun Tong frontline roster' });
  for (const u of CREW) {
    if (rnd() < 0.5) frontline.push({ at: hk(day, '07:30', between(0, 3600)), user: u, action: 'view', object: `roster week of ${day.slice(0, 8)}`, group: pick(['Kwun Tong frontline roster', 'Tsuen Wan warehouse shifts']) });
    if (rnd() < 0.15) frontline.push({ at: hk(day, '19:00', between(0, 3600)), user: u, action: 'post', object: `message ${between(1000, 9999)}`, group: 'Kwun Tong frontline roster' });
  }
}
const flLines = ['time,user,action,object,group,target,ip'];
for (const r of byTime(frontline)) flLines.push([r.at.toISOString().replace('.000Z', '+00:00'), r.user, r.action, r.object, r.group, r.target, r.ip].map(cell).join(','));
writeFileSync(path.join(HERE, 'dingtalk-exclusive-hk-audit.csv'), `${flLines.join('\n')}\n`);

// ---------------------------------------------------------------------------
// Slack partner workspace: Slack's audit-log API response (JSON).

const PARTNERS = [
  { id: 'U07HL00011', email: 'ken.lau@lionrock-retail.example' },
  { id: 'U07HL00012', email: 'sara.wu@minghui-trading.example' },
  { id: 'U07HL00003', email: mail('jason.tsang') },
];
const entries: Record<string, unknown>[] = [];
let seq = 0;
for (const day of days) {
  if (!workday(day)) continue;
  for (const p of PARTNERS) {
    if (rnd() < 0.6) continue;
    const at = officeTime(day);
    const action = pick(['user_login', 'file_downloaded', 'file_downloaded', 'pin_added']);
    entries.push({
      id: `0f9c-${String(++seq).padStart(5, '0')}`,
      date_create: Math.floor(at.getTime() / 1000),
      action,
      actor: { type: 'user', user: { id: p.id, name: p.email.split('@')[0], email: p.email } },
      entity: action === 'user_login' ? { type: 'user', user: { id: p.id } } : { type: 'file', file: { id: `F0${between(10000, 99999)}`, name: `price-list-${day.slice(0, 7)}.xlsx`, filetype: 'xlsx' } },
      context: { location: { type: 'workspace', id: 'T07HLPART', name: 'Harbour Ledger partners', domain: 'harbourledger-partners' }, ua: 'Mozilla/5.0', ip_address: `198.51.100.${between(2, 250)}` },
      details: action === 'user_login' ? {} : { channel_name: 'general' },
    });
  }
}
writeFileSync(path.join(HERE, 'slack-audit-logs.json'), `${JSON.stringify({ entries: entries.sort((a, b) => Number(a.date_create) - Number(b.date_create)) }, null, 1)}\n`);

// ---------------------------------------------------------------------------
// Microsoft Teams and SharePoint: the unified audit log as Purview exports it (CSV with AuditData JSON).

const m365Lines = ['CreationDate,UserIds,Operations,AuditData'];
const M365 = [mail('ada.chan'), mail('jason.tsang'), mail('siuming.wong'), mail('michelle.leung'), mail('chikeung.cheung')];
const m365: { at: Date; user: string; op: string; site: string; file: string }[] = [];
for (const day of days) {
  if (!workday(day)) continue;
  for (const u of M365) {
    if (rnd() < 0.4) continue;
    m365.push({ at: officeTime(day), user: u, op: pick(['FileAccessed', 'FileAccessed', 'FileDownloaded', 'UserLoggedIn', 'FileModified']), site: pick(['Finance', 'IT', 'Compliance']), file: `${pick(['minutes', 'policy', 'register'])}-${day.slice(0, 7)}.docx` });
  }
}
for (const r of byTime(m365)) {
  const data = { CreationTime: r.at.toISOString().slice(0, 19), Id: `${r.at.getTime().toString(16)}-${r.user.length}`, Operation: r.op, Workload: r.op === 'UserLoggedIn' ? 'AzureActiveDirectory' : 'SharePoint', UserId: r.user, ClientIP: `203.0.113.${between(2, 60)}`, ObjectId: `https://harbourledger.sharepoint.example/sites/${r.site}/Shared Documents/${r.file}`, SiteUrl: `https://harbourledger.sharepoint.example/sites/${r.site}/`, SourceFileName: r.file };
  m365Lines.push([`${r.at.toISOString().slice(0, 19)}.0000000Z`, r.user, r.op, JSON.stringify(data)].map(cell).join(','));
}
writeFileSync(path.join(HERE, 'm365-unified-audit-log.csv'), `${m365Lines.join('\n')}\n`);

console.log(`dingtalk ${dtLines.length - 1}, frontline ${flLines.length - 1}, slack ${entries.length}, m365 ${m365Lines.length - 1} rows`);
