// An in-memory S3 for the S3 source adapter's tests: a contract test of the adapter,
// not of S3. It implements only what the adapter relies on (ListObjectsV2 pages with
// continuation tokens, GetObject with a byte Range (`bytes=FROM-TO`) and a streaming Body), and can refuse
// a key the way S3 does when a role may not read it (AccessDenied, naming the key).
import { Readable } from 'node:stream';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { S3Sender } from '../../lib/adapters/sources/s3-source.ts';

export class FakeS3 implements S3Sender {
  readonly gets: { key: string; range?: string }[] = [];
  private readonly objects: Record<string, Buffer>;
  private readonly pageSize: number;
  private readonly denied: ReadonlySet<string>;

  constructor(objects: Record<string, Buffer>, options: { pageSize?: number; denied?: readonly string[] } = {}) {
    this.objects = objects;
    this.pageSize = options.pageSize ?? 2;
    this.denied = new Set(options.denied ?? []);
  }

  async send(command: ListObjectsV2Command | GetObjectCommand): Promise<unknown> {
    if (command instanceof ListObjectsV2Command) {
      const keys = Object.keys(this.objects)
        .filter((k) => k.startsWith(command.input.Prefix ?? ''))
        .sort();
      const start = Number(command.input.ContinuationToken ?? 0);
      const page = keys.slice(start, start + this.pageSize);
      const more = start + this.pageSize < keys.length;
      return { Contents: page.map((Key) => ({ Key, Size: this.objects[Key]!.length })), IsTruncated: more, ...(more ? { NextContinuationToken: String(start + this.pageSize) } : {}) };
    }
    const key = command.input.Key!;
    if (this.denied.has(key)) {
      throw Object.assign(new Error(`User: arn:aws:sts::123456789012:assumed-role/scan is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::${command.input.Bucket}/${key}"`), {
        name: 'AccessDenied',
      });
    }
    const body = this.objects[key];
    if (!body) throw Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey' });
    this.gets.push({ key, ...(command.input.Range ? { range: command.input.Range } : {}) });
    const m = /^bytes=(\d+)-(\d+)$/.exec(command.input.Range ?? '');
    const bytes = m ? body.subarray(Number(m[1]), Number(m[2]) + 1) : body;
    // Two small chunks, so decoding across a chunk boundary is exercised.
    return { Body: Readable.from([bytes.subarray(0, 5), bytes.subarray(5)]) };
  }
}
