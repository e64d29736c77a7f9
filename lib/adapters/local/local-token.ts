// Tokens for one machine: `compliance token` signs them with the data directory's key
// and `compliance serve` verifies them, with the claims and checks API Gateway's JWT
// authorizer applies to Cognito's tokens on AWS (issuer, audience, expiry, signature);
// only the key differs.
import { randomBytes } from 'node:crypto';
import { jwtVerify, SignJWT, errors } from 'jose';
import type { Role } from '../../domain/access/principal.ts';
import { InputError, UnauthenticatedError } from '../../errors.ts';
import type { SigningKey } from './local-signing-key.ts';

export const LOCAL_ISSUER = 'urn:compliance:local';
export const LOCAL_AUDIENCE = 'compliance-api';
/** A one-time sign-in link's code: never accepted where a session or API token is. */
export const SIGN_IN_AUDIENCE = 'compliance-sign-in';
/** Longest a local token may live: a working week. */
const MAX_TTL_SECONDS = 7 * 24 * 3600;

/** "8h", "30m", "2d", "90s" in seconds. */
export function parseTtl(value: string): number {
  const match = /^(\d{1,6})([smhd])$/.exec(value);
  if (!match) throw new InputError(`--ttl: "${value}" is not a duration such as 30m, 8h or 2d`);
  const seconds = Number(match[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[match[2] as 's' | 'm' | 'h' | 'd'];
  if (seconds < 1 || seconds > MAX_TTL_SECONDS) throw new InputError(`--ttl: must be from 1s to 7d`);
  return seconds;
}

export interface TokenRequest {
  person: string;
  orgId: string;
  role: Role;
  ttlSeconds: number;
  now: Date;
}

export async function issueLocalToken(key: SigningKey, request: TokenRequest): Promise<string> {
  const iat = Math.floor(request.now.getTime() / 1000);
  return new SignJWT({ 'custom:org': request.orgId, 'cognito:groups': [request.role], token_use: 'id' })
    .setProtectedHeader({ alg: 'EdDSA', kid: key.keyId, typ: 'JWT' })
    .setIssuer(LOCAL_ISSUER)
    .setAudience(LOCAL_AUDIENCE)
    .setSubject(request.person)
    // Its own id: two tokens issued in the same second differ, so signing out of one session ends only that one.
    .setJti(randomBytes(16).toString('hex'))
    .setIssuedAt(iat)
    .setExpirationTime(iat + request.ttlSeconds)
    .sign(key.privateKey);
}

/** The verified claims, or UnauthenticatedError saying why not (never quoting the token). */
export async function verifyLocalToken(key: SigningKey, token: string, now: Date = new Date(), audience: string = LOCAL_AUDIENCE): Promise<Record<string, unknown>> {
  try {
    const { payload } = await jwtVerify(token, key.publicKey, {
      issuer: LOCAL_ISSUER,
      audience,
      algorithms: ['EdDSA'],
      currentDate: now,
      requiredClaims: ['sub', 'exp'],
    });
    return payload as Record<string, unknown>;
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw new UnauthenticatedError('the token has expired: ask for a new one (compliance token)');
    if (error instanceof errors.JWTClaimValidationFailed) throw new UnauthenticatedError(`the token's ${error.claim} claim is not accepted here`);
    if (error instanceof errors.JWSSignatureVerificationFailed) throw new UnauthenticatedError('the token is not signed by this deployment\'s key');
    throw new UnauthenticatedError('the token is not a valid signed JWT');
  }
}
