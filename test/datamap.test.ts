import { describe, expect, it } from 'vitest';
import { classify, ClassifyThresholds } from '../lib/domain/datamap/classify.ts';
import {
  crossBorderFlags,
  EU_ADEQUACY,
  jurisdictionOfCountry,
  jurisdictionOfStorage,
  jurisdictionSet,
  normaliseCountry,
  peopleJurisdictions,
  REGION_NAMES_SHARED_ACROSS_COUNTRIES,
  resolveStorage,
  type Provider,
} from '../lib/domain/datamap/residency.ts';
import { Storage } from '../lib/domain/org/source.ts';
import { formatDataMap } from '../lib/cli/output.ts';
import { buildSourceEntry, DataMap, diffDataMaps, failedSource, type ScannedSource } from '../lib/domain/datamap/datamap.ts';

describe('classify', () => {
  it('rates each red type red, with reasons', () => {
    const cases = [
      ['hk_id', 'government identifier'],
      ['cn_resident_id', 'government identifier'],
      ['payment_card', 'payment data'],
      ['iban', 'bank data'],
      ['health', 'health data'],
      ['payroll', 'payroll data'],
    ] as const;
    for (const [type, label] of cases) {
      const result = classify({ counts: { [type]: 12, email: 3 } });
      expect(result.rating, type).toBe('red');
      expect(result.reasons).toEqual([`${type}: 12 findings (${label})`, 'email: 3 findings (contact data)']);
    }
  });

  it('rates contact data only amber, nothing green', () => {
    expect(classify({ counts: { hk_phone: 1 } })).toMatchObject({ rating: 'amber', reasons: ['hk_phone: 1 finding (contact data)'] });
    expect(classify({ counts: { cn_phone: 2 } }).rating).toBe('amber');
    expect(classify({ counts: { email: 5 } }).rating).toBe('amber');
    expect(classify({ counts: {} })).toEqual({ rating: 'green', reasons: ['no findings'], counts: {}, groups: [] });
    expect(classify({ counts: { hk_id: 0 } }).rating).toBe('green');
  });

  it('applies thresholds and per-type overrides', () => {
    expect(ClassifyThresholds.parse({})).toEqual({ red: { minFindings: 1 }, amber: { minFindings: 1 }, perType: {} });
    const payroll3 = { perType: { payroll: { minFindings: 3 } } };
    const stray = classify({ counts: { payroll: 1 } }, payroll3);
    expect(stray.rating).toBe('green');
    expect(stray.reasons).toEqual(['payroll: 1 finding (payroll data), below the threshold of 3, not counted']);
    expect(stray.counts).toEqual({ payroll: 1 });
    expect(classify({ counts: { payroll: 3 } }, payroll3).rating).toBe('red');
    // the override is for payroll only: one health finding is still red
    expect(classify({ counts: { payroll: 1, health: 1 } }, payroll3).rating).toBe('red');
    // category thresholds
    expect(classify({ counts: { hk_id: 4, email: 9 } }, { red: { minFindings: 5 }, amber: { minFindings: 10 } }).rating).toBe('green');
    expect(classify({ counts: { hk_id: 4, email: 10 } }, { red: { minFindings: 5 }, amber: { minFindings: 10 } }).rating).toBe('amber');
    expect(() => classify({ counts: {} }, { red: { minFindings: 0 } })).toThrow();
  });

  it('rolls groups up to the source', () => {
    const result = classify(
      {
        groups: [
          { group: 'HR 人事', counts: { hk_id: 2, payroll: 1 } },
          { group: 'Sales', counts: { email: 4, payroll: 1 } },
          { group: 'Frontline', counts: {} },
        ],
        distinctPeople: 2,
      },
      { perType: { payroll: { minFindings: 2 } } },
    );
    expect(result.groups.map((g) => [g.group, g.rating])).toEqual([
      ['HR 人事', 'red'],
      ['Sales', 'amber'],
      ['Frontline', 'green'],
    ]);
    expect(result.groups[1]?.reasons).toEqual([
      'email: 4 findings (contact data)',
      'payroll: 1 finding (payroll data), below the threshold of 2, not counted',
    ]);
    // totals: payroll 1 + 1 reaches the threshold of 2 at source level
    expect(result.counts).toEqual({ hk_id: 2, email: 4, payroll: 2 });
    expect(result.rating).toBe('red');
    expect(result.reasons).toContain('payroll: 2 findings (payroll data)');
    expect(result.distinctPeople).toBe(2);
    // totals given that understate a group: the worst group still decides
    const understated = classify({ counts: { email: 1 }, groups: [{ group: 'HR', counts: { hk_id: 1 } }] });
    expect(understated.rating).toBe('red');
    expect(understated.reasons).toEqual(['email: 1 finding (contact data)', 'group "HR" is red']);
  });

  it('refuses bad counts', () => {
    expect(() => classify({ counts: { hk_id: -1 } })).toThrow('source: count for hk_id must be a whole number >= 0, got -1');
    expect(() => classify({ counts: { passport: 1 } as never })).toThrow('unknown finding type "passport"');
    expect(() => classify({ groups: [{ group: 'a', counts: {} }, { group: 'a', counts: {} }] })).toThrow('listed twice');
  });
});

