// The layouts of platform audit logs, each read into the one event schema
// (EventInput), and how a file's layout is recognised: by its header (tables) or by
// the fields of its entries (JSON). Pure: the adapters read the file and hand over
// raw rows or entries with their line numbers.
//
// - project: a CSV with the header time,user,action,object,group,target,ip (group,
//   target and ip may be left out); time ISO-8601 with its offset.
// - dingtalk: a DingTalk-style admin export, headers in Chinese or English
//   (操作時間 / Operation Time, 操作人郵箱 / Operator Email, 操作類型 / Operation, ...);
//   local times without an offset are in the organisation's time zone; operations are
//   read from a dictionary of Chinese and English words. Operations it does not watch
//   (renaming a group, say) are ignored and counted, not errors.
// - slack: Slack's audit-log JSON (`{ "entries": [...] }`, an array of entries, or one
//   entry per line): date_create, action, actor.user.email|id, entity.file|channel,
//   context.location, context.ip_address, details.
// - m365: the Microsoft 365 unified audit log as exported to CSV (CreationDate,
//   UserIds|UserId, Operations|Operation, AuditData), or its AuditData records as JSON.
// - mapping: any other table, with a mapping naming its columns and its actions.
//
// A row that cannot be read (a time that is not one, an action that is not known in a
// layout that names its own actions, no user, no object) is a problem at its line; the
// rest of the file is read. A file in no layout is refused, naming the columns found.
import { z } from 'zod';
import { InputError } from '../../errors.ts';
import { redact } from '../detect/redact.ts';
import { ZoneClock } from './calendar.ts';
import { ACTIONS, Action, EventInput, type Action as ActionName } from './event.ts';
import type { AuditLogMapping } from './mapping.ts';

/** `empty`: JSON holding no entry at all (Slack's `{ "entries": [] }`, `[]`): nothing to recognise, nothing to read. */
export type Layout = 'project' | 'dingtalk' | 'slack' | 'm365' | 'mapping' | 'empty';

/** A row of a table (cells by header name), an entry of a JSON file, or what could not be read there, with where it is. */
export type RawRecord =
  | { kind: 'row'; line: number; cells: Readonly<Record<string, string>> }
  | { kind: 'entry'; line: number; entry: unknown }
  | { kind: 'problem'; line: number; reason: string };

export type ReadOutcome = { status: 'event'; event: EventInput } | { status: 'problem'; reason: string } | { status: 'ignored'; action: string };

export interface LayoutReader {
  layout: Layout;
  read(record: RawRecord): ReadOutcome;
}

export interface LayoutOptions {
  /** For times written without an offset. */
  timeZone: string;
  mapping?: AuditLogMapping;
}

const norm = (h: string) => h.trim().toLowerCase().replace(/[\s_\-()（）]+/g, '');

/** A time as a layout writes it, as ISO-8601 UTC; undefined when it is not one. */
export function readTime(text: string, clock: ZoneClock | undefined): string | undefined {
  const s = text.trim();
  if (/^\d{10}(\.\d+)?$/.test(s)) return new Date(Number(s) * 1000).toISOString();
  if (/^\d{13}$/.test(s)) return new Date(Number(s)).toISOString();
  const withOffset = EventInput.shape.time.safeParse(s);
  if (withOffset.success) return withOffset.data;
  if (!clock) return undefined;
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$/.exec(s);
  if (!m) return undefined;
  const [y, mo, d, h = '0', mi = '0', se = '0'] = m.slice(1) as string[];
  const local = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(se));
  const check = new Date(local);
  if (check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d) || Number(h) > 23 || Number(mi) > 59 || Number(se) > 59) return undefined;
  const guess = local - clock.offsetMinutes(local) * 60_000;
  return new Date(local - clock.offsetMinutes(guess) * 60_000).toISOString();
}

/** The project's own action names, and the words the other layouts use for them. */
const ACTION_WORDS: Readonly<Record<ActionName, readonly string[]>> = {
  view: ['view', 'viewed', 'preview', 'open', 'opened', '查看', '預覽', '预览', '打開', '打开', '瀏覽', '浏览', '查看文件'],
  download: ['download', 'downloaded', 'download file', '下載', '下载', '下載文件', '下载文件'],
  export: ['export', 'exported', '導出', '导出', '匯出', '汇出', '導出文件', '导出文件', '導出聊天記錄', '导出聊天记录'],
  post: ['post', 'send message', 'message sent', 'send', '發送', '发送', '發送消息', '发送消息', '發言', '发言'],
  forward: ['forward', 'forwarded', 'forward message', '轉發', '转发', '轉發消息', '转发消息', '轉發文件', '转发文件'],
  'share-link': ['share link', 'create share link', 'public link', 'create link', '分享連結', '分享链接', '創建分享連結', '创建分享链接', '公開連結', '公开链接', '生成鏈接', '生成链接'],
  'share-external': ['share externally', 'external share', 'share external', '外部分享', '分享給外部', '分享给外部', '分享至外部', '外部共享'],
  login: ['login', 'log in', 'sign in', 'signin', '登錄', '登录', '登入'],
};
const WORD_ACTION = new Map<string, ActionName>(Object.entries(ACTION_WORDS).flatMap(([a, words]) => words.map((w) => [norm(w), a as ActionName] as const)));

