// Records: the one shape every source reader yields (a chat message, a text file's
// chunk of lines, a table row, a JSON string, a stored string), and the detectors run
// over a stream of them. The data map tallies what comes out; the ad hoc scan masks it.
//
// A column or a JSON key can be the phone word a bare Hong Kong number needs (detect.ts
// finds one in text only next to a phone word): each such number in a cell of a `電話`,
// `mobile` or `Tel` column, or in a JSON string under a `phone` key (the shapes detect.ts
// takes after a phone word; at the start also behind Excel's text marks, `'91234567` and
// `="91234567"`; each number of a list, `9123 4567 / 6123 4567`, Google Contacts'
// `9123 4567 ::: 6123 4567`; and after a name or a word, `陳太 9876 5432`; or the whole cell
// a number in scientific notation, `9.1234567E+07`) is an hk_phone
// finding. The column's name or key is a phone word when a
// PHONE_CONTEXT_* word is in it by the text's rules (Chinese words anywhere, English ones
// whole words in either case; `phoneNumber` read as `phone Number`) and no word around it
// names another thing (`Contact ID`, `smsCount`, `Phone Model`, `電話費`: isPhoneName), or
// when it is one written as one word with `no` or `number` (`PHONENO`, `Tel. No.`, `HP`:
// PHONE_NAME_COMPACT); an `order_no` column of eight-digit numbers stays clean.
// So can a column or key be the card word a 13-digit card number needs (cardContext in
// detect.ts): a cell of a `卡號`, `Credit Card` or `card_no` column, or a JSON string under a
// `cardNumber` key, that starts with a 13-digit number of a 13-digit brand (Visa of old,
// Maestro; compact or 4-4-4-1, also behind Excel's text marks) passing Luhn is a
// payment_card finding. Its name is a card word by the text's rules (Chinese `卡`, `咭`
// anywhere, English words whole) but for those naming a card's other fields or a ledger's
// amounts (`cvv`, `expiry`, `credit` alone), or `CC`, `PAN` or one word with `no`
// (`CARDNO`) as the whole name: CARD_NAME_*; an `ean`, `barcode` or `sku` column of
// EAN-13 barcodes stays clean.
// And a column or key named as a code (`Staff ID`, `Employee No`, `staffId`, `工號`,
// `員工編號`, `SKU`: labels.ts, the name read as the label right before each value) says a
// cell or string that is a compact HKID's shape, `E1023458`, is that code and no HKID
// (one in eleven passes the check digit); written as an HKID is, `A123456(3)`, it still is
// one, and an HKID column (`Staff HKID`) is no code's.
// A JSON string in an array takes its array's key (`/phones/0`). The text path is
// unchanged: this looks at one position per cell of a phone, card, HKID or code column,
// per JSON string under such a key, and nowhere else.
import { asWritten, detectText, HKID_WORD, readAs, type Detection } from './detect.ts';
import { cardValid } from './check-digits.ts';
import { BARE_HK_NUMBER, bareHkValue, CARD_13_NUMBER, LIST_SEPARATOR, PHONE_WORD_RE, SPACE_OR_TAB } from './identifier-pattern.ts';
import { labelBefore } from './labels.ts';
import { TextTables, valueStart, type MarkupKind, type TextCell } from './text-tables.ts';
import { memoised } from '../text/memo.ts';

/** Where a record is: its file (or object, or table), with line, row and column, or a JSON pointer. */
export interface Location {
  file: string;
  /** 1-based line of the record's first character. */
  line?: number;
  /** 1-based data row of a table. */
  row?: number;
  /** The column's header name. */
  column?: string;
  /** RFC 6901 JSON pointer of the string, its keys as written (a phone key is read here); a finding's pointer has them redacted as names (scan-files.ts). */
  pointer?: string;
  /** The sheet of a workbook (.xlsx), as named in it. */
  sheet?: string;
}

export interface SourceRecord {
  /** The group, channel or folder it belongs to. */
  group: string;
  /** Who wrote it; '' when the source does not say. Scanned the first time it speaks in its group (detectRecords). */
  sender: string;
  /**
   * Where the sender is written, when the reader knows it and it is not where `at` says
   * (a chat table's sender column, Telegram's `from`); else a sender's finding has `at`'s
   * file and line.
   */
  senderAt?: Location;
  /** ISO-8601 when the reader could read it, else as written. */
  time?: string;
  /** May hold many lines: a finding's line is `at.line` plus the newlines before it. */
  text: string;
  at: Location;
  /**
   * Set when the next record starts again with `text.slice(repeatedFrom)` (a long line
   * or string cut in pieces that overlap, so that nothing straddling a cut is missed).
   * The two hand over at the middle of the repeated text: detections starting before it
   * are this record's, those starting there or after the next record's; each record
   * sees half the repeated text beyond that point, as context and to see whole what
   * starts before it (see detectRecords).
   */
  repeatedFrom?: number;
  /**
   * Where the file's lines break in `text`, ascending, when the reader has them at hand: a
   * detection's line is then `at.line` plus those before it, not counted again in the text.
   * A text file's chunk gives each '\n' of its text, and an unfolded card or calendar each
   * line end folded away too (folded-lines.ts); a text joined from JSON strings
   * (telegram-export.ts) the last offset before each line passed between its pieces (as
   * often as lines were passed), and none for a newline written `\n` inside a string.
   */
  newlines?: ArrayLike<number>;
  /**
   * Rows of a table (a chunk of them): `text` is all their cells, row after row, joined
   * with '\n' (see detectTable), and this says where each cell starts, its column, and
   * each row's number and line. Consumers get one record per cell that has a detection,
   * as if each cell had been scanned on its own. `at` is the first row's.
   */
  table?: TableCells;
  /**
   * Text that may hold Markdown or HTML tables (a web page, a Markdown document, an HTML
   * table saved as .xls): their cells are read under their columns' names as a table's are
   * (text-tables.ts). Records of one file come in order, so a header names the rows of the
   * records after it.
   */
  markupTables?: MarkupKind;
}

