// Reading audit logs: each layout into the one event schema, rows that cannot be read
// reported by line while the rest are read, a file in no known layout refused with the
// columns it has, a file that is not what its extension says refused, events held with
// no raw identifier.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import writeXlsxFile from 'write-excel-file/node';
import { describe, expect, it } from 'vitest';
import { openAuditLogFile } from '../lib/adapters/events/audit-log-files.ts';
import { readMappingFile } from '../lib/adapters/files/org-file-reader.ts';
import { EventHolder, maskIp, shownUser } from '../lib/domain/monitoring/hold.ts';
import { jsonLayout, readTime, tableLayout, type ReadOutcome } from '../lib/domain/monitoring/layouts.ts';
import { ZoneClock } from '../lib/domain/monitoring/calendar.ts';
import type { AuditLogFile } from '../lib/usecases/ports.ts';
import { tempDir } from './support/temp-dir.ts';

const dir = tempDir('layouts-');
const write = (name: string, content: string | Buffer) => {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
};

/** Every record of a file read through the layout its sample calls for. */
async function readAll(file: AuditLogFile, mapping?: Parameters<typeof tableLayout>[1]['mapping']): Promise<{ layout: string; outcomes: (ReadOutcome & { line: number })[] }> {
  const reader = file.sample.kind === 'table' ? tableLayout(file.sample.header, { timeZone: 'Asia/Hong_Kong', ...(mapping ? { mapping } : {}) }) : jsonLayout(file.sample.first);
  const outcomes: (ReadOutcome & { line: number })[] = [];
  for await (const r of file.records()) outcomes.push({ ...(r.kind === 'problem' ? { status: 'problem' as const, reason: r.reason } : reader.read(r)), line: r.line });
  return { layout: reader.layout, outcomes };
}
const events = (o: { outcomes: (ReadOutcome & { line: number })[] }) => o.outcomes.flatMap((x) => (x.status === 'event' ? [x.event] : []));
/** What a read came to, to compare in one: the layout, the events, each record's status. */
const summary = (o: { layout: string; outcomes: (ReadOutcome & { line: number })[] }) => ({ layout: o.layout, events: events(o), statuses: o.outcomes.map((x) => x.status) });
const problems = (o: { outcomes: (ReadOutcome & { line: number })[] }) => o.outcomes.flatMap((x) => (x.status === 'problem' ? [`${x.line}: ${x.reason}`] : []));

