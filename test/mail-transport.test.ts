// The SMTP mailer against a real SMTP server (smtp-server, by nodemailer's authors)
// on loopback: what arrives is what was sent, throttling (421/454) is retried and a
// rejection is not, and sends are spaced to MAIL_MAX_PER_SECOND; the outbox is not.
import { readdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { simpleParser, type AddressObject } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { InputError } from '../lib/errors.ts';
import { createMailer, createRateLimiter } from '../lib/adapters/mail/transport.ts';
import type { OutgoingMail } from '../lib/usecases/ports.ts';
import { mailConfig, readConfig as readEnv } from '../lib/config.ts';
import { tempDir } from './support/temp-dir.ts';

const FROM = 'Compliance <compliance@harbourledger.example>';

const MAIL: OutgoingMail = {
  to: { name: '黃兆明 Raymond Wong', email: 'raymond.wong@harbourledger.example' },
  subject: '[Harbour Ledger] 證據需要處理：1 項已過期',
  text: 'Dear Raymond,\n\n資訊保安政策員工簽閱紀錄 2026 lapsed on 2026-11-22.\n',
  html: '<p>Dear Raymond,</p>\n<p>資訊保安政策員工簽閱紀錄 2026 lapsed on <b>2026-11-22</b>.</p>\n',
  headers: { 'X-Compliance-Run': 'evidence-sweep-harbour-ledger-2026-12-07' },
};

const mailTo = (i: number): OutgoingMail => ({ ...MAIL, to: { name: `Owner ${i}`, email: `owner${i}@harbourledger.example` } });

const smtpError = (responseCode: number, message: string) => Object.assign(new Error(message), { responseCode });

interface Received {
  mailFrom: string;
  rcptTo: string[];
  raw: Buffer;
}

interface TestSmtp {
  /** smtp:// URL of the server, with STARTTLS ignored (the server is plain text). */
  url: string;
  /** performance.now() at each MAIL FROM: one per attempt, since each send opens its own connection. */
  mailFroms: number[];
  received: Received[];
}

const servers: SMTPServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
});

/** A plain SMTP server on 127.0.0.1; `rcptReply(n)` may refuse the n-th RCPT TO (1-based). */
async function startSmtp(rcptReply: (n: number) => Error | undefined = () => undefined): Promise<TestSmtp> {
  const state: TestSmtp = { url: '', mailFroms: [], received: [] };
  let rcpts = 0;
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    closeTimeout: 2000,
    onMailFrom(_address, _session, callback) {
      state.mailFroms.push(performance.now());
      callback();
    },
    onRcptTo(_address, _session, callback) {
      callback(rcptReply(++rcpts) ?? null);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        state.received.push({
          mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          rcptTo: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks),
        });
        callback();
      });
    },
  });
  servers.push(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  state.url = `smtp://127.0.0.1:${port}?ignoreTLS=true`;
  return state;
}

