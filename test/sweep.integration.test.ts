// The evidence sweep against DynamoDB Local: exactly-once notices, failure and
// recovery, renewal, cadence and escalation on the right days.
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { addDays } from '../lib/domain/dates.ts';
import { readOrgFile } from '../lib/adapters/files/org-file-reader.ts';
import { readAudit } from '../lib/adapters/dynamodb/audit.ts';
import { importOrganisationFile } from '../lib/usecases/org/import.ts';
import type { EvidenceNotice } from '../lib/domain/notice/notice.ts';
import { smallOrg, sweepOnce } from './support/fixtures.ts';
import { executeWorkflow } from '../lib/adapters/local/workflow-runner.ts';
import { runRequest } from '../lib/workflows/declarations.ts';
import { formatSweep } from '../lib/cli/output.ts';
import { importedSampleRuntime } from './support/imported-sample.ts';
import { RecordingMailer, testRuntime, throttleWhen } from './support/local-store.ts';

const SAMPLE = 'examples/acme-hk/org.yaml';
const AT = '2026-11-29T00:00:00.000Z';

async function notices(rt: Awaited<ReturnType<typeof testRuntime>>): Promise<(EvidenceNotice & { SK: string })[]> {
  const out = await rt.store.doc.send(new ScanCommand({ TableName: rt.store.table, FilterExpression: '#t = :n', ExpressionAttributeNames: { '#t': 'type' }, ExpressionAttributeValues: { ':n': 'notice' } }));
  return (out.Items ?? []) as (EvidenceNotice & { SK: string })[];
}

/** Which evidence ids each mail listed, from the mail's plain text. */
function evidenceInMails(mailer: RecordingMailer): string[] {
  return mailer.sent.flatMap((m) => [...m.text.matchAll(/\b(ev-\d+)\b/g)].map((x) => `${m.to.email}:${x[1]}`));
}

describe('evidence sweep on the sample organisation', () => {
  let rt: Awaited<ReturnType<typeof testRuntime>>;
  let mailer: RecordingMailer;

  beforeEach(async () => {
    mailer = new RecordingMailer();
    rt = await importedSampleRuntime(mailer, AT);
  });

  it('records and sends each notice exactly once when the sweep runs twice', async () => {
    const first = await sweepOnce(rt, 'harbour-ledger', '2026-11-30', 'first');
    const second = await sweepOnce(rt, 'harbour-ledger', '2026-11-30', 'second');

    const recorded = await notices(rt);
    expect(first.summary.noticesRecorded).toBe(recorded.length);
    expect(recorded.length).toBeGreaterThan(20);
    expect(recorded.every((n) => n.status === 'sent' && n.messageId)).toBe(true);
    expect(first.run).toMatchObject({ status: 'succeeded', summary: { noticesRecorded: recorded.length, noticesSent: recorded.length } });
    expect(second.summary.noticesRecorded).toBe(0);
    expect(second.summary.mailsSent).toBe(0);
    // One mail per recipient, and every notice in exactly one mail.
    const recipients = new Set(recorded.map((n) => n.recipientId));
    expect(mailer.sent).toHaveLength(recipients.size);
    expect(first.summary.noticesSent).toBe(recorded.length);
    const audit = await readAudit(rt.store, 'harbour-ledger');
    for (const n of recorded) expect(audit.filter((a) => a.event === 'notice.sent' && a.subject === n.SK)).toHaveLength(1);
  });

  it('sends each notice once when two sweeps run at the same time', async () => {
    const [a, b] = await Promise.all([
      sweepOnce(rt, 'harbour-ledger', '2026-11-30', 'tick-a'),
      sweepOnce(rt, 'harbour-ledger', '2026-11-30', 'tick-b'),
    ]);
    const recorded = await notices(rt);
    expect(a.summary.noticesRecorded + b.summary.noticesRecorded).toBe(recorded.length);
    expect(a.summary.noticesSent + b.summary.noticesSent).toBe(recorded.length);
    expect(recorded.every((n) => n.status === 'sent')).toBe(true);
    const listed = evidenceInMails(mailer);
    expect(new Set(listed).size).toBe(listed.length);
    const audit = await readAudit(rt.store, 'harbour-ledger');
    expect(audit.filter((e) => e.event === 'notice.sent')).toHaveLength(recorded.length);
    expect(audit.filter((e) => e.event === 'notice.recorded')).toHaveLength(recorded.length);
  });

  it('leaves notices pending when the mail transport fails, and the next sweep sends them', async () => {
    mailer.failWith = Object.assign(new Error('connect ECONNREFUSED 10.0.0.25:587'), { name: 'SmtpError' });
    const failed = await sweepOnce(rt, 'harbour-ledger', '2026-11-30', 'down');
    const pending = await notices(rt);
    expect(failed.summary.mailsSent).toBe(0);
    expect(failed.summary.noticesFailed).toBe(pending.length);
    expect(pending.every((n) => n.status === 'pending' && n.attempts === 1 && /ECONNREFUSED/.test(n.lastError ?? ''))).toBe(true);
    expect(failed.summary.status).toBe('failed');
    expect(failed.run.status).toBe('failed');

    mailer.failWith = undefined;
    const next = await sweepOnce(rt, 'harbour-ledger', '2026-11-30T15:00:00Z', 'up');
    const after = await notices(rt);
    expect(next.summary.noticesRecorded).toBe(0);
    expect(next.summary.noticesSent).toBe(pending.length);
    expect(after.every((n) => n.status === 'sent' && n.attempts === 2)).toBe(true);
    expect(mailer.sent).toHaveLength(new Set(after.map((n) => n.recipientId)).size);
  });

  it('never notices retired evidence or evidence outside the window', async () => {
    const sweep = await sweepOnce(rt, 'harbour-ledger', '2026-11-30');
    const ids = new Set((await notices(rt)).map((n) => n.evidenceId));
    const file = readOrgFile(SAMPLE);
    for (const e of file.evidence.filter((x) => x.retired)) expect(ids.has(e.id)).toBe(false);
    // Only items ending by 2026-12-14 (today + 14 days) were read at all.
    const inWindow = file.evidence.filter((e) => !e.retired && e.validUntil && e.validUntil <= '2026-12-14');
    expect(sweep.summary.evidenceRead).toBe(inWindow.length);
    expect(ids.size).toBe(inWindow.length);
  });
});

