// The adapters a process may never use, each loaded on its first use: the file and S3
// readers (the detectors with them), the audit-log readers, the mailer (nodemailer, SES),
// and Step Functions' client. Most commands and most Lambda invocations need one of them
// or none, and loading all of them up front was half a second of every start (the
// composition root, runtime.ts, and the command line's session.ts build their ports here).
import type { MailConfig } from '../config.ts';
import type { WorkflowName } from '../workflows/declarations.ts';
import type { PackageDelivery } from '../usecases/export/delivery.ts';
import type { AuditLogReaders, ExecutionDescriber, ExecutionStarter, Mailer, SourceReaders } from '../usecases/ports.ts';

/** The first call's promise, for every call. */
export function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => (made ??= make());
}

/** The generator `make` gives, once it has given it, as one generator. */
async function* deferred<T, R>(make: () => Promise<AsyncGenerator<T, R> | AsyncIterable<T>>): AsyncGenerator<T, R> {
  return (yield* (await make()) as AsyncGenerator<T, R>) as R;
}

export function lazySourceReaders(options: { region?: string } = {}): SourceReaders {
  const readers = once(async () => (await import('./sources/source-reader.ts')).sourceReaders(options));
  return {
    source: (source) => deferred(async () => (await readers()).source(source)),
    file: (file, group, fileOptions) => deferred(async () => (await readers()).file(file, group, fileOptions)),
    paths: (paths, fileOptions, onFile) => deferred(async () => (await readers()).paths(paths, fileOptions, onFile)),
  };
}

export function lazyAuditLogReaders(options: { region?: string } = {}): AuditLogReaders {
  const readers = once(async () => (await import('./events/audit-log-files.ts')).auditLogReaders(options));
  return { declared: (log, hashKey) => deferred(async () => (await readers()).declared(log, hashKey)) };
}

export function lazyMailer(config: MailConfig): Mailer {
  const mailer = once(async () => (await import('./mail/transport.ts')).createMailer(config));
  return { send: async (mail) => (await mailer()).send(mail) };
}

/** Step Functions' starter and describer for the state machines `arns` names, sharing one client. */
export function lazyStepFunctions(arns: Partial<Record<WorkflowName, string>>): { starter: ExecutionStarter; describeExecution: ExecutionDescriber } {
  const sfn = once(async () => {
    const [{ sfnStarter, sfnDescriber }, { SFNClient }] = await Promise.all([import('./aws/sfn-starter.ts'), import('@aws-sdk/client-sfn')]);
    const client = new SFNClient({});
    return { starter: sfnStarter(arns, client), describe: sfnDescriber(arns, client) };
  });
  return {
    starter: async (workflow, name, input) => (await sfn()).starter(workflow, name, input),
    describeExecution: async (workflow, name) => (await sfn()).describe(workflow, name),
  };
}

export function lazyPackageDelivery(options: { bucket: string; region?: string }): PackageDelivery {
  const delivery = once(async () => (await import('./aws/package-delivery.ts')).s3PackageDelivery(options));
  return { deliver: async (object) => (await delivery()).deliver(object) };
}