/**
 * The cells of a table record, as arrays (nothing made per cell): cell `i` starts at
 * `starts[i]` in the record's text and ends one before the next cell's start (the '\n'
 * joining them), the last at the end of the text. Row `r` holds the cells from
 * `rowStarts[r]` to the next row's start (at least one). A cell's record and finding
 * get its row's `rows[r]` and `lines[r]`, and its column's name.
 */
export interface TableCells {
  starts: ArrayLike<number>;
  /** Column names, shared by the rows (a CSV file's header, then names beyond it). */
  names: readonly string[];
  /**
   * Cell `i`'s column: `names[columns[i]]`. Absent when each cell's column is its
   * position in its row (`names[i - rowStarts[r]]`).
   */
  columns?: ArrayLike<number>;
  /** The index of each row's first cell, ascending. */
  rowStarts: ArrayLike<number>;
  /** Each row's data row (1-based). */
  rows: ArrayLike<number>;
  /** The line where each row starts; absent when the table has no lines (.xlsx). */
  lines?: ArrayLike<number>;
}

/**
 * `newline` below, before the first detection of a text (or cell) that has a line: the
 * first newline is looked for then, and after that each detection goes on from the
 * next newline not yet counted, so that a long line with many findings is not walked
 * again for each of them.
 */
const NOT_LOOKED = -2;

export type OnDetection = (record: SourceRecord, d: Detection, line: number | undefined) => void;

/**
 * Runs the detectors over each record a reader yields, in order, handing on each
 * detection with its line (when the record has lines); returns what the reader
 * returns when it is done (its coverage).
 *
 * A long line (or JSON string) comes in pieces that overlap (`repeatedFrom`): a piece
 * hands on the detections starting before the middle of the text the next one repeats,
 * and the next one those starting there or after. With the text chunks' overlap of
 * 1,024 characters (text-chunks.ts) each sees 512 characters beyond that point: more
 * than the longest identifier (an IBAN candidate cut at its country's length, an e-mail
 * address of 64 + 1 + 253) and than any detector reads before one (a phone word up to
 * 20 characters before a number, or before a list of up to four numbers before it, with
 * markup, a key's punctuation or a vCard's parameters between: under 480 characters in
 * all; an e-mail's local part) or after one (a list of up to four
 * numbers and the phone word after them: under 150), so the findings are those of the
 * whole line, each once: none twice from both sides, none cut short, and none missed for
 * want of the phone word before or after it.
 */
export async function detectRecords<R>(records: AsyncIterator<SourceRecord, R>, onDetection: OnDetection): Promise<R> {
  const senders = new SendersSeen();
  // whether this record goes on with the text of the one before (a long JSON string's
  // next piece): its start is not its string's
  let continued = false;
  // the code units at this record's start whose detections the record before handed on
  let handedOver = 0;
  // the record before's repeatedFrom
  let repeated: number | undefined;
  // the tables of the file being read, when it may hold some (markupTables)
  let tables: { file: string; cells: TextTables } | undefined;
  try {
    for (;;) {
      const next = await records.next();
      if (next.done) return next.value;
      if (next.value.sender !== '' && senders.first(next.value.group, next.value.sender)) detectSender(next.value, onDetection);
      if (next.value.table !== undefined) {
        detectTable(next.value, next.value.table, onDetection);
        continued = false;
        handedOver = 0;
        continue;
      }
      const { text, at, repeatedFrom, newlines } = next.value;
      let { found, read } = detectText(text);
      if (at.pointer !== undefined && !continued) {
        const kind = keyKind(at.column ?? pointerKey(at.pointer)); // a JSON table's cell: its column's name (json-tables.ts)
        if (kind !== '') found = withValueAt(read, kind, found);
      }
      // where the record before's text is this one's start, when this one goes on with its line
      const shift = continued ? repeated : undefined;
      continued = repeatedFrom !== undefined;
      repeated = repeatedFrom;
      const from = handedOver;
      // where this record hands over to the next: the middle of the text that one repeats
      handedOver = repeatedFrom === undefined ? 0 : (text.length - repeatedFrom) >> 1;
      const handOver = repeatedFrom === undefined ? Infinity : repeatedFrom + handedOver;
      if (next.value.markupTables) {
        if (tables?.file !== at.file) tables = { file: at.file, cells: new TextTables(next.value.markupTables) };
        const cells = tables.cells.cells(read, from, Math.min(handOver, text.length), shift);
        if (cells.length > 0) found = withTextCells(read, cells, found);
      }
      if (read !== text) found = asWritten(text, found);
      let line = at.line;
      let newline = NOT_LOOKED;
      let k = 0; // newlines[k]: the first newline not yet counted
      for (const d of found) {
        if (d.start >= handOver) break; // detections come sorted by start
        if (d.start < from) continue; // the record before handed it on
        if (line !== undefined && newlines !== undefined) {
          for (; k < newlines.length && newlines[k]! < d.start; k++) line++;
        } else if (line !== undefined) {
          if (newline === NOT_LOOKED) newline = text.indexOf('\n');
          for (; newline !== -1 && newline < d.start; newline = text.indexOf('\n', newline + 1)) line++;
        }
        onDetection(next.value, d, line);
      }
    }
  } catch (error) {
    await records.return?.();
    throw error;
  }
}

/**
 * Senders at most told apart per scan (a source's, or a `compliance scan`'s): past them a
 * new sender is not scanned, so that a file naming a new sender in every message cannot
 * grow memory without bound.
 */
