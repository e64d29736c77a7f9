// An S3 source reads its objects as the file scan reads local files (in-memory fake S3):
// an `.eml` object is parsed as a mail (mail-reader.ts), each part by its pointer, with
// the same problems; one the byte budget cuts is read as text; a contact card or calendar
// is read unfolded (folded-lines.ts), with its problems in the coverage.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFileRecords } from '../lib/adapters/sources/local-files.ts';
import { readS3Prefix } from '../lib/adapters/sources/s3-source.ts';
import { detectRecords, type SourceRecord } from '../lib/domain/detect/records.ts';
import type { Detection } from '../lib/domain/detect/detect.ts';
import { FakeS3 } from './support/fake-s3.ts';
import { MIXED_MAIL as MAIL } from './support/mail-fixtures.ts';
import { tempDir } from './support/temp-dir.ts';

const CARD = ['BEGIN:VCARD', 'VERSION:3.0', 'NOTE:HKID: A1234', ' 56(3), Mobile: 9123 45', ' 67', ''].join('\r\n'); // no END:VCARD

/** Each detection as `where type`, the object's address or the file's path as `FILE`. */
const seen = (base: string, out: string[]) => (r: SourceRecord, d: Detection, line: number | undefined) =>
  out.push(`${r.at.file.replace(base, 'FILE/')}${r.at.pointer ?? ''}${line !== undefined ? `:${line}` : ''}${r.at.row !== undefined ? ` row ${r.at.row}` : ''} ${d.type}`);

async function local(name: string, bytes: string | Buffer) {
  const dir = tempDir('s3-like-');
  const file = path.join(dir, name);
  writeFileSync(file, bytes);
  const found: string[] = [];
  const read = await detectRecords(readFileRecords(file, 'g'), seen(`${dir}/`, found));
  return { found, problems: (read.problems ?? []).map((p) => ({ key: name, ...p })) };
}

describe('an .eml object in an S3 source', () => {
  it('is parsed as a local .eml file is: the same parts by pointer, the same findings and problems', async () => {
    const s3 = new FakeS3({ 'mail.eml': Buffer.from(MAIL) });
    const found: string[] = [];
    const coverage = await detectRecords(readS3Prefix({ bucket: 'b', client: s3 }), seen('s3://b/', found));
    const expected = await local('mail.eml', MAIL);
    expect(found).toEqual(expected.found);
    expect(found).toEqual([
      'FILE/mail.eml/from email',
      'FILE/mail.eml/to/0 email',
      'FILE/mail.eml/to/1 email',
      'FILE/mail.eml/subject hk_id',
      'FILE/mail.eml/text hk_phone',
      'FILE/mail.eml/text hk_id',
      'FILE/mail.eml#/attachments/0:2 row 1 hk_phone',
      'FILE/mail.eml/attachments/1/filename hk_id',
    ]);
    expect(coverage.problems).toEqual(expected.problems);
    expect(coverage.problems).toEqual([{ key: 'mail.eml', line: 1, message: 'attachment 1 (application/pdf) not read: not text (save it and scan it, or export it as text or CSV)' }]);
    expect(coverage).toMatchObject({ records: 1, truncated: false, bytesRead: MAIL.length, skipped: [] });
  });

  it('cut by the byte budget is read as text, as far as the budget goes (as a local one larger than the budget is)', async () => {
    const s3 = new FakeS3({ 'mail.eml': Buffer.from(MAIL) });
    const found: string[] = [];
    const coverage = await detectRecords(readS3Prefix({ bucket: 'b', budgetBytes: 300, client: s3 }), seen('s3://b/', found));
    expect(s3.gets).toEqual([{ key: 'mail.eml', range: 'bytes=0-299' }]);
    expect(coverage).toMatchObject({ truncated: true, bytesRead: 300 });
    // the headers as written (the Message-ID read as an address, as in any text), the base64 body not decoded
    expect(found).toEqual(['FILE/mail.eml:1 email', 'FILE/mail.eml:2 email', 'FILE/mail.eml:2 email', 'FILE/mail.eml:4 email']);
  });
});

describe('a contact card object in an S3 source', () => {
  it('is read unfolded, as a local one is, its problems in the coverage', async () => {
    const s3 = new FakeS3({ 'cards/staff.vcf': Buffer.from(CARD) });
    const found: string[] = [];
    const coverage = await detectRecords(readS3Prefix({ bucket: 'b', client: s3 }), seen('s3://b/cards/', found));
    const expected = await local('staff.vcf', CARD);
    expect(found).toEqual(expected.found);
    expect(found).toEqual(['FILE/staff.vcf:3 hk_id', 'FILE/staff.vcf:4 hk_phone']);
    expect(coverage.problems).toEqual(expected.problems.map((p) => ({ ...p, key: 'cards/staff.vcf' })));
    expect(coverage.problems).toEqual([{ key: 'cards/staff.vcf', line: 1, message: 'BEGIN:VCARD has no END:VCARD: the text ends inside it (cut short?)' }]);
  });
});

describe('a contact card object whose first network chunk holds less than its BEGIN line (FakeS3 gives 5 bytes, then the rest)', () => {
  it('is still known for a card: a UTF-8 character a fold cut in two is made whole, as in a local file', async () => {
    // 身份證 (ID card: the word that makes `A123456-3` an HKID), its 證 (E8 AD 89) cut by a fold after its first byte
    const card = Buffer.concat([Buffer.from('BEGIN:VCARD\r\nVERSION:3.0\r\nNOTE:身份'), Buffer.from([0xe8]), Buffer.from('\r\n '), Buffer.from([0xad, 0x89]), Buffer.from(' A123456-3\r\nEND:VCARD\r\n')]);
    const s3 = new FakeS3({ 'split.vcf': card });
    const found: string[] = [];
    const coverage = await detectRecords(readS3Prefix({ bucket: 'b', client: s3 }), seen('s3://b/', found));
    const expected = await local('split.vcf', card);
    expect(found).toEqual(expected.found);
    expect(found).toEqual(['FILE/split.vcf:4 hk_id']);
    expect(coverage.problems).toEqual([]);
  });
});
