// The one way an HTTP route is built: middy with its header normaliser and JSON body
// parser, then small middlewares of ours in the order a request meets them: who is
// calling (401), may their role use this route (403), is the body small enough (413)
// and JSON (415), do the path, query and body parse (400); then the route's use
// case. Every failure leaves as JSON `{ code, message }` with the field named, and
// no message quotes a token or a value from the request.
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { z } from 'zod';
import { isSignedOut } from '../adapters/dynamodb/nonce-store.ts';
import { principalOf, type Principal, type Role } from '../domain/access/principal.ts';
import { redact } from '../domain/detect/redact.ts';
import { errorOutcome, ForbiddenError, InputError, MediaTypeError, TooLargeError, UnauthenticatedError } from '../errors.ts';
import { runtime, type Runtime } from '../runtime.ts';
import { attachment } from '../usecases/export/delivery.ts';
import { readCache, type ReadCache } from './read-cache.ts';
import type { RouteDeclaration } from '../workflows/declarations.ts';

export type ApiEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
export type ApiResult = APIGatewayProxyStructuredResultV2;

/** Bodies are small JSON documents (an answer, an evidence record); anything larger is refused unread. */
export const MAX_BODY_BYTES = 64 * 1024;

export interface RouteContext<P, Q, B> {
  rt: Runtime;
  principal: Principal;
  params: P;
  query: Q;
  body: B;
  now: Date;
  /** A GET's shared read of the caller's organisation (lib/api/read-cache.ts); a POST reads afresh. */
  shared<T>(key: string, read: () => Promise<T>): Promise<T>;
}

export type Reply =
  | { status?: number; json: unknown }
  | { status?: number; file: Buffer; contentType: string; filename: string }
  /** 303 See Other to `location` (a download handed over elsewhere: lib/usecases/export/download.ts). */
  | { redirect: string };

type Schema = z.ZodType;
type Out<S> = S extends z.ZodType ? z.infer<S> : undefined;

export interface RouteSpec<P extends Schema | undefined = Schema | undefined, Q extends Schema | undefined = Schema | undefined, B extends Schema | undefined = Schema | undefined>
  extends Pick<RouteDeclaration, 'method' | 'path'> {
  /** Who may call it; a route also checks what the person owns where that matters. */
  roles: readonly Role[];
  params?: P;
  query?: Q;
  body?: B;
  handle(ctx: RouteContext<Out<P>, Out<Q>, Out<B>>): Promise<Reply>;
}

/** Keeps each route's schemas and handler typed together. */
export function route<P extends Schema | undefined = undefined, Q extends Schema | undefined = undefined, B extends Schema | undefined = undefined>(
  spec: RouteSpec<P, Q, B>,
): RouteSpec {
  return spec as unknown as RouteSpec;
}

const CODES: Record<number, string> = {
  400: 'bad-request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  409: 'conflict',
  413: 'too-large',
  415: 'unsupported-media-type',
  500: 'internal',
  503: 'unavailable',
};

/**
 * What every response of ours says besides its content, the pages' and the API's alike: not to be
 * kept (it is one person's), its type to be taken as declared, no address of ours sent on elsewhere.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
};

export function jsonResult(statusCode: number, body: unknown, headers: Record<string, string> = {}): ApiResult {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', ...SECURITY_HEADERS, ...headers },
    body: JSON.stringify(body),
  };
}

export function errorResult(statusCode: number, message: string): ApiResult {
  return jsonResult(statusCode, { code: CODES[statusCode] ?? 'error', message });
}

/** middy's own HTTP errors (the body parser's) as ours: a malformed body is the caller's 400, a wrong type 415. */
function asKnown(error: unknown): unknown {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  if (typeof status !== 'number') return error;
  if (status === 415 && /malformed/i.test(String((error as Error).message))) return new InputError('body: is not valid JSON');
  if (status === 415) return new MediaTypeError('content-type: must be application/json');
  return error;
}

/** A failure of ours, logged with its stack through the redaction (no request content). */
export function logUnexpected(error: unknown, requestId: string): void {
  console.error(JSON.stringify({ level: 'error', requestId, error: redact(String((error as Error)?.stack ?? error)) }));
}

/** The response for anything thrown: ours by its class, anything else a logged 500 that says nothing of the request. */
export function resultOfError(error: unknown, requestId = ''): ApiResult {
  const known = asKnown(error);
  const outcome = errorOutcome(known);
  if (outcome.expected) return errorResult(outcome.httpStatus, redact((known as Error).message));
  logUnexpected(known, requestId);
  return errorResult(500, `internal error${requestId ? ` (request ${requestId})` : ''}; it is logged`);
}

function issues(where: string, error: z.ZodError): string {
  return error.issues.map((i) => `${[where, ...i.path].join('.')}: ${i.message}`).join('; ');
}

const NO_QUERY = z.strictObject({});

/** One part of a request (path, query, body) through its schema; a refusal names each field as `where.field`. */
export function parsePart<S extends Schema | undefined>(schema: S, value: unknown, where: string): Out<S> {
  if (!schema) return undefined as Out<S>;
  const result = schema.safeParse(value ?? {});
  if (!result.success) throw new InputError(issues(where, result.error));
  return result.data as Out<S>;
}

/** The token of an `Authorization: Bearer <token>` header, if that is what it holds. */
export const bearerOf = (authorization: string | undefined): string | undefined => /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];

