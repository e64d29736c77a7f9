import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import writeExcelFile from 'write-excel-file/node';
import { normalizeTime, type ChatMessage } from '../lib/adapters/sources/chat-message.ts';
import { guessColumns, readChatTable } from '../lib/adapters/sources/chat-table.ts';
import { readSlackExport } from '../lib/adapters/sources/slack-export.ts';
import { readWhatsAppExport } from '../lib/adapters/sources/whatsapp-export.ts';
import { readXlsxRows } from '../lib/adapters/sources/xlsx-reader.ts';
import { InputError } from '../lib/errors.ts';

let dir: string;

async function all<T>(gen: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of gen) out.push(x);
  return out;
}

async function put(name: string, content: string): Promise<string> {
  const file = path.join(dir, name);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, content);
  return file;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'chat-sources-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('readWhatsAppExport', () => {
  it('reads an iOS export with Chinese and English, multi-line messages and system lines', async () => {
    const file = await put(
      'WhatsApp Chat with 財務部.txt',
      [
        '[03/11/2026, 09:15:22] 財務部: \u200eMessages and calls are end-to-end encrypted. No one outside of this chat can read them.',
        '[03/11/2026, 09:15:22] 陳小姐: 請把薪金表發給我',
        '[03/11/2026, 09:16:05] Peter Wong: Sure, HKID A123456(3)',
        'second line',
        '',
        'fourth line',
        '[4/11/26, 下午3:05:00] 陳小姐: 收到',
        '[5/11/2026, 9:05:00\u202fPM] Peter Wong: ok',
        '',
      ].join('\r\n'),
    );
    const got = await all(readWhatsAppExport(file));
    expect(got).toEqual<ChatMessage[]>([
      { group: '財務部', sender: '陳小姐', time: '2026-11-03T09:15:22', text: '請把薪金表發給我', at: { file, line: 2 } },
      {
        group: '財務部',
        sender: 'Peter Wong',
        time: '2026-11-03T09:16:05',
        text: 'Sure, HKID A123456(3)\nsecond line\n\nfourth line',
        at: { file, line: 3 },
      },
      { group: '財務部', sender: '陳小姐', time: '2026-11-04T15:05:00', text: '收到', at: { file, line: 7 } },
      { group: '財務部', sender: 'Peter Wong', time: '2026-11-05T21:05:00', text: 'ok', at: { file, line: 8 } },
    ]);
    const withSystem = await all(readWhatsAppExport(file, { includeSystem: true }));
    expect(withSystem[0]).toMatchObject({ sender: '', at: { line: 1 } });
    expect(withSystem[0]?.text).toMatch(/^Messages and calls are end-to-end encrypted/);
    expect(withSystem).toHaveLength(5);
  });

  it('reads an Android export, day first by default, month first on request', async () => {
    const file = await put(
      'android/sales.txt',
      [
        '03/11/2026, 09:15 - Messages and calls are end-to-end encrypted. No one outside of this chat can read them.',
        '03/11/2026, 09:15 - Peter Wong created group "Sales"',
        '03/11/2026, 09:15 - Peter Wong: Call me on 9123 4567',
        '03/11/2026, 9:20 am - 李先生: 好的，我的电话是 13812345678',
        '還有一件事',
        '13/11/2026, 18:00 - Peter Wong: <Media omitted>',
      ].join('\n'),
    );
    const got = await all(readWhatsAppExport(file, { group: 'Sales' }));
    expect(got.map((m) => [m.sender, m.time, m.text, m.at.line])).toEqual([
      ['Peter Wong', '2026-11-03T09:15:00', 'Call me on 9123 4567', 3],
      ['李先生', '2026-11-03T09:20:00', '好的，我的电话是 13812345678\n還有一件事', 4],
      ['Peter Wong', '2026-11-13T18:00:00', '<Media omitted>', 6],
    ]);
    expect(got.every((m) => m.group === 'Sales')).toBe(true);
    const usDates = await all(readWhatsAppExport(file, { dayFirst: false }));
    expect(usDates[0]?.time).toBe('2026-03-11T09:15:00');
    expect(usDates[0]?.group).toBe('sales');
    // 13/11 is not a month-first date: kept as written.
    expect(usDates[2]?.time).toBe('13/11/2026, 18:00');
  });

  it('stops after budgetRecords messages, and honours budgetBytes', async () => {
    const lines = Array.from({ length: 50 }, (_, i) => `03/11/2026, 09:${String(i).padStart(2, '0')} - A: message ${i}`);
    const file = await put('many.txt', lines.join('\n') + '\n');
    const first = await all(readWhatsAppExport(file, { budgetRecords: 3 }));
    expect(first.map((m) => m.text)).toEqual(['message 0', 'message 1', 'message 2']);
    const lineBytes = Buffer.byteLength(lines[0] + '\n');
    const byBytes = await all(readWhatsAppExport(file, { budgetBytes: lineBytes * 5 }));
    expect(byBytes.map((m) => m.at.line)).toEqual([1, 2, 3, 4, 5]);
  });
});

