// The requirement catalogues: complete, internally consistent, and the control ids
// an organisation writes (2022 or 2013) resolved as the published correspondence says.
import { describe, expect, it } from 'vitest';
import {
  CatalogueName,
  KnownRequirementRef,
  RequirementRef,
  catalogueRows,
  control2013,
  controls2013,
  describeRef,
  loadCatalogues,
  related,
  requirement,
  requirementExists,
  requirements,
  type CatalogueData,
  type Framework,
} from '../lib/domain/catalogues/catalogues.ts';
import { resolveControlId } from '../lib/domain/catalogues/control-id.ts';
import { RULES } from '../lib/domain/gaps/rules.ts';
import pdpo from '../lib/domain/catalogues/data/pdpo.json' with { type: 'json' };
import gdpr from '../lib/domain/catalogues/data/gdpr.json' with { type: 'json' };
import iso27001 from '../lib/domain/catalogues/data/iso27001-2022.json' with { type: 'json' };
import iso2013 from '../lib/domain/catalogues/data/iso27001-2013.json' with { type: 'json' };
import mappings from '../lib/domain/catalogues/data/mappings.json' with { type: 'json' };

const iso = (id: string) => ({ framework: 'iso27001', id }) as const;
const FRAMEWORKS: Framework[] = ['pdpo', 'gdpr', 'iso27001'];

describe('ISO/IEC 27001:2022 Annex A', () => {
  const controls = requirements('iso27001');

  it('holds 93 controls: 37 organizational, 8 people, 14 physical, 34 technological', () => {
    expect(controls).toHaveLength(93);
    const byTheme = Object.groupBy(controls, (c) => c.theme ?? 'none');
    expect(Object.fromEntries(Object.entries(byTheme).map(([theme, list]) => [theme, list?.length]))).toEqual({
      organizational: 37,
      people: 8,
      physical: 14,
      technological: 34,
    });
  });

  it('numbers each theme from 1 without gaps, in the A.8.24 form', () => {
    const expected = [
      ...Array.from({ length: 37 }, (_, i) => `A.5.${i + 1}`),
      ...Array.from({ length: 8 }, (_, i) => `A.6.${i + 1}`),
      ...Array.from({ length: 14 }, (_, i) => `A.7.${i + 1}`),
      ...Array.from({ length: 34 }, (_, i) => `A.8.${i + 1}`),
    ];
    expect(controls.map((c) => c.id)).toEqual(expected);
  });

  it('gives every control a title and what it asks', () => {
    for (const c of controls) {
      expect(c.title.length, c.id).toBeGreaterThan(2);
      expect(c.asks.length, c.id).toBeGreaterThan(20);
    }
  });
});

describe('ISO/IEC 27001:2013 Annex A and its 2022 counterparts', () => {
  const old = controls2013();

  it('holds the 114 controls of 2013, 14 categories A.5 to A.18', () => {
    expect(old).toHaveLength(114);
    expect(new Set(old.map((c) => c.id)).size).toBe(114);
    const perCategory = Object.fromEntries(Object.entries(Object.groupBy(old, (c) => c.id.split('.')[1]!)).map(([k, v]) => [k, v?.length]));
    expect(perCategory).toEqual({ 5: 2, 6: 7, 7: 6, 8: 10, 9: 14, 10: 2, 11: 15, 12: 14, 13: 7, 14: 13, 15: 5, 16: 7, 17: 4, 18: 8 });
  });

  it('maps every 2013 control to at least one 2022 control, and every target exists', () => {
    for (const c of old) {
      expect(c.mapsTo.length, c.id).toBeGreaterThan(0);
      for (const target of c.mapsTo) expect(requirementExists(iso(target)), `${c.id} -> ${target}`).toBe(true);
    }
  });

  it('leaves exactly the eleven controls new in 2022 without a 2013 predecessor', () => {
    const reached = new Set(old.flatMap((c) => c.mapsTo));
    const unreached = requirements('iso27001').filter((c) => !reached.has(c.id)).map((c) => c.id);
    expect(unreached).toEqual(['A.5.7', 'A.5.23', 'A.5.30', 'A.7.4', 'A.8.9', 'A.8.10', 'A.8.11', 'A.8.12', 'A.8.16', 'A.8.23', 'A.8.28']);
  });

  it('follows the published correspondence at the places people ask about', () => {
    expect(control2013('A.12.4.1')?.mapsTo).toEqual(['A.8.15']);
    expect(control2013('A.13.2.1')?.mapsTo).toEqual(['A.5.14']);
    expect(control2013('A.6.2.1')?.mapsTo).toEqual(['A.8.1']);
    expect(control2013('A.11.2.5')?.mapsTo).toEqual(['A.7.10']);
    expect(control2013('A.18.2.3')?.mapsTo).toEqual(['A.5.36', 'A.8.8']);
    expect(old.filter((c) => c.mapsTo.length > 1).map((c) => c.id)).toEqual(['A.18.2.3']);
  });
});

