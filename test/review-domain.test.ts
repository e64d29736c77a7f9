// The review's pure rules: which quarter a moment is in where the organisation is,
// which controls a quarter tasks, which digests a day records, what closing decides,
// the Statement of Applicability, and the digest mail in both languages.
import { describe, expect, it } from 'vitest';
import { closeReview } from '../lib/domain/review/close.ts';
import { dueInQuarter, planTasks, type ReviewedControl } from '../lib/domain/review/plan.ts';
import { firstDayOf, lastDayOf, localDate, nextQuarter, previousQuarter, quarterAt } from '../lib/domain/review/quarter.ts';
import { digestsDue } from '../lib/domain/review/reminders.ts';
import type { Nonconformity, Review, Task } from '../lib/domain/review/review.ts';
import { evidenceStatusByControl, soaTable, statementOfApplicability } from '../lib/domain/review/soa.ts';
import { renderNoticeMail } from '../lib/domain/notice/notice-mail.ts';
import type { EvidenceRecord } from '../lib/domain/org/org.ts';
import { OrgFile } from '../lib/domain/org/org.ts';

const policy = { dueDays: 30, remindBeforeDays: 7 };
const control = (id: string, extra: Partial<ReviewedControl> = {}): ReviewedControl => ({ id, title: id, owner: 'olive', reviewEvery: 'quarter', ...extra });

function task(control: string, extra: Partial<Task> = {}): Task {
  return {
    id: `2026-Q4/${control}`,
    quarter: '2026-Q4',
    control,
    controlTitle: control,
    owner: 'olive',
    reviewer: 'rita',
    due: '2026-10-31',
    status: 'open',
    evidenceStatusAtOpening: 'current',
    evidence: [],
    version: 0,
    ...extra,
  };
}

describe('quarters where the organisation is', () => {
  it('turns at local midnight: 16:00 UTC on 30 September is 1 October in Hong Kong', () => {
    expect(quarterAt(new Date('2026-09-30T15:59:59Z'), 'Asia/Hong_Kong')).toBe('2026-Q3');
    expect(quarterAt(new Date('2026-09-30T16:00:00Z'), 'Asia/Hong_Kong')).toBe('2026-Q4');
    expect(quarterAt(new Date('2026-09-30T16:00:00Z'), 'Europe/London')).toBe('2026-Q3');
    expect(localDate(new Date('2026-12-31T17:00:00Z'), 'Asia/Hong_Kong')).toBe('2027-01-01');
  });

  it('knows first and last days, and the quarters either side', () => {
    expect([firstDayOf('2026-Q4'), lastDayOf('2026-Q4'), lastDayOf('2028-Q1')]).toEqual(['2026-10-01', '2026-12-31', '2028-03-31']);
    expect([nextQuarter('2026-Q4'), previousQuarter('2027-Q1'), nextQuarter('2026-Q2')]).toEqual(['2027-Q1', '2026-Q4', '2026-Q3']);
  });
});