describe('storage jurisdiction', () => {
  it.each([
    // AWS
    ['ap-east-1', 'HK'],
    ['cn-north-1', 'CN'],
    ['cn-northwest-1', 'CN'],
    ['eu-west-1', 'EU/EEA', 'aws'], // Ireland; London on Alibaba Cloud, so the provider is declared
    ['eu-central-1', 'EU/EEA'],
    ['eu-west-2', 'OTHER'], // London
    ['eu-central-2', 'OTHER'], // Zurich
    ['us-east-1', 'OTHER'],
    ['ap-southeast-1', 'OTHER'],
    ['ap-east-2', 'OTHER'], // Taipei
    // Alibaba Cloud
    ['cn-hangzhou', 'CN'],
    ['cn-shanghai', 'CN'],
    ['cn-shenzhen', 'CN'],
    ['cn-beijing', 'CN'],
    ['cn-hongkong', 'HK'],
    // Azure
    ['eastasia', 'HK'],
    ['chinaeast2', 'CN'],
    ['westeurope', 'EU/EEA'],
    ['northeurope', 'EU/EEA'],
    ['southeastasia', 'OTHER'],
    ['norwayeast', 'EU/EEA'],
    ['uksouth', 'OTHER'],
    // Tencent Cloud
    ['ap-hongkong', 'HK'],
    ['ap-guangzhou', 'CN'],
    ['ap-shanghai', 'CN'],
    ['ap-beijing', 'CN'],
    ['eu-frankfurt', 'EU/EEA'],
  ] as const)('%s -> %s', (region: string, jurisdiction: string, provider?: Provider) => {
    expect(jurisdictionOfStorage({ region, ...(provider ? { provider } : {}) })).toBe(jurisdiction);
  });

  it('keeps the country and the provider, and reads case-insensitively', () => {
    expect(resolveStorage({ region: 'CN-HongKong' })).toEqual({ jurisdiction: 'HK', country: 'HK', provider: 'alibaba' });
    expect(resolveStorage({ region: 'ap-southeast-1' })).toEqual({ jurisdiction: 'OTHER', country: 'SG', provider: 'aws' });
    expect(resolveStorage({ region: 'ap-southeast-1', provider: 'alibaba' })).toEqual({ jurisdiction: 'OTHER', country: 'SG', provider: 'alibaba' });
    // eu-west-1 is London on Alibaba Cloud
    expect(resolveStorage({ region: 'eu-west-1', provider: 'alibaba' })).toEqual({ jurisdiction: 'OTHER', country: 'GB', provider: 'alibaba' });
    expect(resolveStorage({ region: 'eu-west-1', country: 'IE' }).jurisdiction).toBe('EU/EEA');
  });

  it('refuses an unknown region with the known prefixes', () => {
    expect(() => jurisdictionOfStorage({ region: 'ap-east-9' })).toThrow(
      /^Unknown storage region "ap-east-9": not a known AWS, Alibaba Cloud, Azure or Tencent Cloud region\. Known region prefixes: af-, ap-, ca-, cn-, eu-, .*Azure names such as eastasia/,
    );
    expect(() => jurisdictionOfStorage({ region: 'eastasia', provider: 'alibaba' })).toThrow('not a known Alibaba Cloud region');
    expect(() => jurisdictionOfStorage({})).toThrow('Storage not declared');
    expect(() => jurisdictionOfStorage({ region: 'cn-hongkong', country: 'CN' })).toThrow(
      'Storage region "cn-hongkong" is in HK (Alibaba Cloud) but the declared country is CN',
    );
  });

  it('maps country codes', () => {
    expect(jurisdictionOfStorage({ country: 'HK' })).toBe('HK');
    expect(jurisdictionOfStorage({ country: 'cn' })).toBe('CN');
    for (const c of ['DE', 'IE', 'GR', 'NO', 'IS', 'LI']) expect(jurisdictionOfCountry(c), c).toBe('EU/EEA');
    for (const c of ['GB', 'CH', 'US', 'SG', 'MO', 'TW']) expect(jurisdictionOfCountry(c), c).toBe('OTHER');
    expect(resolveStorage({ country: 'no' })).toEqual({ jurisdiction: 'EU/EEA', country: 'NO' });
    expect(() => jurisdictionOfCountry('XX')).toThrow('"XX" is not an ISO 3166 alpha-2 country code');
    expect(() => jurisdictionOfCountry('EU')).toThrow('declare the member state');
    expect(() => jurisdictionOfCountry('Hong Kong')).toThrow('not an ISO 3166');
  });
});