describe('the layouts', () => {
  it("reads the project's CSV, and reports the rows it cannot read by line", async () => {
    const file = write(
      'project.csv',
      [
        'time,user,action,object,group,target,ip',
        '2026-11-24T14:05:00+08:00,Ada.Chan@Harbour.example,forward,Payslip Nov.pdf,薪酬组,frontline,203.0.113.7',
        'yesterday,ada.chan@harbour.example,download,a.pdf,薪酬组,,',
        '2026-11-24T14:06:00+08:00,ada.chan@harbour.example,teleport,a.pdf,薪酬组,,',
        '2026-11-24T14:07:00+08:00,,download,a.pdf,薪酬组,,',
        '2026-11-24 14:08,ada.chan@harbour.example,download,a.pdf,薪酬组,,',
        '2026-11-24T14:09:00Z,ada.chan@harbour.example,share-link,b.pdf,薪酬组,public,',
      ].join('\n'),
    );
    const read = await readAll(await openAuditLogFile(file));
    expect(read.layout).toBe('project');
    expect(events(read)).toEqual([
      { time: '2026-11-24T06:05:00.000Z', user: 'Ada.Chan@Harbour.example', action: 'forward', object: 'Payslip Nov.pdf', group: '薪酬组', target: 'frontline', ip: '203.0.113.7' },
      { time: '2026-11-24T14:09:00.000Z', user: 'ada.chan@harbour.example', action: 'share-link', object: 'b.pdf', group: '薪酬组', target: 'public' },
    ]);
    expect(problems(read)).toEqual([
      '3: time: "yesterday" is not a date and time',
      '4: action: "teleport" is not one of view, download, export, post, forward, share-link, share-external, login',
      '5: user: is empty (no user to hold the event against)',
      '6: time: "2026-11-24 14:08" is not a date and time', // the project's CSV writes the offset
    ]);
  });

  it('reads DingTalk-style exports with Chinese or English headers, local times in the organisation\'s zone, and counts the operations it does not watch', async () => {
    const zh = write('dingtalk-zh.csv', ['操作時間,操作人郵箱,操作類型,文件名稱,群組,目標,IP地址', '2026-11-24 14:05:00,poyee.mak@harbour.example,下載文件,付款批次.xlsx,付款審批,,10.0.0.8', '2026/11/24 14:06,poyee.mak@harbour.example,轉發,付款批次.xlsx,付款審批,someone@gmail.com,', '2026-11-24 14:07:00,poyee.mak@harbour.example,修改群名,付款審批,付款審批,,'].join('\n'));
    const read = await readAll(await openAuditLogFile(zh));
    expect(read.layout).toBe('dingtalk');
    expect(events(read).map((e) => [e.time, e.action, e.group, e.target])).toEqual([
      ['2026-11-24T06:05:00.000Z', 'download', '付款審批', undefined],
      ['2026-11-24T06:06:00.000Z', 'forward', '付款審批', 'someone@gmail.com'],
    ]);
    expect(read.outcomes.filter((o) => o.status === 'ignored')).toEqual([{ status: 'ignored', action: '修改群名', line: 4 }]);
    const simplified = write('dingtalk-sc.csv', ['操作时间,操作人邮箱,操作类型,文件名称,群组', '2026-11-24 09:00,a@harbour.example,导出,x.xlsx,财务部'].join('\n'));
    expect(events(await readAll(await openAuditLogFile(simplified))).map((e) => e.action)).toEqual(['export']);
    const en = write('dingtalk-en.csv', ['Operation Time,Operator Email,Operation,File Name,Group Name,Target,IP Address', '2026-11-24 09:00:00,a@harbour.example,Create Share Link,x.xlsx,HR,,'].join('\n'));
    expect(events(await readAll(await openAuditLogFile(en)))).toEqual([{ time: '2026-11-24T01:00:00.000Z', user: 'a@harbour.example', action: 'share-link', object: 'x.xlsx', group: 'HR' }]);
  });

  it('reads a DingTalk-style workbook (.xlsx)', async () => {
    const file = path.join(dir, 'dingtalk.xlsx');
    await writeXlsxFile([
      ['操作時間', '操作人郵箱', '操作類型', '文件名稱', '群組'],
      // Excel keeps wall-clock time with no zone: read in the organisation's.
      [{ value: new Date(Date.UTC(2026, 10, 24, 14, 5, 0)), format: 'yyyy-mm-dd hh:mm:ss' }, 'a@harbour.example', '下載', 'x.xlsx', '人事部'],
    ]).toFile(file);
    const read = await readAll(await openAuditLogFile(file));
    expect(read.layout).toBe('dingtalk');
    expect(events(read)).toEqual([{ time: '2026-11-24T06:05:00.000Z', user: 'a@harbour.example', action: 'download', object: 'x.xlsx', group: '人事部' }]);
  });

  it('names a workbook row by the number Excel shows, a title and blank rows above the header counted', async () => {
    const file = path.join(dir, 'dingtalk-titled.xlsx');
    await writeXlsxFile([
      ['DingTalk audit export', null, null, null, null],
      [null, null, null, null, null],
      ['操作時間', '操作人郵箱', '操作類型', '文件名稱', '群組'],
      ['2026-11-24 14:05:00', 'a@harbour.example', '下載', 'x.xlsx', '人事部'],
      [null, null, null, null, null],
      ['not a time', 'a@harbour.example', '下載', 'y.xlsx', '人事部'],
    ]).toFile(file);
    const read = await readAll(await openAuditLogFile(file));
    expect(read.layout).toBe('dingtalk');
    expect(read.outcomes.map((o) => [o.line, o.status])).toEqual([
      [4, 'event'],
      [6, 'problem'],
    ]);
  });

  it("reads Slack's audit-log JSON, whole or as JSON lines", async () => {
    const entry = (action: string, extra: Record<string, unknown> = {}) => ({
      id: `e-${action}`,
      date_create: 1795500300,
      action,
      actor: { type: 'user', user: { id: 'U07HL00009', name: 'jacky', email: 'jacky.chow@partner.example' } },
      entity: { type: 'file', file: { id: 'F1', name: 'price-list.xlsx' } },
      context: { location: { type: 'workspace', id: 'T1', name: 'Harbour Ledger' }, ip_address: '198.51.100.23' },
      details: { channel_name: 'general' },
      ...extra,
    });
    const file = write('slack.json', JSON.stringify({ entries: [entry('file_downloaded'), entry('file_public_link_created'), entry('channel_renamed'), { ...entry('user_login'), date_create: 'soon' }] }));
    const read = await readAll(await openAuditLogFile(file));
    const download = { time: '2026-11-24T06:05:00.000Z', user: 'jacky.chow@partner.example', action: 'download', object: 'price-list.xlsx', group: 'general', ip: '198.51.100.23' };
    expect(summary(read)).toEqual({ layout: 'slack', events: [download, { ...download, action: 'share-link', target: 'public' }], statuses: ['event', 'event', 'ignored', 'problem'] });
    expect(problems(read)).toEqual(['4: time: "soon" is not a date and time']);
    const lines = write('slack.jsonl', `${JSON.stringify(entry('file_downloaded'))}\n{not json\n${JSON.stringify(entry('user_login'))}\n`);
    const readLines = await readAll(await openAuditLogFile(lines));
    expect(readLines.outcomes.map((o) => `${o.line}:${o.status}`)).toEqual(['1:event', '2:problem', '3:event']);
  });

  it('reads an empty export (Slack\'s with no entries, or an empty array) as 0 entries, and still refuses an entry in no known layout', async () => {
    for (const [name, content] of [['quiet-slack.json', '{"entries": [], "response_metadata": {"next_cursor": ""}}'], ['quiet.json', '[]']] as const) {
      const read = await readAll(await openAuditLogFile(write(name, content)));
      expect(read).toEqual({ layout: 'empty', outcomes: [] });
    }
    expect(() => jsonLayout({})).toThrow(/no known audit-log layout/);
  });

  it("reads Microsoft 365's unified audit log exported to CSV", async () => {
    const data = (op: string, extra: Record<string, unknown> = {}) =>
      `"${JSON.stringify({ CreationTime: '2026-11-24T06:05:33', Operation: op, UserId: 'jason.tsang@harbour.example', ClientIP: '203.0.113.9', ObjectId: 'https://harbour.sharepoint.com/sites/Finance/Shared Documents/q3.xlsx', SourceFileName: 'q3.xlsx', SiteUrl: 'https://harbour.sharepoint.com/sites/Finance/', ...extra }).replace(/"/g, '""')}"`;
    const file = write(
      'm365.csv',
      [
        'CreationDate,UserIds,Operations,AuditData',
        `2026-11-24T06:05:33.0000000Z,jason.tsang@harbour.example,FileDownloaded,${data('FileDownloaded')}`,
        `2026-11-24T06:06:00.0000000Z,jason.tsang@harbour.example,SharingInvitationCreated,${data('SharingInvitationCreated', { TargetUserOrGroupName: 'buyer@client.example', TargetUserOrGroupType: 'Guest' })}`,
        `2026-11-24T06:07:00.0000000Z,jason.tsang@harbour.example,FolderCreated,${data('FolderCreated')}`,
        `2026-11-24T06:08:00.0000000Z,jason.tsang@harbour.example,FileDownloaded,{broken`,
      ].join('\n'),
    );
    const download = { time: '2026-11-24T06:05:33.000Z', user: 'jason.tsang@harbour.example', action: 'download', object: 'q3.xlsx', group: 'Finance', ip: '203.0.113.9' };
    expect(summary(await readAll(await openAuditLogFile(file)))).toEqual({
      layout: 'm365',
      events: [download, { ...download, action: 'share-external', target: 'buyer@client.example' }],
      statuses: ['event', 'event', 'ignored', 'problem'],
    });
  });

  it("reads Microsoft 365's audit log as JSON in UTF-16 with a BOM (PowerShell 5.1's `ConvertTo-Json > file`) as its UTF-8 twin, whole or as JSON lines", async () => {
    const record = (op: string) => ({ CreationTime: '2026-11-24T06:05:33', Operation: op, UserId: 'jason.tsang@harbour.example', ClientIP: '203.0.113.9', ObjectId: 'https://harbour.sharepoint.com/sites/Finance/Shared Documents/季度報告.xlsx', SourceFileName: '季度報告.xlsx', SiteUrl: 'https://harbour.sharepoint.com/sites/Finance/' });
    const text = JSON.stringify([record('FileDownloaded'), record('FolderCreated')], null, 2).replace(/\n/g, '\r\n');
    const utf16be = (t: string) => Buffer.from(t, 'utf16le').swap16();
    const encoded = {
      'utf-8': Buffer.from(text),
      'utf-8 BOM': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]),
      'utf-16le': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
      'utf-16be': Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(text)]),
    };
    const expected = summary(await readAll(await openAuditLogFile(write('m365-utf8.json', encoded['utf-8']))));
    expect(expected).toMatchObject({ layout: 'm365', statuses: ['event', 'ignored'], events: [{ action: 'download', object: '季度報告.xlsx' }] });
    for (const [encoding, bytes] of Object.entries(encoded)) {
      expect(summary(await readAll(await openAuditLogFile(write(`m365-${encoding.replace(' ', '-')}.json`, bytes)))), encoding).toEqual(expected);
    }
    const lines = `${JSON.stringify(record('FileDownloaded'))}\r\n{"Operation": oops}\r\n${JSON.stringify(record('FolderCreated'))}\r\n`;
    const readLines = await readAll(await openAuditLogFile(write('m365-utf16.jsonl', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(lines, 'utf16le')]))));
    expect(readLines.outcomes.map((o) => `${o.line}:${o.status}`)).toEqual(['1:event', '2:problem', '3:ignored']);
  });

  it('says where a JSON export stops being JSON and why, quoting none of it, whatever its encoding', async () => {
    const broken = '[\r\n  {"UserId": "jason.tsang@harbour.example", "Operation": FileDownloaded}\r\n]';
    for (const bytes of [Buffer.from(broken), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(broken, 'utf16le')])]) {
      const refused = openAuditLogFile(write('broken-m365.json', bytes));
      await expect(refused).rejects.toThrow(/^broken-m365\.json: not valid JSON: line 2, column 58: /);
      await expect(refused).rejects.not.toThrow(/jason|FileDownloaded/);
    }
    const records = [];
    for await (const r of (await openAuditLogFile(write('broken.jsonl', '{"a": 1}\n{"a": tru}\n'))).records()) records.push(r);
    expect(records[1]).toMatchObject({ kind: 'problem', line: 2, reason: expect.stringMatching(/^not a JSON value: column 7: /) });
    await expect(openAuditLogFile(write('broken-first.jsonl', '{"a": tru}\n'))).rejects.toThrow(/line 1 is not JSON \(not a JSON value: column 7: .+\)/);
  });

  it('reads any table through a mapping, and refuses a mapping that names columns the file lacks', async () => {
    const mapping = readMappingFile(write('mapping.yaml', ['columns: { time: When, user: Who, action: What, object: Item, group: Room }', 'actions: { Pulled: download, Sent on: forward }', 'timeZone: Asia/Shanghai'].join('\n')));
    const file = write('custom.csv', ['When,Who,What,Item,Room', '2026-11-24 09:00,a@harbour.example,Pulled,x.pdf,HR', '2026-11-24 09:01,a@harbour.example,view,x.pdf,HR', '2026-11-24 09:02,a@harbour.example,Deleted,x.pdf,HR'].join('\n'));
    const read = await readAll(await openAuditLogFile(file), mapping);
    expect(read.layout).toBe('mapping');
    expect(events(read).map((e) => [e.time, e.action])).toEqual([
      ['2026-11-24T01:00:00.000Z', 'download'],
      ['2026-11-24T01:01:00.000Z', 'view'],
    ]);
    expect(problems(read)).toEqual(['4: action: "Deleted" is not one of view, download, export, post, forward, share-link, share-external, login']);
    const other = await openAuditLogFile(write('other.csv', 'When,Who,Item\n2026-11-24 09:00,a,x\n'));
    expect(() => tableLayout((other.sample as { header: string[] }).header, { timeZone: 'UTC', mapping })).toThrow(/names columns the file does not have: action \("What"\), group \("Room"\)/);
    expect(() => readMappingFile(write('bad-mapping.yaml', 'columns: { time: When }\n'))).toThrow(/columns\.user/);
  });
});

