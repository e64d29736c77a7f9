// Creates the table in DynamoDB Local from serverless.yml itself, so the local
// table cannot drift from the deployed one.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceNotFoundException,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import type { Tags } from 'yaml';
import type { Store } from './client.ts';

const SERVERLESS_YML = fileURLToPath(new URL('../../../serverless.yml', import.meta.url));

// CloudFormation short-form tags (!Ref, !GetAtt, !Sub) are kept as plain values.
const cfnTags: Tags = ['Ref', 'GetAtt', 'Sub', 'Join', 'If', 'Equals', 'Not'].flatMap((name) => [
  { tag: `!${name}`, resolve: (value: unknown) => ({ [name]: value }) },
  { tag: `!${name}`, collection: 'seq' as const, resolve: (value: unknown) => ({ [name]: value }) },
]);

export function readServerlessConfig(): Record<string, any> {
  // The YAML parser is loaded only when the file is read (a table created, the tests): every
  // store command opens the table, and nearly always it exists.
  const { parseDocument } = createRequire(import.meta.url)('yaml') as typeof import('yaml');
  const doc = parseDocument(readFileSync(SERVERLESS_YML, 'utf8'), { customTags: cfnTags });
  return doc.toJS() as Record<string, any>;
}

/** The CreateTable input for DynamoDB Local, from the CloudFormation table resource. */
export function localTableDefinition(tableName: string): CreateTableCommandInput {
  // resources is a list of snippets the Framework merges; the table is in the one written out.
  const snippets = [readServerlessConfig().resources].flat() as { Resources?: Record<string, any> }[];
  const props = snippets.find((r) => r?.Resources?.ComplianceTable)?.Resources?.ComplianceTable.Properties;
  if (!props) throw new Error('serverless.yml: no ComplianceTable resource');
  return {
    TableName: tableName,
    BillingMode: props.BillingMode,
    AttributeDefinitions: props.AttributeDefinitions,
    KeySchema: props.KeySchema,
    GlobalSecondaryIndexes: props.GlobalSecondaryIndexes,
  };
}

/** Creates the table when it does not exist yet; safe to call on every start. */
export async function ensureTable(store: Store): Promise<void> {
  try {
    await store.doc.send(new DescribeTableCommand({ TableName: store.table }));
    return;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  try {
    await store.doc.send(new CreateTableCommand(localTableDefinition(store.table)));
  } catch (error) {
    // Another process created it between our describe and create.
    if ((error as Error).name !== 'ResourceInUseException') throw error;
  }
}
