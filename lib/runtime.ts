// The one place a process's ports are assembled: the table's repositories, the
// mailer, the hash key and the clock, from the validated configuration (on AWS,
// serverless.yml sets it), or from parts the CLI and tests choose, so the same
// handlers and use cases run everywhere.
import { readConfig, mailConfig } from './config.ts';
import { createStore, type Store } from './adapters/dynamodb/client.ts';
import { dynamoRepositories } from './adapters/dynamodb/repositories.ts';
import { createMailer } from './adapters/mail/transport.ts';
import { hashKeySource } from './adapters/aws/ssm-hash-key.ts';
import { sourceReaders } from './adapters/sources/source-reader.ts';
import { auditLogReaders } from './adapters/events/audit-log-files.ts';
import { sfnDescriber, sfnStarter } from './adapters/aws/sfn-starter.ts';
import { DependencyError } from './errors.ts';
import { manifestSigner } from './adapters/manifest-signer.ts';
import type { ManifestSigner } from './usecases/export/signer.ts';
import type { PackageDelivery } from './usecases/export/delivery.ts';
import { s3PackageDelivery } from './adapters/aws/package-delivery.ts';
import type { AuditLogReaders, ExecutionDescriber, ExecutionStarter, Mailer, Ports, SourceReaders } from './usecases/ports.ts';

export interface Runtime extends Ports {
  /** The table itself, for what is not a use case (creating it locally, tests, benchmarks). */
  store: Store;
  /** The key that signs audit-package manifests: KMS on AWS, the local key on one machine. */
  manifestSigner: () => Promise<ManifestSigner>;
  /** Where audit packages are handed over from when not in the response (the exports bucket on AWS); none: in the response. */
  packageDelivery?: PackageDelivery;
}

export interface RuntimeParts {
  store: Store;
  mailer: Mailer;
  hashKey: () => Promise<string>;
  readers?: SourceReaders;
  /** Where platform audit logs are read from (default: local files, and S3 in the configured region). */
  auditLogs?: AuditLogReaders;
  /** Default: none (a use case that starts a workflow fails, saying so); the CLI and tests use the local runner's. */
  starter?: ExecutionStarter;
  /** Default: knows of no execution (the run record is all there is). */
  describeExecution?: ExecutionDescriber;
  clock?: () => Date;
  webBaseUrl?: string;
  /** Default: none (an export fails, saying so); the CLI, serve and tests use the local key. */
  manifestSigner?: () => Promise<ManifestSigner>;
  /** Default: none, so a download is the response itself (the CLI, serve, tests); on AWS the exports bucket (EXPORTS_BUCKET). */
  packageDelivery?: PackageDelivery;
}

const noStarter: ExecutionStarter = async (workflow) => {
  throw new DependencyError(`cannot start ${workflow} here: no workflow starter is configured`);
};

const noSigner = async (): Promise<ManifestSigner> => {
  throw new DependencyError('cannot sign an audit package here: no signing key is configured (MANIFEST_KEY_ID)');
};

export function createRuntime(parts: RuntimeParts): Runtime {
  return {
    ...dynamoRepositories(parts.store),
    store: parts.store,
    mailer: parts.mailer,
    readers: parts.readers ?? sourceReaders(),
    auditLogs: parts.auditLogs ?? auditLogReaders(),
    starter: parts.starter ?? noStarter,
    describeExecution: parts.describeExecution ?? (async () => undefined),
    hashKey: parts.hashKey,
    clock: parts.clock ?? (() => new Date()),
    manifestSigner: parts.manifestSigner ?? noSigner,
    ...(parts.packageDelivery ? { packageDelivery: parts.packageDelivery } : {}),
    ...(parts.webBaseUrl ? { webBaseUrl: parts.webBaseUrl } : {}),
  };
}

/** The first call's promise, for every call (a KMS public key is fetched once per process). */
function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => (made ??= make());
}

let current: Runtime | undefined;

/** The process's runtime, built from the environment on first use (a Lambda's cold start). */
export function runtime(): Runtime {
  if (!current) {
    const config = readConfig();
    current = createRuntime({
      store: createStore({ tableName: config.COMPLIANCE_TABLE, region: config.AWS_REGION, ...(config.DYNAMODB_ENDPOINT ? { endpoint: config.DYNAMODB_ENDPOINT } : {}) }),
      mailer: createMailer(mailConfig(config)),
      hashKey: hashKeySource(config),
      readers: sourceReaders({ region: config.AWS_REGION }),
      auditLogs: auditLogReaders({ region: config.AWS_REGION }),
      starter: sfnStarter(config.stateMachineArns),
      describeExecution: sfnDescriber(config.stateMachineArns),
      manifestSigner: once(() => manifestSigner(config)),
      // A Lambda's response is capped at 6 MB: packages go through the exports bucket (serverless.yml).
      ...(config.EXPORTS_BUCKET ? { packageDelivery: s3PackageDelivery({ bucket: config.EXPORTS_BUCKET, region: config.AWS_REGION }) } : {}),
      ...(config.WEB_BASE_URL ? { webBaseUrl: config.WEB_BASE_URL } : {}),
    });
  }
  return current;
}

export function setRuntime(next: Runtime | undefined): void {
  current = next;
}
