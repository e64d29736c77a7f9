// The requirement catalogues, held as data (./data/*.json) and checked by zod when
// this module loads: the Hong Kong PDPO with the PCPD's guidance, the GDPR,
// ISO/IEC 27001:2022 Annex A, the 2013 edition's controls with their 2022
// counterparts, and the links between requirements of different catalogues.
// A requirement is named everywhere by a reference { framework, id }. The few
// ISO/IEC 27001 management-system clauses gaps cite (6.1.3) are requirements of the
// iso27001 framework too, but not Annex A controls: `requirements('iso27001')` and
// the SoA stay the 93 controls.
import { z } from 'zod';
import pdpoData from './data/pdpo.json' with { type: 'json' };
import gdprData from './data/gdpr.json' with { type: 'json' };
import iso2022Data from './data/iso27001-2022.json' with { type: 'json' };
import iso2013Data from './data/iso27001-2013.json' with { type: 'json' };
import isoClausesData from './data/iso27001-2022-clauses.json' with { type: 'json' };
import mappingsData from './data/mappings.json' with { type: 'json' };

export const Framework = z.enum(['pdpo', 'gdpr', 'iso27001']);
export type Framework = z.infer<typeof Framework>;

/**
 * The catalogues `compliance catalogue` lists: the three frameworks, the 2013 edition of
 * ISO/IEC 27001 Annex A, and (`iso27001-clauses`) the management-system clauses a gap may cite.
 */
export const CatalogueName = z.enum(['pdpo', 'gdpr', 'iso27001', 'iso27001-2013', 'iso27001-clauses']);
export type CatalogueName = z.infer<typeof CatalogueName>;

/** ISO/IEC 27001:2022 Annex A themes, numbered 5 to 8. */
export const Theme = z.enum(['organizational', 'people', 'physical', 'technological']);
export type Theme = z.infer<typeof Theme>;
const THEME_NUMBER: Readonly<Record<Theme, number>> = { organizational: 5, people: 6, physical: 7, technological: 8 };

/** What weight a PDPO entry carries: binding, enacted but not commenced (section 33), or the PCPD's recommended practice. */
export const RequirementStatus = z.enum(['in-force', 'not-in-force', 'guidance']);
export type RequirementStatus = z.infer<typeof RequirementStatus>;

/** A requirement by name, e.g. { framework: "pdpo", id: "DPP4" }, { framework: "gdpr", id: "Art.32" }, { framework: "iso27001", id: "A.8.24" }. */
export const RequirementRef = z.strictObject({ framework: Framework, id: z.string().min(1).max(40) });
export type RequirementRef = z.infer<typeof RequirementRef>;

/** A reference to a requirement that exists in its catalogue. */
export const KnownRequirementRef = RequirementRef.refine((ref) => requirementExists(ref), {
  error: (issue) => `no such requirement: ${describeRef(issue.input as RequirementRef)}`,
});

export interface Requirement {
  framework: Framework;
  id: string;
  /** Short title, in this project's words. */
  title: string;
  /** What it asks of an organisation, a sentence or two in this project's words. */
  asks: string;
  /** ISO/IEC 27001:2022 controls only. */
  theme?: Theme;
  /** PDPO entries only. */
  status?: RequirementStatus;
  note?: string;
}

/** A control of ISO/IEC 27001:2013 Annex A and the 2022 controls it corresponds to (ISO/IEC 27002:2022 Annex B). */
export interface Control2013 {
  id: string;
  title: string;
  /** 2022 ids, at least one. */
  mapsTo: readonly string[];
}

/** One line of `compliance catalogue`. */
export interface CatalogueRow {
  id: string;
  title: string;
  theme?: Theme;
  mapsTo?: string[];
  status?: RequirementStatus;
}

// ---- the data files' shapes ----

const text = z.string().trim().min(1).max(600);
const iso2022Id = z.string().regex(/^A\.[5-8]\.[1-9]\d?$/, 'must be an ISO/IEC 27001:2022 id such as A.8.24');
const clauseId = z.string().regex(/^(?:[4-9]|10)(?:\.[1-9]\d?){0,2}$/, 'must be an ISO/IEC 27001:2022 clause such as 6.1.3');
const iso2013Id = z.string().regex(/^A\.(?:[5-9]|1[0-8])\.[1-9]\.[1-9]\d?$/, 'must be an ISO/IEC 27001:2013 id such as A.12.4.1');

const CatalogueFile = <E extends z.ZodType>(entry: E) => z.strictObject({ name: text, note: text.optional(), entries: z.array(entry).min(1) });