/** Header names each role may go by in a DingTalk-style export, in order of preference. */
const DINGTALK_COLUMNS: Readonly<Record<keyof AuditLogMapping['columns'], readonly string[]>> = {
  time: ['操作時間', '操作时间', '時間', '时间', 'operation time', 'time'],
  user: ['操作人郵箱', '操作人邮箱', '郵箱', '邮箱', 'operator email', 'email', '操作人id', '用戶id', '用户id', '員工id', '员工id', 'userid', 'operator id', 'user id'],
  action: ['操作類型', '操作类型', '操作', '動作', '动作', 'operation type', 'operation', 'action'],
  object: ['操作對象', '操作对象', '對象', '对象', '文件名稱', '文件名称', '文件名', 'object', 'file name', 'file'],
  group: ['群組', '群组', '群名稱', '群名称', '所屬群', '所属群', 'group', 'group name'],
  target: ['目標', '目标', '接收方', '轉發至', '转发至', '分享對象', '分享对象', 'target', 'recipient'],
  ip: ['ip地址', 'ip', 'ip address', '登錄ip', '登录ip'],
};

/** Which header holds each role, by the names it may go by; undefined for a role none holds. */
function columnsBy(header: readonly string[], names: Readonly<Record<string, readonly string[]>>): Record<string, string | undefined> {
  const byNorm = new Map<string, string>();
  for (const h of header) if (!byNorm.has(norm(h))) byNorm.set(norm(h), h);
  const out: Record<string, string | undefined> = {};
  for (const [role, list] of Object.entries(names)) out[role] = list.map((n) => byNorm.get(norm(n))).find((h) => h !== undefined);
  return out;
}

const cell = (cells: Readonly<Record<string, string>>, name: string | undefined) => {
  const v = name === undefined ? undefined : cells[name]?.trim();
  return v === undefined || v === '' ? undefined : v;
};

