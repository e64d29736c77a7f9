// The entry of a scan worker thread (scan-pool.ts), in plain JavaScript so that a thread
// starts without Node's TypeScript stripper: it turns on the compile cache the main
// thread filled (main.mjs), in which the worker's modules are already stripped
// and compiled, then loads them and runs each task it is sent (scan-task.ts), handing
// the findings' bytes back without a copy.
import module from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';

if (typeof workerData?.compileCache === 'string' && typeof module.enableCompileCache === 'function') module.enableCompileCache(workerData.compileCache);
const { runTask } = await import('./scan-task.ts');
// Tasks run one after another: the pool sends the next before this one ends, so that the
// thread does not wait for the main thread (busy scanning a part of its own) to send it.
let queue = Promise.resolve();
parentPort?.on('message', (task) => {
  queue = queue
    .then(() => runTask(task))
    .then((result) => {
      try {
        parentPort?.postMessage(result, 'json' in result ? result.json.map((bytes) => bytes.buffer) : []);
      } catch (error) {
        // what cannot be sent fails the task with why, not the thread with nothing said
        parentPort?.postMessage({ id: task.id, error: `a scan worker could not hand its findings back: ${error?.message ?? error}` });
      }
    });
});
