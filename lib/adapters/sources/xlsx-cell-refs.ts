// A worksheet's cells given the reference (`r="B3"`) the format lets a writer leave out.
// ECMA-376 Part 1, 18.3.1.73 (row) and 18.3.1.4 (c): `r` is optional on both; a row
// without one follows the row before it (the first is row 1), a cell without one
// follows the cell before it in its row (the first is column A). Excel always writes
// them, but other writers (streaming exporters, hand-made workbooks) do not, and
// read-excel-file places a cell by its `r` alone (without one it fails with a
// TypeError). So the sheet XML is given the references it lacks, by that rule, before
// read-excel-file reads it; a sheet whose cells all have theirs is left as it is.
//
// The XML is read as text, tag by tag: comments and CDATA sections are passed over
// whole, attribute values may hold '>', and element names may carry a namespace prefix
// (`<x:c>`). Linear in the sheet's size; what is added is a few bytes per cell that
// lacked a reference (a sheet of bare one-character cells at most about doubles).

/** A comment or CDATA section (passed over), or a `row` or `c` start tag (with its attributes and a '/' when it closes itself), or a `row` end tag. */
const TAG = /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<(\/?)((?:[A-Za-z_][\w.-]*:)?(?:row|c))(?=[\s/>])((?:[^>"']|"[^"]*"|'[^']*')*)>/g;
/** The `r` attribute among a tag's attributes (not a prefixed one such as `x14:r`). */
const R_ATTRIBUTE = /(?:^|\s)r\s*=\s*(?:"([^"]*)"|'([^']*)')/;
/** A cell reference: column letters, then the row. */
const CELL_REF = /^\s*([A-Za-z]{1,3})(\d{1,7})\s*$/;

/**
 * A cell tag whose first attribute is not its reference: where one may lack it. Excel
 * writes `r` first, so a sheet it wrote is passed over after this one search.
 */
const MAYBE_UNREFERENCED = /<(?:[A-Za-z_][\w.-]*:)?c(?:>|\/>|\s(?!\s*r\s*=))/;

/** Column `n` (1-based) in letters: 1 is A, 27 is AA. */
export function columnLetters(n: number): string {
  let letters = '';
  for (let c = n; c > 0; c = Math.floor((c - 1) / 26)) letters = String.fromCharCode(65 + ((c - 1) % 26)) + letters;
  return letters;
}

/** The 1-based column of `letters` (A is 1). */
function columnNumber(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

/** A tag's `r`, or undefined when it has none. */
function refOf(attributes: string): string | undefined {
  const m = R_ATTRIBUTE.exec(attributes);
  return m === null ? undefined : (m[1] ?? m[2]);
}

/**
 * `xml` (a worksheet part) with a reference on every cell that has none, placed as the
 * format places it; undefined when every cell has one already (nothing to change).
 */
export function withCellRefs(xml: string): string | undefined {
  if (!MAYBE_UNREFERENCED.test(xml)) return undefined;
  let row = 0;
  let column = 0;
  let changed = false;
  const out = xml.replace(TAG, (tag: string, close: string | undefined, name: string | undefined, attributes: string | undefined) => {
    if (name === undefined || close === '/') return tag; // a comment, CDATA, or an end tag
    const attrs = attributes ?? '';
    const ref = refOf(attrs);
    if (name === 'row' || name.endsWith(':row')) {
      const r = ref !== undefined && /^\s*\d+\s*$/.test(ref) ? Number(ref) : undefined;
      row = r ?? row + 1;
      column = 0;
      return tag;
    }
    if (ref !== undefined) {
      const m = CELL_REF.exec(ref);
      if (m !== null) {
        column = columnNumber(m[1]!);
        row = Number(m[2]);
      } else column++;
      return tag;
    }
    column++;
    changed = true;
    return `<${name} r="${columnLetters(column)}${Math.max(row, 1)}"${attrs}>`;
  });
  return changed ? out : undefined;
}
