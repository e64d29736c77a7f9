// A name (a CSV column headed by a row of data, a JSON key, a file name) has no HKID word
// beside it, so HKIDs written as document numbers are masked there whenever their check
// digit is right: over-masked, never under.
import { describe, expect, it } from 'vitest';
import { redact, redactName } from '../lib/domain/detect/redact.ts';

describe('HKIDs written as document numbers, in names', () => {
  it.each([
    ['K234567-6', 'K23****(6)'],
    ['k234567-6', 'K23****(6)'],
    ['staff-K234567-6.csv', 'staff-K23****(6).csv'],
    ['CA 182361 (1)', 'CA18****(1)'],
    ['Ｋ２３４５６７－６.pdf', 'K23****(6).pdf'], // in full-width forms, as detect() reads them
  ])('masks %j', (name, shown) => {
    expect(redactName(name)).toBe(shown);
    expect(redact(name)).toBe(shown);
    expect(redactName(redactName(name))).toBe(shown);
  });

  it('leaves a code whose check digit is wrong as it is', () => {
    expect(redactName('K234567-5')).toBe('K234567-5');
    expect(redactName('AB 123456 (7)')).toBe('AB 123456 (7)');
  });
});
