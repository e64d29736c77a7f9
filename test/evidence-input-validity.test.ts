// The rules new evidence is held to (lib/domain/evidence/input-rules.ts), as pure functions.
import { describe, expect, it } from 'vitest';
import { addPeriod } from '../lib/domain/dates.ts';
import { credentialsIn, defaultValidity, notOneLine, whyNotNewValidity } from '../lib/domain/evidence/input-rules.ts';

describe('evidence input rules', () => {
  it('names the first character that is not one line, counting characters, not UTF-16 units', () => {
    expect(notOneLine('😀\n')).toMatch(/^holds a line break \(U\+000A\) at character 2:/);
    expect(notOneLine('a\u2028b')).toMatch(/^holds a line break \(U\+2028\)/);
    expect(notOneLine('a\u007fb')).toMatch(/^holds a control character \(U\+007F\)/);
    expect(notOneLine('資產登記冊 — v2 (final)')).toBeUndefined();
  });

  it('finds credentials before the host and in a signed link, and none in a plain one', () => {
    expect(credentialsIn('https://user:secretpw@a.example/doc.pdf')).toMatch(/^holds credentials \(a user name or password before the host\)/);
    expect(credentialsIn('https://storage.googleapis.com/b/a.pdf?X-Goog-Signature=ab')).toMatch(/"X-Goog-Signature" parameter/);
    expect(credentialsIn('https://a.example/doc.pdf?access_token=x')).toMatch(/"access_token" parameter/);
    expect(credentialsIn('s3://bucket/a.pdf')).toBeUndefined();
    expect(credentialsIn('not a uri')).toBeUndefined();
  });

  it('refuses what ended before today and what runs past 10 years after it was collected, and takes the bounds', () => {
    expect(whyNotNewValidity('2025-01-01', '2025-02-01', '2026-11-30', '2026-11-30 in Asia/Hong_Kong')).toBe(
      'ends 2025-02-01, before today (2026-11-30 in Asia/Hong_Kong): evidence that has ended is no evidence; give a validity that includes today',
    );
    expect(whyNotNewValidity('2026-11-30', '9999-12-31', '2026-11-30')).toBe('runs to 9999-12-31, more than 10 years after it was collected (2026-11-30; at most 2036-11-29)');
    expect(whyNotNewValidity('2026-11-30', '2026-11-30', '2026-11-30')).toBeUndefined();
    expect(whyNotNewValidity('2026-11-30', '2036-11-29', '2026-11-30')).toBeUndefined();
    expect(whyNotNewValidity('2026-11-30', '2036-11-30', '2026-11-30')).toMatch(/more than 10 years/);
  });

  it('gives new evidence without a validity an end: the period of the item it renews, else the control\'s review rhythm, its last day as validFor counts it', () => {
    expect(defaultValidity('2026-11-30', 'year')).toEqual({ validUntil: '2027-11-29' });
    expect(defaultValidity('2026-11-30', 'half-year')).toEqual({ validUntil: '2027-05-29' });
    expect(defaultValidity('2026-11-30', 'quarter')).toEqual({ validUntil: '2027-02-27' });
    expect(defaultValidity('2026-11-30', undefined).validUntil).toBe(addPeriod('2026-11-30', 'P3M'));
    // 31 January + P1M clamps to 28 February, so valid through the 27th, as validFor: P1M would be.
    expect(defaultValidity('2027-01-31', 'quarter').validUntil).toBe('2027-04-29');
    // A renewal takes the renewed item's length, counted from its own collection, not the renewed item's end.
    const renewed = { id: 'ev-1', collected: '2025-01-01', validUntil: '2025-12-31' };
    expect(defaultValidity('2026-11-30', 'quarter', renewed)).toEqual({ validUntil: '2027-11-29', inherited: renewed });
    // A renewed item without an end gives none to inherit: the rhythm.
    expect(defaultValidity('2026-11-30', 'year', { id: 'ev-2', collected: '2020-01-01' })).toEqual({ validUntil: '2027-11-29' });
  });
});
