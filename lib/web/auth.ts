// Who is looking at a page: a session cookie holding a signed token with the same
// claims as the API's (Cognito's ID token on AWS, a local token under serve), checked
// in the handler since a browser sends cookies, not an Authorization header. Locally
// people sign in from a one-time link `compliance token --link` prints; forms carry a
// CSRF token bound to the session and good for one use. Signing out records the
// session's token in the table until it expires, so a copy of the cookie is refused.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify, SignJWT } from 'jose';
import { isSignedOut, signOut, useOnce } from '../adapters/dynamodb/nonce-store.ts';
import type { SigningKey } from '../adapters/local/local-signing-key.ts';
import { issueLocalToken, LOCAL_ISSUER, SIGN_IN_AUDIENCE, verifyLocalToken } from '../adapters/local/local-token.ts';
import { principalOf, type Principal, type Role } from '../domain/access/principal.ts';
import { ForbiddenError, UnauthenticatedError } from '../errors.ts';
import type { Runtime } from '../runtime.ts';

export const SESSION_COOKIE = 'compliance_session';
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
  /** Where an unsigned-in person is sent: the hosted sign-in page on AWS; locally none (links come from `compliance token --link`). */
  signInUrl?: string;
  /** Locally: the key that signs sessions and links. */
  localKey?: SigningKey;
  hosted?: HostedSignIn;
}

export function localWebAuth(key: SigningKey): WebAuth {
  return { verify: (token) => verifyLocalToken(key, token), secureCookies: false, localKey: key };
}

/** On AWS: Cognito's ID tokens, checked against the pool's published keys; sign-in on its hosted page when it has a domain. */
export function cognitoWebAuth(issuer: string, clientId: string, hosted?: Omit<HostedSignIn, 'clientId'>): WebAuth {
  const keys = createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`));
  const signIn = hosted
    ? `${hosted.domain}/oauth2/authorize?${new URLSearchParams({ response_type: 'code', client_id: clientId, scope: 'openid email', redirect_uri: `${hosted.baseUrl}/auth/callback` })}`
    : undefined;
  return {
    ...(hosted && signIn ? { hosted: { ...hosted, clientId }, signInUrl: signIn } : {}),
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

/** The hosted sign-in page's code for the person's ID token (Cognito's token endpoint). */
export async function exchangeHostedCode(code: string): Promise<string> {
  const hosted = webAuth().hosted;
  if (!hosted) throw new ForbiddenError('there is no hosted sign-in page here');
  const response = await fetch(`${hosted.domain}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', client_id: hosted.clientId, code, redirect_uri: `${hosted.baseUrl}/auth/callback` }),
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

async function sessionClaims(token: string | undefined): Promise<{ claims: Record<string, unknown>; principal: Principal }> {
  if (!token) throw new UnauthenticatedError('you are not signed in');
  const claims = await webAuth().verify(token);
  const principal = principalOf(claims);
  if ('refused' in principal) throw new UnauthenticatedError(principal.refused);
  return { claims, principal };
}

/** The person of a session token: signed, unexpired and not signed out of (one consistent GetItem). */
export async function principalOfSession(rt: Runtime, token: string | undefined): Promise<Principal> {
  const { principal } = await sessionClaims(token);
  if (await isSignedOut(rt.store, principal.orgId, token as string, new Date())) throw new UnauthenticatedError('you signed out of this session: sign in again');
  return principal;
}

/**
 * Ends a session for good: the token cannot be recalled from a browser that kept a copy, so
 * the table records it as signed out until it would have expired (then TTL removes the record).
 */
export async function endSession(rt: Runtime, token: string): Promise<void> {
  const { claims, principal } = await sessionClaims(token);
  const exp = Number(claims.exp);
  const expires = Number.isFinite(exp) ? new Date(exp * 1000) : new Date(Date.now() + SESSION_TTL_SECONDS * 1000);
  // Already recorded (a second sign-out racing the first) is as good as recording it.
  await signOut(rt.store, principal.orgId, token, expires);
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
  if (!(await useOnce(rt.store, principal.orgId, 'sign-in', claims.jti, new Date(Number(claims.exp) * 1000)))) {
    throw new UnauthenticatedError('this sign-in link was used already: ask for a new one');
  }
  const session = await issueLocalToken(key, { ...principal, ttlSeconds: SESSION_TTL_SECONDS, now: new Date() });
  return { session, principal };
}

async function csrfKey(rt: Runtime): Promise<Buffer> {
  return createHmac('sha256', await rt.hashKey()).update('csrf-token').digest();
}

const mac = (key: Buffer, principal: Principal, nonce: string, expires: number) =>
  createHmac('sha256', key).update(`${principal.orgId}\u0000${principal.person}\u0000${principal.role}\u0000${nonce}\u0000${expires}`).digest('base64url');

/** A token for one form: bound to this person, organisation and role, good for one post within two hours. */
export async function csrfToken(rt: Runtime, principal: Principal): Promise<string> {
  const nonce = randomBytes(12).toString('base64url');
  const expires = Math.floor(Date.now() / 1000) + CSRF_TTL_SECONDS;
  return `${nonce}.${expires}.${mac(await csrfKey(rt), principal, nonce, expires)}`;
}

/** Refuses a missing, forged, expired, another session's or replayed token (ForbiddenError). */
export async function checkCsrf(rt: Runtime, principal: Principal, token: unknown): Promise<void> {
  const [nonce = '', expiresText = '', given = ''] = typeof token === 'string' ? token.split('.') : [];
  const expires = Number(expiresText);
  const expected = Buffer.from(mac(await csrfKey(rt), principal, nonce, expires));
  const presented = Buffer.from(given);
  const ok = nonce.length > 0 && Number.isInteger(expires) && presented.length === expected.length && timingSafeEqual(presented, expected);
  if (!ok) throw new ForbiddenError('the form is missing its security token or it is not this session\'s: reload the page and try again');
  if (expires * 1000 < Date.now()) throw new ForbiddenError('the form is too old: reload the page and try again');
  if (!(await useOnce(rt.store, principal.orgId, 'csrf', nonce, new Date(expires * 1000)))) throw new ForbiddenError('this form was sent already: reload the page to send it again');
}
