// The web pages as one Lambda handler (API Gateway HTTP API, payload 2.0) and under
// `compliance serve`: the session from its cookie, each page's data from the API's own
// routes (role, owner and organisation checked there), forms checked for their CSRF
// token, and every failure a page that says what is wrong: a 4xx, never a stack.
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpRouterHandler from '@middy/http-router';
import httpUrlencodeBodyParser from '@middy/http-urlencode-body-parser';
import { InputError, errorOutcome, NotFoundError, TooLargeError, MediaTypeError, UnauthenticatedError } from '../errors.ts';
import { redact } from '../domain/detect/redact.ts';
import type { Principal } from '../domain/access/principal.ts';
import type { Markup } from '../domain/report/html.ts';
import { renderReport, REPORT_CSP } from '../domain/report/render.ts';
import { isQuarter, QUARTER_RULE, quarterAt } from '../domain/review/quarter.ts';
import { authorise, logUnexpected, MAX_BODY_BYTES, parsePart, readingRuntime, runRoute, SECURITY_HEADERS, toResult, type ApiEvent, type ApiResult } from '../api/http.ts';
import { specOf } from '../api/router.ts';
import { gatherReport } from '../usecases/report/gather.ts';
import { resolveQuarter } from '../usecases/review/show.ts';
import { runtime } from '../runtime.ts';
import { WEB_ROUTES, type WebRouteDeclaration } from '../workflows/declarations.ts';
import {
  beginHostedSession,
  beginHostedSignIn,
  checkCsrf,
  csrfToken,
  endSession,
  exchangeHostedCode,
  hostedVerifier,
  redeemSignInCode,
  sessionOf,
  SESSION_COOKIE,
  SESSION_TTL_SECONDS,
  SIGN_IN_COOKIE,
  SIGN_IN_COOKIE_PATH,
  SIGN_IN_TTL_SECONDS,
  webAuth,
  type Session,
} from './auth.ts';
import { labels } from './labels.ts';
import * as pages from './pages.ts';

interface WebRequest {
  event: ApiEvent;
  principal: Principal;
  ctx: pages.PageContext;
  params: Record<string, string>;
  query: Record<string, string>;
  form: Record<string, string>;
}

type Page = (req: WebRequest) => Promise<ApiResult>;

const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** An HTML page's headers: the common ones and its policy, which never lets another site frame it. */
const htmlHeaders = (policy: string) => ({ 'content-type': 'text/html; charset=utf-8', ...SECURITY_HEADERS, 'content-security-policy': policy });

const page = (markup: Markup, statusCode = 200, cookies: string[] = []): ApiResult => ({
  statusCode,
  headers: htmlHeaders(PAGE_CSP),
  body: markup.html,
  ...(cookies.length ? { cookies } : {}),
});

const redirect = (location: string, cookies: string[] = []): ApiResult => ({ statusCode: 303, headers: { location, ...SECURITY_HEADERS }, body: '', ...(cookies.length ? { cookies } : {}) });

