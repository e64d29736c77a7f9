// A fresh table in the shared DynamoDB Local, and a runtime around it.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { inject } from 'vitest';
import { createMailer } from '../../lib/adapters/mail/transport.ts';
import { createRuntime, type Runtime } from '../../lib/runtime.ts';
import { withLocalStarter } from '../../lib/adapters/local/workflow-runner.ts';
import type { Mailer, OutgoingMail } from '../../lib/usecases/ports.ts';
import { createStore, type Store } from '../../lib/adapters/dynamodb/client.ts';
import { ensureTable } from '../../lib/adapters/dynamodb/table-definition.ts';
import { tempDir } from './temp-dir.ts';

export async function freshStore(): Promise<Store> {
  const store = createStore({ tableName: `test-${randomUUID()}`, endpoint: inject('dynamoEndpoint') });
  await ensureTable(store);
  return store;
}

/** A mailer that keeps what it sent, and can be told to fail. */
export class RecordingMailer implements Mailer {
  sent: OutgoingMail[] = [];
  failWith: Error | undefined;
  async send(mail: OutgoingMail) {
    if (this.failWith) throw this.failWith;
    this.sent.push(mail);
    return { messageId: `<${randomUUID()}@test>` };
  }
}

/** A runtime on a fresh table (or on `store`) whose workflows start others here, as the CLI's do. */
export async function testRuntime(mailer: Mailer = new RecordingMailer(), store?: Store): Promise<Runtime> {
  return withLocalStarter(createRuntime({ store: store ?? (await freshStore()), mailer, hashKey: async () => 'test-hash-key-0123456789' }));
}

export function outboxRuntimeMailer(): { mailer: Mailer; dir: string } {
  const dir = tempDir('outbox-');
  return { mailer: createMailer({ transport: 'outbox', from: 'Compliance <compliance@harbourledger.example>', outboxDir: dir }), dir };
}

/** Makes every store command whose input (as JSON) matches `when` fail as DynamoDB throttling would. */
export function throttleWhen(store: Store, when: (input: string) => boolean): void {
  store.doc.middlewareStack.add(
    (next) => async (args) => {
      if (when(JSON.stringify(args.input))) {
        throw Object.assign(new Error('Throughput exceeds the current capacity'), { name: 'ProvisionedThroughputExceededException' });
      }
      return next(args);
    },
    { step: 'initialize', name: 'faultInjection' },
  );
}
