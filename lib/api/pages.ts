// Lists come back a page at a time, with an opaque cursor for the next. The cursor
// holds the last item's sort key, nothing of the caller's identity: it is read back
// within the caller's own organisation, so a forged one can only skip ahead there.
import { z } from 'zod';
import { InputError } from '../errors.ts';

export const PageQuery = {
  limit: z.coerce.number({ error: 'must be a whole number from 1 to 500' }).int('must be a whole number from 1 to 500').min(1, 'must be at least 1').max(500, 'must be at most 500').default(100),
  cursor: z.string().max(512, 'is not a cursor this API gave').optional(),
};

export interface Page<T> {
  items: T[];
  /** Present when more follow: pass it as `cursor` for the next page. */
  next?: string;
}

const encode = (key: string) => Buffer.from(JSON.stringify({ after: key })).toString('base64url');

function decode(cursor: string): string {
  try {
    const parsed = z.object({ after: z.string() }).parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return parsed.after;
  } catch {
    throw new InputError('query.cursor: is not a cursor this API gave');
  }
}

/** One page of `items`, ordered by `keyOf` (unique per item), after the cursor's key. */
export function pageOf<T>(items: readonly T[], keyOf: (item: T) => string, query: { limit: number; cursor?: string | undefined }): Page<T> {
  const keyed = items.map((item) => ({ item, key: keyOf(item) }));
  // Most lists come sorted already; sorting is for those that do not.
  if (keyed.some((k, i) => i > 0 && (keyed[i - 1] as { key: string }).key > k.key)) keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const sorted = keyed;
  const after = query.cursor === undefined ? undefined : decode(query.cursor);
  const start = after === undefined ? 0 : sorted.findIndex((k) => k.key > after);
  const rest = start < 0 ? [] : sorted.slice(start);
  const page = rest.slice(0, query.limit);
  const last = page.at(-1);
  return { items: page.map((k) => k.item), ...(rest.length > query.limit && last !== undefined ? { next: encode(last.key) } : {}) };
}
