// Telegram Desktop's "Export chat history" in JSON (`result.json`) as chat messages,
// from the strings of the document as they stream (json-strings.ts, with their lines):
// once the document is known for one, nothing is held but the message being read,
// whatever the file's size.
//
// - The shape, as Telegram Desktop writes it: a top-level object whose first key is
//   `about` (the "all chats" export), `name` or `type` (one chat's), and whose `messages`
//   array (one chat) or `chats.list[N].messages` / `left_chats.list[N].messages` (all
//   chats) holds as its first item (past those Telegram could not export, `"type":
//   "unsupported"`) an object with a `type` of "message" or "service", an `id`, a `date`
//   and a `text`. Until that item is read whole the strings are held and nothing comes
//   out (the caller gives up after TELEGRAM_FIRST_MESSAGE_CHARS: notRecognised; a
//   top-level key Telegram does not write, TOP_KEYS, before it gives up at once); a
//   document of another shape gets them back (`otherwise`), as it does every string after.
// - A message's `text` is a string or an array of strings and entities (`["Mobile: ",
//   {"type": "phone", "text": "9123 4567"}]`): its pieces are joined in order, so a label
//   and its number are read together, as one chat message: group the chat's `name` (else
//   the file's group), sender `from` (a service message's `actor`; else `from_id` or
//   `actor_id`), as the Slack reader takes its sender, scanned the first time it speaks in
//   the chat (records.ts), at its own pointer and line (`senderAt`); time `date` (local,
//   no zone, as written) in ISO-8601; `at.pointer` the text's (`/messages/12/text`),
//   `at.line` the line its first piece starts on, and `newlines` where the file's lines
//   break between pieces, so a finding has the line its own piece is on (a "\n" inside
//   a JSON string is no line of the file).
// - `text_entities` (the same pieces again), an entity's `type`, the message's keys and
//   its bookkeeping (BOOKKEEPING) are not scanned. Every other string of a message (a
//   file's or photo's path, a shared contact's `phone_number`, a place, a poll, a link's
//   `href`) is a record of its own, as a JSON string is (its pointer, so a phone key is
//   read), with the message's group, sender and time as read so far (Telegram writes them
//   first); so is every string outside the messages (`personal_information`,
//   `contacts`), with the file's group. Each has the line it starts on.
// - A text over MAX_TEXT_CHARS goes out in pieces that overlap (`repeatedFrom`), as a
//   long JSON string does; another string of the message in the middle of such a text
//   (Telegram writes none: a message holds at most 4,096 characters), or pieces spread
//   over more than MAX_TEXT_CHARS lines, end the record there.
import type { Location, SourceRecord } from '../../domain/detect/records.ts';
import { DEFAULT_MAX_JSON_STRING_CHARS, JSON_STRING_OVERLAP, type JsonString } from '../../domain/text/json-strings.ts';
import { normalizeTime, type ChatMessage } from './chat-message.ts';

/** The record's sender's place: `from`'s, else `from_id`'s (its sender is scanned once per chat: records.ts). */
function senderOf(m: Message, record: SourceRecord): void {
  const at = m.sender ? m.senderAt : m.senderIdAt;
  if (at !== undefined) record.senderAt = at;
}

/** A message's pointer (`/messages/12`, `/chats/list/3/messages/12`), its chat's (`''`, `/chats/list/3`) in group 1. */
const MESSAGE_AT = /^((?:\/(?:chats|left_chats)\/list\/\d+)?)\/messages\/\d+/;
/** A chat's name: `/name` (a single chat's export) or `/chats/list/3/name`. */
const CHAT_NAME_AT = /^((?:\/(?:chats|left_chats)\/list\/\d+)?)\/name$/;
/** A piece of a message's text, below the message: `text`, `text/2`, an entity's `text/2/text`. */
const TEXT_PIECE = /^text(?:\/\d+(?:\/text)?)?$/;
/** An entity's type (`text/2/type`: bold, phone): markup, not content. */
const ENTITY_TYPE = /^text\/\d+\/type$/;
/** What a message says of itself, and Telegram's own words for what it holds: its sender and time are read from these, and none is scanned as a string (the sender is, as a sender). */
const BOOKKEEPING = new Set(['id', 'type', 'date', 'date_unixtime', 'edited', 'edited_unixtime', 'from', 'from_id', 'actor', 'actor_id', 'action', 'media_type', 'mime_type']);
/** The keys the first message must have (with its `type`) for its document to be an export, as bits. */
const NEEDED_KEYS: ReadonlyMap<string, number> = new Map([['id', 1], ['date', 2], ['text', 4]]);
const ALL_NEEDED = 7;
/** The key Telegram Desktop starts an export with: `about` (all chats), `name` (one chat), `type` (Saved Messages). */
const FIRST_KEYS = new Set(['about', 'name', 'type']);
/** The top-level keys Telegram Desktop writes (export_output_json.cpp): a document with another before its first message is no export. */
const TOP_KEYS = new Set([
  ...FIRST_KEYS,
  'id',
  'messages',
  'personal_information',
  'profile_pictures',
  'stories',
  'contacts',
  'frequent_contacts',
  'sessions',
  'web_sessions',
  'other_data',
  'chats',
  'left_chats',
]);
const isMessage = (first: { keys: number; type: string }): boolean => (first.keys & ALL_NEEDED) === ALL_NEEDED && (first.type === 'message' || first.type === 'service');
const MAX_TEXT_CHARS = DEFAULT_MAX_JSON_STRING_CHARS;
/**
 * An export's first message starts within this many characters of the file (the "all
 * chats" export puts the account's details and contacts before its chats): a document
 * that has shown none by then is taken for another (notRecognised).
 */
