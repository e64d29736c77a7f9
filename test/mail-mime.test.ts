// What the outbox writes is a well-formed MIME message: 7-bit safe headers
// (RFC 2047 for Chinese), multipart/alternative with UTF-8 text and HTML parts
// that decode to exactly what was rendered, and no line over 998 characters.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { renderNoticeMail, type NoticeMailInput, type RenderedMail } from '../lib/domain/notice/notice-mail.ts';
import { createMailer } from '../lib/adapters/mail/transport.ts';
import type { NoticeLine } from '../lib/domain/notice/notice.ts';
import { noticeLine } from './support/fixtures.ts';
import { tempDir } from './support/temp-dir.ts';

const FROM = 'Compliance <compliance@harbourledger.example>';

const line = (overrides: Partial<NoticeLine>): NoticeLine =>
  noticeLine({
    evidenceId: 'ev-002',
    evidenceTitle: 'Information security policy sign-off',
    evidenceLocation: 'https://harbourledger.sharepoint.example/sites/hr/ISP-sign-off-2026.xlsx',
    validUntil: '2026-11-22',
    daysOverdue: 8,
    ownerName: 'Natalie Yip',
    ...overrides,
  });

// A very long location: its line in the plain text and in the HTML is well over 998 characters.
const LONG_LOCATION = `https://harbourledger.sharepoint.example/sites/isms/${'深層/'.repeat(150)}${'x'.repeat(900)}.pdf`;

const ZH: NoticeMailInput = {
  recipient: { name: '黃兆明 Raymond Wong', email: 'raymond.wong@harbourledger.example', language: 'zh-Hant' },
  organisationName: 'Harbour Ledger Trading Limited (港灣賬簿貿易有限公司)',
  asOf: '2026-12-07',
  lines: [
    line({ stage: 'escalated', controlId: 'A.5.29', controlTitle: 'Information security during disruption', evidenceId: 'ev-029', evidenceTitle: '颱風及黑色暴雨警告下的遙距營運程序', validUntil: '2026-10-21', daysOverdue: 47, ownerName: '李家輝 Lee Ka Fai' }),
    line({ stage: 'reminder-1', evidenceTitle: '資訊保安政策員工簽閱紀錄 2026', evidenceLocation: LONG_LOCATION }),
    line({ stage: 'due-soon', controlId: 'A.8.13', controlTitle: 'Information backup', evidenceId: 'ev-056', evidenceTitle: '備份還原測試 - DingTalk 及 SharePoint 文件庫 <2026年第二季> & "全部"', validUntil: '2026-12-10', daysOverdue: -3 }),
  ],
};

const EN: NoticeMailInput = {
  recipient: { name: 'Ada Chan', email: 'ada.chan@harbourledger.example', language: 'en' },
  organisationName: 'Harbour Ledger',
  asOf: '2026-11-30',
  lines: [line({ stage: 'due-soon', evidenceTitle: 'Microsoft 365 SOC 2 Type II report', daysOverdue: -10, validUntil: '2026-12-10' })],
};

interface Sent {
  rendered: RenderedMail;
  messageId: string;
  dir: string;
  file: string;
  raw: string;
  parsed: ParsedMail;
}

async function sendToOutbox(input: NoticeMailInput, headers?: Record<string, string>): Promise<Sent> {
  const dir = tempDir('mail-mime-');
  const mailer = createMailer({ transport: 'outbox', from: FROM, outboxDir: dir });
  const rendered = renderNoticeMail(input);
  const { messageId } = await mailer.send({ to: { name: input.recipient.name, email: input.recipient.email }, ...rendered, ...(headers ? { headers } : {}) });
  const files = readdirSync(dir);
  expect(files).toHaveLength(1);
  const file = path.join(dir, files[0] as string);
  const raw = readFileSync(file, 'latin1'); // bytes as they are, one char per byte
  return { rendered, messageId, dir, file, raw, parsed: await simpleParser(readFileSync(file)) };
}

