// An e-mail saved as .eml is read as a mail client shows it (mail-reader.ts): a body in
// base64 or quoted-printable, names and subjects in encoded words, an HTML body, text and
// CSV attachments; each part placed by a pointer; an attachment that is not text named as
// not read; Message-ID and other machine headers not read as people's addresses.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { htmlText } from '../lib/adapters/sources/mail-reader.ts';
import { sourceReaders } from '../lib/adapters/sources/source-reader.ts';
import { scanPaths } from '../lib/usecases/scan/scan-files.ts';
import { MIXED_MAIL as MIXED } from './support/mail-fixtures.ts';
import { tempDir } from './support/temp-dir.ts';

const dir = tempDir('scan-mail-');
const put = (name: string, text: string): string => {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
};
const where = (f: { file: string; pointer?: string; line?: number; row?: number; column?: string }) =>
  `${path.relative(dir, f.file)}${f.pointer ?? ''}${f.line !== undefined ? `:${f.line}` : ''}${f.row !== undefined ? ` row ${f.row}` : ''}${f.column !== undefined ? ` [${f.column}]` : ''}`;



describe('an .eml file', () => {
  it('is read decoded: headers, a base64 body, a CSV attachment as a table, an attachment\'s name; a PDF attachment is named as not read', async () => {
    const file = put('mixed.eml', MIXED);
    const result = await scanPaths(sourceReaders(), [file]);
    expect(result.findings.map((f) => [where(f), f.type, f.masked])).toEqual([
      ['mixed.eml/from', 'email', 't***@example.com'],
      ['mixed.eml/to/0', 'email', 'h***@example.com'],
      ['mixed.eml/to/1', 'email', 'l***@acme.com.hk'],
      ['mixed.eml/subject', 'hk_id', 'B12****(6)'],
      ['mixed.eml/text', 'hk_phone', '+852 ****4567'],
      ['mixed.eml/text', 'hk_id', 'A12****(3)'],
      ['mixed.eml#/attachments/0:2 row 1 [mobile]', 'hk_phone', '+852 ****4567'],
      ['mixed.eml/attachments/1/filename', 'hk_id', 'A12****(3)'],
    ]);
    expect(result.files).toEqual([
      expect.objectContaining({
        file,
        status: 'scanned',
        format: 'eml',
        problems: [{ line: 1, message: 'attachment 1 (application/pdf) not read: not text (save it and scan it, or export it as text or CSV)' }],
      }),
    ]);
    // scanned as plain text, the body's identifiers are not there to find, and the Message-ID looks like an address
    const asText = await scanPaths(sourceReaders(), [put('mixed.txt', MIXED)]);
    expect(asText.findings.filter((f) => f.type === 'hk_phone')).toEqual([]);
  });

  it('reads a quoted-printable body and an HTML body with no text part as the reader sees them', async () => {
    const qp = put(
      'qp.eml',
      ['From: a@example.com', 'Content-Type: text/plain; charset=UTF-8', 'Content-Transfer-Encoding: quoted-printable', '', '=E6=89=8B=E6=A9=9F 9123 =', '4567', ''].join('\r\n'),
    );
    const html = put(
      'html.eml',
      [
        'From: a@example.com',
        'Content-Type: text/html; charset=UTF-8',
        '',
        '<table><tr><td>HKID</td><td>A123456&#40;3&#41;</td></tr><tr><td>Email</td><td>chan&#64;acme.com.hk</td></tr></table><script>var x = "B123456(6)";</script>',
        '',
      ].join('\r\n'),
    );
    const result = await scanPaths(sourceReaders(), [qp, html]);
    expect(result.findings.map((f) => [where(f), f.type, f.masked])).toEqual([
      ['qp.eml/from', 'email', 'a***@example.com'],
      ['qp.eml/text', 'hk_phone', '+852 ****4567'],
      ['html.eml/from', 'email', 'a***@example.com'],
      ['html.eml/html', 'hk_id', 'A12****(3)'],
      ['html.eml/html', 'email', 'c***@acme.com.hk'],
    ]);
  });

  it('larger than the byte budget is read as text (as before), and one that is not a mail still gives what it holds', async () => {
    const file = put('big.eml', `From: a@example.com\r\n\r\n${'x'.repeat(5000)} A123456(3)\r\n`);
    const cut = await scanPaths(sourceReaders(), [file], { budgetBytes: 1000 });
    expect(cut.files[0]).toMatchObject({ status: 'scanned', format: 'text', truncated: true });
    const notMail = await scanPaths(sourceReaders(), [put('note.eml', 'just a note: HKID A123456(3)\n')]);
    expect(notMail.files[0]).toMatchObject({ status: 'scanned', format: 'eml' });
    expect(notMail.findings.map((f) => [f.type, f.masked])).toEqual([['hk_id', 'A12****(3)']]);
  });

  it('htmlText: tags out, block ends as line ends, character references read', () => {
    expect(htmlText('<p>Tel:&nbsp;9123&nbsp;4567</p><div>a&amp;b &#57;&#x39;</div><style>p{}</style>x')).toBe(' Tel: 9123 4567\n a&b 99\n x');
  });
});
