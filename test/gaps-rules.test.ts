// The gap rules, the three-factor risk and the gaps' lifecycle, on small hand-made
// organisations: each rule fires when it should and is silent when the capability,
// basis or record covers it.
import { describe, expect, it } from 'vitest';
import { buildSourceEntry, DataMap, failedSource } from '../lib/domain/datamap/datamap.ts';
import { analysisInputOf } from './support/gaps.ts';
import { groupHash } from '../lib/domain/detect/mask.ts';
import { frameworkScores, reconcile } from '../lib/domain/gaps/lifecycle.ts';
import type { Gap } from '../lib/domain/gaps/gap.ts';
import { analyse, groupSubjectId, RULES, type AnalysisInput } from '../lib/domain/gaps/rules.ts';
import { assessRisk } from '../lib/domain/gaps/risk.ts';
import { OrgFile } from '../lib/domain/org/org.ts';
import { requirement, requirementExists, requirements } from '../lib/domain/catalogues/catalogues.ts';
import type { Platform } from '../lib/domain/org/platform.ts';
import type { PeopleFinding } from '../lib/domain/datamap/residency.ts';
import { formatAnalysis } from '../lib/cli/gaps-output.ts';

const KEY = 'gap-test-hash-key-0123';
const coverage = { bytesRead: 10, bytesTotal: 10, truncated: false };

const PLATFORMS: Record<string, Partial<Platform>> = {
  'dingtalk-standard': { name: 'DingTalk standard', storage: { region: 'cn-hangzhou', provider: 'alibaba' }, e2ee: 'none', auditLog: 'none', externalSharing: 'open' },
  'dingtalk-exclusive': { name: 'DingTalk Exclusive Cloud HK', storage: { region: 'cn-hongkong', provider: 'alibaba' }, e2ee: 'default', auditLog: 'api', siem: true, externalSharing: 'restricted', retentionDays: 365 },
  teams: { name: 'Microsoft Teams', storage: { region: 'eastasia', provider: 'azure' }, e2ee: 'optional', auditLog: 'api', siem: true, externalSharing: 'restricted', retentionDays: 730 },
};

/** An organisation with one source on `platform`, as the file declares it. */
function org(platform: string, source: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  return OrgFile.parse({
    organisation: { id: 'kowloon-co', name: 'Kowloon Co', complianceContact: 'carol' },
    people: [
      { id: 'carol', name: 'Carol', email: 'carol@kowloon.example', role: 'legal' },
      { id: 'fiona', name: 'Fiona', email: 'fiona@kowloon.example', role: 'finance' },
      { id: 'frank', name: 'Frank', email: 'frank@kowloon.example', role: 'frontline' },
    ],
    // Every Annex A control decided (A.8.15 applicable, the rest not), so soa-undecided stays silent but where a test says otherwise.
    controls: [
      { id: 'A.8.15', title: 'Logging', owner: 'carol' },
      ...requirements('iso27001')
        .filter((r) => r.id !== 'A.8.15')
        .map((r) => ({ id: r.id, applicable: false, justification: 'Out of the scope of this test organisation' })),
    ],
    platforms: Object.entries(PLATFORMS).map(([id, p]) => ({ id, ...p })),
    sources: [{ id: 'payroll', name: 'Payroll chat', platform, kind: 'chat-table', path: '/x.csv', ...source }],
    ...extra,
  });
}

/** A data map with the payroll source rated red by HK identifiers and payroll words, in group "Payroll"
 * (whose people: the HK identity numbers, unless `people` says otherwise). */
function dataMap(storage: { region: string; provider?: 'alibaba' | 'azure' }, counts: Record<string, number> = { hk_id: 3, payroll: 2 }, transferBasis?: string[], people?: PeopleFinding[]) {
  const entry = buildSourceEntry({
    id: 'payroll',
    platform: 'x',
    storage,
    ...(transferBasis ? { transferBasis: transferBasis as never } : {}),
    groups: [{ group: 'Payroll', groupHash: groupHash(KEY, 'Payroll'), counts }],
    people: people ?? [{ type: 'hk_id' as const, count: counts.hk_id ?? 0 }].filter((p) => p.count > 0),
    coverage,
  });
  return DataMap.parse({ orgId: 'kowloon-co', scanId: 'data-mapping-scan-kowloon-co-2026-11', scannedAt: '2026-11-01T02:00:00Z', sources: [entry] });
}

function input(file: ReturnType<typeof org>, map: DataMap, evidence: AnalysisInput['evidence'] = [{ id: 'ev-1', control: 'A.8.15', status: 'current' }]): AnalysisInput {
  return analysisInputOf(file, map, KEY, evidence);
}

