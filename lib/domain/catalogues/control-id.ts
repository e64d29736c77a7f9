// A control id as an organisation writes it, resolved to an ISO/IEC 27001:2022
// Annex A control. Two-part ids are 2022 controls ("A.5.1" is the 2022 control, never
// the 2013 category); a three-part 2013 id becomes its 2022 control when the
// published correspondence gives exactly one, and is refused naming the candidates
// when it gives several.
import { readAnnexAId } from '../org/annex-a.ts';
import { control2013, requirementExists } from './catalogues.ts';

export type ControlIdResolution =
  | { ok: true; /** The 2022 id, e.g. "A.8.15". */ id: string; /** The 2013 id it was written as, when it was one. */ from2013?: string }
  | { ok: false; reason: string; /** The 2022 controls to choose from, when a 2013 id has several. */ candidates?: string[] };

const RANGE_2022 = 'A.5.1 to A.8.34';
const RANGE_2013 = 'A.5.1.1 to A.18.2.3';

export function resolveControlId(value: string): ControlIdResolution {
  const read = readAnnexAId(value);
  if (!read) {
    return { ok: false, reason: `"${value}" is not an ISO/IEC 27001 Annex A control id: write a 2022 control such as A.5.15 (or a 2013 one such as A.12.4.1)` };
  }
  if (read.edition === 2022) {
    if (requirementExists({ framework: 'iso27001', id: read.id })) return { ok: true, id: read.id };
    const category = [...'123456789'].map((n) => `${read.id}.${n}`).filter((id) => control2013(id));
    const hint = category.length > 0 ? `; ${read.id} was a 2013 category: write one of its controls (${category.join(', ')}) or the 2022 control` : '';
    return { ok: false, reason: `"${value}" is not an ISO/IEC 27001:2022 Annex A control (${RANGE_2022})${hint}` };
  }
  const old = control2013(read.id);
  if (!old) {
    return { ok: false, reason: `"${value}" is not an ISO/IEC 27001 Annex A control: not a 2022 control (${RANGE_2022}) nor a 2013 one (${RANGE_2013})` };
  }
  const [only, ...others] = old.mapsTo;
  if (only !== undefined && others.length === 0) return { ok: true, id: only, from2013: old.id };
  return {
    ok: false,
    reason: `${old.id} (2013) maps to several 2022 controls (${old.mapsTo.join(', ')}): write one of them`,
    candidates: [...old.mapsTo],
  };
}
