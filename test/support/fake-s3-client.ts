// A real S3Client with fixed fake credentials whose requests never leave the process:
// each PutObject is caught after the SDK has built and signed it (the headers and body
// S3 would receive), and answered as S3 would, or failed as `fail` says. Presigning is
// the SDK's own, computed locally. And an independent check of a presigned GET URL's
// SigV4 signature, so a test does not take the SDK's word for it.
import { createHash, createHmac } from 'node:crypto';
import { S3Client } from '@aws-sdk/client-s3';
import { S3_CHECKSUMS } from '../../lib/adapters/aws/package-delivery.ts';

export const FAKE_CREDENTIALS = { accessKeyId: 'AKIAEXPORTSTEST00001', secretAccessKey: 'exports/test/secret/key/0123456789abcdefghij' } as const;
export const REGION = 'ap-east-1';

export interface CaughtPut {
  method: string;
  hostname: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer;
}

export interface CatchingS3 {
  client: S3Client;
  puts: CaughtPut[];
  /** Makes the next PutObject fail with this error (as S3 or the network would). */
  fail: Error | undefined;
  /** Called as each PutObject arrives, before it is answered (e.g. to see what was recorded by then). */
  onPut?: (put: CaughtPut) => Promise<void> | void;
}

export function catchingS3(): CatchingS3 {
  const client = new S3Client({ region: REGION, credentials: FAKE_CREDENTIALS, ...S3_CHECKSUMS, maxAttempts: 1 });
  const caught: CatchingS3 = { client, puts: [], fail: undefined };
  client.middlewareStack.addRelativeTo(
    ((_next: unknown, context: { commandName?: string }) => async (args: { request: unknown }) => {
      if (context.commandName !== 'PutObjectCommand') throw new Error(`unexpected ${context.commandName} sent to S3`);
      const request = args.request as { method: string; hostname: string; path: string; headers: Record<string, string>; body: unknown };
      const put = { method: request.method, hostname: request.hostname, path: request.path, headers: { ...request.headers }, body: Buffer.from(request.body as Uint8Array) };
      await caught.onPut?.(put);
      if (caught.fail) throw caught.fail;
      caught.puts.push(put);
      return { response: { statusCode: 200, headers: { etag: '"x"' }, body: undefined }, output: { $metadata: { httpStatusCode: 200 } } };
    }) as never,
    { name: 'catchRequests', relation: 'after', toMiddleware: 'awsAuthMiddleware' },
  );
  return caught;
}

const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();
const rfc3986 = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** The signature a presigned GET URL should carry, computed from the URL and the secret key by SigV4's rules, not by the SDK. */
export function expectedSignature(url: URL, secretAccessKey: string, region = REGION): string {
  const query = [...url.searchParams].filter(([k]) => k !== 'X-Amz-Signature');
  const canonicalQuery = query
    .map(([k, v]) => [rfc3986(k), rfc3986(v)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const signed = url.searchParams.get('X-Amz-SignedHeaders') ?? '';
  if (signed !== 'host') throw new Error(`signed headers ${signed}: only host is expected`);
  const canonical = ['GET', url.pathname, canonicalQuery, `host:${url.host}\n`, 'host', 'UNSIGNED-PAYLOAD'].join('\n');
  const amzDate = url.searchParams.get('X-Amz-Date') ?? '';
  const scope = `${amzDate.slice(0, 8)}/${region}/s3/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, createHash('sha256').update(canonical).digest('hex')].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, amzDate.slice(0, 8)), region), 's3'), 'aws4_request');
  return hmac(key, toSign).toString('hex');
}