const rulesFired = (i: AnalysisInput) => analyse(i).findings.map((f) => f.id);

describe('gap rules', () => {
  it('a Statement of Applicability that leaves controls undecided: one soa-undecided gap for the organisation, listing them', () => {
    const file = org('teams', {}, {});
    const partial = { ...file, controls: file.controls.filter((c) => c.id !== 'A.7.5' && c.id !== 'A.5.2') };
    const gap = analyse(input(partial, dataMap({ region: 'eastasia', provider: 'azure' }))).findings.find((f) => f.rule === 'soa-undecided');
    expect(gap).toMatchObject({ id: 'soa-undecided:organisation:kowloon-co', severity: 'medium', facts: { undecided: 2, controls: ['A.5.2', 'A.7.5'] }, owner: 'carol' });
    expect(rulesFired(input(file, dataMap({ region: 'eastasia', provider: 'azure' })))).not.toContain('soa-undecided:organisation:kowloon-co');
  });

  it('red payroll data on a mainland standard tenant: every rule that applies fires, with its requirements and an owner', () => {
    const result = analyse(input(org('dingtalk-standard'), dataMap({ region: 'cn-hangzhou', provider: 'alibaba' })));
    expect(result.findings.map((f) => f.id)).toEqual([
      'cross-border-without-basis:source:payroll',
      'external-sharing-open:source:payroll',
      'no-audit-log:platform:dingtalk-standard',
      'no-processing-record:source:payroll',
      'no-retention-limit:source:payroll',
      'platform-unfit-for-tier:source:payroll',
      'red-without-e2ee:source:payroll',
    ]);
    const xb = result.findings.find((f) => f.rule === 'cross-border-without-basis')!;
    expect(xb).toMatchObject({ severity: 'high', owner: 'carol', subject: { kind: 'source', id: 'payroll' } });
    expect(xb.facts).toMatchObject({ storage: 'CN', flows: [{ from: 'HK', to: 'CN' }] });
    // No EU people: the GDPR transfer articles are not cited.
    expect(xb.requirements.map((r) => `${r.framework} ${r.id}`)).toEqual(['pdpo DPP3', 'pdpo PCPD-XB-GUIDANCE', 'pdpo PCPD-XB-MODEL-CLAUSES', 'iso27001 A.5.14']);
    expect(result.findings.find((f) => f.rule === 'no-audit-log')).toMatchObject({ severity: 'high', facts: { auditLog: 'none', redSources: ['payroll'] } });
  });

  it('the same data on an encrypted Hong Kong tenant with a record of processing: silent', () => {
    const file = org('dingtalk-exclusive', { processing: { purpose: 'Pay staff', lawfulBasis: 'contract', retentionDays: 2555 } });
    expect(rulesFired(input(file, dataMap({ region: 'cn-hongkong', provider: 'alibaba' })))).toEqual([]);
  });

  it('a declared transfer basis covers the cross-border flow; a platform retention limit covers retention', () => {
    const file = org('teams', { transferBasis: ['contract-clauses'] });
    const ids = rulesFired(input(file, dataMap({ region: 'cn-hangzhou', provider: 'alibaba' }, undefined, ['contract-clauses'])));
    expect(ids).not.toContain('cross-border-without-basis:source:payroll');
    expect(ids).not.toContain('no-retention-limit:source:payroll');
    expect(ids).toContain('red-without-e2ee:source:payroll'); // Teams: e2ee optional, not default
  });

  it('an audit log that does not reach the SIEM is a medium gap on the platform', () => {
    const file = org('teams');
    file.platforms.find((p) => p.id === 'teams')!.siem = false;
    const found = analyse(input(file, dataMap({ region: 'eastasia', provider: 'azure' }))).findings.find((f) => f.rule === 'no-audit-log');
    expect(found).toMatchObject({ id: 'no-audit-log:platform:teams', severity: 'medium', facts: { auditLog: 'api', siem: false } });
  });

  it('health data needs a special-category condition, even with a record of processing', () => {
    const file = org('dingtalk-exclusive', { processing: { purpose: 'Sick leave', lawfulBasis: 'contract', retentionDays: 365 } });
    const map = dataMap({ region: 'cn-hongkong', provider: 'alibaba' }, { hk_id: 1, health: 2 });
    expect(rulesFired(input(file, map))).toEqual(['special-category-without-condition:source:payroll']);
    const covered = org('dingtalk-exclusive', { processing: { purpose: 'Sick leave', lawfulBasis: 'contract', specialCategoryCondition: 'employment-law', retentionDays: 365 } });
    expect(rulesFired(input(covered, map))).toEqual([]);
  });

  it('a red group with external members, found through the keyed hash of its declared name', () => {
    const groups = [{ source: 'payroll', name: 'Payroll', owner: 'fiona', members: ['fiona'], externalMembers: 2 }];
    const file = org('dingtalk-exclusive', { processing: { purpose: 'Pay', lawfulBasis: 'contract', retentionDays: 365 } }, { groups });
    const found = analyse(input(file, dataMap({ region: 'cn-hongkong', provider: 'alibaba' }))).findings;
    const id = `red-group-external-members:group:${groupSubjectId({ source: 'payroll', nameHash: groupHash(KEY, 'Payroll') })}`;
    expect(found.map((f) => f.id)).toEqual([id]);
    expect(found[0]).toMatchObject({ owner: 'fiona', facts: { externalMembers: 2, rating: 'red' } });
    expect(id).not.toContain('Payroll');
    const internal = org('dingtalk-exclusive', { processing: { purpose: 'Pay', lawfulBasis: 'contract', retentionDays: 365 } }, { groups: [{ ...groups[0], externalMembers: 0 }] });
    expect(rulesFired(input(internal, dataMap({ region: 'cn-hongkong', provider: 'alibaba' })))).toEqual([]);
  });

  it('a source the scan could not read is not assessed, never clean', () => {
    const file = org('dingtalk-exclusive');
    const map = DataMap.parse({ orgId: 'kowloon-co', scanId: 's', scannedAt: '2026-11-01T02:00:00Z', sources: [failedSource('payroll', 'x', 'cannot read /x.csv: no such file')] });
    const found = analyse(input(file, map)).findings;
    expect(found.map((f) => f.id)).toEqual(['source-not-assessed:source:payroll']);
    expect(found[0]?.facts).toMatchObject({ status: 'failed' });
  });

  it('a control in scope with only lapsed evidence', () => {
    const file = org('dingtalk-exclusive', { processing: { purpose: 'Pay', lawfulBasis: 'contract', retentionDays: 365 } });
    const found = analyse(input(file, dataMap({ region: 'cn-hongkong', provider: 'alibaba' }), [{ id: 'ev-1', control: 'A.8.15', status: 'lapsed' }])).findings;
    expect(found).toEqual([expect.objectContaining({ id: 'control-without-current-evidence:control:A.8.15', severity: 'low', owner: 'carol', requirements: [{ framework: 'iso27001', id: 'A.8.15' }] })]);
  });

  it('an applicable control the SoA says is not implemented (medium), or only planned or in part (low); implemented or not stated: none', () => {
    const file = org('dingtalk-exclusive', { processing: { purpose: 'Pay', lawfulBasis: 'contract', retentionDays: 365 } });
    const stating = (implementation?: string) => ({ ...file, controls: file.controls.map((c) => (c.id === 'A.8.15' ? { ...c, ...(implementation ? { implementation } : {}) } : c)) }) as typeof file;
    const gapOf = (implementation?: string) => analyse(input(stating(implementation), dataMap({ region: 'cn-hongkong', provider: 'alibaba' }))).findings.filter((f) => f.rule === 'control-not-implemented');
    expect(gapOf('not-implemented')).toEqual([
      expect.objectContaining({
        id: 'control-not-implemented:control:A.8.15',
        severity: 'medium',
        owner: 'carol',
        requirements: [{ framework: 'iso27001', id: 'A.8.15' }],
        facts: { implementation: 'not-implemented' },
        remedy: 'implement A.8.15 Logging, or put it in the risk treatment plan (ISO/IEC 27001 6.1.3 e)) and state implementation: planned',
      }),
    ]);
    expect(gapOf('planned').map((f) => [f.severity, f.remedy])).toEqual([['low', 'complete the planned implementation of A.8.15 Logging, then state implementation: implemented']]);
    expect(gapOf('partial').map((f) => [f.severity, f.facts])).toEqual([['low', { implementation: 'partial' }]]);
    expect(gapOf('implemented')).toEqual([]);
    expect(gapOf(undefined)).toEqual([]);
  });
});