describe('what is refused', () => {
  it('refuses a table in no known layout, naming the columns it has (redacted), and JSON in no known layout', async () => {
    const file = await openAuditLogFile(write('unknown.csv', 'Stamp,Account,Thing,Phone\n1,2,3,4\n'));
    expect(() => tableLayout((file.sample as { header: string[] }).header, { timeZone: 'UTC' })).toThrow(/no known audit-log layout.*4 columns: "Stamp", "Account", "Thing", "Phone".*--mapping FILE/);
    const withNumber = await openAuditLogFile(write('numbered.csv', 'When,Call +852 9123 4567\n1,2\n'));
    expect(() => tableLayout((withNumber.sample as { header: string[] }).header, { timeZone: 'UTC' })).toThrow(/"Call \+852 \*\*\*\*4567"/);
    const json = await openAuditLogFile(write('unknown.json', '[{"ts": 1, "who": "x"}]'));
    expect(() => jsonLayout((json.sample as { first: unknown }).first)).toThrow(/first entry has 2 fields: "ts", "who"/);
  });

  it('refuses a file that is not what its extension says, before reading it as that', async () => {
    const zip = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(200)]);
    await expect(openAuditLogFile(write('really-a-workbook.csv', zip))).rejects.toThrow(/a ZIP archive \(perhaps an \.xlsx workbook\), not a \.csv file/);
    await expect(openAuditLogFile(write('not-a-workbook.xlsx', 'time,user\n'))).rejects.toThrow(/not an \.xlsx workbook/);
    await expect(openAuditLogFile(write('binary.csv', Buffer.from([1, 2, 0, 4, 5, 0, 7, 8])))).rejects.toThrow(/binary.*not a \.csv file/);
    await expect(openAuditLogFile(write('json-inside.csv', '{"entries": []}'))).rejects.toThrow(/holds JSON, not a \.csv table/);
    await expect(openAuditLogFile(write('csv-inside.json', 'time,user\n1,2\n'))).rejects.toThrow(/not JSON/);
    await expect(openAuditLogFile(write('broken.json', '[{"a": 1},'))).rejects.toThrow(/not valid JSON/);
    await expect(openAuditLogFile(write('audit.log', 'anything'))).rejects.toThrow(/"\.log" is not an audit-log file type/);
    await expect(openAuditLogFile(write('empty.csv', ''))).rejects.toThrow(/the file is empty/);
  });
});

