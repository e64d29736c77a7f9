// One reader per kind of declared source: each yields the source's records within the
// source's budget and returns what it covered.
import type { Coverage } from '../../domain/datamap/datamap.ts';
import { redactName } from '../../domain/detect/redact.ts';
import { InputError } from '../../errors.ts';
import type { SourceRecord } from '../../domain/detect/records.ts';
import type { Source } from '../../domain/org/source.ts';
import { readChatTable } from './chat-table.ts';
import { readDynamoTable } from './dynamodb-source.ts';
import type { FileRead, SourceReaders } from '../../usecases/ports.ts';
import { readFileRecords, readPathRecords, sizeOf } from './local-files.ts';
import { readS3Prefix, type S3Sender } from './s3-source.ts';
import { readSlackExport } from './slack-export.ts';
import { readWhatsAppExport } from './whatsapp-export.ts';

export interface SourceClients {
  /** The S3 client (tests inject a fake); default an S3Client for the source's region. */
  s3?: S3Sender;
  /** The region of S3 and DynamoDB sources that name none (the configuration's AWS_REGION). */
  region?: string;
}

type SourceReader = AsyncGenerator<SourceRecord, Coverage>;

const DEFAULT_REGION = 'ap-east-1';

async function* readFilesSource(source: Extract<Source, { kind: 'files' }>): SourceReader {
  const reads: FileRead[] = [];
  yield* readPathRecords([source.path], { budgetBytes: source.budgetBytes }, (read) => reads.push(read));
  const scanned = reads.filter((f) => f.status === 'scanned');
  const failed = reads.filter((f) => f.status === 'failed');
  if (scanned.length === 0) {
    const first = failed[0];
    if (first === undefined) throw new InputError(`nothing readable under ${redactName(source.path)}`);
    throw new InputError(first.reason?.startsWith('cannot read ') ? first.reason : `${redactName(first.file)}: ${first.reason ?? 'not read'}`);
  }
  return {
    bytesRead: scanned.reduce((n, f) => n + (f.bytesRead ?? 0), 0),
    bytesTotal: scanned.reduce((n, f) => n + (f.bytesTotal ?? 0), 0),
    records: scanned.length,
    truncated: scanned.some((f) => f.truncated),
  };
}

type ChatSource = Extract<Source, { kind: 'whatsapp' | 'slack' | 'chat-table' }>;

async function* readChatSource(source: ChatSource): SourceReader {
  // A source declaration names its options as the readers do (budgets, encoding, group, columns).
  const messages =
    source.kind === 'whatsapp' ? readWhatsAppExport(source.path, source) : source.kind === 'slack' ? readSlackExport(source.path, source) : readChatTable(source.path, source);
  let records = 0;
  for await (const message of messages) {
    records++;
    yield message;
  }
  const total = await sizeOf(source.path);
  const truncated = (source.budgetRecords !== undefined && records >= source.budgetRecords) || (source.budgetBytes !== undefined && total > source.budgetBytes);
  return { bytesRead: truncated && source.budgetBytes ? Math.min(total, source.budgetBytes) : total, bytesTotal: total, records, truncated };
}

async function* readS3Source(source: Extract<Source, { kind: 's3' }>, client: S3Sender | undefined): SourceReader {
  const { records, truncated, bytesRead, bytesTotal } = yield* readS3Prefix({ ...source, ...(client ? { client } : {}) });
  return { records, truncated, bytesRead, bytesTotal };
}

/** The reader for a declared source. */
export function readSource(source: Source, clients: SourceClients = {}): SourceReader {
  switch (source.kind) {
    case 'files':
      return readFilesSource(source);
    case 'dynamodb':
      return readDynamoTable({ ...source, region: source.region ?? clients.region ?? DEFAULT_REGION });
    case 's3':
      return readS3Source({ ...source, region: source.region ?? clients.region ?? DEFAULT_REGION }, clients.s3);
    default:
      return readChatSource(source);
  }
}

/** The readers the scan use cases take (lib/usecases/ports.ts). */
export function sourceReaders(clients: SourceClients = {}): SourceReaders {
  return { source: (source) => readSource(source, clients), file: readFileRecords, paths: readPathRecords };
}
