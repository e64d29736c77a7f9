// The exports bucket's adapter (lib/adapters/aws/package-delivery.ts) with a real S3Client
// whose requests are caught before they leave (test/support/fake-s3-client.ts): the
// object S3 would receive (the exact bytes, key, type, file name, encryption, checksum),
// the presigned link (this bucket and key, a few minutes, signed with the client's
// credentials: the signature checked independently of the SDK), and a failure to store
// that says so clearly, naming neither the bucket nor the role, and makes no link.
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LINK_SECONDS, s3PackageDelivery } from '../lib/adapters/aws/package-delivery.ts';
import { DependencyError, errorOutcome } from '../lib/errors.ts';
import { resultOfError } from '../lib/api/http.ts';
import { readConfig } from '../lib/config.ts';
import { runtime, setRuntime } from '../lib/runtime.ts';
import { catchingS3, expectedSignature, FAKE_CREDENTIALS, REGION } from './support/fake-s3-client.ts';

const BUCKET = 'compliance-test-exportsbucket-1a2b3c4d5e6f';
const SIGNED_AT = new Date('2026-11-30T02:00:00Z');
const BODY = Buffer.from([0x50, 0x4b, 0x03, 0x04, ...Buffer.from('a package, 包裹, with every byte 0x00-0xff: '), ...Array.from({ length: 256 }, (_, i) => i)]);
const OBJECT = { key: 'harbour-ledger/2026-Q4/csv/9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08.zip', body: BODY, contentType: 'application/zip', filename: 'harbour-ledger-2026-Q4-csv.zip' };

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  setRuntime(undefined);
});