function sessionCookie(value: string, maxAge: number): string {
  return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${webAuth().secureCookies ? '; Secure' : ''}`;
}

/** The pre-login cookie: sent back to the callback alone, and only on the top-level return from the sign-in page (Lax). */
function signInCookie(value: string, maxAge: number): string {
  return `${SIGN_IN_COOKIE}=${value}; Path=${SIGN_IN_COOKIE_PATH}; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${webAuth().secureCookies ? '; Secure' : ''}`;
}

/** A callback refused still uses up the sign-in it was for (the person starts again); where sign-in is not configured there is none to clear. */
function signInCleared(result: ApiResult): ApiResult {
  try {
    return { ...result, cookies: [signInCookie('', 0)] };
  } catch {
    return result;
  }
}

function cookieOf(event: Pick<ApiEvent, 'cookies' | 'headers'>, name: string): string | undefined {
  const all = event.cookies ?? (event.headers?.cookie ? event.headers.cookie.split(/;\s*/) : []);
  for (const c of all) {
    const at = c.indexOf('=');
    if (c.slice(0, at).trim() === name) return c.slice(at + 1).trim();
  }
  return undefined;
}

/** The first value of each field (a repeated field keeps its first), as text. */
function fields(body: unknown): Record<string, string> {
  if (!body || typeof body !== 'object') return {};
  return Object.fromEntries(Object.entries(body as Record<string, unknown>).map(([k, v]) => [k, String(Array.isArray(v) ? (v[0] ?? '') : (v ?? ''))]));
}

/** An API route's JSON answer for this person, through the same checks as the API. */
async function api<T>(req: WebRequest, method: 'GET' | 'POST', path: string, request: { params?: unknown; query?: unknown; body?: unknown } = {}): Promise<T> {
  const reply = await runRoute(specOf({ method, path }), { principal: req.principal, ...request });
  if (!('json' in reply)) throw new Error(`${method} ${path} did not answer JSON`);
  return reply.json as T;
}

/**
 * A query field a page hands an API route as its path parameter, checked first by that route's own
 * schema, so a refusal names the field the person sent (`query.quarter`, not `path.quarter`).
 */
function fromQuery(req: WebRequest, path: string, name: string): string {
  const value = req.query[name] ?? '';
  parsePart(specOf({ method: 'GET', path }).params, { [name]: value }, 'query');
  return value;
}

type TaskList = { quarter: string; items: Parameters<typeof pages.tasksPage>[2] };

const ANSWER = { method: 'POST', path: '/v1/reviews/{quarter}/tasks/{control}/answer' } as const;

async function tasks(req: WebRequest, outcome: { message?: string; problem?: string; failedTask?: string } = {}, statusCode = 200): Promise<ApiResult> {
  const [list, controls] = await Promise.all([
    api<TaskList>(req, 'GET', '/v1/tasks', { query: { limit: '500', ...(req.query.quarter ? { quarter: req.query.quarter } : {}) } }),
    // Today's evidence status, as /controls shows it (a shared read): a task keeps only the status at its opening.
    // An owner reads only the controls they own, so a task handed to them keeps that one, labelled so.
    api<{ items: { id: string; evidenceStatus: string }[] }>(req, 'GET', '/v1/controls', { query: { limit: '500' } }),
  ]);
  const today = new Map(controls.items.map((c) => [c.id, c.evidenceStatus]));
  const items = list.items.map((task) => (today.has(task.control) ? { ...task, evidenceStatus: today.get(task.control) as string } : task));
  // Only the roles the answer route takes get forms: any other's post would be refused (403) every time.
  const readOnly = !specOf(ANSWER).roles.includes(req.principal.role);
  const done = req.query.done ? `${req.ctx.t.answered} (${req.query.done})` : undefined;
  return page(await pages.tasksPage(req.ctx, list.quarter, items, { ...(done ? { message: done } : {}), ...outcome, values: req.form, readOnly }), statusCode);
}

/**
 * The form's answer as the API's body: evidence only when a location is given. A SHA-256 or a file
 * name without one is refused, naming the field, rather than dropped and the answer recorded without it.
 */
function answerBody(form: Record<string, string>) {
  if (!form.evidenceLocation && (form.evidenceSha256?.trim() || form.evidenceName?.trim())) {
    throw new InputError('evidenceLocation: is required with a SHA-256 or a file name (where the evidence is kept)');
  }
  const evidence = form.evidenceLocation ? { location: form.evidenceLocation, name: form.evidenceName || form.evidenceLocation.split('/').pop() || 'evidence', sha256: form.evidenceSha256 ?? '', bytes: 0 } : undefined;
  return { result: form.result ?? '', ...(form.comment ? { comment: form.comment } : {}), ...(evidence ? { evidence } : {}) };
}

const PAGES: Record<string, Page> = {
  'GET /': async (req) => redirect(pages.homeOf(req.principal.role)),
  'GET /tasks': (req) => tasks(req),
  'POST /tasks/{quarter}/{control}': async (req) => {
    const { quarter = '', control = '' } = req.params;
    try {
      await api(req, 'POST', ANSWER.path, { params: { quarter, control }, body: answerBody(req.form) });
    } catch (error) {
      const outcome = errorOutcome(error);
      if (!outcome.expected) throw error;
      // The page again, saying what is wrong, with what was typed kept: that quarter's page, or the
      // current one when the quarter in the form's address is not one (its error is the one to show).
      const shown: Record<string, string> = isQuarter(quarter) ? { quarter } : {};
      // No such task: the use case's message points at the command line; the page says where tasks are.
      const said = error instanceof NotFoundError ? `${quarter}/${control}: ${req.ctx.t.noSuchTask}` : `${control}: ${redact((error as Error).message)}`;
      return tasks({ ...req, query: shown }, { problem: said, failedTask: `${quarter}/${control}` }, outcome.httpStatus);
    }
    return redirect(`/tasks?quarter=${encodeURIComponent(quarter)}&done=${encodeURIComponent(control)}#task-${encodeURIComponent(control)}`);
  },
  'GET /controls': async (req) => page(await pages.controlsPage(req.ctx, (await api<{ items: Parameters<typeof pages.controlsPage>[1] }>(req, 'GET', '/v1/controls', { query: { limit: '500' } })).items)),
  'GET /controls/{id}': async (req) => page(await pages.controlPage(req.ctx, await api(req, 'GET', '/v1/controls/{id}', { params: { id: req.params.id } }))),
  'GET /gaps': async (req) => {
    const filter = Object.fromEntries(['status', 'severity', 'framework'].flatMap((k) => (req.query[k] ? [[k, req.query[k]]] : [])));
    const list = await api<{ items: Parameters<typeof pages.gapsPage>[1] }>(req, 'GET', '/v1/gaps', { query: { ...filter, limit: '500' } });
    return page(await pages.gapsPage(req.ctx, list.items, filter));
  },
  'GET /datamap': async (req) => page(await pages.dataMapPage(req.ctx, await api(req, 'GET', '/v1/datamaps/latest'))),
  'GET /review': async (req) => {
    const rt = readingRuntime();
    const quarter = req.query.quarter !== undefined ? fromQuery(req, '/v1/reviews/{quarter}', 'quarter') : await resolveQuarter(rt, req.principal.orgId, rt.clock());
    const view = await api<Parameters<typeof pages.reviewPage>[1]>(req, 'GET', '/v1/reviews/{quarter}', { params: { quarter } }).catch((error: unknown) => {
      // The use case's message names a command to open it; the page says how it comes about here.
      throw error instanceof NotFoundError ? new NotFoundError(`${quarter}: ${req.ctx.t.noReview}`) : error;
    });
    return page(await pages.reviewPage(req.ctx, view));
  },
  'GET /audit': async (req) => {
    const verification = await api<Parameters<typeof pages.auditPage>[1]>(req, 'GET', '/v1/audit/verify');
    const entries = await api<{ items: Parameters<typeof pages.auditPage>[2]; next?: string }>(req, 'GET', '/v1/audit', { query: { limit: '100', ...(req.query.cursor ? { cursor: req.query.cursor } : {}) } });
    return page(await pages.auditPage(req.ctx, verification, entries.items, entries.next));
  },
  'GET /package': async (req) => {
    await authorise(specOf({ method: 'GET', path: '/v1/exports/{period}' }), req.principal);
    const rt = readingRuntime();
    const settings = await rt.organisations.settings(req.principal.orgId);
    return page(await pages.packagePage(req.ctx, quarterAt(rt.clock(), settings?.timeZone ?? 'Asia/Hong_Kong')));
  },
  'GET /package/download': async (req) => {
    // Every other query key goes to the route, whose schema refuses one it does not know, naming it, as the API does.
    const { period: _, ...query } = req.query;
    return toResult(await runRoute(specOf({ method: 'GET', path: '/v1/exports/{period}' }), { principal: req.principal, params: { period: fromQuery(req, '/v1/exports/{period}', 'period') }, query }));
  },
  'GET /runs': async (req) => {
    const runs = await api<{ items: Parameters<typeof pages.runsPage>[1] }>(req, 'GET', '/v1/runs', { query: { limit: '500' } });
    const started = req.query.started ?? req.query.already;
    const watched = started === undefined ? undefined : await startedRun(req, started);
    // The page refreshes while the run just started is under way; with none named, while any listed run is.
    const running = watched === undefined ? runs.items.some((r) => r.status === 'running') : watched.state === 'under-way';
    // The list may be a few seconds old (reads are shared for 5 s): the run just started is shown as it stands now,
    // so that a page that stops refreshing does not stop on it still running.
    const now = watched?.status;
    const items = now === undefined ? runs.items : runs.items.map((r) => (r.name === started ? { ...r, status: now } : r));
    const said =
      started === undefined ? {} : watched?.state === 'unknown' ? { problem: `${req.ctx.t.unknownRun}: ${started}` } : { message: `${req.query.started === undefined ? req.ctx.t.alreadyStarted : req.ctx.t.started}: ${started}` };
    return page(await pages.runsPage(req.ctx, items.slice(-50), { running, ...said }));
  },
  'POST /runs': async (req) => {
    const started = await api<{ name: string; status: 'started' | 'already-started' }>(req, 'POST', '/v1/runs', { body: { workflow: req.form.workflow ?? '' } });
    // A run of that name exists (started within the same second, or by a schedule): said so, not "started".
    return redirect(`/runs?${started.status === 'already-started' ? 'already' : 'started'}=${encodeURIComponent(started.name)}`);
  },
  'GET /report': async (req) => {
    await authorise(specOf({ method: 'GET', path: '/v1/gaps' }), req.principal); // the report is for whoever may read gaps
    const rt = readingRuntime();
    const period = req.query.period;
    if (period !== undefined && !isQuarter(period)) throw new InputError(`query.period: ${QUARTER_RULE}`);
    const report = renderReport(await gatherReport(rt, req.principal.orgId, { now: rt.clock(), language: req.ctx.language, ...(period !== undefined ? { period } : {}) }));
    // Served unchanged, under its own policy (its style sheet allowed by its exact hash), which a
    // header may extend by what its <meta> copy cannot say: that no other site may frame it.
    return { ...page({ html: report } as Markup), headers: htmlHeaders(`${REPORT_CSP}; frame-ancestors 'none'`) };
  },
  'POST /sign-out': async (req) => {
    await endSession(runtime(), cookieOf(req.event, SESSION_COOKIE) as string);
    return redirect('/signed-out', [sessionCookie('', 0)]);
  },
};

