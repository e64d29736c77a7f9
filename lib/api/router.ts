// The routes a function serves, as one Lambda handler (middy's HTTP router), from the
// declarations that also give API Gateway its routes: one function per kind of
// access, so each has only the IAM rights its routes need.
import httpRouterHandler from '@middy/http-router';
import type { Context } from 'aws-lambda';
import { API_ROUTES, type RouteDeclaration } from '../workflows/declarations.ts';
import { apiHandler, errorResult, type ApiEvent, type ApiResult } from './http.ts';
import { ROUTES } from './routes.ts';
import type { RouteSpec } from './http.ts';

export function specOf(declared: Pick<RouteDeclaration, 'method' | 'path'>): RouteSpec {
  const spec = ROUTES.find((r) => r.method === declared.method && r.path === declared.path);
  if (!spec) throw new Error(`route ${declared.method} ${declared.path} is declared but has no handler in lib/api/routes.ts`);
  return spec;
}

/** A route template as a pattern, as the router matches it: `{id}` is one path segment, a trailing `/` optional. */
export const routePattern = (path: string): RegExp => new RegExp(`^${path.replace(/\{[^/]+\}/g, '[^/]+')}${path === '/' ? '' : '/?'}$`);

/**
 * GETs that record what they hand over: the audit package's export.made entry (and the
 * seal an export makes). A HEAD answered as GET would build the package and record a
 * download never made, and headers alone cannot give the length without building it;
 * so HEAD is not answered there (405, Allow: GET) rather than answered with headers that
 * would not be the GET's.
 */
const GETS_THAT_RECORD: readonly string[] = ['/v1/exports/{period}'];

/** Does the API answer HEAD at `path` (a GET route's, as GET without the body)? */
export const answersHead = (path: string): boolean => !GETS_THAT_RECORD.some((p) => routePattern(p).test(path));

/**
 * The methods `path` answers among `routes`, for a 405's Allow header (RFC 9110): HEAD
 * wherever GET is, when `head` (the API answers HEAD like GET), except where the GET
 * records (answersHead); empty when no route has the path.
 */
export function allowedMethods(routes: readonly Pick<RouteDeclaration, 'method' | 'path'>[], path: string, head: boolean): string[] {
  const methods = new Set(routes.filter((r) => routePattern(r.path).test(path)).map((r) => r.method as string));
  if (head && methods.has('GET') && answersHead(path)) methods.add('HEAD');
  return [...methods].sort();
}

/** 405 for `method` at a path that takes `allow` (RFC 9110: an Allow header naming them). */
export function methodNotAllowed(method: string, allow: readonly string[]): ApiResult {
  const refused = errorResult(405, `${method} is not allowed here: use ${allow.join(', ')}`);
  return { ...refused, headers: { ...refused.headers, allow: allow.join(', ') } };
}

/** A GET's answer to a HEAD: its headers (the length its body would have), no body. */
function headOf(result: ApiResult): ApiResult {
  const body = result.body ?? '';
  const length = result.isBase64Encoded ? Buffer.from(body, 'base64').length : Buffer.byteLength(body);
  const { isBase64Encoded: _, ...rest } = result;
  return { ...rest, headers: { ...result.headers, 'content-length': String(length) }, body: '' };
}

/**
 * The handler of every route `fn` serves. A path it serves under another method is a 405
 * naming the methods it takes; a path it does not serve a JSON 404 (API Gateway never
 * sends one). HEAD is answered as GET, without the body, except where the GET records
 * (answersHead): there it is a 405, before anything runs.
 */
export function routerFor(fn: RouteDeclaration['function'] | 'all') {
  const declared = API_ROUTES.filter((r) => fn === 'all' || r.function === fn);
  const routes = declared.map((r) => ({ method: r.method, path: r.path, handler: apiHandler(specOf(r)) }));
  const route = httpRouterHandler<ApiEvent, ApiResult>({
    routes: routes as never,
    notFoundResponse: (({ method, path }: { method: string; path: string }) => {
      // Allow names what the whole API takes at the path, whichever function serves it.
      const allow = allowedMethods(API_ROUTES, path, true);
      if (allow.length === 0 || allow.includes(method)) return errorResult(404, 'no such route');
      return methodNotAllowed(method, allow);
    }) as never,
  });
  return async (event: ApiEvent, context: Context, options: { signal: AbortSignal }): Promise<ApiResult> => {
    const http = event.requestContext?.http;
    if (http?.method !== 'HEAD') return (await route(event, context, options as never)) as ApiResult;
    // The path as the router matches it (middy's, for payload 2.0).
    if (!answersHead(http.path)) return methodNotAllowed('HEAD', allowedMethods(API_ROUTES, http.path, true));
    const asGet = { ...event, requestContext: { ...event.requestContext, http: { ...http, method: 'GET' } } } as ApiEvent;
    return headOf((await route(asGet, context, options as never)) as ApiResult);
  };
}
