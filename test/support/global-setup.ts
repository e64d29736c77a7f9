// One DynamoDB Local (in memory) for the whole run; each test file makes its own
// table, so files never see each other's data.
import type { TestProject } from 'vitest/node';
import { startDynamoLocal, type LocalDynamo } from '../../lib/adapters/local/dynamodb-local.ts';

let dynamo: LocalDynamo | undefined;

export async function setup(project: TestProject): Promise<void> {
  dynamo = await startDynamoLocal();
  project.provide('dynamoEndpoint', dynamo.endpoint);
}

export async function teardown(): Promise<void> {
  await dynamo?.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}
