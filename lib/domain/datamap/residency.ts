// Where a source is stored, whom its data describes, and the cross-border flows between
// the two. Pure: no I/O, no clock.
//
// Storage is declared per source, as a cloud region or an ISO 3166 alpha-2 country.
// Platform defaults (DingTalk, Teams, Slack, WhatsApp) are deliberately not guessed: they
// depend on the tenant's contract and can change, so a source without a declared region
// or country is an error, as is a region string not in the tables below (a region is
// never inferred from its prefix: AWS `ap-east-1` is Hong Kong but `ap-east-2` is Taipei).
//
// Region names shared by providers: most mean the same place (`ap-southeast-1` is
// Singapore on AWS and on Alibaba Cloud; `eu-central-1` is Frankfurt on both), but
// `eu-west-1` is Ireland on AWS and London on Alibaba Cloud. Without a declared
// `provider`, a shared name is read as AWS; declare `provider: 'alibaba'` for Alibaba's.
// Note that `eu-` does not mean EU: AWS `eu-west-2` is London and `eu-central-2` Zurich.
import { z } from 'zod';
import type { FindingType } from '../detect/detect.ts';

export const JURISDICTIONS = ['HK', 'CN', 'EU/EEA', 'OTHER'] as const;
export const Jurisdiction = z.enum(JURISDICTIONS);
export type Jurisdiction = z.infer<typeof Jurisdiction>;

export const PROVIDERS = ['aws', 'alibaba', 'azure', 'tencent'] as const;
export const Provider = z.enum(PROVIDERS);
export type Provider = z.infer<typeof Provider>;

const PROVIDER_NAMES: Record<Provider, string> = {
  aws: 'AWS',
  alibaba: 'Alibaba Cloud',
  azure: 'Azure',
  tencent: 'Tencent Cloud',
};

/** EU member states (Greece as ISO GR, not the EU's EL). */
export const EU_MEMBER_STATES: ReadonlySet<string> = new Set([
  'AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE', 'FI', 'FR', 'DE', 'GR', 'HU', 'IE',
  'IT', 'LV', 'LT', 'LU', 'MT', 'NL', 'PL', 'PT', 'RO', 'SK', 'SI', 'ES', 'SE',
]);
/** EEA members outside the EU. */
export const EEA_NON_EU: ReadonlySet<string> = new Set(['IS', 'LI', 'NO']);

