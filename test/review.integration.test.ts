// Quarterly reviews against DynamoDB Local, through the real ASL file: one review
// and one task per applicable control however often and however concurrently the
// quarter is opened, a retried batch writing nothing twice, one digest per owner,
// reminders and escalations on their days, answers refused without a trace, and
// closing opening nonconformities that the next quarter carries.
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeEach, describe, expect, it } from 'vitest';
import { readOrgFile } from '../lib/adapters/files/org-file-reader.ts';
import { daysBetween } from '../lib/domain/dates.ts';
import { readEvidenceFile } from '../lib/adapters/files/evidence-file.ts';
import { readAudit } from '../lib/adapters/dynamodb/audit.ts';
import { executeWorkflow } from '../lib/adapters/local/workflow-runner.ts';
import type { ReviewNotice } from '../lib/domain/notice/notice.ts';
import type { Runtime } from '../lib/runtime.ts';
import { ConflictError, ForbiddenError, InputError } from '../lib/errors.ts';
import { importOrganisationFile } from '../lib/usecases/org/import.ts';
import { registerEvidence } from '../lib/usecases/evidence/register.ts';
import { answerTask, decideTask, delegateTask } from '../lib/usecases/review/answer.ts';
import { closeQuarter } from '../lib/usecases/review/close.ts';
import { reviewDay } from '../lib/usecases/review/daily.ts';
import { soaOf } from '../lib/usecases/review/show.ts';
import type { OpeningSummary } from '../lib/usecases/review/open.ts';
import { startRuns } from '../lib/usecases/runs/start-runs.ts';
import { runRequest } from '../lib/workflows/declarations.ts';
import { sweepOnce } from './support/fixtures.ts';
import { importedSampleRuntime } from './support/imported-sample.ts';
import { RecordingMailer } from './support/local-store.ts';
import { tempDir } from './support/temp-dir.ts';

const SAMPLE = 'examples/acme-hk/org.yaml';
const ORG = 'harbour-ledger';
const HK = 'Asia/Hong_Kong';
/** The sample's 30 applicable controls less the yearly A.5.30 (reviewed in Q2) and the half-yearly A.7.4 (Q1 and Q3). */
const Q4_TASKS = 28;

async function open(rt: Runtime, now: string): Promise<OpeningSummary> {
  return (await executeWorkflow(rt, 'quarterly-review', runRequest('quarterly-review', ORG, new Date(now), { timeZone: HK }).input)) as OpeningSummary;
}

async function itemsOfType(rt: Runtime, type: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await rt.store.doc.send(
      new ScanCommand({ TableName: rt.store.table, ConsistentRead: true, FilterExpression: '#t = :t', ExpressionAttributeNames: { '#t': 'type' }, ExpressionAttributeValues: { ':t': type }, ExclusiveStartKey: start }),
    );
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}

const reviewNotices = async (rt: Runtime) => (await itemsOfType(rt, 'notice')).filter((n) => n.kind === 'review') as (ReviewNotice & { SK: string })[];
const tasksIn = (mail: { text: string }) => [...mail.text.matchAll(/\b(\d{4}-Q[1-4]\/A\.\d\.\d+)\b/g)].map((m) => m[1]);

