// `compliance serve`'s clock: real time, whatever opening its table took (DynamoDB Local
// takes seconds to start); with --now, that moment when the command began, running on.
// The table is reached through a proxy that holds its first request, as a slow start would.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { localSigningKey } from '../lib/adapters/local/local-signing-key.ts';
import { issueLocalToken } from '../lib/adapters/local/local-token.ts';
import { cleanEnv, CLI, NODE, ROOT, runCli } from './support/cli.ts';
import { tempDir } from './support/temp-dir.ts';

const ORG = 'harbour-ledger';
const OWNER = 'wong-siu-ming'; // owns A.8.1
/** How long the proxy holds the table's first request of each serve. */
const HOLD_MS = 4000;

describe('compliance serve keeps time', () => {
  const endpoint = inject('dynamoEndpoint');
  const dataDir = tempDir('serve-clock-');
  const table = `test-serve-clock-${randomUUID()}`;
  const global = (to: string) => ['--endpoint', to, '--table', table, '--data-dir', dataDir, '--outbox', path.join(dataDir, 'outbox')];
  let proxy: http.Server;
  let proxyUrl = '';
  let holdNext = false;
  const servers: ChildProcess[] = [];

  beforeAll(async () => {
    const imported = await runCli([...global(endpoint), 'import', 'examples/acme-hk/org.yaml'], cleanEnv());
    expect(imported.code, imported.stderr).toBe(0);
    const target = new URL(endpoint);
    proxy = http.createServer((req, res) => {
      const hold = holdNext ? HOLD_MS : 0;
      holdNext = false;
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () =>
        setTimeout(() => {
          const out = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (reply) => {
            res.writeHead(reply.statusCode ?? 500, reply.headers);
            reply.pipe(res);
          });
          out.on('error', () => res.destroy());
          out.end(Buffer.concat(chunks));
        }, hold),
      );
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  }, 120_000);

  afterAll(async () => {
    for (const server of servers) {
      if (server.exitCode !== null || server.signalCode !== null) continue;
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    }
    await new Promise((resolve) => proxy?.close(resolve));
  });

  /** Starts serve through the proxy, its first table request held; when it said it serves. */
  async function serve(extra: string[]): Promise<{ url: string; spawnedAt: number; readyAt: number }> {
    holdNext = true;
    const spawnedAt = Date.now();
    const server = spawn(NODE, [CLI, ...global(proxyUrl), ...extra, 'serve', '--port', '0'], { cwd: ROOT, env: cleanEnv(), stdio: ['ignore', 'ignore', 'pipe'] });
    servers.push(server);
    const url = await new Promise<string>((resolve, reject) => {
      let said = '';
      server.stderr?.on('data', (chunk: Buffer) => {
        said += chunk.toString();
        const found = /Serving the API at (http:\/\/\S+)/.exec(said);
        if (found?.[1]) resolve(found[1]);
      });
      server.once('exit', (code) => reject(new Error(`serve exited ${code}: ${said}`)));
    });
    return { url, spawnedAt, readyAt: Date.now() };
  }

  /** Registers evidence as the owner; the time its audit entry was stamped with, and when the request was sent and answered. */
  async function stamp(url: string, n: number): Promise<{ at: number; sent: number; answered: number }> {
    const key = localSigningKey(dataDir);
    const owner = await issueLocalToken(key, { person: OWNER, orgId: ORG, role: 'owner', ttlSeconds: 600, now: new Date() });
    const auditor = await issueLocalToken(key, { person: 'raymond-wong', orgId: ORG, role: 'auditor', ttlSeconds: 600, now: new Date() });
    const sha256 = String(n).repeat(64).slice(0, 64);
    const sent = Date.now();
    const posted = await fetch(`${url}/v1/evidence`, {
      method: 'POST',
      headers: { authorization: `Bearer ${owner}`, 'content-type': 'application/json' },
      body: JSON.stringify({ control: 'A.8.1', title: `Encryption report ${n}`, kind: 'report', location: `s3://evidence/a81-${n}.pdf`, sha256, validFor: 'P6M' }),
    });
    const answered = Date.now();
    expect(posted.status, await posted.clone().text()).toBe(201);
    const { evidence } = (await posted.json()) as { evidence: { id: string } };
    const audit = (await (await fetch(`${url}/v1/audit?from=2000-01-01T00:00:00Z&limit=500`, { headers: { authorization: `Bearer ${auditor}` } })).json()) as {
      items: { at: string; event: string; subject: string }[];
    };
    const entry = audit.items.find((e) => e.event === 'evidence.registered' && e.subject.includes(evidence.id));
    expect(entry, JSON.stringify(audit.items.slice(-5))).toBeDefined();
    return { at: Date.parse(entry!.at), sent, answered };
  }

  it('without --now: real time, however long opening the table took', async () => {
    const { url } = await serve([]);
    const { at, sent, answered } = await stamp(url, 1);
    expect(at - sent, 'ms from the request to its stamp').toBeGreaterThanOrEqual(-50);
    expect(at - answered).toBeLessThanOrEqual(50);
  }, 90_000);

  it('with --now: that moment when the command began, running on from there', async () => {
    const given = Date.parse('2026-11-30T09:00:00Z');
    const { url, spawnedAt, readyAt } = await serve(['--now', '2026-11-30T09:00:00Z']);
    const { at, sent, answered } = await stamp(url, 2);
    // The command began after it was spawned and before the held request (HOLD_MS) it made opening its table.
    expect(at - given).toBeLessThanOrEqual(answered - spawnedAt);
    expect(at - given).toBeGreaterThanOrEqual(sent - readyAt + HOLD_MS);
  }, 90_000);
});