export const TELEGRAM_FIRST_MESSAGE_CHARS = 4 * 1024 * 1024;
/** A JSON string's text has no line of the file in it. */
const NO_NEWLINES: readonly number[] = [];

/** The message being read. */
interface Message {
  /** Its pointer. */
  at: string;
  group: string;
  sender: string;
  senderId: string;
  /** Where `from` (`actor`) is written, else `from_id` (`actor_id`). */
  senderAt?: Location;
  senderIdAt?: Location;
  time?: string;
  /** Its text read so far (since the last piece out), where the file's lines break in it, and the line of its start and end. */
  text: string;
  newlines: number[];
  line: number;
  lastLine: number;
  /** Characters the next string piece repeats of this one's end (a long string's pieces overlap). */
  repeated: number;
  /** A piece of the text went out with `repeatedFrom`: the next record must go on with it. */
  continuing: boolean;
}

/** The pointer of the message `pointer` is in, or undefined outside the messages. */
function messageAt(pointer: string): string | undefined {
  const m = MESSAGE_AT.exec(pointer);
  return m === null || (pointer.length > m[0].length && pointer.charCodeAt(m[0].length) !== 47) ? undefined : m[0];
}

/** Whether `pointer` is `at` or below it. */
const within = (pointer: string, at: string): boolean => pointer.startsWith(at) && (pointer.length === at.length || pointer.charCodeAt(at.length) === 47);

export class TelegramExport {
  /** Whether the document is an export: undefined until its first message is read (the strings held till then). */
  recognised: boolean | undefined;
  private held: JsonString[] = [];
  /** The first message, while it is read: its pointer, the keys it has shown (NEEDED_KEYS) and its type. */
  private first: { at: string; keys: number; type: string } | undefined;
  private message: Message | undefined;
  /** The chat whose name was read last: its pointer and name. */
  private chatAt = '';
  private chatName = '';
  private readonly file: string;
  private readonly group: string;
  private readonly out: (record: SourceRecord) => void;
  private readonly otherwise: (s: JsonString) => void;

  /**
   * `out` takes the records of an export; `otherwise` the strings of a document that is
   * not one (those held, then each as it comes).
   */
  constructor(file: string, group: string, out: (record: SourceRecord) => void, otherwise: (s: JsonString) => void) {
    this.file = file;
    this.group = group;
    this.out = out;
    this.otherwise = otherwise;
  }

  /** The next string of the document (with its line: JsonStrings' `lines`). */
  take(s: JsonString): void {
    if (this.recognised) this.route(s);
    else if (this.recognised === false) this.otherwise(s);
    else this.probe(s);
  }

  /** The document's start did not show an export: what was held goes back, and all that comes. */
  notRecognised(): void {
    if (this.recognised === undefined) this.decide(false);
  }

  /** The document is done (or stopped): the last message out. */
  end(): void {
    if (this.recognised === undefined) this.decide(this.first !== undefined && isMessage(this.first));
    if (this.message !== undefined) this.textOut(this.message);
    this.message = undefined;
  }

  /** Held till the first message is read whole (only its keys and type are looked at). */
  private probe(s: JsonString): void {
    this.held.push(s);
    if (this.held.length === 1 && (s.key === undefined || s.pointer !== `/${s.text}` || !FIRST_KEYS.has(s.text))) return this.decide(false);
    // a key of its own at the top, before the first message: another document (its strings not held any longer)
    if (s.key !== undefined && this.first === undefined && s.pointer === `/${s.text}` && !TOP_KEYS.has(s.text)) return this.decide(false);
    let first = this.first;
    if (first !== undefined && !within(s.pointer, first.at)) {
      if (first.type !== 'unsupported') return this.decide(isMessage(first));
      first = this.first = undefined; // a message Telegram could not export (`id` and `type` alone): the next one decides
    }
    if (first === undefined) {
      const at = messageAt(s.pointer);
      if (at === undefined) return;
      first = this.first = { at, keys: 0, type: '' };
    }
    const rest = s.pointer.slice(first.at.length + 1);
    if (s.key !== undefined) first.keys |= NEEDED_KEYS.get(rest) ?? 0;
    else if (rest === 'type') first.type = s.text;
  }