/** Header block, unfolded, as name -> raw values. */
function rawHeaders(raw: string): Map<string, string[]> {
  const block = raw.split(/\r?\n\r?\n/, 1)[0] as string;
  const unfolded = block.replace(/\r?\n[ \t]+/g, ' ');
  const headers = new Map<string, string[]>();
  for (const lineText of unfolded.split(/\r?\n/)) {
    const i = lineText.indexOf(':');
    const name = lineText.slice(0, i).toLowerCase();
    headers.set(name, [...(headers.get(name) ?? []), lineText.slice(i + 1).trim()]);
  }
  return headers;
}

interface Part {
  headers: Map<string, string[]>;
  body: string;
}

/** The parts of a multipart message (one level), headers unfolded. */
function mimeParts(raw: string): { contentType: string; parts: Part[] } {
  const contentType = rawHeaders(raw).get('content-type')?.[0] ?? '';
  const boundary = /boundary="?([^";]+)"?/.exec(contentType)?.[1];
  if (!boundary) return { contentType, parts: [] };
  const body = raw.slice(raw.search(/\r?\n\r?\n/));
  const chunks = body.split(`--${boundary}`);
  // chunks: preamble, part..., "--" epilogue
  const parts = chunks.slice(1, -1).map((chunk) => {
    const trimmed = chunk.replace(/^\r?\n/, '');
    const split = trimmed.search(/\r?\n\r?\n/);
    return { headers: rawHeaders(trimmed.slice(0, split)), body: trimmed.slice(split).trim() };
  });
  expect(chunks.at(-1)?.startsWith('--')).toBe(true); // closing boundary
  return { contentType, parts };
}