export const MAX_SENDERS = 100_000;

/** The senders seen so far, by group. */
class SendersSeen {
  private readonly byGroup = new Map<string, Set<string>>();
  private count = 0;

  /** Whether `sender` speaks in `group` for the first time (and is still to be scanned). */
  first(group: string, sender: string): boolean {
    let seen = this.byGroup.get(group);
    if (seen?.has(sender) || this.count >= MAX_SENDERS) return false;
    if (seen === undefined) this.byGroup.set(group, (seen = new Set()));
    seen.add(sender);
    this.count++;
    return true;
  }
}

/**
 * A chat's sender, scanned the first time it speaks in its group: WhatsApp names a
 * contact not in the phone's address book by its number (`+852 9123 4567: ...`), and a
 * chat table's sender column may hold numbers or e-mail addresses. Its findings come with
 * a record of the sender alone, where the reader says it is written (`senderAt`), else at
 * the message's file and line. Once per group, not per message: it is one person's, and
 * a data map counts who is there, not how often they spoke.
 */
function detectSender(record: SourceRecord, onDetection: OnDetection): void {
  const text = record.sender;
  let { found, read } = detectText(text);
  if (found.length === 0) return;
  if (read !== text) found = asWritten(text, found);
  const at: Location = record.senderAt ?? { file: record.at.file, ...(record.at.line !== undefined ? { line: record.at.line } : {}) };
  const own: SourceRecord = { group: record.group, sender: text, text, at };
  if (record.time !== undefined) own.time = record.time;
  for (const d of found) onDetection(own, d, at.line);
}

/**
 * Rows of a table: detect() runs once over their cells joined with '\n', and each
 * detection goes on as the cell's own scan would have made it: with a record of that
 * cell alone (its text, and a location of its file, its row's line and number, its
 * column; made once per cell with a detection, none for the others), its offsets in
 * the cell, and as its line the line where it is: the row's first, plus the newlines in
 * the row's cells before it (a quoted cell of several lines puts the cells after it on a
 * later line), plus those in its own cell before it; never the joins. One call per chunk of rows instead of one per cell (and one record through
 * the readers' generators, with nothing made per cell) is what makes a table scan fast.
 *
 * The findings are exactly the cells' own because '\n' stands between cells (of one
 * row or of two) like the end (or start) of a cell's text does: no detector matches
 * across a line end or reads on from one, and every test they make of a neighbouring
 * character takes '\n' as a boundary, as it does the end of the text:
 * - identifiers (identifier-pattern.ts): candidates are letters, digits and single
 *   space, dash or dot separators (SPACE and HYPHEN there: none is '\n'), never '\n';
 *   the tests before and after one (`END`, `notJoined`, `(?<!\d[ -])`, `(?!-\d{4})`,
 *   NUMBER_APART) look for letters, digits, `@`, and a hyphen or space joining them, or
 *   a date, time or amount and a space; a 13-digit card's word (cardContext in detect.ts)
 *   is looked for on its own line. A bare Hong Kong number needs its phone word on the same line
 *   (CONTEXT_GAP excludes '\n' and '\r') or right after it with only spaces, tabs or a
 *   bracket between, or after a list of numbers after it joined by LIST_SEPARATOR (no line
 *   end either), so a phone word in one cell never makes a number in the next a phone
 *   (nor one in the cell before);
 * - e-mail (detect.ts): the local part reaches left over local characters and letters
 *   only, and the domain and its lookaheads over letters, digits, marks, dots and
 *   hyphens;
 * - keywords (keywords.ts): English ones need no letter or digit on either side (`\b`,
 *   `(?![A-Za-z0-9])`; the `OT ` of `OT pay` is the same line); Chinese ones are plain
 *   words, and the character before an anchored tail is looked up in a table with no
 *   '\n'. keepTopic's tests of the text around a keyword (`Commission (SFC)`, `Futures
 *   Commission`, `bonus points`, `收入院`, `花紅柳`) allow only spaces, tabs and hyphens
 *   between, or test one neighbouring character against letters, so a '\n' there
 *   answers as the end of the text does: `Commission` ending one cell keeps its topic
 *   whatever the next cell starts with, as when the cell was scanned alone.
 * No finding crosses a '\n', so findings of different cells never overlap, and
 * detect()'s merge (which keeps the higher rank of two that overlap) keeps each cell's
 * own, in the cells' order. Then the cells of a phone column (see the top of this file)
 * add the bare Hong Kong number each starts with, and those of a card column the 13-digit
 * card number, where no finding is there already: all a cell gives here beyond its own
 * scan.
 */
