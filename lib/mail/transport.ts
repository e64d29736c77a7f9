// Sending mail through nodemailer: SES v2 on AWS, SMTP where a company relays its
// own mail, and locally an outbox folder of .eml files that any mail client opens.
import { randomUUID } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import nodemailer, { type Transporter } from 'nodemailer';

export interface OutgoingMail {
  to: { name: string; email: string };
  subject: string;
  text: string;
  html: string;
  /** Extra headers, e.g. the run and notice keys, for tracing a mail back. */
  headers?: Record<string, string>;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
}

export type MailConfig =
  | { transport: 'outbox'; from: string; outboxDir: string }
  | { transport: 'smtp'; from: string; smtpUrl: string }
  | { transport: 'ses'; from: string; region?: string };

/** Throttling is retried with backoff; a rejection (bad address, unverified sender) is not. */
const THROTTLED = /Throttl|TooManyRequests|Too Many Requests|rate exceeded|421|454/i;

async function withThrottleRetry<T>(send: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await send();
    } catch (error) {
      const e = error as Error & { code?: string; responseCode?: number };
      const throttled = THROTTLED.test(`${e.name} ${e.code ?? ''} ${e.responseCode ?? ''} ${e.message}`);
      if (!throttled || attempt >= attempts) throw error;
      await new Promise((r) => setTimeout(r, Math.min(5000, 200 * 2 ** attempt) * (0.5 + Math.random() / 2)));
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

function transportMailer(from: string, transport: Transporter): Mailer {
  return {
    async send(mail) {
      const info = await withThrottleRetry(() => transport.sendMail(message(from, mail)));
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

export function createMailer(config: MailConfig): Mailer {
  switch (config.transport) {
    case 'outbox':
      return outboxMailer(config.from, config.outboxDir);
    case 'smtp':
      return transportMailer(config.from, nodemailer.createTransport(config.smtpUrl));
    case 'ses': {
      const sesClient = new SESv2Client(config.region ? { region: config.region } : {});
      return transportMailer(config.from, nodemailer.createTransport({ SES: { sesClient, SendEmailCommand } }));
    }
  }
}