describe('people jurisdictions', () => {
  it('derives them from findings', () => {
    const people = peopleJurisdictions([
      { type: 'hk_id', country: 'HK' },
      { type: 'hk_phone' },
      { type: 'cn_resident_id', country: 'CN' },
      { type: 'cn_phone', country: 'CN' },
      { type: 'iban', country: 'DE' },
      { type: 'iban', country: 'NO' },
      { type: 'iban', country: 'GB' },
      { type: 'iban', country: 'CH' },
      { type: 'email' },
      { type: 'payment_card' },
      { type: 'health' },
      { type: 'payroll' },
    ]);
    expect(people).toEqual([
      { jurisdiction: 'HK', country: 'HK', findings: 2 },
      { jurisdiction: 'CN', country: 'CN', findings: 2 },
      { jurisdiction: 'EU/EEA', country: 'DE', findings: 1 },
      { jurisdiction: 'EU/EEA', country: 'NO', findings: 1 },
      { jurisdiction: 'OTHER', country: 'CH', findings: 1 },
      { jurisdiction: 'OTHER', country: 'GB', findings: 1 },
    ]);
    expect(jurisdictionSet(people)).toEqual(new Set(['HK', 'CN', 'EU/EEA', 'OTHER']));
  });

  it('takes counts by type and country', () => {
    expect(peopleJurisdictions([{ type: 'hk_id', count: 12 }, { type: 'iban', country: 'FR', count: 3 }, { type: 'cn_phone', count: 0 }])).toEqual([
      { jurisdiction: 'HK', country: 'HK', findings: 12 },
      { jurisdiction: 'EU/EEA', country: 'FR', findings: 3 },
    ]);
    expect(peopleJurisdictions([{ type: 'email', count: 40 }])).toEqual([]);
    expect(() => peopleJurisdictions([{ type: 'iban' }])).toThrow('iban finding without its country');
  });
});

