// Who is looking at a page: a session cookie holding a signed token with the same
// claims as the API's (Cognito's ID token on AWS, a local token under serve), checked
// in the handler since a browser sends cookies, not an Authorization header. Locally
// people sign in from a one-time link `compliance token --link` prints; on AWS on
// Cognito's hosted page, by the code flow with `state` and PKCE held in a short-lived
// pre-login cookie. Forms carry a CSRF token bound to the session and good for one use.
// Signing out records the session's token in the table until it expires, so a copy of
// the cookie is refused. Signing in and out are entries in the audit trail.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify, SignJWT, type JWTVerifyGetKey } from 'jose';
import { isSignedOut, signOut, useOnce } from '../adapters/dynamodb/nonce-store.ts';
import type { SigningKey } from '../adapters/local/local-signing-key.ts';
import { issueLocalToken, LOCAL_ISSUER, SIGN_IN_AUDIENCE, verifyLocalToken } from '../adapters/local/local-token.ts';
import { principalOf, type Principal, type Role } from '../domain/access/principal.ts';
import { ForbiddenError, InputError, UnauthenticatedError } from '../errors.ts';
import type { Runtime } from '../runtime.ts';

export const SESSION_COOKIE = 'compliance_session';
/** On AWS, between leaving for the hosted sign-in page and coming back: the sign-in's `state` and PKCE verifier. */
export const SIGN_IN_COOKIE = 'compliance_sign_in';
/** The pre-login cookie's path: sent to the callback alone. */
export const SIGN_IN_COOKIE_PATH = '/auth/callback';
/** How long a person may take on the hosted sign-in page. */
export const SIGN_IN_TTL_SECONDS = 10 * 60;
/** A sign-in link works once, within this many seconds. */
const LINK_TTL_SECONDS = 15 * 60;
/** A session lasts a working day. */
export const SESSION_TTL_SECONDS = 8 * 3600;
/** A form's CSRF token is good for this long, once. */
const CSRF_TTL_SECONDS = 2 * 3600;

/** On AWS: where the hosted sign-in page sends people back, and how its code becomes an ID token. */
export interface HostedSignIn {
  /** https://<prefix>.auth.<region>.amazoncognito.com */
  domain: string;
  clientId: string;
  /** The pages' own address: the callback is `<base>/auth/callback`. */
  baseUrl: string;
}

export interface WebAuth {
  /** The claims of a session token, or UnauthenticatedError. */
  verify(token: string): Promise<Record<string, unknown>>;
  /** Cookies marked Secure (https only): on AWS. */
  secureCookies: boolean;
  /** Locally: the key that signs sessions and links. */
  localKey?: SigningKey;
  /** On AWS with a hosted sign-in page: where an unsigned-in person is sent (locally links come from `compliance token --link`). */
  hosted?: HostedSignIn;
  /** How Cognito's token endpoint is called (fetch; a test's stand-in). */
  fetch?: typeof fetch;
}

/** What the hosted sign-in needs besides the pool: its keys and the token endpoint's client, for a test to stand in for Cognito. */
export interface CognitoSeams {
  keys?: JWTVerifyGetKey;
  fetch?: typeof fetch;
}

export function localWebAuth(key: SigningKey): WebAuth {
  return { verify: (token) => verifyLocalToken(key, token), secureCookies: false, localKey: key };
}

