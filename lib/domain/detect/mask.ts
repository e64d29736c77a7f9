// Nothing raw at rest: a finding keeps a masked value, for people to recognise what was
// found, and a keyed hash, to count distinct people and follow one across scans without
// knowing who they are.
//
// Masks (from the canonical `value` that detect() returns):
//   hk_id           A1234563            -> A12****(3)            letters, first two digits, check digit
//   cn_resident_id  11010519491231002X  -> 110105***********X    region code (first 6) and check
//                                                                character; birth date and sequence
//                                                                (which encodes sex) hidden
//   payment_card    4111111111111111    -> 4111 **** **** 1111   first 4 and last 4 (within PCI DSS's
//                                                                "first 6 / last 4"); 15 digits:
//                                                                3782 **** *** 0005
//   iban            GB82WEST1234...5432 -> GB82 **** **** **** **32  country, check digits, last 2
//   hk_phone        +85291234567        -> +852 ****4567         country code and last 4
//   cn_phone        +8613812345678      -> +86 *******5678       country code and last 4
//   email           chan.tm@acme.com.hk -> c***@acme.com.hk      first character of the local part
//                                                                (its length is not shown) and the domain
//   health/payroll  the keyword itself: a topic is not personal data.
// No mask of an identifier contains the whole identifier.
//
// keyedHash: HMAC-SHA-256, hex, over `${type}:${value}` with the canonical value, so the
// same person written differently (A123456(3) / A1234563, +852 9123 4567 / 91234567)
// hashes the same, and the same digits as two different types do not. The key comes from
// configuration (on AWS from SSM Parameter Store or Secrets Manager); an empty key is
// refused, since without a secret the hashes of a small space such as phone numbers can
// be reversed by trying every number. groupHash: the same HMAC over `group:${name}`.

import type { Detection } from './detect.ts';

// node:crypto loaded when a hash is first made: a scan without a hash key never needs it,
// and loading it was about a twentieth of `compliance scan`'s start.
let crypto: typeof import('node:crypto') | undefined;

type Finding = Pick<Detection, 'type' | 'value'>;

function stars(n: number): string {
  return '*'.repeat(Math.max(0, n));
}

/** Groups of four, left to right: `GB82****...` -> `GB82 **** ...`. */
function groupsOfFour(s: string): string {
  let out = s.slice(0, 4);
  for (let i = 4; i < s.length; i += 4) out += ` ${s.slice(i, i + 4)}`;
  return out;
}

/** A card's hidden middle by its length (12 to 19 digits: a handful of shapes, made once each). */
const cardMiddles = new Map<number, string>();

function maskCard(digits: string): string {
  let middle = cardMiddles.get(digits.length);
  if (middle === undefined) cardMiddles.set(digits.length, (middle = groupsOfFour(stars(digits.length - 8))));
  return `${digits.slice(0, 4)} ${middle} ${digits.slice(-4)}`;
}

export function mask(d: Finding): string {
  switch (d.type) {
    case 'hk_id': {
      const v = d.value.replace(/[^0-9A-Z]/gi, '').toUpperCase();
      const letters = /^[A-Z]{1,2}/.exec(v)?.[0] ?? '';
      return `${letters}${v.slice(letters.length, letters.length + 2)}****(${v.slice(-1)})`;
    }
    case 'cn_resident_id': {
      const v = d.value.toUpperCase();
      return `${v.slice(0, 6)}${stars(v.length - 7)}${v.slice(-1)}`;
    }
    case 'payment_card':
      return maskCard(d.value); // canonical: digits only
    case 'iban': {
      const v = d.value.replace(/\s/g, '').toUpperCase();
      return groupsOfFour(`${v.slice(0, 4)}${stars(v.length - 6)}${v.slice(-2)}`);
    }
    case 'hk_phone':
      return `+852 ****${d.value.slice(-4)}`; // canonical: +852 and eight digits
    case 'cn_phone':
      return `+86 *******${d.value.slice(-4)}`;
    case 'email': {
      const at = d.value.lastIndexOf('@');
      return `${d.value.slice(0, 1)}***${d.value.slice(at)}`;
    }
    case 'health':
    case 'payroll':
      return d.value;
    default: {
      const never: never = d.type;
      throw new Error(`mask: unknown finding type ${String(never)}`);
    }
  }
}

/** HMAC-SHA-256 (hex) of `message` under `key`; an empty key is refused (the error names `caller` when given). */
export function hmac(key: Uint8Array | string, message: string, caller?: string): string {
  if (key.length === 0) throw new Error(`${caller ? `${caller}: ` : ''}the hash key must not be empty`);
  crypto ??= process.getBuiltinModule('node:crypto');
  return crypto.createHmac('sha256', key).update(message, 'utf8').digest('hex');
}

/** HMAC-SHA-256 (hex, 64 characters) of `${type}:${value}` under `key`. */
export function keyedHash(key: Uint8Array | string, d: Finding): string {
  return hmac(key, `${d.type}:${d.value}`, 'keyedHash');
}

/**
 * HMAC-SHA-256 (hex) of `group:${name}` under the same key: a group or channel's raw
 * name, kept beside its redacted form so configuration can name a group as people
 * write it (the organisation file, an event's group) and still match it.
 */
export function groupHash(key: Uint8Array | string, name: string): string {
  return hmac(key, `group:${name}`, 'keyedHash');
}