/** The first of the field's problems, as a person reads it. */
function firstProblem(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join('.') || 'row'}: ${issue.message}` : 'not an event';
}

/** The event schema for a time readTime has already made ISO-8601 UTC: the rest is checked as EventInput checks it. */
const ReadEvent = EventInput.extend({ time: z.string() });

function event(fields: Record<string, string | undefined>, time: string | undefined, rawTime: string | undefined): ReadOutcome {
  if (!rawTime) return { status: 'problem', reason: 'time: is empty' };
  if (!time) return { status: 'problem', reason: `time: "${redact(rawTime.slice(0, 40))}" is not a date and time` };
  const input: Record<string, string> = { time };
  for (const key in fields) if (fields[key] !== undefined) input[key] = fields[key];
  const parsed = ReadEvent.safeParse(input);
  return parsed.success ? { status: 'event', event: parsed.data } : { status: 'problem', reason: firstProblem(parsed.error) };
}

/** A table row read through a column map; `actionOf` names the action, or says it is not watched. */
function tableReader(layout: Layout, columns: Record<string, string | undefined>, clock: ZoneClock | undefined, actionOf: (word: string) => ActionName | 'ignored' | undefined): LayoutReader {
  return {
    layout,
    read(record) {
      if (record.kind !== 'row') return { status: 'problem', reason: 'not a table row' };
      const c = record.cells;
      const rawTime = cell(c, columns.time);
      const word = cell(c, columns.action);
      if (!word) return { status: 'problem', reason: 'action: is empty' };
      const action = actionOf(word);
      if (action === 'ignored') return { status: 'ignored', action: redact(word.slice(0, 60)) };
      if (!action) return { status: 'problem', reason: `action: "${redact(word.slice(0, 60))}" is not one of ${ACTIONS.join(', ')}` };
      if (!cell(c, columns.user)) return { status: 'problem', reason: 'user: is empty (no user to hold the event against)' };
      return event(
        { user: cell(c, columns.user), action, object: cell(c, columns.object), group: cell(c, columns.group), target: cell(c, columns.target), ip: cell(c, columns.ip) },
        rawTime ? readTime(rawTime, clock) : undefined,
        rawTime,
      );
    },
  };
}

const PROJECT_HEADER = ['time', 'user', 'action', 'object', 'group', 'target', 'ip'];

/** The columns a refusal names: each redacted (a header row may be a row of data), at most 20. */
function describeColumns(header: readonly string[]): string {
  const shown = header.slice(0, 20).map((h) => JSON.stringify(redact(h.slice(0, 60))));
  return `${header.length} column${header.length === 1 ? '' : 's'}: ${shown.join(', ')}${header.length > 20 ? ', …' : ''}`;
}

/** The reader for a table with this header: the project's, Microsoft 365's, a DingTalk-style export's, or the mapping's. */
export function tableLayout(header: readonly string[], options: LayoutOptions): LayoutReader {
  const zone = new ZoneClock(options.mapping?.timeZone ?? options.timeZone);
  if (options.mapping) {
    const m = options.mapping;
    const missing = Object.entries(m.columns).filter(([, name]) => name !== undefined && !header.includes(name)).map(([role, name]) => `${role} ("${redact(name as string)}")`);
    if (missing.length > 0) throw new InputError(`the mapping names columns the file does not have: ${missing.join(', ')}; the file has ${describeColumns(header)}`);
    const words = new Map(Object.entries(m.actions).map(([w, a]) => [norm(w), a]));
    return tableReader('mapping', m.columns, zone, (w) => words.get(norm(w)) ?? (Action.safeParse(w.trim().toLowerCase()).data as ActionName | undefined));
  }
  const lower = header.map((h) => h.trim().toLowerCase());
  if (['time', 'user', 'action', 'object'].every((h) => lower.includes(h)) && lower.every((h) => PROJECT_HEADER.includes(h))) {
    const columns = Object.fromEntries(PROJECT_HEADER.map((role) => [role, header[lower.indexOf(role)]]));
    // The project's own layout: times carry their offset, actions are the project's names.
    return tableReader('project', columns, undefined, (w) => Action.safeParse(w.trim()).data as ActionName | undefined);
  }
  const m365 = columnsBy(header, { time: ['CreationDate', 'CreationTime'], user: ['UserIds', 'UserId'], action: ['Operations', 'Operation'], data: ['AuditData'] });
  if (m365.data && m365.action) {
    const reader = m365Reader();
    return {
      layout: 'm365',
      read(record) {
        if (record.kind !== 'row') return { status: 'problem', reason: 'not a table row' };
        const raw = cell(record.cells, m365.data);
        if (!raw) return { status: 'problem', reason: 'AuditData: is empty' };
        let data: unknown;
        try {
          data = JSON.parse(raw);
        } catch {
          return { status: 'problem', reason: 'AuditData: is not JSON' };
        }
        const outer = { CreationTime: cell(record.cells, m365.time), UserId: cell(record.cells, m365.user), Operation: cell(record.cells, m365.action) };
        return reader({ ...outer, ...(data as object) });
      },
    };
  }
  const dingtalk = columnsBy(header, DINGTALK_COLUMNS);
  if (dingtalk.time && dingtalk.user && dingtalk.action && dingtalk.object) {
    return tableReader('dingtalk', dingtalk, zone, (w) => WORD_ACTION.get(norm(w)) ?? 'ignored');
  }
  throw new InputError(
    `the file is in no known audit-log layout (the project's CSV time,user,action,object,group,target,ip; a DingTalk-style export; Microsoft 365's unified audit log; Slack's audit-log JSON). ` +
      `It has ${describeColumns(header)}. Give a mapping (--mapping FILE: columns: { time, user, action, object, group?, target?, ip? }, actions: { ...: download }, timeZone?).`,
  );
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : undefined);

/** Microsoft 365 operations the rules watch; every other operation is ignored. */
const M365_OPERATIONS: Readonly<Record<string, ActionName>> = {
  fileaccessed: 'view',
  fileaccessedextended: 'view',
  filepreviewed: 'view',
  filedownloaded: 'download',
  filesyncdownloadedfull: 'download',
  anonymouslinkcreated: 'share-link',
  sharinginvitationcreated: 'share-external',
  addedtosecurelink: 'share-external',
  securelinkcreated: 'share-external',
  userloggedin: 'login',
  messagesent: 'post',
  messageforwarded: 'forward',
};

