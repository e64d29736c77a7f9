// The web pages in a real browser (the system's Chromium through playwright-core),
// served by `compliance serve`'s server against DynamoDB Local with the sample
// organisation: an owner signs in from a one-time link, sees only their tasks and
// answers one, which the review then shows; an auditor reads every page and downloads
// the audit package, whose manifest checks; a scheduler starts a run and sees it
// finish. Every page passes axe-core with no serious or critical violation, fits a
// phone-width screen, and is photographed under test/screenshots/ (git-ignored).
// Sign-in on Cognito's hosted page is checked against a stand-in for Cognito (the pool's
// keys and its token endpoint in the test), with no network.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../lib/adapters/dynamodb/keys.ts';
import { MAX_AGE_MS, setReadCacheClock } from '../lib/api/read-cache.ts';
import type { Role } from '../lib/domain/access/principal.ts';
import { verifyPackage } from '../lib/domain/export/manifest.ts';
import { serveApi } from '../lib/api/local-server.ts';
import { REPORT_CSP } from '../lib/domain/report/render.ts';
import { cognitoWebAuth, localWebAuth, setWebAuth, signInCode } from '../lib/web/auth.ts';
import { ORG, OWNER, sampleApiWithPages, tableItems, type ApiFixture } from './support/api.ts';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const SHOTS = path.resolve('test/screenshots');
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

