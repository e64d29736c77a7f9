// What a CLI command works against: DynamoDB Local started on demand with its
// data on disk (so successive commands see the same data), or the DynamoDB that
// --endpoint / DYNAMODB_ENDPOINT names; mail to the configured transport.
//
// Starting DynamoDB Local (a JVM: two seconds and more) is what a command waits on, so
// it is started first and the store, mail and workflow modules (half a second more)
// load while it starts, on the other core: they are imported in openSession, not here.
import path from 'node:path';
import { parseNow } from '../domain/dates.ts';
import { launchDynamoLocal, type LocalDynamo } from '../adapters/local/dynamodb-local.ts';
import { mailConfig, readConfig } from '../config.ts';
import type { Runtime } from '../runtime.ts';

/** Where `compliance serve` answers by default: the mails' links point there locally. */
export const LOCAL_WEB_BASE_URL = 'http://127.0.0.1:8787';

export interface GlobalOptions {
  endpoint?: string;
  /** Use the deployed table on AWS with the default credentials. */
  aws?: boolean;
  table?: string;
  dataDir: string;
  outbox?: string;
  now?: string;
  format: 'human' | 'table' | 'json' | 'csv';
}

export interface Session {
  rt: Runtime;
  now: Date;
  /**
   * The clock of a command that keeps running (serve): with --now or COMPLIANCE_NOW it reads
   * that moment when the command began and runs on from there; without, the system clock.
   */
  clock(): Date;
  /** Where mail went, when it went to the outbox. */
  outboxDir?: string;
  close(): Promise<void>;
}

/** The moment a command works at: --now or COMPLIANCE_NOW when given (not empty), else the system clock. */
export function sessionNow(value: string | undefined): Date {
  return value ? parseNow(value) : new Date();
}

export async function openSession(options: GlobalOptions): Promise<Session> {
  // Taken before DynamoDB Local starts (seconds): a clock set from after it would run that much slow.
  const began = Date.now();
  // --now is checked first, under its own name: it stands in for COMPLIANCE_NOW below,
  // whose own errors name the variable.
  if (options.now) parseNow(options.now);
  const env = readConfig({
    ...process.env,
    ...(options.endpoint ? { DYNAMODB_ENDPOINT: options.endpoint } : {}),
    ...(options.table ? { COMPLIANCE_TABLE: options.table } : {}),
    ...(options.outbox ? { OUTBOX_DIR: options.outbox } : {}),
    ...(options.now ? { COMPLIANCE_NOW: options.now } : {}),
  });
  const now = sessionNow(env.COMPLIANCE_NOW);
  const clock = env.COMPLIANCE_NOW ? () => new Date(now.getTime() + (Date.now() - began)) : () => new Date();
  const starting = env.DYNAMODB_ENDPOINT || options.aws ? undefined : (await launchDynamoLocal({ dataDir: options.dataDir })).serving;
  let local: LocalDynamo | undefined;
  try {
    const [{ createRuntime }, { createStore }, { ensureTable }, { lazyMailer, lazySourceReaders }, { hashKeySource }, { localHashKey }, { withLocalStarter }] = await Promise.all([
      import('../runtime.ts'),
      import('../adapters/dynamodb/client.ts'),
      import('../adapters/dynamodb/table-definition.ts'),
      import('../adapters/lazy-adapters.ts'),
      import('../adapters/aws/ssm-hash-key.ts'),
      import('../adapters/local/local-hash-key.ts'),
      import('../adapters/local/workflow-runner.ts'),
      starting?.then((started) => (local = started)),
    ]);
        const endpoint = env.DYNAMODB_ENDPOINT ?? local?.endpoint;
    const store = createStore({ tableName: env.COMPLIANCE_TABLE, region: env.AWS_REGION, ...(endpoint ? { endpoint } : {}) });
    // Locally (DynamoDB Local or another endpoint) the table is created from serverless.yml; on AWS it is deployed.
    if (!options.aws) await ensureTable(store);
    const mail = mailConfig(env);
    return {
      rt: withLocalStarter(createRuntime({ store, mailer: lazyMailer(mail), readers: lazySourceReaders({ region: env.AWS_REGION }), hashKey: env.COMPLIANCE_HASH_KEY || env.HASH_KEY_PARAMETER ? hashKeySource(env) : localHashKey(options.dataDir), webBaseUrl: env.WEB_BASE_URL ?? LOCAL_WEB_BASE_URL })),
      now,
      clock,
      ...(mail.transport === 'outbox' ? { outboxDir: path.resolve(mail.outboxDir) } : {}),
      close: async () => {
        store.doc.destroy();
        await local?.stop();
      },
    };
  } catch (error) {
    // (DynamoDB Local may still be starting when a module fails to load)
    await starting?.then((started) => started.stop(), () => undefined);
    throw error;
  }
}