const PdpoFile = CatalogueFile(
  z.strictObject({ id: z.string().regex(/^(DPP[1-6]|s\.\d+[A-Z]?|[A-Z][A-Z0-9-]+)$/), title: text, status: RequirementStatus, asks: text, note: text.optional() }),
);
const GdprFile = CatalogueFile(z.strictObject({ id: z.string().regex(/^Art\.[1-9]\d{0,2}$/), title: text, asks: text }));
const Iso2022File = CatalogueFile(z.strictObject({ id: iso2022Id, theme: Theme, title: text, asks: text }));
const IsoClausesFile = CatalogueFile(z.strictObject({ id: clauseId, title: text, asks: text }));
const Iso2013File = CatalogueFile(z.strictObject({ id: iso2013Id, title: text, mapsTo: z.array(iso2022Id).min(1, 'must name at least one 2022 control') }));
const MappingsFile = z.strictObject({
  note: text,
  links: z.array(
    z.strictObject({
      from: RequirementRef,
      to: z.partialRecord(Framework, z.array(z.string().min(1)).min(1)),
      why: text,
    }),
  ),
});

export interface CatalogueData {
  pdpo: unknown;
  gdpr: unknown;
  iso27001: unknown;
  iso2013: unknown;
  mappings: unknown;
  /** ISO/IEC 27001:2022 clauses gaps may cite (none when absent). */
  isoClauses?: unknown;
}

export interface Catalogues {
  names: Readonly<Record<CatalogueName, string>>;
  requirements: Readonly<Record<Framework, readonly Requirement[]>>;
  /** ISO/IEC 27001:2022 clauses (framework iso27001), apart from the Annex A controls. */
  isoClauses: readonly Requirement[];
  controls2013: readonly Control2013[];
  /** Each requirement's linked requirements, in both directions, by refKey. */
  links: ReadonlyMap<string, readonly RequirementRef[]>;
}

const refKey = (ref: RequirementRef) => `${ref.framework}:${ref.id}`;

/** Parses and cross-checks the catalogue files; throws naming every problem (the data ships with the code, so a problem is ours). */
export function loadCatalogues(data: CatalogueData): Catalogues {
  const problems: string[] = [];
  const parse = <T>(file: string, schema: z.ZodType<T>, value: unknown): T | undefined => {
    const result = schema.safeParse(value);
    if (!result.success) problems.push(...result.error.issues.map((i) => `${file}: ${i.path.join('.') || '(file)'}: ${i.message}`));
    return result.success ? result.data : undefined;
  };
  const pdpo = parse('pdpo.json', PdpoFile, data.pdpo);
  const gdpr = parse('gdpr.json', GdprFile, data.gdpr);
  const iso = parse('iso27001-2022.json', Iso2022File, data.iso27001);
  const iso2013 = parse('iso27001-2013.json', Iso2013File, data.iso2013);
  const mappings = parse('mappings.json', MappingsFile, data.mappings);
  const clauses = data.isoClauses === undefined ? { name: 'ISO/IEC 27001:2022 clauses', entries: [] } : parse('iso27001-2022-clauses.json', IsoClausesFile, data.isoClauses);
  if (!pdpo || !gdpr || !iso || !iso2013 || !mappings || !clauses) throw new Error(`catalogue data: ${problems.join('; ')}`);

  const requirements: Record<Framework, Requirement[]> = {
    pdpo: pdpo.entries.map((e) => ({ framework: 'pdpo', ...e })),
    gdpr: gdpr.entries.map((e) => ({ framework: 'gdpr', ...e })),
    iso27001: iso.entries.map((e) => ({ framework: 'iso27001', ...e })),
  };
  const isoClauses: Requirement[] = clauses.entries.map((e) => ({ framework: 'iso27001', ...e }));
  const known = new Set<string>();
  for (const r of [...Object.values(requirements).flat(), ...isoClauses]) {
    if (known.has(refKey(r))) problems.push(`${r.framework}: ${r.id} is listed twice`);
    known.add(refKey(r));
  }
  problems.push(...themeProblems(requirements.iso27001));

  const ids2013 = new Set<string>();
  for (const c of iso2013.entries) {
    if (ids2013.has(c.id)) problems.push(`iso27001-2013: ${c.id} is listed twice`);
    ids2013.add(c.id);
    for (const target of c.mapsTo) if (!known.has(`iso27001:${target}`)) problems.push(`iso27001-2013: ${c.id} maps to ${target}, which is not a 2022 control`);
  }

  const links = new Map<string, RequirementRef[]>();
  const link = (a: RequirementRef, b: RequirementRef) => {
    const list = links.get(refKey(a)) ?? [];
    if (!list.some((r) => refKey(r) === refKey(b))) list.push(b);
    links.set(refKey(a), list);
  };
  for (const l of mappings.links) {
    if (!known.has(refKey(l.from))) problems.push(`mappings: ${refKey(l.from)} does not exist`);
    for (const [framework, ids] of Object.entries(l.to) as [Framework, string[]][]) {
      for (const id of ids) {
        const to = { framework, id };
        if (!known.has(refKey(to))) problems.push(`mappings: ${refKey(l.from)} links to ${refKey(to)}, which does not exist`);
        else if (refKey(to) === refKey(l.from)) problems.push(`mappings: ${refKey(l.from)} links to itself`);
        link(l.from, to);
        link(to, l.from);
      }
    }
  }
  if (problems.length > 0) throw new Error(`catalogue data: ${problems.join('; ')}`);

  return {
    names: { pdpo: pdpo.name, gdpr: gdpr.name, iso27001: iso.name, 'iso27001-2013': iso2013.name, 'iso27001-clauses': clauses.name },
    requirements,
    isoClauses,
    controls2013: iso2013.entries,
    links,
  };
}