/** On AWS: Cognito's ID tokens, checked against the pool's published keys; sign-in on its hosted page when it has a domain. */
export function cognitoWebAuth(issuer: string, clientId: string, hosted?: Omit<HostedSignIn, 'clientId'>, seams: CognitoSeams = {}): WebAuth {
  const keys = seams.keys ?? createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`));
  return {
    ...(hosted ? { hosted: { ...hosted, clientId } } : {}),
    ...(seams.fetch ? { fetch: seams.fetch } : {}),
    verify: async (token) => {
      try {
        const { payload } = await jwtVerify(token, keys, { issuer, audience: clientId });
        if (payload.token_use !== 'id') throw new Error('not an ID token');
        return payload as Record<string, unknown>;
      } catch {
        throw new UnauthenticatedError('your session has ended: sign in again');
      }
    },
    secureCookies: true,
  };
}

const base64url = (bytes: Buffer) => bytes.toString('base64url');

/**
 * The way to the hosted sign-in page: its address with a fresh `state` and a PKCE challenge
 * (S256), and the pre-login cookie's value holding that state and the verifier. The app client
 * has no secret, so the verifier is what makes a code useless to whoever intercepts it, and the
 * state ties the code that comes back to the browser that set out (no login CSRF).
 */
export function beginHostedSignIn(): { url: string; cookieValue: string } | undefined {
  const hosted = webAuth().hosted;
  if (!hosted) return undefined;
  const state = base64url(randomBytes(32));
  const verifier = base64url(randomBytes(32));
  const challenge = base64url(createHash('sha256').update(verifier).digest());
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: hosted.clientId,
    scope: 'openid email',
    redirect_uri: `${hosted.baseUrl}/auth/callback`,
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  return { url: `${hosted.domain}/oauth2/authorize?${query}`, cookieValue: `${state}.${verifier}` };
}

/** The PKCE verifier of the sign-in this browser started, if the callback's `state` is that sign-in's; else InputError naming what is wrong. */
export function hostedVerifier(cookieValue: string | undefined, state: string | undefined): string {
  const [expected = '', verifier = ''] = (cookieValue ?? '').split('.');
  if (!expected || !verifier) throw new InputError(`cookie ${SIGN_IN_COOKIE}: is missing or has expired (the sign-in did not start in this browser, or took over ${SIGN_IN_TTL_SECONDS / 60} minutes): sign in again`);
  if (!state) throw new InputError('query.state: is missing: sign in again');
  const given = Buffer.from(state);
  const wanted = Buffer.from(expected);
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) throw new InputError('query.state: is not the one of the sign-in this browser started: sign in again');
  return verifier;
}

/** The hosted sign-in page's code, with the sign-in's PKCE verifier, for the person's ID token (Cognito's token endpoint). */
export async function exchangeHostedCode(code: string, verifier: string): Promise<string> {
  const auth = webAuth();
  const hosted = auth.hosted;
  if (!hosted) throw new ForbiddenError('there is no hosted sign-in page here');
  const response = await (auth.fetch ?? fetch)(`${hosted.domain}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', client_id: hosted.clientId, code, redirect_uri: `${hosted.baseUrl}/auth/callback`, code_verifier: verifier }),
  });
  const token = response.ok ? ((await response.json()) as { id_token?: unknown }).id_token : undefined;
  if (typeof token !== 'string') throw new UnauthenticatedError('the sign-in did not complete: sign in again');
  return token;
}

let current: WebAuth | undefined;

export function setWebAuth(auth: WebAuth | undefined): void {
  current = auth;
}

export function webAuth(): WebAuth {
  if (!current) throw new UnauthenticatedError('sign-in is not configured here');
  return current;
}

/** A signed-in session: its person, and a reference to it that holds nothing of its token. */
export interface Session {
  principal: Principal;
  /** A keyed hash of the session's token: what a CSRF token is bound to and the audit trail names the session by. */
  ref: string;
}

/** The session's reference: a keyed hash, so nothing that could be used as the token (or checked against it without the key) leaves the server. */
async function sessionRef(rt: Runtime, token: string): Promise<string> {
  return createHmac('sha256', await rt.hashKey()).update('session-ref\u0000').update(token).digest('base64url').slice(0, 22);
}

async function sessionClaims(token: string | undefined): Promise<{ claims: Record<string, unknown>; principal: Principal }> {
  if (!token) throw new UnauthenticatedError('you are not signed in');
  const claims = await webAuth().verify(token);
  const principal = principalOf(claims);
  if ('refused' in principal) throw new UnauthenticatedError(principal.refused);
  return { claims, principal };
}

/** The session of a token: signed, unexpired and not signed out of (one consistent GetItem). */
export async function sessionOf(rt: Runtime, token: string | undefined): Promise<Session> {
  const { principal } = await sessionClaims(token);
  if (await isSignedOut(rt.store, principal.orgId, token as string, new Date())) throw new UnauthenticatedError('you signed out of this session: sign in again');
  return { principal, ref: await sessionRef(rt, token as string) };
}

/** How a session began, as the audit trail records it. */
export type SignInMethod = 'link' | 'hosted';

/** The audit entry of a session begun or ended: the person, their role, the session's reference; nothing of the token. */
function sessionAudit(rt: Runtime, principal: Principal, ref: string, event: 'session.signed-in' | 'session.signed-out', detail: Record<string, unknown>) {
  return { orgId: principal.orgId, at: rt.clock().toISOString(), event, subject: `SESSION#${ref}`, actor: principal.person, detail: { role: principal.role, ...detail } };
}

/** A session the hosted sign-in page began: checked as every session is, then recorded in the audit trail. */
export async function beginHostedSession(rt: Runtime, token: string): Promise<Principal> {
  const { principal, ref } = await sessionOf(rt, token);
  await rt.audit.append(sessionAudit(rt, principal, ref, 'session.signed-in', { via: 'hosted' satisfies SignInMethod }));
  return principal;
}

