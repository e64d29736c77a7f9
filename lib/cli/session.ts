// What a CLI command works against: DynamoDB Local started on demand with its
// data on disk (so successive commands see the same data), or the DynamoDB that
// --endpoint / DYNAMODB_ENDPOINT names; mail to the configured transport.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseNow } from '../domain/dates.ts';
import { startDynamoLocal } from '../adapters/local/dynamodb-local.ts';
import { createMailer } from '../adapters/mail/transport.ts';
import { hashKeySource, mailConfig, readEnv, type Runtime } from '../runtime.ts';
import { createStore } from '../adapters/dynamodb/client.ts';
import { ensureTable } from '../adapters/dynamodb/table-definition.ts';

export interface GlobalOptions {
  endpoint?: string;
  /** Use the deployed table on AWS with the default credentials. */
  aws?: boolean;
  table?: string;
  dataDir: string;
  outbox?: string;
  now?: string;
  format: 'human' | 'table' | 'json';
}

export interface Session {
  rt: Runtime;
  now: Date;
  /** Where mail went, when it went to the outbox. */
  outboxDir?: string;
  close(): Promise<void>;
}

/**
 * Locally, without a configured key, a random key kept beside the local data
 * (git-ignored), so distinct-people counts compare across local scans.
 */
function localHashKey(dataDir: string): () => Promise<string> {
  return async () => {
    const file = path.join(path.dirname(path.resolve(dataDir)), 'hash-key');
    if (!existsSync(file)) {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
    }
    return readFileSync(file, 'utf8').trim();
  };
}

export async function openSession(options: GlobalOptions): Promise<Session> {
  const now = parseNow(options.now ?? process.env.COMPLIANCE_NOW);
  const env = readEnv({
    ...process.env,
    ...(options.endpoint ? { DYNAMODB_ENDPOINT: options.endpoint } : {}),
    ...(options.table ? { COMPLIANCE_TABLE: options.table } : {}),
    ...(options.outbox ? { OUTBOX_DIR: options.outbox } : {}),
  });
  const local = env.DYNAMODB_ENDPOINT || options.aws ? undefined : await startDynamoLocal({ dataDir: options.dataDir });
  try {
    const store = createStore({ tableName: env.COMPLIANCE_TABLE, endpoint: env.DYNAMODB_ENDPOINT ?? local?.endpoint });
    // Locally (DynamoDB Local or another endpoint) the table is created from serverless.yml; on AWS it is deployed.
    if (!options.aws) await ensureTable(store);
    const mail = mailConfig(env);
    return {
      rt: { store, mailer: createMailer(mail), hashKey: env.COMPLIANCE_HASH_KEY || env.HASH_KEY_PARAMETER ? hashKeySource(env) : localHashKey(options.dataDir), clock: () => new Date() },
      now,
      ...(mail.transport === 'outbox' ? { outboxDir: path.resolve(mail.outboxDir) } : {}),
      close: async () => {
        store.doc.destroy();
        await local?.stop();
      },
    };
  } catch (error) {
    await local?.stop();
    throw error;
  }
}
