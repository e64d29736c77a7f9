// How the command line ends early: on SIGINT, SIGTERM or SIGHUP, or when the reader of
// its output goes away. Node's defaults (exit at once; a stack trace for EPIPE) would
// leave DynamoDB Local running and a terminal with its cursor hidden and line wrap off
// (the progress bar's). So the first signal restores the terminal, stops the children
// the command started and waits for them, then exits with 128 + the signal's number, as
// a shell reports a process a signal ended; a second signal kills the children and
// exits at once. A command that runs until stopped (serve) takes the first signal
// itself, to shut down as it does when it finishes (untilSignal).
import { constants } from 'node:os';
import { killChildren, stopChildren } from '../adapters/local/child-processes.ts';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** Undone before the command ends early (a progress bar's hold on the terminal). */
const restores = new Set<() => void>();
let caught: NodeJS.Signals | undefined;
let waiting: ((signal: NodeJS.Signals) => void) | undefined;
/** The exit code the command is ending with, when a signal (not one a command took itself) or a closed output ends it. */
let ending: number | undefined;

/** Runs `restore` if a signal or a closed output ends the command; the returned function forgets it (once it is done anyway). */
export function onSignal(restore: () => void): () => void {
  restores.add(restore);
  return () => restores.delete(restore);
}

/** For a command that runs until stopped: resolves on the first signal, which then ends nothing itself. */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => (waiting = resolve));
}

/** The exit code a signal gives (130 for SIGINT, 143 for SIGTERM, 129 for SIGHUP). */
function signalExitCode(signal: NodeJS.Signals): number {
  return 128 + constants.signals[signal];
}

/** The exit code the command is ending with, when a signal or a closed output is ending it. */
export function interruptedExitCode(): number | undefined {
  return ending;
}

export function handleSignals(): void {
  for (const signal of SIGNALS) process.on(signal, () => void interrupted(signal));
  // The reader of our output went away (`| head`): the command ends quietly, exit 0, as
  // the tools a pipe like that is built of do (they end by SIGPIPE, which Node ignores,
  // turning it into an EPIPE error that would otherwise end in a stack trace).
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') process.stderr.write(`compliance: cannot write the output: ${error.code ?? error.message}\n`);
    void end(error.code === 'EPIPE' ? 0 : 1);
  });
  // Nowhere left to say anything: the command goes on without saying it.
  process.stderr.on('error', () => undefined);
}

async function interrupted(signal: NodeJS.Signals): Promise<void> {
  if (caught) {
    killChildren();
    process.exit(signalExitCode(signal));
  }
  caught = signal;
  if (waiting) {
    const resolve = waiting;
    waiting = undefined;
    resolve(signal);
    return;
  }
  await end(signalExitCode(signal));
}

/** Ends the command with `code`: the terminal restored, the children stopped and waited for. */
async function end(code: number): Promise<void> {
  if (ending !== undefined) return;
  ending = code;
  for (const restore of restores) {
    try {
      restore();
    } catch {
      // the terminal may be gone (SIGHUP)
    }
  }
  restores.clear();
  await stopChildren();
  process.exit(code);
}