/** Each 2022 control sits in the theme its first number names, numbered 1, 2, 3... without gaps. */
function themeProblems(controls: readonly Requirement[]): string[] {
  const problems: string[] = [];
  const next = new Map<Theme, number>();
  for (const c of controls) {
    const [, theme, number] = c.id.split('.').map(Number);
    if (!c.theme || theme !== THEME_NUMBER[c.theme]) {
      problems.push(`iso27001: ${c.id} is not in theme ${c.theme}`);
      continue;
    }
    const expected = next.get(c.theme) ?? 1;
    if (number !== expected) problems.push(`iso27001: ${c.id} out of order (expected A.${theme}.${expected})`);
    next.set(c.theme, (number ?? 0) + 1);
  }
  return problems;
}

const CATALOGUES = loadCatalogues({ pdpo: pdpoData, gdpr: gdprData, iso27001: iso2022Data, iso2013: iso2013Data, mappings: mappingsData, isoClauses: isoClausesData });
const BY_REF = new Map([...Object.values(CATALOGUES.requirements).flat(), ...CATALOGUES.isoClauses].map((r) => [refKey(r), r]));
const BY_2013_ID = new Map(CATALOGUES.controls2013.map((c) => [c.id, c]));

/** The requirements of one framework, in their catalogue's order (for ISO/IEC 27001, the 93 Annex A controls; its clauses are found by `requirement`). */
export function requirements(framework: Framework): readonly Requirement[] {
  return CATALOGUES.requirements[framework];
}

/** The requirement a reference names, or undefined. */
export function requirement(ref: RequirementRef): Requirement | undefined {
  return BY_REF.get(refKey(ref));
}

export function requirementExists(ref: RequirementRef): boolean {
  return BY_REF.has(refKey(ref));
}

/** The requirements linked to this one (in the other catalogues, and the PCPD guidance that goes with a PDPO principle), in the order of the data. */
export function related(ref: RequirementRef): RequirementRef[] {
  return [...(CATALOGUES.links.get(refKey(ref)) ?? [])];
}

/** The 114 controls of ISO/IEC 27001:2013 Annex A with their 2022 counterparts. */
export function controls2013(): readonly Control2013[] {
  return CATALOGUES.controls2013;
}

/** A 2013 control by its id in the project's form ("A.12.4.1"), or undefined. */
export function control2013(id: string): Control2013 | undefined {
  return BY_2013_ID.get(id);
}

/** The catalogue's full name, e.g. "ISO/IEC 27001:2022 Annex A". */
export function catalogueTitle(name: CatalogueName): string {
  return CATALOGUES.names[name];
}

/** The lines `compliance catalogue NAME` lists: { id, title, theme? (2022), mapsTo? (2013), status? (PDPO) }. */
export function catalogueRows(name: CatalogueName): CatalogueRow[] {
  if (name === 'iso27001-2013') return CATALOGUES.controls2013.map((c) => ({ id: c.id, title: c.title, mapsTo: [...c.mapsTo] }));
  if (name === 'iso27001-clauses') return CATALOGUES.isoClauses.map((r) => ({ id: r.id, title: r.title }));
  return CATALOGUES.requirements[name].map((r) => ({
    id: r.id,
    title: r.title,
    ...(r.theme ? { theme: r.theme } : {}),
    ...(r.status ? { status: r.status } : {}),
  }));
}

/** "PDPO DPP4", "GDPR Art.32", "ISO/IEC 27001:2022 A.8.24": a reference as people read it. */
export function describeRef(ref: RequirementRef): string {
  return `${FRAMEWORK_LABEL[ref.framework] ?? ref.framework} ${ref.id}`;
}

const FRAMEWORK_LABEL: Readonly<Record<Framework, string>> = { pdpo: 'PDPO', gdpr: 'GDPR', iso27001: 'ISO/IEC 27001:2022' };