  private decide(recognised: boolean): void {
    this.recognised = recognised;
    this.first = undefined;
    const held = this.held;
    this.held = [];
    for (const s of held) {
      if (recognised) this.route(s);
      else this.otherwise(s);
    }
  }

  private route(s: JsonString): void {
    let m = this.message;
    if (m === undefined || !within(s.pointer, m.at)) {
      if (m !== undefined) this.textOut(m);
      m = this.message = this.messageOf(s.pointer);
    }
    if (m === undefined) this.outside(s);
    else this.inside(m, s);
  }

  /** A new message at `pointer`, or undefined outside the messages. */
  private messageOf(pointer: string): Message | undefined {
    const at = messageAt(pointer);
    if (at === undefined) return undefined;
    const chat = MESSAGE_AT.exec(at)![1];
    const group = (chat === this.chatAt && this.chatName) || this.group;
    return { at, group, sender: '', senderId: '', text: '', newlines: [], line: 0, lastLine: 0, repeated: 0, continuing: false };
  }

  /** A string outside the messages: as a JSON string, and a chat's name kept for its messages' group. */
  private outside(s: JsonString): void {
    if (s.key === undefined) {
      const chat = CHAT_NAME_AT.exec(s.pointer);
      if (chat !== null) [this.chatAt, this.chatName] = [chat[1]!, s.text];
    }
    this.out(this.record(s, this.group, ''));
  }

  private inside(m: Message, s: JsonString): void {
    if (s.key !== undefined) return; // a message's keys are Telegram's words
    const rest = s.pointer.slice(m.at.length + 1);
    if (TEXT_PIECE.test(rest)) return this.addText(m, s);
    if (ENTITY_TYPE.test(rest) || rest.startsWith('text_entities/')) return;
    if (BOOKKEEPING.has(rest)) {
      if (rest === 'from' || rest === 'actor') [m.sender, m.senderAt] = [s.text, this.where(s)];
      else if (rest === 'from_id' || rest === 'actor_id') [m.senderId, m.senderIdAt] = [s.text, this.where(s)];
      else if (rest === 'date') m.time = normalizeTime(s.text);
      return;
    }
    if (m.continuing) this.textOut(m); // the records of a long text go on one after the other
    const record = this.record(s, m.group, m.sender || m.senderId);
    senderOf(m, record);
    if (m.time !== undefined) record.time = m.time;
    this.out(record);
  }

  private where({ line, pointer }: JsonString): Location {
    return { file: this.file, line: line ?? 0, pointer };
  }

  /** A string as a record of its own (a JSON string's, with its line). */
  private record({ text, pointer, line, repeatedFrom }: JsonString, group: string, sender: string): SourceRecord {
    return { group, sender, text, at: { file: this.file, line: line ?? 0, pointer }, newlines: NO_NEWLINES, ...(repeatedFrom !== undefined ? { repeatedFrom } : {}) };
  }

  /** A piece of the message's text, joined on (a long string's next piece without what it repeats). */
  private addText(m: Message, { text, line = 0, repeatedFrom }: JsonString): void {
    const piece = m.repeated > 0 ? text.slice(m.repeated) : text;
    m.repeated = repeatedFrom === undefined ? 0 : text.length - repeatedFrom;
    // each line passed is an entry of `newlines`: a text spread over more lines than it holds characters ends there
    if (m.newlines.length + line - m.lastLine > MAX_TEXT_CHARS) this.textOut(m);
    if (m.text === '') {
      m.line = m.lastLine = line;
    } else {
      for (; m.lastLine < line; m.lastLine++) m.newlines.push(m.text.length - 1);
    }
    m.text += piece;
    if (m.text.length > MAX_TEXT_CHARS) this.textOut(m, true);
  }

  /** The message's text read so far as a record: the last, or (`more`) one the next goes on from. */
  private textOut(m: Message, more = false): void {
    if (m.text === '') return;
    const message: ChatMessage = { group: m.group, sender: m.sender || m.senderId, text: m.text, at: { file: this.file, line: m.line, pointer: `${m.at}/text` }, newlines: m.newlines };
    senderOf(m, message);
    if (m.time !== undefined) message.time = m.time;
    m.continuing = more;
    if (!more) {
      this.out(message);
      m.text = '';
      m.newlines = [];
      return;
    }
    let from = m.text.length - JSON_STRING_OVERLAP;
    const c = m.text.charCodeAt(from - 1);
    if (c >= 0xd800 && c <= 0xdbff) from--; // not between the halves of a surrogate pair
    message.repeatedFrom = from;
    this.out(message);
    // the next record starts at `from`: its line, and the line breaks after it
    const kept = m.newlines.filter((n) => n >= from);
    m.line += m.newlines.length - kept.length;
    m.newlines = kept.map((n) => n - from);
    m.text = m.text.slice(from);
  }
}
