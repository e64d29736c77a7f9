// The routes a function serves, as one Lambda handler (middy's HTTP router), from the
// declarations that also give API Gateway its routes: one function per kind of
// access, so each has only the IAM rights its routes need.
import httpRouterHandler from '@middy/http-router';
import { API_ROUTES, type RouteDeclaration } from '../workflows/declarations.ts';
import { apiHandler, errorResult, type ApiEvent, type ApiResult } from './http.ts';
import { ROUTES } from './routes.ts';
import type { RouteSpec } from './http.ts';

export function specOf(declared: Pick<RouteDeclaration, 'method' | 'path'>): RouteSpec {
  const spec = ROUTES.find((r) => r.method === declared.method && r.path === declared.path);
  if (!spec) throw new Error(`route ${declared.method} ${declared.path} is declared but has no handler in lib/api/routes.ts`);
  return spec;
}

/** The handler of every route `fn` serves; a path it does not serve is a JSON 404 (API Gateway never sends one). */
export function routerFor(fn: RouteDeclaration['function'] | 'all') {
  const routes = API_ROUTES.filter((r) => fn === 'all' || r.function === fn).map((r) => ({ method: r.method, path: r.path, handler: apiHandler(specOf(r)) }));
  return httpRouterHandler<ApiEvent, ApiResult>({
    routes: routes as never,
    notFoundResponse: (() => errorResult(404, 'no such route')) as never,
  });
}
