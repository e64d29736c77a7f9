// A progress bar on a terminal (cli-progress, loaded only when one is shown): files and
// bytes done, the rate and the time left. The caller shows it only when stderr is a
// terminal, so that nothing is written where output is piped or logged.
import diagnostics from 'node:diagnostics_channel';
import type { Writable } from 'node:stream';
import { onSignal } from './interrupt.ts';

export interface ProgressState {
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
}

export interface ProgressBar {
  /** `rate`: MB/s when the caller knows it better (default: bytes done over the time since the start). */
  update: (p: ProgressState, rate?: number) => void;
  stop: () => void;
}

const MB = 1e6;

/**
 * A bar on `stream` (a TTY) for a scan of files and bytes, its length by bytes; or, for
 * a data-mapping scan, of sources, its length by sources (their sizes are not known
 * before each is read), with the bytes read beside it.
 */
export async function progressBar(stream: Writable & { isTTY?: boolean }, by: 'bytes' | 'sources' = 'bytes'): Promise<ProgressBar> {
  const { default: cliProgress } = await import('cli-progress');
  const started = performance.now();
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format:
        by === 'bytes'
          ? '{bar} {percentage}% | {files} files | {mbDone}/{mbTotal} MB | {rate} MB/s | {eta_formatted} left'
          : '{bar} {percentage}% | {files} sources | {mbDone} MB read | {rate} MB/s | {eta_formatted} left',
      barsize: 30,
      hideCursor: true,
      clearOnComplete: true,
      fps: 5,
      etaBuffer: 20,
    },
    cliProgress.Presets.shades_classic,
  );
  let shown = false;
  // A signal that ends the command stops the bar first: it gives back the cursor and line wrap it took.
  let forget: () => void = () => undefined;
  return {
    update: (p, rate) => {
      const payload = {
        files: `${p.filesDone}/${p.filesTotal}`,
        // not `total`: cli-progress has a token of that name (the bar's own)
        mbDone: (p.bytesDone / MB).toFixed(1),
        mbTotal: (p.bytesTotal / MB).toFixed(1),
        rate: (rate ?? p.bytesDone / MB / Math.max(0.001, (performance.now() - started) / 1000)).toFixed(1),
      };
      const [value, total] = by === 'bytes' ? [p.bytesDone, p.bytesTotal] : [p.filesDone, p.filesTotal];
      if (!shown) {
        bar.start(Math.max(1, total), value, payload);
        shown = true;
        forget = onSignal(() => bar.stop());
      } else bar.update(value, payload);
    },
    stop: () => {
      forget();
      if (shown) bar.stop();
    },
  };
}

/** The data-mapping scan's channel (lib/usecases/datamap/progress.ts; named here so that following it loads nothing). */
const SCAN_PROGRESS_CHANNEL = 'compliance:data-mapping-scan';

type ScanProgressEvent = { kind: 'listed'; sources: number } | { kind: 'started' } | { kind: 'read'; chars: number } | { kind: 'done'; bytesRead: number };

/**
 * A bar for each data-mapping scan run in this process (`compliance datamap`, `run`):
 * sources done of those listed, and the text read (bytes of the sources done, plus the
 * characters read of those under way), with its rate and the time left by sources.
 * Returns what stops following them.
 */
export function followDataMapScans(stream: Writable & { isTTY?: boolean }): () => void {
  let bar: Promise<ProgressBar> | undefined;
  const state = { filesDone: 0, filesTotal: 0, bytesDone: 0, bytesTotal: 0 };
  let underWay = 0;
  let started = performance.now();
  const show = () => {
    const rate = (state.bytesDone + underWay) / MB / Math.max(0.001, (performance.now() - started) / 1000);
    void bar?.then((b) => b.update({ ...state, bytesDone: state.bytesDone + underWay }, rate));
  };
  const follow = (message: unknown) => {
    const event = message as ScanProgressEvent;
    if (event.kind === 'listed') {
      Object.assign(state, { filesDone: 0, filesTotal: event.sources, bytesDone: 0, bytesTotal: 0 });
      underWay = 0;
      started = performance.now();
      bar = event.sources > 0 ? progressBar(stream, 'sources') : undefined;
    } else if (event.kind === 'read') underWay += event.chars;
    else if (event.kind === 'done') {
      state.filesDone++;
      state.bytesDone += event.bytesRead;
      underWay = 0;
      if (state.filesDone >= state.filesTotal) {
        const finished = bar;
        bar = undefined;
        void finished?.then((b) => b.stop());
        return;
      }
    }
    show();
  };
  diagnostics.subscribe(SCAN_PROGRESS_CHANNEL, follow);
  // stops following, and the bar of a scan that did not get to its last source
  return () => {
    diagnostics.unsubscribe(SCAN_PROGRESS_CHANNEL, follow);
    void bar?.then((b) => b.stop());
    bar = undefined;
  };
}
