// `compliance serve` and `compliance token` as a person runs them: two processes, a
// real HTTP client over loopback, tokens signed and checked with the data directory's key.
import { execFile, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { tempDir } from './support/temp-dir.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const NODE = Number(process.versions.node.split('.')[0]) >= 24 || !existsSync(path.join(ROOT, 'node_modules', '.bin', 'node')) ? process.execPath : path.join(ROOT, 'node_modules', '.bin', 'node');

describe('compliance serve over loopback', () => {
  const dataDir = tempDir('serve-cli-');
  const global = ['--endpoint', inject('dynamoEndpoint'), '--table', `test-serve-${randomUUID()}`, '--data-dir', dataDir, '--outbox', path.join(dataDir, 'outbox')];
  const env = { ...process.env, DYNAMODB_ENDPOINT: '', COMPLIANCE_NOW: '', NODE_OPTIONS: '' };
  const cli = (args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(NODE, ['lib/cli/main.mjs', ...global, ...args], { cwd: ROOT, env, timeout: 60_000 }, (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? -1) : 0, stdout, stderr }));
    });
  let server: ReturnType<typeof spawn> | undefined;
  let url = '';

  beforeAll(async () => {
    expect((await cli(['import', 'examples/acme-hk/org.yaml'])).code).toBe(0);
    server = spawn(NODE, ['lib/cli/main.mjs', ...global, 'serve', '--port', '0'], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
    url = await new Promise<string>((resolve, reject) => {
      let said = '';
      server?.stderr?.on('data', (chunk: Buffer) => {
        said += chunk.toString();
        const found = /Serving the API at (http:\/\/\S+)/.exec(said);
        if (found?.[1]) resolve(found[1]);
      });
      server?.once('exit', (code) => reject(new Error(`serve exited ${code}: ${said}`)));
    });
  }, 90_000);

  afterAll(async () => {
    // Stopped before its data directory is removed (test/support/temp-dir.ts).
    if (!server || server.exitCode !== null || server.signalCode !== null) return;
    const exited = new Promise((resolve) => server?.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  });

  it('answers a token from compliance token, and refuses one for a person the organisation does not have', async () => {
    const issued = await cli(['token', '--role', 'auditor', '--person', 'raymond-wong', '--ttl', '30m']);
    expect(issued.code).toBe(0);
    const token = issued.stdout.trim();
    expect(token.split('.')).toHaveLength(3);
    const reply = await fetch(`${url}/v1/controls?limit=2`, { headers: { authorization: `Bearer ${token}` } });
    expect(reply.status).toBe(200);
    expect(((await reply.json()) as { items: { id: string }[] }).items.map((c) => c.id)).toEqual(['A.5.1', 'A.5.2']);
    const none = await fetch(`${url}/v1/controls`);
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({ code: 'unauthenticated', message: 'no valid token: send "Authorization: Bearer <token>"' });

    const stranger = await cli(['token', '--role', 'admin', '--person', 'nobody-here']);
    expect(stranger.code).toBe(2);
    expect(stranger.stderr).toContain('--person: "nobody-here" is not a person of harbour-ledger');
    const badTtl = await cli(['token', '--role', 'admin', '--person', 'raymond-wong', '--ttl', '30y']);
    expect(badTtl.code).toBe(2);
    expect(badTtl.stderr).toContain('--ttl: "30y" is not a duration');
  }, 90_000);
});
