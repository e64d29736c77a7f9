// One DynamoDB Local (in memory) for the whole run; each test file makes its own
// table, so files never see each other's data.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startDynamoLocal, type LocalDynamo } from '../../lib/adapters/local/dynamodb-local.ts';

let dynamo: LocalDynamo | undefined;
let javaTemp: string | undefined;

export async function setup(project: TestProject): Promise<void> {
  // DynamoDB Local unpacks its SQLite library into Java's temporary folder and leaves
  // it there when it does not stop in time: give it a folder of its own, removed below.
  // Set for the Java process only (spawn copies the environment), not for the workers.
  javaTemp = mkdtempSync(path.join(tmpdir(), 'dynamodb-local-'));
  const options = process.env.JAVA_TOOL_OPTIONS;
  process.env.JAVA_TOOL_OPTIONS = [options, `-Djava.io.tmpdir=${javaTemp}`].filter(Boolean).join(' ');
  try {
    dynamo = await startDynamoLocal();
  } finally {
    if (options === undefined) delete process.env.JAVA_TOOL_OPTIONS;
    else process.env.JAVA_TOOL_OPTIONS = options;
  }
  project.provide('dynamoEndpoint', dynamo.endpoint);
}

export async function teardown(): Promise<void> {
  await dynamo?.stop();
  if (javaTemp) rmSync(javaTemp, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}