describe('cross-border transfers of a Hong Kong data user', () => {
  const processing = { processing: { purpose: 'Pay staff', lawfulBasis: 'contract', retentionDays: 2555 } };
  const gbaPlatform = { id: 'dingtalk-gba', name: 'DingTalk Exclusive Cloud Shenzhen', storage: { region: 'cn-shenzhen', provider: 'alibaba' }, e2ee: 'default', auditLog: 'api', siem: true, externalSharing: 'restricted', retentionDays: 365 };
  const xbOf = (i: AnalysisInput) => analyse(i).findings.find((f) => f.rule === 'cross-border-without-basis');

  it("mainland people's data kept in Hong Kong is no transfer out of Hong Kong: no gap, and no advice to move it to the mainland", () => {
    // A red tier from 6 up, so the platform's storage is weighed.
    const file = org('dingtalk-exclusive', processing, {
      organisation: { id: 'kowloon-co', name: 'Kowloon Co', complianceContact: 'carol', risk: { thresholds: { red: 6, amber: 2 } } },
      platforms: [...Object.entries(PLATFORMS).map(([id, p]) => ({ id, ...p })), gbaPlatform],
    });
    const map = dataMap({ region: 'cn-hongkong', provider: 'alibaba' }, { cn_resident_id: 2, payroll: 1 }, undefined, [{ type: 'cn_resident_id', count: 2 }]);
    const result = analyse(input(file, map));
    expect(result.findings.map((f) => f.id)).toEqual([]);
    const risk = result.risk.sources[0]!;
    expect(risk).toMatchObject({ tier: 'red', factors: { mobility: { level: 'low', score: 1 } } });
    expect(risk.recommendation).toBe('keep Payroll chat on DingTalk Exclusive Cloud HK');
    expect(risk.allowedPlatforms).toEqual(['dingtalk-exclusive']); // the Shenzhen tenant would transfer it out of Hong Kong
  });

  it('the remedy is a transfer basis or keeping the data in Hong Kong, never the people\'s own place, and names no OTHER', () => {
    const people: PeopleFinding[] = [{ type: 'hk_id', count: 1 }, { type: 'iban', country: 'GB', count: 1 }, { type: 'iban', country: 'DE', count: 1 }];
    const xb = xbOf(input(org('dingtalk-standard'), dataMap({ region: 'cn-hangzhou', provider: 'alibaba' }, { hk_id: 1, iban: 2 }, undefined, people)))!;
    expect(xb.facts).toMatchObject({ storage: 'CN', flows: [{ from: 'HK', to: 'CN' }, { from: 'EU/EEA', to: 'CN' }] });
    expect(xb.remedy).toMatch(/model clauses/);
    expect(xb.remedy).toMatch(/Greater Bay Area/);
    expect(xb.remedy).toMatch(/keep its data in Hong Kong/);
    expect(xb.remedy).not.toMatch(/OTHER|keep its data in (?!Hong Kong)/);
    // EU/EEA people: the GDPR's transfer articles too.
    expect(xb.requirements.map((r) => `${r.framework} ${r.id}`)).toEqual(['pdpo DPP3', 'pdpo PCPD-XB-GUIDANCE', 'pdpo PCPD-XB-MODEL-CLAUSES', 'gdpr Art.44', 'gdpr Art.46', 'iso27001 A.5.14']);
  });

  it('EU/EEA people\'s data held in Hong Kong is cited under the GDPR only, not as a transfer out of Hong Kong', () => {
    const xb = xbOf(input(org('dingtalk-exclusive', processing), dataMap({ region: 'cn-hongkong', provider: 'alibaba' }, { iban: 1 }, undefined, [{ type: 'iban', country: 'FR', count: 1 }])))!;
    expect(xb.facts).toMatchObject({ flows: [{ from: 'EU/EEA', to: 'HK' }] });
    expect(xb.requirements.map((r) => `${r.framework} ${r.id}`)).toEqual(['gdpr Art.44', 'gdpr Art.46', 'iso27001 A.5.14']);
    expect(xb.remedy).not.toMatch(/keep its data in/);
  });

  it('personal data stored outside Hong Kong is a transfer out of Hong Kong even when whose it is is unknown', () => {
    const file = org('teams', { ...processing, storage: { region: 'us-east-1' } });
    const result = analyse(input(file, dataMap({ region: 'us-east-1' }, { email: 4 }, undefined, [{ type: 'email', count: 4 }])));
    const xb = result.findings.find((f) => f.rule === 'cross-border-without-basis')!;
    expect(xb).toMatchObject({ severity: 'medium', facts: { storage: 'OTHER', storageCountry: 'US', flows: [{ from: 'HK', to: 'OTHER' }] } });
    expect(xb.requirements.map((r) => `${r.framework} ${r.id}`)).toEqual(['pdpo DPP3', 'pdpo PCPD-XB-GUIDANCE', 'pdpo PCPD-XB-MODEL-CLAUSES', 'iso27001 A.5.14']);
    expect(xb.remedy).toMatch(/United States/);
    expect(xb.remedy).not.toMatch(/OTHER/);
    const mobility = result.risk.sources[0]!.factors.mobility;
    expect(mobility).toMatchObject({ level: 'high', score: 3 });
    expect(mobility.reason).toContain('HK -> US');
    expect(mobility.reason).not.toContain('OTHER');
    // The same in Hong Kong: nothing transferred, and no claim about where its people are.
    const home = analyse(input(org('teams', processing), dataMap({ region: 'eastasia', provider: 'azure' }, { email: 4 }, undefined, [{ type: 'email', count: 4 }])));
    expect(home.findings.map((f) => f.rule)).not.toContain('cross-border-without-basis');
    expect(home.risk.sources[0]!.factors.mobility).toMatchObject({ level: 'low', score: 1 });
    expect(home.risk.sources[0]!.factors.mobility.reason).not.toMatch(/where its people are/);
  });

  it('an adequacy basis that does not apply leaves the flow uncovered, and the gap says why', () => {
    const people: PeopleFinding[] = [{ type: 'hk_id', count: 1 }, { type: 'iban', country: 'DE', count: 1 }];
    const file = org('dingtalk-standard', { transferBasis: ['adequacy'] });
    const xb = xbOf(input(file, dataMap({ region: 'cn-hangzhou', provider: 'alibaba' }, { hk_id: 1, iban: 1 }, ['adequacy'], people)))!;
    expect(xb.facts).toMatchObject({ flows: [{ from: 'HK', to: 'CN' }, { from: 'EU/EEA', to: 'CN' }] });
    expect(xb.facts.inapplicableBases).toEqual([
      { basis: 'adequacy', from: 'HK', to: 'CN', reason: expect.stringMatching(/PDPO has no adequacy/) },
      { basis: 'adequacy', from: 'EU/EEA', to: 'CN', reason: expect.stringMatching(/no EU adequacy decision for mainland China/) },
    ]);
    expect(xb.remedy).toMatch(/adequacy does not apply/);
    // Clauses cover both flows: no gap.
    const clauses = org('dingtalk-standard', { transferBasis: ['adequacy', 'contract-clauses'] });
    expect(xbOf(input(clauses, dataMap({ region: 'cn-hangzhou', provider: 'alibaba' }, { hk_id: 1, iban: 1 }, ['adequacy', 'contract-clauses'], people)))).toBeUndefined();
  });
});