describe('PDPO and GDPR', () => {
  it('holds the six Data Protection Principles and the PCPD cross-border guidance and model clauses', () => {
    const ids = requirements('pdpo').map((r) => r.id);
    expect(ids).toEqual(expect.arrayContaining(['DPP1', 'DPP2', 'DPP3', 'DPP4', 'DPP5', 'DPP6', 'PCPD-XB-GUIDANCE', 'PCPD-XB-MODEL-CLAUSES']));
    for (const id of ['DPP1', 'DPP2', 'DPP3', 'DPP4', 'DPP5', 'DPP6']) expect(requirement({ framework: 'pdpo', id })?.status).toBe('in-force');
    expect(requirement({ framework: 'pdpo', id: 'PCPD-XB-GUIDANCE' })?.status).toBe('guidance');
    expect(requirement({ framework: 'pdpo', id: 'PCPD-XB-MODEL-CLAUSES' })?.status).toBe('guidance');
  });

  it('says that section 33, the cross-border prohibition, is not in force', () => {
    const s33 = requirement({ framework: 'pdpo', id: 's.33' });
    expect(s33?.status).toBe('not-in-force');
    expect(s33?.title).toMatch(/not in force/);
    expect(s33?.note).toMatch(/never brought into force/);
  });

  it('holds the GDPR articles a gap analysis cites', () => {
    const ids = requirements('gdpr').map((r) => r.id);
    const wanted = ['Art.5', 'Art.6', 'Art.9', 'Art.13', 'Art.14', 'Art.24', 'Art.25', 'Art.28', 'Art.30', 'Art.32', 'Art.33', 'Art.34', 'Art.35', 'Art.37'];
    for (let n = 44; n <= 49; n++) wanted.push(`Art.${n}`);
    expect(ids).toEqual(expect.arrayContaining(wanted));
  });
});

describe('links between catalogues', () => {
  it('every link names requirements that exist, in both directions', () => {
    for (const framework of FRAMEWORKS) {
      for (const r of requirements(framework)) {
        for (const other of related(r)) {
          expect(requirementExists(other), `${describeRef(r)} -> ${describeRef(other)}`).toBe(true);
          expect(related(other), `${describeRef(other)} links back to ${describeRef(r)}`).toContainEqual({ framework: r.framework, id: r.id });
        }
      }
    }
  });

  it('every link in the data file names requirements that exist', () => {
    for (const link of mappings.links) {
      expect(requirementExists(RequirementRef.parse(link.from)), JSON.stringify(link.from)).toBe(true);
      for (const [framework, ids] of Object.entries(link.to)) {
        for (const id of ids) expect(requirementExists(RequirementRef.parse({ framework, id })), `${framework}:${id}`).toBe(true);
      }
    }
  });

  it('DPP4 relates to encryption, information transfer and GDPR security; and back', () => {
    const dpp4 = related({ framework: 'pdpo', id: 'DPP4' });
    expect(dpp4).toEqual(expect.arrayContaining([iso('A.8.24'), iso('A.5.14'), { framework: 'gdpr', id: 'Art.32' }]));
    expect(related(iso('A.8.24'))).toContainEqual({ framework: 'pdpo', id: 'DPP4' });
  });

  it('DPP3 relates to GDPR Art.44 to 49 and the PCPD cross-border entries', () => {
    const dpp3 = related({ framework: 'pdpo', id: 'DPP3' });
    for (let n = 44; n <= 49; n++) expect(dpp3).toContainEqual({ framework: 'gdpr', id: `Art.${n}` });
    expect(dpp3).toEqual(expect.arrayContaining([{ framework: 'pdpo', id: 'PCPD-XB-GUIDANCE' }, { framework: 'pdpo', id: 'PCPD-XB-MODEL-CLAUSES' }]));
  });

  it('every PDPO principle relates to something in the other catalogues', () => {
    for (let n = 1; n <= 6; n++) expect(related({ framework: 'pdpo', id: `DPP${n}` }).some((r) => r.framework !== 'pdpo')).toBe(true);
  });

  it('an unknown reference relates to nothing', () => {
    expect(related({ framework: 'gdpr', id: 'Art.999' })).toEqual([]);
  });
});