function detectTable(record: SourceRecord, table: TableCells, onDetection: OnDetection): void {
  const { text, group, sender } = record;
  let { found, read } = detectText(text);
  const phones = namedColumns(table.names, isPhoneName, phoneColumnsOf);
  if (phones !== undefined) found = withCells(read, table, phones, found, phonesAt);
  const cards = namedColumns(table.names, isCardName, cardColumnsOf);
  if (cards !== undefined) found = withCells(read, table, cards, found, cardAt);
  const hkids = namedColumns(table.names, isHkidName, hkidColumnsOf);
  if (hkids !== undefined) found = withCells(read, table, hkids, found, hkidAt);
  const codes = namedColumns(table.names, isCodeName, codeColumnsOf);
  if (codes !== undefined) found = withoutCodeHkids(read, table, codes, found);
  if (read !== text) found = asWritten(text, found);
  if (found.length === 0) return;
  const { file, sheet } = record.at;
  const { starts, names, columns, rowStarts, rows, lines } = table;
  const cellCount = starts.length;
  const rowCount = rowStarts.length;
  let c = 0; // the cell of the detection
  let r = 0; // its row
  let shown = -1; // the cell `cellRecord` is of
  let cellRecord: SourceRecord = record;
  let start = 0;
  let line: number | undefined;
  let newline = NOT_LOOKED;
  // the newlines inside the cells of row `counted` before cell `countedTo` (counted on as
  // the detections go, so a row of many cells with findings is counted once, not per cell)
  let counted = -1;
  let countedTo = 0;
  let rowNewlines = 0;
  for (const d of found) {
    while (c + 1 < cellCount && starts[c + 1]! <= d.start) c++;
    if (c !== shown) {
      shown = c;
      while (r + 1 < rowCount && rowStarts[r + 1]! <= c) r++;
      start = starts[c]!;
      const end = c + 1 < cellCount ? starts[c + 1]! - 1 : text.length;
      const column = names[columns === undefined ? c - rowStarts[r]! : columns[c]!]!;
      if (lines !== undefined) {
        if (counted !== r) {
          counted = r;
          countedTo = rowStarts[r]!;
          rowNewlines = 0;
        }
        rowNewlines += newlinesBefore(text, starts, countedTo, c);
        countedTo = c;
      }
      line = lines === undefined ? undefined : lines[r]! + rowNewlines;
      const at: Location = line === undefined ? { file, row: rows[r]!, column } : { file, line, row: rows[r]!, column };
      if (sheet !== undefined) at.sheet = sheet;
      cellRecord = { group, sender, text: text.slice(start, end), at };
      newline = NOT_LOOKED;
    }
    if (line !== undefined) {
      // the newlines of this cell before the detection (the cell's text ends before its join)
      if (newline === NOT_LOOKED) newline = text.indexOf('\n', start);
      for (; newline !== -1 && newline < d.start; newline = text.indexOf('\n', newline + 1)) line++;
    }
    if (start !== 0) {
      // detect() made the detection for this call alone: moved to the cell's offsets in place
      d.start -= start;
      d.end -= start;
    }
    onDetection(cellRecord, d, line);
  }
}

/** The newlines inside cells `from` to `to - 1` of a table record's text (not the '\n' that joins them). */
function newlinesBefore(text: string, starts: ArrayLike<number>, from: number, to: number): number {
  if (to === from) return 0;
  let n = 0;
  for (let i = text.indexOf('\n', starts[from]!); i !== -1 && i < starts[to]!; i = text.indexOf('\n', i + 1)) n++;
  return n - (to - from); // each cell's join is a '\n' too
}

// ---------------------------------------------------------------------------
// Phone columns and keys (and what card columns and keys share with them)

/** A sticky regex of a cell's start: spaces or tabs, then `pattern`, as written or behind Excel's text marks (`'`, `="..."`). */
function cellStart(pattern: string): RegExp {
  return new RegExp(`${SPACE_OR_TAB}*(?:'|(="))?(${pattern})`, 'y');
}

/** What a cellStart regex matches at `at` (a `="` mark only with its closing quote): the value and where it ends. */
function startingAt(re: RegExp, text: string, at: number): { raw: string; end: number } | undefined {
  re.lastIndex = at;
  const m = re.exec(text);
  if (m === null) return undefined;
  const end = re.lastIndex;
  if (m[1] !== undefined && text.charCodeAt(end) !== 34 /* " */) return undefined;
  return { raw: m[2]!, end };
}

/**
 * A cell's (or string's) start: spaces or tabs, then a bare Hong Kong number, as written
 * or behind the marks Excel users type to keep a number as text: a leading apostrophe
 * (`'91234567`) or a formula of a string (`="91234567"`, whose closing quote phoneAt
 * checks).
 */
const PHONE_AT = cellStart(BARE_HK_NUMBER);
/**
 * Another number of a list after one (`9123 4567 / 6123 4567`, LIST_SEPARATOR, or Google
 * Contacts' ` ::: ` between the values of one field).
 */
const NEXT_PHONE_AT = new RegExp(`(?:${LIST_SEPARATOR}|${SPACE_OR_TAB}*:::${SPACE_OR_TAB}*)(${BARE_HK_NUMBER})`, 'yi'); // `i`: LIST_SEPARATOR's `or` (PHONE_WORD in identifier-pattern.ts)
/** A cell's start: a number with the +852 / (852) prefix (which the text's detectors find), for the list after it. */
const PREFIXED_PHONE_AT = new RegExp(`${SPACE_OR_TAB}*(?:'|="?)?(?:\\+|00)?(?:852|\\(\\+?852\\))${SPACE_OR_TAB}?-?${SPACE_OR_TAB}?(${BARE_HK_NUMBER})`, 'y');
/** A bare Hong Kong number anywhere (BARE_HK_NUMBER's own tests of what stands around it). */
const PHONE_ANYWHERE = new RegExp(BARE_HK_NUMBER, 'g');
/**
 * A word that names another kind of number, right before one in a phone column's cell
 * (`room 91234567`, `Order #2345 6789`, `會員編號 91234567`): that number is not taken.
 */