describe('held events', () => {
  const holder = new EventHolder('test-hash-key-0123456789', 'dingtalk', '2026-11-30T00:00:00.000Z');
  it('keeps no raw identifier: the user and an address target hashed and masked (the domain kept), the object and group redacted, the IP to its network', () => {
    const held = holder.hold({ time: '2026-11-24T06:05:00.000Z', user: 'Ada.Chan@Harbour.example', action: 'forward', object: 'HKID A123456(3) scan.pdf', group: 'Chat with +852 9123 4567', target: 'ada.private@gmail.com', ip: '203.0.113.7' });
    const text = JSON.stringify(held);
    for (const raw of ['Ada.Chan', 'ada.chan', 'A123456', '9123 4567', 'ada.private', '203.0.113.7']) expect(text).not.toContain(raw);
    expect(held).toMatchObject({ userShown: 'a***@harbour.example', object: 'HKID A12****(3) scan.pdf', group: 'Chat with +852 ****4567', ip: '203.0.113.*', target: { kind: 'address', domain: 'gmail.com', shown: 'a***@gmail.com' } });
    // The same user however written: one hash; the same event: one id.
    expect(holder.hold({ time: '2026-11-24T06:05:00.000Z', user: ' ada.chan@harbour.example ', action: 'forward', object: 'HKID A123456(3) scan.pdf' })).toMatchObject({ user: held.user, id: held.id });
    expect(holder.hold({ time: '2026-11-24T06:05:01.000Z', user: 'ada.chan@harbour.example', action: 'forward', object: 'HKID A123456(3) scan.pdf' }).id).not.toBe(held.id);
    expect(holder.target('public')).toEqual({ kind: 'public' });
    expect(holder.target('frontline')).toMatchObject({ kind: 'group', name: 'frontline' });
    expect(shownUser('U07HL00009')).toBe('u0***9');
    expect(maskIp('2001:db8:85a3::8a2e:370:7334')).toBe('2001:db8:85a3::*');
    // `::` early in the address stands for zero groups: its /48 written out, never `2001:db8:::*`
    expect(maskIp('2001:db8::1')).toBe('2001:db8:0::*');
    expect(maskIp('2001:DB8:0:0:0:0:0:1')).toBe('2001:db8:0::*');
    expect(maskIp('::1')).toBe('0:0:0::*');
    expect(maskIp('fe80::')).toBe('fe80:0:0::*');
    expect(maskIp('::ffff:203.0.113.7')).toBe('0:0:0::*');
    expect(maskIp('1::2::3')).toBe('*');
  });

  it('reads times without an offset in the zone given, and refuses what is not a time', () => {
    const hk = new ZoneClock('Asia/Hong_Kong');
    expect(readTime('2026-11-24 14:05', hk)).toBe('2026-11-24T06:05:00.000Z');
    expect(readTime('2026/2/29 10:00', hk)).toBeUndefined();
    expect(readTime('2026-11-24T14:05:00+08:00', undefined)).toBe('2026-11-24T06:05:00.000Z');
    expect(readTime('1795500300', undefined)).toBe('2026-11-24T06:05:00.000Z');
    expect(readTime('2026-11-24 14:05', undefined)).toBeUndefined();
    // In London after the clocks went back, and in summer time.
    expect(readTime('2026-10-25 12:00', new ZoneClock('Europe/London'))).toBe('2026-10-25T12:00:00.000Z');
    expect(readTime('2026-07-01 12:00', new ZoneClock('Europe/London'))).toBe('2026-07-01T11:00:00.000Z');
  });
});

