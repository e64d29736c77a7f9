// Slack export folders (unzipped) as chat messages.
//
// - Channels from `channels.json` (and `groups.json`, private channels, when
//   present), in file order; without either, the sub-folders in name order. A
//   channel name that is not a plain folder name (contains a path separator or
//   is `.`/`..`) is refused. Day files `YYYY-MM-DD.json` in name order.
// - sender = `user_profile.real_name`, else the user's `real_name` (profile or
//   top-level) in `users.json`, else its `name`, else the user id (or
//   `username`/`bot_id` for bots). Messages without a string `text` are skipped.
// - time = `ts` (epoch seconds) as ISO-8601 UTC; `at.pointer` = `/<index>/text`.
// - A JSON file larger than `maxFileBytes` (default 16 MiB) is refused with an
//   error rather than read: each file is parsed whole, which takes several times its
//   size in memory. `budgetBytes` counts whole day files: reading stops before the
//   first day file that would take the total past the budget.
// - Errors name the file (redacted) and, for bad JSON, the line and column; never
//   the content. A FIFO, socket or device is refused before it is opened.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { redactName } from '../../domain/detect/redact.ts';
import { whereNotJson } from '../../domain/text/json-strings.ts';
import type { ChatMessage } from './chat-message.ts';
import { openRegularFile, ReadError, statRegularFile, toReadError } from './read-error.ts';

export interface SlackOptions {
  /** Stop before the first day file that would take the bytes read past this. */
  budgetBytes?: number;
  /** Stop after the first N messages. */
  budgetRecords?: number;
  /** Largest JSON file read (default 16 MiB); a larger one is an error. */
  maxFileBytes?: number;
}

export const DEFAULT_MAX_SLACK_FILE_BYTES = 16 * 1024 * 1024;

async function fileSize(file: string): Promise<number | undefined> {
  try {
    return (await statRegularFile(file)).size;
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ENOENT') return undefined;
    throw err;
  }
}

async function readJson(file: string, maxBytes: number, size?: number): Promise<unknown> {
  const bytes = size ?? (await fileSize(file));
  if (bytes === undefined) throw new ReadError(file, 'ENOENT', 'no such file');
  if (bytes > maxBytes) {
    throw new ReadError(file, 'EFBIG', `file is ${bytes} bytes, larger than the ${maxBytes}-byte limit for Slack export files; not read`);
  }
  let text: string;
  const { handle } = await openRegularFile(file);
  try {
    text = await handle.readFile('utf8');
  } catch (err) {
    throw toReadError(file, err);
  } finally {
    await handle.close().catch(() => undefined);
  }
  text = text.replace(/^\ufeff/, '');
  try {
    return JSON.parse(text);
  } catch {
    throw new ReadError(file, 'EBADJSON', `not valid JSON: ${whereNotJson(text) ?? 'invalid'}`);
  }
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function slackTime(ts: unknown): string | undefined {
  if (typeof ts !== 'string' && typeof ts !== 'number') return undefined;
  const m = /^(\d+)(?:\.(\d+))?$/.exec(String(ts));
  if (!m) return typeof ts === 'string' ? ts : undefined;
  const ms = Number(m[1]) * 1000 + Math.floor(Number(`0.${m[2] ?? '0'}`) * 1000);
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? String(ts) : d.toISOString();
}

function plainFolderName(name: string): boolean {
  return name !== '' && name !== '.' && name !== '..' && !name.includes('/') && !name.includes('\\') && !name.includes('\0');
}

/** Messages of an unzipped Slack export folder. */
export async function* readSlackExport(folder: string, options: SlackOptions = {}): AsyncGenerator<ChatMessage> {
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_SLACK_FILE_BYTES;
  const budgetBytes = options.budgetBytes ?? Infinity;
  const budget = options.budgetRecords ?? Infinity;
  if (budget <= 0) return;

  // Users: id -> display name.
  const names = new Map<string, string>();
  const usersFile = path.join(folder, 'users.json');
  if ((await fileSize(usersFile)) !== undefined) {
    const users = await readJson(usersFile, maxBytes);
    if (Array.isArray(users)) {
      for (const u of users) {
        if (!isObject(u) || !str(u.id)) continue;
        const profile = isObject(u.profile) ? u.profile : {};
        const name = str(profile.real_name) ?? str(u.real_name) ?? str(profile.display_name) ?? str(u.name);
        if (name) names.set(u.id as string, name);
      }
    }
  }

  // Channels.
  const channels: string[] = [];
  let listed = false;
  for (const list of ['channels.json', 'groups.json']) {
    const f = path.join(folder, list);
    if ((await fileSize(f)) === undefined) continue;
    listed = true;
    const value = await readJson(f, maxBytes);
    if (!Array.isArray(value)) throw new ReadError(f, 'EBADJSON', 'expected a JSON array of channels');
    for (const c of value) {
      const name = isObject(c) ? str(c.name) : undefined;
      if (name === undefined) continue;
      if (!plainFolderName(name)) throw new ReadError(f, 'EBADJSON', `refusing channel name ${JSON.stringify(redactName(name))} (not a plain folder name)`);
      if (!channels.includes(name)) channels.push(name);
    }
  }
  if (!listed) {
    let entries;
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch (err) {
      throw toReadError(folder, err);
    }
    channels.push(...entries.filter((e) => e.isDirectory()).map((e) => e.name).sort());
  }

  let bytes = 0;
  let count = 0;
  for (const channel of channels) {
    const dir = path.join(folder, channel);
    let days: string[];
    try {
      days = (await readdir(dir)).filter((n) => /^\d{4}-\d{2}-\d{2}\.json$/.test(n)).sort();
    } catch (err) {
      if ((err as { code?: unknown }).code === 'ENOENT') continue; // listed channel with no messages exported
      throw toReadError(dir, err);
    }
    for (const day of days) {
      const file = path.join(dir, day);
      const size = (await fileSize(file)) ?? 0;
      if (bytes + size > budgetBytes) return;
      bytes += size;
      const value = await readJson(file, maxBytes, size);
      if (!Array.isArray(value)) throw new ReadError(file, 'EBADJSON', 'expected a JSON array of messages');
      for (let i = 0; i < value.length; i++) {
        const msg: unknown = value[i];
        if (!isObject(msg) || typeof msg.text !== 'string') continue;
        const user = str(msg.user);
        const profile = isObject(msg.user_profile) ? msg.user_profile : {};
        const sender = str(profile.real_name) ?? (user ? names.get(user) : undefined) ?? user ?? str(msg.username) ?? str(msg.bot_id) ?? '';
        const message: ChatMessage = { group: channel, sender, text: msg.text, at: { file, pointer: `/${i}/text` } };
        const time = slackTime(msg.ts);
        if (time !== undefined) message.time = time;
        yield message;
        if (++count >= budget) return;
      }
    }
  }
}
