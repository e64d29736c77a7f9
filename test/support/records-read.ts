// What a reader gives, kept for comparing two readers of the same content (an S3 object or
// a mail's attachment against a local file): its records, their file named relative to
// `base`, the types the detectors find in them (sorted), and what the reader returns.
import { detectRecords, type SourceRecord } from '../../lib/domain/detect/records.ts';

export async function recordsRead<R>(records: AsyncGenerator<SourceRecord, R>, base: string): Promise<{ records: SourceRecord[]; types: string[]; result: R }> {
  const seen: SourceRecord[] = [];
  const types: string[] = [];
  async function* kept(): AsyncGenerator<SourceRecord, R> {
    for (;;) {
      const next = await records.next();
      if (next.done) return next.value;
      seen.push({ ...next.value, at: { ...next.value.at, file: next.value.at.file.replace(base, '') } });
      yield next.value;
    }
  }
  const result = await detectRecords(kept(), (_r, d) => types.push(d.type));
  return { records: seen, types: types.sort(), result };
}