/** The site's name from a SharePoint URL (`https://x.sharepoint.com/sites/Payroll/` -> `Payroll`). */
function siteName(url: string | undefined): string | undefined {
  const m = url ? /\/(?:sites|teams)\/([^/?#]+)/i.exec(url) : undefined;
  return m?.[1] ? decodeURIComponent(m[1]) : undefined;
}

function m365Reader(): (data: Json) => ReadOutcome {
  return (data) => {
    const op = str(data.Operation);
    if (!op) return { status: 'problem', reason: 'Operation: is empty' };
    const action = M365_OPERATIONS[op.toLowerCase()];
    if (!action) return { status: 'ignored', action: redact(op.slice(0, 60)) };
    const rawTime = str(data.CreationTime);
    // AuditData's CreationTime is UTC written without a zone.
    const time = rawTime ? readTime(/[zZ]|[+-]\d{2}:?\d{2}$/.test(rawTime) ? rawTime : `${rawTime}Z`, undefined) : undefined;
    const target = action === 'share-link' ? 'public' : action === 'share-external' ? str(data.TargetUserOrGroupName) : undefined;
    const group = str(data.TeamName) ?? siteName(str(data.SiteUrl));
    return event({ user: str(data.UserId), action, object: str(data.SourceFileName) ?? str(data.ObjectId), group, target, ip: str(data.ClientIP) }, time, rawTime);
  };
}

/** Slack actions the rules watch; every other action is ignored. */
const SLACK_ACTIONS: Readonly<Record<string, ActionName>> = {
  file_downloaded: 'download',
  file_public_link_created: 'share-link',
  file_shared: 'forward',
  file_shared_externally: 'share-external',
  user_login: 'login',
  message_forwarded: 'forward',
};

function slackReader(): (entry: Json) => ReadOutcome {
  return (entry) => {
    const name = str(entry.action);
    if (!name) return { status: 'problem', reason: 'action: is empty' };
    const action = SLACK_ACTIONS[name];
    if (!action) return { status: 'ignored', action: redact(name.slice(0, 60)) };
    const user = obj(obj(entry.actor)?.user);
    const entity = obj(entry.entity);
    const file = obj(entity?.file);
    const channel = obj(entity?.channel);
    const details = obj(entry.details);
    const context = obj(entry.context);
    const location = obj(context?.location);
    const rawTime = str(entry.date_create);
    const group = str(details?.channel_name) ?? str(channel?.name) ?? (str(location?.type) === 'channel' ? str(location?.name) : undefined);
    const target = action === 'share-link' ? 'public' : str(details?.shared_to) ?? str(details?.target_channel_name) ?? str(details?.recipient);
    return event(
      { user: str(user?.email) ?? str(user?.id), action, object: str(file?.name) ?? str(file?.title) ?? str(file?.id) ?? str(entity?.id) ?? str(entry.id), group, target, ip: str(context?.ip_address) },
      rawTime ? readTime(rawTime, undefined) : undefined,
      rawTime,
    );
  };
}

/** The reader for a JSON file whose first entry is `sample`: Slack's, Microsoft 365's AuditData, or the project's fields. */
export function jsonLayout(sample: unknown): LayoutReader {
  const first = obj(sample);
  const keys = first ? Object.keys(first) : [];
  const wrap = (layout: Layout, read: (e: Json) => ReadOutcome): LayoutReader => ({
    layout,
    read: (record) => {
      const e = record.kind === 'entry' ? obj(record.entry) : undefined;
      return e ? read(e) : { status: 'problem', reason: 'not a JSON object' };
    },
  });
  // An export of a quiet period has no entry: 0 entries, not a file in no known layout.
  if (sample === undefined) return { layout: 'empty', read: () => ({ status: 'problem', reason: 'not a JSON object' }) };
  if (first && 'date_create' in first && 'action' in first && 'actor' in first) return wrap('slack', slackReader());
  if (first && 'CreationTime' in first && 'Operation' in first) return wrap('m365', m365Reader());
  if (first && ['time', 'user', 'action', 'object'].every((k) => k in first)) {
    const rows = tableReader('project', Object.fromEntries(PROJECT_HEADER.map((k) => [k, k])), undefined, (w) => Action.safeParse(w.trim()).data as ActionName | undefined);
    return wrap('project', (e) => rows.read({ kind: 'row', line: 0, cells: Object.fromEntries(Object.entries(e).map(([k, v]) => [k, str(v) ?? ''])) }));
  }
  throw new InputError(
    `the JSON is in no known audit-log layout (Slack's audit-log entries with date_create, action and actor; Microsoft 365 AuditData records with CreationTime and Operation; or objects with time, user, action and object). ` +
      `Its first entry has ${keys.length} field${keys.length === 1 ? '' : 's'}: ${keys.slice(0, 20).map((k) => JSON.stringify(redact(k.slice(0, 60)))).join(', ') || '(none: not an object)'}.`,
  );
}
