// What the detectors' tests of new identifier shapes check against the plain regex:
// the WebAssembly kernel lists every position where the identifier regex matches (so
// detect(), which tries the regex only there, misses none), and detect() finds what the
// regex tried at every position finds.
import { expect } from 'vitest';
import { candidates, PASSES } from '../../lib/domain/detect/candidates.ts';
import { detect, detectAt, type Detection } from '../../lib/domain/detect/detect.ts';
import { ID_RE } from '../../lib/domain/detect/identifier-pattern.ts';

const ID_AT = new RegExp(ID_RE.source, ID_RE.flags.replace('g', 'y'));

/** Positions of `text` where the identifier regex matches, tried one by one. */
export function idMatchPositions(text: string): number[] {
  const at: number[] = [];
  for (let p = 0; p < text.length; p++) {
    ID_AT.lastIndex = p;
    if (ID_AT.test(text)) at.push(p);
  }
  return at;
}

/**
 * Expects the kernel to list every position where the identifier regex matches in `text`,
 * and detect() to give what the regex tried everywhere gives; returns those detections and
 * how many positions matched.
 */
export function expectCandidatesComplete(text: string): { matched: number; found: Detection[] } {
  const listed = new Set(candidates(text)[0]);
  const positions = idMatchPositions(text);
  for (const p of positions) expect(listed.has(p), `${JSON.stringify(text.slice(Math.max(0, p - 6), p + 24))} at ${p}`).toBe(true);
  const every = Int32Array.from({ length: text.length }, (_, i) => i);
  const found = detectAt(text, Array.from({ length: PASSES }, () => every));
  expect(detect(text), text).toEqual(found);
  return { matched: positions.length, found };
}