// Region -> ISO country, per provider.
const REGIONS: Record<Provider, Readonly<Record<string, string>>> = {
  aws: {
    'us-east-1': 'US', 'us-east-2': 'US', 'us-west-1': 'US', 'us-west-2': 'US',
    'us-gov-east-1': 'US', 'us-gov-west-1': 'US',
    'af-south-1': 'ZA',
    'ap-east-1': 'HK', 'ap-east-2': 'TW',
    'ap-south-1': 'IN', 'ap-south-2': 'IN',
    'ap-southeast-1': 'SG', 'ap-southeast-2': 'AU', 'ap-southeast-3': 'ID', 'ap-southeast-4': 'AU',
    'ap-southeast-5': 'MY', 'ap-southeast-6': 'NZ', 'ap-southeast-7': 'TH',
    'ap-northeast-1': 'JP', 'ap-northeast-2': 'KR', 'ap-northeast-3': 'JP',
    'ca-central-1': 'CA', 'ca-west-1': 'CA',
    'cn-north-1': 'CN', 'cn-northwest-1': 'CN',
    'eu-central-1': 'DE', 'eu-central-2': 'CH',
    'eu-west-1': 'IE', 'eu-west-2': 'GB', 'eu-west-3': 'FR',
    'eu-south-1': 'IT', 'eu-south-2': 'ES', 'eu-north-1': 'SE',
    'eusc-de-east-1': 'DE',
    'il-central-1': 'IL', 'me-south-1': 'BH', 'me-central-1': 'AE',
    'mx-central-1': 'MX', 'sa-east-1': 'BR',
  },
  alibaba: {
    'cn-qingdao': 'CN', 'cn-beijing': 'CN', 'cn-zhangjiakou': 'CN', 'cn-huhehaote': 'CN',
    'cn-wulanchabu': 'CN', 'cn-hangzhou': 'CN', 'cn-shanghai': 'CN', 'cn-nanjing': 'CN',
    'cn-fuzhou': 'CN', 'cn-shenzhen': 'CN', 'cn-heyuan': 'CN', 'cn-guangzhou': 'CN',
    'cn-chengdu': 'CN', 'cn-wuhan-lr': 'CN',
    'cn-hongkong': 'HK',
    'ap-northeast-1': 'JP', 'ap-northeast-2': 'KR',
    'ap-southeast-1': 'SG', 'ap-southeast-2': 'AU', 'ap-southeast-3': 'MY', 'ap-southeast-5': 'ID',
    'ap-southeast-6': 'PH', 'ap-southeast-7': 'TH', 'ap-south-1': 'IN',
    'us-east-1': 'US', 'us-west-1': 'US',
    'eu-central-1': 'DE', 'eu-west-1': 'GB',
    'me-east-1': 'AE', 'me-central-1': 'SA',
  },
  azure: {
    eastasia: 'HK', southeastasia: 'SG',
    chinaeast: 'CN', chinaeast2: 'CN', chinaeast3: 'CN', chinanorth: 'CN', chinanorth2: 'CN', chinanorth3: 'CN',
    westeurope: 'NL', northeurope: 'IE', francecentral: 'FR', francesouth: 'FR',
    germanywestcentral: 'DE', germanynorth: 'DE', swedencentral: 'SE', swedensouth: 'SE',
    italynorth: 'IT', polandcentral: 'PL', spaincentral: 'ES', austriaeast: 'AT', belgiumcentral: 'BE',
    norwayeast: 'NO', norwaywest: 'NO',
    uksouth: 'GB', ukwest: 'GB', switzerlandnorth: 'CH', switzerlandwest: 'CH',
    eastus: 'US', eastus2: 'US', westus: 'US', westus2: 'US', westus3: 'US', centralus: 'US',
    northcentralus: 'US', southcentralus: 'US', westcentralus: 'US',
    canadacentral: 'CA', canadaeast: 'CA', brazilsouth: 'BR', mexicocentral: 'MX',
    japaneast: 'JP', japanwest: 'JP', koreacentral: 'KR', koreasouth: 'KR',
    centralindia: 'IN', southindia: 'IN', westindia: 'IN',
    australiaeast: 'AU', australiasoutheast: 'AU', australiacentral: 'AU', newzealandnorth: 'NZ',
    indonesiacentral: 'ID', malaysiawest: 'MY',
    uaenorth: 'AE', uaecentral: 'AE', qatarcentral: 'QA', israelcentral: 'IL',
    southafricanorth: 'ZA', southafricawest: 'ZA',
  },
  tencent: {
    'ap-hongkong': 'HK',
    'ap-guangzhou': 'CN', 'ap-shanghai': 'CN', 'ap-beijing': 'CN', 'ap-chengdu': 'CN',
    'ap-chongqing': 'CN', 'ap-nanjing': 'CN', 'ap-shanghai-fsi': 'CN', 'ap-shenzhen-fsi': 'CN',
    'ap-beijing-fsi': 'CN',
    'ap-singapore': 'SG', 'ap-bangkok': 'TH', 'ap-jakarta': 'ID', 'ap-seoul': 'KR',
    'ap-tokyo': 'JP', 'ap-mumbai': 'IN',
    'na-siliconvalley': 'US', 'na-ashburn': 'US', 'na-toronto': 'CA', 'sa-saopaulo': 'BR',
    'eu-frankfurt': 'DE',
  },
};

/** Provider tried first for a region name known to several providers. */
const LOOKUP_ORDER: readonly Provider[] = ['aws', 'alibaba', 'azure', 'tencent'];

export interface StorageLocation {
  /** Cloud region as the provider spells it: `ap-east-1`, `cn-hongkong`, `eastasia`, `ap-guangzhou`. */
  region?: string;
  /** ISO 3166 alpha-2 country, e.g. `HK`, `CN`, `DE`. */
  country?: string;
  /** Disambiguates a region name several providers use (only `eu-west-1` differs). */
  provider?: Provider;
}

export interface ResolvedStorage {
  jurisdiction: Jurisdiction;
  /** ISO 3166 alpha-2 country of the region or the declared country. */
  country: string;
  /** The provider whose table named the region. */
  provider?: Provider;
}