describe('requirement references', () => {
  it('RequirementRef checks the shape; KnownRequirementRef also that the requirement exists', () => {
    expect(RequirementRef.safeParse({ framework: 'iso27001', id: 'A.9.9' }).success).toBe(true);
    expect(RequirementRef.safeParse({ framework: 'nist', id: 'AC-1' }).success).toBe(false);
    expect(RequirementRef.safeParse({ framework: 'gdpr', id: 'Art.5', extra: 1 }).success).toBe(false);
    expect(KnownRequirementRef.safeParse({ framework: 'gdpr', id: 'Art.32' }).success).toBe(true);
    const unknown = KnownRequirementRef.safeParse({ framework: 'iso27001', id: 'A.9.9' });
    expect(unknown.success).toBe(false);
    expect(unknown.error?.issues[0]?.message).toBe('no such requirement: ISO/IEC 27001:2022 A.9.9');
  });

  it('requirementExists knows each catalogue, and only it', () => {
    expect(requirementExists({ framework: 'pdpo', id: 'DPP4' })).toBe(true);
    expect(requirementExists({ framework: 'gdpr', id: 'DPP4' })).toBe(false);
    expect(requirementExists(iso('A.8.34'))).toBe(true);
    expect(requirementExists(iso('A.8.35'))).toBe(false);
    expect(requirementExists(iso('A.12.4.1'))).toBe(false); // a 2013 id is not a requirement: resolve it first
  });
});

describe('resolveControlId: a control id as an organisation writes it', () => {
  it('reads two-part ids as 2022 controls, in any of the usual spellings', () => {
    for (const written of ['A.5.15', '5.15', 'a 5.15', 'a.5.15', ' A5.15 ']) expect(resolveControlId(written)).toEqual({ ok: true, id: 'A.5.15' });
    expect(resolveControlId('A.5.1')).toEqual({ ok: true, id: 'A.5.1' }); // the 2022 control, not the 2013 category
  });

  it('resolves a 2013 id to its 2022 control when there is exactly one', () => {
    expect(resolveControlId('A.12.4.1')).toEqual({ ok: true, id: 'A.8.15', from2013: 'A.12.4.1' });
    expect(resolveControlId('13.2.1')).toEqual({ ok: true, id: 'A.5.14', from2013: 'A.13.2.1' });
    expect(resolveControlId('a 9.1.1')).toEqual({ ok: true, id: 'A.5.15', from2013: 'A.9.1.1' });
  });

  it('resolves every one-to-one 2013 control', () => {
    for (const c of controls2013().filter((c) => c.mapsTo.length === 1)) expect(resolveControlId(c.id)).toEqual({ ok: true, id: c.mapsTo[0], from2013: c.id });
  });

  it('refuses a 2013 id with several 2022 counterparts, naming them', () => {
    expect(resolveControlId('A.18.2.3')).toEqual({
      ok: false,
      reason: 'A.18.2.3 (2013) maps to several 2022 controls (A.5.36, A.8.8): write one of them',
      candidates: ['A.5.36', 'A.8.8'],
    });
  });

  it('refuses ids that exist in neither edition', () => {
    expect(resolveControlId('A.12.4.9')).toEqual({
      ok: false,
      reason: '"A.12.4.9" is not an ISO/IEC 27001 Annex A control: not a 2022 control (A.5.1 to A.8.34) nor a 2013 one (A.5.1.1 to A.18.2.3)',
    });
    expect(resolveControlId('A.5.38')).toEqual({ ok: false, reason: '"A.5.38" is not an ISO/IEC 27001:2022 Annex A control (A.5.1 to A.8.34)' });
    expect(resolveControlId('A.12.4')).toMatchObject({ ok: false, reason: expect.stringContaining('A.12.4 was a 2013 category: write one of its controls (A.12.4.1, A.12.4.2, A.12.4.3, A.12.4.4)') });
    expect(resolveControlId('access control')).toMatchObject({ ok: false, reason: expect.stringContaining('is not an ISO/IEC 27001 Annex A control id') });
  });
});

