// Sending mail through nodemailer: SES v2 on AWS, SMTP where a company relays its
// own mail, and locally an outbox folder of .eml files that any mail client opens.
import { randomUUID } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import nodemailer, { type Transporter } from 'nodemailer';
import type { MailConfig } from '../../config.ts';
import type { Mailer, OutgoingMail } from '../../usecases/ports.ts';

/**
 * How fast a mailer may send. nodemailer (7 and later) no longer rate-limits SES,
 * so the SES and SMTP mailers space their sends themselves; the outbox is not limited.
 * At most `maxPerSecond` sends (each attempt, retries included) begin in any one
 * second; the first retry after throttling waits `retryBaseMs` (default 200 ms),
 * doubled each attempt and capped at 5 s.
 */
type Pacing = Pick<Extract<MailConfig, { transport: 'smtp' }>, 'maxPerSecond' | 'retryBaseMs'>;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The time a mailer paces its sends by, and waits on: the monotonic clock unless a test gives its own. */
export interface MailClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const REAL_CLOCK: MailClock = { now: () => performance.now(), sleep };

export interface RateLimiter {
  /** Resolves when the caller may begin one send. */
  take(): Promise<void>;
}

/**
 * Spaces starts at least 1/maxPerSecond s apart, so no more than maxPerSecond begin
 * in any one-second window. Callers are served in turn (a promise chain), so
 * concurrent `take()`s cannot claim the same slot; the spacing is measured from when
 * the previous caller was actually let through, on `now` (the monotonic clock unless given one).
 */
export function createRateLimiter(maxPerSecond: number, now: () => number = REAL_CLOCK.now, wait: (ms: number) => Promise<void> = sleep): RateLimiter {
  if (!(Number.isFinite(maxPerSecond) && maxPerSecond > 0)) {
    throw new RangeError(`mail maxPerSecond must be a positive number, got ${maxPerSecond}`);
  }
  const interval = 1000 / maxPerSecond;
  let next = -Infinity; // the earliest time the next start may happen
  let tail: Promise<void> = Promise.resolve();
  return {
    take() {
      const turn = tail.then(async () => {
        // A timer may fire a fraction of a millisecond early: wait until the slot has really come.
        for (let ms = next - now(); ms > 0; ms = next - now()) await wait(ms);
        next = now() + interval;
      });
      tail = turn;
      return turn;
    },
  };
}

/** Throttling is retried with backoff; a rejection (bad address, unverified sender) is not. */
const THROTTLED = /Throttl|TooManyRequests|Too Many Requests|rate exceeded/i;
const SMTP_THROTTLED = new Set([421, 454]);

function isThrottled(error: unknown): boolean {
  const e = error as Error & { code?: string; responseCode?: number };
  // An SMTP reply: its code decides (the text may name an address or id with "421" in it).
  if (typeof e?.responseCode === 'number') return SMTP_THROTTLED.has(e.responseCode);
  return THROTTLED.test(`${e?.name} ${e?.code ?? ''} ${e?.message}`);
}

async function withThrottleRetry<T>(send: () => Promise<T>, clock: MailClock, retryBaseMs = 200, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await send();
    } catch (error) {
      if (!isThrottled(error) || attempt >= attempts) throw error;
      await clock.sleep(Math.min(5000, retryBaseMs * 2 ** attempt) * (0.5 + Math.random() / 2));
    }
  }
}

function outboxMailer(from: string, outboxDir: string): Mailer {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async send(mail) {
      const info = await transport.sendMail(message(from, mail));
      mkdirSync(outboxDir, { recursive: true });
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const slug = mail.to.email.replace(/[^A-Za-z0-9@._-]/g, '_');
      const file = path.join(outboxDir, `${stamp}-${slug}-${randomUUID().slice(0, 8)}.eml`);
      // Write then rename, so a reader never sees half a message.
      writeFileSync(`${file}.tmp`, info.message as Buffer);
      renameSync(`${file}.tmp`, file);
      return { messageId: info.messageId };
    },
  };
}

function transportMailer(from: string, transport: Transporter, pacing: Pacing, clock: MailClock): Mailer {
  // One limiter for all sends of this mailer; every attempt, retries included, takes a slot.
  const limiter = createRateLimiter(pacing.maxPerSecond, clock.now, clock.sleep);
  return {
    async send(mail) {
      const info = await withThrottleRetry(async () => {
        await limiter.take();
        return transport.sendMail(message(from, mail));
      }, clock, pacing.retryBaseMs);
      return { messageId: info.messageId };
    },
  };
}

function message(from: string, mail: OutgoingMail) {
  return {
    from,
    to: { name: mail.to.name, address: mail.to.email },
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    headers: mail.headers ?? {},
    textEncoding: 'base64' as const,
  };
}

/** `clock`: what the SMTP and SES mailers pace and back off by (tests give a fake one); the outbox never waits. */
export function createMailer(config: MailConfig, clock: MailClock = REAL_CLOCK): Mailer {
  switch (config.transport) {
    case 'outbox':
      return outboxMailer(config.from, config.outboxDir);
    case 'smtp':
      return transportMailer(config.from, nodemailer.createTransport(config.smtpUrl), config, clock);
    case 'ses': {
      const sesClient = new SESv2Client({ region: config.region });
      return transportMailer(config.from, nodemailer.createTransport({ SES: { sesClient, SendEmailCommand } }), config, clock);
    }
  }
}
