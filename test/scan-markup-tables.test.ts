// A Markdown or HTML table in a document names its columns in a header that stands lines
// away from the values (text-tables.ts): a bare Hong Kong number under a `Mobile` or `電話`
// heading is a phone as a CSV cell of that column is, a compact HKID under `Staff ID` a
// code, and a 13-digit card number under `Card` a card; the same numbers elsewhere in the
// text are not.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { splittable } from '../lib/adapters/sources/file-parts.ts';
import { sourceReaders } from '../lib/adapters/sources/source-reader.ts';
import { scanPaths, type ScanOptions } from '../lib/usecases/scan/scan-files.ts';
import { tempDir } from './support/temp-dir.ts';

const dir = tempDir('markup-tables-');
async function scan(name: string, text: string, options: ScanOptions = {}) {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  const { findings } = await scanPaths(sourceReaders(), [file], options);
  return findings.map((f) => [f.type, f.line, f.masked]);
}

describe('Markdown tables', () => {
  const doc = [
    '# Staff contacts', // 1
    '',
    '| Name | Mobile | Staff ID | Notes |', // 3
    '|------|:------:|----------|-------|',
    '| Chan Tai Man | 9123 4567 | A1234563 | room 2345 6789 |', // 5
    '| Lee Siu Ming | 6123-4567 / 5123 4567 | B1234566 | |', // 6
    '| Ho \\| Wong | 5987 6543 | | |', // 7: an escaped bar is no cell's end
    '',
    'Order 9234 5678 is an order.', // 9
    '| Kwok | 9345 6789 |', // 10: a table ended by the blank line
  ].join('\n');

  it("reads a cell under a phone column as a phone, a code column's compact HKID as a code; not the other cells, not after the table", async () => {
    expect(await scan('staff.md', doc)).toEqual([
      ['hk_phone', 5, '+852 ****4567'],
      ['hk_phone', 6, '+852 ****4567'],
      ['hk_phone', 6, '+852 ****4567'],
      ['hk_phone', 7, '+852 ****6543'],
    ]);
  });

  it('needs the delimiter row, with as many cells as the header', async () => {
    expect(await scan('no-delimiter.md', '| Name | Mobile |\n| Chan | 9123 4567 |\n')).toEqual([]);
    expect(await scan('short-delimiter.md', '| Name | Mobile |\n|---|\n| Chan | 9123 4567 |\n')).toEqual([]);
    expect(await scan('bare.md', 'Name | Mobile\n--- | ---\nChan | 9123 4567\n')).toEqual([['hk_phone', 3, '+852 ****4567']]);
  });

  it('not a column named as another thing a phone has, nor a table in a .txt (chat and logs are read as lines)', async () => {
    expect(await scan('models.md', '| Phone Model | Phone Count |\n|---|---|\n| 9123 4567 | 6123 4567 |\n')).toEqual([]);
    expect(await scan('notes.txt', '| Name | Mobile |\n|---|---|\n| Chan | 9123 4567 |\n')).toEqual([]);
  });

  it('not a table in a fenced code block', async () => {
    expect(await scan('fenced.md', '```\n| Name | Mobile |\n|---|---|\n| Chan | 9123 4567 |\n```\n')).toEqual([]);
    // the fence opened in one chunk (no `|` after it there), the table in the next
    const long = `Some text.\n${'More text without bars.\n'.repeat(30)}\`\`\`\n${'code line\n'.repeat(100)}| Name | Mobile |\n|---|---|\n| Chan | 9123 4567 |\n\`\`\`\n`;
    expect(await scan('fenced-later.md', long)).toEqual([]);
    expect(await scan('fenced-later.md', long, { maxChunkChars: 1024 })).toEqual([]);
  });

  it('HTML in a Markdown document: a `<script>` in a code span is text, not a script to skip to its end', async () => {
    const doc = 'Add a `<script>` tag to the page head.\n\n<table>\n<tr><th>Name</th><th>Mobile</th></tr>\n<tr><td>Chan</td><td>9123 4567</td></tr>\n</table>\n';
    expect(await scan('setup.md', doc)).toEqual([['hk_phone', 5, '+852 ****4567']]);
  });

  it('a header at the end of one chunk names the rows of the next', async () => {
    const rows = Array.from({ length: 400 }, (_, i) => `| Person ${i} | ${6100 + (i % 800)} ${String(1000 + i).padStart(4, '0')} |`);
    const text = `| Name | 電話 |\n|---|---|\n${rows.join('\n')}\n`;
    const whole = await scan('many.md', text);
    expect(whole).toHaveLength(400);
    expect(await scan('many.md', text, { maxChunkChars: 1024 })).toEqual(whole);
  });
});

