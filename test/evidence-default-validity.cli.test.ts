// The command line's answer with an evidence file and no --valid-for: the evidence gets an
// end (the period of the item it renews, from today), the confirmation says it, and the
// evidence list at a --now the day after shows it lapsed. Against DynamoDB Local.
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { runCli } from './support/cli.ts';
import { tempDir } from './support/temp-dir.ts';

describe('compliance task answer --evidence without --valid-for', () => {
  const global = ['--endpoint', inject('dynamoEndpoint'), '--table', `test-evidence-default-${randomUUID()}`, '--outbox', tempDir('ev-default-outbox-'), '--data-dir', tempDir('ev-default-data-')];
  const cli = (...args: string[]) => runCli([...global, ...args]);

  it('registers the evidence with an end, says it, and lists it lapsed the day after', async () => {
    for (const step of [['import', 'examples/acme-hk/org.yaml'], ['review', 'open']]) {
      const r = await cli(...step, '--now', '2026-11-30');
      expect(r.code, r.stderr).toBe(0);
    }
    const file = path.join(tempDir('ev-default-file-'), 'mfa-2026-11.pdf');
    writeFileSync(file, 'MFA enforcement report, November 2026');
    // A.8.5's only evidence, ev-050, ran 2026-08-25 to 2026-11-24 (91 days on) and has lapsed: renewed, 91 days on from today.
    const answered = await cli('task', 'answer', '2026-Q4/A.8.5', '--as', 'wong-siu-ming', '--result', 'effective', '--evidence', file, '--now', '2026-11-30');
    expect(answered.code, answered.stderr).toBe(0);
    expect(answered.stdout).toMatch(/^Answered 2026-Q4\/A\.8\.5 as wong-siu-ming: effective with evidence \S+, valid until 2027-03-01\. /);
    const rows = async (now: string) => JSON.parse((await cli('evidence', 'list', '--control', 'A.8.5', '--format', 'json', '--now', now)).stdout) as { id: string; validUntil?: string; status: string; renews?: string }[];
    const item = (await rows('2027-03-01')).find((r) => r.validUntil === '2027-03-01');
    expect(item?.status).toBe('due-soon');
    expect((await rows('2027-03-02')).find((r) => r.id === item?.id)?.status).toBe('lapsed');
  }, 120_000);
});
