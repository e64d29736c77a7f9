// The SMTP mailer against a real SMTP server (smtp-server, by nodemailer's authors)
// on loopback: what arrives is what was sent, throttling (421/454) is retried and a
// rejection is not, and sends are spaced to MAIL_MAX_PER_SECOND; the outbox is not.
// Spacing is checked on a fake clock given to the mailer, at exact times, not timed.
import { readdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { simpleParser, type AddressObject } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { InputError } from '../lib/errors.ts';
import { createMailer, createRateLimiter, type MailClock } from '../lib/adapters/mail/transport.ts';
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
  /** The time at each MAIL FROM (startSmtp's `now`): one per attempt, since each send opens its own connection. */
  mailFroms: number[];
  received: Received[];
  /** Resolves once the server has seen `n` MAIL FROMs. */
  mailFromsReach(n: number): Promise<void>;
}

/**
 * A clock that moves only when the test moves it. Every wait asked of it is recorded
 * in `sleeps`; with `autoAdvance` a wait ends at once (the clock jumping ahead by it),
 * otherwise it is pending until `advance()`.
 */
function fakeClock({ autoAdvance = false } = {}) {
  let t = 0;
  const sleeps: number[] = [];
  const pending: { until: number; resolve: () => void }[] = [];
  const clock: MailClock = {
    now: () => t,
    sleep(ms) {
      sleeps.push(ms);
      if (autoAdvance) {
        t += ms;
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => pending.push({ until: t + ms, resolve }));
    },
  };
  return {
    clock,
    sleeps,
    /**
     * Once what is ready to run has run: expects exactly one wait pending, moves the clock
     * to its end (`short` ms before, as a timer firing early would) and ends it.
     */
    async advance(short = 0) {
      await new Promise((resolve) => setImmediate(resolve));
      expect(pending, 'waits pending').toHaveLength(1);
      const { until, resolve } = pending.shift()!;
      t = until - short;
      resolve();
      await new Promise((r) => setImmediate(r));
    },
  };
}

const servers: SMTPServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
});

/** A plain SMTP server on 127.0.0.1; `rcptReply(n)` may refuse the n-th RCPT TO (1-based). */
async function startSmtp(rcptReply: (n: number) => Error | undefined = () => undefined, now: () => number = () => performance.now()): Promise<TestSmtp> {
  const waiting: { n: number; resolve: () => void }[] = [];
  const state: TestSmtp = {
    url: '',
    mailFroms: [],
    received: [],
    mailFromsReach: (n) => (state.mailFroms.length >= n ? Promise.resolve() : new Promise((resolve) => waiting.push({ n, resolve }))),
  };
  let rcpts = 0;
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    closeTimeout: 2000,
    onMailFrom(_address, _session, callback) {
      state.mailFroms.push(now());
      for (const w of waiting.filter((w) => state.mailFroms.length >= w.n)) w.resolve();
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

  it('keeps to maxPerSecond: 10 concurrent sends at 5/s begin 200 ms apart on the mailer\'s clock, the first at once', async () => {
    const time = fakeClock();
    const smtp = await startSmtp(undefined, time.clock.now);
    const mailer = createMailer({ transport: 'smtp', from: FROM, smtpUrl: smtp.url, maxPerSecond: 5 }, time.clock);

    const sending = Promise.all(Array.from({ length: 10 }, (_, i) => mailer.send(mailTo(i + 1))));
    for (let k = 1; k < 10; k++) {
      await smtp.mailFromsReach(k);
      // The others wait for their slot: none begins until the clock reaches it.
      await time.advance();
      expect(smtp.mailFroms.length, `MAIL FROMs after ${k} slot(s)`).toBeLessThanOrEqual(k + 1);
    }
    const results = await sending;

    // Nine waits of 200 ms, so each MAIL FROM at its slot: no more than 5 begin in any one second.
    expect(time.sleeps).toEqual(Array(9).fill(200));
    expect(smtp.mailFroms).toEqual(Array.from({ length: 10 }, (_, i) => i * 200));
    expect(new Set(results.map((r) => r.messageId)).size).toBe(10);
    expect(smtp.received).toHaveLength(10);
    expect(smtp.received.flatMap((r) => r.rcptTo).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `owner${i + 1}@harbourledger.example`).sort(),
    );
  });

  it('the outbox is not limited: 10 concurrent sends never wait, on the mailer\'s clock or on a timer', async () => {
    const dir = tempDir('mail-transport-');
    const time = fakeClock({ autoAdvance: true });
    const mailer = createMailer({ transport: 'outbox', from: FROM, outboxDir: dir }, time.clock);
    const timers = vi.spyOn(globalThis, 'setTimeout');
    try {
      await Promise.all(Array.from({ length: 10 }, (_, i) => mailer.send(mailTo(i + 1))));
      expect(timers.mock.calls.filter(([, ms]) => (ms ?? 0) > 0)).toEqual([]);
    } finally {
      timers.mockRestore();
    }
    expect(time.sleeps).toEqual([]);
    expect(readdirSync(dir).filter((f) => f.endsWith('.eml'))).toHaveLength(10);
  });
});

describe('rate limiter', () => {
  it('lets concurrent callers through one at a time, 1/maxPerSecond s apart on its clock, the first at once', async () => {
    const time = fakeClock();
    const limiter = createRateLimiter(20, time.clock.now, time.clock.sleep); // 50 ms apart
    const released: number[] = [];
    const all = Promise.all(Array.from({ length: 8 }, () => limiter.take().then(() => released.push(time.clock.now()))));
    for (let k = 1; k < 8; k++) {
      await time.advance();
      expect(released).toHaveLength(k + 1);
    }
    await all;
    expect(released).toEqual([0, 50, 100, 150, 200, 250, 300, 350]);
    expect(time.sleeps).toEqual(Array(7).fill(50));
  });

  it('waits again when its wait ends before the slot (a timer firing early)', async () => {
    const time = fakeClock();
    const limiter = createRateLimiter(20, time.clock.now, time.clock.sleep);
    let second: number | undefined;
    await limiter.take();
    const taking = limiter.take().then(() => (second = time.clock.now()));
    await time.advance(0.25); // ends at 49.75
    expect(second).toBeUndefined();
    await time.advance();
    await taking;
    expect(second).toBe(50);
    expect(time.sleeps).toEqual([50, 0.25]);
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

describe('SES_REGION', () => {
  it("sends through SES in SES_REGION where given (none in ap-east-1), else the Lambda's own region", () => {
    expect(mailConfig(readEnv({ MAIL_TRANSPORT: 'ses', AWS_REGION: 'ap-east-1', SES_REGION: 'ap-southeast-1' }))).toMatchObject({ transport: 'ses', region: 'ap-southeast-1' });
    expect(mailConfig(readEnv({ MAIL_TRANSPORT: 'ses', AWS_REGION: 'eu-west-1' }))).toMatchObject({ transport: 'ses', region: 'eu-west-1' });
    expect(() => readEnv({ SES_REGION: 'singapore' })).toThrow(/^environment SES_REGION: must be an AWS region such as ap-southeast-1/);
  });
});
