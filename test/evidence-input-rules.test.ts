// What new evidence must be, as the organisation file's and the answers file's schemas
// say it, and the command line's tables showing stored text escaped whatever it holds.
// (The rules themselves: evidence-input-validity.test.ts.)
import { describe, expect, it } from 'vitest';
import { Evidence, EvidenceLocation } from '../lib/domain/org/org.ts';
import { AnswersFile } from '../lib/domain/review/answers-file.ts';
import { formatEvidence } from '../lib/cli/output.ts';
import type { EvidenceRow } from '../lib/domain/evidence/evidence-rows.ts';

const FORGED = 'Report\n2026-Q4/A.5.9/fake  A.5.9  current\u202egpj.exe\u0007';
const item = { id: 'ev-1', control: 'A.5.9', title: 'Asset register', kind: 'report', location: 'https://sp.example/m.pdf', collected: '2026-11-01', validFor: 'P3M' };
const issues = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) => (r.error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`);

describe('one-line fields', () => {
  it('refuses a title with a line break, a bidi override or a bell, naming the field and the character', () => {
    expect(issues(Evidence.safeParse({ ...item, title: FORGED }))).toEqual([
      'title: holds a line break (U+000A) at character 7: must be one line of plain text, without control characters or bidirectional overrides',
    ]);
    expect(issues(Evidence.safeParse({ ...item, title: 'scan\u202egpj.exe' }))).toEqual([expect.stringMatching(/^title: holds a bidirectional override \(U\+202E\) at character 5: /)]);
    expect(issues(Evidence.safeParse({ ...item, title: 'scan\u2066x\u2069' }))).toEqual([expect.stringMatching(/^title: holds a bidirectional override \(U\+2066\)/)]);
    expect(issues(Evidence.safeParse({ ...item, title: 'bell\u0007' }))).toEqual([expect.stringMatching(/^title: holds a control character \(U\+0007\)/)]);
    expect(issues(Evidence.safeParse({ ...item, title: 'c1\u009b31m' }))).toEqual([expect.stringMatching(/^title: holds a control character \(U\+009B\)/)]);
    expect(Evidence.safeParse({ ...item, title: '資產登記冊 2026 — Snipe-IT (v2)' }).success).toBe(true);
  });

});

describe('evidence locations', () => {
  it('refuses credentials before the host, naming the field, in every scheme', () => {
    expect(issues(Evidence.safeParse({ ...item, location: 'https://user:secretpw@a.example/doc.pdf' }))).toEqual([
      'location: holds credentials (a user name or password before the host): a location is shown to auditors and in audit packages; give it without them',
    ]);
    for (const location of ['s3://key:secret@bucket/a.pdf', 'https://ghp_token@github.example/o/r/a.pdf', 'smb://DOMAIN;user:pw@server/share/a.pdf']) {
      expect(EvidenceLocation.safeParse(location).success, location).toBe(false);
    }
  });

  it('refuses a signed or token link, and takes an ordinary query', () => {
    expect(issues(EvidenceLocation.safeParse('https://bucket.s3.amazonaws.com/a.pdf?X-Amz-Credential=AKIA%2F&X-Amz-Signature=abc'))).toEqual([expect.stringMatching(/"X-Amz-Credential" parameter/)]);
    expect(issues(EvidenceLocation.safeParse('https://acct.blob.core.windows.net/c/a.pdf?sv=2022-11-02&sig=abc'))).toEqual([expect.stringMatching(/"sig" parameter/)]);
    expect(EvidenceLocation.safeParse('https://sp.example/sites/it/a.pdf?web=1&e=AbC').success).toBe(true);
  });

  it('refuses a line break or bidi override the URL parser would drop while the location is kept as given', () => {
    expect(issues(EvidenceLocation.safeParse('https://a.example/x\ny.pdf'))).toEqual([expect.stringMatching(/^: holds a line break \(U\+000A\)/)]);
    expect(EvidenceLocation.safeParse('https://a.example/x\u202egpj.exe').success).toBe(false);
  });
});

describe('validity of new evidence', () => {
  it('refuses a period of no length where periods are read (the organisation file, the answers file)', () => {
    expect(issues(Evidence.safeParse({ ...item, validFor: 'P0D' }))).toEqual(['validFor: must be at least one day (P0D ends the day before it starts)']);
    const file = AnswersFile.safeParse({ answers: [{ task: 'A.8.5', as: 'jason-tsang', result: 'effective', validFor: 'P0Y0M' }] });
    expect(issues(file)).toEqual(['answers.0.validFor: must be at least one day (P0D ends the day before it starts)']);
    expect(issues(Evidence.safeParse({ ...item, validFor: '6 months' }))).toEqual(['validFor: must be an ISO-8601 period such as P1Y, P6M or P90D']);
  });

  it('leaves the organisation file its history: an item that ended long ago is read', () => {
    expect(Evidence.safeParse({ ...item, collected: '2025-01-01', validFor: undefined, validUntil: '2025-02-01' }).success).toBe(true);
  });
});

describe('the evidence table', () => {
  const row = (title: string, id = 'A.5.9/0123456789abcdef'): EvidenceRow => ({ id, control: 'A.5.9', title, kind: 'report', owner: 'wong-siu-ming', location: 'https://sp.example/m.pdf', collected: '2026-11-30', validUntil: '2027-02-27', status: 'current', daysOverdue: -89 });

  it('shows a control, bidi or separator character of a stored title escaped, so no row is forged', () => {
    const out = formatEvidence([row(FORGED), row('Plain', 'A.5.9/fedcba9876543210')]);
    expect(out.split('\n')).toHaveLength(3);
    expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029]/u);
    expect(out).toContain('Report\\u{a}2026-Q4/A.5.9/fake  A.5.9  current\\u{202e}gpj.exe\\u{7}');
  });

  it('escapes every column, not only the title', () => {
    const out = formatEvidence([{ ...row('t'), owner: 'x\ry' }]);
    expect(out.split('\n')).toHaveLength(2);
    expect(out).toContain('x\\u{d}y');
  });
});