describe('the GDPR only where EU/EEA people are found', () => {
  const hkOnly = () => dataMap({ region: 'eastasia', provider: 'azure' }, { hk_id: 2, hk_phone: 3 }, undefined, [{ type: 'hk_id', count: 2 }, { type: 'hk_phone', count: 3 }]);
  const gdprCited = (a: ReturnType<typeof analyse>) => a.findings.flatMap((f) => f.requirements).filter((r) => r.framework === 'gdpr');

  it('cites and scores no GDPR article for Hong Kong people\'s data in Hong Kong, and says it is not applicable', () => {
    const result = analyse(input(org('teams'), hkOnly()));
    expect(result.findings.map((f) => f.rule)).toEqual(expect.arrayContaining(['red-without-e2ee', 'no-processing-record']));
    expect(gdprCited(result)).toEqual([]);
    const scores = frameworkScores(result.findings, ['A.8.15'], result.notApplicable);
    expect(scores.gdpr).toMatchObject({ applicable: 0, met: 0, notApplicable: expect.stringMatching(/EU\/EEA/) });
    expect(scores.pdpo.notApplicable).toBeUndefined();
    expect(scores.pdpo.applicable).toBeGreaterThan(0);
    const record = { id: 'a1', orgId: 'kowloon-co', asOf: '2026-11-01T02:00:00Z', dataMap: 's', opened: [], closed: [], reopened: [], expired: [], accepted: [], changes: { opened: 0, closed: 0, reopened: 0, expired: 0, accepted: 0 }, counts: { open: 0, accepted: 0, closed: 0 }, scores };
    expect(formatAnalysis(record, [], { status: 'open' }, 'Asia/Hong_Kong')).toMatch(/Requirements met: PDPO \d+% \(\d+ of \d+\), GDPR not applicable \(.*EU\/EEA.*\), ISO\/IEC 27001/);
  });

  it('storage in the EU/EEA alone does not bring the GDPR in', () => {
    const result = analyse(input(org('teams'), dataMap({ region: 'eu-central-1' }, { hk_id: 2 })));
    expect(gdprCited(result)).toEqual([]);
    expect(result.findings.find((f) => f.rule === 'no-processing-record')).toMatchObject({ severity: 'medium' });
    expect(result.notApplicable.gdpr).toBeDefined();
  });

  it('cites and scores the GDPR once EU/EEA people are in the data map', () => {
    const people: PeopleFinding[] = [{ type: 'hk_id', count: 2 }, { type: 'iban', country: 'IE', count: 1 }];
    const result = analyse(input(org('teams'), dataMap({ region: 'eastasia', provider: 'azure' }, { hk_id: 2, iban: 1 }, undefined, people)));
    expect(result.findings.find((f) => f.rule === 'red-without-e2ee')?.requirements).toContainEqual({ framework: 'gdpr', id: 'Art.32' });
    expect(result.findings.find((f) => f.rule === 'no-processing-record')).toMatchObject({ severity: 'high' });
    expect(result.notApplicable.gdpr).toBeUndefined();
    const scores = frameworkScores(result.findings, ['A.8.15'], result.notApplicable);
    expect(scores.gdpr.notApplicable).toBeUndefined();
    expect(scores.gdpr.applicable).toBeGreaterThan(0);
    expect(scores.gdpr.score).toBeLessThan(1);
  });
});