export function jurisdictionOfCountry(country: string): Jurisdiction {
  const code = normaliseCountry(country);
  if (code === 'HK') return 'HK';
  if (code === 'CN') return 'CN';
  if (EU_MEMBER_STATES.has(code) || EEA_NON_EU.has(code)) return 'EU/EEA';
  return 'OTHER'; // includes MO (Macau), TW, GB, CH
}

const NOT_COUNTRIES = new Set(['EU', 'EZ', 'UN', 'QO', 'ZZ']);
const regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });

/** Upper-cases and checks an ISO 3166 alpha-2 code; throws on anything else. */
export function normaliseCountry(country: string): string {
  const code = country.trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(code) || NOT_COUNTRIES.has(code) || regionNames.of(code) === undefined) {
    throw new Error(
      `"${country}" is not an ISO 3166 alpha-2 country code (for example HK, CN, DE, GB)` +
        (code === 'EU' ? '; declare the member state, such as DE or IE' : ''),
    );
  }
  return code;
}

function knownPrefixes(): string {
  const prefixes = new Set<string>();
  for (const provider of ['aws', 'alibaba', 'tencent'] as const) {
    for (const region of Object.keys(REGIONS[provider])) prefixes.add(region.slice(0, region.indexOf('-') + 1));
  }
  return [...prefixes].sort().join(', ');
}

function unknownRegion(region: string, provider: Provider | undefined): Error {
  const where = provider ? `a known ${PROVIDER_NAMES[provider]} region` : 'a known AWS, Alibaba Cloud, Azure or Tencent Cloud region';
  return new Error(
    `Unknown storage region "${region}": not ${where}. Known region prefixes: ${knownPrefixes()} ` +
      `(AWS, Alibaba Cloud, Tencent Cloud), and Azure names such as eastasia, chinaeast2, westeurope. ` +
      `Regions are never guessed from a prefix; declare an exact region or an ISO 3166 country instead.`,
  );
}

export function resolveStorage(location: StorageLocation): ResolvedStorage {
  const region = location.region?.trim().toLowerCase();
  const declaredCountry = location.country === undefined ? undefined : normaliseCountry(location.country);
  if (location.provider !== undefined && !(PROVIDERS as readonly string[]).includes(location.provider)) {
    throw new Error(`Unknown provider "${String(location.provider)}" (known: ${PROVIDERS.join(', ')})`);
  }
  if (!region) {
    if (declaredCountry === undefined) {
      throw new Error('Storage not declared: give a cloud region (such as ap-east-1 or cn-hangzhou) or an ISO 3166 country; platform defaults are not guessed');
    }
    return { jurisdiction: jurisdictionOfCountry(declaredCountry), country: declaredCountry };
  }
  let provider: Provider | undefined;
  let country: string | undefined;
  for (const p of location.provider ? [location.provider] : LOOKUP_ORDER) {
    const c = REGIONS[p][region];
    if (c !== undefined) {
      provider = p;
      country = c;
      break;
    }
  }
  if (provider === undefined || country === undefined) throw unknownRegion(location.region ?? '', location.provider);
  if (declaredCountry !== undefined && declaredCountry !== country) {
    throw new Error(
      `Storage region "${region}" is in ${country} (${PROVIDER_NAMES[provider]}) but the declared country is ${declaredCountry}` +
        (location.provider ? '' : '; if this is another provider\'s region, declare the provider'),
    );
  }
  return { jurisdiction: jurisdictionOfCountry(country), country, provider };
}

export function jurisdictionOfStorage(location: StorageLocation): Jurisdiction {
  return resolveStorage(location).jurisdiction;
}

// ---------------------------------------------------------------------------
// People

export interface PeopleFinding {
  type: FindingType;
  /** For iban: the IBAN's country code (required). Ignored for the other types. */
  country?: string;
  /** How many findings this entry stands for (counts by type and country); default 1. */
  count?: number;
}

export interface PeopleJurisdiction {
  jurisdiction: Jurisdiction;
  /** ISO country: HK, CN, or the IBAN's country. */
  country: string;
  findings: number;
}