describe('which controls a quarter tasks', () => {
  it('quarterly every quarter; half-yearly in Q2 and Q4 (or reviewIn and two after); yearly in Q4 (or reviewIn)', () => {
    const quarters = ['2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4'];
    const due = (c: Pick<ReviewedControl, 'reviewEvery' | 'reviewIn'>) => quarters.filter((q) => dueInQuarter(c, q));
    expect(due({ reviewEvery: 'quarter' })).toEqual(quarters);
    expect(due({ reviewEvery: 'half-year' })).toEqual(['2026-Q2', '2026-Q4']);
    expect(due({ reviewEvery: 'half-year', reviewIn: 'Q1' })).toEqual(['2026-Q1', '2026-Q3']);
    expect(due({ reviewEvery: 'half-year', reviewIn: 'Q4' })).toEqual(['2026-Q2', '2026-Q4']);
    expect(due({ reviewEvery: 'year' })).toEqual(['2026-Q4']);
    expect(due({ reviewEvery: 'year', reviewIn: 'Q2' })).toEqual(['2026-Q2']);
  });

  it('tasks a control out of its rhythm while it has an open nonconformity, and dates every task opening + dueDays', () => {
    const tasks = planTasks({
      quarter: '2027-Q1',
      openingDate: '2027-01-01',
      policy,
      controls: [control('A.5.1'), control('A.5.29', { reviewEvery: 'year' }), control('A.5.30', { reviewEvery: 'year', reviewer: 'vera' })],
      evidenceStatus: new Map([['A.5.1', 'lapsed']]),
      openNonconformities: [{ id: 'NC-2026-Q4-A.5.30', control: 'A.5.30' }],
      complianceContact: 'carl',
    });
    expect(tasks.map((t) => [t.id, t.reviewer, t.due, t.evidenceStatusAtOpening, t.carries ?? null])).toEqual([
      ['2027-Q1/A.5.1', 'carl', '2027-01-31', 'lapsed', null],
      ['2027-Q1/A.5.30', 'vera', '2027-01-31', 'none', 'NC-2026-Q4-A.5.30'],
    ]);
  });

  it('a review opened late in its quarter: tasks due no later than the quarter\'s last day, however many dueDays', () => {
    const due = (openingDate: string, dueDays: number) =>
      planTasks({ quarter: '2026-Q4', openingDate, policy: { dueDays, remindBeforeDays: 7 }, controls: [control('A.8.15')], evidenceStatus: new Map(), openNonconformities: [], complianceContact: 'carl' })[0]?.due;
    expect(due('2026-12-15', 30)).toBe('2026-12-31');
    expect(due('2026-10-01', 180)).toBe('2026-12-31');
    expect(due('2026-12-31', 1)).toBe('2026-12-31');
    // Well inside the quarter, dueDays as given.
    expect(due('2026-11-30', 30)).toBe('2026-12-30');
  });

  it("titles a task with the catalogue's title for its control, whatever the organisation file calls it", () => {
    const [t] = planTasks({ quarter: '2026-Q4', openingDate: '2026-10-01', policy, controls: [control('A.8.24', { title: 'Physical entry controls' })], evidenceStatus: new Map(), openNonconformities: [], complianceContact: 'carl' });
    expect(t?.controlTitle).toBe('Cryptography');
  });
});

describe('which digests a day records', () => {
  const open = [task('A.5.1'), task('A.5.2', { delegate: 'dora' }), task('A.5.3', { owner: 'otto', reviewer: 'rita' }), task('A.5.4', { status: 'answered', result: 'effective' })];

  it('nothing before the window; a reminder per answerer from remindBeforeDays before the due date to the due date; then an escalation per reviewer', () => {
    expect(digestsDue(open, '2026-10-23', policy)).toEqual([]);
    const reminders = digestsDue(open, '2026-10-24', policy);
    expect(reminders.map((d) => [d.stage, d.recipientId, d.tasks.map((t) => t.control)])).toEqual([
      ['reminder', 'olive', ['A.5.1']],
      ['reminder', 'dora', ['A.5.2']],
      ['reminder', 'otto', ['A.5.3']],
    ]);
    expect(digestsDue(open, '2026-10-31', policy).every((d) => d.stage === 'reminder')).toBe(true);
    const escalations = digestsDue(open, '2026-11-01', policy);
    expect(escalations.map((d) => [d.stage, d.recipientId, d.tasks.length])).toEqual([['escalated', 'rita', 3]]);
  });
});