describe('SMTP mailer against a loopback SMTP server', () => {
  it('delivers the mail: subject, to, text, html and headers as sent, and the Message-ID it returns', async () => {
    const smtp = await startSmtp();
    const mailer = createMailer({ transport: 'smtp', from: FROM, smtpUrl: smtp.url, maxPerSecond: 5 });

    const { messageId } = await mailer.send(MAIL);

    expect(smtp.received).toHaveLength(1);
    const [got] = smtp.received as [Received];
    expect(got.mailFrom).toBe('compliance@harbourledger.example');
    expect(got.rcptTo).toEqual(['raymond.wong@harbourledger.example']);
    const parsed = await simpleParser(got.raw);
    expect(parsed.subject).toBe(MAIL.subject);
    expect((parsed.to as AddressObject).value).toEqual([{ name: MAIL.to.name, address: MAIL.to.email }]);
    expect((parsed.from as AddressObject).value).toEqual([{ name: 'Compliance', address: 'compliance@harbourledger.example' }]);
    expect(parsed.text).toBe(MAIL.text);
    expect(parsed.html).toBe(MAIL.html);
    expect(parsed.headers.get('x-compliance-run')).toBe('evidence-sweep-harbour-ledger-2026-12-07');
    expect(messageId).toMatch(/^<[^<>@\s]+@[^<>@\s]+>$/);
    expect(parsed.messageId).toBe(messageId);
    expect(smtp.mailFroms).toHaveLength(1);
  });

  it('retries throttling: two 421 replies to RCPT TO, then accepted on the third attempt', async () => {
    const smtp = await startSmtp((n) => (n <= 2 ? smtpError(421, '4.7.0 Try again later') : undefined));
    const mailer = createMailer({ transport: 'smtp', from: FROM, smtpUrl: smtp.url, maxPerSecond: 50, retryBaseMs: 10 });

    const { messageId } = await mailer.send(MAIL);

    expect(smtp.mailFroms).toHaveLength(3);
    expect(smtp.received).toHaveLength(1);
    expect((await simpleParser(smtp.received[0]!.raw)).messageId).toBe(messageId);
  });

  it('retries 454 too, and gives up after 5 attempts with the server reply', async () => {
    const smtp = await startSmtp(() => smtpError(454, '4.7.0 Temporary rate limit'));
    const mailer = createMailer({ transport: 'smtp', from: FROM, smtpUrl: smtp.url, maxPerSecond: 50, retryBaseMs: 10 });

    await expect(mailer.send(MAIL)).rejects.toThrow(/454/);
    expect(smtp.mailFroms).toHaveLength(5);
    expect(smtp.received).toHaveLength(0);
  });

  it('does not retry a rejection (550)', async () => {
    const smtp = await startSmtp(() => smtpError(550, '5.1.1 mailbox unavailable'));
    const mailer = createMailer({ transport: 'smtp', from: FROM, smtpUrl: smtp.url, maxPerSecond: 50, retryBaseMs: 10 });

    const error = await mailer.send(MAIL).then(
      () => undefined,
      (e: unknown) => e as Error & { responseCode?: number },
    );
    expect(error).toBeInstanceOf(Error);
    expect(error?.message).toContain('550');
    expect(error?.message).toContain('mailbox unavailable');
    expect(error?.responseCode).toBe(550);
    expect(smtp.mailFroms).toHaveLength(1);
    expect(smtp.received).toHaveLength(0);
  });

  it('does not retry a rejection whose text happens to contain 421 (the reply code decides)', async () => {
    const smtp = await startSmtp(() => smtpError(550, '5.1.1 <owner421@harbourledger.example> mailbox unavailable'));
    const mailer = createMailer({ transport: 'smtp', from: FROM, smtpUrl: smtp.url, maxPerSecond: 50, retryBaseMs: 10 });

    await expect(mailer.send(mailTo(421))).rejects.toThrow(/550.*owner421/);
    expect(smtp.mailFroms).toHaveLength(1);
  });

  it('keeps to maxPerSecond: 10 concurrent sends at 5/s, no more than 5 begin in any one second', async () => {
    const smtp = await startSmtp();
    // Warm up the client and server code paths on a mailer of its own (its own limiter),
    // so a slow first connection does not skew the timings measured below.
    await createMailer({ transport: 'smtp', from: FROM, smtpUrl: smtp.url, maxPerSecond: 5 }).send(mailTo(0));
    smtp.mailFroms.length = 0;
    smtp.received.length = 0;

    const mailer = createMailer({ transport: 'smtp', from: FROM, smtpUrl: smtp.url, maxPerSecond: 5 });
    const started = performance.now();
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => mailer.send(mailTo(i + 1))));
    const elapsed = performance.now() - started;

    expect(new Set(results.map((r) => r.messageId)).size).toBe(10);
    expect(smtp.received).toHaveLength(10);
    expect(smtp.received.flatMap((r) => r.rcptTo).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `owner${i + 1}@harbourledger.example`).sort(),
    );
    const starts = [...smtp.mailFroms].sort((a, b) => a - b);
    expect(starts).toHaveLength(10);
    // The limiter spaces starts 200 ms apart, so the 1st and 6th of any six are >= 1 s apart
    // when they leave the client; the server sees them after a connection and EHLO, so allow
    // 50 ms of network jitter. Without a limiter all ten arrive within a few ms.
    const JITTER = 50;
    for (let i = 0; i + 5 < starts.length; i++) {
      expect(starts[i + 5]! - starts[i]!, `MAIL FROM ${i + 1} to ${i + 6}`).toBeGreaterThanOrEqual(1000 - JITTER);
    }
    // Nine gaps of 200 ms.
    expect(starts[9]! - starts[0]!).toBeGreaterThanOrEqual(1800 - JITTER);
    expect(elapsed).toBeGreaterThanOrEqual(1800);
  });

  it('the outbox is not limited: 10 concurrent sends finish well within a second', async () => {
    const dir = tempDir('mail-transport-');
    const mailer = createMailer({ transport: 'outbox', from: FROM, outboxDir: dir });
    await mailer.send(mailTo(0)); // warm-up
    const started = performance.now();
    await Promise.all(Array.from({ length: 10 }, (_, i) => mailer.send(mailTo(i + 1))));
    // At 5/s these would take 1.8 s; unlimited they take milliseconds.
    expect(performance.now() - started).toBeLessThan(1000);
    expect(readdirSync(dir).filter((f) => f.endsWith('.eml'))).toHaveLength(11);
  });
});