const OTHER_NUMBER_BEFORE =
  /(?:^|[^A-Za-z])(?:room|rm|flat|unit|order|ord|ref|reference|invoice|inv|account|acct|acc|a\/c|id|no|policy|case|ticket|staff|emp|employee|member|customer|cust|po|sku|item|serial|licen[cs]e|booking|tracking|房|室|單號|单号|訂單|订单|編號|编号|帳號|账号|賬號|戶口|户口|會員|会员|工號|工号)[\s.:#：＃()\-]{0,3}$/i;

/**
 * A name that is a phone word and perhaps `no` or `number`, written as one word in
 * capitals or otherwise, once lower-cased and stripped of all but letters and digits
 * (`PHONENO`, `MOBILENO`, `TELNO`, `CONTACTNO`, `Tel. No.`, `H/P`, `MSISDN`, `Direct Line`): Singapore and
 * Malaysia's `HP` (handphone) only so, as the whole name, never inside a word
 * (`HPLC`, `ship_no`) nor beside other words (`HP model`).
 */
const PHONE_NAME_COMPACT = /^(?:phone|telephone|tel|mobile|mob|cell|cellphone|handphone|hp|contact|fax|whatsapp|ph|msisdn|directline|directdial)(?:no|nos|num|number|nbr)?\d?$/;

/**
 * A name as the detectors read it (`ＴＥＬ` as `TEL`), and with its camelCase read as words
 * (`phoneNumber` as `phone Number`, `callId` as `call Id`; after two lower-case letters, so
 * that `iPhone` stays one word; `WhatsApp` is a word only as written).
 */
function nameForms(written: string): [name: string, words: string] {
  const name = readAs(written);
  return [name, name.replace(/(?<=[a-z]{2})(?=[A-Z])/g, ' ')];
}

/**
 * Whether a name holds a `word` (as written, or with its camelCase read as words), or is
 * `compact` once lower-cased and stripped of all but letters and digits.
 */
function named(written: string, word: RegExp, compact: RegExp): boolean {
  const [name, words] = nameForms(written);
  if (word.test(name) || (words !== name && word.test(words))) return true;
  return name.length <= 24 && compact.test(name.toLowerCase().replace(/[^a-z0-9]/g, ''));
}

/** The phone words of a name, each (PHONE_WORD_RE). */
const PHONE_WORDS = new RegExp(PHONE_WORD_RE.source, 'gi');
/**
 * A word right after a name's last phone word (only separators, `no` or `number`, and an index between) that
 * makes it the name of something else a phone or a call has: its id, a count, a fee or
 * amount, a model, a usage, a date, a type or state (`Contact ID`, `callId`,
 * `telephone_count`, `SMS Count`, `Phone Model`, `電話費 (HK$)`, `手機型號`, `Phone 1 -
 * Type`). English ones whole words, either case; not `no`, `number` or an index (`Contact
 * No.`, `Phone 2`), nor the `ID` of `WhatsApp ID` (the number itself), nor a word a holder
 * follows (`Phone - Ticket Holder`: a person's). A word further on, or in brackets, says
 * whose or what for (`Phone (Billing)`, `Mobile No. (Account Holder)`, `Contact Phone for
 * Order`, `手機號碼(訂單)`): the name is still a phone's.
 */
const OTHER_THAN_PHONE_AFTER = new RegExp(
  String.raw`[ _.-]*(?:(?:no|number|num|nbr)(?![A-Za-z])\.?[ _.-]*)?(?:\d+[ _.-]*)?(?:(?<![A-Za-z])(?:(?<!(?:whatsapp|wechat)[ _.-]?)ids?|uuid|guid|counts?|cnt|qty|quantity|totals?|sum|amount|amt|fees?|charges?|costs?|bill|price|rate|usage|bytes|[kmg]b|minutes|mins|seconds|secs|duration|length|dates?|datetime|timestamp|model|brand|make|imei|serial|type|status|result|outcome|ref|reference|order|invoice|ticket|version|plan)(?![A-Za-z])(?![ _.-]*holder)` +
    String.raw`|[$＄費费]|型[號号]|次[數数]|[數数]量|[時时]長|[時时]間|日期|[數数]據|用量|金[額额]|品牌|[類类]型|[狀状]態|[編编][號号]|[單单][號号]|[訂订][單单]|[帳賬账][單单])`,
  'iy', // y: right after the last phone word
);
/**
 * Words of OTHER_THAN_PHONE_AFTER's kind that say so only right after the phone word, where
 * they cannot be a note's (`Call Time`, `callTime`, `Mobile Data`; not `Phone (any time)`,
 * `Contact Data`).
 */
const OTHER_THAN_PHONE_NEXT = /[ _.-]*(?:time|(?<=(?:mobile|mob|cell)[ _.-]*)data)(?![A-Za-z])/iy;
/** A count's words before a name's first phone word (`No. of Calls`, `numberOfSms`, `Total Calls`). */
const COUNT_BEFORE = /(?<![A-Za-z])(?:total|(?:number|no|num|nbr|#)\.?[ _.-]*of)[ _.-]*$/i;

/** Whether a name that holds a phone word says by the words around it that its values are another thing (OTHER_THAN_PHONE_*, COUNT_BEFORE). */
function namesOtherThanPhone(name: string): boolean {
  let first = -1;
  let last = -1;
  for (PHONE_WORDS.lastIndex = 0; ; ) {
    const m = PHONE_WORDS.exec(name);
    if (m === null) break;
    if (first === -1) first = m.index;
    last = PHONE_WORDS.lastIndex;
  }
  if (first === -1) return false;
  OTHER_THAN_PHONE_AFTER.lastIndex = last;
  OTHER_THAN_PHONE_NEXT.lastIndex = last;
  return OTHER_THAN_PHONE_AFTER.test(name) || OTHER_THAN_PHONE_NEXT.test(name) || COUNT_BEFORE.test(name.slice(0, first));
}

/**
 * Whether a column's name or a JSON key says its values are phone numbers: it holds a
 * phone word, as written or as camelCase words, and no word around it says they are
 * another thing (namesOtherThanPhone: `Contact ID`, `smsCount`), or it is one such word
 * with `no` or `number` written as one word (PHONE_NAME_COMPACT). Judged once per column
 * or key (namedColumns, keyKind).
 */
export function isPhoneName(written: string): boolean {
  if (!named(written, PHONE_WORD_RE, PHONE_NAME_COMPACT)) return false;
  const [name, words] = nameForms(written);
  return !namesOtherThanPhone(name) && (words === name || !namesOtherThanPhone(words));
}

/** Whether pointer[from, to) is an array index (digits, no leading zero). */
function isIndex(pointer: string, from: number, to: number): boolean {
  if (to <= from || (pointer.charCodeAt(from) === 48 && to - from > 1)) return false;
  for (let i = from; i < to; i++) {
    const c = pointer.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Keys that name no field of their own but the value of the object they are in (SCIM's `{"type": "mobile", "value": ...}`). */
const VALUE_KEY = /^(?:value|val|number|num|no|text|content|data)$/i;

/**
 * The key a JSON pointer's string is under (RFC 6901 unescaped): its last token, or its
 * array's key; for a generic value key, its object's key (`/phoneNumbers/0/value`,
 * `/phone/number`: the phone's).
 */
function pointerKey(pointer: string): string {
  let end = pointer.length;
  let slash = pointer.lastIndexOf('/');
  const up = (): void => {
    end = slash;
    slash = pointer.lastIndexOf('/', end - 1);
  };
  if (slash > 0 && isIndex(pointer, slash + 1, end)) up();
  if (slash > 0 && VALUE_KEY.test(pointer.slice(slash + 1, end))) {
    up();
    if (slash > 0 && isIndex(pointer, slash + 1, end)) up();
  }
  const key = pointer.slice(slash + 1, end);
  return key.includes('~') ? key.replaceAll('~1', '/').replaceAll('~0', '~') : key;
}

// Keys come again with every string under them (a pointer seldom does: /items/0/phone,
// /items/1/phone, ...), so the answer is remembered by key: each looked at once. 'p': a
// phone key, 'c': a card key, 'h': an HKID key, 'x': a code's key.
const keyKind = memoised((key) => (isPhoneName(key) ? 'p' : '') + (isCardName(key) ? 'c' : '') + (isHkidName(key) ? 'h' : '') + (isCodeName(key) ? 'x' : ''), 4096);

/** A table's phone (or card) columns: ascending, and as a set; grown with its names (an .xlsx's are added to). */
interface NamedColumns {
  seen: number;
  columns: number[];
  set: Set<number>;
}
const phoneColumnsOf = new WeakMap<readonly string[], NamedColumns>();
const cardColumnsOf = new WeakMap<readonly string[], NamedColumns>();
const hkidColumnsOf = new WeakMap<readonly string[], NamedColumns>();
const codeColumnsOf = new WeakMap<readonly string[], NamedColumns>();

/** The columns of a table's names that `isName` takes, remembered in `of`; undefined: none. */
function namedColumns(names: readonly string[], isName: (name: string) => boolean, of: WeakMap<readonly string[], NamedColumns>): NamedColumns | undefined {
  let known = of.get(names);
  if (known === undefined) of.set(names, (known = { seen: 0, columns: [], set: new Set() }));
  for (; known.seen < names.length; known.seen++) {
    if (!isName(names[known.seen]!)) continue;
    known.columns.push(known.seen);
    known.set.add(known.seen);
  }
  return known.columns.length > 0 ? known : undefined;
}

function hkPhone(raw: string, start: number): Detection {
  return { type: 'hk_phone', start, end: start + raw.length, raw, value: bareHkValue(raw), country: 'HK' };
}

/**
 * The bare Hong Kong numbers of a phone column's cell (or a phone key's string) that runs
 * from `at` to `cellEnd` in `text`, as hk_phone detections (pushed to `out`, in order): the
 * number it starts with (after spaces or tabs, or an Excel text mark) and each number of
 * a list that goes on from it, or from a +852 number it starts with (`+852 9123 4567 :::
 * 6123 4567`); and any other bare number in it (`Mrs Chan 9876 5432`, `陳太 9876 5432`,
 * `Home 2345 6789, Mobile 6123 4567`): the column's name is the phone word they need.
 */
function phonesAt(text: string, at: number, cellEnd: number, out: Detection[]): void {
  const from = out.length;
  let end = at;
  const first = startingAt(PHONE_AT, text, at);
  if (first !== undefined) {
    end = first.end;
    out.push(hkPhone(first.raw, end - first.raw.length));
  } else {
    PREFIXED_PHONE_AT.lastIndex = at;
    if (PREFIXED_PHONE_AT.exec(text) !== null) end = PREFIXED_PHONE_AT.lastIndex;
    else if (scientificPhoneAt(text, at, cellEnd, out)) return; // the whole cell
  }
  if (end > at) {
    for (;;) {
      NEXT_PHONE_AT.lastIndex = end;
      const n = NEXT_PHONE_AT.exec(text);
      if (n === null || NEXT_PHONE_AT.lastIndex > cellEnd) break;
      end = NEXT_PHONE_AT.lastIndex;
      out.push(hkPhone(n[1]!, end - n[1]!.length));
    }
  }
  // the rest of the cell, searched in the cell alone (a search of the record's text would
  // run on through every cell after it, for each cell)
  if (cellEnd - end < 8) return;
  const rest = text.slice(end, cellEnd);
  for (PHONE_ANYWHERE.lastIndex = 0; ; ) {
    const m = PHONE_ANYWHERE.exec(rest);
    if (m === null) break;
    const start = end + m.index;
    if ((out.length === from || out.at(-1)!.end <= start) && !OTHER_NUMBER_BEFORE.test(text.slice(Math.max(at, start - 24), start))) out.push(hkPhone(m[0], start));
  }
}

/**
 * A cell that is a number written in scientific notation whose value is a whole number of
 * eight digits (`9.1234567E+07`: a program's export of a spreadsheet's number), and
 * nothing else but spaces or tabs.
 */
const SCIENTIFIC_CELL = new RegExp(`${SPACE_OR_TAB}*(\\d)(?:\\.(\\d{1,7}))?[Ee]\\+?0?7${SPACE_OR_TAB}*`, 'y');

/**
 * The number of a phone column's cell (or a phone key's string) written in scientific
 * notation (SCIENTIFIC_CELL) as a hk_phone detection (pushed to `out`; true), when its
 * digits are a bare Hong Kong number; its value is the number the cell says (`9.12E+07`:
 * 91200000), as the .xlsx reader reads such a number (wholeNumberDigits in xlsx-reader.ts).
 */
function scientificPhoneAt(text: string, at: number, cellEnd: number, out: Detection[]): boolean {
  SCIENTIFIC_CELL.lastIndex = at;
  const m = SCIENTIFIC_CELL.exec(text);
  if (m === null || SCIENTIFIC_CELL.lastIndex !== cellEnd) return false;
  const digits = m[1]! + (m[2] ?? '').padEnd(7, '0');
  if (startingAt(PHONE_AT, digits, 0)?.end !== digits.length) return false;
  const raw = m[0].trim();
  const start = at + m[0].indexOf(raw);
  out.push({ type: 'hk_phone', start, end: start + raw.length, raw, value: bareHkValue(digits), country: 'HK' });
  return true;
}

/** `found` (sorted, not overlapping) with `extra` (the same) merged in, where they overlap none of `found`. */
function merged(found: Detection[], extra: readonly Detection[]): Detection[] {
  if (extra.length === 0) return found;
  const out: Detection[] = [];
  let i = 0;
  for (const e of extra) {
    while (i < found.length && found[i]!.end <= e.start) out.push(found[i++]!);
    if (i < found.length && found[i]!.start < e.end) continue; // found there already (`+852 9123 4567`), or by another type
    out.push(e);
  }
  while (i < found.length) out.push(found[i++]!);
  return out;
}

/**
 * What a value of a column or key of `kind` (keyKind) from `at` to `end` in `text` gives
 * beyond the text's detectors (pushed to `out`, in order: a phone number and a 13-digit card
 * number never both start a value, nor an HKID, whose first is a letter).
 */
function valueAt(text: string, kind: string, at: number, end: number, out: Detection[]): void {
  if (kind.includes('p')) phonesAt(text, at, end, out);
  if (kind.includes('c')) cardAt(text, at, end, out);
  if (kind.includes('h')) hkidAt(text, at, end, out);
}

/** A JSON string's detections with the number at its start, by its key's kind (keyKind). */
function withValueAt(text: string, kind: string, found: Detection[]): Detection[] {
  const extra: Detection[] = [];
  valueAt(text, kind, 0, text.length, extra);
  if (kind.includes('x')) found = found.filter((d) => !isCodeHkid(text, 0, d));
  return merged(found, extra);
}

/**
 * A text's detections with those of the cells of its Markdown and HTML tables (text-tables.ts)
 * read as a table's cells of columns so named are (withCells, withoutCodeHkids), each from
 * where its value starts past the markup it is written in (valueStart).
 */
function withTextCells(text: string, cells: readonly TextCell[], found: Detection[]): Detection[] {
  const extra: Detection[] = [];
  const codes: TextCell[] = [];
  for (const cell of cells) {
    const kind = keyKind(cell.name);
    if (kind === '') continue;
    const start = valueStart(text, cell.start, cell.end);
    valueAt(text, kind, start, cell.end, extra);
    if (kind.includes('x')) codes.push({ ...cell, start });
  }
  if (codes.length > 0) {
    // both in order: each detection against the code cell it may start in
    let c = 0;
    found = found.filter((d) => {
      while (c < codes.length && codes[c]!.end <= d.start) c++;
      return !(c < codes.length && codes[c]!.start <= d.start && isCodeHkid(text, codes[c]!.start, d));
    });
  }
  // cells of a Markdown row and an HTML table written in it may overlap: each number once
  extra.sort((a, b) => a.start - b.start);
  return merged(found, extra.filter((d, i) => i === 0 || d.start >= extra[i - 1]!.end));
}

/** A table's detections with what `at` finds at the start of each cell of the columns `named` (pushed to its `out`). */
function withCells(
  text: string,
  table: TableCells,
  named: NamedColumns,
  found: Detection[],
  at: (text: string, at: number, cellEnd: number, out: Detection[]) => void,
): Detection[] {
  const { starts, columns, rowStarts } = table;
  const extra: Detection[] = [];
  const add = (cell: number) => at(text, starts[cell]!, cell + 1 < starts.length ? starts[cell + 1]! - 1 : text.length, extra);
  if (columns === undefined) {
    // each cell's column is its place in its row: only the named columns' places are looked at
    for (let r = 0; r < rowStarts.length; r++) {
      const first = rowStarts[r]!;
      const end = r + 1 < rowStarts.length ? rowStarts[r + 1]! : starts.length;
      for (const c of named.columns) {
        if (first + c >= end) break;
        add(first + c);
      }
    }
  } else {
    for (let cell = 0; cell < starts.length; cell++) if (named.set.has(columns[cell]!)) add(cell);
  }
  return merged(found, extra);
}

// ---------------------------------------------------------------------------
// HKID columns and keys

/** An HKID name written as one word (`HKIDNo`, `HKICNO`, `HongKongID`, `IDCardNumber`). */
const HKID_NAME_COMPACT = /^(?:(?:hkid|hkic|hongkongid)(?:card)?|idcard)(?:no|nos|num|number|nbr)?$/;

/**
 * Whether a column's name or a JSON key says its values are HKIDs: detect.ts's HKID_WORD
 * (`HKID`, `HK ID`, `HKIC`, `Hong Kong ID`, `identity`, `ID card`, `身份證`, `證件`; not `ID`
 * alone, any record's id), or one such word with `no` written as one word (`HKIDNo`).
 */
export function isHkidName(written: string): boolean {
  return named(written, HKID_WORD, HKID_NAME_COMPACT);
}

/** A cell's start in the forms detect() takes as an HKID only next to an HKID word: `A123456-3`, `AB 987654 (3)`. */
const HKID_NEEDING_WORD_AT = /[ \t]*[A-Za-z]{1,2} ?\d{6}(?:[-\u2010-\u2013]| ?\()/y;

/**
 * The HKID a cell of an HKID column (or a string under an HKID key) starts with, in the
 * forms that need an HKID word (NEEDS_HKID_WORD in detect.ts): the column's name is that
 * word. Read by detect() itself after the word, so the check digit and the forms are its
 * own; the others it has found already.
 */
function hkidAt(text: string, at: number, cellEnd: number, out: Detection[]): void {
  HKID_NEEDING_WORD_AT.lastIndex = at;
  if (!HKID_NEEDING_WORD_AT.test(text)) return;
  const cell = text.slice(at, Math.min(cellEnd, at + 64));
  for (const d of detectText(`HKID ${cell}`).found) {
    if (d.type === 'hk_id' && d.start === 5 + cell.length - cell.trimStart().length) out.push({ ...d, start: at + d.start - 5, end: at + d.end - 5 });
  }
}

// ---------------------------------------------------------------------------
// Code columns and keys

/**
 * Whether a column's name or a JSON key says its values are codes: read as the label right
 * before each value (labelBefore; its camelCase, `_` and `-` as spaces: `Staff ID`,
 * `Employee No.`, `staffId`, `staff_no`, `工號`, `員工編號`, `Order No`; not `Staff Name`, `ID`),
 * and no HKID name (`Staff HKID`).
 */
export function isCodeName(written: string): boolean {
  const label = nameForms(written)[1].replace(/[_-]/g, ' ');
  return labelBefore(label, label.length) !== undefined && !isHkidName(written);
}

/** An HKID as detect() finds it with no word: letters, digits and check digit, nothing between. */
const COMPACT_HKID = /^[A-Za-z]{1,2}\d{6}[0-9Aa]$/;
/** What stands before a cell's value: spaces or tabs, an Excel text mark (cellStart). */
const BEFORE_VALUE = new RegExp(`${SPACE_OR_TAB}*(?:'|=")?`, 'y');

/** Whether `d` is an HKID in the compact form that is the value of a code's cell starting at `at` (isCodeName). */
function isCodeHkid(text: string, at: number, d: Detection): boolean {
  if (d.type !== 'hk_id' || !COMPACT_HKID.test(d.raw)) return false;
  BEFORE_VALUE.lastIndex = at;
  BEFORE_VALUE.test(text);
  return BEFORE_VALUE.lastIndex === d.start;
}

/** The last index of ascending `values` whose value is at most `x`. */
function lastAtMost(values: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = values.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (values[mid]! <= x) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** A table's detections but the compact HKIDs that are the values of cells of code columns (`named`: isCodeHkid). */
function withoutCodeHkids(text: string, table: TableCells, named: NamedColumns, found: Detection[]): Detection[] {
  const { starts, columns, rowStarts } = table;
  return found.filter((d) => {
    if (d.type !== 'hk_id') return true;
    const cell = lastAtMost(starts, d.start);
    const column = columns === undefined ? cell - rowStarts[lastAtMost(rowStarts, cell)]! : columns[cell]!;
    return !(named.set.has(column) && isCodeHkid(text, starts[cell]!, d));
  });
}

// ---------------------------------------------------------------------------
// Card columns and keys

/**
 * Card words of a name: detect.ts's CARD_WORD (English whole words, either case; `卡`, `咭`
 * anywhere: `Credit Card`, `card_no`, `cardNumber`, `卡號`, `信用卡`) but for those that name
 * a card's other fields or a ledger's amounts (`cvv`, `exp`, `expiry`, `credit`, `debit`
 * alone: their values are no card numbers).
 */
const CARD_NAME_WORD = /(?<![A-Za-z])(?:cards?|visa|mastercard|maestro|amex)(?![A-Za-z])|[卡咭]/i;
/** A card name written as one word (`CREDITCARD`, `CARDNO`), or `CC` and PCI's `PAN` (also with `no`: `CC#`, `PAN No.`) as the whole name. */
const CARD_NAME_COMPACT = /^(?:cards?|creditcard|debitcard|cc|pan)(?:no|nos|num|number|nbr)?\d?$/;

/** Whether a column's name or a JSON key says its values are payment card numbers (an `ean`, `barcode` or `sku` does not). */
export function isCardName(written: string): boolean {
  return named(written, CARD_NAME_WORD, CARD_NAME_COMPACT);
}

/** A cell's (or string's) start: spaces or tabs, then a 13-digit card number, as written or behind Excel's text marks (as PHONE_AT). */
const CARD_AT = cellStart(CARD_13_NUMBER);

/**
 * The 13-digit card number starting at `at` in `text` (after spaces or tabs, or an Excel
 * text mark), of a 13-digit brand (Visa of old, Maestro) and Luhn-valid, as a payment_card
 * detection (pushed to `out`): the column's name is its card word. Longer numbers need
 * none, and detect() has found them.
 */
function cardAt(text: string, at: number, _cellEnd: number, out: Detection[]): void {
  const found = startingAt(CARD_AT, text, at);
  if (found === undefined) return;
  const { raw, end } = found;
  const digits = raw.replace(/\D/g, '');
  if (cardValid(digits)) out.push({ type: 'payment_card', start: end - raw.length, end, raw, value: digits });
}