function decode(part: Part): string {
  const cte = part.headers.get('content-transfer-encoding')?.[0]?.toLowerCase();
  if (cte === 'base64') return Buffer.from(part.body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (cte === 'quoted-printable') {
    const bytes = part.body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return Buffer.from(part.body, 'latin1').toString('utf8');
}

function checkWellFormed(sent: Sent, input: NoticeMailInput): void {
  const { raw, parsed, rendered } = sent;
  const headers = rawHeaders(raw);

  // 7-bit safe throughout: every header and body line is ASCII.
  expect(raw).toMatch(/^[\x00-\x7f]*$/);
  // RFC 5322: no line longer than 998 characters.
  const longest = Math.max(...raw.split(/\r?\n/).map((l) => l.length));
  expect(longest).toBeLessThanOrEqual(998);

  // Subject: exactly the rendered one once decoded.
  expect(parsed.subject).toBe(rendered.subject);
  expect(headers.get('subject')).toHaveLength(1);

  // To: the display name and the address.
  const to = parsed.to as AddressObject;
  expect(to.value).toEqual([{ name: input.recipient.name, address: input.recipient.email }]);
  expect((parsed.from as AddressObject).value).toEqual([{ name: 'Compliance', address: 'compliance@harbourledger.example' }]);

  // multipart/alternative with text/plain and text/html in UTF-8, decoding to what was rendered.
  const { contentType, parts } = mimeParts(raw);
  expect(contentType).toMatch(/^multipart\/alternative;/);
  expect(headers.get('mime-version')).toEqual(['1.0']);
  expect(parts.map((p) => p.headers.get('content-type')?.[0])).toEqual(['text/plain; charset=utf-8', 'text/html; charset=utf-8']);
  const [textPart, htmlPart] = parts as [Part, Part];
  expect(decode(textPart)).toBe(rendered.text);
  expect(decode(htmlPart)).toBe(rendered.html);
  expect(parsed.text).toBe(rendered.text);
  expect(parsed.html).toBe(rendered.html);

  // Message-ID and Date, and the id the mailer returned is the one in the file.
  expect(headers.get('message-id')).toEqual([sent.messageId]);
  expect(sent.messageId).toMatch(/^<[^<>@\s]+@[^<>@\s]+>$/);
  expect(parsed.messageId).toBe(sent.messageId);
  const date = headers.get('date')?.[0] as string;
  expect(date).toMatch(/^[A-Z][a-z]{2}, \d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$/);
  expect(Math.abs(Date.parse(date) - Date.now())).toBeLessThan(5 * 60_000);

  // Written whole: the .eml only, no .tmp left behind.
  expect(readdirSync(sent.dir).filter((f) => !f.endsWith('.eml'))).toEqual([]);
  expect(path.basename(sent.file)).toContain(input.recipient.email);
}

describe('outbox mail MIME', () => {
  it('a Traditional Chinese notice: RFC 2047 headers, UTF-8 parts equal to the rendered mail, lines within 998', async () => {
    const sent = await sendToOutbox(ZH, { 'X-Compliance-Run': 'evidence-sweep-harbour-ledger-2026-12-07' });
    checkWellFormed(sent, ZH);

    const headers = rawHeaders(sent.raw);
    const subject = headers.get('subject')?.[0] as string;
    // Only encoded-words, in UTF-8.
    expect(subject).toMatch(/^=\?UTF-8\?[BQ]\?/i);
    expect(subject).toMatch(/^(=\?UTF-8\?[BQ]\?[^?\s]*\?=\s*)+$/i);
    expect(sent.parsed.subject).toBe('[Harbour Ledger Trading Limited (港灣賬簿貿易有限公司)] 證據需要處理：1 項已過期、1 項即將到期、1 項已升級');
    // The display name is encoded too; the address stays readable.
    const to = headers.get('to')?.[0] as string;
    expect(to).toMatch(/^=\?UTF-8\?[BQ]\?.+\?=\s*<raymond\.wong@harbourledger\.example>$/i);
    expect((sent.parsed.to as AddressObject).value[0]?.name).toBe('黃兆明 Raymond Wong');
    // Chinese titles, the escaped HTML and the long location all came through.
    expect(sent.parsed.text).toContain('颱風及黑色暴雨警告下的遙距營運程序（ev-029）');
    expect(sent.parsed.text).toContain('第 1 次提醒');
    expect(sent.parsed.html).toContain('備份還原測試 - DingTalk 及 SharePoint 文件庫 &lt;2026年第二季&gt; &amp; &quot;全部&quot;');
    expect(sent.parsed.text).toContain(LONG_LOCATION);
    expect(Math.max(...sent.rendered.text.split('\n').map((l) => l.length))).toBeGreaterThan(998); // so the 998 check means something
    // Extra headers are kept.
    expect(headers.get('x-compliance-run')).toEqual(['evidence-sweep-harbour-ledger-2026-12-07']);
  });

  it('an English notice', async () => {
    const sent = await sendToOutbox(EN);
    checkWellFormed(sent, EN);
    expect(sent.parsed.subject).toBe('[Harbour Ledger] Evidence needs your attention: 1 due soon');
    expect(sent.parsed.text).toContain('Dear Ada Chan,');
    expect(sent.parsed.text).toContain('ends in 10 days');
    // Plain ASCII needs no encoding: the headers read as written.
    const headers = rawHeaders(sent.raw);
    expect(headers.get('to')).toEqual(['Ada Chan <ada.chan@harbourledger.example>']);
    expect(headers.get('subject')).toEqual(['[Harbour Ledger] Evidence needs your attention: 1 due soon']);
  });

  it('gives each mail its own file and Message-ID', async () => {
    const dir = tempDir('mail-mime-');
    const mailer = createMailer({ transport: 'outbox', from: FROM, outboxDir: dir });
    const rendered = renderNoticeMail(EN);
    const ids = await Promise.all(
      [1, 2, 3].map(() => mailer.send({ to: { name: EN.recipient.name, email: EN.recipient.email }, ...rendered })),
    );
    const files = readdirSync(dir);
    expect(files.filter((f) => f.endsWith('.eml'))).toHaveLength(3);
    expect(files).toHaveLength(3);
    const fileIds = await Promise.all(files.map(async (f) => (await simpleParser(readFileSync(path.join(dir, f)))).messageId));
    expect(new Set(ids.map((i) => i.messageId)).size).toBe(3);
    expect(new Set(fileIds)).toEqual(new Set(ids.map((i) => i.messageId)));
  });
});