describe('the rules against the catalogues', () => {
  it('cite only requirements the catalogues hold', () => {
    const cited = Object.values(RULES).flatMap((r) => r.requirements);
    expect(cited.length).toBeGreaterThan(15);
    expect(cited.filter((ref) => !requirementExists(ref))).toEqual([]);
  });
});

describe('three-factor risk', () => {
  it('multiplies sensitivity, role and mobility, each with its reason', () => {
    const risk = assessRisk({ rating: 'red', ratingReasons: ['hk_id: 3 findings'], memberRoles: ['frontline', 'finance'], flows: [{ from: 'HK', to: 'CN', status: 'flagged' }] });
    expect(risk).toEqual({
      tier: 'red',
      score: 27,
      factors: {
        sensitivity: { level: 'high', score: 3, reason: 'rated red: hk_id: 3 findings' },
        role: { level: 'high', score: 3, reason: '1 finance member (the highest-ranked role)' },
        mobility: { level: 'high', score: 3, reason: "people's data stored in another jurisdiction with no transfer basis (HK -> CN)" },
      },
    });
  });

  it('never tiers red data green, counts unknowns as medium, and takes thresholds from the organisation', () => {
    expect(assessRisk({ rating: 'red', ratingReasons: [], memberRoles: ['frontline'], flows: [] }).tier).toBe('amber'); // 3 x 1 x 1
    expect(assessRisk({ rating: 'green', ratingReasons: [], memberRoles: ['frontline'], flows: [] }).tier).toBe('green');
    const unknown = assessRisk({ rating: undefined, ratingReasons: [], memberRoles: undefined, flows: [] });
    expect(unknown).toMatchObject({
      score: 8,
      tier: 'amber',
      factors: { sensitivity: { level: 'unknown' }, role: { level: 'unknown', reason: 'no members declared' }, mobility: { level: 'unknown', score: 2, reason: 'not known: the last scan could not read it' } },
    });
    // a source the scan could not read, held by HR: red on what is not known (2 x 3 x 2), not amber on a guess that nothing moves
    expect(assessRisk({ rating: undefined, ratingReasons: [], memberRoles: ['hr'], flows: [] })).toMatchObject({ score: 12, tier: 'red' });
    const strict = { unknownScore: 3, thresholds: { red: 9, amber: 2 } } as const;
    expect(assessRisk({ rating: 'red', ratingReasons: [], memberRoles: ['frontline'], flows: [{ from: 'HK', to: 'CN', status: 'covered', basis: 'consent' }] }, strict).tier).toBe('amber');
  });

  it('recommends keeping a source where its platform fits its tier, else the platforms that do', () => {
    const stay = analyse(input(org('dingtalk-exclusive'), dataMap({ region: 'cn-hongkong', provider: 'alibaba' }))).risk.sources[0];
    expect(stay?.recommendation).toBe('keep Payroll chat on DingTalk Exclusive Cloud HK');
    const move = analyse(input(org('dingtalk-standard'), dataMap({ region: 'cn-hangzhou', provider: 'alibaba' }))).risk.sources[0];
    expect(move?.tier).toBe('red');
    expect(move?.allowedPlatforms).toEqual(['dingtalk-exclusive']);
    expect(move?.recommendation).toMatch(/^move Payroll chat off DingTalk standard \(.*not end-to-end encrypted.*\) to DingTalk Exclusive Cloud HK$/);
  });
});