describe('evidence sweep cadence, escalation and renewal', () => {
  it('sends due-soon, lapsed, escalation and a reminder every 7 days, on the right days', async () => {
    const mailer = new RecordingMailer();
    const rt = await testRuntime(mailer);
    await importOrganisationFile(rt, smallOrg([{ validUntil: '2026-11-01' }]), 'import:test', AT);
    const log: string[] = [];
    for (let day = '2026-10-10'; day <= '2026-11-30'; day = addDays(day, 1)) {
      const before = mailer.sent.length;
      await sweepOnce(rt, 'kowloon-co', day);
      for (const m of mailer.sent.slice(before)) log.push(`${day} ${m.to.email} ${m.subject.replace(/^\[Kowloon Co\] /, '')}`);
    }
    expect(log).toEqual([
      '2026-10-18 owen@kowloon.example Evidence needs your attention: 1 due soon',
      '2026-11-02 owen@kowloon.example Evidence needs your attention: 1 lapsed',
      '2026-11-08 mgr@kowloon.example 證據需要處理：1 項已升級',
      '2026-11-09 owen@kowloon.example Evidence needs your attention: 1 lapsed',
      '2026-11-16 owen@kowloon.example Evidence needs your attention: 1 lapsed',
      '2026-11-23 owen@kowloon.example Evidence needs your attention: 1 lapsed',
      '2026-11-30 owen@kowloon.example Evidence needs your attention: 1 lapsed',
    ]);
    expect(mailer.sent[3]?.text).toMatch(/Reminder 1/);
    expect(mailer.sent[6]?.text).toMatch(/Reminder 4/);
    expect(mailer.sent[6]?.text).toMatch(/29 days overdue/);
  });

  it('follows the organisation\'s own policy, and escalates to the compliance contact when the owner has no manager', async () => {
    const mailer = new RecordingMailer();
    const rt = await testRuntime(mailer);
    const org = smallOrg([{ validUntil: '2026-11-01', owner: 'carol' }], { dueSoonDays: 3, escalateAfterDays: 2, reminderEveryDays: 3 });
    await importOrganisationFile(rt, org, 'import:test', AT);
    const log: string[] = [];
    for (let day = '2026-10-25'; day <= '2026-11-08'; day = addDays(day, 1)) {
      const before = mailer.sent.length;
      await sweepOnce(rt, 'kowloon-co', day);
      for (const m of mailer.sent.slice(before)) log.push(`${day} ${m.to.email} ${m.subject.split(': ')[1]}`);
    }
    // Carol has no manager and is the compliance contact: the escalation comes to her, in the same mail as her reminder.
    expect(log).toEqual([
      '2026-10-29 carol@kowloon.example 1 due soon',
      '2026-11-02 carol@kowloon.example 1 lapsed',
      '2026-11-03 carol@kowloon.example 1 escalated',
      '2026-11-05 carol@kowloon.example 1 lapsed',
      '2026-11-08 carol@kowloon.example 1 lapsed',
    ]);
  });

  it('stops reminders when the evidence is renewed, and cancels a notice still pending from before', async () => {
    const mailer = new RecordingMailer();
    const rt = await testRuntime(mailer);
    await importOrganisationFile(rt, smallOrg([{ validUntil: '2026-11-01' }, { validUntil: '2026-11-01' }]), 'import:test', AT);
    await sweepOnce(rt, 'kowloon-co', '2026-11-02');
    expect(mailer.sent).toHaveLength(1);
    mailer.failWith = new Error('mail relay unavailable');
    await sweepOnce(rt, 'kowloon-co', '2026-11-09'); // reminder-1 for both items and the escalation: recorded, not sent
    mailer.failWith = undefined;

    // ev-1 is renewed for a year; ev-2 is not.
    await importOrganisationFile(rt, smallOrg([{ collected: '2026-11-10', validFor: 'P1Y' }, { validUntil: '2026-11-01' }]), 'import:test', '2026-11-10T08:00:00Z');
    mailer.sent = [];
    const after = await sweepOnce(rt, 'kowloon-co', '2026-11-10');
    const listed = evidenceInMails(mailer);
    expect(listed).toContain('owen@kowloon.example:ev-2');
    expect(listed).not.toContain('owen@kowloon.example:ev-1');
    expect(listed).not.toContain('mgr@kowloon.example:ev-1');
    expect(after.summary.noticesCancelled).toBe(2); // ev-1's reminder and escalation

    mailer.sent = [];
    for (let day = '2026-11-11'; day <= '2026-12-31'; day = addDays(day, 1)) await sweepOnce(rt, 'kowloon-co', day);
    expect(evidenceInMails(mailer).filter((x) => x.endsWith(':ev-1'))).toEqual([]);
    expect(evidenceInMails(mailer).filter((x) => x.endsWith(':ev-2')).length).toBeGreaterThanOrEqual(7);
    const audit = await readAudit(rt.store, 'kowloon-co');
    expect(audit.some((a) => a.event === 'evidence.renewed' && a.subject === 'EVIDENCE#ev-1')).toBe(true);
  });
});

