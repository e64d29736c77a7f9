// The DynamoDB document client, for AWS or for another endpoint (DynamoDB Local).
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface StoreConfig {
  tableName: string;
  /** e.g. http://localhost:8000; unset on AWS. */
  endpoint?: string;
  /** Default ap-east-1 (the configuration's AWS_REGION). */
  region?: string;
}

export interface Store {
  doc: DynamoDBDocumentClient;
  table: string;
  /** Capacity units this client consumed, from DynamoDB's own figures. */
  capacity: { read: number; write: number };
}

interface CapacityFigure {
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
  CapacityUnits?: number;
}

const READ_COMMANDS = /^(Get|BatchGet|Query|Scan|TransactGet)/;

export function createStore(config: StoreConfig): Store {
  const client = new DynamoDBClient({
    region: config.region ?? 'ap-east-1',
    maxAttempts: 5,
    ...(config.endpoint
      ? {
          endpoint: config.endpoint,
          // DynamoDB Local accepts any credentials; never pick up a real profile for it.
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        }
      : {}),
  });
  const doc = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true },
  });
  const capacity = { read: 0, write: 0 };
  // Ask every command for its consumed capacity and add it up: the sweep's cost
  // is then measured by DynamoDB itself, locally as on AWS.
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { ReturnConsumedCapacity?: string };
      input.ReturnConsumedCapacity ??= 'TOTAL';
      const result = await next(args);
      const output = result.output as { ConsumedCapacity?: CapacityFigure | CapacityFigure[] };
      const figures = output.ConsumedCapacity === undefined ? [] : [output.ConsumedCapacity].flat();
      const isRead = READ_COMMANDS.test(context.commandName ?? '');
      for (const f of figures) {
        capacity.read += f.ReadCapacityUnits ?? (isRead ? f.CapacityUnits ?? 0 : 0);
        capacity.write += f.WriteCapacityUnits ?? (isRead ? 0 : f.CapacityUnits ?? 0);
      }
      return result;
    },
    { step: 'initialize', name: 'consumedCapacity' },
  );
  return { doc, table: config.tableName, capacity };
}