describe('readSlackExport', () => {
  it('reads two channels, names from users.json or user_profile, ISO times and pointers', async () => {
    const root = path.join(dir, 'slack');
    await put('slack/channels.json', JSON.stringify([{ id: 'C1', name: 'general' }, { id: 'C2', name: 'hr-payroll' }]));
    await put(
      'slack/users.json',
      JSON.stringify([
        { id: 'U1', name: 'peter', profile: { real_name: 'Peter Wong' } },
        { id: 'U2', name: 'mary', real_name: 'Mary Chan' },
      ]),
    );
    await put(
      'slack/general/2026-11-03.json',
      JSON.stringify([
        { type: 'message', user: 'U1', text: 'Morning all', ts: '1793667600.000100' },
        { type: 'message', user: 'U3', user_profile: { real_name: '陳小姐' }, text: '我的電話 9123 4567', ts: '1793667660.000200' },
      ]),
    );
    await put('slack/general/2026-11-02.json', JSON.stringify([{ user: 'U9', text: 'earlier', ts: '1793581200.000000' }]));
    await put(
      'slack/hr-payroll/2026-11-04.json',
      JSON.stringify([{ subtype: 'file_share', user: 'U2' }, { user: 'U2', text: 'Payslips attached', ts: '1793754000.123456' }]),
    );
    await put('slack/hr-payroll/notes.txt', 'not a day file');

    const got = await all(readSlackExport(root));
    const f = (c: string, d: string) => path.join(root, c, `${d}.json`);
    expect(got).toEqual<ChatMessage[]>([
      { group: 'general', sender: 'U9', time: '2026-11-02T01:00:00.000Z', text: 'earlier', at: { file: f('general', '2026-11-02'), pointer: '/0/text' } },
      { group: 'general', sender: 'Peter Wong', time: '2026-11-03T01:00:00.000Z', text: 'Morning all', at: { file: f('general', '2026-11-03'), pointer: '/0/text' } },
      { group: 'general', sender: '陳小姐', time: '2026-11-03T01:01:00.000Z', text: '我的電話 9123 4567', at: { file: f('general', '2026-11-03'), pointer: '/1/text' } },
      { group: 'hr-payroll', sender: 'Mary Chan', time: '2026-11-04T01:00:00.123Z', text: 'Payslips attached', at: { file: f('hr-payroll', '2026-11-04'), pointer: '/1/text' } },
    ]);
    expect((await all(readSlackExport(root, { budgetRecords: 2 }))).map((m) => m.text)).toEqual(['earlier', 'Morning all']);
  });

  it('refuses an oversized file and an unsafe channel name with clear errors', async () => {
    await put('slack-big/channels.json', JSON.stringify([{ name: 'big' }]));
    await put('slack-big/big/2026-11-03.json', JSON.stringify([{ user: 'U1', text: 'x'.repeat(2000), ts: '1' }]));
    await expect(all(readSlackExport(path.join(dir, 'slack-big'), { maxFileBytes: 1000 }))).rejects.toThrow(
      /2026-11-03\.json.*larger than the 1000-byte limit/,
    );
    await put('slack-evil/channels.json', JSON.stringify([{ name: '../slack' }]));
    await expect(all(readSlackExport(path.join(dir, 'slack-evil')))).rejects.toThrow(/refusing channel name "\.\.\/slack"/);
  });
});

