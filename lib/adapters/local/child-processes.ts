// The processes the local adapters start (DynamoDB Local), for a command line stopped
// by a signal: Node does not stop a child when it exits, so a child not stopped here
// would outlive the command (re-parented to init, still listening and holding its data
// directory). Nothing here is loaded but this list: the command line imports it at start.

export interface StartedChild {
  /** Stops it (its own way: SIGTERM, then SIGKILL if it lingers), resolving once it has exited. */
  stop(): Promise<void>;
  /** Kills it at once (SIGKILL), for a second signal that ends the command without waiting. */
  kill(): void;
}

const started = new Set<StartedChild>();

/** Tracks a child until the returned function is called (when it has exited). */
export function trackChild(child: StartedChild): () => void {
  started.add(child);
  return () => started.delete(child);
}

/** Stops every child still running, and waits until each has exited. */
export async function stopChildren(): Promise<void> {
  await Promise.all([...started].map((c) => c.stop().catch(() => undefined)));
}

/** Kills every child still running, without waiting. */
export function killChildren(): void {
  for (const c of started) {
    try {
      c.kill();
    } catch {
      // already gone
    }
  }
}
