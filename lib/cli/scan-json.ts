// A finding as `compliance scan --format json` writes it: the same text JSON.stringify
// gives (same keys, same order), built without its generic walk, which costs more than
// the detectors on a file dense with findings. Shared by the main thread and the scan
// workers, which write their part's findings as text for the main thread to pass on.
import { memoised } from '../domain/text/memo.ts';
import type { Finding } from '../usecases/scan/scan-files.ts';

/** Characters JSON must escape (masks, types and country codes seldom hold one). */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\u2028\u2029]/;
const json = (s: string): string => (NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`);

/** JSON text of findings, names (file, column) memoised: they repeat with every finding. */
export class FindingJson {
  private readonly name = memoised((s) => JSON.stringify(s));

  text(f: Finding): string {
    let out = `{"type":"${f.type}","file":${this.name(f.file)}`;
    if (f.sheet !== undefined) out += `,"sheet":${this.name(f.sheet)}`;
    if (f.line !== undefined) out += `,"line":${f.line}`;
    if (f.row !== undefined) out += `,"row":${f.row}`;
    if (f.column !== undefined) out += `,"column":${this.name(f.column)}`;
    if (f.pointer !== undefined) out += `,"pointer":${JSON.stringify(f.pointer)}`;
    out += `,"masked":${json(f.masked)}`;
    if (f.hash !== undefined) out += `,"hash":"${f.hash}"`;
    if (f.country !== undefined) out += `,"country":${json(f.country)}`;
    return `${out}}`;
  }
}