describe('closing a review', () => {
  const review: Review = { id: '2026-Q4', orgId: 'o', status: 'open', openedAt: '2026-10-01T00:00:00Z', openedBy: 'r', due: '2026-10-31', deadline: '2026-12-31', tasks: 5 };
  const open: Nonconformity[] = [
    { id: 'NC-2026-Q3-A.5.1', control: 'A.5.1', openedIn: '2026-Q3', reason: 'not-effective', status: 'open' },
    { id: 'NC-2026-Q3-A.5.2', control: 'A.5.2', openedIn: '2026-Q3', reason: 'unanswered', status: 'open' },
  ];
  const tasks = [
    task('A.5.1', { status: 'answered', result: 'effective', answeredAt: '2026-10-20T00:00:00Z' }),
    task('A.5.2', { status: 'answered', result: 'partially-effective', answeredAt: '2026-11-05T00:00:00Z', owner: 'late' }),
    task('A.8.1', { status: 'answered', result: 'not-effective', answeredAt: '2026-10-02T00:00:00Z' }),
    task('A.8.2', { owner: 'silent' }),
    task('A.6.1', { status: 'answered', result: 'not-applicable', answeredAt: '2026-10-02T00:00:00Z' }),
  ];

  it('a result per control; nonconformities opened for not-effective and unanswered, closed by effective, carried by partially effective', () => {
    const c = closeReview(review, tasks, open, '2027-01-01T01:00:00Z', 'run', '2027-01-01');
    expect(c.tasks.map((t) => [t.control, t.status, t.closedAt])).toEqual([
      ['A.5.1', 'answered', '2027-01-01T01:00:00Z'],
      ['A.5.2', 'answered', '2027-01-01T01:00:00Z'],
      ['A.8.1', 'answered', '2027-01-01T01:00:00Z'],
      ['A.8.2', 'unanswered', '2027-01-01T01:00:00Z'],
      ['A.6.1', 'answered', '2027-01-01T01:00:00Z'],
    ]);
    expect(c.opened.map((nc) => [nc.id, nc.reason])).toEqual([
      ['NC-2026-Q4-A.8.1', 'not-effective'],
      ['NC-2026-Q4-A.8.2', 'unanswered'],
    ]);
    expect(c.closed.map((nc) => [nc.id, nc.closedIn])).toEqual([['NC-2026-Q3-A.5.1', '2026-Q4']]);
    expect(c.review.summary).toEqual({
      tasks: 5,
      byResult: { effective: 1, 'partially-effective': 1, 'not-effective': 1, unanswered: 1, 'not-applicable': 1 },
      byTheme: { organizational: { effective: 1, 'partially-effective': 1 }, technological: { 'not-effective': 1, unanswered: 1 }, people: { 'not-applicable': 1 } },
      overdueOwners: ['late', 'silent'],
      nonconformitiesOpened: ['NC-2026-Q4-A.8.1', 'NC-2026-Q4-A.8.2'],
      nonconformitiesClosed: ['NC-2026-Q3-A.5.1'],
    });
    expect(c.audit.map((a) => a.event)).toEqual(['nonconformity.opened', 'nonconformity.opened', 'nonconformity.closed', 'review.closed']);
  });

  it('closed before the due date, an unanswered task makes nobody overdue', () => {
    expect(closeReview(review, [task('A.8.2', { owner: 'silent' })], [], '2026-10-15T00:00:00Z', 'run', '2026-10-15').review.summary?.overdueOwners).toEqual([]);
  });

  it('opens no nonconformity for an unanswered task before its own due date, judged on the local date', () => {
    // A task written due after its review's deadline (as reviews opened late in a quarter once were), closed the day after the deadline.
    const late = closeReview(review, [task('A.8.2', { owner: 'silent', due: '2027-01-14' })], [], '2027-01-01T01:00:00Z', 'run', '2027-01-01');
    expect(late.opened).toEqual([]);
    expect(late.tasks.map((t) => [t.status, t.closedAt])).toEqual([['unanswered', '2027-01-01T01:00:00Z']]);
    expect(late.review.summary).toMatchObject({ byResult: { unanswered: 1 }, overdueOwners: [], nonconformitiesOpened: [] });
    // A review closed early by hand: nothing is overdue yet, so no nonconformity either.
    expect(closeReview(review, [task('A.8.2')], [], '2026-10-15T00:00:00Z', 'run', '2026-10-15').opened).toEqual([]);
    // 1 January 00:30 in Hong Kong is still 31 December in UTC: the task due 31 December is past due where the organisation is.
    const atMidnight = closeReview(review, [task('A.8.2', { owner: 'silent', due: '2026-12-31' })], [], '2026-12-31T16:30:00Z', 'run', '2027-01-01');
    expect(atMidnight.opened.map((nc) => nc.id)).toEqual(['NC-2026-Q4-A.8.2']);
    expect(atMidnight.review.summary?.overdueOwners).toEqual(['silent']);
  });
});