describe('quarterly review on the sample organisation', () => {
  let rt: Runtime;
  let mailer: RecordingMailer;

  beforeEach(async () => {
    mailer = new RecordingMailer();
    rt = await importedSampleRuntime(mailer);
  });

  it('opened twice and twice at once: one review, one task per applicable control due, one digest per owner listing exactly their tasks', async () => {
    const [a, b] = await Promise.all([open(rt, '2026-11-30T01:00:00Z'), open(rt, '2026-11-30T01:00:00Z')]);
    const again = await open(rt, '2026-11-30T05:00:00Z');
    expect([a.status, b.status, again.status]).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect(a.tasksCreated + b.tasksCreated + again.tasksCreated).toBe(Q4_TASKS);
    expect(again.tasksCreated).toBe(0);
    expect((await itemsOfType(rt, 'review')).map((r) => r.id)).toEqual(['2026-Q4']);
    const tasks = await rt.reviews.tasks(ORG, '2026-Q4');
    expect(tasks).toHaveLength(Q4_TASKS);
    expect(new Set(tasks.map((t) => t.id)).size).toBe(Q4_TASKS);
    // Opened on 30 November in Hong Kong: due 30 days later.
    expect(new Set(tasks.map((t) => t.due))).toEqual(new Set(['2026-12-30']));
    expect(tasks.find((t) => t.control === 'A.8.15')).toMatchObject({ id: '2026-Q4/A.8.15', owner: 'jason-tsang', reviewer: 'michelle-leung', status: 'open', evidenceStatusAtOpening: 'current' });
    // No reviewer named: the compliance contact.
    expect(tasks.find((t) => t.control === 'A.5.9')?.reviewer).toBe('michelle-leung');
    // Lapsed at opening, as the evidence said that day.
    expect(tasks.find((t) => t.control === 'A.5.12')?.evidenceStatusAtOpening).toBe('lapsed');

    const owners = [...new Set(tasks.map((t) => t.owner))].sort();
    expect((await reviewNotices(rt)).map((n) => n.recipientId).sort()).toEqual(owners);
    expect(mailer.sent).toHaveLength(owners.length);
    for (const owner of owners) {
      const person = readOrgFile(SAMPLE).people.find((p) => p.id === owner)!;
      const mine = mailer.sent.filter((m) => m.to.email === person.email);
      expect(mine, owner).toHaveLength(1);
      expect(tasksIn(mine[0]!).sort()).toEqual(tasks.filter((t) => t.owner === owner).map((t) => t.id).sort());
    }
    expect((await readAudit(rt.store, ORG)).filter((e) => e.event === 'review.opened')).toHaveLength(1);
  });

  it('a batch step that fails once is retried by the state machine and writes no task twice', async () => {
    let failed = 0;
    rt.store.doc.middlewareStack.add(
      (next) => async (args) => {
        const input = JSON.stringify(args.input);
        // The batch holding A.5.19 fails once, after its other puts went out.
        if (failed === 0 && input.includes('"SK":"TASK#2026-Q4/A.5.19"')) {
          failed++;
          throw Object.assign(new Error('Throughput exceeds the current capacity'), { name: 'ProvisionedThroughputExceededException' });
        }
        return next(args);
      },
      { step: 'initialize', name: 'failOnce' },
    );
    const summary = await open(rt, '2026-11-30T01:00:00Z');
    expect(failed).toBe(1);
    expect(summary.status).toBe('succeeded');
    expect(summary.tasksCreated).toBeLessThan(Q4_TASKS + 1);
    const tasks = await itemsOfType(rt, 'task');
    expect(tasks).toHaveLength(Q4_TASKS);
    expect(tasks.filter((t) => t.control === 'A.5.19')).toHaveLength(1);
    expect(tasks.every((t) => t.version === 0)).toBe(true);
  }, 60_000);

  it('reminds on the day remindBeforeDays before the due date, once; escalates to the reviewer after it; closes after the deadline', async () => {
    await open(rt, '2026-11-30T01:00:00Z');
    mailer.sent.length = 0;
    await answerTask(rt, { orgId: ORG, taskId: '2026-Q4/A.5.1', as: 'michelle-leung', result: 'effective', now: new Date('2026-12-01T02:00:00Z') });

    const before = await sweepOnce(rt, ORG, '2026-12-22');
    expect((await reviewNotices(rt)).filter((n) => n.stage !== 'assigned')).toEqual([]);
    expect(before.summary.tasksRead).toBe(0);

    await sweepOnce(rt, ORG, '2026-12-23');
    const reminders = (await reviewNotices(rt)).filter((n) => n.stage === 'reminder');
    const open27 = (await rt.reviews.tasks(ORG, '2026-Q4')).filter((t) => t.status === 'open');
    expect(open27).toHaveLength(Q4_TASKS - 1);
    expect(reminders.map((n) => n.recipientId).sort()).toEqual([...new Set(open27.map((t) => t.owner))].sort());
    // Michelle answered A.5.1: her reminder lists only what is still open.
    expect(reminders.find((n) => n.recipientId === 'michelle-leung')?.tasks.map((t) => t.id).sort()).toEqual(['2026-Q4/A.5.31', '2026-Q4/A.5.35']);
    const jason = mailer.sent.find((m) => m.to.email === 'jason.tsang@harbourledger.example' && /due in 7 days/.test(m.text));
    expect(jason, 'Jason is reminded 7 days ahead').toBeDefined();

    await sweepOnce(rt, ORG, '2026-12-24');
    await sweepOnce(rt, ORG, '2026-12-30');
    expect((await reviewNotices(rt)).filter((n) => n.stage === 'reminder')).toHaveLength(reminders.length);
    expect((await reviewNotices(rt)).filter((n) => n.stage === 'escalated')).toEqual([]);

    await sweepOnce(rt, ORG, '2026-12-31');
    const escalations = (await reviewNotices(rt)).filter((n) => n.stage === 'escalated');
    // A.5.1 and A.5.31 and A.5.35 are reviewed by Raymond Wong; the rest by their named reviewer or the compliance contact.
    expect(escalations.map((n) => n.recipientId).sort()).toEqual(['lee-ka-fai', 'michelle-leung', 'raymond-wong']);
    expect(escalations.find((n) => n.recipientId === 'raymond-wong')?.tasks.map((t) => t.id).sort()).toEqual(['2026-Q4/A.5.31', '2026-Q4/A.5.35']);
    expect(escalations.find((n) => n.recipientId === 'lee-ka-fai')?.tasks.map((t) => t.id)).toEqual(['2026-Q4/A.8.8']);
    expect((await rt.reviews.get(ORG, '2026-Q4'))?.status).toBe('open');

    const closing = await sweepOnce(rt, ORG, '2027-01-01');
    expect(closing.summary.reviewsClosed).toEqual(['2026-Q4']);
    const review = await rt.reviews.get(ORG, '2026-Q4');
    expect(review).toMatchObject({ status: 'closed', summary: { tasks: Q4_TASKS, byResult: { effective: 1, unanswered: Q4_TASKS - 1 } } });
    // Overdue: the owners of the tasks still open after the due date (Michelle answered one of hers, not the other two).
    expect(review?.summary?.overdueOwners).toEqual([...new Set(open27.map((t) => t.owner))].sort());
    expect((await rt.reviews.nonconformities(ORG)).filter((nc) => nc.status === 'open')).toHaveLength(Q4_TASKS - 1);
    // Closed tasks leave the open-tasks index: the next day's sweep reads none.
    expect((await sweepOnce(rt, ORG, '2027-01-02')).summary.tasksRead).toBe(0);
  }, 60_000);

  it('closing opens a nonconformity per not-effective and unanswered control; the next quarter carries it until an effective answer closes it', async () => {
    await open(rt, '2026-11-30T01:00:00Z');
    const at = new Date('2026-12-10T02:00:00Z');
    for (const t of await rt.reviews.tasks(ORG, '2026-Q4')) {
      if (t.control === 'A.8.8') await answerTask(rt, { orgId: ORG, taskId: t.id, as: t.owner, result: 'not-effective', comment: 'patches late', now: at });
      else if (t.control !== 'A.5.20' && t.control !== 'A.8.13') await answerTask(rt, { orgId: ORG, taskId: t.id, as: t.owner, result: 'partially-effective', now: at });
    }
    // Closed by hand once the due date (30 December) has passed: an unanswered task before it would open none.
    const closed = await closeQuarter(rt, ORG, '2026-Q4', 'test', '2026-12-31T00:00:00.000Z');
    expect(closed.opened.map((nc) => [nc.id, nc.reason]).sort()).toEqual([
      ['NC-2026-Q4-A.5.20', 'unanswered'],
      ['NC-2026-Q4-A.8.13', 'unanswered'],
      ['NC-2026-Q4-A.8.8', 'not-effective'],
    ]);
    await expect(closeQuarter(rt, ORG, '2026-Q4', 'test', '2026-12-31T01:00:00.000Z')).rejects.toThrow(ConflictError);
    await expect(answerTask(rt, { orgId: ORG, taskId: '2026-Q4/A.5.20', as: 'ada-chan', result: 'effective', now: at })).rejects.toThrow(/review is closed/);

    // 2027-Q1: A.5.20 (half-yearly, Q2 and Q4) is tasked anyway, to carry its nonconformity.
    const q1 = await open(rt, '2027-01-01T01:00:00Z');
    expect(q1.status).toBe('succeeded');
    const tasks = await rt.reviews.tasks(ORG, '2027-Q1');
    expect(tasks.find((t) => t.control === 'A.5.20')?.carries).toBe('NC-2026-Q4-A.5.20');
    expect(tasks.find((t) => t.control === 'A.8.8')?.carries).toBe('NC-2026-Q4-A.8.8');
    expect(tasks.find((t) => t.control === 'A.5.1')?.carries).toBeUndefined();

    const q1at = new Date('2027-01-05T02:00:00Z');
    await answerTask(rt, { orgId: ORG, taskId: '2027-Q1/A.8.8', as: 'cheung-chi-keung', result: 'effective', evidence: await evidenceFile('patch-report.txt', 'all patched'), now: q1at });
    await answerTask(rt, { orgId: ORG, taskId: '2027-Q1/A.5.20', as: 'ada-chan', result: 'partially-effective', now: q1at });
    const q1closed = await closeQuarter(rt, ORG, '2027-Q1', 'test', '2027-03-31T00:00:00.000Z');
    expect(q1closed.closed.map((nc) => nc.id)).toEqual(['NC-2026-Q4-A.8.8']);
    const ncs = new Map((await rt.reviews.nonconformities(ORG)).map((nc) => [nc.id, nc]));
    expect(ncs.get('NC-2026-Q4-A.8.8')).toMatchObject({ status: 'closed', closedIn: '2027-Q1' });
    // Partially effective carries it on; no second nonconformity is opened for the same control.
    expect(ncs.get('NC-2026-Q4-A.5.20')?.status).toBe('open');
    expect(ncs.has('NC-2027-Q1-A.5.20')).toBe(false);
  }, 60_000);

  it('refuses an answer by someone else, an effective answer over lapsed evidence, and a changed evidence file, writing nothing', async () => {
    await open(rt, '2026-11-30T01:00:00Z');
    const at = new Date('2026-12-01T02:00:00Z');
    const snapshot = async () => JSON.stringify([await rt.reviews.tasks(ORG, '2026-Q4'), await rt.organisations.evidence(ORG), (await readAudit(rt.store, ORG)).length]);
    const before = await snapshot();
    await expect(answerTask(rt, { orgId: ORG, taskId: '2026-Q4/A.8.15', as: 'wong-siu-ming', result: 'effective', now: at })).rejects.toThrow(ForbiddenError);
    // A.5.12's evidence includes an item that lapsed on 2026-11-27.
    await expect(answerTask(rt, { orgId: ORG, taskId: '2026-Q4/A.5.12', as: 'cheryl-ng', result: 'effective', now: at })).rejects.toThrow(/evidence has lapsed \(.*ended 2026-11-27/);
    await expect(decideTask(rt, { orgId: ORG, taskId: '2026-Q4/A.8.15', as: 'michelle-leung', decision: 'accept', now: at })).rejects.toThrow(/has no answer/);
    expect(await snapshot()).toBe(before);

    // With new evidence it is effective; the item it renews stops counting and leaves the sweep's index.
    const file = await evidenceFile('classification-review.txt', 'reviewed');
    const answered = await answerTask(rt, { orgId: ORG, taskId: '2026-Q4/A.5.12', as: 'cheryl-ng', result: 'effective', evidence: file, now: at });
    expect(answered.evidence.at(-1)).toMatchObject({ origin: 'answer', sha256: file.sha256, location: file.location });
    const register = await rt.organisations.evidence(ORG, 'A.5.12');
    const added = register.find((e) => e.origin === 'answer')!;
    expect(added).toMatchObject({ collected: '2026-12-01', sha256: file.sha256, renews: expect.any(String) });
    const renewed = register.find((e) => e.id === added.renews)!;
    expect(renewed.renewedBy).toBe(added.id);
    expect((await rt.organisations.evidenceEndingBy(ORG, '2026-12-31')).map((e) => e.id)).not.toContain(renewed.id);
    // As long a validity as the evidence it renews, counted from the answer's day.
    expect(daysBetween(added.collected, added.validUntil!)).toBe(daysBetween(renewed.collected, renewed.validUntil!));

    // The same path, changed since it was registered: refused, nothing written.
    writeFileSync(fileURLPath(file.location), 'reviewed, then edited');
    const changed = await readEvidenceFile(fileURLPath(file.location));
    const held = await snapshot();
    await expect(answerTask(rt, { orgId: ORG, taskId: '2026-Q4/A.5.12', as: 'cheryl-ng', result: 'effective', evidence: changed, now: at })).rejects.toThrow(/no longer matches the SHA-256 recorded/);
    expect(await snapshot()).toBe(held);

    // A re-import of the organisation file leaves the answer's evidence, and its renewal, as they are.
    await importOrganisationFile(rt, readOrgFile(SAMPLE), `import:${SAMPLE}`, '2026-12-02T00:00:00.000Z');
    const after = await rt.organisations.evidence(ORG, 'A.5.12');
    expect(after.find((e) => e.id === added.id)).toMatchObject({ retired: false, origin: 'answer' });
    expect(after.find((e) => e.id === renewed.id)?.renewedBy).toBe(added.id);
  });

  it('an effective answer is refused over a file registered already that has lapsed, was renewed or retired (by location or by SHA-256), naming the field and the item, writing nothing', async () => {
    await open(rt, '2026-11-30T01:00:00Z');
    const at = new Date('2026-12-01T02:00:00Z');
    const task = '2026-Q4/A.5.18';
    const register = new Map((await rt.organisations.evidence(ORG, 'A.5.18')).map((e) => [e.id, e]));
    const escalated = register.get('ev-013')!; // ended 2026-11-23: escalated
    const retired = register.get('ev-014')!; // left out of the file
    const snapshot = async () => JSON.stringify([await rt.reviews.tasks(ORG, '2026-Q4'), await rt.organisations.evidence(ORG), (await readAudit(rt.store, ORG)).length]);
    const before = await snapshot();
    const answer = (location: string, sha256: string) => answerTask(rt, { orgId: ORG, taskId: task, as: 'wong-siu-ming', result: 'effective', evidence: { location, name: 'old.xlsx', sha256, bytes: 1 }, now: at });
    // The escalated item's own location and hash: the bypass the check had.
    await expect(answer(escalated.location, escalated.sha256!)).rejects.toThrow(InputError);
    await expect(answer(escalated.location, escalated.sha256!)).rejects.toThrow(
      /^evidence\.location: s3:\/\/\S+entra-privileged-roles-review\.xlsx is evidence ev-013, registered already and escalated \(it ended 2026-11-23\): it is not new evidence; task 2026-Q4\/A\.5\.18: control A\.5\.18 cannot be answered effective/,
    );
    // The same file under another name.
    await expect(answer('s3://elsewhere/copy-of-entra-review.xlsx', escalated.sha256!)).rejects.toThrow(/^evidence\.sha256: d90664d78595\S* is the file of evidence ev-013, registered already and escalated/);
    await expect(answer('s3://elsewhere/old-dingtalk-review.xlsx', retired.sha256!)).rejects.toThrow(/^evidence\.sha256: \S+ is the file of evidence ev-014, registered already and retired/);
    expect(await snapshot()).toBe(before);

    // Registered again through POST /v1/evidence it would renew the lapsed item with itself: refused too.
    const again = { control: 'A.5.18', title: 'Entra review again', kind: 'access-review', location: 's3://elsewhere/entra.xlsx', sha256: escalated.sha256!, renews: 'ev-013' };
    await expect(registerEvidence(rt, ORG, 'wong-siu-ming', again, at)).rejects.toThrow(ConflictError);
    await expect(registerEvidence(rt, ORG, 'wong-siu-ming', again, at)).rejects.toThrow(/^body\.sha256: .* is the file of evidence ev-013, registered already/);
    expect(await snapshot()).toBe(before);

    // A still-current item is current evidence: it may be attached; a not-effective answer may point at the lapsed one.
    const current = register.get('ev-012')!;
    const kept = await answer(current.location, current.sha256!);
    expect(kept.evidence.map((e) => e.id)).toContain('ev-012');
    const noted = await answerTask(rt, { orgId: ORG, taskId: task, as: 'wong-siu-ming', result: 'not-effective', comment: 'Entra review overdue', evidence: { location: 's3://elsewhere/copy.xlsx', name: 'old.xlsx', sha256: escalated.sha256!, bytes: 1 }, now: at });
    expect(noted.evidence.map((e) => e.id)).toEqual(['ev-012', 'ev-013']);
    // Nothing was registered or renewed by either.
    expect((await rt.organisations.evidence(ORG, 'A.5.18')).map((e) => [e.id, e.renewedBy])).toEqual([...register.values()].map((e) => [e.id, e.renewedBy]));

    // New evidence renews the escalated item; that item's file is then no longer new either.
    const fresh = await evidenceFile('entra-review-q4.xlsx', 'reviewed in Q4');
    await answerTask(rt, { orgId: ORG, taskId: task, as: 'wong-siu-ming', result: 'effective', evidence: fresh, now: at });
    expect((await rt.organisations.evidence(ORG, 'A.5.18')).find((e) => e.id === 'ev-013')?.renewedBy).toBeDefined();
    await expect(answer('s3://elsewhere/entra-again.xlsx', escalated.sha256!)).rejects.toThrow(/^evidence\.sha256: \S+ is the file of evidence ev-013, registered already and renewed by 2026-Q4\/A\.5\.18\//);
  });

  it('the same answer sent twice, or twice at once, is recorded once: one version, one audit entry, the task as it stands returned', async () => {
    await open(rt, '2026-11-30T01:00:00Z');
    const at = new Date('2026-12-01T02:00:00Z');
    const answered = async (id: string) => (await readAudit(rt.store, ORG)).filter((e) => e.event === 'task.answered' && e.subject === `TASK#${id}`);
    const first = await answerTask(rt, { orgId: ORG, taskId: '2026-Q4/A.8.15', as: 'jason-tsang', result: 'effective', comment: 'SOC reviews weekly', now: at });
    const second = await answerTask(rt, { orgId: ORG, taskId: '2026-Q4/A.8.15', as: 'jason-tsang', result: 'effective', comment: 'SOC reviews weekly', now: new Date('2026-12-01T02:05:00Z') });
    expect(second).toEqual(first);
    expect(second.version).toBe(1);
    expect(await rt.reviews.task(ORG, '2026-Q4/A.8.15')).toMatchObject({ version: 1, answeredAt: at.toISOString() });
    expect(await answered('2026-Q4/A.8.15')).toHaveLength(1);

    // With a new evidence file: registered once.
    const file = await evidenceFile('classification-review.txt', 'reviewed');
    const withFile = { orgId: ORG, taskId: '2026-Q4/A.5.12', as: 'cheryl-ng', result: 'effective' as const, evidence: file, now: at };
    const [a, b] = await Promise.all([answerTask(rt, withFile), answerTask(rt, withFile)]);
    expect([a.version, b.version]).toEqual([1, 1]);
    expect(await answerTask(rt, withFile)).toMatchObject({ version: 1 });
    expect(await answered('2026-Q4/A.5.12')).toHaveLength(1);
    expect((await rt.organisations.evidence(ORG, 'A.5.12')).filter((e) => e.origin === 'answer')).toHaveLength(1);

    // A different comment is a new answer.
    const changed = await answerTask(rt, { orgId: ORG, taskId: '2026-Q4/A.8.15', as: 'jason-tsang', result: 'effective', comment: 'SOC reviews daily', now: at });
    expect(changed).toMatchObject({ version: 2, comment: 'SOC reviews daily' });
    expect(await answered('2026-Q4/A.8.15')).toHaveLength(2);
  });

  it('holds what a person types (an answer or decision comment, an evidence file name or title) with the identifiers in it masked, and the same answer again is the same', async () => {
    await open(rt, '2026-11-30T01:00:00Z');
    const at = new Date('2026-12-01T02:00:00Z');
    const file = await evidenceFile('access review.txt', 'reviewed');
    const answer = { orgId: ORG, taskId: '2026-Q4/A.5.12', as: 'cheryl-ng', result: 'effective' as const, comment: 'HKID A123456(3) checked, card 4111 1111 1111 1111', evidence: { ...file, name: 'A123456(3) access review.txt' }, now: at };
    const answered = await answerTask(rt, answer);
    expect(answered.comment).toBe('HKID A12****(3) checked, card 4111 **** **** 1111');
    expect(await answerTask(rt, answer)).toMatchObject({ version: answered.version });
    const task = await rt.reviews.task(ORG, '2026-Q4/A.5.12');
    await decideTask(rt, { orgId: ORG, taskId: task!.id, as: task!.reviewer, decision: 'return', comment: 'ask A123456(3) again', now: at });
    await registerEvidence(rt, ORG, 'wong-siu-ming', { control: 'A.5.18', title: 'Roles of A123456(3)', kind: 'access-review', location: 'https://x.example/roles.xlsx', sha256: 'a'.repeat(64) }, at);
    const everything = JSON.stringify((await rt.store.doc.send(new ScanCommand({ TableName: rt.store.table }))).Items);
    for (const raw of ['A123456(3)', '4111 1111 1111 1111']) expect(everything).not.toContain(raw);
    expect(everything).toContain('Roles of A12****(3)');
    expect(everything).toContain('ask A12****(3) again');
  });

  it('the reviewer returns an answer (the task is open again) and accepts the next; a delegate answers, the owner is told nothing new, the delegate is', async () => {
    await open(rt, '2026-11-30T01:00:00Z');
    const at = new Date('2026-12-02T02:00:00Z');
    await answerTask(rt, { orgId: ORG, taskId: '2026-Q4/A.8.15', as: 'jason-tsang', result: 'effective', now: at });
    await expect(decideTask(rt, { orgId: ORG, taskId: '2026-Q4/A.8.15', as: 'jason-tsang', decision: 'accept', now: at })).rejects.toThrow(ForbiddenError);
    const returned = await decideTask(rt, { orgId: ORG, taskId: '2026-Q4/A.8.15', as: 'michelle-leung', decision: 'return', comment: 'attach the SOC report', now: at });
    expect(returned).toMatchObject({ status: 'open', reviewDecision: 'returned', reviewComment: 'attach the SOC report' });
    expect((await rt.reviews.openTasksDueBy(ORG, '2026-12-30')).map((t) => t.id)).toContain('2026-Q4/A.8.15');
    await answerTask(rt, { orgId: ORG, taskId: '2026-Q4/A.8.15', as: 'jason-tsang', result: 'effective', comment: 'report attached', now: at });
    const accepted = await decideTask(rt, { orgId: ORG, taskId: '2026-Q4/A.8.15', as: 'michelle-leung', decision: 'accept', now: at });
    expect(accepted).toMatchObject({ status: 'answered', reviewDecision: 'accepted', comment: 'report attached' });
    await expect(answerTask(rt, { orgId: ORG, taskId: '2026-Q4/A.8.15', as: 'jason-tsang', result: 'not-effective', now: at })).rejects.toThrow(ConflictError);

    await expect(delegateTask(rt, { orgId: ORG, taskId: '2026-Q4/A.8.24', as: 'wong-siu-ming', to: 'wong-siu-ming', now: at, runName: 'test' })).rejects.toThrow(ForbiddenError);
    await expect(delegateTask(rt, { orgId: ORG, taskId: '2026-Q4/A.8.24', as: 'jason-tsang', to: 'nobody', now: at, runName: 'test' })).rejects.toThrow(InputError);
    await delegateTask(rt, { orgId: ORG, taskId: '2026-Q4/A.8.24', as: 'jason-tsang', to: 'wong-siu-ming', now: at, runName: 'test' });
    await expect(answerTask(rt, { orgId: ORG, taskId: '2026-Q4/A.8.24', as: 'ada-chan', result: 'effective', now: at })).rejects.toThrow(/jason-tsang's, handed to wong-siu-ming/);
    mailer.sent.length = 0;
    await sweepOnce(rt, ORG, '2026-12-02');
    const handed = mailer.sent.filter((m) => m.to.email === 'siuming.wong@harbourledger.example' && tasksIn(m).includes('2026-Q4/A.8.24'));
    expect(handed).toHaveLength(1);
    const answered = await answerTask(rt, { orgId: ORG, taskId: '2026-Q4/A.8.24', as: 'wong-siu-ming', result: 'effective', now: at });
    expect(answered).toMatchObject({ answeredBy: 'wong-siu-ming', owner: 'jason-tsang', delegate: 'wong-siu-ming' });
  }, 60_000);

  it('the hourly starter opens a quarter once its first day has come in the organisation\'s time zone, not UTC\'s', async () => {
    const started: string[] = [];
    const starter = async (_workflow: string, name: string) => {
      started.push(name);
      return {};
    };
    // 15:30 UTC on 30 September is 23:30 in Hong Kong: still Q3, and Q3 began long ago.
    expect((await startRuns(rt, starter, { workflow: 'quarterly-review', now: new Date('2026-09-30T15:30:00Z') }))[0]?.status).toBe('not-due');
    // 16:30 UTC is 00:30 on 1 October in Hong Kong: Q4 has begun there.
    const tick = await startRuns(rt, starter, { workflow: 'quarterly-review', now: new Date('2026-09-30T16:30:00Z') });
    expect(tick).toEqual([{ orgId: ORG, name: 'quarterly-review-harbour-ledger-2026-Q4', status: 'started' }]);
    // A week later the tick no longer starts it (it started, or a person opens it).
    expect((await startRuns(rt, starter, { workflow: 'quarterly-review', now: new Date('2026-10-08T01:00:00Z') }))[0]?.status).toBe('not-due');
    expect(started).toEqual(['quarterly-review-harbour-ledger-2026-Q4']);
  });

  it('a review opened late in the quarter: tasks due on its deadline, mailed and reminded for that day, nonconformities only once it has passed', async () => {
    // Opened on 15 December in Hong Kong: 30 days on would be 14 January, after the review closes.
    const opened = await open(rt, '2026-12-15T01:00:00Z');
    expect(opened.due).toBe('2026-12-31');
    expect(await rt.reviews.get(ORG, '2026-Q4')).toMatchObject({ due: '2026-12-31', deadline: '2026-12-31' });
    expect(new Set((await rt.reviews.tasks(ORG, '2026-Q4')).map((t) => t.due))).toEqual(new Set(['2026-12-31']));
    expect(mailer.sent.length).toBeGreaterThan(0);
    // In English and in Traditional Chinese alike.
    expect(mailer.sent.every((m) => m.text.includes('2026-12-31') && !m.text.includes('2027-01-14'))).toBe(true);
    expect(mailer.sent.some((m) => m.text.includes('Due: 2026-12-31'))).toBe(true);

    // The reminder comes remindBeforeDays (7) before the capped date; nothing is escalated while the review is open.
    const org = (await rt.organisations.load(ORG))!;
    const day = (now: string) => reviewDay(rt, { orgId: ORG, runName: `evidence-sweep-${ORG}-${now.slice(0, 10)}`, now }, org);
    expect((await day('2026-12-23T01:00:00Z')).notices).toEqual([]);
    const reminded = (await day('2026-12-24T01:00:00Z')).notices;
    expect(reminded.length).toBeGreaterThan(0);
    expect(reminded.every((n) => n.stage === 'reminder' && n.due === '2026-12-31')).toBe(true);
    expect((await day('2026-12-31T01:00:00Z')).closed).toEqual([]);

    // 1 January in Hong Kong (still 31 December in UTC): the deadline and the due date have passed.
    const closing = await day('2026-12-31T17:00:00Z');
    expect(closing.closed).toEqual(['2026-Q4']);
    expect(closing.notices).toEqual([]);
    const review = await rt.reviews.get(ORG, '2026-Q4');
    expect(review?.summary?.nonconformitiesOpened).toHaveLength(Q4_TASKS);
  }, 60_000);

  it("the Statement of Applicability: an answer counts as the control's result once the reviewer accepts it; the catalogue's titles, the file's beside them; whether each inclusion is justified", async () => {
    await open(rt, '2026-11-30T01:00:00Z');
    const at = new Date('2026-12-02T02:00:00Z');
    const row = async (id: string, now = at) => (await soaOf(rt, ORG, now)).find((r) => r.id === id);

    await answerTask(rt, { orgId: ORG, taskId: '2026-Q4/A.8.15', as: 'jason-tsang', result: 'effective', now: at });
    const waiting = await row('A.8.15');
    expect(waiting).not.toHaveProperty('lastResult');
    expect(waiting).toMatchObject({ unreviewedAnswer: { task: '2026-Q4/A.8.15', result: 'effective', reviewClosed: false }, justification: 'Logs of DingTalk and AWS feed the SOC', justified: true });
    // Returned, it waits for a new answer: neither a result nor an answer awaiting review.
    await decideTask(rt, { orgId: ORG, taskId: '2026-Q4/A.8.15', as: 'michelle-leung', decision: 'return', now: at });
    expect(await row('A.8.15')).not.toHaveProperty('unreviewedAnswer');
    await answerTask(rt, { orgId: ORG, taskId: '2026-Q4/A.8.15', as: 'jason-tsang', result: 'effective', comment: 'SOC report attached', now: at });
    await decideTask(rt, { orgId: ORG, taskId: '2026-Q4/A.8.15', as: 'michelle-leung', decision: 'accept', now: at });
    const accepted = await row('A.8.15');
    expect(accepted).toMatchObject({ lastResult: 'effective' });
    expect(accepted).not.toHaveProperty('unreviewedAnswer');

    // Answered, never accepted, and the review closed: still not a result.
    await answerTask(rt, { orgId: ORG, taskId: '2026-Q4/A.5.7', as: 'cheung-chi-keung', result: 'partially-effective', now: at });
    await closeQuarter(rt, ORG, '2026-Q4', 'test', '2026-12-31T02:00:00.000Z');
    const after = new Date('2027-01-02T02:00:00Z');
    const unreviewed = await row('A.5.7', after);
    expect(unreviewed).not.toHaveProperty('lastResult');
    expect(unreviewed).toMatchObject({ unreviewedAnswer: { task: '2026-Q4/A.5.7', result: 'partially-effective', reviewClosed: true }, justified: false });
    expect(await row('A.5.9', after)).toMatchObject({ lastResult: 'unanswered' });

    // The sample file calls A.8.24 by the standard's wording; the catalogue's title is shown, the file's kept beside it.
    expect(await row('A.8.24', after)).toMatchObject({ title: 'Cryptography', titleInOrganisationFile: 'Use of cryptography', applicable: true });
    expect(await row('A.8.15', after)).not.toHaveProperty('titleInOrganisationFile');
    expect((await rt.reviews.task(ORG, '2026-Q4/A.8.24'))?.controlTitle).toBe('Cryptography');
    expect(await row('A.7.5', after)).toMatchObject({ applicable: false, justified: true });
  }, 60_000);
});

async function evidenceFile(name: string, content: string) {
  const file = path.join(tempDir('review-'), name);
  writeFileSync(file, content);
  return readEvidenceFile(file);
}

const fileURLPath = (url: string) => fileURLToPath(url);
