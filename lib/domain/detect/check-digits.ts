// Check digits of the identifiers detect() finds: HKID, PRC resident ID (with its birth
// date), payment cards (scheme and Luhn) and IBANs (mod 97, then ibantools for the
// country's length and BBAN format).
import { countrySpecs, isValidIBAN } from 'ibantools';

const C0 = 48; // '0'
const CA = 65; // 'A'

function digitAt(s: string, i: number): number {
  return s.charCodeAt(i) - C0;
}

/** HKID check: `letters` one or two upper-case letters, `digits` six, `check` 0-9 or A. */
export function hkidValid(letters: string, digits: string, check: string): boolean {
  let sum = 0;
  if (letters.length === 1) sum = 36 * 9 + (letters.charCodeAt(0) - CA + 10) * 8;
  else sum = (letters.charCodeAt(0) - CA + 10) * 9 + (letters.charCodeAt(1) - CA + 10) * 8;
  for (let i = 0; i < 6; i++) sum += digitAt(digits, i) * (7 - i);
  const c = (11 - (sum % 11)) % 11;
  return check === (c === 10 ? 'A' : String(c));
}

const CN_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CN_CHECK = '10X98765432';

/** PRC resident ID: 18 characters, upper-case X. MOD 11-2 and the birth date. */
export function cnIdValid(id: string): boolean {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += digitAt(id, i) * (CN_WEIGHTS[i] ?? 0);
  if (CN_CHECK[sum % 11] !== id[17]) return false;
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  if (y < 1900 || y > 2099 || m < 1 || m > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = m === 2 ? (leap ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
  return d <= days;
}

export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let v = digitAt(digits, i);
    if (double) {
      v *= 2;
      if (v > 9) v -= 9;
    }
    sum += v;
    double = !double;
  }
  return sum % 10 === 0;
}

/** Scheme prefix and length (Visa, Mastercard, Amex, UnionPay, JCB), then Luhn. */
export function cardValid(digits: string): boolean {
  const n = digits.length;
  const p2 = Number(digits.slice(0, 2));
  const p4 = Number(digits.slice(0, 4));
  const scheme =
    (digits[0] === '4' && (n === 13 || n === 16 || n === 19)) ||
    (((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) && n === 16) ||
    ((p2 === 34 || p2 === 37) && n === 15) ||
    (p2 === 62 && n >= 16 && n <= 19) ||
    (p4 >= 3528 && p4 <= 3589 && n >= 16 && n <= 19);
  return scheme && luhnValid(digits);
}

/** ISO 7064 mod 97-10 over the IBAN moved round (`BBAN + country + check`) is 1. */
function ibanMod97(iban: string): boolean {
  let r = 0;
  const n = iban.length;
  for (let k = 0; k < n; k++) {
    const c = iban.charCodeAt((k + 4) % n);
    r = c >= 65 ? (r * 100 + c - 55) % 97 : (r * 10 + c - 48) % 97;
  }
  return r === 1;
}

/** Length, mod 97 (cheap, here), then country and BBAN format (ibantools). */
export function ibanValid(compact: string): boolean {
  return countrySpecs[compact.slice(0, 2)]?.chars === compact.length && ibanMod97(compact) && isValidIBAN(compact);
}
