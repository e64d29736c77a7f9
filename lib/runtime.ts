// The one place a process's ports are assembled: the table's repositories, the
// mailer, the hash key and the clock, from the validated configuration (on AWS,
// serverless.yml sets it), or from parts the CLI and tests choose, so the same
// handlers and use cases run everywhere.
// The adapters a process may not need (readers, mail, Step Functions, S3) load on
// first use (lazy-adapters.ts).
import { readConfig, mailConfig } from './config.ts';
import { createStore, type Store } from './adapters/dynamodb/client.ts';
import { dynamoRepositories } from './adapters/dynamodb/repositories.ts';
import { hashKeySource } from './adapters/aws/ssm-hash-key.ts';
import { lazyAuditLogReaders, lazyMailer, lazyPackageDelivery, lazySourceReaders, lazyStepFunctions, once } from './adapters/lazy-adapters.ts';
import { DependencyError } from './errors.ts';
import { manifestSigner } from './adapters/manifest-signer.ts';
import type { ManifestSigner } from './usecases/export/signer.ts';
import type { PackageDelivery } from './usecases/export/delivery.ts';
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
    readers: parts.readers ?? lazySourceReaders(),
    auditLogs: parts.auditLogs ?? lazyAuditLogReaders(),
    starter: parts.starter ?? noStarter,
    describeExecution: parts.describeExecution ?? (async () => undefined),
    hashKey: parts.hashKey,
    clock: parts.clock ?? (() => new Date()),
    manifestSigner: parts.manifestSigner ?? noSigner,
    ...(parts.packageDelivery ? { packageDelivery: parts.packageDelivery } : {}),
    ...(parts.webBaseUrl ? { webBaseUrl: parts.webBaseUrl } : {}),
  };
}

let current: Runtime | undefined;

/** The process's runtime, built from the environment on first use (a Lambda's cold start). */
export function runtime(): Runtime {
  if (!current) {
    const config = readConfig();
    current = createRuntime({
      store: createStore({ tableName: config.COMPLIANCE_TABLE, region: config.AWS_REGION, ...(config.DYNAMODB_ENDPOINT ? { endpoint: config.DYNAMODB_ENDPOINT } : {}) }),
      mailer: lazyMailer(mailConfig(config)),
      hashKey: hashKeySource(config),
      readers: lazySourceReaders({ region: config.AWS_REGION }),
      auditLogs: lazyAuditLogReaders({ region: config.AWS_REGION }),
      ...lazyStepFunctions(config.stateMachineArns),
      // (a KMS public key is fetched once per process)
      manifestSigner: once(() => manifestSigner(config)),
      // A Lambda's response is capped at 6 MB: packages go through the exports bucket (serverless.yml).
      ...(config.EXPORTS_BUCKET ? { packageDelivery: lazyPackageDelivery({ bucket: config.EXPORTS_BUCKET, region: config.AWS_REGION }) } : {}),
      ...(config.WEB_BASE_URL ? { webBaseUrl: config.WEB_BASE_URL } : {}),
    });
  }
  return current;
}

export function setRuntime(next: Runtime | undefined): void {
  current = next;
}
