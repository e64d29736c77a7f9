// IBAN validation against the SWIFT IBAN Registry (data/iban-registry.json: each
// country's IBAN length, BBAN structure as the registry writes it, bank and branch
// identifier positions, and its example; the registry's release is in the file), then
// ISO 7064 mod 97-10 over the whole IBAN, then the national check digits of the
// countries that define them (NATIONAL below).
//
// The structure is checked character by character: `n` a digit, `a` an upper-case
// letter, `c` either. So a valid IBAN with letters in an account part the registry
// writes as `c` is found, and a mod-97-valid string with digits where the registry
// has letters (a bank code such as GB's `4!a`) is not.
//
// Pure: the registry is data, compiled once into one class string per country.
import registry from './data/iban-registry.json' with { type: 'json' };

interface RegistryEntry {
  name: string;
  length: number;
  bban: string;
  bank?: number[];
  branch?: number[];
  example?: string;
}

/** The registry and its release, as the data file holds them. */
export const IBAN_REGISTRY: { registry: string; release: number; countries: Readonly<Record<string, RegistryEntry>> } = registry;

/** Country code -> one character per BBAN position: n, a or c. */
const CLASSES = new Map<string, string>();
for (const [country, entry] of Object.entries(IBAN_REGISTRY.countries)) {
  let classes = '';
  for (const m of entry.bban.matchAll(/(\d+)!([nac])/g)) classes += m[2]!.repeat(Number(m[1]));
  if (classes.length + 4 !== entry.length) throw new Error(`iban-registry.json: ${country}: BBAN ${entry.bban} does not make ${entry.length} characters`);
  CLASSES.set(country, classes);
}

/** Country codes of the registry. */
export const IBAN_COUNTRY_CODES: readonly string[] = [...CLASSES.keys()];

/** IBAN length of a registry country, or undefined. */
export function ibanLength(country: string): number | undefined {
  return IBAN_REGISTRY.countries[country]?.length;
}

const isDigit = (c: number) => c >= 48 && c <= 57;
const isUpper = (c: number) => c >= 65 && c <= 90;

function structureValid(classes: string, bban: string): boolean {
  for (let i = 0; i < classes.length; i++) {
    const c = bban.charCodeAt(i);
    const k = classes.charCodeAt(i);
    if (k === 110 /* n */ ? !isDigit(c) : k === 97 /* a */ ? !isUpper(c) : !isDigit(c) && !isUpper(c)) return false;
  }
  return true;
}

/** ISO 7064 mod 97-10 of digits and letters (A=10 .. Z=35), read left to right. */
function mod97(s: string): number {
  let r = 0;
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    r = c >= 65 ? (r * 100 + c - 55) % 97 : (r * 10 + c - 48) % 97;
  }
  return r;
}

/** The IBAN moved round (`BBAN + country + check`) is 1 mod 97. */
function ibanMod97(iban: string): boolean {
  return mod97(iban.slice(4) + iban.slice(0, 4)) === 1;
}

/** Sum of digit x weight over `digits` (weights aligned left). */
function weighted(digits: string, weights: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) sum += (digits.charCodeAt(i) - 48) * (weights[i % weights.length] ?? 0);
  return sum;
}

// -------------------------------------------------------------------------------------
// National check digits, on the BBAN (upper case, structure already checked).

/** France and Monaco: the RIB key, 97 - (89 x bank + 15 x branch + 3 x account) mod 97; letters in the account as digits 1-9. */
function ribKey(bban: string): boolean {
  const account = bban.slice(10, 21).replace(/[A-Z]/g, (ch) => String(((ch.charCodeAt(0) - 65) % 9) + 1 + (ch >= 'S' ? 1 : 0)));
  const sum = (89 * Number(bban.slice(0, 5)) + 15 * Number(bban.slice(5, 10)) + 3 * Number(account)) % 97;
  return 97 - sum === Number(bban.slice(21, 23));
}

const ES_WEIGHTS = [1, 2, 4, 8, 5, 10, 9, 7, 3, 6] as const;
/** Spain: two control digits, one over `00` + bank + branch, one over the account; 11 -> 0, 10 -> 1. */
function spainCcc(bban: string): boolean {
  const digit = (s: string) => {
    const d = 11 - (weighted(s, ES_WEIGHTS) % 11);
    return d === 11 ? 0 : d === 10 ? 1 : d;
  };
  return String(digit(`00${bban.slice(0, 8)}`)) === bban[8] && String(digit(bban.slice(10, 20))) === bban[9];
}

/** Belgium: the last two digits are the first ten mod 97 (97 when that is 0). */
function belgium(bban: string): boolean {
  const r = Number(bban.slice(0, 10)) % 97;
  return (r === 0 ? 97 : r) === Number(bban.slice(10, 12));
}

// Italy and San Marino: the CIN letter over bank (5), branch (5) and account (12).
const CIN_ODD = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23] as const;
function italyCin(bban: string): boolean {
  let sum = 0;
  for (let i = 1; i < 23; i++) {
    const c = bban.charCodeAt(i);
    const v = c >= 65 ? c - 65 : c - 48;
    sum += i % 2 === 1 ? (CIN_ODD[v] ?? 0) : v; // positions 1, 3, ... of the 22 (odd, counted from 1)
  }
  return String.fromCharCode(65 + (sum % 26)) === bban[0];
}