describe('the Statement of Applicability', () => {
  it("writes its CSV table with the first eight columns as they were, then justified, an answer awaiting review, the file's own title and the implementation", () => {
    const table = soaTable(
      [
        { id: 'A.5.7', title: 'Threat intelligence', theme: 'Organizational', applicable: true, justified: false, implementation: 'planned', owner: 'amy', lastResult: 'effective', unreviewedAnswer: { task: '2026-Q4/A.5.7', result: 'not-effective', reviewClosed: false }, evidenceStatus: 'current' },
        { id: 'A.7.5', title: 'Physical and environmental threats', theme: 'Physical', applicable: false, justification: 'No premises of our own', justified: true, evidenceStatus: 'none', titleInOrganisationFile: 'Environmental threats' },
        { id: 'A.8.1', title: 'User endpoint devices', theme: 'Technological', applicable: null, justified: false, unreviewedAnswer: { task: '2026-Q3/A.8.1', result: 'effective', reviewClosed: true }, evidenceStatus: 'none' },
      ],
      'evidence status on 2026-12-31',
    );
    expect(table.header).toEqual(['control', 'title', 'theme', 'applicable', 'justification', 'owner', 'last result', 'evidence status on 2026-12-31', 'justified', 'answer awaiting review', 'title in organisation file', 'implementation']);
    expect(table.rows).toEqual([
      ['A.5.7', 'Threat intelligence', 'Organizational', 'yes', '', 'amy', 'effective', 'current', 'no', 'not-effective (2026-Q4/A.5.7)', '', 'planned'],
      ['A.7.5', 'Physical and environmental threats', 'Physical', 'no', 'No premises of our own', '', '', 'none', 'yes', '', 'Environmental threats', ''],
      ['A.8.1', 'User endpoint devices', 'Technological', 'undecided', '', '', '', 'none', 'no', 'effective (2026-Q3/A.8.1; the review closed before a decision)', '', ''],
    ]);
  });

  it('lists all 93 controls: applicable, not (with why), or undecided (null); with owner, last result and the worst live evidence status', () => {
    const evidence = [
      { id: 'a', control: 'A.5.1', validUntil: '2026-12-31', retired: false },
      { id: 'b', control: 'A.5.1', validUntil: '2026-11-01', retired: false },
      { id: 'c', control: 'A.8.15', validUntil: '2026-11-01', retired: false, renewedBy: 'd' },
      { id: 'd', control: 'A.8.15', validUntil: '2027-11-01', retired: false },
    ] as EvidenceRecord[];
    const statuses = evidenceStatusByControl(evidence, '2026-11-30', { dueSoonDays: 14, escalateAfterDays: 7, reminderEveryDays: 7 });
    expect(Object.fromEntries(statuses)).toEqual({ 'A.5.1': 'escalated', 'A.8.15': 'current' });
    const rows = statementOfApplicability(
      [
        { id: 'A.5.1', title: 'Policies', applicable: true, owner: 'olive', justification: 'Board approves yearly', implementation: 'implemented' },
        { id: 'A.7.5', title: 'Physical threats', applicable: false, justification: 'Leased offices' },
        { id: 'A.8.1', title: 'User endpoint devices', applicable: true, owner: 'olive' },
      ],
      new Map([['A.5.1', { lastResult: 'effective' }]]),
      statuses,
    );
    expect(rows).toHaveLength(93);
    expect(rows[0]).toEqual({
      id: 'A.5.1',
      title: 'Information security policies',
      titleInOrganisationFile: 'Policies',
      theme: 'organizational',
      applicable: true,
      justification: 'Board approves yearly',
      justified: true,
      implementation: 'implemented',
      owner: 'olive',
      lastResult: 'effective',
      evidenceStatus: 'escalated',
    });
    expect(rows.find((r) => r.id === 'A.7.5')).toMatchObject({ applicable: false, justification: 'Leased offices', evidenceStatus: 'none' });
    expect(rows.find((r) => r.id === 'A.8.15')).toMatchObject({ applicable: null, evidenceStatus: 'current' });
    expect(rows.find((r) => r.id === 'A.8.15')).not.toHaveProperty('owner');
    // not stated: no implementation at all, rather than a guess
    expect(rows.find((r) => r.id === 'A.8.1')).not.toHaveProperty('implementation');
  });

  it('gives the evidence status as of a past day: only items collected by then, a renewed item until its renewal was collected', () => {
    const item = (id: string, control: string, collected: string, validUntil: string, extra: Partial<EvidenceRecord> = {}): EvidenceRecord => ({
      id, control, title: 't', kind: 'policy', location: 'https://x.example', collected, validUntil, owner: 'p', retired: false, origin: 'file', ...extra,
    });
    const evidence = [
      item('later', 'A.5.7', '2026-10-15', '2027-10-15'),
      item('old', 'A.5.1', '2026-01-01', '2026-09-20', { renewedBy: 'new' }),
      item('new', 'A.5.1', '2026-10-02', '2027-10-02', { origin: 'answer', renews: 'old' }),
    ];
    const sweep = { dueSoonDays: 14, escalateAfterDays: 7, reminderEveryDays: 7 };
    // 2026-09-30: A.5.7 had nothing yet; A.5.1's old item, 10 days past its end, still counted
    expect(Object.fromEntries(evidenceStatusByControl(evidence, '2026-09-30', sweep))).toEqual({ 'A.5.1': 'escalated' });
    expect(Object.fromEntries(evidenceStatusByControl(evidence, '2026-11-30', sweep))).toEqual({ 'A.5.1': 'current', 'A.5.7': 'current' });
  });

  it('counts a retired item until the day it was retired; one retired with no day recorded, on no day', () => {
    const item = (id: string, control: string, extra: Partial<EvidenceRecord>): EvidenceRecord => ({
      id, control, title: 't', kind: 'policy', location: 'https://x.example', collected: '2026-01-01', validUntil: '2027-01-01', owner: 'p', retired: true, origin: 'file', ...extra,
    });
    const evidence = [item('dated', 'A.5.1', { retiredOn: '2026-09-15' }), item('undated', 'A.5.7', {})];
    const sweep = { dueSoonDays: 14, escalateAfterDays: 7, reminderEveryDays: 7 };
    expect(Object.fromEntries(evidenceStatusByControl(evidence, '2026-09-14', sweep))).toEqual({ 'A.5.1': 'current' });
    expect(Object.fromEntries(evidenceStatusByControl(evidence, '2026-09-15', sweep))).toEqual({});
  });

  it("shows the catalogue's title (the file's own wording beside it when it differs), whether each decision is justified, and only accepted results as results", () => {
    const rows = statementOfApplicability(
      [
        { id: 'A.8.24', title: 'Physical entry controls', applicable: true, owner: 'olive' },
        { id: 'A.8.15', title: 'Logging', applicable: true, owner: 'olive', justification: 'Logs feed the SOC' },
        { id: 'A.7.5', title: 'Physical and environmental threats', applicable: false, justification: 'Leased offices' },
      ],
      new Map([
        ['A.8.24', { unreviewedAnswer: { task: '2026-Q4/A.8.24', result: 'effective', reviewClosed: false } }],
        ['A.8.15', { lastResult: 'partially-effective' }],
      ]),
      new Map(),
    );
    const row = (id: string) => rows.find((r) => r.id === id);
    expect(row('A.8.24')).toEqual({
      id: 'A.8.24',
      title: 'Cryptography',
      titleInOrganisationFile: 'Physical entry controls',
      theme: 'technological',
      applicable: true,
      justified: false,
      owner: 'olive',
      unreviewedAnswer: { task: '2026-Q4/A.8.24', result: 'effective', reviewClosed: false },
      evidenceStatus: 'none',
    });
    expect(row('A.8.15')).toEqual({ id: 'A.8.15', title: 'Logging', theme: 'technological', applicable: true, justification: 'Logs feed the SOC', justified: true, owner: 'olive', lastResult: 'partially-effective', evidenceStatus: 'none' });
    expect(row('A.7.5')).toMatchObject({ applicable: false, justified: true });
    expect(row('A.7.5')).not.toHaveProperty('titleInOrganisationFile');
    expect(row('A.5.1')).toMatchObject({ applicable: null, justified: false });
  });

  it('refuses a control that does not apply without a justification, an applicable one without an owner, and an unknown reviewer', () => {
    const file = (controls: unknown[]) =>
      OrgFile.safeParse({
        organisation: { id: 'o', name: 'O', complianceContact: 'carl' },
        people: [{ id: 'carl', name: 'Carl', email: 'carl@o.example' }],
        controls,
      });
    const problems = (controls: unknown[]) => {
      const r = file(controls);
      return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    };
    expect(problems([{ id: 'A.7.5', applicable: false }])).toEqual(['controls.0.justification: is required for a control that does not apply: say why']);
    expect(problems([{ id: 'A.7.5' }])).toEqual(['controls.0.owner: is required for an applicable control: who answers its review']);
    expect(problems([{ id: 'A.8.15', owner: 'carl', reviewer: 'nobody' }])).toEqual(['controls.0.reviewer: unknown person "nobody"']);
    expect(problems([{ id: 'A.8.15', owner: 'carl', reviewEvery: 'month' }])[0]).toMatch(/^controls\.0\.reviewEvery: /);
    const ok = file([{ id: 'A.7.5', applicable: false, justification: 'Leased offices' }, { id: 'A.8.15', owner: 'carl' }]);
    expect(ok.success && ok.data.controls.map((c) => [c.id, c.title, c.applicable, c.reviewEvery])).toEqual([
      ['A.7.5', 'Physical and environmental threats', false, 'quarter'],
      ['A.8.15', 'Logging', true, 'quarter'],
    ]);
  });
});

