// The HTTP API through `compliance serve`'s server and the real handlers, against
// DynamoDB Local: every route for every role (and for no token and another
// organisation's), what owners may see and change, and fuzzed requests that must get
// a 4xx JSON answer, never a 5xx, and leave the table as it was.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unzipSync } from 'fflate';
import { localSigningKey } from '../lib/adapters/local/local-signing-key.ts';
import { verifyPackage } from '../lib/domain/export/manifest.ts';
import { issueLocalToken } from '../lib/adapters/local/local-token.ts';
import { readOrgFile } from '../lib/adapters/files/org-file-reader.ts';
import { importOrganisationFile } from '../lib/usecases/org/import.ts';
import { signInCode } from '../lib/web/auth.ts';
import { API_ROUTES } from '../lib/workflows/declarations.ts';
import type { Role } from '../lib/domain/access/principal.ts';
import { ROUTES } from '../lib/api/routes.ts';
import { runRoute } from '../lib/api/http.ts';
import { setReadCacheClock } from '../lib/api/read-cache.ts';
import { listEvidenceRows } from '../lib/usecases/controls/show.ts';
import { routerFor } from '../lib/api/router.ts';
import { executeWorkflow } from '../lib/adapters/local/workflow-runner.ts';
import { runRequest } from '../lib/workflows/declarations.ts';
import { answerTask, decideTask } from '../lib/usecases/review/answer.ts';
import { closeQuarter } from '../lib/usecases/review/close.ts';
import { readAuditRange } from '../lib/usecases/audit/trail.ts';
import type { Task } from '../lib/domain/review/review.ts';
import { call, craftedToken, NOW, ORG, OWNER, SAMPLE, sampleApi, tableItems, type ApiFixture } from './support/api.ts';
import { testRuntime } from './support/local-store.ts';
import { tempDir } from './support/temp-dir.ts';

type Caller = 'admin' | 'auditor' | 'owner' | 'scheduler' | 'none' | 'otherOrg';
const CALLERS: readonly Caller[] = ['admin', 'auditor', 'owner', 'scheduler', 'none', 'otherOrg'];

interface Cell {
  method: string;
  path: string;
  /** The request made: path with values, and a body for POST. */
  url: (caller: Caller) => string;
  body?: (caller: Caller) => string;
  expected: Record<Caller, number>;
}

const sha = (n: number) => n.toString(16).padStart(64, 'a');
const everyone = (ok: number, but: Partial<Record<Caller, number>> = {}): Record<Caller, number> => ({ admin: ok, auditor: ok, owner: ok, scheduler: ok, none: 401, otherOrg: 403, ...but });
const readers = (ok = 200) => everyone(ok, { owner: 403, scheduler: 403 });
const owners = (ok = 200) => everyone(ok, { scheduler: 403 });

/** One control of the owner's per POST, so each allowed answer is a first answer. */
const TASKS: Record<Caller, string> = { admin: 'A.5.9', auditor: 'A.5.9', owner: 'A.5.18', scheduler: 'A.5.9', none: 'A.5.9', otherOrg: 'A.5.9' };

const MATRIX = (scanRun: string, alerts: readonly string[]): Cell[] => [
  { method: 'GET', path: '/v1/controls', url: () => '/v1/controls', expected: owners() },
  { method: 'GET', path: '/v1/controls/{id}', url: () => '/v1/controls/A.5.9', expected: owners() },
  { method: 'GET', path: '/v1/evidence', url: () => '/v1/evidence?status=current', expected: owners() },
  { method: 'GET', path: '/v1/datamaps/latest', url: () => '/v1/datamaps/latest', expected: readers() },
  { method: 'GET', path: '/v1/gaps', url: () => '/v1/gaps?framework=pdpo', expected: readers() },
  { method: 'GET', path: '/v1/reviews/{quarter}', url: () => '/v1/reviews/2026-Q4', expected: readers() },
  { method: 'GET', path: '/v1/tasks', url: () => '/v1/tasks', expected: owners() },
  { method: 'GET', path: '/v1/audit', url: () => '/v1/audit?from=2026-11-01&to=2026-12-01', expected: readers() },
  { method: 'GET', path: '/v1/audit/verify', url: () => '/v1/audit/verify', expected: readers() },
  { method: 'GET', path: '/v1/alerts', url: () => '/v1/alerts?status=open', expected: owners() },
  { method: 'GET', path: '/v1/alerts/stats', url: () => '/v1/alerts/stats?period=2026-Q4', expected: readers() },
  // wong-siu-ming (the owner token) is none of the alerts' recipients; michelle-leung (admin) is the compliance contact.
  { method: 'POST', path: '/v1/alerts/{id}/ack', url: () => `/v1/alerts/${alerts[0]}/ack`, body: () => '{"comment":"Looking into it."}', expected: everyone(403, { admin: 200 }) },
  {
    method: 'POST',
    path: '/v1/alerts/{id}/resolve',
    url: () => `/v1/alerts/${alerts[1]}/resolve`,
    body: () => '{"disposition":"benign","comment":"Month-end export, approved."}',
    expected: everyone(403, { admin: 200 }),
  },
  { method: 'GET', path: '/v1/exports/{period}', url: () => '/v1/exports/2026-Q4?format=oscal', expected: readers() },
  { method: 'GET', path: '/v1/runs', url: () => '/v1/runs?workflow=data-mapping-scan', expected: everyone(200, { owner: 403 }) },
  { method: 'GET', path: '/v1/runs/{name}', url: () => `/v1/runs/${scanRun}`, expected: everyone(200, { owner: 403 }) },
  {
    method: 'POST',
    path: '/v1/runs',
    url: () => '/v1/runs',
    body: () => JSON.stringify({ workflow: 'evidence-sweep', period: '2026-11-30' }),
    expected: everyone(202, { owner: 403, auditor: 403 }),
  },
  {
    method: 'POST',
    path: '/v1/reviews/{quarter}/tasks/{control}/answer',
    url: (c) => `/v1/reviews/2026-Q4/tasks/${TASKS[c]}/answer`,
    body: () => JSON.stringify({ result: 'partially-effective', comment: 'Access review for Q4 is half done.' }),
    expected: everyone(403, { owner: 200 }),
  },
  {
    method: 'POST',
    path: '/v1/evidence',
    url: () => '/v1/evidence',
    body: (c) => JSON.stringify({ control: 'A.8.1', title: 'Endpoint encryption report', kind: 'report', location: `s3://evidence/a.8.1/${c}.pdf`, sha256: sha(CALLERS.indexOf(c) + 1), validFor: 'P6M' }),
    expected: everyone(403, { owner: 201 }),
  },
];