describe('cross-border flags', () => {
  it('flags every people jurisdiction other than storage', () => {
    const flags = crossBorderFlags({ id: 'dingtalk-hr', storage: { region: 'cn-hangzhou' } }, new Set(['HK', 'CN', 'EU/EEA'] as const));
    expect(flags).toEqual([
      { from: 'HK', to: 'CN', status: 'flagged' },
      { from: 'EU/EEA', to: 'CN', status: 'flagged' },
    ]);
  });

  it('marks flows covered when a basis is declared', () => {
    const flags = crossBorderFlags(
      { id: 's3-payroll', storage: { region: 'cn-shanghai' }, transferBasis: ['consent', 'contract-clauses'] },
      new Set(['CN', 'HK'] as const),
    );
    expect(flags).toEqual([{ from: 'HK', to: 'CN', basis: 'consent, contract-clauses', status: 'covered' }]);
  });

  it('keeps no transfer for mainland people\'s data held in Hong Kong: the PDPO governs transfers out of Hong Kong', () => {
    expect(crossBorderFlags({ id: 'hr', storage: { region: 'ap-east-1' } }, new Set(['CN'] as const))).toEqual([]);
    expect(crossBorderFlags({ id: 'hr', storage: { region: 'cn-hongkong' } }, new Set(['CN', 'OTHER'] as const))).toEqual([]);
  });

  it('flags personal data stored outside Hong Kong as a transfer out of Hong Kong, whoever its people are', () => {
    // Mainland people's data in the mainland: still stored outside Hong Kong by a Hong Kong data user.
    expect(crossBorderFlags({ id: 'hr', storage: { region: 'cn-shenzhen' } }, new Set(['CN'] as const))).toEqual([{ from: 'HK', to: 'CN', status: 'flagged' }]);
    // E-mail addresses only (no people's place known), in the United States.
    const mail = buildSourceEntry({ id: 'mail', platform: 'slack', storage: { region: 'us-east-1' }, counts: { email: 5 }, people: [{ type: 'email', count: 5 }], coverage });
    expect(mail.flows).toEqual([{ from: 'HK', to: 'OTHER', status: 'flagged' }]);
    // Nothing personal found: nothing transferred.
    expect(buildSourceEntry({ id: 'empty', platform: 'slack', storage: { region: 'us-east-1' }, counts: {}, people: [], coverage }).flows).toEqual([]);
    // EU/EEA people's data in the EU/EEA: a transfer out of Hong Kong, and none under the GDPR.
    expect(crossBorderFlags({ id: 'crm', storage: { region: 'eu-central-1' } }, new Set(['EU/EEA'] as const))).toEqual([{ from: 'HK', to: 'EU/EEA', status: 'flagged' }]);
  });

  it('takes adequacy only where the EU has an adequacy decision for the destination, and never for a transfer out of Hong Kong', () => {
    const people = new Set(['HK', 'EU/EEA'] as const);
    // No EU adequacy decision for mainland China, and no adequacy mechanism in the PDPO.
    expect(crossBorderFlags({ id: 'x', storage: { region: 'cn-hangzhou' }, transferBasis: ['adequacy'] }, people)).toEqual([
      { from: 'HK', to: 'CN', status: 'flagged' },
      { from: 'EU/EEA', to: 'CN', status: 'flagged' },
    ]);
    expect(crossBorderFlags({ id: 'x', storage: { region: 'ap-east-1' }, transferBasis: ['adequacy'] }, people)).toEqual([{ from: 'EU/EEA', to: 'HK', status: 'flagged' }]);
    // The United Kingdom has one: the GDPR flow is covered, the transfer out of Hong Kong is not.
    expect(crossBorderFlags({ id: 'x', storage: { region: 'eu-west-2' }, transferBasis: ['adequacy'] }, people)).toEqual([
      { from: 'HK', to: 'OTHER', status: 'flagged' },
      { from: 'EU/EEA', to: 'OTHER', basis: 'adequacy', status: 'covered' },
    ]);
    // With clauses too, the clauses cover both; adequacy is named only where it applies.
    expect(crossBorderFlags({ id: 'x', storage: { region: 'cn-hangzhou' }, transferBasis: ['adequacy', 'contract-clauses'] }, people)).toEqual([
      { from: 'HK', to: 'CN', basis: 'contract-clauses', status: 'covered' },
      { from: 'EU/EEA', to: 'CN', basis: 'contract-clauses', status: 'covered' },
    ]);
  });

  it('keeps the EU adequacy list as data, each decision with its date', () => {
    expect(EU_ADEQUACY.decisions.map((d) => d.country).sort()).toEqual(['AD', 'AR', 'CA', 'CH', 'FO', 'GB', 'GG', 'IL', 'IM', 'JE', 'JP', 'KR', 'NZ', 'US', 'UY']);
    for (const d of EU_ADEQUACY.decisions) expect(d.adopted, d.country).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(EU_ADEQUACY.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('has nothing to flag when people and storage agree', () => {
    expect(crossBorderFlags({ id: 'x', storage: { region: 'eastasia' } }, new Set(['HK'] as const))).toEqual([]);
    expect(crossBorderFlags({ id: 'x', storage: { country: 'HK' } }, new Set())).toEqual([]);
  });

  it('names the source in storage errors', () => {
    expect(() => crossBorderFlags({ id: 'slack', storage: {} }, new Set(['HK'] as const))).toThrow('source "slack": Storage not declared');
  });
});

// ---------------------------------------------------------------------------

const coverage = { bytesRead: 100, bytesTotal: 200, truncated: true };

function hrSource(overrides: Partial<Parameters<typeof buildSourceEntry>[0]> = {}): ScannedSource {
  return buildSourceEntry({
    id: 'dingtalk-hr',
    platform: 'dingtalk',
    storage: { region: 'cn-hangzhou' },
    groups: [{ group: 'HR', counts: { hk_id: 2, cn_phone: 1 } }],
    people: [{ type: 'hk_id', count: 2 }, { type: 'cn_phone' }],
    distinctPeople: 2,
    coverage,
    ...overrides,
  });
}

function map(scanId: string, sources: DataMap['sources']): DataMap {
  return DataMap.parse({ orgId: 'acme', scanId, scannedAt: '2026-03-01T02:00:00Z', sources });
}

describe('data map record', () => {
  it('builds a source entry', () => {
    expect(hrSource()).toEqual({
      id: 'dingtalk-hr',
      platform: 'dingtalk',
      status: 'scanned',
      storage: { provider: 'alibaba', region: 'cn-hangzhou', country: 'CN', jurisdiction: 'CN' },
      rating: 'red',
      reasons: ['hk_id: 2 findings (government identifier)', 'cn_phone: 1 finding (contact data)'],
      counts: { hk_id: 2, cn_phone: 1 },
      groups: [{ group: 'HR', rating: 'red', reasons: ['hk_id: 2 findings (government identifier)', 'cn_phone: 1 finding (contact data)'], counts: { hk_id: 2, cn_phone: 1 } }],
      peopleJurisdictions: [
        { jurisdiction: 'HK', country: 'HK', findings: 2 },
        { jurisdiction: 'CN', country: 'CN', findings: 1 },
      ],
      distinctPeople: 2,
      flows: [{ from: 'HK', to: 'CN', status: 'flagged' }],
      coverage,
    });
  });

  it('validates a record and refuses a bad one with a path', () => {
    const good = map('scan-1', [hrSource(), failedSource('whatsapp', 'whatsapp', 'ENOENT: no such file')]);
    expect(DataMap.safeParse(good).success).toBe(true);

    const badRating = structuredClone(good) as unknown as { sources: { rating?: string }[] };
    badRating.sources[0]!.rating = 'purple';
    const r1 = DataMap.safeParse(badRating);
    expect(r1.success).toBe(false);
    expect(r1.error?.issues[0]?.path).toEqual(['sources', 0, 'rating']);

    const badCoverage = structuredClone(good);
    (badCoverage.sources[0] as ScannedSource).coverage.bytesRead = 500;
    expect(DataMap.safeParse(badCoverage).error?.issues[0]).toMatchObject({ path: ['sources', 0, 'coverage', 'bytesRead'], message: 'bytesRead exceeds bytesTotal' });

    const noReason = structuredClone(good) as unknown as { sources: { reason?: string }[] };
    delete noReason.sources[1]!.reason;
    expect(DataMap.safeParse(noReason).error?.issues[0]?.path).toEqual(['sources', 1, 'reason']);

    const twice = { ...good, sources: [hrSource(), hrSource()] };
    expect(DataMap.safeParse(twice).error?.issues[0]).toMatchObject({ path: ['sources', 1, 'id'], message: 'source "dingtalk-hr" listed twice' });

    expect(DataMap.safeParse({ ...good, scannedAt: 'yesterday' }).error?.issues[0]?.path).toEqual(['scannedAt']);

    const badFlow = structuredClone(good);
    (badFlow.sources[0] as ScannedSource).flows[0]!.status = 'covered';
    expect(DataMap.safeParse(badFlow).error?.issues[0]?.path).toEqual(['sources', 0, 'flows', 0, 'basis']);
  });
});

describe('diffDataMaps', () => {
  it('reports every kind of change', () => {
    const previous = map('scan-1', [
      hrSource(), // red, HK+CN people, HK>CN flagged
      buildSourceEntry({ id: 'sales', platform: 'slack', storage: { country: 'HK' }, counts: { email: 3 }, people: [], coverage }),
      buildSourceEntry({ id: 'finance', platform: 'files', storage: { region: 'ap-east-1' }, counts: { iban: 1 }, people: [{ type: 'iban', country: 'DE' }], coverage }),
      buildSourceEntry({ id: 'old-share', platform: 'files', storage: { country: 'HK' }, counts: {}, people: [], coverage }),
      failedSource('whatsapp', 'whatsapp', 'ENOENT'),
      buildSourceEntry({ id: 's3-archive', platform: 's3', storage: { region: 'ap-east-1' }, counts: {}, people: [], coverage }),
    ]);
    const current = map('scan-2', [
      hrSource({ storage: { region: 'ap-east-1' } }), // moved to HK: mainland people's data held in Hong Kong is no transfer
      buildSourceEntry({ id: 'sales', platform: 'slack', storage: { country: 'SG' }, counts: { email: 3, hk_id: 1 }, people: [{ type: 'hk_id' }], coverage }), // moved out of HK
      buildSourceEntry({ id: 'finance', platform: 'files', storage: { region: 'ap-east-1' }, counts: {}, people: [], coverage }),
      failedSource('whatsapp', 'whatsapp', 'ENOENT'),
      failedSource('s3-archive', 's3', 'AccessDenied'),
      buildSourceEntry({ id: 'hr-csv', platform: 'files', storage: { country: 'HK' }, counts: { payroll: 5 }, people: [], coverage }),
    ]);
    expect(diffDataMaps(previous, current)).toEqual({
      turnedRed: ['sales', 'hr-csv'],
      wentGreen: ['finance'],
      ratingChanged: [
        { source: 'sales', from: 'amber', to: 'red' },
        { source: 'finance', from: 'red', to: 'green' },
      ],
      newJurisdictions: [{ source: 'sales', jurisdiction: 'HK' }],
      newFlaggedFlows: [{ source: 'sales', from: 'HK', to: 'OTHER' }],
      storageMoved: [
        { source: 'dingtalk-hr', from: 'CN', to: 'HK' },
        { source: 'sales', from: 'HK', to: 'OTHER' },
      ],
      newSources: ['hr-csv'],
      removedSources: ['old-share'],
      newlyFailed: ['s3-archive'],
    });
  });

  it('treats a flow that lost its basis as newly flagged, and a first scan as all new', () => {
    const covered = map('scan-1', [hrSource({ transferBasis: ['consent'] })]);
    const flagged = map('scan-2', [hrSource()]);
    expect(diffDataMaps(covered, flagged).newFlaggedFlows).toEqual([{ source: 'dingtalk-hr', from: 'HK', to: 'CN' }]);
    expect(diffDataMaps(flagged, flagged)).toEqual({
      turnedRed: [], wentGreen: [], ratingChanged: [], newJurisdictions: [], newFlaggedFlows: [],
      storageMoved: [], newSources: [], removedSources: [], newlyFailed: [],
    });
    expect(diffDataMaps(undefined, flagged)).toMatchObject({
      turnedRed: ['dingtalk-hr'],
      newSources: ['dingtalk-hr'],
      newJurisdictions: [{ source: 'dingtalk-hr', jurisdiction: 'HK' }, { source: 'dingtalk-hr', jurisdiction: 'CN' }],
      newFlaggedFlows: [{ source: 'dingtalk-hr', from: 'HK', to: 'CN' }],
    });
    expect(() => diffDataMaps({ ...flagged, orgId: 'other' }, flagged)).toThrow('different organisations');
  });
});

describe('storage regions and countries', () => {
  it('reads a region name providers share by the declared provider, or by the declared country', () => {
    // Same name, different country: AWS Jakarta / Alibaba Kuala Lumpur, AWS Malaysia /
    // Alibaba Jakarta, AWS Auckland / Alibaba Manila, AWS UAE / Alibaba Riyadh.
    const cases = [
      ['ap-southeast-3', 'ID', 'MY'],
      ['ap-southeast-5', 'MY', 'ID'],
      ['ap-southeast-6', 'NZ', 'PH'],
      ['me-central-1', 'AE', 'SA'],
      ['eu-west-1', 'IE', 'GB'],
    ] as const;
    for (const [region, aws, alibaba] of cases) {
      expect(resolveStorage({ region, provider: 'aws' }).country, region).toBe(aws);
      expect(resolveStorage({ region, provider: 'alibaba' }).country, region).toBe(alibaba);
      // The declared country says whose region it is.
      expect(resolveStorage({ region, country: alibaba }), region).toEqual({ jurisdiction: jurisdictionOfCountry(alibaba), country: alibaba, provider: 'alibaba' });
      expect(resolveStorage({ region, country: aws }), region).toEqual({ jurisdiction: jurisdictionOfCountry(aws), country: aws, provider: 'aws' });
    }
    expect(REGION_NAMES_SHARED_ACROSS_COUNTRIES).toEqual(cases.map(([region]) => region).sort());
    // A country neither provider has there: both readings named, and the provider asked for.
    expect(() => resolveStorage({ region: 'me-central-1', country: 'QA' })).toThrow(
      'Storage region "me-central-1" is in AE on AWS and in SA on Alibaba Cloud, but the declared country is QA; declare the provider',
    );
    expect(() => resolveStorage({ region: 'me-central-1', provider: 'aws', country: 'SA' })).toThrow(
      'Storage region "me-central-1" is in AE (AWS) but the declared country is SA',
    );
  });

  it('refuses a region name providers use for different countries when neither provider nor country is declared, naming each place', () => {
    for (const region of REGION_NAMES_SHARED_ACROSS_COUNTRIES) expect(() => resolveStorage({ region }), region).toThrow(new RegExp(`^Storage region "${region}" is a region of AWS in .+ \\(\\w\\w\\) and of Alibaba Cloud in .+ \\(\\w\\w\\): give provider \\(aws or alibaba\\) or country to say which`));
    expect(() => resolveStorage({ region: 'EU-West-1' })).toThrow(
      'Storage region "eu-west-1" is a region of AWS in Ireland (IE) and of Alibaba Cloud in the United Kingdom (GB): give provider (aws or alibaba) or country to say which; where data is stored is never guessed',
    );
    // A name the providers share for the same country is no question.
    expect(resolveStorage({ region: 'ap-southeast-1' })).toEqual({ jurisdiction: 'OTHER', country: 'SG', provider: 'aws' });
    expect(resolveStorage({ region: 'eu-central-1' })).toMatchObject({ jurisdiction: 'EU/EEA', country: 'DE' });
  });

  it('knows Google Cloud regions, with gcp as their provider', () => {
    expect(resolveStorage({ region: 'asia-east2' })).toEqual({ jurisdiction: 'HK', country: 'HK', provider: 'gcp' });
    expect(resolveStorage({ region: 'asia-east1' })).toEqual({ jurisdiction: 'OTHER', country: 'TW', provider: 'gcp' });
    expect(resolveStorage({ region: 'europe-west1', provider: 'gcp' })).toEqual({ jurisdiction: 'EU/EEA', country: 'BE', provider: 'gcp' });
    expect(resolveStorage({ region: 'me-central2' }).country).toBe('SA');
    expect(resolveStorage({ region: 'me-central1' }).country).toBe('QA');
    expect(resolveStorage({ region: 'us-central1' }).country).toBe('US');
    expect(resolveStorage({ region: 'europe-west2' }).jurisdiction).toBe('OTHER'); // London
    expect(() => resolveStorage({ region: 'asia-east2', provider: 'aws' })).toThrow('not a known AWS region');
    expect(() => resolveStorage({ region: 'asia-east9' })).toThrow(/Google Cloud/);
    // The organisation file takes the provider.
    expect(Storage.safeParse({ region: 'asia-east2', provider: 'gcp' }).success).toBe(true);
    expect(Storage.safeParse({ region: 'asia-east2', provider: 'google' }).success).toBe(false);
  });

  it('takes only ISO 3166-1 alpha-2 codes: UK is refused for GB, retired codes too', () => {
    expect(() => resolveStorage({ country: 'UK' })).toThrow('"UK" is not an ISO 3166 alpha-2 country code: use GB');
    expect(Storage.safeParse({ country: 'uk' }).error?.issues[0]?.message).toContain('use GB');
    // Codes Intl names but ISO 3166-1 does not assign (retired, reserved, user-assigned).
    for (const code of ['DD', 'SU', 'YU', 'FX', 'XK', 'EA', 'IC', 'AC']) {
      expect(() => normaliseCountry(code), code).toThrow('is not an ISO 3166 alpha-2 country code');
    }
    expect(() => normaliseCountry('DD')).toThrow('did you mean DE (Germany)?');
    expect(() => jurisdictionOfCountry('EU')).toThrow('declare the member state');
    expect(resolveStorage({ country: 'gb' })).toEqual({ jurisdiction: 'OTHER', country: 'GB' });
  });

  it('names the storage country in the scan summary\'s flagged flows, never OTHER', () => {
    const diff = {
      turnedRed: [], wentGreen: [], ratingChanged: [], newJurisdictions: [], storageMoved: [], newSources: [], removedSources: [], newlyFailed: [],
      newFlaggedFlows: [{ source: 'sales', from: 'HK', to: 'OTHER' }, { source: 'hr', from: 'EU/EEA', to: 'HK' }, { source: 'old', from: 'HK', to: 'OTHER' }],
    };
    const text = formatDataMap({
      status: 'completed',
      name: 'data-mapping-scan-acme-2026-12',
      output: { scanId: 'data-mapping-scan-acme-2026-12', sources: [], diff, storedIn: { sales: 'US', hr: 'HK' } },
    });
    expect(text).toContain('sales (HK -> US), hr (EU/EEA -> HK), old (HK -> a place outside Hong Kong, mainland China and the EU/EEA)');
    expect(text).not.toContain('OTHER');
  });
});