/** The gaps held after an analysis: what it changed over what was held before. */
const after = (held: readonly Gap[], changed: readonly Gap[]) => [...held.filter((g) => !changed.some((c) => c.id === g.id)), ...changed];

describe('gap lifecycle', () => {
  const finding = (id: string) => analyse(input(org('dingtalk-standard'), dataMap({ region: 'cn-hangzhou', provider: 'alibaba' }))).findings.find((f) => f.id === id)!;
  const xb = 'cross-border-without-basis:source:payroll';
  const e2ee = 'red-without-e2ee:source:payroll';

  it('opens, keeps, closes as remediated, and reopens a gap found again', () => {
    const first = reconcile([], [finding(xb), finding(e2ee)], [], '2026-11-01T02:00:00Z', '2026-11-01', 'a1');
    expect(first.changes).toEqual({ opened: [xb, e2ee].sort(), closed: [], reopened: [], expired: [], accepted: [] });
    const second = reconcile(first.gaps, [finding(xb)], [], '2026-12-01T02:00:00Z', '2026-12-01', 'a2');
    expect(second.changes).toMatchObject({ opened: [], closed: [e2ee] });
    // A gap found again, saying the same, is not written again.
    expect(second.gaps.map((g) => g.id)).toEqual([e2ee]);
    const held = after(first.gaps, second.gaps);
    expect(held.find((g) => g.id === xb)).toMatchObject({ status: 'open', openedAt: '2026-11-01T02:00:00Z', changedBy: 'a1' });
    expect(held.find((g) => g.id === e2ee)).toMatchObject({ status: 'closed', closedAt: '2026-12-01T02:00:00Z', closedBy: 'remediated: no longer found', changedBy: 'a2' });
    const third = reconcile(held, [finding(xb), finding(e2ee)], [], '2027-01-01T02:00:00Z', '2027-01-01', 'a3');
    expect(third.changes.reopened).toEqual([e2ee]);
    expect(third.gaps.find((g) => g.id === e2ee)).toMatchObject({ status: 'open', reopened: 1, openedAt: '2026-11-01T02:00:00Z' });
  });

  it('reports the same changes when an analysis that already wrote them is retried', () => {
    const first = reconcile([], [finding(xb), finding(e2ee)], [], '2026-11-01T02:00:00Z', '2026-11-01', 'a1');
    const second = reconcile(first.gaps, [finding(xb)], [], '2026-12-01T02:00:00Z', '2026-12-01', 'a2');
    const held = after(first.gaps, second.gaps);
    const retried = reconcile(held, [finding(xb)], [], '2026-12-01T02:05:00Z', '2026-12-01', 'a2');
    expect(retried.changes).toEqual(second.changes);
  });

  it('holds an accepted gap as accepted until its acceptance runs out, then reopens it as expired', () => {
    const acceptance = { gap: xb, reason: 'Exit planned for Q1', approvedBy: 'carol', until: '2026-12-31' };
    const first = reconcile([], [finding(xb)], [acceptance], '2026-11-01T02:00:00Z', '2026-11-01', 'a1');
    expect(first.changes.accepted).toEqual([xb]);
    expect(first.gaps[0]).toMatchObject({ status: 'accepted', acceptance: { approvedBy: 'carol', until: '2026-12-31' } });
    const still = reconcile(first.gaps, [finding(xb)], [acceptance], '2026-12-31T02:00:00Z', '2026-12-31', 'a2');
    expect(still.changes).toEqual({ opened: [], closed: [], reopened: [], expired: [], accepted: [] });
    const expired = reconcile(after(first.gaps, still.gaps), [finding(xb)], [acceptance], '2027-01-01T02:00:00Z', '2027-01-01', 'a3');
    expect(expired.changes.expired).toEqual([xb]);
    expect(expired.gaps[0]).toMatchObject({ status: 'open' });
  });

  it('scores each framework by the share of checked requirements with no open gap', () => {
    const none = frameworkScores([], ['A.8.15']);
    expect(none.pdpo.score).toBe(1);
    const open = frameworkScores([finding(xb)], ['A.8.15']);
    expect(open.pdpo.met).toBe(open.pdpo.applicable - 3); // DPP3 and both PCPD entries
    expect(open.iso27001.applicable).toBe(new Set([...Object.values(RULES).flatMap((r) => r.requirements.filter((q) => q.framework === 'iso27001').map((q) => q.id)), 'A.8.15']).size);
  });
});