describe('web pages in Chromium', () => {
  let api: ApiFixture;
  let browser: Browser;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: install Debian's package (apt-get install chromium; .ci/run does where it is missing) or set CHROMIUM_PATH`);
    api = await sampleApiWithPages();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    mkdirSync(SHOTS, { recursive: true });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await api?.close();
    setReadCacheClock(undefined);
  });

  /** A browser context signed in as this person, from a one-time link, as `compliance token --link` prints it. */
  async function signIn(role: Role, person: string, options: { width?: number } = {}): Promise<{ context: BrowserContext; page: Page }> {
    // bypassCSP: only so axe-core can be injected; the pages' own CSP allows no script.
    const context = await browser.newContext({ bypassCSP: true, viewport: { width: options.width ?? 1100, height: 900 }, acceptDownloads: true });
    const page = await context.newPage();
    const link = `${api.server.url}/sign-in?code=${await signInCode(api.key, { person, orgId: ORG, role })}`;
    const landed = await page.goto(link);
    expect(landed?.status()).toBe(200);
    return { context, page };
  }

  /** axe-core's serious and critical violations on the page, as "rule: target". */
  async function accessibilityProblems(page: Page): Promise<string[]> {
    await page.addScriptTag({ content: AXE });
    const result = (await page.evaluate(`axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'best-practice'] })`)) as { violations: { id: string; impact: string; nodes: { target: string[] }[] }[] };
    return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`));
  }

  async function visit(page: Page, url: string, shot: string): Promise<void> {
    const response = await page.goto(`${api.server.url}${url}`);
    expect(response?.status(), url).toBe(200);
    expect(await accessibilityProblems(page), url).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, `${shot}.png`), fullPage: true });
  }

  /** A session cookie (`name=value`) from a one-time link, as a browser would keep it, without a browser. */
  async function sessionCookie(role: Role, person: string, base = api.server.url): Promise<string> {
    const landed = await fetch(`${base}/sign-in?code=${await signInCode(api.key, { person, orgId: ORG, role })}`, { redirect: 'manual' });
    expect(landed.status).toBe(303);
    return (landed.headers.get('set-cookie') ?? '').split(';')[0] as string;
  }

  /** A request as a browser sends it with that cookie (no redirect followed); a form is sent urlencoded. */
  async function browse(cookie: string | undefined, method: string, url: string, form?: Record<string, string> | string, base = api.server.url) {
    const body = form === undefined ? undefined : typeof form === 'string' ? form : new URLSearchParams(form).toString();
    const response = await fetch(`${base}${url}`, {
      method,
      redirect: 'manual',
      headers: { ...(cookie ? { cookie } : {}), ...(body !== undefined ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      ...(body !== undefined ? { body } : {}),
    });
    return { status: response.status, headers: response.headers, text: await response.text() };
  }

  /** A form's one-use CSRF token from a page. */
  const csrfOf = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

  it('an owner signs in from the link, sees only their tasks, answers one, and the review shows it', async () => {
    const { context, page } = await signIn('owner', OWNER);
    expect(new URL(page.url()).pathname).toBe('/tasks');
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, 'owner-tasks.png'), fullPage: true });
    const theirs = (await api.rt.reviews.tasks(ORG, '2026-Q4')).filter((t) => t.owner === OWNER || t.delegate === OWNER).map((t) => `task-${t.control}`);
    expect((await page.locator('section.card').evaluateAll((cards) => cards.map((c) => c.id))).sort()).toEqual(theirs.sort());

    const card = page.locator('#task-A\\.5\\.9');
    await card.getByLabel('Result').selectOption('not-effective');
    await card.getByLabel('Comment').fill('The asset register has not been reconciled since June.');
    await card.getByRole('button', { name: 'Answer A.5.9' }).click();
    await expect.poll(() => page.locator('.notice').textContent()).toContain('Your answer was recorded');
    await page.screenshot({ path: path.join(SHOTS, 'owner-answered.png'), fullPage: true });

    const auditor = await signIn('auditor', 'raymond-wong');
    await auditor.page.goto(`${api.server.url}/review?quarter=2026-Q4`);
    const row = auditor.page.locator('tr', { hasText: 'A.5.9 Inventory' });
    await expect.poll(() => row.textContent()).toContain('The asset register has not been reconciled since June.');
    expect(await row.textContent()).toContain('not-effective');
    await context.close();
    await auditor.context.close();
  });

  it('refuses a replayed or missing CSRF token, another owner\'s task, an oversized field and an ended session with a page that says so, changing nothing', async () => {
    const { context, page } = await signIn('owner', OWNER);
    const token = await page.locator('#task-A\\.8\\.1 input[name=csrf]').inputValue();
    // Nothing but the record that each CSRF token was used (so it cannot be used again).
    const business = async () => (await tableItems(api.rt)).filter((item) => !item.includes('"type":"nonce"'));
    const before = await business();
    const post = (url: string, form: Record<string, string>, headers: Record<string, string> = {}) => page.request.post(`${api.server.url}${url}`, { form, headers, maxRedirects: 0 });

    const other = await post('/tasks/2026-Q4/A.5.1', { csrf: token, result: 'effective' });
    expect(other.status()).toBe(403);
    // not one of this owner's: refused without saying whose it is
    expect(await other.text()).toContain('A.5.1: task 2026-Q4/A.5.1 is not one of yours');
    expect(await other.text()).not.toContain('michelle-leung');
    const replayed = await post('/tasks/2026-Q4/A.8.1', { csrf: token, result: 'effective' });
    expect(replayed.status()).toBe(403);
    expect(await replayed.text()).toContain('this form was sent already');
    const forged = await post('/tasks/2026-Q4/A.8.1', { csrf: `${token.slice(0, -1)}é`, result: 'effective' });
    expect(forged.status()).toBe(403);
    const missing = await post('/tasks/2026-Q4/A.8.1', { result: 'effective' });
    expect(missing.status()).toBe(403);
    expect(await missing.text()).toContain('missing its security token');
    await page.reload();
    const fresh = await page.locator('#task-A\\.8\\.1 input[name=csrf]').inputValue();
    const long = await post('/tasks/2026-Q4/A.8.1', { csrf: fresh, result: 'partially-effective', comment: 'x'.repeat(5000) });
    expect(long.status()).toBe(400);
    expect(await long.text()).toContain('body.comment: must be at most 4,000 characters');
    const huge = await post('/tasks/2026-Q4/A.8.1', { csrf: fresh, result: 'effective', comment: 'x'.repeat(100_000) });
    expect(huge.status()).toBe(413);
    expect(await business()).toEqual(before);

    await context.clearCookies();
    await context.addCookies([{ name: 'compliance_session', value: 'eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ4In0.bad', url: api.server.url }]);
    const ended = await page.goto(`${api.server.url}/tasks`);
    expect(ended?.status()).toBe(401);
    expect(await page.locator('main').textContent()).toContain('Your session has ended');
    expect(await page.locator('a', { hasText: 'Sign in' }).count()).toBe(1);
    await context.close();
  });

  it('an auditor reads every page, on a phone too, and downloads the audit package, whose manifest checks', async () => {
    const { context, page } = await signIn('auditor', 'raymond-wong');
    for (const [url, shot] of [
      ['/controls', 'auditor-controls'],
      ['/controls/A.5.15', 'auditor-control'],
      ['/gaps?status=open&severity=high', 'auditor-gaps'],
      ['/datamap', 'auditor-datamap'],
      ['/review?quarter=2026-Q4', 'auditor-review'],
      ['/audit', 'auditor-audit'],
      ['/package', 'auditor-package'],
      ['/runs', 'auditor-runs'],
      ['/report', 'auditor-report'],
    ] as const) {
      await visit(page, url, shot);
    }
    // raymond-wong reads Traditional Chinese (his language in the organisation file).
    expect((await page.goto(`${api.server.url}/report?period=2026-Q0`))?.status()).toBe(400);
    await page.goto(`${api.server.url}/audit`);
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-Hant');
    expect(await page.locator('p.notice[role=status]').textContent()).toContain('審計記錄核實無誤');

    await page.goto(`${api.server.url}/package`);
    await page.locator('#f-format').selectOption('csv');
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('main form button[type=submit]').click()]);
    expect(download.suggestedFilename()).toBe(`${ORG}-2026-Q4-csv.zip`);
    const zip = readFileSync((await download.path()) as string);
    expect(verifyPackage(new Map(Object.entries(unzipSync(new Uint8Array(zip)))))).toMatchObject({ ok: true });

    const phone = await signIn('auditor', 'raymond-wong', { width: 375 });
    for (const url of ['/controls', '/gaps', '/review?quarter=2026-Q4']) {
      await phone.page.goto(`${api.server.url}${url}`);
      const overflow = await phone.page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
      expect(overflow, url).toBeLessThanOrEqual(0);
    }
    await phone.page.screenshot({ path: path.join(SHOTS, 'auditor-review-phone.png'), fullPage: true });
    await context.close();
    await phone.context.close();
  });

  it('a scheduler starts a run from the runs page and sees it finish', async () => {
    const { context, page } = await signIn('scheduler', 'raymond-wong');
    expect(new URL(page.url()).pathname).toBe('/runs');
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.getByLabel('流程').selectOption('evidence-sweep');
    await page.getByRole('button', { name: '立即開始' }).click();
    const started = new URL(page.url()).searchParams.get('started') ?? '';
    expect(started).toMatch(/^evidence-sweep-harbour-ledger-2026-11-30T\d{6}$/);
    const row = page.locator('tr', { hasText: started });
    for (let i = 0; i < 60 && !((await row.count()) && (await row.textContent())?.includes('成功')); i++) {
      await page.waitForTimeout(500);
      await page.reload();
    }
    expect(await row.textContent()).toContain('成功');
    await page.screenshot({ path: path.join(SHOTS, 'scheduler-runs.png'), fullPage: true });

    // Signing out ends the session: the cookie is gone and a page behind it asks to sign in.
    await page.locator('header form button').click();
    expect(new URL(page.url()).pathname).toBe('/signed-out');
    expect(await accessibilityProblems(page)).toEqual([]);
    expect((await context.cookies()).filter((c) => c.name === 'compliance_session')).toEqual([]);
    expect((await page.goto(`${api.server.url}/runs`))?.status()).toBe(401);
    await context.close();
  });

  it('signing out ends the session on the server: its cookie, replayed, is refused, by a restarted server too, and only that session ends', async () => {
    const cookie = await sessionCookie('owner', OWNER);
    const other = await sessionCookie('owner', OWNER);
    const tasks = await browse(cookie, 'GET', '/tasks');
    expect(tasks.status).toBe(200);
    const out = await browse(cookie, 'POST', '/sign-out', { csrf: csrfOf(tasks.text) });
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe('/signed-out');

    const replayed = await browse(cookie, 'GET', '/tasks');
    expect(replayed.status).toBe(401);
    // The session's token is one the API takes as a bearer token: refused there too.
    const asBearer = (c: string) => fetch(`${api.server.url}/v1/controls`, { headers: { authorization: `Bearer ${c.slice(c.indexOf('=') + 1)}` } });
    expect((await asBearer(cookie)).status).toBe(401);
    expect((await asBearer(other)).status).toBe(200);
    expect(replayed.text).toContain('href="/sign-in"');
    expect(replayed.text).toContain('signed out of this session');
    // The record is in the table, not the server's memory: another server (a restart, another Lambda) refuses it too.
    const restarted = await serveApi({ key: api.key });
    try {
      expect((await browse(cookie, 'GET', '/tasks', undefined, restarted.url)).status).toBe(401);
      expect((await browse(cookie, 'POST', '/sign-out', { csrf: csrfOf(tasks.text) }, restarted.url)).status).toBe(401);
    } finally {
      await restarted.close();
    }
    expect((await browse(other, 'GET', '/tasks')).status).toBe(200);
  });

  it('answers a browser with a page in the person\'s language for no such page, a method a page does not take and a body too large; a refreshed form post goes back to its form', async () => {
    // raymond-wong reads Traditional Chinese; wong-siu-ming English.
    const auditor = await sessionCookie('auditor', 'raymond-wong');
    const owner = await sessionCookie('owner', OWNER);
    const isPage = (reply: { headers: Headers; text: string }, language: string, home: string) => {
      expect(reply.headers.get('content-type')).toContain('text/html');
      expect(reply.text).toContain(`<html lang="${language}">`);
      expect(reply.text).toContain(`href="${home}"`);
    };

    const missing = await browse(auditor, 'GET', '/nonexistent');
    expect(missing.status).toBe(404);
    isPage(missing, 'zh-Hant', '/controls');
    expect(missing.text).toContain('沒有這個頁面');
    const anonymous = await browse(undefined, 'GET', '/nonexistent/page');
    expect(anonymous.status).toBe(404);
    isPage(anonymous, 'en', '/');
    expect(anonymous.text).toContain('There is no such page');

    const wrongMethod = await browse(auditor, 'POST', '/controls', { csrf: 'x' });
    expect(wrongMethod.status).toBe(405);
    isPage(wrongMethod, 'zh-Hant', '/controls');
    expect(wrongMethod.headers.get('allow')).toBe('GET');

    const tasks = await browse(owner, 'GET', '/tasks');
    const huge = await browse(owner, 'POST', '/tasks/2026-Q4/A.8.1', `csrf=${csrfOf(tasks.text)}&result=effective&comment=${'x'.repeat(2 * 1024 * 1024)}`);
    expect(huge.status).toBe(413);
    isPage(huge, 'en', '/tasks');

    // A refresh of a form post's result page asks for the form's path: it leads back to the form.
    const refreshed = await browse(owner, 'GET', '/tasks/2026-Q4/A.8.5');
    expect(refreshed.status).toBe(303);
    expect(refreshed.headers.get('location')).toBe('/tasks?quarter=2026-Q4#task-A.8.5');
    expect((await browse(owner, 'GET', '/tasks/2026-Q9/A.8.5')).headers.get('location')).toBe('/tasks');

    // The API still answers JSON.
    const api404 = await browse(auditor, 'GET', '/v1/nonexistent');
    expect(api404.status).toBe(404);
    expect(api404.headers.get('content-type')).toContain('application/json');
  });

  it('names the field the person sent: the form\'s path on the tasks page it re-shows, the page\'s query on the review', async () => {
    const owner = await sessionCookie('owner', OWNER);
    const tasks = await browse(owner, 'GET', '/tasks');
    const bad = await browse(owner, 'POST', '/tasks/2026-Q9/A.8.5', { csrf: csrfOf(tasks.text), result: 'effective' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('A.8.5: path.quarter: must be a quarter');
    expect(bad.text).not.toContain('query.quarter');
    expect(bad.text).toContain('My tasks 2026-Q4');

    const auditor = await sessionCookie('auditor', 'raymond-wong');
    const review = await browse(auditor, 'GET', '/review?quarter=2026-Q9');
    expect(review.status).toBe(400);
    expect(review.text).toContain('query.quarter: must be a quarter');
    expect(review.text).not.toContain('path.quarter');
    const download = await browse(auditor, 'GET', `/package/download?period=${'9'.repeat(30)}`);
    expect(download.status).toBe(400);
    expect(download.text).toContain('query.period');
    expect(download.text).not.toContain('path.period');
  });

  it('the runs page stops refreshing for a run it does not know and for one that has finished, and speaks the person\'s language', async () => {
    const scheduler = await sessionCookie('scheduler', 'raymond-wong');
    const unknown = await browse(scheduler, 'GET', `/runs?started=evidence-sweep-${ORG}-2030-01-01T000000`);
    expect(unknown.status).toBe(200);
    expect(unknown.text).not.toContain('http-equiv="refresh"');
    expect(unknown.text).toContain('沒有這個名稱的執行');
    expect((await browse(scheduler, 'GET', '/runs?started=%3Cnot-a-name%3E')).text).not.toContain('http-equiv="refresh"');
    const finished = await browse(scheduler, 'GET', `/runs?started=${api.scanRun}`);
    expect(finished.text).not.toContain('http-equiv="refresh"');
    // Workflows and statuses in Traditional Chinese, like the rest of the page.
    const row = new RegExp(`<tr><td>${api.scanRun}</td><td>([^<]*)</td><td class="status-succeeded">([^<]*)</td>`).exec(finished.text);
    expect(row?.slice(1)).toEqual(['數據地圖掃描', '成功']);
    expect(finished.text).toContain('<option value="evidence-sweep">證據巡查</option>');
  });

  it('the runs page shows the run just started as it stands now, not as the list read a moment before has it', async () => {
    const scheduler = await sessionCookie('scheduler', 'raymond-wong');
    // a run of its own, so that no other test's run changes it meanwhile (a copy of the scan's record), started last
    const name = `evidence-sweep-${ORG}-2026-11-15`;
    const key = keys.run(ORG, 'evidence-sweep', name);
    const scan = (await api.rt.store.doc.send(new GetCommand({ TableName: api.rt.store.table, Key: keys.run(ORG, 'data-mapping-scan', api.scanRun) }))).Item!;
    const put = (status: string) => api.rt.store.doc.send(new PutCommand({ TableName: api.rt.store.table, Item: { ...scan, ...key, kind: 'evidence-sweep', name, status, startedAt: new Date().toISOString() } }));
    const shown = (text: string) => new RegExp(`<tr><td>${name}</td><td>[^<]*</td><td class="status-([a-z]+)">`).exec(text)?.[1];
    // The shared reads' clock, stopped past the age of all they hold: the next read of the list is made afresh, then held.
    const stopped = Date.now() + MAX_AGE_MS;
    setReadCacheClock(() => stopped);
    try {
      await put('running');
      expect(shown((await browse(scheduler, 'GET', '/runs')).text)).toBe('running');
      await put('succeeded');
      // the list, shared, still has it running; the page of the run just started has it as it stands
      expect(shown((await browse(scheduler, 'GET', '/runs')).text)).toBe('running');
      const page = await browse(scheduler, 'GET', `/runs?started=${name}`);
      expect(page.text).not.toContain('http-equiv="refresh"');
      expect(shown(page.text)).toBe('succeeded');
    } finally {
      // on from where it stopped, so that nothing read above looks newer than it is
      setReadCacheClock(() => Date.now() + MAX_AGE_MS);
      await api.rt.store.doc.send(new DeleteCommand({ TableName: api.rt.store.table, Key: key }));
    }
  });
  it('takes a form\'s CSRF token only in the session whose page carried it', async () => {
    const first = await sessionCookie('owner', OWNER);
    const second = await sessionCookie('owner', OWNER);
    const token = csrfOf((await browse(first, 'GET', '/tasks')).text);
    const crossed = await browse(second, 'POST', '/sign-out', { csrf: token });
    expect(crossed.status).toBe(403);
    expect(crossed.text).toContain('it is not this session&#39;s');
    expect((await browse(second, 'GET', '/tasks')).status).toBe(200);
    // In its own session the same token is good.
    expect((await browse(first, 'POST', '/sign-out', { csrf: token })).status).toBe(303);
  });

  it('sends the common security headers with the report, the API\'s JSON and a download, keeping the report\'s own policy', async () => {
    const auditor = await sessionCookie('auditor', 'raymond-wong');
    const report = await browse(auditor, 'GET', '/report');
    expect(report.status).toBe(200);
    const policy = report.headers.get('content-security-policy') ?? '';
    expect(policy).toContain(REPORT_CSP);
    expect(policy).toContain("frame-ancestors 'none'");
    expect(report.headers.get('x-content-type-options')).toBe('nosniff');
    expect(report.headers.get('referrer-policy')).toBe('same-origin');

    const json = await fetch(`${api.server.url}/v1/controls?limit=1`, { headers: { authorization: `Bearer ${api.tokens.auditor}` } });
    expect(json.status).toBe(200);
    expect(json.headers.get('x-content-type-options')).toBe('nosniff');
    const refused = await fetch(`${api.server.url}/v1/controls`);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('x-content-type-options')).toBe('nosniff');
    const zip = await browse(auditor, 'GET', '/package/download?period=2026-Q4&format=json');
    expect(zip.status).toBe(200);
    expect(zip.headers.get('content-disposition')).toContain('.zip');
    expect(zip.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('records a sign-in from a link and a sign-out in the audit trail, with the person and role and no token, and the trail verifies', async () => {
    const before = new Set((await api.rt.audit.read(ORG)).map((e) => JSON.stringify(e)));
    const cookie = await sessionCookie('owner', OWNER);
    const tasks = await browse(cookie, 'GET', '/tasks');
    expect((await browse(cookie, 'POST', '/sign-out', { csrf: csrfOf(tasks.text) })).status).toBe(303);
    // (in order of event name: the pages' clock here is fixed, so both entries may carry one time)
    const added = (await api.rt.audit.read(ORG)).filter((e) => !before.has(JSON.stringify(e)) && e.event.startsWith('session.')).sort((a, b) => a.event.localeCompare(b.event));
    expect(added.map(({ event, actor, detail }) => ({ event, actor, detail }))).toEqual([
      { event: 'session.signed-in', actor: OWNER, detail: { role: 'owner', via: 'link' } },
      { event: 'session.signed-out', actor: OWNER, detail: { role: 'owner' } },
    ]);
    // One session: both entries name the same one, by a reference that is not the token or any part of it.
    expect(added[0]!.subject).toMatch(/^SESSION#[A-Za-z0-9_-]{16,}$/);
    expect(added[1]!.subject).toBe(added[0]!.subject);
    const token = cookie.slice(cookie.indexOf('=') + 1);
    for (const part of token.split('.')) expect(JSON.stringify(added)).not.toContain(part);

    const unsealed = await api.rt.audit.verify(ORG);
    expect(unsealed.ok).toBe(true);
    expect(unsealed.unsealed.count).toBeGreaterThanOrEqual(2);
    await api.rt.audit.seal(ORG, 'test:seal', { at: new Date().toISOString() });
    const sealed = await api.rt.audit.verify(ORG);
    expect(sealed).toMatchObject({ ok: true, unsealed: { count: 0 } });
    expect(sealed.sealed).toBeGreaterThanOrEqual(unsealed.sealed + 2);
  });

  it('signs in through the hosted page only with the state and PKCE verifier of the pre-login cookie it set, which the callback clears', async () => {
    const issuer = 'https://cognito-idp.ap-east-1.amazonaws.com/ap-east-1_Test';
    const domain = 'https://acme-compliance.auth.ap-east-1.amazoncognito.com';
    const pool = await generateKeyPair('RS256');
    const keys = createLocalJWKSet({ keys: [{ ...(await exportJWK(pool.publicKey)), kid: 'pool', alg: 'RS256' }] });
    const idToken = () =>
      new SignJWT({ 'custom:org': ORG, 'cognito:groups': ['owner'], 'custom:person': OWNER, token_use: 'id' })
        .setProtectedHeader({ alg: 'RS256', kid: 'pool' })
        .setIssuer(issuer)
        .setAudience('web-client')
        .setSubject('3f1c-uuid')
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(pool.privateKey);
    // Cognito's token endpoint, in the test: what it was sent, and an ID token back.
    const exchanged: { url: string; form: URLSearchParams }[] = [];
    const tokenEndpoint = (async (url: string | URL | Request, init?: RequestInit) => {
      exchanged.push({ url: String(url), form: new URLSearchParams(String(init?.body)) });
      return Response.json({ id_token: await idToken() });
    }) as typeof fetch;
    setWebAuth(cognitoWebAuth(issuer, 'web-client', { domain, baseUrl: api.server.url }, { keys, fetch: tokenEndpoint }));
    try {
      const start = await browse(undefined, 'GET', '/sign-in');
      expect(start.status).toBe(303);
      const to = new URL(start.headers.get('location') ?? '');
      expect(`${to.origin}${to.pathname}`).toBe(`${domain}/oauth2/authorize`);
      expect(to.searchParams.get('redirect_uri')).toBe(`${api.server.url}/auth/callback`);
      expect(to.searchParams.get('code_challenge_method')).toBe('S256');
      const state = to.searchParams.get('state') ?? '';
      const challenge = to.searchParams.get('code_challenge') ?? '';
      expect(state).toMatch(/^[A-Za-z0-9_-]{32,}$/);
      expect(challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const [preLogin = ''] = start.headers.getSetCookie();
      expect(preLogin).toMatch(/^compliance_sign_in=[A-Za-z0-9_.-]+; Path=\/auth\/callback; HttpOnly; SameSite=Lax; Max-Age=600; Secure$/);
      const cookie = preLogin.split(';')[0] as string;
      // Another sign-in's start gives another state and challenge.
      const again = new URL((await browse(undefined, 'GET', '/sign-in')).headers.get('location') ?? '');
      expect(again.searchParams.get('state')).not.toBe(state);
      expect(again.searchParams.get('code_challenge')).not.toBe(challenge);

      const noSession = (reply: { headers: Headers }) => expect(reply.headers.getSetCookie().filter((c) => c.startsWith('compliance_session='))).toEqual([]);
      // A code with another state (login CSRF: the attacker's code in the victim's browser), none, or no pre-login cookie: refused, the code never redeemed.
      for (const [label, reply] of [
        ['another state', await browse(cookie, 'GET', `/auth/callback?code=c-1&state=${again.searchParams.get('state')}`)],
        ['no state', await browse(cookie, 'GET', '/auth/callback?code=c-1')],
        ['no cookie', await browse(undefined, 'GET', `/auth/callback?code=c-1&state=${state}`)],
      ] as const) {
        expect(reply.status, label).toBe(400);
        expect(reply.text, label).toMatch(/query\.state|compliance_sign_in/);
        expect(reply.text, label).not.toContain('    at ');
        noSession(reply);
        expect(reply.headers.getSetCookie(), label).toContain('compliance_sign_in=; Path=/auth/callback; HttpOnly; SameSite=Lax; Max-Age=0; Secure');
      }
      expect(exchanged).toEqual([]);

      const before = new Set((await api.rt.audit.read(ORG)).map((e) => JSON.stringify(e)));
      const done = await browse(cookie, 'GET', `/auth/callback?code=c-2&state=${state}`);
      expect(done.status).toBe(303);
      expect(done.headers.get('location')).toBe('/tasks');
      expect(exchanged).toHaveLength(1);
      expect(exchanged[0]!.url).toBe(`${domain}/oauth2/token`);
      const verifier = exchanged[0]!.form.get('code_verifier') ?? '';
      expect(createHash('sha256').update(verifier).digest('base64url')).toBe(challenge);
      expect(exchanged[0]!.form.get('code')).toBe('c-2');
      const cookies = done.headers.getSetCookie();
      expect(cookies).toContain('compliance_sign_in=; Path=/auth/callback; HttpOnly; SameSite=Lax; Max-Age=0; Secure');
      const session = (cookies.find((c) => c.startsWith('compliance_session=')) ?? '').split(';')[0] as string;
      expect((await browse(session, 'GET', '/tasks')).status).toBe(200);
      const added = (await api.rt.audit.read(ORG)).filter((e) => !before.has(JSON.stringify(e)));
      expect(added.map(({ event, actor, detail }) => ({ event, actor, detail }))).toEqual([{ event: 'session.signed-in', actor: OWNER, detail: { role: 'owner', via: 'hosted' } }]);
    } finally {
      setWebAuth(localWebAuth(api.key));
    }
  });
});
