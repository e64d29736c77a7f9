// The command line as the tests run it: its entry file, from the project's folder, on
// Node 24 (the CLI is TypeScript run by Node's type stripping: this process's node when
// vitest runs on it, else the project's node package), with an environment that points
// nowhere else and a compile cache shared by the run's CLI processes (global-setup.ts:
// each starts in about half the CPU time once the first has filled it).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CLI = 'lib/cli/main.mjs';
export const NODE =
  Number(process.versions.node.split('.')[0]) >= 24 || !existsSync(path.join(ROOT, 'node_modules', '.bin', 'node'))
    ? process.execPath
    : path.join(ROOT, 'node_modules', '.bin', 'node');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

const COMPILE_CACHE = inject('cliCompileCache');

/** The environment without anything that would point the CLI elsewhere, and `extra`. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_COMPILE_CACHE: COMPILE_CACHE };
  for (const key of ['DYNAMODB_ENDPOINT', 'COMPLIANCE_TABLE', 'COMPLIANCE_NOW', 'OUTBOX_DIR', 'MAIL_TRANSPORT', 'MAIL_FROM', 'SMTP_URL', 'DEBUG', 'NODE_OPTIONS']) {
    delete env[key];
  }
  return { ...env, ...extra };
}

/** Runs the CLI to its end (killed after `timeoutMs`): its exit code (-1 when killed) and output. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = cleanEnv(), timeoutMs = 60_000): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(NODE, [CLI, ...args], { cwd: ROOT, env, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
