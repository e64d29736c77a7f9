// Hands audit packages over through the private exports bucket (EXPORTS_BUCKET,
// serverless.yml's ExportsBucket): a Lambda's response is capped at 6 MB, so a package
// is put there (PutObject, encrypted at rest, saved by a browser under the direct
// download's file name) and the caller is sent a presigned GET URL that works for a few
// minutes. The bucket is private (public access blocked) and its objects expire after a
// day by lifecycle rule; the functions' roles may put and get its objects, nothing more.
// The S3 client and the presigner load only when a package is delivered; a client is
// injected in tests (signing is local: no call is made to sign).
import { createHash } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';
import { redact } from '../../domain/detect/redact.ts';
import { DependencyError } from '../../errors.ts';
import { attachment, type PackageDelivery, type PackageLink, type PackageObject } from '../../usecases/export/delivery.ts';

/** How long a package's link works: long enough for a browser or `curl -L` to follow the redirect at once. */
export const LINK_SECONDS = 300;

export interface S3DeliveryOptions {
  bucket: string;
  region?: string;
  /** An S3Client of the caller's (tests); default one for `region`, made on first use. */
  client?: S3Client;
  expiresInSeconds?: number;
  /** The moment links are signed at (tests); default the real time, never the business clock (--now). */
  signedAt?: () => Date;
}

/** The S3 client's checksum settings (test/support/fake-s3-client.ts makes its client so too). */
export const S3_CHECKSUMS = { requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' } as const;

/** An AWS error's name when it is one (AccessDenied, NoSuchBucket), never its message (which may quote the bucket and role). */
const nameOf = (error: unknown): string => {
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === 'string' && /^[A-Za-z][A-Za-z0-9.]{0,63}$/.test(name) ? name : 'Error';
};

function failed(step: 'store' | 'link', object: PackageObject, error: unknown): DependencyError {
  // The operator's record (the function's log): which object, and S3's own words.
  console.error(JSON.stringify({ level: 'error', event: 'package-delivery-failed', step, key: object.key, error: redact(String((error as Error)?.stack ?? error)) }));
  const what = step === 'store' ? 'could not be stored for download' : 'was stored but no download link could be made for it';
  return new DependencyError(`the audit package ${what} (${nameOf(error)}); no download was recorded: try again, and if it keeps failing, ask the operator to look at the log`, { cause: error });
}

export function s3PackageDelivery(options: S3DeliveryOptions): PackageDelivery {
  let made: S3Client | undefined;
  const expiresIn = options.expiresInSeconds ?? LINK_SECONDS;
  return {
    async deliver(object: PackageObject): Promise<PackageLink> {
      const [{ S3Client, PutObjectCommand, GetObjectCommand }, { getSignedUrl }] = await Promise.all([import('@aws-sdk/client-s3'), import('@aws-sdk/s3-request-presigner')]);
      // Checksums only where S3 requires them: otherwise the SDK writes its own (x-amz-checksum-mode,
      // or a CRC32 of the empty body) into the link. The object's SHA-256 is sent with it and checked by S3.
      const s3 = options.client ?? (made ??= new S3Client({ ...(options.region ? { region: options.region } : {}), ...S3_CHECKSUMS }));
      try {
        await s3.send(
          new PutObjectCommand({
            Bucket: options.bucket,
            Key: object.key,
            Body: object.body,
            ContentType: object.contentType,
            ContentDisposition: attachment(object.filename),
            // As every answer of ours: the package is one organisation's, not for a cache to keep.
            CacheControl: 'no-store',
            ServerSideEncryption: 'AES256',
            // S3 refuses the object unless these are the bytes it received.
            ChecksumSHA256: createHash('sha256').update(object.body).digest('base64'),
          }),
        );
      } catch (error) {
        throw failed('store', object, error);
      }
      try {
        const location = await getSignedUrl(s3, new GetObjectCommand({ Bucket: options.bucket, Key: object.key }), {
          expiresIn,
          ...(options.signedAt ? { signingDate: options.signedAt() } : {}),
        });
        return { location, expiresInSeconds: expiresIn };
      } catch (error) {
        throw failed('link', object, error);
      }
    },
  };
}