/**
 * How the run a person just started stands, read fresh: by its record, or its execution while
 * it has none or the record lags; with the status to show for it once it has finished.
 */
async function startedRun(req: WebRequest, name: string): Promise<{ state: 'under-way' | 'finished' | 'unknown'; status?: string }> {
  try {
    const view = await api<{ run: { status: string }; execution?: { status: string } }>(req, 'GET', '/v1/runs/{name}', { params: { name } });
    if (view.run.status === 'succeeded' || view.run.status === 'failed') return { state: 'finished', status: view.run.status };
    // Still `running` or `pending` on record, but its execution has stopped (it failed before recording so).
    if (view.execution && view.execution.status !== 'RUNNING') return { state: 'finished', status: 'failed' };
    return { state: 'under-way' };
  } catch (error) {
    // Not a run name, or no run of this organisation by it: nothing to wait for.
    if (error instanceof NotFoundError || error instanceof InputError) return { state: 'unknown' };
    throw error;
  }
}

const bareLabels = labels('en');

/** Pages reachable without a session: the sign-in link's landing, where signing out ends, and a form's address sent on to its page (which asks for one). */
const PUBLIC: Record<string, (event: ApiEvent) => Promise<ApiResult>> = {
  'GET /sign-in': async (event) => {
    const code = event.queryStringParameters?.code;
    if (!code) {
      const hosted = beginHostedSignIn();
      if (hosted) return redirect(hosted.url, [signInCookie(hosted.cookieValue, SIGN_IN_TTL_SECONDS)]);
      return page(pages.bare('en', bareLabels, bareLabels.signIn, 'Ask for a sign-in link: compliance token --role ROLE --person ID --link'), 401);
    }
    const { session, principal } = await redeemSignInCode(runtime(), code);
    return redirect(pages.homeOf(principal.role), [sessionCookie(session, SESSION_TTL_SECONDS)]);
  },
  // The pre-login cookie is cleared whatever happens here (see webRoute): a sign-in's state and verifier serve once.
  'GET /auth/callback': async (event) => {
    const verifier = hostedVerifier(cookieOf(event, SIGN_IN_COOKIE), event.queryStringParameters?.state);
    const code = event.queryStringParameters?.code;
    if (!code) throw new InputError('query.code: is missing (the sign-in page sent none): sign in again');
    const session = await exchangeHostedCode(code, verifier);
    const principal = await beginHostedSession(runtime(), session);
    return redirect(pages.homeOf(principal.role), [sessionCookie(session, SESSION_TTL_SECONDS), signInCookie('', 0)]);
  },
  'GET /signed-out': async () => page(pages.bare('en', bareLabels, bareLabels.signOut, 'You are signed out.', { href: '/sign-in', text: bareLabels.signIn })),
  // A form's address opened (a browser refreshing the page a form post returned): the page with that form.
  'GET /tasks/{quarter}/{control}': async (event) => {
    const { quarter = '', control = '' } = event.pathParameters ?? {};
    return redirect(isQuarter(quarter) ? `/tasks?quarter=${encodeURIComponent(quarter)}#task-${encodeURIComponent(control)}` : '/tasks');
  },
};

