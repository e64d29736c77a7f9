// `compliance scan PATH...`: findings with type, file, line and masked value; no
// raw identifier anywhere in the output; unreadable paths recorded, not fatal.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { scanPaths } from '../lib/usecases/scan/scan-files.ts';
import { sourceReaders } from '../lib/adapters/sources/source-reader.ts';
import { tempDir } from './support/temp-dir.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RAW = ['A123456(3)', '9123 4567', '4111 1111 1111 1111', 'ada.chan@example.hk', '+86 138 1234 5678', 'GB82WEST12345698765432', '11010519491231002X'];

function fixtures(): string {
  const dir = tempDir('scan-');
  writeFileSync(
    path.join(dir, 'chat.txt'),
    [
      '[2026-11-03 09:15] 陳小姐: 客戶身份證A123456(3)已核實，請致電9123 4567',
      'order ORD-20261130-88812345 shipped, tracking SF1234567890123',
      'Card 4111 1111 1111 1111 on file; refund to GB82WEST12345698765432',
      '',
      'email ada.chan@example.hk re 病假 and salary; 身份证号11010519491231002X',
    ].join('\n'),
  );
  writeFileSync(path.join(dir, 'hr.csv'), 'name,電話,email\nAda,+852 9123 4567,ada@example.com\n"Bob,unterminated,x\nCarol,+86 138 1234 5678,carol@example.cn\n');
  writeFileSync(path.join(dir, 'photo.txt'), Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d]), Buffer.alloc(64)]));
  return dir;
}

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['lib/cli/main.mjs', ...args], { cwd: ROOT, env: { ...process.env, COMPLIANCE_HASH_KEY: 'test-key-0123456789' } }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