describe('rate limiter', () => {
  it('lets concurrent callers through one at a time, at least 1/maxPerSecond s apart', async () => {
    const limiter = createRateLimiter(20); // 50 ms apart
    const released: number[] = [];
    await Promise.all(Array.from({ length: 8 }, () => limiter.take().then(() => released.push(performance.now()))));
    expect(released).toHaveLength(8);
    const gaps = released.slice(1).map((t, i) => t - released[i]!);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(50);
    // The first is let through at once.
    expect(released[7]! - released[0]!).toBeGreaterThanOrEqual(350);
  });

  it('refuses a rate that is not a positive number', () => {
    expect(() => createRateLimiter(0)).toThrow(RangeError);
    expect(() => createRateLimiter(-1)).toThrow(RangeError);
    expect(() => createRateLimiter(Number.NaN)).toThrow(RangeError);
    expect(() => createMailer({ transport: 'smtp', from: FROM, smtpUrl: 'smtp://127.0.0.1:25', maxPerSecond: 0 })).toThrow(/maxPerSecond/);
  });
});

describe('MAIL_MAX_PER_SECOND', () => {
  it('defaults to 5 and is passed to the SMTP and SES mailer config', () => {
    expect(readEnv({}).MAIL_MAX_PER_SECOND).toBe(5);
    expect(readEnv({ MAIL_MAX_PER_SECOND: '' }).MAIL_MAX_PER_SECOND).toBe(5);
    expect(readEnv({ MAIL_MAX_PER_SECOND: '2.5' }).MAIL_MAX_PER_SECOND).toBe(2.5);
    expect(mailConfig(readEnv({ MAIL_TRANSPORT: 'smtp', SMTP_URL: 'smtp://relay.example', MAIL_MAX_PER_SECOND: '3' }))).toMatchObject({
      transport: 'smtp',
      maxPerSecond: 3,
    });
    expect(mailConfig(readEnv({ MAIL_TRANSPORT: 'ses', MAIL_MAX_PER_SECOND: '3' }))).toMatchObject({ transport: 'ses', maxPerSecond: 3 });
    expect(mailConfig(readEnv({ MAIL_TRANSPORT: 'ses' }))).toMatchObject({ transport: 'ses', maxPerSecond: 5 });
  });

  it.each(['0', '-1', 'abc', 'Infinity'])('refuses %j, naming the variable', (value) => {
    let error: unknown;
    try {
      readEnv({ MAIL_MAX_PER_SECOND: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(/^environment MAIL_MAX_PER_SECOND: /);
  });
});
