// What the phone tests read of detect(): the phones, as written.
import { expect } from 'vitest';
import { detect } from '../../lib/domain/detect/detect.ts';

/** The raw text of each hk_phone finding in `text` (and that nothing else is found). */
export function phones(text: string): string[] {
  const found = detect(text);
  expect(found.filter((d) => d.type !== 'hk_phone'), text).toEqual([]);
  return found.map((d) => d.raw);
}