describe('the digest mail', () => {
  const line = (id: string, stage: 'assigned' | 'reminder' | 'escalated', daysOverdue: number) => ({
    stage,
    quarter: '2026-Q4',
    taskId: `2026-Q4/${id}`,
    controlId: id,
    controlTitle: `Control ${id}`,
    ownerName: 'Olive',
    due: '2026-12-30',
    daysOverdue,
  });

  it('lists the tasks in control order with the due date, in English and in Traditional Chinese', () => {
    const en = renderNoticeMail({ recipient: { name: 'Olive', email: 'o@x', language: 'en' }, organisationName: 'Kowloon Co', asOf: '2026-12-23', lines: [], tasks: [line('A.5.10', 'reminder', -7), line('A.5.2', 'reminder', -7)] });
    expect(en.subject).toBe('[Kowloon Co] ISO/IEC 27001 review 2026-Q4: 2 tasks due soon');
    expect(en.text.indexOf('2026-Q4/A.5.2')).toBeLessThan(en.text.indexOf('2026-Q4/A.5.10'));
    expect(en.text).toContain('Due: 2026-12-30 (due in 7 days)');
    expect(en.html).toContain('<td>2026-Q4/A.5.2</td>');
    const zh = renderNoticeMail({ recipient: { name: '奧莉', email: 'o@x', language: 'zh-Hant' }, organisationName: 'Kowloon Co', asOf: '2026-12-31', lines: [], tasks: [line('A.5.2', 'escalated', 1)] });
    expect(zh.subject).toBe('[Kowloon Co] ISO/IEC 27001 2026-Q4 季度審查：1 項逾期任務已升級');
    expect(zh.text).toContain('逾期 1 天');
    expect(zh.text).toContain('負責人：Olive');
  });
});