describe('HTML tables', () => {
  const page = [
    '<html><body>', // 1
    '<table class="staff">',
    ' <thead><tr><th>Name</th><th>電話</th><th colspan="2">Credit Card</th></tr></thead>', // 3
    ' <tbody>',
    '  <tr><td>Chan</td><td>', // 5
    '     9123 4567',
    '  </td><td>Visa</td><td>4222222222222</td></tr>', // 7
    '  <tr><td>Lee</td><td><span>6123 4567</span></td><td>x</td><td>4222 2222 2222 2</td></tr>', // 8
    ' </tbody>',
    '</table>', // 10
    '<table><tr><td>Total</td><td>91234567</td></tr><tr><td>Count</td><td>51234567</td></tr></table>', // 11: no header row
    '<p>Call 6234 5678</p>', // 12
    '</body></html>',
  ].join('\n');

  it('reads the cells under a header of <th> (a colspan counted), inside other markup, over lines', async () => {
    expect(await scan('staff.html', page)).toEqual([
      ['hk_phone', 6, '+852 ****4567'],
      ['payment_card', 7, '4222 **** * 2222'],
      ['hk_phone', 8, '+852 ****4567'],
      ['payment_card', 8, '4222 **** * 2222'],
      ['hk_phone', 12, '+852 ****5678'],
    ]);
  });

  it("a portal's export saved as .xls: a first row of words in <td> is the header, past a title; a <th> names the cells after it in its row", async () => {
    const xls = '<table border=1>\n<tr><td><b>Staff Name</b></td><td><b>Mobile No.</b></td></tr>\n<tr><td>Chan</td><td>91234567</td></tr>\n<tr><td>Lee</td><td>61234567</td></tr>\n</table>\n';
    expect(await scan('export.xls', xls)).toEqual([
      ['hk_phone', 3, '+852 ****4567'],
      ['hk_phone', 4, '+852 ****4567'],
    ]);
    // Excel's "Save as Web Page": a title spanning the columns above the header
    const saved = '<table>\n<tr><td colspan=2 class=xl65>Staff list 2026</td></tr>\n<tr><td class=xl66>Name</td><td class=xl66>Tel</td></tr>\n<tr><td>Chan</td><td>2345 6789</td></tr>\n</table>\n';
    expect(await scan('saved.htm', saved)).toEqual([['hk_phone', 4, '+852 ****6789']]);
    // no header once data has come: a later row of words names nothing
    const late = '<table>\n<tr><td>Chan</td><td>x 1</td></tr>\n<tr><td>Name</td><td>Mobile</td></tr>\n<tr><td>Lee</td><td>6123 4567</td></tr>\n</table>\n';
    expect(await scan('late.htm', late)).toEqual([]);
    const vertical = '<table>\n<tr><th>Name</th>\n<td>Chan</td></tr>\n<tr><th>Mobile</th>\n<td>9123 4567</td></tr>\n</table>';
    expect(await scan('card.htm', vertical)).toEqual([['hk_phone', 5, '+852 ****4567']]);
  });

  it("a rowspan covers its column in the rows below; a comment, a script and a layout table's one cell of words are no header", async () => {
    const merged = '<table>\n<tr><th>Dept</th><th>Name</th><th>Mobile</th><th>Staff No</th></tr>\n<tr><td rowspan=2>IT</td><td>Chan</td><td>9123 4567</td><td>2345 6789</td></tr>\n<tr><td>Lee</td><td>6123 4567</td><td>2345 6790</td></tr>\n</table>\n';
    expect(await scan('merged.html', merged)).toEqual([
      ['hk_phone', 3, '+852 ****4567'],
      ['hk_phone', 4, '+852 ****4567'],
    ]);
    const hidden = '<!-- <table><tr><th>Tel</th></tr><tr><td> -->\n<script>var t = "<table><tr><th>Tel</th></tr><tr><td>";</script>\n<p>Amount due: 2345 6789</p>\n';
    expect(await scan('hidden.html', hidden)).toEqual([]);
    const layout = '<table><tr><td>Contact us</td></tr><tr><td><p>Your parcel 2345 6789 is on its way</p></td></tr></table>';
    expect(await scan('layout.htm', layout)).toEqual([]);
  });

  it('reads a value inside the markup of its cell (Outlook, Confluence, Markdown emphasis and code) as the cell\'s value', async () => {
    const outlook = [
      '<table><tr><th>Name</th><th>HKID</th><th>Card</th><th>Staff ID</th></tr>', // 1
      '<tr><td><p class=MsoNormal><span>Chan</span></p></td><td><p class=MsoNormal><span>A123456-3</span></p></td>',
      '<td>\n  &nbsp;<span>4222222222222</span></td><td><span>B1234566</span></td></tr></table>', // 3, 4: a valid HKID's shape, a code here
    ].join('\n');
    expect(await scan('outlook.htm', outlook)).toEqual([
      ['hk_id', 2, 'A12****(3)'],
      ['payment_card', 4, '4222 **** * 2222'],
    ]);
    const md = '| Name | HKID | Staff ID |\n|---|---|---|\n| Chan | `A123456-3` | **B1234566** |\n';
    expect(await scan('emphasis.md', md)).toEqual([['hk_id', 3, 'A12****(3)']]);
  });

  it("Google Sheets' download (column letters, row numbers), a header with a number in a name, and a footer's total", async () => {
    const sheets =
      '<table class="waffle"><thead><tr><th class="row-header freezebar-origin-ltr"></th><th id="0C0">A</th><th id="0C1">B</th></tr></thead><tbody>' +
      '<tr><th id="0R0" class="row-headers-background"><div class="row-header-wrapper">1</div></th><td class="s0">Name</td><td class="s0">Phone 2</td></tr>' +
      '<tr><th id="0R1" class="row-headers-background"><div class="row-header-wrapper">2</div></th><td class="s1">Chan</td><td class="s1">91234567</td></tr>' +
      '</tbody><tfoot><tr><td>Total</td><td>61234567</td></tr></tfoot></table>';
    expect(await scan('sheet.html', sheets)).toEqual([['hk_phone', 1, '+852 ****4567']]);
    const dated = '<table><tr><td>Name</td><td>Mobile</td></tr><tr><td>2026-11-30</td><td>6123 4567</td></tr></table>';
    expect(await scan('dated.html', dated)).toEqual([['hk_phone', 1, '+852 ****4567']]);
    // short capitals are names (`ID`, `TEL`), not column letters; a cell of a dash is no data
    expect(await scan('caps.html', '<table><tr><th>ID</th><th>TEL</th></tr><tr><td>7</td><td>9123 4567</td></tr></table>')).toEqual([['hk_phone', 1, '+852 ****4567']]);
    expect(await scan('dash.html', '<table><tr><td>Name</td><td>Mobile</td><td>-</td></tr><tr><td>Chan</td><td>9123 4567</td><td></td></tr></table>')).toEqual([['hk_phone', 1, '+852 ****4567']]);
    const noHeader = '<table><tr><td>Chan</td><td>2026-11-30</td></tr><tr><td>Name</td><td>Mobile</td></tr><tr><td>Lee</td><td>6123 4567</td></tr></table>';
    expect(await scan('data-first.html', noHeader)).toEqual([]);
  });

  it("Word's tags written over lines, cut by a chunk's end: each row's cells in their columns", async () => {
    const cell = (text: string) => `  <td width=100 valign=top style='width:75pt;border:solid windowtext 1.0pt;\n  padding:0cm 5.4pt 0cm 5.4pt'>\n  <p>${text}</p></td>\n`;
    const rows = Array.from({ length: 200 }, (_, i) => `<tr>\n${cell(`Person ${'x'.repeat((i * 7) % 41)}`)}${cell(`${6100 + i} ${1000 + i}`)}${cell(`Ref ${2300 + i} ${5000 + i}`)} </tr>\n`);
    const doc = `<table>\n<tr><th>Name</th><th>Mobile</th><th>Order Ref</th></tr>\n${rows.join('')}</table>\n`;
    const whole = await scan('word.htm', doc);
    expect(whole).toHaveLength(200);
    // the mobiles, each on its row's line (the order refs, in the next column, none)
    expect(whole.map((f) => [f[0], f[1], String(f[2]).slice(-4)])).toEqual(Array.from({ length: 200 }, (_, i) => ['hk_phone', 3 + 11 * i + 6, String(1000 + i)]));
    for (const maxChunkChars of [1024, 2048, 4096]) expect(await scan('word.htm', doc, { maxChunkChars }), String(maxChunkChars)).toEqual(whole);
  });

  it('a long line cut inside a cell goes on from where the cell started, not from the cut', async () => {
    // the first piece of a line of 4,096 characters hands over at 3,584: there, inside each of these cells
    for (const [cell, at] of [['Ref 1234 5678 9012', 9], ['Order #2345 6789', 7], ['9123 4567 6123 4567', 9]] as const) {
      const before = '<table><tr><th>Name</th><th>Mobile</th></tr><tr><td>';
      const html = `${before}${'x'.repeat(3584 - before.length - '</td><td>'.length - at)}</td><td>${cell}</td></tr>${'<tr><td>a</td><td>b</td></tr>'.repeat(400)}</table>`;
      expect(html.indexOf(cell) + at).toBe(3584);
      expect(await scan('cut-cell.html', html, { maxChunkChars: 4096 }), cell).toEqual(await scan('cut-cell.html', html));
      expect(await scan('cut-cell.html', html), cell).toEqual([]);
    }
  });

  it('a comment or script in a cell that runs past a chunk or piece: the cell still read', async () => {
    const line = `<table><tr><th>Name</th><th>Mobile</th></tr><tr><td>${'a'.repeat(32_000)}</td><td>9123 4567 <!-- ${'x'.repeat(2000)} --></td></tr></table>`;
    expect(await scan('comment-piece.html', line)).toEqual([['hk_phone', 1, '+852 ****4567']]);
    const lines = `<table><tr><th>Name</th><th>Mobile</th></tr>\n${'<tr><td>a</td><td>b</td></tr>\n'.repeat(40)}<tr><td>Chan</td><td>6123 4567 <script>\n${'var x = 1;\n'.repeat(200)}</script></td></tr></table>\n`;
    const whole = await scan('script-chunk.html', lines);
    expect(whole).toEqual([['hk_phone', 42, '+852 ****4567']]);
    for (const maxChunkChars of [1024, 2048]) expect(await scan('script-chunk.html', lines, { maxChunkChars }), String(maxChunkChars)).toEqual(whole);
  });

  it('a page on one line longer than a chunk: each number once, as when read whole', async () => {
    const rows = Array.from({ length: 300 }, (_, i) => `<tr><td>Person ${i}</td><td>${5100 + (i % 800)} ${String(2000 + i).padStart(4, '0')}</td></tr>`);
    const html = `<table><tr><th>Name</th><th>Mobile</th></tr>${rows.join('')}</table>`;
    const whole = await scan('one-line.html', html);
    expect(whole).toHaveLength(300);
    expect(new Set(whole.map((f) => f[1]))).toEqual(new Set([1]));
    for (const maxChunkChars of [2048, 4096, 5000]) expect(await scan('one-line.html', html, { maxChunkChars }), String(maxChunkChars)).toEqual(whole);
  });

  it('a large page is read whole, not in parts: its rows need its header', async () => {
    const big = `<table><tr><th>Mobile</th></tr>${'<tr><td>9123 4567</td></tr>\n'.repeat(200_000)}</table>`;
    writeFileSync(path.join(dir, 'big.html'), big);
    writeFileSync(path.join(dir, 'big.log'), big);
    expect(await splittable(path.join(dir, 'big.html'), undefined)).toBeUndefined();
    expect(await splittable(path.join(dir, 'big.log'), undefined)).toMatchObject({ kind: 'text' });
  });
});