/** A run started through the API, once its execution has stopped. */
async function finished(api: ApiFixture, name: string): Promise<{ run: { status: string }; execution?: { status: string } } | undefined> {
  let state: { run: { status: string }; execution?: { status: string } } | undefined;
  for (let i = 0; i < 300; i++) {
    state = (await call(api, 'GET', `/v1/runs/${name}`, { token: api.tokens.scheduler })).body as typeof state;
    if (state?.execution?.status !== 'RUNNING') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return state;
}

describe('HTTP API', () => {
  let api: ApiFixture;
  const token = (c: Caller) => (c === 'none' ? undefined : api.tokens[c]);

  beforeAll(async () => {
    api = await sampleApi();
  }, 120_000);
  afterAll(async () => api?.close());

  it('has a handler for every declared route, and no handler without a declaration', () => {
    const declared = API_ROUTES.map((r) => `${r.method} ${r.path}`).sort();
    expect(ROUTES.map((r) => `${r.method} ${r.path}`).sort()).toEqual(declared);
  });

  it('answers every route for every role as the role table says, with JSON errors naming the reason', async () => {
    const alerts = (await api.rt.alerts.unresolved('harbour-ledger')).map((a) => a.id).sort();
    expect(alerts.length).toBeGreaterThan(2);
    const cells = MATRIX(api.scanRun, alerts);
    expect(new Set(cells.map((c) => `${c.method} ${c.path}`))).toEqual(new Set(ROUTES.map((r) => `${r.method} ${r.path}`)));
    const got: string[] = [];
    const want: string[] = [];
    for (const cell of cells) {
      for (const caller of CALLERS) {
        const reply = await call(api, cell.method, cell.url(caller), { ...(token(caller) ? { token: token(caller) as string } : {}), ...(cell.body ? { body: cell.body(caller) } : {}) });
        got.push(`${cell.method} ${cell.path} as ${caller}: ${reply.status}`);
        want.push(`${cell.method} ${cell.path} as ${caller}: ${cell.expected[caller]}`);
        if (reply.status >= 400) expect(reply.body, `${cell.method} ${cell.path} as ${caller}`).toMatchObject({ code: expect.any(String), message: expect.any(String) });
      }
    }
    expect(got).toEqual(want);
    await finished(api, 'evidence-sweep-harbour-ledger-2026-11-30');
  });

  it('shows an owner only their own controls, evidence and tasks, and refuses another owner\'s', async () => {
    const owner = api.tokens.owner;
    const controls = (await call(api, 'GET', '/v1/controls', { token: owner })).body as { items: { owner?: string }[] };
    expect(controls.items.length).toBeGreaterThan(0);
    expect(new Set(controls.items.map((c) => c.owner))).toEqual(new Set([OWNER]));
    const tasks = (await call(api, 'GET', '/v1/tasks?quarter=2026-Q4', { token: owner })).body as { items: { id: string }[] };
    const theirs = (await api.rt.reviews.tasks('harbour-ledger', '2026-Q4')).filter((t) => t.owner === OWNER).map((t) => t.id);
    expect(theirs.length).toBeGreaterThan(2);
    expect(tasks.items.map((t) => t.id).sort()).toEqual(theirs.sort());
    const mine = new Set(controls.items.map((c) => (c as { id: string }).id));
    // Theirs: evidence they hold, or evidence of a control they own.
    const evidence = (await call(api, 'GET', '/v1/evidence?limit=500', { token: owner })).body as { items: { id: string; control: string; owner: string }[] };
    const all = (await call(api, 'GET', '/v1/evidence?limit=500', { token: api.tokens.auditor })).body as typeof evidence;
    const expected = all.items.filter((e) => e.owner === OWNER || mine.has(e.control)).map((e) => e.id);
    expect(expected.length).toBeLessThan(all.items.length);
    expect(evidence.items.map((e) => e.id)).toEqual(expected);
    // A.5.1 is michelle-leung's.
    expect(await call(api, 'GET', '/v1/controls/A.5.1', { token: owner })).toMatchObject({ status: 403, body: { code: 'forbidden' } });
    const before = await tableItems(api.rt);
    expect(await call(api, 'POST', '/v1/reviews/2026-Q4/tasks/A.5.1/answer', { token: owner, body: '{"result":"effective"}' })).toMatchObject({ status: 403 });
    expect(await call(api, 'POST', '/v1/evidence', { token: owner, body: JSON.stringify({ control: 'A.5.1', title: 'x', kind: 'policy', location: 'https://x.example/p.pdf', sha256: sha(99) }) })).toMatchObject({
      status: 403,
      body: { message: expect.stringContaining('body.control') },
    });
    expect(await tableItems(api.rt)).toEqual(before);
  });

  it('an answer through the API is in the review an auditor reads, with its audit entry', async () => {
    const answered = await call(api, 'POST', '/v1/reviews/2026-Q4/tasks/A.8.1/answer', {
      token: api.tokens.owner,
      body: JSON.stringify({ result: 'effective', comment: 'BitLocker on all laptops', evidence: { location: 'https://intranet.example/a81.pdf', name: 'a81.pdf', sha256: sha(7), bytes: 1024 } }),
    });
    expect(answered).toMatchObject({ status: 200, body: { task: { id: '2026-Q4/A.8.1', status: 'answered', result: 'effective' } } });
    const review = (await call(api, 'GET', '/v1/reviews/2026-Q4', { token: api.tokens.auditor })).body as { tasks: { id: string; result?: string; comment?: string }[] };
    expect(review.tasks.find((t) => t.id === '2026-Q4/A.8.1')).toMatchObject({ result: 'effective', comment: 'BitLocker on all laptops' });
    const audit = (await call(api, 'GET', '/v1/audit?from=2026-11-30T01:59:00Z&limit=500', { token: api.tokens.auditor })).body as { items: { event: string; subject: string; actor: string }[] };
    expect(audit.items).toContainEqual(expect.objectContaining({ event: 'task.answered', subject: 'TASK#2026-Q4/A.8.1', actor: OWNER }));
  });

  it('starts a period\'s run once: a repeated start reports the existing run, which finishes', async () => {
    // The period under way at the fixture's 02:00Z (the sweep's day is the role table's).
    const body = JSON.stringify({ workflow: 'behaviour-monitoring', period: '2026-11-30T0200' });
    const first = await call(api, 'POST', '/v1/runs', { token: api.tokens.scheduler, body });
    expect(first).toMatchObject({ status: 202, body: { name: 'behaviour-monitoring-harbour-ledger-2026-11-30T0200', status: 'started' } });
    expect(await call(api, 'POST', '/v1/runs', { token: api.tokens.scheduler, body })).toMatchObject({ status: 202, body: { status: 'already-started' } });
    const state = await finished(api, 'behaviour-monitoring-harbour-ledger-2026-11-30T0200');
    expect(state).toMatchObject({ run: { status: 'succeeded' }, execution: { status: 'SUCCEEDED' } });
    expect(await call(api, 'POST', '/v1/runs', { token: api.tokens.scheduler, body: JSON.stringify({ workflow: 'evidence-sweep', period: '2026-11' }) })).toMatchObject({
      status: 400,
      body: { message: 'body.period: an evidence-sweep run is for a day, written like 2026-11-30' },
    });
  });

  it('attributes a run started through the API to the person who started it: run.started by them with their role, startedBy on the run and in the list', async () => {
    // On demand: named for the moment (the fixture's 02:00Z), so no other test's run.
    const name = 'evidence-sweep-harbour-ledger-2026-11-30T020000';
    expect(await call(api, 'POST', '/v1/runs', { token: api.tokens.scheduler, body: JSON.stringify({ workflow: 'evidence-sweep' }) })).toMatchObject({ status: 202, body: { name } });
    expect(await finished(api, name)).toMatchObject({ run: { status: 'succeeded' } });
    expect(await call(api, 'GET', `/v1/runs/${name}`, { token: api.tokens.admin })).toMatchObject({ status: 200, body: { run: { name, startedBy: 'raymond-wong' } } });
    const listed = (await call(api, 'GET', '/v1/runs?workflow=evidence-sweep&period=2026-11-30', { token: api.tokens.auditor })).body as { items: { name: string }[] };
    expect(listed.items.filter((r) => r.name === name)).toEqual([expect.objectContaining({ name, startedBy: 'raymond-wong' })]);
    const started = (await readAuditRange(api.rt, ORG, '2026-11-30', '2026-12-01')).filter((e) => e.event === 'run.started');
    expect(started.filter((e) => e.subject.endsWith(`#${name}`))).toEqual([expect.objectContaining({ actor: 'raymond-wong', detail: { role: 'scheduler' } })]);
    // A run no person started (the fixture's, as the schedule starts them) is still its own, with no startedBy.
    expect(started.find((e) => e.subject.endsWith(`#${api.scanRun}`))).toMatchObject({ actor: api.scanRun });
    expect(((await call(api, 'GET', `/v1/runs/${api.scanRun}`, { token: api.tokens.admin })).body as { run: object }).run).not.toHaveProperty('startedBy');
  });

  it('shows a scheduler a run\'s status without its summary (what the data map and alerts routes refuse it); the readers keep it', async () => {
    const one = async (token: string) => ((await call(api, 'GET', `/v1/runs/${api.scanRun}`, { token })).body as { run: Record<string, unknown> }).run;
    expect(await one(api.tokens.admin)).toMatchObject({ name: api.scanRun, status: 'succeeded', summary: expect.any(Object) });
    const scheduled = await one(api.tokens.scheduler);
    expect(scheduled).toMatchObject({ name: api.scanRun, kind: 'data-mapping-scan', status: 'succeeded', startedAt: expect.any(String), finishedAt: expect.any(String) });
    expect(scheduled).not.toHaveProperty('summary');
    const list = async (token: string) => ((await call(api, 'GET', '/v1/runs?workflow=behaviour-monitoring', { token })).body as { items: Record<string, unknown>[] }).items;
    expect((await list(api.tokens.auditor)).some((r) => r.summary !== undefined)).toBe(true);
    const seen = await list(api.tokens.scheduler);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.filter((r) => 'summary' in r)).toEqual([]);
  });

  it('refuses an owner a task that is not theirs without naming its owner', async () => {
    const reply = await call(api, 'POST', '/v1/reviews/2026-Q4/tasks/A.5.1/answer', { token: api.tokens.owner, body: '{"result":"effective"}' });
    expect(reply).toMatchObject({ status: 403, body: { code: 'forbidden', message: 'task 2026-Q4/A.5.1 is not one of yours' } });
  });

  it('refuses an answer\'s evidence at a javascript: URI, naming body.evidence.location, and writes nothing', async () => {
    const before = await tableItems(api.rt);
    const evidence = { location: 'javascript:alert(document.cookie)', name: 'a.pdf', sha256: sha(11), bytes: 10 };
    const reply = await call(api, 'POST', '/v1/reviews/2026-Q4/tasks/A.5.18/answer', { token: api.tokens.owner, body: JSON.stringify({ result: 'effective', evidence }) });
    expect(reply).toMatchObject({ status: 400, body: { message: expect.stringMatching(/^body\.evidence\.location: must be a URI of one of the schemes https, http, s3, gs, file, smb/) } });
    expect(await tableItems(api.rt)).toEqual(before);
  });

  it('verifies the audit trail the workflow runs sealed, and lists what an answer wrote since as not yet sealed', async () => {
    await call(api, 'POST', '/v1/reviews/2026-Q4/tasks/A.5.9/answer', { token: api.tokens.owner, body: JSON.stringify({ result: 'not-effective', comment: 'Asset register is stale.' }) });
    const report = (await call(api, 'GET', '/v1/audit/verify', { token: api.tokens.auditor })).body as { ok: boolean; sealed: number; unsealed: { count: number; first: string[] } };
    expect(report.ok).toBe(true);
    expect(report.sealed).toBeGreaterThan(50);
    expect(report.unsealed.count).toBeGreaterThan(0);
  });

  it('hands an auditor the period\'s audit package as a zip whose signed manifest checks, naming any file changed', async () => {
    const reply = await call(api, 'GET', '/v1/exports/2026-Q4?format=csv', { token: api.tokens.auditor });
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toBe('application/zip');
    expect(reply.headers.get('content-disposition')).toBe('attachment; filename="harbour-ledger-2026-Q4-csv.zip"');
    const files = new Map(Object.entries(unzipSync(new Uint8Array(reply.bytes))));
    expect([...files.keys()]).toContain('manifest.json');
    expect(verifyPackage(files)).toMatchObject({ ok: true, problems: [] });
    const [name, content] = [...files].find(([n]) => n !== 'manifest.json' && n.endsWith('.csv'))!;
    files.set(name, Buffer.concat([content, Buffer.from('x')]));
    expect(verifyPackage(files).problems.join('\n')).toContain(name);
    expect(await call(api, 'GET', '/v1/exports/2026-Q5', { token: api.tokens.auditor })).toMatchObject({ status: 400, body: { message: expect.stringMatching(/^path\.period: /) } });
  });

  it('lets an alert\'s recipient acknowledge and resolve it, and counts the times in the quarter\'s figures', async () => {
    const token = await issueLocalToken(api.key, { person: 'cheung-chi-keung', orgId: 'harbour-ledger', role: 'owner', ttlSeconds: 600, now: new Date() });
    const mine = (await call(api, 'GET', '/v1/alerts?status=open', { token })).body as { items: { id: string; recipients: string[] }[] };
    expect(mine.items.length).toBeGreaterThan(0);
    expect(mine.items.every((a) => a.recipients.includes('cheung-chi-keung'))).toBe(true);
    const id = mine.items[0]!.id;
    expect(await call(api, 'POST', `/v1/alerts/${id}/ack`, { token, body: '{}' })).toMatchObject({ status: 200, body: { alert: { id, status: 'acknowledged', acknowledgedBy: 'cheung-chi-keung' } } });
    expect(await call(api, 'POST', `/v1/alerts/${id}/ack`, { token, body: '{}' })).toMatchObject({ status: 409 });
    expect(await call(api, 'POST', `/v1/alerts/${id}/resolve`, { token, body: '{"disposition":"maybe"}' })).toMatchObject({ status: 400, body: { message: expect.stringMatching(/^body\.disposition: /) } });
    expect(await call(api, 'POST', `/v1/alerts/${id}/resolve`, { token, body: '{"disposition":"true-positive"}' })).toMatchObject({ status: 200, body: { alert: { status: 'resolved', disposition: 'true-positive' } } });
    const stats = (await call(api, 'GET', '/v1/alerts/stats?period=2026-Q4', { token: api.tokens.auditor })).body as Record<string, unknown>;
    expect(JSON.stringify(stats)).toContain('true-positive');
  });

  it('refuses a sign-in link\'s code as a token, another organisation\'s run by a name that starts like its own, and a quarter before 1970', async () => {
    const code = await signInCode(api.key, { person: 'michelle-leung', orgId: 'harbour-ledger', role: 'admin' });
    expect(await call(api, 'GET', '/v1/controls', { token: code })).toMatchObject({ status: 401 });

    // "harbour" is a prefix of "harbour-ledger": its admin asks for harbour-ledger's run.
    const org = readOrgFile('examples/acme-hk/org.yaml');
    await importOrganisationFile(api.rt, { ...org, organisation: { ...org.organisation, id: 'harbour' } }, 'import:test', '2026-11-29T00:00:00.000Z');
    const started = (await call(api, 'POST', '/v1/runs', { token: api.tokens.scheduler, body: '{"workflow":"evidence-sweep"}' })).body as { name: string };
    expect(started.name).toMatch(/^evidence-sweep-harbour-ledger-/);
    const other = await issueLocalToken(api.key, { person: 'michelle-leung', orgId: 'harbour', role: 'admin', ttlSeconds: 600, now: new Date() });
    expect(await call(api, 'GET', `/v1/runs/${started.name}`, { token: other })).toMatchObject({ status: 404 });
    expect(await call(api, 'GET', `/v1/runs/${started.name}`, { token: api.tokens.scheduler })).toMatchObject({ status: 200, body: { execution: { status: expect.any(String) } } });
    await finished(api, started.name);

    expect(await call(api, 'GET', '/v1/alerts/stats?period=0000-Q1', { token: api.tokens.auditor })).toMatchObject({ status: 400, body: { message: expect.stringMatching(/^query\.period: /) } });
  });

  it('pages lists with an opaque cursor that walks every item once', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = (await call(api, 'GET', `/v1/controls?limit=10${cursor ? `&cursor=${cursor}` : ''}`, { token: api.tokens.auditor })).body as { items: { id: string }[]; next?: string };
      seen.push(...page.items.map((c) => c.id));
      cursor = page.next;
    } while (cursor);
    expect(seen).toHaveLength(93);
    expect(new Set(seen).size).toBe(93);
    expect(seen.slice(0, 3)).toEqual(['A.5.1', 'A.5.2', 'A.5.3']);
    expect(await call(api, 'GET', '/v1/controls?cursor=not-a-cursor', { token: api.tokens.auditor })).toMatchObject({ status: 400, body: { message: 'query.cursor: is not a cursor this API gave' } });
  });

  it('refuses expired, unsigned, wrong-audience and foreign-key tokens with 401', async () => {
    const bad = {
      expired: await craftedToken(api.key, { exp: Math.floor(Date.now() / 1000) - 60 }),
      audience: await craftedToken(api.key, { aud: 'someone-else' }),
      issuer: await craftedToken(api.key, { iss: 'https://cognito-idp.ap-east-1.amazonaws.com/other' }),
      foreignKey: await craftedToken(localSigningKey(tempDir('other-key-')), {}),
      unsigned: `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'michelle-leung', 'custom:org': 'harbour-ledger', 'cognito:groups': ['admin'] })).toString('base64url')}.`,
      garbage: 'x'.repeat(5000),
    };
    for (const [why, t] of Object.entries(bad)) {
      const reply = await call(api, 'GET', '/v1/controls', { token: t });
      expect(reply.status, why).toBe(401);
      expect(reply.text, why).not.toContain(t.slice(0, 40));
    }
  });

  it('filters tasks by every status: open, answered and unanswered by the task, accepted and returned by the reviewer\'s decision', async () => {
    const open = (await api.rt.reviews.tasks(ORG, '2026-Q4')).filter((t) => t.status === 'open' && t.owner !== OWNER && !t.delegate);
    const [accepted, returned, third] = open as [Task, Task, Task];
    for (const t of [accepted, returned]) await answerTask(api.rt, { orgId: ORG, taskId: t.id, as: t.owner, result: 'partially-effective', comment: 'Half done.', now: NOW });
    await decideTask(api.rt, { orgId: ORG, taskId: accepted.id, as: accepted.reviewer, decision: 'accept', now: NOW });
    await decideTask(api.rt, { orgId: ORG, taskId: returned.id, as: returned.reviewer, decision: 'return', comment: 'Attach the report.', now: NOW });
    // A closed quarter's tasks left without an answer are unanswered: 2026-Q3's review, opened in its quarter.
    await executeWorkflow(api.rt, 'quarterly-review', runRequest('quarterly-review', ORG, new Date('2026-09-15T01:00:00Z'), { period: '2026-Q3' }).input);
    await closeQuarter(api.rt, ORG, '2026-Q3', 'test', '2026-11-30T01:30:00.000Z');
    const q3 = await api.rt.reviews.tasks(ORG, '2026-Q3');
    expect(q3.length).toBeGreaterThan(0);
    // An answer through the API, which also drops what this process's reads hold of the organisation.
    const thirdOwner = await issueLocalToken(api.key, { person: third.owner, orgId: ORG, role: 'owner', ttlSeconds: 600, now: new Date() });
    expect(await call(api, 'POST', `/v1/reviews/2026-Q4/tasks/${third.control}/answer`, { token: thirdOwner, body: '{"result":"partially-effective"}' })).toMatchObject({ status: 200 });

    const ids = async (query: string) => {
      const reply = await call(api, 'GET', `/v1/tasks?limit=500&${query}`, { token: api.tokens.auditor });
      expect(reply.status, query).toBe(200);
      return (reply.body as { items: { id: string }[] }).items.map((t) => t.id);
    };
    expect(await ids('status=accepted')).toEqual([accepted.id]);
    expect(await ids('status=returned')).toEqual([returned.id]);
    // A returned answer is open again, waiting for a new one; an accepted one stays answered.
    expect(await ids('status=open')).toContain(returned.id);
    expect(await ids('status=answered')).toEqual(expect.arrayContaining([accepted.id, third.id]));
    expect(await ids('status=answered')).not.toContain(returned.id);
    expect((await ids('quarter=2026-Q3&status=unanswered')).sort()).toEqual(q3.map((t) => t.id).sort());
    expect(await ids('quarter=2026-Q4&status=unanswered')).toEqual([]);
    expect(await call(api, 'GET', '/v1/tasks?status=done', { token: api.tokens.auditor })).toMatchObject({ status: 400, body: { message: expect.stringMatching(/^query\.status: .*"unanswered".*"accepted".*"returned"/) } });
  });

  it('shows the security and compliance contacts every alert they may acknowledge, and a group owner only theirs, as the acknowledgement allows', async () => {
    const everyAlert = ((await call(api, 'GET', '/v1/alerts?limit=500', { token: api.tokens.auditor })).body as { items: { id: string; status: string; recipients: string[] }[] }).items;
    expect(everyAlert.length).toBeGreaterThan(2);
    const ownerToken = (person: string) => issueLocalToken(api.key, { person, orgId: ORG, role: 'owner', ttlSeconds: 600, now: new Date() });
    const listed = async (t: string) => ((await call(api, 'GET', '/v1/alerts?limit=500', { token: t })).body as { items: { id: string }[] }).items.map((a) => a.id);
    // michelle-leung, the compliance contact, is on no alert's list of recipients, and cheung-chi-keung is the security contact.
    expect(everyAlert.every((a) => !a.recipients.includes('michelle-leung'))).toBe(true);
    const contact = await ownerToken('michelle-leung');
    expect(await listed(contact)).toEqual(everyAlert.map((a) => a.id));
    expect(await listed(await ownerToken('cheung-chi-keung'))).toEqual(everyAlert.map((a) => a.id));
    const openOne = everyAlert.find((a) => a.status === 'open')!;
    expect(await call(api, 'POST', `/v1/alerts/${openOne.id}/ack`, { token: contact, body: '{"comment":"x"}' })).toMatchObject({ status: 200, body: { alert: { acknowledgedBy: 'michelle-leung' } } });
    // A group's owner who is neither contact: their own alerts only, and no other.
    const groupOwner = everyAlert.flatMap((a) => a.recipients).find((p) => p !== 'cheung-chi-keung' && p !== 'michelle-leung')!;
    const theirs = everyAlert.filter((a) => a.recipients.includes(groupOwner));
    const other = everyAlert.find((a) => a.status === 'open' && !a.recipients.includes(groupOwner))!;
    expect(theirs.length).toBeLessThan(everyAlert.length);
    const groupToken = await ownerToken(groupOwner);
    expect(await listed(groupToken)).toEqual(theirs.map((a) => a.id));
    expect(await call(api, 'POST', `/v1/alerts/${other.id}/ack`, { token: groupToken, body: '{}' })).toMatchObject({ status: 403 });
  });

  it('refuses impossible dates in every date and time field, naming the field, and starts no run for one', async () => {
    const auditor = { token: api.tokens.auditor };
    expect(await call(api, 'GET', '/v1/audit?from=2026-02-31', auditor)).toMatchObject({ status: 400, body: { message: expect.stringMatching(/^query\.from: must be a real date/) } });
    expect(await call(api, 'GET', '/v1/audit?to=2026-11-31T00:00:00Z', auditor)).toMatchObject({ status: 400, body: { message: expect.stringMatching(/^query\.to: must be a real date/) } });
    expect(await call(api, 'GET', '/v1/audit?from=2026-11-30T25:00:00Z', auditor)).toMatchObject({ status: 400, body: { message: expect.stringMatching(/^query\.from: /) } });
    expect(await call(api, 'GET', '/v1/audit?from=2024-02-29&to=2026-11-30T10:00%2B08:00', auditor)).toMatchObject({ status: 200 });
    expect(await call(api, 'GET', '/v1/runs?period=2026-02-31', auditor)).toMatchObject({ status: 400, body: { message: expect.stringMatching(/^query\.period: /) } });
    expect(await call(api, 'GET', '/v1/runs?period=2026-13', auditor)).toMatchObject({ status: 400, body: { message: expect.stringMatching(/^query\.period: /) } });
    const scheduler = { token: api.tokens.scheduler };
    for (const [workflow, period] of [['evidence-sweep', '2026-02-31'], ['behaviour-monitoring', '2026-11-31T0915']]) {
      const reply = await call(api, 'POST', '/v1/runs', { ...scheduler, body: JSON.stringify({ workflow, period }) });
      expect(reply, `${workflow} ${period}`).toMatchObject({ status: 400, body: { message: expect.stringMatching(/^body\.period: must be a real date/) } });
      expect(await call(api, 'GET', `/v1/runs/${workflow}-${ORG}-${period}`, scheduler)).toMatchObject({ status: 404 });
    }
  });

  it('names the field and the values allowed in its errors, and takes an absent body where every field is optional', async () => {
    const bogus = await call(api, 'GET', '/v1/gaps?status=bogus', { token: api.tokens.auditor });
    expect(bogus).toMatchObject({ status: 400, body: { message: expect.stringMatching(/^query\.status: .*"open".*"closed".*"accepted".*"all"/) } });
    const open = (await api.rt.alerts.unresolved(ORG)).filter((a) => a.status === 'open').map((a) => a.id).sort();
    expect(open.length).toBeGreaterThan(1);
    const noBody = await fetch(`${api.server.url}/v1/alerts/${open[0]}/ack`, { method: 'POST', headers: { authorization: `Bearer ${api.tokens.admin}` } });
    expect(noBody.status).toBe(200);
    expect(await noBody.json()).toMatchObject({ alert: { id: open[0], status: 'acknowledged', acknowledgedBy: 'michelle-leung' } });
    expect(await call(api, 'POST', `/v1/alerts/${open[1]}/ack`, { token: api.tokens.admin, body: '' })).toMatchObject({ status: 200, body: { alert: { status: 'acknowledged' } } });
    // Where a field is required, the message names it.
    expect(await call(api, 'POST', `/v1/alerts/${open[1]}/resolve`, { token: api.tokens.admin, body: '' })).toMatchObject({ status: 400, body: { message: expect.stringMatching(/^body\.disposition: /) } });
  });

  it('refuses an unknown query key on every route, __proto__ included, naming the key', async () => {
    const url = (p: string) => p.replace('{id}', 'A.5.15').replace('{quarter}', '2026-Q4').replace('{period}', '2026-Q4').replace('{name}', api.scanRun).replace('{control}', 'A.5.9');
    for (const r of ROUTES.filter((x) => x.method === 'GET')) {
      for (const key of ['x', '__proto__']) {
        const reply = await call(api, 'GET', `${url(r.path)}?${key}=1`, { token: api.tokens.admin });
        expect(reply.status, `${r.path}?${key}`).toBe(400);
        expect((reply.body as { message: string }).message, `${r.path}?${key}`).toContain(`"${key}"`);
      }
    }
  });

  it('checks the caller\'s role before the size of the body, as lib/api/http.ts says', async () => {
    const big = JSON.stringify({ comment: 'x'.repeat(70 * 1024) });
    expect(await call(api, 'POST', '/v1/evidence', { token: api.tokens.auditor, body: big })).toMatchObject({ status: 403, body: { code: 'forbidden' } });
    expect(await call(api, 'POST', '/v1/evidence', { body: big })).toMatchObject({ status: 401 });
    expect(await call(api, 'POST', '/v1/evidence', { token: api.tokens.owner, body: big })).toMatchObject({ status: 413 });
    const huge = JSON.stringify({ comment: 'x'.repeat(2 * 1024 * 1024) });
    expect(await call(api, 'POST', '/v1/runs', { token: api.tokens.auditor, body: huge })).toMatchObject({ status: 403, body: { code: 'forbidden' } });
    expect(await call(api, 'POST', '/v1/runs', { token: api.tokens.scheduler, body: huge })).toMatchObject({ status: 413 });
  });

  it('answers a method a route does not take with 405 and Allow, and HEAD like GET without a body', async () => {
    const allow = async (method: string, p: string) => {
      const reply = await call(api, method, p, { token: api.tokens.admin });
      expect(reply.status, `${method} ${p}`).toBe(405);
      return reply.headers.get('allow');
    };
    expect(await allow('DELETE', '/v1/controls')).toBe('GET, HEAD');
    expect(await allow('PUT', '/v1/evidence')).toBe('GET, HEAD, POST');
    expect(await allow('GET', '/v1/alerts/20261124-3f9c2a1b/ack')).toBe('POST');
    expect(await allow('HEAD', '/v1/alerts/20261124-3f9c2a1b/ack')).toBe('POST');

    const get = await call(api, 'GET', '/v1/controls?limit=5', { token: api.tokens.auditor });
    const head = await call(api, 'HEAD', '/v1/controls?limit=5', { token: api.tokens.auditor });
    expect(head.status).toBe(200);
    expect(head.bytes.length).toBe(0);
    expect(head.headers.get('content-type')).toBe(get.headers.get('content-type'));
    expect(head.headers.get('content-length')).toBe(String(get.bytes.length));
    expect((await call(api, 'HEAD', '/v1/controls')).status).toBe(401);
    expect((await call(api, 'HEAD', '/v1/datamaps/latest', { token: api.tokens.owner })).status).toBe(403);

    // The Lambda router answers the same way, without the local server.
    const lambda = routerFor('all');
    const event = (method: string, p: string) => ({ version: '2.0', rawPath: p, headers: {}, requestContext: { http: { method, path: p }, requestId: 'r' }, isBase64Encoded: false });
    const reply = (await lambda(event('DELETE', '/v1/evidence') as never, { awsRequestId: 'r' } as never, { signal: new AbortController().signal } as never)) as { statusCode: number; headers: Record<string, string> };
    expect(reply).toMatchObject({ statusCode: 405, headers: { allow: 'GET, HEAD, POST' } });
  });

  it('answers HEAD of the audit package with 405 and Allow: GET, building nothing and recording no download', async () => {
    const before = await tableItems(api.rt);
    const head = await call(api, 'HEAD', '/v1/exports/2026-Q4?format=csv', { token: api.tokens.auditor });
    expect(head.status).toBe(405);
    expect(head.headers.get('allow')).toBe('GET');
    expect(await tableItems(api.rt)).toEqual(before);
    const other = await call(api, 'DELETE', '/v1/exports/2026-Q4', { token: api.tokens.auditor });
    expect([other.status, other.headers.get('allow')]).toEqual([405, 'GET']);
    // The Lambda router answers the same way, running nothing.
    const lambda = routerFor('all');
    const p = '/v1/exports/2026-Q4';
    const event = { version: '2.0', rawPath: p, headers: {}, requestContext: { http: { method: 'HEAD', path: p }, requestId: 'r' }, isBase64Encoded: false };
    const reply = (await lambda(event as never, { awsRequestId: 'r' } as never, { signal: new AbortController().signal } as never)) as { statusCode: number; headers: Record<string, string> };
    expect(reply).toMatchObject({ statusCode: 405, headers: { allow: 'GET' } });
    expect(await tableItems(api.rt)).toEqual(before);
  });

  it('answers fuzzed paths, queries, bodies and content types with a 4xx JSON error, never a 5xx, and changes nothing', async () => {
    const before = await tableItems(api.rt);
    let seed = 20261201;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
    const planted = 'chan.tai.man@gmail.com';
    const VALUES: readonly unknown[] = [null, true, 0, -1, 1.5, 1e308, '', ' ', 'x'.repeat(5000), '<script>alert(1)</script>', '../../etc/passwd', '%00', '2026-Q5', 'A.99.99', planted, 'A123456(7)', '中文', [], [1, 2], {}, { a: { b: { c: [] } } }];
    const SEGMENTS = ['', '..', '%2F', 'A.5.9%00', encodeURIComponent(planted), '2026-Q9', 'x'.repeat(300), '%E4%B8%AD', '%ZZ', 'evidence-sweep-harbour-ledger-2099-01-01'];
    const replies: { what: string; status: number; text: string }[] = [];
    for (const r of ROUTES) {
      for (let i = 0; i < 12; i++) {
        const url = r.path.replace(/\{[^/]+\}/g, () => pick(SEGMENTS));
        const query = new URLSearchParams();
        for (const k of ['limit', 'cursor', 'status', 'control', 'from', 'to', 'format', 'workflow', 'period', 'quarter', 'nonsense']) if (random() < 0.3) query.set(k, String(pick(VALUES)));
        const keys = ['result', 'comment', 'evidence', 'validFor', 'control', 'title', 'kind', 'location', 'sha256', 'workflow', 'period', 'renews', '__proto__', 'constructor'];
        const body = random() < 0.2 ? pick(['{', 'null', '[]', '"x"', 'x'.repeat(100), '{"a":'.repeat(1000)]) : JSON.stringify(Object.fromEntries(keys.filter(() => random() < 0.4).map((k) => [k, pick(VALUES)])));
        const contentType = pick(['application/json', 'application/json', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=utf-8']);
        const caller = pick(['admin', 'owner', 'scheduler', 'auditor'] as const);
        const reply = await call(api, r.method, `${url}${query.size ? `?${query}` : ''}`, { token: api.tokens[caller], ...(r.method === 'POST' ? { body, contentType } : {}) });
        replies.push({ what: `${r.method} ${url}?${query} as ${caller}`, status: reply.status, text: reply.text });
      }
      // By a role the route takes: the role is checked before the size (lib/api/http.ts).
      const who = r.roles.includes('owner') ? 'owner' : (r.roles[0] as Role);
      const huge = await call(api, r.method, r.path.replace(/\{[^/]+\}/g, 'A.5.9'), { token: api.tokens[who], ...(r.method === 'POST' ? { body: JSON.stringify({ comment: 'x'.repeat(1024 * 1024) }) } : {}) });
      if (r.method === 'POST') expect(huge.status, `${r.path} with 1 MB`).toBe(413);
    }
    const failures = replies.filter((r) => r.status >= 500 || (r.status >= 400 && !/^\{"code":"[a-z-]+","message":".+"\}$/s.test(r.text)));
    expect(failures.map((f) => `${f.what}: ${f.status} ${f.text.slice(0, 200)}`)).toEqual([]);
    expect(replies.filter((r) => r.status >= 400).length).toBeGreaterThan(replies.length / 2);
    expect(replies.filter((r) => r.text.includes(planted) || r.text.includes('A123456(7)')).map((r) => r.what)).toEqual([]);
    expect(await tableItems(api.rt)).toEqual(before);
  }, 120_000);
});