/**
 * Ends a session for good: the token cannot be recalled from a browser that kept a copy, so
 * the table records it as signed out until it would have expired (then TTL removes the record),
 * together with the sign-out's audit entry.
 */
export async function endSession(rt: Runtime, token: string): Promise<void> {
  const { claims, principal } = await sessionClaims(token);
  const exp = Number(claims.exp);
  const expires = Number.isFinite(exp) ? new Date(exp * 1000) : new Date(Date.now() + SESSION_TTL_SECONDS * 1000);
  // Already recorded (a second sign-out racing the first) is as good as recording it, and is one audit entry.
  await signOut(rt.store, principal.orgId, token, expires, sessionAudit(rt, principal, await sessionRef(rt, token), 'session.signed-out', {}));
}

/** A one-time sign-in link's code: a short-lived token with a purpose of its own and an id used once. */
export async function signInCode(key: SigningKey, request: { person: string; orgId: string; role: Role }): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ 'custom:org': request.orgId, 'cognito:groups': [request.role], purpose: 'sign-in' })
    .setProtectedHeader({ alg: 'EdDSA', kid: key.keyId })
    .setIssuer(LOCAL_ISSUER)
    .setAudience(SIGN_IN_AUDIENCE)
    .setSubject(request.person)
    .setJti(randomBytes(16).toString('hex'))
    .setIssuedAt(now)
    .setExpirationTime(now + LINK_TTL_SECONDS)
    .sign(key.privateKey);
}

/** Trades a sign-in link's code, once, for a session token. */
export async function redeemSignInCode(rt: Runtime, code: string): Promise<{ session: string; principal: Principal }> {
  const key = webAuth().localKey;
  if (!key) throw new ForbiddenError('sign in through the organisation\'s sign-in page');
  const claims = await verifyLocalToken(key, code, new Date(), SIGN_IN_AUDIENCE);
  const principal = principalOf(claims);
  if (claims.purpose !== 'sign-in' || typeof claims.jti !== 'string' || 'refused' in principal) throw new UnauthenticatedError('this is not a sign-in link');
  const session = await issueLocalToken(key, { ...principal, ttlSeconds: SESSION_TTL_SECONDS, now: new Date() });
  // The link is used up and the sign-in recorded together: no session without its audit entry.
  const audit = sessionAudit(rt, principal, await sessionRef(rt, session), 'session.signed-in', { via: 'link' satisfies SignInMethod });
  if (!(await useOnce(rt.store, principal.orgId, 'sign-in', claims.jti, new Date(Number(claims.exp) * 1000), audit))) {
    throw new UnauthenticatedError('this sign-in link was used already: ask for a new one');
  }
  return { session, principal };
}

async function csrfKey(rt: Runtime): Promise<Buffer> {
  return createHmac('sha256', await rt.hashKey()).update('csrf-token').digest();
}

const mac = (key: Buffer, { principal, ref }: Session, nonce: string, expires: number) =>
  createHmac('sha256', key).update(`${principal.orgId}\u0000${principal.person}\u0000${principal.role}\u0000${ref}\u0000${nonce}\u0000${expires}`).digest('base64url');

/** A token for one form: bound to this session (and its person, organisation and role), good for one post within two hours. */
export async function csrfToken(rt: Runtime, session: Session): Promise<string> {
  const nonce = randomBytes(12).toString('base64url');
  const expires = Math.floor(Date.now() / 1000) + CSRF_TTL_SECONDS;
  return `${nonce}.${expires}.${mac(await csrfKey(rt), session, nonce, expires)}`;
}

/** Refuses a missing, forged, expired, another session's or replayed token (ForbiddenError). */
export async function checkCsrf(rt: Runtime, session: Session, token: unknown): Promise<void> {
  const { principal } = session;
  const [nonce = '', expiresText = '', given = ''] = typeof token === 'string' ? token.split('.') : [];
  const expires = Number(expiresText);
  const expected = Buffer.from(mac(await csrfKey(rt), session, nonce, expires));
  const presented = Buffer.from(given);
  const ok = nonce.length > 0 && Number.isInteger(expires) && presented.length === expected.length && timingSafeEqual(presented, expected);
  if (!ok) throw new ForbiddenError('the form is missing its security token or it is not this session\'s: reload the page and try again');
  if (expires * 1000 < Date.now()) throw new ForbiddenError('the form is too old: reload the page and try again');
  if (!(await useOnce(rt.store, principal.orgId, 'csrf', nonce, new Date(expires * 1000)))) throw new ForbiddenError('this form was sent already: reload the page to send it again');
}
