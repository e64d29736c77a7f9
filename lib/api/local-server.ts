// `compliance serve`: the API's own handlers over real HTTP on localhost. Each request
// becomes the event API Gateway's HTTP API (payload 2.0) would send, after the checks
// its JWT authorizer would make (here against the local signing key), so the handlers
// run as they do on AWS.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Context } from 'aws-lambda';
import { authorise, bearerOf, errorResult, MAX_BODY_BYTES, principalOfEvent, resultOfError, type ApiEvent, type ApiResult } from './http.ts';
import { allowedMethods, answersHead, methodNotAllowed, routePattern, routerFor, specOf } from './router.ts';
import { API_ROUTES, WEB_ROUTES } from '../workflows/declarations.ts';
import { refusedPage, webRouter } from '../web/handler.ts';
import type { SigningKey } from '../adapters/local/local-signing-key.ts';
import { verifyLocalToken } from '../adapters/local/local-token.ts';

export interface LocalServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

const KNOWN = [...API_ROUTES, ...WEB_ROUTES].map((r) => ({ method: r.method, path: r.path, pattern: routePattern(r.path), web: !r.path.startsWith('/v1/') }));
/** Does a known route take this method: its own, or HEAD where the API answers GET, unless the GET records (lib/api/router.ts)? */
const takes = (k: (typeof KNOWN)[number], method: string) => k.method === method || (method === 'HEAD' && k.method === 'GET' && !k.web && answersHead(k.path));

/** Read at most this much of a body; the handlers refuse anything over MAX_BODY_BYTES with their own answer (JSON or a page). */
const READ_LIMIT = 1024 * 1024 + MAX_BODY_BYTES;

async function readBody(req: IncomingMessage): Promise<Buffer | 'too-large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > READ_LIMIT) return 'too-large';
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function send(res: ServerResponse, result: ApiResult): void {
  const body = result.body === undefined ? '' : result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body;
  if (result.cookies?.length) res.setHeader('set-cookie', result.cookies);
  // A HEAD's answer carries the length of the body it leaves out.
  res.writeHead(result.statusCode ?? 200, { 'content-length': String(Buffer.byteLength(body)), ...(result.headers as Record<string, string>) });
  res.end(body);
}

/** Each path segment decoded, as API Gateway hands path parameters over; undefined when one cannot be. */
function decodedPath(raw: string): string | undefined {
  try {
    const segments = raw.split('/').map((s) => decodeURIComponent(s));
    return segments.some((s) => s.includes('/')) ? undefined : segments.join('/');
  } catch {
    return undefined;
  }
}

export async function serveApi(options: { key: SigningKey; port?: number; host?: string }): Promise<LocalServer> {
  const router = routerFor('all');
  const pages = webRouter();
  // A token verified once is not verified again until it expires (as API Gateway caches its authorizer's checks).
  const known = new Map<string, Record<string, unknown>>();
  const verified = async (token: string): Promise<Record<string, unknown>> => {
    const held = known.get(token);
    // Tokens live in real time, whatever business date --now sets.
    if (held && Number(held.exp) * 1000 > Date.now()) return held;
    const claims = await verifyLocalToken(options.key, token);
    if (known.size >= 1000) known.clear();
    known.set(token, claims);
    return claims;
  };
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const requestId = randomUUID();
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = (req.method ?? 'GET').toUpperCase();
    const path = decodedPath(url.pathname);
    // The API answers JSON; anything else is a browser's, answered with a page (in the person's language).
    const browser = !/^\/v1(\/|$)/.test(url.pathname);
    const cookies = { headers: { ...(req.headers.cookie ? { cookie: req.headers.cookie } : {}) } };
    if (!path || !KNOWN.some((k) => k.pattern.test(path))) return send(res, browser ? await refusedPage(cookies, 404) : errorResult(404, 'no such route'));
    if (!KNOWN.some((k) => takes(k, method) && k.pattern.test(path))) {
      if (browser) return send(res, await refusedPage(cookies, 405, KNOWN.filter((k) => k.pattern.test(path)).map((k) => k.method)));
      return send(res, methodNotAllowed(method, allowedMethods(API_ROUTES, path, true)));
    }
    // The pages read their session cookie themselves; the API is behind the authorizer's check,
    // and its caller's role is checked before a body is read (lib/api/http.ts's order: 401, 403, then 413).
    const matched = KNOWN.find((k) => takes(k, method) && k.pattern.test(path));
    const web = matched?.web ?? false;
    let claims: Record<string, unknown> | undefined;
    if (!web && matched) {
      const bearer = bearerOf(req.headers.authorization);
      if (!bearer) return send(res, errorResult(401, 'no valid token: send "Authorization: Bearer <token>"'));
      try {
        claims = await verified(bearer);
        await authorise(specOf(matched), principalOfEvent({ requestContext: { authorizer: { jwt: { claims } } } } as unknown as ApiEvent));
      } catch (error) {
        return send(res, resultOfError(error, requestId));
      }
    }
    const body = await readBody(req);
    if (body === 'too-large') {
      res.setHeader('connection', 'close');
      return send(res, browser ? await refusedPage(cookies, 413) : errorResult(413, `body: is larger than ${MAX_BODY_BYTES} bytes`));
    }
    const headers = Object.fromEntries(Object.entries(req.headers).flatMap(([k, v]) => (v === undefined ? [] : [[k, Array.isArray(v) ? v.join(',') : v]])));
    // No prototype: `?__proto__=x` is a key like any other, for the routes to refuse.
    const query: Record<string, string> = Object.create(null);
    for (const [k, v] of url.searchParams) query[k] = k in query ? `${query[k]},${v}` : v;
    const event = {
      version: '2.0',
      routeKey: '$default',
      rawPath: path,
      rawQueryString: url.search.slice(1),
      headers,
      ...(url.search ? { queryStringParameters: query } : {}),
      ...(req.headers.cookie ? { cookies: req.headers.cookie.split(/;\s*/) } : {}),
      requestContext: {
        accountId: 'local',
        apiId: 'local',
        domainName: String(req.headers.host ?? 'localhost'),
        domainPrefix: 'local',
        http: { method, path, protocol: `HTTP/${req.httpVersion}`, sourceIp: req.socket.remoteAddress ?? '', userAgent: String(req.headers['user-agent'] ?? '') },
        requestId,
        routeKey: '$default',
        stage: '$default',
        time: new Date().toUTCString(),
        timeEpoch: Date.now(),
        ...(claims ? { authorizer: { principalId: '', integrationLatency: 0, jwt: { claims, scopes: [] } } } : {}),
      },
      ...(body.length ? { body: body.toString('utf8') } : {}),
      isBase64Encoded: false,
    } as unknown as ApiEvent;
    const context = { awsRequestId: requestId, functionName: 'compliance-local-api', getRemainingTimeInMillis: () => 29_000 } as Context;
    try {
      send(res, (await (web ? pages : router)(event, context, { signal: new AbortController().signal })) as ApiResult);
    } catch (error) {
      send(res, resultOfError(error, requestId));
    }
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, resultOfError(error));
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${address.address}:${address.port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