async function contextFor(session: Session): Promise<pages.PageContext> {
  const { principal } = session;
  const org = await readingRuntime().organisations.load(principal.orgId);
  const person = org?.people.get(principal.person);
  const language = person?.language ?? 'en';
  const rt = runtime();
  return { principal, name: person?.name ?? principal.person, language, t: labels(language), csrf: () => csrfToken(rt, session) };
}

/** The page context of whoever the request's session cookie names; undefined when none is good. */
async function contextOfCookie(event: Pick<ApiEvent, 'cookies' | 'headers'>): Promise<pages.PageContext | undefined> {
  try {
    return await contextFor(await sessionOf(runtime(), cookieOf(event, SESSION_COOKIE)));
  } catch {
    // Not signed in, or the session has ended: the page is in English, with a link to the start.
    return undefined;
  }
}

/** An error page with its status, in the person's language when known, linking back to where their role starts. */
function problemPage(ctx: pages.PageContext | undefined, status: number, message: string): ApiResult {
  const t = ctx?.t ?? bareLabels;
  return page(pages.bare(ctx?.language ?? 'en', t, `${t.error} (${status})`, message, { href: ctx ? pages.homeOf(ctx.principal.role) : '/', text: t.back }), status);
}

/** The page context each request's session gave, for its error page. */
const contexts = new WeakMap<ApiEvent, pages.PageContext>();

