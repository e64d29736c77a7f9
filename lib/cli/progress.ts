// A progress bar on a terminal (cli-progress, loaded only when one is shown): files and
// bytes done, the rate and the time left. The caller shows it only when stderr is a
// terminal, so that nothing is written where output is piped or logged.
import type { Writable } from 'node:stream';

export interface ProgressState {
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
}

export interface ProgressBar {
  update: (p: ProgressState) => void;
  stop: () => void;
}

const MB = 1e6;

/** A bar on `stream` (a TTY) for a scan of files and bytes. */
export async function progressBar(stream: Writable & { isTTY?: boolean }): Promise<ProgressBar> {
  const { default: cliProgress } = await import('cli-progress');
  const started = performance.now();
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: '{bar} {percentage}% | {files} files | {done}/{total} MB | {rate} MB/s | {eta_formatted} left',
      barsize: 30,
      hideCursor: true,
      clearOnComplete: true,
      fps: 5,
      etaBuffer: 20,
    },
    cliProgress.Presets.shades_classic,
  );
  let shown = false;
  return {
    update: (p) => {
      const payload = {
        files: `${p.filesDone}/${p.filesTotal}`,
        done: (p.bytesDone / MB).toFixed(1),
        total: (p.bytesTotal / MB).toFixed(1),
        rate: (p.bytesDone / MB / Math.max(0.001, (performance.now() - started) / 1000)).toFixed(1),
      };
      if (!shown) {
        bar.start(Math.max(1, p.bytesTotal), p.bytesDone, payload);
        shown = true;
      } else bar.update(p.bytesDone, payload);
    },
    stop: () => {
      if (shown) bar.stop();
    },
  };
}