export function principalOfEvent(event: ApiEvent): Principal {
  const claims = event.requestContext?.authorizer?.jwt?.claims;
  if (!claims) throw new UnauthenticatedError('no valid token: send "Authorization: Bearer <token>"');
  const principal = principalOf(claims);
  if ('refused' in principal) throw new UnauthenticatedError(principal.refused);
  return principal;
}

function bodyBytes(event: ApiEvent): number {
  if (event.body === undefined || event.body === null) return 0;
  return event.isBase64Encoded ? Math.floor((event.body.length * 3) / 4) : Buffer.byteLength(event.body);
}

export function toResult(reply: Reply): ApiResult {
  if ('json' in reply) return jsonResult(reply.status ?? 200, reply.json);
  if ('redirect' in reply) return { statusCode: 303, headers: { location: reply.redirect, ...SECURITY_HEADERS }, body: '' };
  return {
    statusCode: reply.status ?? 200,
    headers: { 'content-type': reply.contentType, 'content-disposition': attachment(reply.filename), ...SECURITY_HEADERS },
    body: reply.file.toString('base64'),
    isBase64Encoded: true,
  };
}

interface Parsed {
  principal?: Principal;
}

const caches = new WeakMap<Runtime, ReadCache>();

/** The process's read cache over a runtime (lib/api/read-cache.ts). */
function cacheOf(base: Runtime): ReadCache {
  let cache = caches.get(base);
  if (!cache) caches.set(base, (cache = readCache(base)));
  return cache;
}

/** The runtime as GET routes read it: through the process's read cache. */
export function readingRuntime(base: () => Runtime = runtime): Runtime {
  return cacheOf(base()).rt;
}

/** What a request brings to a route, before its checks: the web pages bring a form's fields as `body`. */
export interface RouteRequest {
  principal: Principal;
  params?: unknown;
  query?: unknown;
  body?: unknown;
}

/** May this principal use this route at all (its role; its organisation served here)? */
export async function authorise(spec: RouteSpec, principal: Principal, base: () => Runtime = runtime): Promise<void> {
  if (!spec.roles.includes(principal.role)) throw new ForbiddenError(`the ${principal.role} role may not use ${spec.method} ${spec.path}`);
  if (!(await cacheOf(base()).rt.organisations.settings(principal.orgId))) throw new ForbiddenError(`the token's organisation is not served here`);
}

/**
 * A route's own work: its caller authorised (role, organisation), path, query and body parsed by its
 * schemas (400 naming the field), then its use case. A GET reads through the process's
 * read cache; a POST reads the table, then drops what the cache holds of its organisation.
 */
export async function runRoute(spec: RouteSpec, request: RouteRequest, base: () => Runtime = runtime): Promise<Reply> {
  const { principal } = request;
  await authorise(spec, principal, base);
  const rt = spec.method === 'GET' ? cacheOf(base()).rt : base();
  const ctx = {
    rt,
    principal,
    params: parsePart(spec.params, request.params, 'path'),
    // A route without query parameters refuses any, as the others refuse keys they do not know.
    query: parsePart(spec.query ?? NO_QUERY, request.query, 'query'),
    body: parsePart(spec.body, request.body, 'body'),
    now: rt.clock(),
    shared: <T>(key: string, read: () => Promise<T>) => (spec.method === 'GET' ? cacheOf(base()).memo(principal.orgId, key, read) : read()),
  };
  try {
    return await spec.handle(ctx as never);
  } finally {
    if (spec.method !== 'GET') cacheOf(base()).forget(principal.orgId);
  }
}

/** One route as a Lambda handler (API Gateway HTTP API, payload 2.0). */
export function apiHandler(spec: RouteSpec, base: () => Runtime = runtime) {
  const state = new WeakMap<object, Parsed>();
  const handler = middy<ApiEvent, ApiResult>()
    .use({
      onError: (request) => {
        request.response = resultOfError(request.error, request.context?.awsRequestId);
      },
    })
    .use(httpHeaderNormalizer())
    .use({
      before: async (request) => {
        const principal = principalOfEvent(request.event);
        state.set(request.event, { principal });
        await authorise(spec, principal, base);
        // A web session's token is one the API takes too: once signed out of, it is refused here as well.
        const token = bearerOf(request.event.headers?.authorization);
        if (token && (await isSignedOut(base().store, principal.orgId, token, new Date()))) throw new UnauthenticatedError('this token\'s session was signed out of: sign in again');
        // Measured only once the caller may use the route, and before the body is parsed.
        if (spec.method === 'POST' && bodyBytes(request.event) > MAX_BODY_BYTES) throw new TooLargeError(`body: is larger than ${MAX_BODY_BYTES} bytes`);
        if (spec.body && (request.event.body === undefined || request.event.body === '')) {
          // No body where every field is optional is the empty object; otherwise the schema names what is missing.
          (request.event as { body?: unknown }).body = {};
        }
      },
    });
  if (spec.body) {
    const parser = httpJsonBodyParser();
    // A body made the empty object above (none came) is not text to parse, whatever the content type says.
    handler.use({ before: (request) => (typeof request.event.body !== 'string' ? undefined : parser.before?.(request as never)) });
  }
  return handler.handler(async (event) => {
    const principal = state.get(event)?.principal as Principal;
    return toResult(await runRoute(spec, { principal, params: event.pathParameters, query: event.queryStringParameters, body: event.body }, base));
  });
}
