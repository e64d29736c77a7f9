// Cloud sources for the data-mapping scans (issue 3, "Sources"): .xlsx files in the
// file scan, DynamoDB tables (against the shared DynamoDB Local) and S3 prefixes
// (against an in-memory fake: a contract test of the adapter, not of S3).
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { CreateTableCommand, DynamoDBClient, PutItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { describe, expect, inject, it } from 'vitest';
import writeExcelFile from 'write-excel-file/node';
import { scanSource } from '../lib/usecases/datamap/scan-source.ts';
import { Source } from '../lib/domain/org/source.ts';
import { readDynamoTable } from '../lib/adapters/sources/dynamodb-source.ts';
import { readFileRecords } from '../lib/adapters/sources/local-files.ts';
import { readS3Prefix } from '../lib/adapters/sources/s3-source.ts';
import { redactName } from '../lib/domain/detect/redact.ts';
import { detectRecords } from '../lib/domain/detect/records.ts';
import { scanPaths } from '../lib/usecases/scan/scan-files.ts';
import { sourceReaders } from '../lib/adapters/sources/source-reader.ts';
import { FakeS3 } from './support/fake-s3.ts';
import { tempDir } from './support/temp-dir.ts';

const KEY = 'test-hash-key-0123456789';
const RAW = ['A123456(3)', '11010519491231002X', 'ada@example.com', '4111 1111 1111 1111', '13812345678'];
const noRaw = (value: unknown) => {
  const json = JSON.stringify(value);
  for (const raw of RAW) expect(json).not.toContain(raw);
};

describe('.xlsx files in the file scan', () => {
  it('reports findings with the row Excel shows (the header is row 1, empty rows count) and the column header, and no line', async () => {
    const dir = tempDir('xlsx-');
    const file = path.join(dir, 'hr.xlsx');
    await writeExcelFile([
      ['姓名', '身份證', 'Email'],
      ['陳大文', 'A123456(3)', 'ada@example.com'],
      [null, null, null],
      ['Bo', '11010519491231002X', null],
    ]).toFile(file);
    const result = await scanPaths(sourceReaders(), [file], { hashKey: KEY });
    expect(result.files).toEqual([expect.objectContaining({ file, status: 'scanned', format: 'xlsx', truncated: false, findings: 3 })]);
    expect(result.findings.map(({ type, row, column, line }) => ({ type, row, column, line }))).toEqual([
      { type: 'hk_id', row: 2, column: '身份證', line: undefined },
      { type: 'email', row: 2, column: 'Email', line: undefined },
      { type: 'cn_resident_id', row: 4, column: '身份證', line: undefined },
    ]);
    noRaw(result);

    const limited = await scanPaths(sourceReaders(), [file], { budgetRecords: 1 });
    expect(limited.findings).toHaveLength(2);
    expect(limited.files[0]?.truncated).toBe(true);
  });
});

describe('DynamoDB table sources (DynamoDB Local)', () => {
  const endpoint = inject('dynamoEndpoint');
  const client = new DynamoDBClient({ region: 'ap-east-1', endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });

  async function table(items: Record<string, AttributeValue>[]): Promise<string> {
    const name = `scan-${randomUUID()}`;
    await client.send(
      new CreateTableCommand({
        TableName: name,
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    for (const Item of items) await client.send(new PutItemCommand({ TableName: name, Item }));
    return name;
  }

  const items: Record<string, AttributeValue>[] = [
    { pk: { S: 'm1' }, channel: { S: 'HR群' }, body: { M: { text: { S: '新同事身份證A123456(3)' }, cc: { L: [{ S: 'ada@example.com' }, { N: '4111111111111111' }] } } } },
    { pk: { S: 'm2' }, channel: { S: 'Finance' }, tags: { SS: ['card 4111 1111 1111 1111', 'misc'] } },
    { pk: { S: 'm3' }, channel: { S: 'HR群' }, text: { S: 'nothing here' } },
    { pk: { S: 'm4' }, text: { S: '身份证 11010519491231002X' } },
  ];

  it('walks nested maps, lists and string sets, groups by an attribute, and reports coverage', async () => {
    const name = await table(items);
    const source = Source.parse({ id: 'chat-store', name: 'Chat store', platform: 'DingTalk', kind: 'dynamodb', table: name, endpoint, groupBy: 'channel', storage: { region: 'ap-east-1' } });
    const entry = await scanSource(source, KEY, sourceReaders());
    expect(entry.groups.map(({ group, rating, counts }) => ({ group, rating, counts }))).toEqual([
      { group: '(no channel)', rating: 'red', counts: { cn_resident_id: 1 } },
      { group: 'Finance', rating: 'red', counts: { payment_card: 1 } },
      { group: 'HR群', rating: 'red', counts: { hk_id: 1, email: 1 } },
    ]);
    expect(entry.coverage).toEqual({ records: 4, truncated: false, bytesRead: expect.any(Number), bytesTotal: expect.any(Number) });
    expect(entry.coverage.bytesRead).toBeGreaterThan(100);
    expect(entry.distinctPeople).toBe(4);
    noRaw(entry);
  });

  it('stops at budgetRecords deterministically and says it was truncated; a table of exactly the budget is not', async () => {
    const name = await table(items);
    const seen = async (budgetRecords: number) => {
      const texts: string[] = [];
      const reader = readDynamoTable({ table: name, endpoint, budgetRecords });
      let next;
      while (!(next = await reader.next()).done) texts.push(next.value.text);
      return { coverage: next.value, texts };
    };
    const first = await seen(2);
    expect(first.coverage).toMatchObject({ records: 2, truncated: true });
    expect((await seen(2)).texts).toEqual(first.texts);
    expect((await seen(4)).coverage).toMatchObject({ records: 4, truncated: false });
    expect((await seen(10)).coverage).toMatchObject({ records: 4, truncated: false });
  });

  it('says which table does not exist', async () => {
    await expect(readDynamoTable({ table: 'no-such-table', endpoint }).next()).rejects.toThrow('table "no-such-table" does not exist');
  });
});

describe('S3 prefix sources (adapter contract, in-memory fake)', () => {
  const objects = {
    'exports/finance/2026-11.csv': Buffer.from('who,card\nAda,4111 1111 1111 1111\n'),
    'exports/hr/': Buffer.alloc(0),
    'exports/hr/staff.txt': Buffer.from('陳大文 身份證 A123456(3) ada@example.com\n'),
    'exports/hr/contract.pdf': Buffer.from('%PDF-1.7 A123456(3)'),
    'exports/hr/photo.dat': Buffer.from([0xff, 0xd8, 0xff, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46]),
    'exports/readme.txt': Buffer.from('身份证 11010519491231002X'),
    'other/ignored.txt': Buffer.from('A123456(3)'),
  };

  it('lists all pages in key order, skips folders, binaries and (without fetching them) formats that are never text, groups by the first folder below the prefix', async () => {
    const s3 = new FakeS3(objects);
    const source = Source.parse({ id: 'exports', name: 'Exports', platform: 'S3', kind: 's3', bucket: 'acme-exports', prefix: 'exports/', storage: { region: 'eu-west-1', provider: 'aws' } });
    const entry = await scanSource(source, KEY, sourceReaders({ s3 }));
    expect(s3.gets.map((g) => g.key)).toEqual(['exports/finance/2026-11.csv', 'exports/hr/photo.dat', 'exports/hr/staff.txt', 'exports/readme.txt']);
    expect(entry.groups.map((g) => [g.group, g.counts])).toEqual([
      ['exports/readme.txt', { cn_resident_id: 1 }],
      ['finance', { payment_card: 1 }],
      ['hr', { hk_id: 1, email: 1 }],
    ]);
    const total = Object.entries(objects).filter(([k]) => k.startsWith('exports/')).reduce((n, [, b]) => n + b.length, 0);
    // The binary object is dropped after its first chunk (5 bytes of 9 read); the PDF is not read.
    expect(entry.coverage).toEqual({ records: 3, truncated: false, bytesRead: total - 4 - objects['exports/hr/contract.pdf'].length, bytesTotal: total });
    const coverage = await detectRecords(readS3Prefix({ bucket: 'b', prefix: 'exports/', client: new FakeS3(objects) }), () => {});
    expect(coverage.skipped).toEqual([
      { key: 'exports/hr/contract.pdf', reason: 'not a supported format (.pdf)' },
      { key: 'exports/hr/photo.dat', reason: 'binary content' },
    ]);
    noRaw(entry);
  });

  it('reads within the byte budget (a Range GET for the object that crosses it) and says it was truncated', async () => {
    const s3 = new FakeS3(objects);
    const first = objects['exports/finance/2026-11.csv'].length;
    const coverage = await detectRecords(readS3Prefix({ bucket: 'b', prefix: 'exports/', budgetBytes: first + 4, client: s3 }), () => {});
    expect(s3.gets).toEqual([{ key: 'exports/finance/2026-11.csv' }, { key: 'exports/hr/photo.dat', range: 'bytes=0-3' }]);
    expect(coverage).toMatchObject({ bytesRead: first + 4, truncated: true });
  });

  it('reports what a CSV object\'s reader could not read, by key (redacted) and line, as a local file\'s read does', async () => {
    const texts: Record<string, string> = {
      'x/unclosed.csv': 'name,notes\nChan,"oops, call me 9876 5432\nLee,call me 9123 4567\n',
      'x/long.csv': `name,notes\nChan,${'a'.repeat(2 * 1024 * 1024)} call me 9876 5432\nLee,call me 9123 4567\n`,
      'x/sep.csv': 'sep=;;\nname;notes\nLee;call me 9123 4567\n',
      'x/Chan 9123 4567.csv': 'name,notes\n"Chan,x\n',
    };
    const s3 = new FakeS3(Object.fromEntries(Object.entries(texts).map(([k, v]) => [k, Buffer.from(v)])));
    const coverage = await detectRecords(readS3Prefix({ bucket: 'b', prefix: 'x/', client: s3 }), () => {});
    const local: { key: string; line: number; message: string }[] = [];
    for (const [key, text] of Object.entries(texts)) {
      const file = path.join(tempDir('s3-csv-problems-'), path.basename(key));
      writeFileSync(file, text);
      const read = await detectRecords(readFileRecords(file, 'x'), () => {});
      for (const p of read.problems ?? []) local.push({ key: redactName(key), line: p.line, message: p.message });
    }
    expect(local).toHaveLength(4);
    expect(coverage.problems).toEqual([...local].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)));
    expect(coverage.problems.map((p) => [p.key, p.line])).toEqual([
      ['x/Chan +852 ****4567.csv', 2],
      ['x/long.csv', 2],
      ['x/sep.csv', 1],
      ['x/unclosed.csv', 2],
    ]);
    expect(coverage.problemsOmitted).toBe(0);
    expect(JSON.stringify(coverage)).not.toContain('9123 4567');
  });

  it('keeps the first 1000 problems of a CSV object and counts the rest', async () => {
    const s3 = new FakeS3({ 'bad.csv': Buffer.from(`name,notes\n${'Chan,"x\n'.repeat(1003)}`) });
    const coverage = await detectRecords(readS3Prefix({ bucket: 'b', client: s3 }), () => {});
    expect(coverage.problems).toHaveLength(1000);
    expect(coverage.problems[999]).toMatchObject({ key: 'bad.csv', line: 1001 });
    expect(coverage.problemsOmitted).toBe(3);
  });

  it('decodes a declared encoding (GB18030)', async () => {
    const gb = Buffer.from([0xc9, 0xed, 0xb7, 0xdd, 0xd6, 0xa4, 0x20]); // 身份证 + space
    const s3 = new FakeS3({ 'a.txt': Buffer.concat([gb, Buffer.from('11010519491231002X')]) });
    const found: string[] = [];
    await detectRecords(readS3Prefix({ bucket: 'b', encoding: 'gb18030', client: s3 }), ({ group }, d) => found.push(`${group}:${d.type}`));
    expect(found).toEqual(['a.txt:cn_resident_id']);
  });
});
