// The tasks, review, runs and package pages as a browser gets them (no browser: the
// sign-in link's cookie and forms posted as a browser posts them), against DynamoDB
// Local with the sample organisation: what the owner's form takes, today's evidence
// status, a read-only task list for roles that may not answer, a run already started,
// and the pages' own words where the use cases would point at the command line.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../lib/domain/access/principal.ts';
import { signInCode } from '../lib/web/auth.ts';
import { call, ORG, OWNER, sampleApiWithPages, type ApiFixture } from './support/api.ts';

describe('web pages: tasks, review, runs and package', () => {
  let api: ApiFixture;

  beforeAll(async () => {
    api = await sampleApiWithPages();
  }, 180_000);

  afterAll(async () => {
    await api?.close();
  });

  async function sessionCookie(role: Role, person: string): Promise<string> {
    const landed = await fetch(`${api.server.url}/sign-in?code=${await signInCode(api.key, { person, orgId: ORG, role })}`, { redirect: 'manual' });
    expect(landed.status).toBe(303);
    return (landed.headers.get('set-cookie') ?? '').split(';')[0] as string;
  }

  async function browse(cookie: string, method: string, url: string, form?: Record<string, string>) {
    const body = form === undefined ? undefined : new URLSearchParams(form).toString();
    const response = await fetch(`${api.server.url}${url}`, {
      method,
      redirect: 'manual',
      headers: { cookie, ...(body !== undefined ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      ...(body !== undefined ? { body } : {}),
    });
    return { status: response.status, headers: response.headers, text: await response.text() };
  }

  const csrfOf = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
  /** The status line of a task's card on the tasks page. */
  const cardOf = (html: string, control: string) => new RegExp(`<section class="card" id="task-${control.replaceAll('.', '\\.')}"[^]*?</p>`).exec(html)?.[0] ?? '';
  const task = async (control: string) => (await api.rt.reviews.task(ORG, `2026-Q4/${control}`))!;

  it('refuses a SHA-256 sent without an evidence location, naming the field, and records nothing', async () => {
    const owner = await sessionCookie('owner', OWNER);
    const before = await task('A.8.20');
    const sha = 'ab'.repeat(32);
    const reply = await browse(owner, 'POST', '/tasks/2026-Q4/A.8.20', { csrf: csrfOf((await browse(owner, 'GET', '/tasks')).text), result: 'effective', evidenceSha256: sha, evidenceLocation: '' });
    expect(reply.status).toBe(400);
    expect(reply.text).toContain('A.8.20: evidenceLocation: is required with a SHA-256');
    // the tasks page again, what was typed kept, its forms with their tokens, under the pages' policy
    expect(reply.text).toContain(`value="${sha}"`);
    expect(csrfOf(reply.text)).not.toBe('');
    expect(reply.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await task('A.8.20')).toEqual(before);
  });

  it('shows each task\'s evidence status as it is today, as /controls has it', async () => {
    const owner = await sessionCookie('owner', OWNER);
    // A.8.5's only evidence lapsed on 2026-11-24, before the review opened; new evidence renewing it makes it current.
    expect((await task('A.8.5')).evidenceStatusAtOpening).toBe('lapsed');
    const evidence = { control: 'A.8.5', title: 'MFA enforcement report, November 2026', kind: 'report', location: 's3://harbour-ledger-evidence/a.8.5/2026-11/mfa.pdf', sha256: 'cd'.repeat(32), validFor: 'P90D', renews: 'ev-050' };
    expect((await call(api, 'POST', '/v1/evidence', { token: api.tokens.owner, body: JSON.stringify(evidence) })).status).toBe(201);
    const controls = (await call(api, 'GET', '/v1/controls?limit=500', { token: api.tokens.owner })).body as { items: { id: string; evidenceStatus: string }[] };
    expect(controls.items.find((c) => c.id === 'A.8.5')?.evidenceStatus).toBe('current');

    const card = cardOf((await browse(owner, 'GET', '/tasks')).text, 'A.8.5');
    expect(card).toContain('Evidence today: <span class="status-current">current</span>');
    expect(card).not.toContain('lapsed');
  });

  it('gives auditors and admins a read-only task list, titled so, with no answer forms; owners keep theirs', async () => {
    for (const [role, person, title] of [
      ['auditor', 'raymond-wong', '任務 2026-Q4'],
      ['admin', 'michelle-leung', 'Tasks 2026-Q4'],
    ] as const) {
      const reply = await browse(await sessionCookie(role, person), 'GET', '/tasks');
      expect(reply.status, role).toBe(200);
      expect(reply.text, role).toContain(`<h1>${title}</h1>`);
      expect(reply.text, role).not.toMatch(/我的任務|My tasks/);
      expect(reply.text, role).not.toContain('action="/tasks/');
      expect(reply.text, role).toContain('id="task-A.5.1"');
      // whose each task is (the only form left is signing out)
      expect(reply.text, role).toMatch(/michelle-leung|wong-siu-ming/);
      expect(reply.text.match(/<form /g), role).toHaveLength(1);
    }
    const owner = await browse(await sessionCookie('owner', OWNER), 'GET', '/tasks');
    expect(owner.text).toContain('<h1>My tasks 2026-Q4</h1>');
    expect(owner.text).toContain('action="/tasks/2026-Q4/A.8.1"');
  });

  it('says a run was already started, naming it, when the API answers already-started', async () => {
    const scheduler = await sessionCookie('scheduler', 'raymond-wong');
    const start = async () => browse(scheduler, 'POST', '/runs', { csrf: csrfOf((await browse(scheduler, 'GET', '/runs')).text), workflow: 'gap-analysis' });
    // The fixture's clock stands still: an on-demand run's name (to the second) is the same both times.
    const first = await start();
    expect(first.status).toBe(303);
    const second = await start();
    expect(second.status).toBe(303);
    const name = new URL(first.headers.get('location') ?? '', api.server.url).searchParams.get('started') ?? '';
    expect(name).toMatch(/^gap-analysis-harbour-ledger-/);
    const again = await browse(scheduler, 'GET', second.headers.get('location') ?? '');
    expect(again.status).toBe(200);
    expect(again.text).toContain(`早前已開始（沒有再次開始）: ${name}`);
    expect(again.text).not.toContain(`已開始: ${name}`);
  });

  it('says on the review page how a review comes about, not a command to open it', async () => {
    const review = await browse(await sessionCookie('auditor', 'raymond-wong'), 'GET', '/review?quarter=2020-Q1');
    expect(review.status).toBe(404);
    expect(review.text).toContain('2020-Q1: 此季度尚未開始審查');
    expect(review.text).not.toContain('compliance review open');
  });

  it('says where the owner\'s tasks are for a task there is not, not a command to list them', async () => {
    const owner = await sessionCookie('owner', OWNER);
    const none = await browse(owner, 'POST', '/tasks/2026-Q3/A.8.1', { csrf: csrfOf((await browse(owner, 'GET', '/tasks')).text), result: 'effective' });
    expect(none.status).toBe(404);
    expect(none.text).toContain('2026-Q3/A.8.1: there is no such task: your tasks are listed on this page');
    expect(none.text).not.toContain('compliance task list');
  });

  it('refuses a download query key the API refuses, naming it', async () => {
    const auditor = await sessionCookie('auditor', 'raymond-wong');
    const download = await browse(auditor, 'GET', '/package/download?period=2026-Q4&format=json&x=1');
    expect(download.status).toBe(400);
    expect(download.headers.get('content-type')).toContain('text/html');
    expect(download.text).toContain('query: Unrecognized key: &quot;x&quot;');
    expect((await browse(auditor, 'GET', '/package/download?period=2026-Q4')).status).toBe(200);
  });
});
