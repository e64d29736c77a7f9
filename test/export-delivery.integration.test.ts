// The audit package handed over through the exports bucket, as on AWS (EXPORTS_BUCKET set:
// a Lambda's response cannot carry more than 6 MB), against DynamoDB Local with the sample
// organisation: the API and the download page answer 303 See Other to a presigned link to
// the object put in the bucket (test/support/fake-s3-client.ts catches it before it
// leaves), the object is byte for byte the zip a direct download gives and export.made
// the same entry, recorded only once the object is stored; a failure to store answers a
// clear 503 (JSON for the API, a page for the browser) and records nothing; HEAD is still
// 405, storing and recording nothing.
import { createHash } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { unzipSync } from 'fflate';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { s3PackageDelivery } from '../lib/adapters/aws/package-delivery.ts';
import { runRoute } from '../lib/api/http.ts';
import { routerFor, specOf } from '../lib/api/router.ts';
import { verifyPackage } from '../lib/domain/export/manifest.ts';
import { createRuntime, setRuntime, type Runtime } from '../lib/runtime.ts';
import { readAuditRange } from '../lib/usecases/audit/trail.ts';
import type { AuditRecord } from '../lib/usecases/ports.ts';
import { localWebAuth, setWebAuth, signInCode } from '../lib/web/auth.ts';
import { NOW, ORG, scanTable, servedSample, type ServedSample } from './support/api.ts';
import { catchingS3, expectedSignature, FAKE_CREDENTIALS, REGION, type CatchingS3 } from './support/fake-s3-client.ts';
import { freshStore, RecordingMailer } from './support/local-store.ts';

const BUCKET = 'compliance-test-exportsbucket-1a2b3c4d5e6f';
const SIGNED_AT = new Date('2026-11-30T02:00:05Z');
const AUDITOR = 'raymond-wong';
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

// The business clock: a minute on for each test, so no two tests' export.made entries could be one
// (an entry's key is its event, subject, actor and moment: the same download at the same moment is
// written once), and a download recorded when it should not be cannot hide behind an earlier one.
let at = NOW.getTime();
const clock = () => new Date(at);