describe('catalogueRows: what `compliance catalogue` lists', () => {
  it('lists each catalogue with id and title; theme for 2022, mapsTo for 2013, status for the PDPO', () => {
    expect(catalogueRows('iso27001')[23]).toEqual({ id: 'A.5.24', title: 'Planning for security incidents', theme: 'organizational' });
    expect(catalogueRows('iso27001-2013').find((r) => r.id === 'A.12.4.1')).toEqual({ id: 'A.12.4.1', title: 'Event logs', mapsTo: ['A.8.15'] });
    expect(catalogueRows('pdpo').find((r) => r.id === 's.33')).toMatchObject({ status: 'not-in-force' });
    expect(Object.keys(catalogueRows('gdpr')[0]!)).toEqual(['id', 'title']);
    expect(CatalogueName.options.map((n) => catalogueRows(n).length)).toEqual([requirements('pdpo').length, requirements('gdpr').length, 93, 114, 1]);
  });

  it('lists every ISO/IEC 27001 clause a gap rule cites under iso27001-clauses', () => {
    const cited = new Set(Object.values(RULES).flatMap((r) => r.requirements).filter((ref) => ref.framework === 'iso27001' && !ref.id.startsWith('A.')).map((ref) => ref.id));
    expect(cited.size).toBeGreaterThan(0);
    expect(catalogueRows('iso27001-clauses').map((r) => r.id)).toEqual(expect.arrayContaining([...cited]));
  });
});

describe('loadCatalogues: the data is checked when it loads', () => {
  const data = (): CatalogueData => structuredClone({ pdpo, gdpr, iso27001, iso2013, mappings });

  it('accepts the data as shipped', () => {
    expect(() => loadCatalogues(data())).not.toThrow();
  });

  it('refuses a 2013 control mapped to a 2022 control that does not exist, or to none', () => {
    const d = data() as { iso2013: typeof iso2013 };
    d.iso2013.entries[0]!.mapsTo = ['A.5.99'];
    d.iso2013.entries[1]!.mapsTo = [];
    expect(() => loadCatalogues(d as CatalogueData)).toThrow(/iso27001-2013\.json: entries\.1\.mapsTo: must name at least one 2022 control/);
    d.iso2013.entries[1]!.mapsTo = ['A.5.1'];
    expect(() => loadCatalogues(d as CatalogueData)).toThrow('iso27001-2013: A.5.1.1 maps to A.5.99, which is not a 2022 control');
  });

  it('refuses a link to a requirement that does not exist', () => {
    const d = data() as { mappings: { links: { to: Record<string, string[]> }[] } };
    d.mappings.links[0]!.to = { gdpr: ['Art.999'] };
    expect(() => loadCatalogues(d as CatalogueData)).toThrow('mappings: pdpo:DPP1 links to gdpr:Art.999, which does not exist');
  });

  it('refuses a 2022 control in the wrong theme, a gap in the numbering, and an unknown field', () => {
    const d = data() as { iso27001: { entries: Record<string, string>[] } };
    d.iso27001.entries[0]!.theme = 'people';
    d.iso27001.entries.splice(5, 1);
    expect(() => loadCatalogues(d as CatalogueData)).toThrow(/A\.5\.1 is not in theme people.*A\.5\.7 out of order \(expected A\.5\.6\)/);
    d.iso27001.entries[1]!.colour = 'red';
    expect(() => loadCatalogues(d as CatalogueData)).toThrow(/iso27001-2022\.json: entries\.1: Unrecognized key/);
  });
});
