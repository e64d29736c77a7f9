// Lists come back a page at a time, with an opaque cursor for the next. The cursor
// holds the list it is of (its route) and the last item's sort key, nothing of the
// caller's identity. It is not signed: it is read back within the caller's own
// organisation, through the route's role and owner filters, so a forged one can only
// skip ahead in what the caller may read anyway. One of another list is refused, as its
// key would silently skip to nowhere (an evidence id sorts after every control id).
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

const encode = (list: string, key: string) => Buffer.from(JSON.stringify({ list, after: key })).toString('base64url');

function decode(cursor: string, list: string): string {
  let parsed: { list: string; after: string };
  try {
    parsed = z.object({ list: z.string(), after: z.string() }).parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw new InputError('query.cursor: is not a cursor this API gave');
  }
  if (parsed.list !== list) throw new InputError(`query.cursor: is a cursor of another list, not of ${list}: pass back the next cursor ${list} gave`);
  return parsed.after;
}

/** One page of `items` of `list` (the route's path), ordered by `keyOf` (unique per item), after the cursor's key. */
export function pageOf<T>(items: readonly T[], keyOf: (item: T) => string, query: { limit: number; cursor?: string | undefined }, list: string): Page<T> {
  const keyed = items.map((item) => ({ item, key: keyOf(item) }));
  // Most lists come sorted already; sorting is for those that do not.
  if (keyed.some((k, i) => i > 0 && (keyed[i - 1] as { key: string }).key > k.key)) keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const sorted = keyed;
  const after = query.cursor === undefined ? undefined : decode(query.cursor, list);
  const start = after === undefined ? 0 : sorted.findIndex((k) => k.key > after);
  const rest = start < 0 ? [] : sorted.slice(start);
  const page = rest.slice(0, query.limit);
  const last = page.at(-1);
  return { items: page.map((k) => k.item), ...(rest.length > query.limit && last !== undefined ? { next: encode(list, last.key) } : {}) };
}