describe('readChatTable', () => {
  it('reads a DingTalk-style CSV with Traditional Chinese headers', async () => {
    const file = await put(
      'dingtalk-zh.csv',
      '\ufeff發送人,時間,群組,內容\n陳小姐,2026-11-03 09:15:22,財務群,"請核對 HKID A123456(3)\n謝謝"\n李先生,2026/11/3 下午3:05,財務群,收到\n王經理,,前線排班,\n',
    );
    const got = await all(readChatTable(file));
    expect(got).toEqual<ChatMessage[]>([
      { group: '財務群', sender: '陳小姐', time: '2026-11-03T09:15:22', text: '請核對 HKID A123456(3)\n謝謝', at: { file, row: 1, line: 2 }, senderAt: { file, row: 1, line: 2, column: '發送人' } },
      { group: '財務群', sender: '李先生', time: '2026-11-03T15:05:00', text: '收到', at: { file, row: 2, line: 4 }, senderAt: { file, row: 2, line: 4, column: '發送人' } },
    ]);
  });

  it('reads an English TSV export; group defaults to the file name', async () => {
    const file = await put('audit-en.tsv', 'Sent At\tFrom\tMessage\n03/11/2026 09:15\tPeter Wong\tCall 9123 4567\n1793667600\tMary\thello\n');
    const got = await all(readChatTable(file));
    expect(got).toEqual<ChatMessage[]>([
      { group: 'audit-en', sender: 'Peter Wong', time: '2026-11-03T09:15:00', text: 'Call 9123 4567', at: { file, row: 1, line: 2 }, senderAt: { file, row: 1, line: 2, column: 'From' } },
      { group: 'audit-en', sender: 'Mary', time: '2026-11-03T01:00:00.000Z', text: 'hello', at: { file, row: 2, line: 3 }, senderAt: { file, row: 2, line: 3, column: 'From' } },
    ]);
  });

  it('a record rejected for an unbalanced quote is a message of its own, its first line as text, with no sender; the report has the problem', async () => {
    const file = await put('broken.csv', 'time,sender,content\n2026-11-03 09:15,Ada,ok\n"2026-11-03 09:16,Bob,HKID A123456(3)\n2026-11-03 09:17,Cy,bye\n');
    const problems: unknown[] = [];
    const got = await all(readChatTable(file, { report: (r) => problems.push(...r.problems) }));
    expect(got).toEqual<ChatMessage[]>([
      { group: 'broken', sender: 'Ada', time: '2026-11-03T09:15:00', text: 'ok', at: { file, row: 1, line: 2 }, senderAt: { file, row: 1, line: 2, column: 'sender' } },
      { group: 'broken', sender: '', text: '"2026-11-03 09:16,Bob,HKID A123456(3)', at: { file, line: 3 } },
      { group: 'broken', sender: 'Cy', time: '2026-11-03T09:17:00', text: 'bye', at: { file, row: 2, line: 4 }, senderAt: { file, row: 2, line: 4, column: 'sender' } },
    ]);
    expect(problems).toEqual([expect.objectContaining({ line: 3, code: 'CSV_QUOTE_NOT_CLOSED' })]);
  });

  it('reads an XLSX export with Simplified Chinese headers', async () => {
    const file = path.join(dir, 'dingtalk.xlsx');
    await writeExcelFile([
      ['发送人', '发送时间', '群名称', '消息内容'],
      ['张伟', { value: new Date(Date.UTC(2026, 10, 3, 9, 15, 0)), format: 'yyyy-mm-dd hh:mm' }, 'HR群', '身份证 11010519491231002X'],
      [null, null, null, null],
      ['Peter', '2026-11-03 10:00', 'HR群', 13812345678],
    ]).toFile(file);
    const got = await all(readChatTable(file));
    expect(got).toEqual<ChatMessage[]>([
      { group: 'HR群', sender: '张伟', time: '2026-11-03T09:15:00', text: '身份证 11010519491231002X', at: { file, row: 1 }, senderAt: { file, row: 1, column: '发送人' } },
      { group: 'HR群', sender: 'Peter', time: '2026-11-03T10:00:00', text: '13812345678', at: { file, row: 2 }, senderAt: { file, row: 2, column: '发送人' } },
    ]);
    expect(await all(readXlsxRows(file, { budgetRecords: 1 }))).toEqual([
      { row: 1, sheetRow: 2, cells: { 发送人: '张伟', 发送时间: '2026-11-03T09:15:00', 群名称: 'HR群', 消息内容: '身份证 11010519491231002X' } },
    ]);
  });

  it('reads an XLSX export renamed .csv, or saved as .xlsm, as the workbook it is', async () => {
    const book = path.join(dir, 'renamed-source.xlsx');
    await writeExcelFile([
      ['From', 'Message'],
      ['Peter Wong', 'HKID A123456(3)'],
    ]).toFile(book);
    for (const name of ['renamed.csv', 'renamed.xlsm']) {
      const file = path.join(dir, name);
      copyFileSync(book, file);
      expect(await all(readChatTable(file)), name).toEqual<ChatMessage[]>([
        { group: 'renamed', sender: 'Peter Wong', text: 'HKID A123456(3)', at: { file, row: 1 }, senderAt: { file, row: 1, column: 'From' } },
      ]);
    }
  });

  it('uses a column mapping for an odd layout', async () => {
    const file = await put('odd.csv', 'Who,When,Room,Msg\nAlice,2026-11-03 08:00,Frontline,Shift swap?\n');
    const got = await all(readChatTable(file, { columns: { sender: 'Who', time: 'When', group: 'Room', content: 'Msg' } }));
    expect(got).toEqual<ChatMessage[]>([
      { group: 'Frontline', sender: 'Alice', time: '2026-11-03T08:00:00', text: 'Shift swap?', at: { file, row: 1, line: 2 }, senderAt: { file, row: 1, line: 2, column: 'Who' } },
    ]);
  });

  it('without a content column, the error names the file, where the header is and the option, never what the header says', async () => {
    // No header row: its first row, data, stands where the header should be.
    const file = await put('odd2.csv', 'Alice Chan,2026-11-03 08:00,Frontline,HKID A123456(3)\nBob,2026-11-03 09:00,Frontline,hi\n');
    const error = (await all(readChatTable(file)).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(/odd2\.csv: no message content column found in its header row \(line 1, 4 columns\)\. Name the columns in the source's "columns"/);
    expect(error.message).not.toMatch(/Alice|Frontline|A123456|2026-11-03/);
    await expect(all(readChatTable(file, { columns: { content: 'Text' } }))).rejects.toThrow(/column "Text" \(from the source's columns\) not found in its header row \(line 1, 4 columns\)/);
    const xlsx = path.join(dir, 'odd.xlsx');
    await writeExcelFile([['Who', 'Msg'], ['A', 'b']]).toFile(xlsx);
    await expect(all(readChatTable(xlsx))).rejects.toThrow(/odd\.xlsx: no message content column found in its header row \(2 columns\)\./);
  });

  it('stops after budgetRecords messages, the first N', async () => {
    const rows = Array.from({ length: 20 }, (_, i) => `u${i},msg ${i}`);
    const file = await put('many.csv', 'user,text\n' + rows.join('\n') + '\n');
    const got = await all(readChatTable(file, { budgetRecords: 4 }));
    expect(got.map((m) => m.text)).toEqual(['msg 0', 'msg 1', 'msg 2', 'msg 3']);
    expect(got.map((m) => m.sender)).toEqual(['u0', 'u1', 'u2', 'u3']);
  });
});

describe('guessColumns and normalizeTime', () => {
  it('matches English and Chinese names case-insensitively, trimmed', () => {
    expect(guessColumns([' Sender ', 'TIMESTAMP', 'Channel', 'Body'])).toEqual({ sender: ' Sender ', time: 'TIMESTAMP', group: 'Channel', content: 'Body' });
    expect(guessColumns(['成員', '發送時間', '會話', '消息內容'])).toEqual({ sender: '成員', time: '發送時間', group: '會話', content: '消息內容' });
    expect(guessColumns(['sent_at', 'user'])).toBeUndefined();
  });

  it('reads common date-times and keeps others as written', () => {
    expect(normalizeTime('2026-11-03T09:15:00+08:00')).toBe('2026-11-03T09:15:00+08:00');
    expect(normalizeTime('2026年11月3日 上午9:05')).toBe('2026-11-03T09:05:00');
    expect(normalizeTime('1793667600000')).toBe('2026-11-03T01:00:00.000Z');
    expect(normalizeTime('yesterday')).toBe('yesterday');
    expect(normalizeTime('31/02/2026 10:00')).toBe('31/02/2026 10:00');
  });
});
