// The HTTP API of the sample organisation, served over loopback by the real handlers
// against DynamoDB Local: a review open for 2026-Q4, a data-mapping scan and its gap
// analysis done, tokens for each role signed with a key of the test's own.
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import path from 'node:path';
import { SignJWT } from 'jose';
import { readOrgFile } from '../../lib/adapters/files/org-file-reader.ts';
import { localSigningKey, type SigningKey } from '../../lib/adapters/local/local-signing-key.ts';
import { localManifestSigner } from '../../lib/adapters/local/local-manifest-signer.ts';
import { issueLocalToken, LOCAL_AUDIENCE, LOCAL_ISSUER } from '../../lib/adapters/local/local-token.ts';
import { executeWorkflow, withBackgroundStarter } from '../../lib/adapters/local/workflow-runner.ts';
import { serveApi, type LocalServer } from '../../lib/api/local-server.ts';
import type { Role } from '../../lib/domain/access/principal.ts';
import { canonicalJson } from '../../lib/domain/canonical-json.ts';
import { setRuntime, type Runtime } from '../../lib/runtime.ts';
import { localWebAuth, setWebAuth } from '../../lib/web/auth.ts';
import { importOrganisationFile } from '../../lib/usecases/org/import.ts';
import { runRequest } from '../../lib/workflows/declarations.ts';
import { testRuntime } from './local-store.ts';
import { tempDir } from './temp-dir.ts';

export const SAMPLE = 'examples/acme-hk/org.yaml';
export const ORG = 'harbour-ledger';
/** Owns A.5.9, A.5.18 and A.8.1 in the sample. */
export const OWNER = 'wong-siu-ming';
export const NOW = new Date('2026-11-30T02:00:00Z');

export interface ApiFixture {
  rt: Runtime;
  server: LocalServer;
  key: SigningKey;
  tokens: Record<Role | 'otherOrg', string>;
  scanRun: string;
  close(): Promise<void>;
}

/** The sample organisation imported and served (servedSample), and a token for any role. */
export interface ServedSample {
  rt: Runtime;
  server: LocalServer;
  key: SigningKey;
  token(role: Role, person?: string, orgId?: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * The sample organisation imported (at `importedAt`) into a fresh store and served over
 * loopback by the real handlers, runs going on after their requests (a background
 * starter), on the clock `clock` gives; nothing run yet.
 */
export async function servedSample(clock: () => Date, importedAt = '2026-11-29T00:00:00.000Z', keyDir = tempDir('api-key-')): Promise<ServedSample> {
  const base = await testRuntime();
  const signer = localManifestSigner(keyDir);
  const rt = withBackgroundStarter({ ...base, clock, manifestSigner: async () => signer });
  await importOrganisationFile(rt, readOrgFile(SAMPLE), `import:${SAMPLE}`, importedAt);
  setRuntime(rt);
  const key = localSigningKey(keyDir);
  const server = await serveApi({ key });
  return {
    rt,
    server,
    key,
    token: (role, person = 'raymond-wong', orgId = ORG) => issueLocalToken(key, { person, orgId, role, ttlSeconds: 3600, now: new Date() }),
    close: async () => {
      await server.close();
      setRuntime(undefined);
    },
  };
}

/**
 * The sample served, scanned, its gaps analysed, monitored and its 2026-Q4 review opened.
 * `monitoring: false` leaves behaviour monitoring out: its 5,527 audit-log events are most
 * of the table and of the time this takes, a waste for tests that look at no alert and read
 * the whole table (the review then cites a quarter with no monitoring run).
 */
export async function sampleApi(options: { monitoring?: boolean } = {}): Promise<ApiFixture> {
  const { rt, server, key, token, close } = await servedSample(() => new Date(NOW));
  const at = (workflow: Parameters<typeof runRequest>[0], how = {}) => runRequest(workflow, ORG, new Date('2026-11-30T01:00:00Z'), how);
  const scan = at('data-mapping-scan');
  await executeWorkflow(rt, 'data-mapping-scan', scan.input);
  await executeWorkflow(rt, 'gap-analysis', at('gap-analysis', { period: '2026-11' }).input);
  if (options.monitoring !== false) await executeWorkflow(rt, 'behaviour-monitoring', at('behaviour-monitoring').input);
  await executeWorkflow(rt, 'quarterly-review', at('quarterly-review', { timeZone: 'Asia/Hong_Kong' }).input);
  return {
    rt,
    server,
    key,
    tokens: {
      admin: await token('admin', 'michelle-leung'),
      auditor: await token('auditor', 'raymond-wong'),
      owner: await token('owner', OWNER),
      scheduler: await token('scheduler', 'raymond-wong'),
      otherOrg: await token('admin', 'michelle-leung', 'another-org'),
    },
    scanRun: scan.name,
    close,
  };
}

/** sampleApi with the web pages signing people in by the local key (setWebAuth); its close undoes that too. */
export async function sampleApiWithPages(): Promise<ApiFixture> {
  const api = await sampleApi();
  setWebAuth(localWebAuth(api.key));
  return {
    ...api,
    close: async () => {
      await api.close();
      setWebAuth(undefined);
    },
  };
}

/** A token signed with `key` but with claims or times of the caller's choosing. */
export function craftedToken(key: SigningKey, overrides: { aud?: string; iss?: string; exp?: number; org?: string }): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ 'custom:org': overrides.org ?? ORG, 'cognito:groups': ['admin'] })
    .setProtectedHeader({ alg: 'EdDSA' })
    .setSubject('michelle-leung')
    .setIssuer(overrides.iss ?? LOCAL_ISSUER)
    .setAudience(overrides.aud ?? LOCAL_AUDIENCE)
    .setIssuedAt(now - 7200)
    .setExpirationTime(overrides.exp ?? now + 3600)
    .sign(key.privateKey);
}

export interface Reply {
  status: number;
  body: unknown;
  text: string;
  bytes: Buffer;
  headers: Headers;
}

export async function call(fixture: ApiFixture, method: string, urlPath: string, options: { token?: string; body?: string; contentType?: string } = {}): Promise<Reply> {
  const response = await fetch(`${fixture.server.url}${urlPath}`, {
    method,
    headers: {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.body !== undefined ? { 'content-type': options.contentType ?? 'application/json' } : {}),
    },
    ...(options.body !== undefined ? { body: options.body } : {}),
  });
  const bytes = Buffer.from(await response.arrayBuffer());
  const text = bytes.toString('utf8');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, body, text, bytes, headers: response.headers };
}

/** Every item of the table, for comparing before and after. */
export async function tableItems(rt: Pick<Runtime, 'store'>): Promise<string[]> {
  return (await scanTable(rt)).map((i) => canonicalJson(i)).sort();
}

/** Every item in the table (a consistent scan, page by page), or those of one `type`. */
export async function scanTable(rt: Pick<Runtime, 'store'>, type?: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await rt.store.doc.send(new ScanCommand({ TableName: rt.store.table, ConsistentRead: true, ExclusiveStartKey: start }));
    items.push(...(out.Items ?? []).filter((i) => type === undefined || i.type === type));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}
