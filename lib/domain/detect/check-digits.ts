// Check digits of the identifiers detect() finds: HKID, PRC resident ID (with its birth
// date) and payment cards (brand by IIN range and length, then Luhn). IBANs: iban.ts.

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

/**
 * An HKID as written (`A123456(3)`, `ab 987654 (3)`, `K234567-6`) as its value, its letters,
 * digits and check digit in upper case (`A1234563`), when its check digit is right; else
 * undefined. Spaces, hyphens and brackets are left out.
 */
export function hkidValue(written: string): string | undefined {
  const value = written.toUpperCase().replace(/[^0-9A-Z]/g, '');
  const letters = value.length === 9 ? value.slice(0, 2) : value.slice(0, 1);
  return hkidValid(letters, value.slice(letters.length, -1), value.slice(-1)) ? value : undefined;
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

/**
 * Card brands by IIN (issuer) range and length. Diners Club is held to 14 and 16 digits and
 * an 18-digit number shaped like a PRC resident ID is read as one (detect.ts), so that a
 * mistyped Jiangxi (36) or Xinjiang (65) ID is not reported as a card.
 */
const BRANDS: readonly { name: string; iin: (p6: number) => boolean; lengths: readonly number[] }[] = [
  { name: 'Visa', iin: (p) => p >= 400000 && p < 500000, lengths: [13, 16, 19] },
  { name: 'Mastercard', iin: (p) => (p >= 510000 && p < 560000) || (p >= 222100 && p < 272100), lengths: [16] },
  { name: 'American Express', iin: (p) => (p >= 340000 && p < 350000) || (p >= 370000 && p < 380000), lengths: [15] },
  { name: 'UnionPay', iin: (p) => p >= 620000 && p < 630000, lengths: [16, 17, 18, 19] },
  { name: 'JCB', iin: (p) => p >= 352800 && p < 359000, lengths: [16, 17, 18, 19] },
  { name: 'Discover', iin: (p) => (p >= 601100 && p < 601200) || (p >= 644000 && p < 660000), lengths: [16, 17, 18, 19] },
  { name: 'Diners Club', iin: (p) => (p >= 300000 && p < 306000) || (p >= 309500 && p < 309600) || (p >= 360000 && p < 370000) || (p >= 380000 && p < 400000), lengths: [14, 16] },
  {
    name: 'Maestro',
    iin: (p) => [5018, 5020, 5038, 5893, 6304, 6759, 6761, 6762, 6763].includes(Math.floor(p / 100)),
    lengths: [12, 13, 14, 15, 16, 17, 18, 19],
  },
];

/** The brand a card number's IIN and length belong to, or undefined. */
export function cardBrand(digits: string): string | undefined {
  const p6 = Number(digits.slice(0, 6));
  return BRANDS.find((b) => b.lengths.includes(digits.length) && b.iin(p6))?.name;
}

/** A brand's IIN range and length, then Luhn. */
export function cardValid(digits: string): boolean {
  return cardBrand(digits) !== undefined && luhnValid(digits);
}