describe('scanning files', () => {
  it('finds each identifier with its type, file and line, masked and hashed', async () => {
    const dir = fixtures();
    const result = await scanPaths(sourceReaders(), [path.join(dir, 'chat.txt')], { hashKey: 'k' });
    expect(result.findings.map((f) => `${f.type}@${f.line}`)).toEqual([
      'hk_id@1',
      'hk_phone@1',
      'payment_card@3',
      'iban@3',
      'email@5',
      'health@5',
      'payroll@5',
      'cn_resident_id@5',
    ]);
    expect(result.findings.every((f) => f.file === path.join(dir, 'chat.txt') && /^[0-9a-f]{64}$/.test(f.hash ?? ''))).toBe(true);
    expect(result.findings.find((f) => f.type === 'hk_id')?.masked).toBe('A12****(3)');
  });

  it('gives CSV findings their record line, row and column, reports the unbalanced quote and scans on', async () => {
    const dir = fixtures();
    const result = await scanPaths(sourceReaders(), [path.join(dir, 'hr.csv')]);
    expect(result.findings.map((f) => `${f.type}@${f.line}:${f.row}:${f.column}`)).toEqual([
      'hk_phone@2:1:電話',
      'email@2:1:email',
      'cn_phone@4:2:電話',
      'email@4:2:email',
    ]);
    expect(result.files[0]?.problems?.[0]?.line).toBe(3);
  });

  it('gives a CSV cell after a quoted cell of several lines the line it is on (an Outlook address), and a finding inside such a cell its own line', async () => {
    const dir = tempDir('scan-lines-');
    const file = path.join(dir, 'contacts.csv');
    writeFileSync(
      file,
      'First Name,Address,Mobile Phone,E-mail Address\r\n"Tai Man","Flat A, 12/F\r\nAcme Building\r\nTel 2345 6789","9123 4567","chan@acme.com.hk"\r\nSiu Ming,x,6123 4567,lee@acme.com.hk\r\n',
    );
    for (const maxChunkChars of [undefined, 256]) {
      const result = await scanPaths(sourceReaders(), [file], maxChunkChars ? { maxChunkChars } : {});
      expect(result.findings.map((f) => [f.line, f.row, f.column, f.type])).toEqual([
        [4, 1, 'Address', 'hk_phone'],
        [4, 1, 'Mobile Phone', 'hk_phone'],
        [4, 1, 'E-mail Address', 'email'],
        [5, 2, 'Mobile Phone', 'hk_phone'],
        [5, 2, 'E-mail Address', 'email'],
      ]);
    }
  });

  it('gives JSON findings the JSON pointer of their string, and refuses bad JSON with the reason', async () => {
    const dir = tempDir('scan-json-');
    writeFileSync(path.join(dir, 'crm.json'), JSON.stringify({ customers: [{ name: 'Ada', 'tel/mobile': '手機 9123 4567' }, { note: 'HKID A123456(3)' }] }));
    writeFileSync(path.join(dir, 'broken.json'), '{"a": [1, 2');
    const result = await scanPaths(sourceReaders(), [dir]);
    expect(result.findings.map((f) => `${f.type}@${f.pointer}`)).toEqual(['hk_phone@/customers/0/tel~1mobile', 'hk_id@/customers/1/note']);
    const broken = result.files.find((f) => f.file.endsWith('broken.json'));
    expect(broken?.status).toBe('failed');
    expect(broken?.reason).toMatch(/^not valid JSON: /);
  });

  it('records binary and missing paths with a reason and goes on', async () => {
    const dir = fixtures();
    const result = await scanPaths(sourceReaders(), [path.join(dir, 'nope'), dir]);
    const byName = Object.fromEntries(result.files.map((f) => [path.basename(f.file), f]));
    expect(byName.nope).toMatchObject({ status: 'failed', reason: 'no such file or folder' });
    expect(byName['photo.txt']?.status).toBe('skipped');
    expect(byName['photo.txt']?.reason).toMatch(/binary/);
    expect(byName['chat.txt']?.status).toBe('scanned');
    expect(byName['hr.csv']?.status).toBe('scanned');
  });

  it('reads every file whose content is text, whatever its name (a contact card, a mail, a SQL dump, a web page, a log with no extension); skips formats that are never text by name, and binary content with why', async () => {
    const dir = tempDir('scan-kinds-');
    const files: Record<string, string | Buffer> = {
      'contacts.vcf': 'BEGIN:VCARD\nFN:Chan Tai Man\nTEL;TYPE=CELL:+852 9123 4567\nEMAIL:tm.chan@example.com\nEND:VCARD\n',
      'note.eml': 'From: hr@example.com\nSubject: staff\n\nHKID A123456(3)\n',
      'dump.sql': "INSERT INTO staff VALUES ('A123456(3)', 'Tel 9123 4567');\n",
      'page.html': '<td>Email</td><td>ada@example.com</td>\n',
      'access_log': 'GET /?email=ada@example.com 200\n',
      'scan.pdf': '%PDF-1.7 A123456(3)\n',
      'photo.jpeg': 'A123456(3)',
      'blob.dat': Buffer.from([0x00, 0x01, 0x02, 0x41, 0x31, 0x00]),
      // a portal's "Export to Excel": an HTML table under an .xls name; and a real (OLE) workbook
      'export.xls': '<table><tr><td>Email</td><td>ada@example.com</td></tr></table>\n',
      'old.xls': Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(512)]),
    };
    for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
    const result = await scanPaths(sourceReaders(), [dir]);
    const byName = Object.fromEntries(result.files.map((f) => [path.basename(f.file), f]));
    expect(Object.fromEntries(Object.entries(byName).map(([name, f]) => [name, [f.status, f.format ?? f.reason]]))).toEqual({
      'access_log': ['scanned', 'text'],
      'blob.dat': ['skipped', 'binary: NUL bytes in the first 8 KiB'],
      'contacts.vcf': ['scanned', 'text'],
      'dump.sql': ['scanned', 'text'],
      'export.xls': ['scanned', 'text'],
      'old.xls': ['skipped', 'binary: NUL bytes in the first 8 KiB'],
      'note.eml': ['scanned', 'eml'],
      'page.html': ['scanned', 'text'],
      'photo.jpeg': ['skipped', 'not a supported format (.jpeg)'],
      'scan.pdf': ['skipped', 'not a supported format (.pdf)'],
    });
    const found = (name: string) => result.findings.filter((f) => path.basename(f.file) === name).map((f) => [f.line, f.type]);
    expect(found('contacts.vcf')).toEqual([
      [3, 'hk_phone'],
      [4, 'email'],
    ]);
    expect(result.findings.filter((f) => path.basename(f.file) === 'note.eml').map((f) => [f.pointer, f.type])).toEqual([
      ['/from', 'email'],
      ['/text', 'hk_id'],
    ]);
    expect(found('dump.sql')).toEqual([
      [1, 'hk_id'],
      [1, 'hk_phone'],
    ]);
    expect(found('page.html')).toEqual([[1, 'email']]);
    expect(found('access_log')).toEqual([[1, 'email']]);
    expect(found('export.xls')).toEqual([[1, 'email']]);
  });

  it('prints JSON findings and a table with no raw value, and exits 0 whatever it found (2 when a path given is missing)', async () => {
    const dir = fixtures();
    const [json, table] = await Promise.all([cli(['scan', dir, path.join(dir, 'missing.txt'), '--format', 'json']), cli(['scan', dir, '--format', 'table'])]);
    expect(json.code).toBe(2); // missing.txt (test/scan-exit-codes.test.ts)
    expect(table.code).toBe(0);
    const parsed = JSON.parse(json.stdout) as { findings: { type: string; file: string; line: number; masked: string }[] };
    expect(parsed.findings.length).toBe(12);
    for (const f of parsed.findings) expect(Object.keys(f)).toEqual(expect.arrayContaining(['type', 'file', 'line', 'masked']));
    for (const raw of RAW) {
      expect(json.stdout).not.toContain(raw);
      expect(table.stdout).not.toContain(raw);
      expect(json.stdout).not.toContain(raw.replace(/[\s()-]/g, ''));
    }
    expect(table.stdout).toMatch(/^TYPE\s+WHERE\s+MASKED/m);
  });
});