/** Jurisdiction a finding points to, or undefined for e-mail, cards and topics. */
export function personJurisdiction(finding: { type: FindingType; country?: string }): { jurisdiction: Jurisdiction; country: string } | undefined {
  switch (finding.type) {
    case 'hk_id':
    case 'hk_phone':
      return { jurisdiction: 'HK', country: 'HK' };
    case 'cn_resident_id':
    case 'cn_phone':
      return { jurisdiction: 'CN', country: 'CN' };
    case 'iban': {
      if (!finding.country) throw new Error('iban finding without its country: cannot tell whose bank data it is');
      const country = normaliseCountry(finding.country);
      return { jurisdiction: jurisdictionOfCountry(country), country };
    }
    default:
      return undefined; // email, payment_card (issuer country is not residence), health, payroll
  }
}

/** Jurisdictions of the people in the data, one entry per (jurisdiction, country),
 * in JURISDICTIONS order then by country. */
export function peopleJurisdictions(findings: Iterable<PeopleFinding>): PeopleJurisdiction[] {
  const byKey = new Map<string, PeopleJurisdiction>();
  for (const finding of findings) {
    const n = finding.count ?? 1;
    if (!Number.isSafeInteger(n) || n < 0) throw new Error(`count for ${finding.type} must be a whole number >= 0, got ${String(n)}`);
    if (n === 0) continue;
    const where = personJurisdiction(finding);
    if (!where) continue;
    const key = `${where.jurisdiction}|${where.country}`;
    const entry = byKey.get(key);
    if (entry) entry.findings += n;
    else byKey.set(key, { ...where, findings: n });
  }
  return [...byKey.values()].sort(
    (a, b) => JURISDICTIONS.indexOf(a.jurisdiction) - JURISDICTIONS.indexOf(b.jurisdiction) || a.country.localeCompare(b.country),
  );
}

export function jurisdictionSet(people: Iterable<{ jurisdiction: Jurisdiction }>): Set<Jurisdiction> {
  return new Set([...people].map((p) => p.jurisdiction));
}

// ---------------------------------------------------------------------------
// Cross-border flags
//
// These flags record facts (whose data, stored where, with which declared basis); they do
// not decide legality. In Hong Kong, PDPO s.33 (the transfer restriction) is not in force.
// The flags feed the later gap analysis (issue on gap analysis), which applies the GDPR's
// transfer rules (Art. 44-49) and the PIPL's personal-information export rules.

export const TRANSFER_BASES = ['consent', 'contract-clauses', 'adequacy', 'binding-corporate-rules'] as const;
export const TransferBasis = z.enum(TRANSFER_BASES);
export type TransferBasis = z.infer<typeof TransferBasis>;

export interface CrossBorderFlag {
  /** Jurisdiction of the people in the data. */
  from: Jurisdiction;
  /** Storage jurisdiction. */
  to: Jurisdiction;
  /** The declared transfer bases, comma-separated. */
  basis?: string;
  status: 'flagged' | 'covered';
}

export interface FlagSource {
  id: string;
  storage: StorageLocation & { jurisdiction?: Jurisdiction };
  transferBasis?: TransferBasis[];
}

/** One flag per people-jurisdiction other than the storage jurisdiction, in JURISDICTIONS
 * order; `covered` when the source declares a transfer basis. OTHER -> OTHER (say GB
 * people in US storage) is not flagged: the jurisdictions are the four. */
export function crossBorderFlags(source: FlagSource, people: ReadonlySet<Jurisdiction>): CrossBorderFlag[] {
  let storage: Jurisdiction;
  try {
    storage = source.storage.jurisdiction ?? jurisdictionOfStorage(source.storage);
  } catch (error) {
    throw new Error(`source "${source.id}": ${(error as Error).message}`);
  }
  const bases = [...new Set(source.transferBasis ?? [])];
  for (const b of bases) {
    if (!(TRANSFER_BASES as readonly string[]).includes(b)) {
      throw new Error(`source "${source.id}": unknown transfer basis "${String(b)}" (known: ${TRANSFER_BASES.join(', ')})`);
    }
  }
  const flags: CrossBorderFlag[] = [];
  for (const from of JURISDICTIONS) {
    if (!people.has(from) || from === storage) continue;
    flags.push(bases.length > 0 ? { from, to: storage, basis: bases.join(', '), status: 'covered' } : { from, to: storage, status: 'flagged' });
  }
  return flags;
}
