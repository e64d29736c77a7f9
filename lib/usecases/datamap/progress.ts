// How far a data-mapping scan has got, published on a diagnostics channel for whoever
// listens (the command line's progress bar on a terminal; nobody on AWS, where a
// publish with no subscriber costs a check): the sources listed, each source started
// and done with the bytes it read, and the text read so far in between. Counts only:
// no name, path or content is published.
import diagnostics from 'node:diagnostics_channel';
import type { Coverage } from '../../domain/datamap/datamap.ts';
import type { SourceRecord } from '../../domain/detect/records.ts';

export type { SourceRecord };

export type ScanProgressEvent =
  | { kind: 'listed'; sources: number }
  | { kind: 'started' }
  | { kind: 'read'; chars: number }
  | { kind: 'done'; bytesRead: number };

/** The channel's name, for subscribers. */
export const SCAN_PROGRESS_CHANNEL = 'compliance:data-mapping-scan';
const channel = diagnostics.channel(SCAN_PROGRESS_CHANNEL);
/** Text read is published in steps of about this many characters. */
const STEP_CHARS = 1 << 20;

export const scanProgress = {
  listed(sources: number): void {
    if (channel.hasSubscribers) channel.publish({ kind: 'listed', sources } satisfies ScanProgressEvent);
  },

  /** The records of one source, passed through unchanged, with its progress published as they go by. */
  async *follow(records: AsyncGenerator<SourceRecord, Coverage>): AsyncGenerator<SourceRecord, Coverage> {
    if (!channel.hasSubscribers) return yield* records;
    channel.publish({ kind: 'started' } satisfies ScanProgressEvent);
    let chars = 0;
    let bytesRead = 0; // a source that fails is done too, with nothing counted
    try {
      for (;;) {
        const next = await records.next();
        if (next.done) {
          bytesRead = next.value.bytesRead;
          return next.value;
        }
        chars += next.value.text.length;
        if (chars >= STEP_CHARS) {
          channel.publish({ kind: 'read', chars } satisfies ScanProgressEvent);
          chars = 0;
        }
        yield next.value;
      }
    } finally {
      if (chars > 0) channel.publish({ kind: 'read', chars } satisfies ScanProgressEvent);
      channel.publish({ kind: 'done', bytesRead } satisfies ScanProgressEvent);
    }
  },
};
