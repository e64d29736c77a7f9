// The layers stay visible in the imports: the domain is pure (no AWS SDK, no file
// system, no processes, no adapter, use case or edge), use cases reach the world
// only through their ports, and the declaration of workflows imports nothing.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const LIB = fileURLToPath(new URL('../lib/', import.meta.url));

function modulesUnder(folder: string): string[] {
  return readdirSync(path.join(LIB, folder), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => path.relative(LIB, path.join(e.parentPath, e.name)));
}

/** Every module a file imports (static and dynamic), relative ones resolved to lib/-relative paths. */
function importsOf(module: string): string[] {
  const text = readFileSync(path.join(LIB, module), 'utf8');
  const specifiers = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2]!);
  return specifiers.map((s) => (s.startsWith('.') ? path.relative(LIB, path.resolve(path.dirname(path.join(LIB, module)), s)) : s));
}

const SYSTEM = [/^@aws-sdk\//, /^node:fs(\/promises)?$/, /^fs(\/promises)?$/, /^node:child_process$/, /^child_process$/];

function violations(folder: string, forbidden: RegExp[]): string[] {
  return modulesUnder(folder).flatMap((m) => importsOf(m).filter((i) => forbidden.some((f) => f.test(i))).map((i) => `${m} imports ${i}`));
}

describe('layers', () => {
  it('finds the imports it checks (a sanity check of the parser)', () => {
    expect(importsOf('runtime.ts')).toContain('adapters/dynamodb/client.ts');
    expect(importsOf('adapters/aws/ssm-hash-key.ts')).toContain('@aws-sdk/client-ssm');
    expect(modulesUnder('domain').length).toBeGreaterThan(10);
  });

  it('keeps the domain pure: no AWS SDK, file system, processes, adapters, use cases or edges', () => {
    expect(violations('domain', [...SYSTEM, /^(adapters|usecases|cli|lambda|api)\//, /^(runtime|config)\.ts$/])).toEqual([]);
  });

  it('lets use cases reach the world only through their ports: no AWS SDK, file system, processes, adapters or edges', () => {
    expect(violations('usecases', [...SYSTEM, /^(adapters|cli|lambda|api)\//, /^(runtime|config)\.ts$/])).toEqual([]);
  });

  it('keeps the workflow declarations free of imports (workflows/deploy.cjs loads them while packaging)', () => {
    expect(modulesUnder('workflows').flatMap(importsOf)).toEqual([]);
  });
});