describe('control titles in sweep mails', () => {
  it("names each control by the catalogue's title, with the organisation file's own wording beside it only where it differs", async () => {
    const mailer = new RecordingMailer();
    const rt = await testRuntime(mailer);
    const org = smallOrg([{ validUntil: '2026-11-01' }, { control: 'A.8.13', validUntil: '2026-11-01' }]);
    // A.5.15 keeps the file's "Access control" (the catalogue's title is "Access control rules"); A.8.13 is titled as the catalogue titles it.
    org.controls = org.controls.map((c) => (c.id === 'A.8.13' ? { ...c, title: 'Backups' } : c));
    await importOrganisationFile(rt, org, 'import:test', AT);
    await sweepOnce(rt, 'kowloon-co', '2026-11-02');
    await sweepOnce(rt, 'kowloon-co', '2026-11-08');
    const owen = mailer.sent.find((m) => m.to.email === 'owen@kowloon.example');
    expect(owen?.text).toContain('- Control: A.5.15 Access control rules (your title: Access control)\n');
    expect(owen?.text).toContain('- Control: A.8.13 Backups\n');
    expect(owen?.html).toContain('<td>A.5.15 Access control rules (your title: Access control)</td>');
    expect(owen?.html).toContain('<td>A.8.13 Backups</td>');
    const escalation = mailer.sent.find((m) => m.to.email === 'mgr@kowloon.example');
    expect(escalation?.text).toContain('- 控制措施：A.5.15 Access control rules（機構所用名稱：Access control）\n');
    expect(escalation?.text).toContain('- 控制措施：A.8.13 Backups\n');
    const recorded = await notices(rt);
    expect(recorded.filter((n) => n.controlId === 'A.5.15').every((n) => n.controlTitle === 'Access control rules' && n.controlTitleInOrganisationFile === 'Access control')).toBe(true);
    expect(recorded.filter((n) => n.controlId === 'A.8.13').every((n) => n.controlTitle === 'Backups' && !('controlTitleInOrganisationFile' in n))).toBe(true);
  });
});