/** The BBAN itself is 1 mod 97 (ISO 7064 mod 97-10): Portugal's NIB, Slovenia, Montenegro, Serbia, North Macedonia, Bosnia, Timor-Leste. */
function bbanMod97(bban: string): boolean {
  return mod97(bban) === 1;
}

/** Norway: mod 11 over the 11-digit account number, weights 5,4,3,2,7,6,5,4,3,2; remainder 1 (check 10) is invalid. */
function norway(bban: string): boolean {
  const r = weighted(bban.slice(0, 10), [5, 4, 3, 2, 7, 6, 5, 4, 3, 2]) % 11;
  return (r === 0 ? 0 : 11 - r) === Number(bban[10]);
}

/** Finland: Luhn over the 14-digit BBAN. */
function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = digits.length - 1, double = false; i >= 0; i--, double = !double) {
    let v = digits.charCodeAt(i) - 48;
    if (double && (v *= 2) > 9) v -= 9;
    sum += v;
  }
  return sum % 10 === 0;
}

/** Czechia and Slovakia: account prefix (6) and number (10), each weighted sum 0 mod 11. */
function czechSlovak(bban: string): boolean {
  return weighted(bban.slice(4, 10), [10, 5, 8, 4, 2, 1]) % 11 === 0 && weighted(bban.slice(10, 20), [6, 3, 7, 9, 10, 5, 8, 4, 2, 1]) % 11 === 0;
}

/** Poland: the bank sort code's eighth digit, weights 3,9,7,1 over the first seven. */
function poland(bban: string): boolean {
  return (10 - (weighted(bban.slice(0, 7), [3, 9, 7, 1]) % 10)) % 10 === Number(bban[7]);
}

/** Hungary: weights 9,7,3,1 over bank and branch (8 digits) and over the account (16), each 0 mod 10. */
function hungary(bban: string): boolean {
  return weighted(bban.slice(0, 8), [9, 7, 3, 1]) % 10 === 0 && weighted(bban.slice(8, 24), [9, 7, 3, 1]) % 10 === 0;
}

/** ISO 7064 mod 11,10 with the check digit last (Croatia's bank code and account). */
function mod11x10Check(digits: string): boolean {
  let p = 10;
  for (let i = 0; i < digits.length - 1; i++) {
    let s = (p + digits.charCodeAt(i) - 48) % 10;
    if (s === 0) s = 10;
    p = (s * 2) % 11;
  }
  return (11 - p) % 10 === digits.charCodeAt(digits.length - 1) - 48;
}
function croatia(bban: string): boolean {
  return mod11x10Check(bban.slice(0, 7)) && mod11x10Check(bban.slice(7, 17));
}

/** Estonia: weights 7,3,1 from the right over the account number (bank code excluded), check its last digit. */
function estonia(bban: string): boolean {
  const account = bban.slice(2, 15).replace(/^0+/, '');
  let sum = 0;
  for (let i = account.length - 1, k = 0; i >= 0; i--, k++) sum += (account.charCodeAt(i) - 48) * ([7, 3, 1][k % 3] ?? 0);
  return (10 - (sum % 10)) % 10 === Number(bban[15]);
}

/**
 * Countries whose national check digits are verified, and how. Germany's and the
 * United Kingdom's depend on the bank (hundreds of methods); the Netherlands dropped the
 * eleven-test for some accounts: those are held to the structure and mod 97 only.
 */
const NATIONAL: Readonly<Record<string, (bban: string) => boolean>> = {
  BA: bbanMod97,
  BE: belgium,
  CZ: czechSlovak,
  EE: estonia,
  ES: spainCcc,
  FI: luhn,
  FR: ribKey,
  HR: croatia,
  HU: hungary,
  IT: italyCin,
  MC: ribKey,
  ME: bbanMod97,
  MK: bbanMod97,
  NO: norway,
  PL: poland,
  PT: bbanMod97,
  RS: bbanMod97,
  SI: bbanMod97,
  SK: czechSlovak,
  SM: italyCin,
  TL: bbanMod97,
};

/** Countries with a national check (for tests and the README). */
export const NATIONAL_CHECK_COUNTRIES: readonly string[] = Object.keys(NATIONAL);

/** A compact, upper-case IBAN: registry length and structure, mod 97, national check digits. */
export function ibanValid(compact: string): boolean {
  const country = compact.slice(0, 2);
  const classes = CLASSES.get(country);
  if (classes === undefined || compact.length !== classes.length + 4) return false;
  if (!isDigit(compact.charCodeAt(2)) || !isDigit(compact.charCodeAt(3))) return false;
  const bban = compact.slice(4);
  if (!structureValid(classes, bban) || !ibanMod97(compact)) return false;
  const national = NATIONAL[country];
  return national === undefined || national(bban);
}
