// The entry of a scan worker thread (scan-pool.ts), in plain JavaScript so that a thread
// starts without Node's TypeScript stripper: it turns on the compile cache the main
// thread filled (main.mjs), in which the worker's modules are already stripped
// and compiled, then loads them.
import module from 'node:module';
import { workerData } from 'node:worker_threads';

if (typeof workerData?.compileCache === 'string' && typeof module.enableCompileCache === 'function') module.enableCompileCache(workerData.compileCache);
await import('./scan-worker.ts');
