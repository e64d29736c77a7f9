// Compiles lib/domain/detect/kernel/candidates.as.ts (AssemblyScript) to WebAssembly and
// writes it, base64, into candidates-wasm.ts beside it, which the host
// (lib/domain/detect/candidates.ts) instantiates: embedded in a
// module rather than read from a .wasm file, so that detect() stays free of I/O and the
// Lambda bundles carry it without a loader. `npm run build:kernel` after changing the
// source; a test builds it again and fails when the embedded copy differs.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import asc from 'assemblyscript/asc';

const SOURCE = fileURLToPath(new URL('../../lib/domain/detect/kernel/candidates.as.ts', import.meta.url));
const OUTPUT = fileURLToPath(new URL('../../lib/domain/detect/kernel/candidates-wasm.ts', import.meta.url));

/** The kernel's WebAssembly, built from its source. */
export async function buildKernel(): Promise<Uint8Array> {
  const result = await asc.compileString(
    { 'candidates.ts': readFileSync(SOURCE, 'utf8') },
    // no runtime, no allocator, no assertions: the kernel only reads and writes memory the host lays out
    { optimizeLevel: 3, shrinkLevel: 0, runtime: 'stub', noAssert: true, importMemory: true, initialMemory: 1, noExportMemory: true },
  );
  if (result.error !== null || result.binary === null) throw new Error(`kernel: ${result.error?.message ?? 'no binary'}\n${result.stderr.toString()}`);
  return result.binary;
}

/** The generated module's text for `wasm`. */
export function kernelModule(wasm: Uint8Array): string {
  return (
    '// Generated from candidates.as.ts by test/support/kernel-build.ts (`npm run build:kernel`); do not edit.\n' +
    `export const CANDIDATES_WASM = '${Buffer.from(wasm).toString('base64')}';\n`
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(OUTPUT, kernelModule(await buildKernel()));
  console.log(`wrote ${OUTPUT}`);
}