describe('audit packages through the exports bucket (as on AWS)', () => {
  let served: ServedSample;
  let s3: CatchingS3;
  /** The sample as it stood before any package was made: a direct download there is what the bucket's must equal. */
  let twin: Runtime;
  let token: string;

  beforeAll(async () => {
    served = await servedSample(clock);
    const twinStore = await freshStore();
    for (const item of await scanTable(served.rt)) await twinStore.doc.send(new PutCommand({ TableName: twinStore.table, Item: item }));
    twin = createRuntime({ store: twinStore, mailer: new RecordingMailer(), hashKey: async () => 'test-hash-key-0123456789', clock, manifestSigner: served.rt.manifestSigner });
    s3 = catchingS3();
    setRuntime({ ...served.rt, packageDelivery: s3PackageDelivery({ bucket: BUCKET, client: s3.client, signedAt: () => SIGNED_AT }) });
    setWebAuth(localWebAuth(served.key));
    token = await served.token('auditor', AUDITOR);
  }, 180_000);

  afterAll(async () => {
    await served?.close();
    setWebAuth(undefined);
  });

  beforeEach(() => {
    at += 60_000;
  });

  afterEach(() => {
    s3.fail = undefined;
    delete s3.onPut;
    vi.restoreAllMocks();
  });

  const exportsMade = async (rt: Runtime = served.rt): Promise<AuditRecord[]> =>
    (await readAuditRange(rt, ORG, '1970-01-01T00:00:00.000Z', '2100-01-01T00:00:00.000Z')).filter((e) => e.event === 'export.made');
  /** As a browser or `curl` without -L: the answer itself, not where it leads. */
  const get = (path: string, headers: Record<string, string>) => fetch(`${served.server.url}${path}`, { headers, redirect: 'manual' });

  /** The link's object and its signature, checked: this bucket, a GET for 5 minutes, signed with the function's credentials. */
  function linkedKey(location: string): string {
    const url = new URL(location);
    expect(url.host).toBe(`${BUCKET}.s3.${REGION}.amazonaws.com`);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('300');
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('host');
    expect(url.searchParams.get('X-Amz-Credential')).toBe(`${FAKE_CREDENTIALS.accessKeyId}/20261130/${REGION}/s3/aws4_request`);
    expect(url.searchParams.get('X-Amz-Signature')).toBe(expectedSignature(url, FAKE_CREDENTIALS.secretAccessKey));
    return decodeURIComponent(url.pathname.slice(1));
  }

  it('answers the API with 303 to a presigned link to the package, stored before export.made is recorded, byte for byte what a direct download gives', async () => {
    const before = await exportsMade();
    let recordedWhenStored: number | undefined;
    s3.onPut = async () => {
      recordedWhenStored = (await exportsMade()).length;
    };
    const reply = await get('/v1/exports/2026-Q4?format=csv', { authorization: `Bearer ${token}` });
    expect(reply.status).toBe(303);
    expect(await reply.text()).toBe('');
    expect(reply.headers.get('cache-control')).toBe('no-store');
    expect(reply.headers.get('content-disposition')).toBeNull();

    expect(s3.puts).toHaveLength(1);
    const put = s3.puts[0]!;
    expect(put.headers['content-disposition']).toBe('attachment; filename="harbour-ledger-2026-Q4-csv.zip"');
    expect(put.headers['content-type']).toBe('application/zip');
    expect(put.headers['x-amz-server-side-encryption']).toBe('AES256');
    const files = new Map(Object.entries(unzipSync(new Uint8Array(put.body))));
    expect(verifyPackage(files)).toMatchObject({ ok: true, problems: [] });
    const manifestSha = sha256(files.get('manifest.json')!);
    // The object is the one the link names: the organisation, period and format, and the manifest's SHA-256.
    expect(linkedKey(reply.headers.get('location')!)).toBe(`${ORG}/2026-Q4/csv/${manifestSha}.zip`);
    expect(put.path).toBe(`/${ORG}/2026-Q4/csv/${manifestSha}.zip`);

    // Recorded once, and only after the object was stored.
    expect(recordedWhenStored).toBe(before.length);
    const after = await exportsMade();
    expect(after).toHaveLength(before.length + 1);
    const made = after.find((e) => !before.some((b) => b.sk === e.sk))!;
    expect(made).toMatchObject({ actor: AUDITOR, subject: 'EXPORT#2026-Q4#csv', detail: { format: 'csv', files: files.size, manifestSha256: manifestSha } });

    // The same request answered directly (as compliance serve does), on the table as it stood: the same bytes, the same entry.
    const direct = await runRoute(specOf({ method: 'GET', path: '/v1/exports/{period}' }), { principal: { person: AUDITOR, orgId: ORG, role: 'auditor' }, params: { period: '2026-Q4' }, query: { format: 'csv' } }, () => twin);
    expect('file' in direct && direct).toMatchObject({ contentType: 'application/zip', filename: 'harbour-ledger-2026-Q4-csv.zip' });
    expect('file' in direct && direct.file.equals(put.body)).toBe(true);
    const twinMade = await exportsMade(twin);
    expect(twinMade).toHaveLength(before.length + 1);
    const entry = ({ orgId, at, event, subject, actor, detail }: AuditRecord) => ({ orgId, at, event, subject, actor, detail });
    expect(entry(twinMade.find((e) => !before.some((b) => b.sk === e.sk))!)).toEqual(entry(made));
  });

  it('answers the same from the Lambda router on AWS, whose response then carries no package at all', async () => {
    const lambda = routerFor('apiAudit');
    const p = '/v1/exports/2026-Q4';
    const event = {
      version: '2.0',
      rawPath: p,
      headers: {},
      queryStringParameters: { format: 'json' },
      requestContext: { http: { method: 'GET', path: p }, requestId: 'r', authorizer: { jwt: { claims: { sub: AUDITOR, 'custom:org': ORG, 'cognito:groups': ['auditor'] }, scopes: [] } } },
      isBase64Encoded: false,
    };
    const count = s3.puts.length;
    const reply = (await lambda(event as never, { awsRequestId: 'r' } as never, { signal: new AbortController().signal } as never)) as { statusCode: number; headers: Record<string, string>; body: string; isBase64Encoded?: boolean };
    expect(reply.statusCode).toBe(303);
    expect(reply.body).toBe('');
    expect(reply.isBase64Encoded).toBeUndefined();
    expect(s3.puts).toHaveLength(count + 1);
    expect(linkedKey(reply.headers.location!)).toBe(s3.puts.at(-1)!.path.slice(1));
    expect(s3.puts.at(-1)!.headers['content-disposition']).toBe('attachment; filename="harbour-ledger-2026-Q4-json.zip"');
  });

  it('answers a failure to store the package with a clear 503 JSON, no stack, no bucket, and records no download', async () => {
    const before = await exportsMade();
    const count = s3.puts.length;
    s3.fail = Object.assign(new Error(`User: arn:aws:sts::123456789012:assumed-role/compliance-test-apiAudit is not authorized to perform: s3:PutObject on resource: "arn:aws:s3:::${BUCKET}/x"`), { name: 'AccessDenied' });
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const reply = await get('/v1/exports/2026-Q4?format=csv', { authorization: `Bearer ${token}` });
    expect(reply.status).toBe(503);
    expect(reply.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(reply.headers.get('location')).toBeNull();
    const text = await reply.text();
    expect(JSON.parse(text)).toEqual({ code: 'unavailable', message: expect.stringMatching(/^the audit package could not be stored for download \(AccessDenied\); no download was recorded/) });
    for (const secret of [BUCKET, '123456789012', 'arn:', '    at ']) expect(text).not.toContain(secret);
    expect(logged).toHaveBeenCalled();
    expect(s3.puts).toHaveLength(count);
    expect(await exportsMade()).toEqual(before);
  });

  describe('the download page', () => {
    async function sessionCookie(): Promise<string> {
      const landed = await fetch(`${served.server.url}/sign-in?code=${await signInCode(served.key, { person: AUDITOR, orgId: ORG, role: 'auditor' })}`, { redirect: 'manual' });
      expect(landed.status).toBe(303);
      return (landed.headers.get('set-cookie') ?? '').split(';')[0] as string;
    }

    it('sends the browser on (303) to the package in the bucket, saved under the same file name, recorded as the person\'s', async () => {
      const before = await exportsMade();
      const reply = await get('/package/download?period=2026-Q4&format=oscal', { cookie: await sessionCookie() });
      expect(reply.status).toBe(303);
      const key = linkedKey(reply.headers.get('location')!);
      const put = s3.puts.at(-1)!;
      expect(put.path).toBe(`/${key}`);
      expect(key).toMatch(new RegExp(`^${ORG}/2026-Q4/oscal/[0-9a-f]{64}\\.zip$`));
      expect(put.headers['content-disposition']).toBe('attachment; filename="harbour-ledger-2026-Q4-oscal.zip"');
      expect(verifyPackage(new Map(Object.entries(unzipSync(new Uint8Array(put.body)))))).toMatchObject({ ok: true });
      const after = await exportsMade();
      expect(after).toHaveLength(before.length + 1);
      expect(after.find((e) => !before.some((b) => b.sk === e.sk))).toMatchObject({ actor: AUDITOR, subject: 'EXPORT#2026-Q4#oscal', detail: { manifestSha256: key.split('/').at(-1)!.replace('.zip', '') } });
    });

    it('says on a page when the package cannot be stored (503), and records no download', async () => {
      const before = await exportsMade();
      s3.fail = Object.assign(new Error(`Access Denied for ${BUCKET}`), { name: 'AccessDenied' });
      vi.spyOn(console, 'error').mockImplementation(() => {});
      const reply = await get('/package/download?period=2026-Q4&format=json', { cookie: await sessionCookie() });
      expect(reply.status).toBe(503);
      expect(reply.headers.get('content-type')).toContain('text/html');
      const page = await reply.text();
      expect(page).toContain('the audit package could not be stored for download (AccessDenied)');
      expect(page).not.toContain(BUCKET);
      expect(await exportsMade()).toEqual(before);
    });
  });

  it('still answers HEAD with 405 (Allow: GET), storing and recording nothing', async () => {
    const before = await exportsMade();
    const count = s3.puts.length;
    const head = await fetch(`${served.server.url}/v1/exports/2026-Q4?format=csv`, { method: 'HEAD', headers: { authorization: `Bearer ${token}` }, redirect: 'manual' });
    expect([head.status, head.headers.get('allow')]).toEqual([405, 'GET']);
    expect(s3.puts).toHaveLength(count);
    expect(await exportsMade()).toEqual(before);
  });
});
