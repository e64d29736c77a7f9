// A DynamoDB table as a data-mapping source (issue 3, "Sources"): a paginated Scan
// within a record budget, every string in every item yielded as a record with the
// item's group, and the coverage the scan reached.
//
// - Deterministic sampling: the Scan reads the first `budgetRecords` items in the
//   table's Scan order (no parallel segments, no random start). That order is
//   stable for an unchanged table, so two runs over the same data read the same
//   items; after writes it may differ, as the data does.
// - Strings: S values, each string of an SS set, and the strings (and map keys)
//   inside nested M maps and L lists. Numbers, binaries and booleans are not text.
// - Coverage: `bytesRead` is the approximate JSON size of the items read (DynamoDB
//   has no byte figure per item); `bytesTotal` is DescribeTable's TableSizeBytes,
//   which AWS updates about every six hours (approximate) and DynamoDB Local may
//   leave at 0: then, and whenever it is below bytesRead, bytesRead stands in.
// - The client is injected (`{ send }`) or built from region/endpoint; an endpoint
//   (DynamoDB Local) gets dummy credentials, never a real profile.
import { DescribeTableCommand, DynamoDBClient, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import type { SourceRecord } from '../../domain/detect/records.ts';

export const DEFAULT_DYNAMODB_BUDGET_RECORDS = 10_000;
/** Items asked for per Scan page (DynamoDB also stops a page at 1 MB). */
const PAGE_LIMIT = 500;

export interface DynamoSender {
  send(command: ScanCommand | DescribeTableCommand): Promise<unknown>;
}

export interface DynamoScanOptions {
  table: string;
  region?: string;
  endpoint?: string;
  /** Attribute whose value names the group; default: every item is in the group named after the table. */
  groupBy?: string;
  budgetRecords?: number;
  budgetBytes?: number;
  client?: DynamoSender;
}

export interface DynamoCoverage {
  records: number;
  truncated: boolean;
  bytesRead: number;
  bytesTotal: number;
}

type Item = Record<string, AttributeValue>;

/** Every string in an attribute value: S, SS members, and nested M (keys too) / L contents. */
export function* attributeStrings(value: AttributeValue): Generator<string> {
  if (value.S !== undefined) yield value.S;
  else if (value.SS) yield* value.SS;
  else if (value.L) for (const v of value.L) yield* attributeStrings(v);
  else if (value.M) {
    for (const [key, v] of Object.entries(value.M)) {
      yield key;
      yield* attributeStrings(v);
    }
  }
}

function groupOf(item: Item, groupBy: string | undefined, table: string): string {
  if (!groupBy) return table;
  const v = item[groupBy];
  if (v?.S !== undefined && v.S !== '') return v.S;
  if (v?.N !== undefined) return v.N;
  return `(no ${groupBy})`;
}

function clientFor(options: DynamoScanOptions): DynamoSender {
  if (options.client) return options.client;
  return new DynamoDBClient({
    region: options.region ?? 'ap-east-1',
    maxAttempts: 5,
    ...(options.endpoint ? { endpoint: options.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  });
}

/** The strings of the table's items within the budget, as records (`at.row` the item's place in the Scan); returns the coverage. */
export async function* readDynamoTable(options: DynamoScanOptions): AsyncGenerator<SourceRecord, DynamoCoverage> {
  const client = clientFor(options);
  const budgetRecords = options.budgetRecords ?? DEFAULT_DYNAMODB_BUDGET_RECORDS;
  const budgetBytes = options.budgetBytes ?? Infinity;
  let tableSize = 0;
  try {
    const described = (await client.send(new DescribeTableCommand({ TableName: options.table }))) as { Table?: { TableSizeBytes?: number } };
    tableSize = described.Table?.TableSizeBytes ?? 0;
  } catch (error) {
    if ((error as Error).name === 'ResourceNotFoundException') throw new Error(`table "${options.table}" does not exist`, { cause: error });
    throw error;
  }

  let records = 0;
  let bytesRead = 0;
  let truncated = false;
  let startKey: Item | undefined;
  for (;;) {
    const remaining = budgetRecords - records;
    const page = (await client.send(
      new ScanCommand({ TableName: options.table, Limit: Math.min(PAGE_LIMIT, remaining), ...(startKey ? { ExclusiveStartKey: startKey } : {}) }),
    )) as { Items?: Item[]; LastEvaluatedKey?: Item };
    const items = page.Items ?? [];
    for (const item of items) {
      if (bytesRead >= budgetBytes) {
        truncated = true;
        break;
      }
      records++;
      bytesRead += Buffer.byteLength(JSON.stringify(item));
      const group = groupOf(item, options.groupBy, options.table);
      for (const value of Object.values(item)) for (const text of attributeStrings(value)) yield { group, sender: '', text, at: { file: options.table, row: records } };
    }
    startKey = page.LastEvaluatedKey;
    if (truncated || !startKey) break;
    if (records >= budgetRecords || bytesRead >= budgetBytes) {
      // A page that stops at its Limit carries a LastEvaluatedKey even at the end of
      // the table: ask for one more item to know whether anything was left unread.
      const next = (await client.send(new ScanCommand({ TableName: options.table, Limit: 1, ExclusiveStartKey: startKey }))) as { Items?: Item[] };
      truncated = (next.Items?.length ?? 0) > 0;
      break;
    }
  }
  return { records, truncated, bytesRead, bytesTotal: Math.max(tableSize, bytesRead) };
}