describe('the shared reads of statuses', () => {
  it('hold GET /v1/evidence for the organisation\'s day, the day its rows count: a new local day is read afresh, even within the same UTC day', async () => {
    let now = new Date('2026-12-01T15:59:00Z'); // 23:59 on 1 December in Hong Kong
    const rt = { ...(await testRuntime()), clock: () => new Date(now) };
    await importOrganisationFile(rt, readOrgFile(SAMPLE), `import:${SAMPLE}`, '2026-11-29T00:00:00.000Z');
    const spec = ROUTES.find((r) => r.method === 'GET' && r.path === '/v1/evidence') as (typeof ROUTES)[number];
    const lapsed = async () => {
      const reply = await runRoute(spec, { principal: { person: 'raymond-wong', orgId: ORG, role: 'auditor' }, query: { status: 'lapsed' } }, () => rt);
      return (reply as { json: { items: { id: string; daysOverdue?: number }[] } }).json.items.map((r) => `${r.id}:${r.daysOverdue}`);
    };
    // The shared reads' clock, held: what they hold stays fresh, so only the key decides what is read again.
    const held = Date.now();
    setReadCacheClock(() => held);
    try {
      const first = await lapsed();
      // 16:00Z is midnight in Hong Kong: 2 December there, still 1 December in UTC.
      now = new Date('2026-12-01T16:00:00Z');
      const fresh = (await listEvidenceRows(rt, ORG, now, { status: 'lapsed' })).map((r) => `${r.id}:${r.daysOverdue}`);
      // a day more overdue, each of them, and ev-012, valid through 1 December, lapsed now
      expect(fresh).not.toEqual(first);
      expect(fresh).toContain('ev-012:1');
      expect(await lapsed()).toEqual(fresh);
    } finally {
      setReadCacheClock(undefined);
    }
  });
});