describe('evidence sweep when things go wrong after the mail is out', () => {
  it('never mails a notice twice when recording it as sent failed: a later sweep closes it instead', async () => {
    const mailer = new RecordingMailer();
    const rt = await testRuntime(mailer);
    await importOrganisationFile(rt, smallOrg([{ validUntil: '2026-11-01' }]), 'import:test', AT);
    // Closing as sent fails (the mail has gone): the notices keep their claim and their message id.
    throttleWhen(rt.store, (input) => input.includes('sentAt = :at'));
    const first = await sweepOnce(rt, 'kowloon-co', '2026-11-02', 'crashy');
    expect(mailer.sent).toHaveLength(1);
    // Owen's send mailed its one notice and says the closing is still owed.
    expect(first.summary.mails).toEqual([expect.objectContaining({ recipientId: 'owen', notices: 1, messageId: expect.any(String) })]);
    expect(first.summary.failedRecipients).toEqual([{ recipientId: 'owen', error: expect.stringMatching(/^mailed, but not every notice is recorded as sent yet/) }]);
    const messageId = first.summary.mails[0]?.messageId;
    const [stuck] = await notices(rt);
    expect(stuck).toMatchObject({ status: 'sending', messageId });

    rt.store.doc.middlewareStack.remove('faultInjection');
    // Eleven minutes later the lease has ended; the same day's next sweep takes the notice over.
    const later = new Date(Date.now() + 11 * 60_000);
    const next = await sweepOnce({ ...rt, clock: () => later }, 'kowloon-co', '2026-11-02T15:00:00Z', 'recovery');
    expect(mailer.sent).toHaveLength(1);
    expect(next.summary.mailsSent).toBe(0);
    const [closed] = await notices(rt);
    expect(closed).toMatchObject({ status: 'sent', messageId });
  });

  it('cancels notices still waiting for someone who has left the organisation', async () => {
    const mailer = new RecordingMailer();
    const rt = await testRuntime(mailer);
    await importOrganisationFile(rt, smallOrg([{ validUntil: '2026-11-01' }]), 'import:test', AT);
    mailer.failWith = new Error('relay down');
    await sweepOnce(rt, 'kowloon-co', '2026-11-02', 'down');
    mailer.failWith = undefined;
    // Owen leaves: his control passes to Carol.
    const left = smallOrg([{ validUntil: '2026-11-01' }]);
    await importOrganisationFile(
      rt,
      { ...left, people: left.people.filter((p) => p.id !== 'owen'), controls: left.controls.map((c) => ({ ...c, owner: 'carol' })) },
      'import:test',
      '2026-11-03T00:00:00Z',
    );
    await sweepOnce(rt, 'kowloon-co', '2026-11-03', 'after');
    // This sweep's plan found owen gone and cancelled what waited for him.
    const owen = (await notices(rt)).filter((n) => n.recipientId === 'owen');
    expect(owen).toEqual([expect.objectContaining({ status: 'cancelled', claimedBy: 'after', closedReason: 'recipient "owen" is no longer in the organisation' })]);
    expect(mailer.sent.map((m) => m.to.email)).not.toContain('owen@kowloon.example');
  });
});