describe('encryption of red data', () => {
  const processing = { processing: { purpose: 'Pay staff', lawfulBasis: 'contract', retentionDays: 2555 } };
  // Red payroll data in Hong Kong, no group declared: an amber tier (3 x 2 x 1), which asks no end-to-end encryption.
  const hk = () => dataMap({ region: 'eastasia', provider: 'azure' });
  /** The test organisation on Teams, with what Teams declares about encryption. */
  const teamsWith = (encryption: Record<string, boolean>) =>
    org('teams', processing, { platforms: Object.entries(PLATFORMS).map(([id, p]) => ({ id, ...p, ...(id === 'teams' ? encryption : {}) })) });
  const e2eeGap = (result: ReturnType<typeof analyse>) => result.findings.find((f) => f.rule === 'red-without-e2ee');

  it('red data encrypted at rest and in transit but not end to end: a low gap that leaves no requirement unmet and says why end to end matters', () => {
    const result = analyse(input(teamsWith({ encryptionAtRest: true, encryptionInTransit: true }), hk()));
    const gap = e2eeGap(result)!;
    expect(gap).toMatchObject({
      id: 'red-without-e2ee:source:payroll',
      severity: 'low',
      requirements: [],
      facts: { platform: 'teams', e2ee: 'optional', encryptionAtRest: true, encryptionInTransit: true },
    });
    expect(gap.remedy).toMatch(/end to end/);
    expect(gap.remedy).toMatch(/Microsoft Teams's operator/);
    // The platform is fit for the source: risk keeps it there and no other rule says otherwise.
    expect(result.risk.sources[0]).toMatchObject({ tier: 'amber', recommendation: 'keep Payroll chat on Microsoft Teams' });
    expect(result.findings.map((f) => f.rule)).toEqual(['red-without-e2ee']);
    const scores = frameworkScores(result.findings, ['A.8.15'], result.notApplicable);
    expect([scores.pdpo.score, scores.iso27001.score]).toEqual([1, 1]);
  });

  it('red data neither end-to-end encrypted nor encrypted at rest and in transit: high, citing DPP4 and A.8.24, naming what is missing', () => {
    const gap = e2eeGap(analyse(input(teamsWith({ encryptionAtRest: true }), hk())))!;
    expect(gap).toMatchObject({
      severity: 'high',
      requirements: [{ framework: 'pdpo', id: 'DPP4' }, { framework: 'iso27001', id: 'A.8.24' }],
      facts: { platform: 'teams', e2ee: 'optional', encryptionAtRest: true, encryptionInTransit: false },
    });
    expect(gap.remedy).toMatch(/in transit/);
    expect(gap.remedy).not.toMatch(/at rest and in transit on/);
    // e2ee by default covers it, whatever else is declared.
    const e2ee = org('dingtalk-exclusive', processing);
    expect(e2eeGap(analyse(input(e2ee, dataMap({ region: 'cn-hongkong', provider: 'alibaba' }))))).toBeUndefined();
  });

  it('risk never recommends keeping red data on, or moving it to, a platform the encryption rule reports high', () => {
    const result = analyse(input(org('teams', processing), hk()));
    const risk = result.risk.sources[0]!;
    expect(risk.tier).toBe('amber');
    expect(risk.allowedPlatforms).toEqual(['dingtalk-exclusive']);
    expect(risk.recommendation).toMatch(/^move Payroll chat off Microsoft Teams \(.*not encrypted at rest and in transit.*\) to DingTalk Exclusive Cloud HK$/);
    expect(e2eeGap(result)).toMatchObject({ severity: 'high', facts: { encryptionAtRest: false, encryptionInTransit: false } });
    expect(result.findings.find((f) => f.rule === 'platform-unfit-for-tier')).toMatchObject({ severity: 'medium', facts: { tier: 'amber', allowedPlatforms: ['dingtalk-exclusive'] } });
  });
});

describe('the Statement of Applicability', () => {
  const soaGap = (undecided: number) => {
    const file = org('teams');
    const drop = new Set(requirements('iso27001').slice(-undecided).map((r) => r.id));
    return analyse(input({ ...file, controls: file.controls.filter((c) => !drop.has(c.id)) }, dataMap({ region: 'eastasia', provider: 'azure' }))).findings.find((f) => f.rule === 'soa-undecided');
  };

  it('an incomplete one leaves ISO/IEC 27001 6.1.3 unmet: medium, high once more than a quarter of Annex A (24 of 93) is undecided', () => {
    expect(requirement({ framework: 'iso27001', id: '6.1.3' })?.title).toBe('Information security risk treatment');
    expect(soaGap(1)).toMatchObject({ severity: 'medium', requirements: [{ framework: 'iso27001', id: '6.1.3' }], facts: { undecided: 1 } });
    expect(soaGap(23)).toMatchObject({ severity: 'medium', facts: { undecided: 23 } });
    expect(soaGap(24)).toMatchObject({ severity: 'high', facts: { undecided: 24 } });
    // A clause is cited, never listed as an Annex A control: the SoA still has 93 to decide.
    expect(requirements('iso27001')).toHaveLength(93);
  });
});