describe('audit logs on S3', () => {
  it('reads every object under a declared prefix, in key order, each checked against its extension', async () => {
    const { FakeS3 } = await import('./support/fake-s3.ts');
    const { auditLogReaders } = await import('../lib/adapters/events/audit-log-files.ts');
    const { seal } = await import('../lib/domain/detect/seal.ts');
    const key = 'test-hash-key-0123456789';
    const s3 = new FakeS3({
      'dingtalk/2026-11-02.csv': Buffer.from('time,user,action,object\n2026-11-02T09:00:00+08:00,a@harbour.example,view,x.pdf\n'),
      'dingtalk/2026-11-01.csv': Buffer.from('time,user,action,object\n2026-11-01T09:00:00+08:00,a@harbour.example,download,y.pdf\n'),
      'dingtalk/': Buffer.alloc(0),
      'other/ignored.csv': Buffer.from('time,user,action,object\n'),
    });
    const files: string[] = [];
    const actions: string[] = [];
    for await (const file of auditLogReaders({ s3 }).declared({ bucket: 'logs', prefix: seal(key, 'dingtalk/') }, key)) {
      files.push(file.name);
      const read = await readAll(file);
      actions.push(...events(read).map((e) => e.action));
    }
    expect(files).toEqual(['s3://logs/dingtalk/2026-11-01.csv', 's3://logs/dingtalk/2026-11-02.csv']);
    expect(actions).toEqual(['download', 'view']);
  });
});