describe('evidence sweep: missed days, the organisation\'s date, the summary', () => {
  /** `day email label` for each mail sent since `before`, by address: an owner's notice label (Lapsed, Reminder N), else the subject. */
  const mailLog = (mailer: RecordingMailer, day: string, before: number) =>
    mailer.sent
      .slice(before)
      .map((m) => `${day} ${m.to.email} ${/Notice: (.+)/.exec(m.text)?.[1]?.trim() ?? m.subject.replace(/^\[Kowloon Co\] /, '')}`)
      .sort();

  it('after days without a sweep, sends the lapsed notice first and each reminder 7 days after the previous notice, once', async () => {
    const mailer = new RecordingMailer();
    const rt = await testRuntime(mailer);
    await importOrganisationFile(rt, smallOrg([{ validUntil: '2026-11-01' }]), 'import:test', AT);
    const log: string[] = [];
    // No sweep ran for the first 19 days after the end; then one every day, two at once on 11-27.
    for (let day = '2026-11-20'; day <= '2026-12-05'; day = addDays(day, 1)) {
      const before = mailer.sent.length;
      if (day === '2026-11-27') await Promise.all([sweepOnce(rt, 'kowloon-co', day, 'tick-a'), sweepOnce(rt, 'kowloon-co', day, 'tick-b')]);
      else await sweepOnce(rt, 'kowloon-co', day);
      log.push(...mailLog(mailer, day, before));
    }
    expect(log).toEqual([
      '2026-11-20 mgr@kowloon.example 證據需要處理：1 項已升級',
      '2026-11-20 owen@kowloon.example Lapsed',
      '2026-11-27 owen@kowloon.example Reminder 1',
      '2026-12-04 owen@kowloon.example Reminder 2',
    ]);
    expect((await notices(rt)).map((n) => n.stage).sort()).toEqual(['escalated', 'lapsed', 'reminder-1', 'reminder-2']);
  });

  it('counts days on the organisation\'s date: 17:00 UTC is the next day in Hong Kong', async () => {
    const mailer = new RecordingMailer();
    const rt = await testRuntime(mailer);
    await importOrganisationFile(rt, smallOrg([{ validUntil: '2026-11-01' }]), 'import:test', AT);
    // 23:59 on 11-01 in Hong Kong: the last valid day.
    await sweepOnce(rt, 'kowloon-co', '2026-11-01T15:59:00Z', 'evening');
    expect(mailer.sent.map((m) => m.subject)).toEqual(['[Kowloon Co] Evidence needs your attention: 1 due soon']);
    expect(mailer.sent[0]?.text).toMatch(/As of 2026-11-01,/);
    // 01:00 on 11-02 in Hong Kong, still 11-01 in UTC: lapsed by a day.
    await sweepOnce(rt, 'kowloon-co', '2026-11-01T17:00:00Z', 'night');
    expect(mailer.sent.map((m) => m.subject)).toEqual([
      '[Kowloon Co] Evidence needs your attention: 1 due soon',
      '[Kowloon Co] Evidence needs your attention: 1 lapsed',
    ]);
    expect(mailer.sent[1]?.text).toMatch(/As of 2026-11-02,/);
    expect(mailer.sent[1]?.text).toMatch(/1 day overdue/);
    expect((await notices(rt)).find((n) => n.stage === 'lapsed')).toMatchObject({ recordedOn: '2026-11-02' });
  });

  it('the summary line of each mail adds up: a review digest is one notice, however many tasks it lists', async () => {
    const mailer = new RecordingMailer();
    const rt = await importedSampleRuntime(mailer, AT);
    await executeWorkflow(rt, 'quarterly-review', runRequest('quarterly-review', 'harbour-ledger', new Date('2026-11-30T01:00:00Z'), { timeZone: 'Asia/Hong_Kong' }).input);
    // Seven days before the tasks' due date (12-30): the review reminders go out with the evidence notices.
    const sweep = await sweepOnce(rt, 'harbour-ledger', '2026-12-23');
    const withDigest = sweep.summary.mails.filter((m) => (m.kinds?.tasks ?? 0) > 0);
    expect(withDigest.length).toBeGreaterThan(0);
    for (const m of sweep.summary.mails) {
      const k = m.kinds;
      expect(k && k.escalated + k.lapsed + k['due-soon'] + (k.digests ?? 0) + (k.alerts ?? 0)).toBe(m.notices);
    }
    const text = formatSweep({ status: 'completed', name: sweep.summary.runName, output: sweep.summary }, undefined);
    const many = withDigest.find((m) => (m.kinds?.tasks ?? 0) > 1);
    if (!many) throw new Error('no mail with a digest of several tasks');
    const line = text.split('\n').find((l) => l.startsWith(`  ${many.recipientId}: `)) ?? '';
    expect(line).toMatch(new RegExp(`^  ${many.recipientId}: ${many.notices} notices: (.+, )?1 review digest \\(${many.kinds?.tasks} tasks\\)$`));
    // Every part of the line is a count of notices, and they add up to the total.
    const parts = line.slice(line.indexOf(': ', line.indexOf('notice')) + 2).replace(/ \(\d+ tasks?\)/, '').split(', ');
    expect(parts.reduce((sum, p) => sum + Number(p.split(' ')[0]), 0)).toBe(many.notices);
  });
});
