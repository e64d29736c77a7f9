// What the handlers work with: the store and the mailer, built once per process
// from the environment (on AWS, serverless.yml sets it), or set by the CLI and
// tests so the same handlers run locally.
import { z } from 'zod';
import { InputError } from './errors.ts';
import { createMailer, type Mailer, type MailConfig } from './adapters/mail/transport.ts';
import { createStore, type Store } from './adapters/dynamodb/client.ts';

export interface Runtime {
  store: Store;
  mailer: Mailer;
  /** The key for keyed hashes of scan findings (HMAC-SHA-256). */
  hashKey: () => Promise<string>;
  /** Wall-clock time for leases and audit stamps (date rules use each run's own `now`). */
  clock: () => Date;
}

const Env = z.object({
  COMPLIANCE_TABLE: z.string().min(3).default('compliance-local'),
  DYNAMODB_ENDPOINT: z.url().optional(),
  MAIL_TRANSPORT: z.enum(['outbox', 'smtp', 'ses']).default('outbox'),
  MAIL_FROM: z.string().min(3).default('Compliance <compliance@localhost>'),
  SMTP_URL: z.string().optional(),
  OUTBOX_DIR: z.string().default('outbox'),
  COMPLIANCE_HASH_KEY: z.string().min(16, 'must be at least 16 characters').optional(),
  /** On AWS: an SSM Parameter Store SecureString holding the hash key. */
  HASH_KEY_PARAMETER: z.string().min(1).optional(),
  /** Sends per second for the SES and SMTP mailers, per process (the outbox is not limited). */
  MAIL_MAX_PER_SECOND: z.coerce
    .number({ error: 'must be a number of mails per second, e.g. 5' })
    .positive({ error: 'must be more than 0 mails per second' })
    .default(5),
  AWS_REGION: z.string().optional(),
});

export type EnvConfig = z.infer<typeof Env>;

export function readEnv(env: NodeJS.ProcessEnv = process.env): EnvConfig {
  const result = Env.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!result.success) {
    throw new InputError(result.error.issues.map((i) => `environment ${i.path.join('.')}: ${i.message}`).join('\n'));
  }
  if (result.data.MAIL_TRANSPORT === 'smtp' && !result.data.SMTP_URL) {
    throw new InputError('environment SMTP_URL: is required when MAIL_TRANSPORT is smtp (e.g. smtps://user:pass@mail.example.com)');
  }
  return result.data;
}

export function mailConfig(env: EnvConfig): MailConfig {
  switch (env.MAIL_TRANSPORT) {
    case 'smtp':
      return { transport: 'smtp', from: env.MAIL_FROM, smtpUrl: env.SMTP_URL as string, maxPerSecond: env.MAIL_MAX_PER_SECOND };
    case 'ses':
      return {
        transport: 'ses',
        from: env.MAIL_FROM,
        maxPerSecond: env.MAIL_MAX_PER_SECOND,
        ...(env.AWS_REGION ? { region: env.AWS_REGION } : {}),
      };
    case 'outbox':
      return { transport: 'outbox', from: env.MAIL_FROM, outboxDir: env.OUTBOX_DIR };
  }
}

/** The hash key from the environment, or from SSM Parameter Store once per process. */
export function hashKeySource(env: EnvConfig): () => Promise<string> {
  let cached: Promise<string> | undefined;
  return () => {
    if (env.COMPLIANCE_HASH_KEY) return Promise.resolve(env.COMPLIANCE_HASH_KEY);
    const name = env.HASH_KEY_PARAMETER;
    if (!name) return Promise.reject(new InputError('environment COMPLIANCE_HASH_KEY or HASH_KEY_PARAMETER: one is required to hash scan findings'));
    cached ??= (async () => {
      const { SSMClient, GetParameterCommand } = await import('@aws-sdk/client-ssm');
      const result = await new SSMClient({}).send(new GetParameterCommand({ Name: name, WithDecryption: true }));
      const value = result.Parameter?.Value;
      if (!value || value.length < 16) throw new InputError(`SSM parameter ${name}: must hold a key of at least 16 characters`);
      return value;
    })();
    return cached;
  };
}

let current: Runtime | undefined;

export function runtime(): Runtime {
  if (!current) {
    const env = readEnv();
    current = {
      store: createStore({ tableName: env.COMPLIANCE_TABLE, ...(env.DYNAMODB_ENDPOINT ? { endpoint: env.DYNAMODB_ENDPOINT } : {}) }),
      mailer: createMailer(mailConfig(env)),
      hashKey: hashKeySource(env),
      clock: () => new Date(),
    };
  }
  return current;
}

export function setRuntime(next: Runtime | undefined): void {
  current = next;
}
