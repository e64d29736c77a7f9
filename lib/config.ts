// The validated configuration: the only place that reads the environment (on
// AWS, serverless.yml sets it; locally the CLI adds its flags). A bad value is
// refused with the variable's name and the reason.
import { z } from 'zod';
import { NOT_A_MOMENT, parseNow } from './domain/dates.ts';
import { InputError } from './errors.ts';
import { stateMachineNames, WORKFLOW_NAMES, type WorkflowName } from './workflows/declarations.ts';

// An RFC 5322 mailbox: `addr@domain`, or a display name (words, quoted strings; UTF-8
// allowed, RFC 6532) before `<addr@domain>`. Anything else (`nobody`, a list) would be
// sent with no From header at all, or a wrong one.
const ATEXT = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]";
const DOT_ATOM = String.raw`${ATEXT}+(?:\.${ATEXT}+)*`;
const QUOTED = String.raw`"(?:[^"\\\r\n]|\\[^\r\n])*"`;
const ADDRESS = String.raw`(?:${DOT_ATOM}|${QUOTED})@(?:${DOT_ATOM}|\[[^\[\]\\\s]+\])`;
const NAME_WORD = String.raw`(?:[^\s"(),:;<>@\[\]\\\u0000-\u001f\u007f]+|${QUOTED})`;
const MAILBOX = new RegExp(String.raw`^(?:${ADDRESS}|(?:${NAME_WORD}(?:[ \t]+${NAME_WORD})*[ \t]*)?<${ADDRESS}>)$`, 'u');

/** An SMTP relay's URL, as nodemailer takes it; the value is never quoted back (it may hold a password). */
function isSmtpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'smtp:' || url.protocol === 'smtps:') && url.hostname !== '';
  } catch {
    return false;
  }
}

const Env = z.object({
  COMPLIANCE_TABLE: z.string().min(3).default('compliance-local'),
  DYNAMODB_ENDPOINT: z.url().optional(),
  AWS_REGION: z.string().min(1).default('ap-east-1'),
  /** Where SES sends from, when not the Lambda's own region (SES has no endpoint in every region: none in ap-east-1). */
  SES_REGION: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region such as ap-southeast-1').optional(),
  MAIL_TRANSPORT: z.enum(['outbox', 'smtp', 'ses']).default('outbox'),
  MAIL_FROM: z
    .string()
    .regex(MAILBOX, 'must be a mailbox: addr@domain or "Name <addr@domain>"')
    .default('Compliance <compliance@localhost>'),
  SMTP_URL: z.string().refine(isSmtpUrl, 'must be an smtp:// or smtps:// URL, e.g. smtps://mail.example.com:465').optional(),
  OUTBOX_DIR: z.string().default('outbox'),
  COMPLIANCE_HASH_KEY: z.string().min(16, 'must be at least 16 characters').optional(),
  /** On AWS: an SSM Parameter Store SecureString holding the hash key. */
  HASH_KEY_PARAMETER: z.string().min(1).optional(),
  /** On AWS: the asymmetric KMS key (ECC_NIST_P256, SIGN_VERIFY) that signs audit-package manifests; locally the data directory's own key does. */
  MANIFEST_KEY_ID: z.string().min(1).optional(),
  /** On AWS: the private bucket audit packages are handed over from (a short-lived link to each); unset: a package is the response itself. */
  EXPORTS_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "must be an S3 bucket's name (3 to 63 lower-case letters, digits, dots and hyphens)").optional(),
  /** Sends per second for the SES and SMTP mailers, per process (the outbox is not limited). */
  MAIL_MAX_PER_SECOND: z.coerce
    .number({ error: 'must be a number of mails per second, e.g. 5' })
    .positive({ error: 'must be more than 0 mails per second' })
    .default(5),
  /** The clock, for testing date rules (the CLI's --now). */
  COMPLIANCE_NOW: z
    .string()
    .superRefine((value, ctx) => {
      try {
        parseNow(value);
      } catch {
        ctx.addIssue({ code: 'custom', message: `"${value}" ${NOT_A_MOMENT}` });
      }
    })
    .optional(),
  /** Where the web pages are (links in mails, sign-in links); locally compliance serve's address. */
  WEB_BASE_URL: z.url().optional(),
  /** On AWS: the Cognito user pool's issuer and app client, and its hosted sign-in page. */
  COGNITO_ISSUER: z.url().optional(),
  COGNITO_CLIENT_ID: z.string().min(1).optional(),
  COGNITO_DOMAIN: z.url().optional(),
  /** Print stack traces of unexpected errors. */
  DEBUG: z.string().optional(),
});

export type Config = z.infer<typeof Env> & {
  /** Each workflow's state machine (the starter's environment on AWS). */
  stateMachineArns: Partial<Record<WorkflowName, string>>;
};

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const given = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const result = Env.safeParse(given);
  if (!result.success) {
    throw new InputError(result.error.issues.map((i) => `environment ${i.path.join('.')}: ${i.message}`).join('\n'));
  }
  if (result.data.MAIL_TRANSPORT === 'smtp' && !result.data.SMTP_URL) {
    throw new InputError('environment SMTP_URL: is required when MAIL_TRANSPORT is smtp (e.g. smtps://user:pass@mail.example.com)');
  }
  const stateMachineArns: Config['stateMachineArns'] = {};
  for (const name of WORKFLOW_NAMES) {
    const arn = given[stateMachineNames(name).arnVariable];
    if (arn) stateMachineArns[name] = arn;
  }
  return { ...result.data, stateMachineArns };
}

export type MailConfig =
  | { transport: 'outbox'; from: string; outboxDir: string }
  | { transport: 'smtp'; from: string; smtpUrl: string; maxPerSecond: number; retryBaseMs?: number }
  | { transport: 'ses'; from: string; region: string; maxPerSecond: number; retryBaseMs?: number };

export function mailConfig(config: Config): MailConfig {
  switch (config.MAIL_TRANSPORT) {
    case 'smtp':
      return { transport: 'smtp', from: config.MAIL_FROM, smtpUrl: config.SMTP_URL as string, maxPerSecond: config.MAIL_MAX_PER_SECOND };
    case 'ses':
      return { transport: 'ses', from: config.MAIL_FROM, region: config.SES_REGION ?? config.AWS_REGION, maxPerSecond: config.MAIL_MAX_PER_SECOND };
    case 'outbox':
      return { transport: 'outbox', from: config.MAIL_FROM, outboxDir: config.OUTBOX_DIR };
  }
}