describe('audit packages through the exports bucket', () => {
  it('puts exactly the package under its key: its bytes, type, file name, no caching, encrypted at rest, its SHA-256 for S3 to check', async () => {
    const s3 = catchingS3();
    await s3PackageDelivery({ bucket: BUCKET, client: s3.client, signedAt: () => SIGNED_AT }).deliver(OBJECT);
    expect(s3.puts).toHaveLength(1);
    const [put] = s3.puts;
    expect([put!.method, put!.hostname, put!.path]).toEqual(['PUT', `${BUCKET}.s3.${REGION}.amazonaws.com`, `/${OBJECT.key}`]);
    expect(put!.body.equals(BODY)).toBe(true);
    expect(put!.headers).toMatchObject({
      'content-type': 'application/zip',
      'content-disposition': 'attachment; filename="harbour-ledger-2026-Q4-csv.zip"',
      'cache-control': 'no-store',
      'x-amz-server-side-encryption': 'AES256',
      'x-amz-checksum-sha256': createHash('sha256').update(BODY).digest('base64'),
      'content-length': String(BODY.length),
    });
    // Signed with the client's credentials, the encryption and file name among what is signed.
    expect(put!.headers.authorization).toMatch(new RegExp(`^AWS4-HMAC-SHA256 Credential=${FAKE_CREDENTIALS.accessKeyId}/\\d{8}/${REGION}/s3/aws4_request, SignedHeaders=[^ ]*content-disposition;[^ ]*x-amz-server-side-encryption`));
  });

  it(`links to that object with a presigned GET that works for ${LINK_SECONDS / 60} minutes from when it is made, and needs no other credential`, async () => {
    const s3 = catchingS3();
    const link = await s3PackageDelivery({ bucket: BUCKET, client: s3.client, signedAt: () => SIGNED_AT }).deliver(OBJECT);
    expect(link.expiresInSeconds).toBe(300);
    const url = new URL(link.location);
    expect(url.protocol).toBe('https:');
    expect(url.host).toBe(`${BUCKET}.s3.${REGION}.amazonaws.com`);
    expect(url.pathname).toBe(`/${OBJECT.key}`);
    const q = Object.fromEntries(url.searchParams);
    expect(q).toMatchObject({
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Credential': `${FAKE_CREDENTIALS.accessKeyId}/20261130/${REGION}/s3/aws4_request`,
      'X-Amz-Date': '20261130T020000Z',
      'X-Amz-Expires': '300',
      'X-Amz-SignedHeaders': 'host',
      'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD',
    });
    // A GET of the object: nothing in the link asks for another object, an upload or another bucket.
    expect(Object.keys(q).filter((k) => !k.startsWith('X-Amz-')).sort()).toEqual(['x-id']);
    expect(q['x-id']).toBe('GetObject');
    expect(q['X-Amz-Signature']).toBe(expectedSignature(url, FAKE_CREDENTIALS.secretAccessKey));
    // Signing is local: only the one PutObject reached "S3".
    expect(s3.puts).toHaveLength(1);
    // The secret key is never in the link.
    expect(link.location).not.toContain(FAKE_CREDENTIALS.secretAccessKey);
  });

  it('signs links at the real time by default, not the business clock', async () => {
    const s3 = catchingS3();
    const before = Date.now();
    const link = await s3PackageDelivery({ bucket: BUCKET, client: s3.client }).deliver(OBJECT);
    const at = new URL(link.location).searchParams.get('X-Amz-Date')!;
    const signed = Date.parse(`${at.slice(0, 4)}-${at.slice(4, 6)}-${at.slice(6, 8)}T${at.slice(9, 11)}:${at.slice(11, 13)}:${at.slice(13, 15)}Z`);
    expect(signed).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(signed).toBeLessThanOrEqual(Date.now());
  });

  it('says clearly when the package cannot be stored (503), naming S3\'s error but not the bucket, the role or the account, and makes no link', async () => {
    const s3 = catchingS3();
    s3.fail = Object.assign(new Error(`User: arn:aws:sts::123456789012:assumed-role/compliance-test-apiAudit/fn is not authorized to perform: s3:PutObject on resource: "arn:aws:s3:::${BUCKET}/${OBJECT.key}"`), { name: 'AccessDenied' });
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const error = await s3PackageDelivery({ bucket: BUCKET, client: s3.client, signedAt: () => SIGNED_AT }).deliver(OBJECT).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DependencyError);
    expect(errorOutcome(error)).toMatchObject({ httpStatus: 503, expected: true });
    const message = (error as Error).message;
    expect(message).toMatch(/^the audit package could not be stored for download \(AccessDenied\); no download was recorded: try again/);
    for (const secret of [BUCKET, '123456789012', 'arn:', 'assumed-role', OBJECT.key]) expect(message).not.toContain(secret);
    // As the API answers it: JSON, no stack.
    const answer = resultOfError(error, 'req-1');
    expect(answer.statusCode).toBe(503);
    expect(JSON.parse(answer.body as string)).toEqual({ code: 'unavailable', message });
    // The operator's log has the object and S3's own words.
    expect(logged).toHaveBeenCalledTimes(1);
    const line = JSON.parse(String(logged.mock.calls[0]![0])) as Record<string, string>;
    expect(line).toMatchObject({ level: 'error', event: 'package-delivery-failed', step: 'store', key: OBJECT.key });
    expect(line.error).toContain('AccessDenied');
    expect(s3.puts).toEqual([]);
  });

  it('gives an error without a name of S3\'s (a network failure) the same clear answer', async () => {
    const s3 = catchingS3();
    s3.fail = Object.assign(new Error(`connect ETIMEDOUT ${BUCKET}.s3.${REGION}.amazonaws.com:443`), { name: 'Error with spaces' });
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const error = (await s3PackageDelivery({ bucket: BUCKET, client: s3.client }).deliver(OBJECT).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(DependencyError);
    expect(error.message).toMatch(/^the audit package could not be stored for download \(Error\);/);
    expect(error.message).not.toContain(BUCKET);
  });

  it('is the runtime\'s on AWS (EXPORTS_BUCKET, which serverless.yml sets), and nowhere else: without it a package is the response itself', () => {
    vi.stubEnv('EXPORTS_BUCKET', BUCKET);
    setRuntime(undefined);
    expect(runtime().packageDelivery).toBeDefined();
    vi.stubEnv('EXPORTS_BUCKET', '');
    setRuntime(undefined);
    expect(runtime().packageDelivery).toBeUndefined();
    expect(() => readConfig({ EXPORTS_BUCKET: 'Exports_Bucket' })).toThrow(/^environment EXPORTS_BUCKET: must be an S3 bucket's name/);
    expect(readConfig({ EXPORTS_BUCKET: BUCKET }).EXPORTS_BUCKET).toBe(BUCKET);
  });
});