async function errorPage(error: unknown, event: ApiEvent, requestId: string): Promise<ApiResult> {
  const outcome = errorOutcome(error);
  if (error instanceof UnauthenticatedError) return page(pages.bare('en', bareLabels, bareLabels.signIn, `${bareLabels.expired} (${redact(error.message)})`, { href: '/sign-in', text: bareLabels.signIn }), 401);
  // A failure before the session was read (a form too large or unreadable) reads it now, for the language.
  const ctx = contexts.get(event) ?? (await contextOfCookie(event));
  if (!outcome.expected) {
    logUnexpected(error, requestId);
    return problemPage(ctx, 500, `An internal error (request ${requestId}); it is logged.`);
  }
  return problemPage(ctx, outcome.httpStatus, redact((error as Error).message));
}

/**
 * `compliance serve`'s answer to a browser's request no page takes: no such page (404), a method the
 * page does not take (405, with `Allow`), a body too large to read (413); in the person's language.
 */
export async function refusedPage(event: Pick<ApiEvent, 'cookies' | 'headers'>, status: 404 | 405 | 413, allow?: readonly string[]): Promise<ApiResult> {
  const ctx = await contextOfCookie(event);
  const t = ctx?.t ?? bareLabels;
  const result = problemPage(ctx, status, { 404: t.noSuchPage, 405: t.wrongMethod, 413: t.tooLarge }[status]);
  return allow ? { ...result, headers: { ...result.headers, allow: allow.join(', ') } } : result;
}

function knownHttpError(error: unknown): unknown {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  if (status === 415) return new MediaTypeError('a form must be sent as application/x-www-form-urlencoded');
  if (typeof status === 'number' && status >= 400 && status < 500) return new InputError('the form could not be read');
  return error;
}

function webRoute(route: WebRouteDeclaration) {
  const key = `${route.method} ${route.path}`;
  const handler = middy<ApiEvent, ApiResult>()
    .use({
      onError: async (request) => {
        const response = await errorPage(knownHttpError(request.error), request.event, request.context?.awsRequestId ?? '');
        request.response = key === 'GET /auth/callback' ? signInCleared(response) : response;
      },
    })
    .use(httpHeaderNormalizer())
    .use({
      before: (request) => {
        const body = request.event.body ?? '';
        if (route.method === 'POST' && Buffer.byteLength(body) > MAX_BODY_BYTES) throw new TooLargeError(`the form is larger than ${MAX_BODY_BYTES / 1024} KB`);
      },
    });
  if (route.method === 'POST') handler.use(httpUrlencodeBodyParser());
  return handler.handler(async (event) => {
    const open = PUBLIC[key];
    if (open) return open(event);
    const serve = PAGES[key];
    if (!serve) throw new Error(`web route ${key} is declared but has no page`);
    const session = await sessionOf(runtime(), cookieOf(event, SESSION_COOKIE));
    const { principal } = session;
    const ctx = await contextFor(session);
    contexts.set(event, ctx);
    const form = fields(event.body);
    if (route.method === 'POST') await checkCsrf(runtime(), session, form.csrf);
    const query = Object.fromEntries(Object.entries(event.queryStringParameters ?? {}).map(([k, v]) => [k, String(v ?? '')]));
    const req: WebRequest = { event, principal, ctx, params: (event.pathParameters ?? {}) as Record<string, string>, query, form };
    return serve(req);
  });
}

/** Every page as one handler (the web function, and `compliance serve`). */
export function webRouter() {
  const routes = WEB_ROUTES.map((r) => ({ method: r.method, path: r.path, handler: webRoute(r) }));
  return httpRouterHandler<ApiEvent, ApiResult>({ routes: routes as never, notFoundResponse: (() => problemPage(undefined, 404, bareLabels.noSuchPage)) as never });
}

