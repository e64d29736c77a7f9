// A finding as `compliance scan --format json` writes it: the same text JSON.stringify
// gives (same keys, same order), built without its generic walk, which costs more than
// the detectors on a file dense with findings, and written straight into the output's
// blocks (writeTo) rather than as a string to encode. Shared by the main thread and the
// scan workers, which write their part's findings as UTF-8 for the main thread to pass on.
import { memoised } from '../domain/text/memo.ts';
import type { Finding } from '../usecases/scan/scan-files.ts';
import type { Utf8Blocks } from './utf8-blocks.ts';

/** Characters JSON must escape (masks, types and country codes seldom hold one). */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\u2028\u2029]/;
const json = (s: string): string => (NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`);

const MASKED = Buffer.from(',"masked":"');
const HASH = Buffer.from('","hash":"');
const END = Buffer.from('"}');

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

  /**
   * `,\n    ` and text(f), written to `out`: the same bytes, with a text file's finding
   * (type, file, line, mask, hash, country) written in parts straight into the block:
   * the parts a file's findings share as bytes made once, the rest without building a
   * string (Utf8Blocks.plain). Other findings, and parts that are not plain ASCII, go
   * as text.
   */
  writeTo(f: Finding, out: Utf8Blocks): void {
    if (f.sheet !== undefined || f.row !== undefined || f.column !== undefined || f.pointer !== undefined || f.line === undefined) {
      out.write(`,\n    ${this.text(f)}`);
      return;
    }
    out.small(this.head(f));
    out.digits(f.line);
    out.small(MASKED);
    if (!out.plain(f.masked)) out.write(json(f.masked).slice(1, -1));
    if (f.hash !== undefined) {
      out.small(HASH);
      if (!out.plain(f.hash)) out.write(json(f.hash).slice(1, -1));
    }
    out.small(f.country === undefined ? END : this.countryEnd(f.country));
  }

  private readonly countryEnds = new Map<string, Uint8Array>();

  /** `","country":…}`: a finding's last bytes, one per country. */
  private countryEnd(country: string): Uint8Array {
    let bytes = this.countryEnds.get(country);
    if (bytes === undefined) this.countryEnds.set(country, (bytes = Buffer.from(`","country":${json(country)}}`)));
    return bytes;
  }

  private headsOf = '';
  private heads: Partial<Record<string, Uint8Array>> = {};

  /** `,\n    {"type":…,"file":…,"line":` of a finding, as UTF-8: one per file and type. */
  private head(f: Finding): Uint8Array {
    if (f.file !== this.headsOf) {
      this.headsOf = f.file;
      this.heads = {};
    }
    return (this.heads[f.type] ??= Buffer.from(`,\n    {"type":"${f.type}","file":${this.name(f.file)},"line":`));
  }
}
