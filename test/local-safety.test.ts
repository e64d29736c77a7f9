// Local mode keeps its secrets and its table to this machine's user: the hash key
// lives inside the data directory, private to its owner, and DynamoDB Local sends
// no telemetry and answers no web page.
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { checkPrivate, localHashKey, localHashKeyFile } from '../lib/adapters/local/local-hash-key.ts';
import { InputError } from '../lib/errors.ts';
import { tempDir } from './support/temp-dir.ts';

describe('the local hash key', () => {
  it('is made inside the data directory, readable by its owner only, and stays the same', async () => {
    const dataDir = path.join(tempDir('local-'), 'dynamodb');
    const key = await localHashKey(dataDir)();
    const file = localHashKeyFile(dataDir);
    expect(path.dirname(file)).toBe(path.resolve(dataDir));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(await localHashKey(dataDir)()).toBe(key);
  });

  it('carries a key kept beside the data directory by earlier versions over, so counts still compare', async () => {
    const local = path.join(tempDir('local-'), '.local');
    const dataDir = path.join(local, 'dynamodb');
    await localHashKey(path.join(local, 'seed'))(); // makes the folder
    writeFileSync(path.join(local, 'hash-key'), 'a'.repeat(64), { mode: 0o644 });
    expect(await localHashKey(dataDir)()).toBe('a'.repeat(64));
    expect(statSync(localHashKeyFile(dataDir)).mode & 0o777).toBe(0o600);
  });

  it('is refused when others may read it, saying how to fix it', async () => {
    const dataDir = tempDir('local-');
    const file = localHashKeyFile(dataDir);
    writeFileSync(file, 'b'.repeat(64), { mode: 0o600 });
    chmodSync(file, 0o644);
    await expect(localHashKey(dataDir)()).rejects.toThrow(InputError);
    await expect(localHashKey(dataDir)()).rejects.toThrow(`may be read by others (mode 644); make it private with "chmod 600 ${file}"`);
  });

  it('is refused when another user owns it', () => {
    const file = localHashKeyFile(tempDir('local-'));
    writeFileSync(file, 'c'.repeat(64), { mode: 0o600 });
    const owner = statSync(file).uid;
    expect(() => checkPrivate(file, owner)).not.toThrow();
    expect(() => checkPrivate(file, owner + 1)).toThrow(`the hash key belongs to another user (uid ${owner}); refusing to use it`);
    expect(readFileSync(file, 'utf8')).toBe('c'.repeat(64));
  });
});

describe('DynamoDB Local', () => {
  it('answers no cross-origin request from a web page', async () => {
    const endpoint = inject('dynamoEndpoint');
    const preflight = await fetch(endpoint, {
      method: 'OPTIONS',
      headers: { Origin: 'http://attacker.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type,x-amz-target' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    const post = await fetch(endpoint, {
      method: 'POST',
      headers: { Origin: 'http://attacker.example', 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': 'DynamoDB_20120810.ListTables' },
      body: '{}',
    });
    expect(post.headers.get('access-control-allow-origin')).toBeNull();
    // The allow-list is in force: only the origin that cannot exist is let through.
    const allowed = await fetch(endpoint, { method: 'OPTIONS', headers: { Origin: 'https://dynamodb-local.invalid', 'Access-Control-Request-Method': 'POST' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://dynamodb-local.invalid');
  });
});
