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
    rt = await testRuntime(mailer);
    await importOrganisationFile(rt, readOrgFile(SAMPLE), `import:${SAMPLE}`, AT);
  });

  it('records and sends each notice exactly once when the sweep runs twice', async () => {
    const first = await sweepOnce(rt, 'harbour-ledger', '2026-11-30', 'first');
    const second = await sweepOnce(rt, 'harbour-ledger', '2026-11-30', 'second');

    const recorded = await notices(rt);
    expect(first.plan.recorded).toBe(recorded.length);
    expect(recorded.length).toBeGreaterThan(20);
    expect(recorded.every((n) => n.status === 'sent' && n.messageId)).toBe(true);
    expect(second.plan.recorded).toBe(0);
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
    expect(a.plan.recorded + b.plan.recorded).toBe(recorded.length);
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
    expect((await rt.runs.get({ orgId: 'harbour-ledger', kind: 'evidence-sweep', name: 'down' }))?.status).toBe('failed');

    mailer.failWith = undefined;
    const next = await sweepOnce(rt, 'harbour-ledger', '2026-11-30T15:00:00Z', 'up');
    const after = await notices(rt);
    expect(next.plan.recorded).toBe(0);
    expect(next.summary.noticesSent).toBe(pending.length);
    expect(after.every((n) => n.status === 'sent' && n.attempts === 2)).toBe(true);
    expect(mailer.sent).toHaveLength(new Set(after.map((n) => n.recipientId)).size);
  });

  it('never notices retired evidence or evidence outside the window', async () => {
    const run = await sweepOnce(rt, 'harbour-ledger', '2026-11-30');
    const ids = new Set((await notices(rt)).map((n) => n.evidenceId));
    const file = readOrgFile(SAMPLE);
    for (const e of file.evidence.filter((x) => x.retired)) expect(ids.has(e.id)).toBe(false);
    // Only items ending by 2026-12-14 (today + 14 days) were read at all.
    const inWindow = file.evidence.filter((e) => !e.retired && e.validUntil && e.validUntil <= '2026-12-14');
    expect(run.plan.evidenceRead).toBe(inWindow.length);
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

describe('evidence sweep when things go wrong after the mail is out', () => {
  it('never mails a notice twice when recording it as sent failed: a later sweep closes it instead', async () => {
    const mailer = new RecordingMailer();
    const rt = await testRuntime(mailer);
    await importOrganisationFile(rt, smallOrg([{ validUntil: '2026-11-01' }]), 'import:test', AT);
    // Closing as sent fails (the mail has gone): the notices keep their claim and their message id.
    throttleWhen(rt.store, (input) => input.includes('sentAt = :at'));
    const first = await sweepOnce(rt, 'kowloon-co', '2026-11-02', 'crashy');
    expect(mailer.sent).toHaveLength(1);
    expect(first.sends[0]).toMatchObject({ mailed: true, sent: 1 });
    expect(first.sends[0]?.error).toMatch(/^mailed, but not every notice is recorded as sent yet/);
    const [stuck] = await notices(rt);
    expect(stuck).toMatchObject({ status: 'sending', messageId: first.sends[0]?.messageId });

    rt.store.doc.middlewareStack.remove('faultInjection');
    // Eleven minutes later the lease has ended; the same day's next sweep takes the notice over.
    const later = new Date(Date.now() + 11 * 60_000);
    const next = await sweepOnce({ ...rt, clock: () => later }, 'kowloon-co', '2026-11-02T15:00:00Z', 'recovery');
    expect(mailer.sent).toHaveLength(1);
    expect(next.summary.mailsSent).toBe(0);
    const [closed] = await notices(rt);
    expect(closed).toMatchObject({ status: 'sent', messageId: first.sends[0]?.messageId });
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
    const run = await sweepOnce(rt, 'kowloon-co', '2026-11-03', 'after');
    expect(run.plan.unknownRecipients).toEqual(['owen']);
    const owen = (await notices(rt)).filter((n) => n.recipientId === 'owen');
    expect(owen.map((n) => n.status)).toEqual(['cancelled']);
    expect(mailer.sent.map((m) => m.to.email)).not.toContain('owen@kowloon.example');
  });
});
