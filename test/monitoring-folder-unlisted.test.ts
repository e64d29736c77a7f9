// A declared audit-log folder that cannot be listed fails with that reason (the machine's
// tests run as root, which lists any folder: the listing's refusal is given here).
import { afterAll, describe, expect, it, vi } from 'vitest';
import { seal } from '../lib/domain/detect/seal.ts';
import { tempDir } from './support/temp-dir.ts';

vi.mock('../lib/adapters/sources/local-files.ts', async (original) => ({
  ...(await original<typeof import('../lib/adapters/sources/local-files.ts')>()),
  entriesUnder: async (given: string) => [{ path: given, refused: 'folder not read: permission denied' }],
}));

describe('a declared audit-log folder that cannot be listed', () => {
  // the reader loads anew, with the mock (the worker may hold it loaded for another file:
  // vitest.config.ts), and is dropped again after
  afterAll(() => vi.resetModules());

  it('fails with the listing\'s reason, not as a file it is not', async () => {
    vi.resetModules();
    const { auditLogReaders } = await import('../lib/adapters/events/audit-log-files.ts');
    const key = 'test-hash-key-0123456789';
    const folder = tempDir('audit-unlisted-');
    const read = async () => {
      for await (const _ of auditLogReaders().declared({ path: seal(key, folder) }, key)) void _;
    };
    await expect(read()).rejects.toThrow(/: folder not read: permission denied$/);
  });
});
