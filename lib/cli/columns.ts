// Text for people: columns aligned as a terminal shows them, and counted words.
import { printable } from '../domain/text/printable.ts';

/** `1 file`, `2 files`. */
export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/**
 * Aligned columns; CJK characters count double, as a terminal shows them. Every cell is
 * shown printable (a control, bidi or separator character escaped): what is stored may
 * predate the rules that refuse them, and a raw line break would forge a row.
 */
export function columns(header: string[], rows: string[][]): string {
  const table = rows.map((row) => row.map((cell) => printable(cell)));
  const width = (s: string) => [...s].reduce((w, ch) => w + (/[\u1100-\uffff]/u.test(ch) ? 2 : 1), 0);
  // a loop, not Math.max(...rows): a spread of a long table overflows the stack
  const widths = header.map((h, i) => table.reduce((w, row) => Math.max(w, width(row[i] ?? '')), width(h)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c + ' '.repeat((widths[i] ?? 0) - width(c)))).join('  ');
  return [line(header), ...table.map(line)].join('\n');
}
