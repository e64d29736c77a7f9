// One DynamoDB Local (in memory) for the whole run; each test file makes its own
// table, so files never see each other's data.
import { mkdtempSync, rmSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { killChildren } from '../../lib/adapters/local/child-processes.ts';
import { startDynamoLocal, type LocalDynamo } from '../../lib/adapters/local/dynamodb-local.ts';

let dynamo: LocalDynamo | undefined;
let javaTemp: string | undefined;
/** Node's compile cache for the CLI the tests run (cli.ts), shared by the whole run: each child process compiles the CLI's modules once between them. */
let cliCompileCache: string | undefined;

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * When vitest ends without its teardown (a signal: it exits at once on SIGINT and SIGTERM,
 * Node's default ends it on SIGHUP; or an error writing to a closed output), the java
 * process would be re-parented and keep running, and its folder would stay: kill it (it
 * is tracked by startDynamoLocal) and remove the folder, synchronously, as 'exit' needs.
 */
function killAndClean(): void {
  killChildren();
  for (const dir of [javaTemp, cliCompileCache]) if (dir) rmSync(dir, { recursive: true, force: true });
}

function onSignal(signal: NodeJS.Signals): void {
  killAndClean();
  // Vitest's own handler (SIGINT, SIGTERM) exits; where there is none (SIGHUP), exit as
  // Node's default would have, with 128 + the signal's number.
  if (process.listenerCount(signal) === 1) process.exit(128 + constants.signals[signal]);
}

function registerCleanup(): void {
  process.once('exit', killAndClean);
  for (const signal of SIGNALS) process.on(signal, onSignal);
}

function unregisterCleanup(): void {
  process.off('exit', killAndClean);
  for (const signal of SIGNALS) process.off(signal, onSignal);
}

export async function setup(project: TestProject): Promise<void> {
  // DynamoDB Local unpacks its SQLite library into Java's temporary folder and leaves
  // it there when it does not stop in time: give it a folder of its own, removed below.
  // Set for the Java process only (spawn copies the environment), not for the workers.
  javaTemp = mkdtempSync(path.join(tmpdir(), 'dynamodb-local-'));
  registerCleanup();
  const options = process.env.JAVA_TOOL_OPTIONS;
  process.env.JAVA_TOOL_OPTIONS = [options, `-Djava.io.tmpdir=${javaTemp}`].filter(Boolean).join(' ');
  try {
    dynamo = await startDynamoLocal();
  } finally {
    if (options === undefined) delete process.env.JAVA_TOOL_OPTIONS;
    else process.env.JAVA_TOOL_OPTIONS = options;
  }
  project.provide('dynamoEndpoint', dynamo.endpoint);
  cliCompileCache = mkdtempSync(path.join(tmpdir(), 'cli-compile-cache-'));
  project.provide('cliCompileCache', cliCompileCache);
}

export async function teardown(): Promise<void> {
  await dynamo?.stop();
  for (const dir of [javaTemp, cliCompileCache]) if (dir) rmSync(dir, { recursive: true, force: true });
  unregisterCleanup();
}

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    cliCompileCache: string;
  }
}
