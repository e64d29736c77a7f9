// Text for people: columns aligned as a terminal shows them, and counted words.

/** `1 file`, `2 files`. */
export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** Aligned columns; CJK characters count double, as a terminal shows them. */
export function columns(header: string[], table: string[][]): string {
  const width = (s: string) => [...s].reduce((w, ch) => w + (/[\u1100-\uffff]/u.test(ch) ? 2 : 1), 0);
  // a loop, not Math.max(...rows): a spread of a long table overflows the stack
  const widths = header.map((h, i) => table.reduce((w, row) => Math.max(w, width(row[i] ?? '')), width(h)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c + ' '.repeat((widths[i] ?? 0) - width(c)))).join('  ');
  return [line(header), ...table.map(line)].join('\n');
}
