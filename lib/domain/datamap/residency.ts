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
// Singapore on AWS and on Alibaba Cloud; `eu-central-1` is Frankfurt on both), but five
// do not (REGION_NAMES_SHARED_ACROSS_COUNTRIES, computed from the tables): AWS / Alibaba
// Cloud `eu-west-1` Ireland / London, `ap-southeast-3` Jakarta / Kuala Lumpur,
// `ap-southeast-5` Malaysia / Jakarta, `ap-southeast-6` Auckland / Manila, `me-central-1`
// UAE / Riyadh. Such a name is read by the declared `provider`; without one, by the
// declared country (`{ region: me-central-1, country: SA }` is Alibaba's Riyadh); with
// neither, it is refused (AmbiguousRegionError): no provider is assumed, since where
// the data is stored is the whole question. A name the providers share for the same
// country (`ap-southeast-1`) needs neither: the country is known whichever it is.
// Note that `eu-` does not mean EU: AWS `eu-west-2` is London and `eu-central-2` Zurich.
//
// Countries are ISO 3166-1 alpha-2 codes as officially assigned: `UK` (exceptionally
// reserved) is refused for `GB`, as are retired codes (`DD`) and user-assigned ones (`XK`).
import { z } from 'zod';
import type { FindingType } from '../detect/detect.ts';
import { euAdequacyFor } from './eu-adequacy.ts';

export { EU_ADEQUACY, euAdequacyFor } from './eu-adequacy.ts';

export const JURISDICTIONS = ['HK', 'CN', 'EU/EEA', 'OTHER'] as const;
export const Jurisdiction = z.enum(JURISDICTIONS);
export type Jurisdiction = z.infer<typeof Jurisdiction>;

export const PROVIDERS = ['aws', 'alibaba', 'azure', 'tencent', 'gcp'] as const;
export const Provider = z.enum(PROVIDERS);
export type Provider = z.infer<typeof Provider>;

const PROVIDER_NAMES: Record<Provider, string> = {
  aws: 'AWS',
  alibaba: 'Alibaba Cloud',
  azure: 'Azure',
  tencent: 'Tencent Cloud',
  gcp: 'Google Cloud',
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
  // Google Cloud's published region list (cloud.google.com/compute/docs/regions-zones),
  // as read on 2026-12-01. Its names never clash with the others' (`us-east1`, not `us-east-1`).
  gcp: {
    'africa-south1': 'ZA', // Johannesburg
    'asia-east1': 'TW', 'asia-east2': 'HK',
    'asia-northeast1': 'JP', 'asia-northeast2': 'JP', 'asia-northeast3': 'KR',
    'asia-south1': 'IN', 'asia-south2': 'IN',
    'asia-southeast1': 'SG', 'asia-southeast2': 'ID', 'asia-southeast3': 'TH',
    'australia-southeast1': 'AU', 'australia-southeast2': 'AU',
    'europe-central2': 'PL', 'europe-north1': 'FI', 'europe-north2': 'SE', 'europe-southwest1': 'ES',
    'europe-west1': 'BE', 'europe-west2': 'GB', 'europe-west3': 'DE', 'europe-west4': 'NL',
    'europe-west6': 'CH', 'europe-west8': 'IT', 'europe-west9': 'FR', 'europe-west10': 'DE', 'europe-west12': 'IT',
    'me-central1': 'QA', 'me-central2': 'SA', 'me-west1': 'IL', // Doha, Dammam, Tel Aviv
    'northamerica-northeast1': 'CA', 'northamerica-northeast2': 'CA', 'northamerica-south1': 'MX',
    'southamerica-east1': 'BR', 'southamerica-west1': 'CL',
    'us-central1': 'US', 'us-east1': 'US', 'us-east4': 'US', 'us-east5': 'US', 'us-south1': 'US',
    'us-west1': 'US', 'us-west2': 'US', 'us-west3': 'US', 'us-west4': 'US',
  },
};

/** Provider tried first for a region name known to several providers. */
const LOOKUP_ORDER: readonly Provider[] = ['aws', 'alibaba', 'azure', 'tencent', 'gcp'];

/** Each provider's reading of a region name, in LOOKUP_ORDER. */
function readings(region: string): { provider: Provider; country: string }[] {
  return LOOKUP_ORDER.flatMap((provider) => {
    const country = REGIONS[provider][region];
    return country === undefined ? [] : [{ provider, country }];
  });
}

/** Region names that providers use for places in different countries: read by the
 * declared provider, else the declared country, else refused. */
export const REGION_NAMES_SHARED_ACROSS_COUNTRIES: readonly string[] = [
  ...new Set(LOOKUP_ORDER.flatMap((p) => Object.keys(REGIONS[p]))),
]
  .filter((region) => new Set(readings(region).map((r) => r.country)).size > 1)
  .sort();

export interface StorageLocation {
  /** Cloud region as the provider spells it: `ap-east-1`, `cn-hongkong`, `eastasia`, `ap-guangzhou`. */
  region?: string;
  /** ISO 3166-1 alpha-2 country, e.g. `HK`, `CN`, `DE` (`GB`, not `UK`). */
  country?: string;
  /** Disambiguates a region name several providers use for different countries
   * (REGION_NAMES_SHARED_ACROSS_COUNTRIES). */
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

// The officially assigned ISO 3166-1 alpha-2 codes (249). Kept as data rather than asked
// of Intl, which also names retired codes (DD, SU, YU), exceptionally reserved ones (UK,
// EA, IC) and user-assigned ones (XK, QO): stored as given, DD would not be read as an
// EU member state and UK would not be GB.
const ISO_3166_ALPHA_2: ReadonlySet<string> = new Set(
  ('AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ ' +
    'CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR ' +
    'GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP ' +
    'KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT ' +
    'MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW ' +
    'SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ ' +
    'UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW').split(' '),
);
const regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });

/** The assigned code a refused one stands for, where Unicode's aliases name one (UK -> GB, DD -> DE). */
function assignedFor(code: string): string | undefined {
  try {
    const alias = Intl.getCanonicalLocales(`und-${code}`)[0]?.slice(4);
    return alias && alias !== code && ISO_3166_ALPHA_2.has(alias) ? alias : undefined;
  } catch {
    return undefined;
  }
}

/** Upper-cases and checks an ISO 3166-1 alpha-2 code; throws on anything else. */
export function normaliseCountry(country: string): string {
  const code = country.trim().toUpperCase();
  if (!ISO_3166_ALPHA_2.has(code)) {
    const alias = /^[A-Z]{2}$/.test(code) ? assignedFor(code) : undefined;
    const hint =
      code === 'EU' ? '; declare the member state, such as DE or IE'
      : code === 'UK' ? ': use GB'
      : alias ? `: did you mean ${alias} (${regionNames.of(alias) ?? alias})?`
      : ' (for example HK, CN, DE, GB)';
    throw new Error(`"${country}" is not an ISO 3166 alpha-2 country code${hint}`);
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

/**
 * A region name that providers use for different countries, declared with neither the
 * provider nor the country. `reason` is what the `region` field is told; the message
 * names the region as a storage region, for callers that have no field to name.
 */
export class AmbiguousRegionError extends Error {
  readonly reason: string;
  constructor(region: string, found: readonly { provider: Provider; country: string }[]) {
    const each = found.map((r) => `of ${PROVIDER_NAMES[r.provider]} in ${placeName(r.country)} (${r.country})`);
    const providers = found.map((r) => r.provider);
    const reason =
      `"${region}" is a region ${listed(each)}: give provider (${listed(providers, 'or')}) or country to say which; ` +
      'where data is stored is never guessed';
    super(`Storage region ${reason}`);
    this.name = 'AmbiguousRegionError';
    this.reason = reason;
  }
}

/** "a, b and c" (or "or"). */
function listed(items: readonly string[], and = 'and'): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} ${and} ${items[items.length - 1]}`;
}

function unknownRegion(region: string, provider: Provider | undefined): Error {
  const where = provider ? `a known ${PROVIDER_NAMES[provider]} region` : 'a known AWS, Alibaba Cloud, Azure or Tencent Cloud region';
  return new Error(
    `Unknown storage region "${region}": not ${where}. Known region prefixes: ${knownPrefixes()} ` +
      `(AWS, Alibaba Cloud, Tencent Cloud), Azure names such as eastasia, chinaeast2, westeurope, ` +
      `and Google Cloud names such as asia-east2, europe-west1, us-central1. ` +
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
  const found = readings(region).filter((r) => location.provider === undefined || r.provider === location.provider);
  if (found.length === 0) throw unknownRegion(location.region ?? '', location.provider);
  // Several providers' readings (no provider declared) that differ in country: only a
  // declared country can pick one. Readings that agree need nothing more: the first
  // (AWS) stands for them all.
  if (declaredCountry === undefined && new Set(found.map((r) => r.country)).size > 1) throw new AmbiguousRegionError(region, found);
  // Without a provider, a declared country picks the provider whose region it is.
  const match = found.find((r) => r.country === declaredCountry) ?? found[0]!;
  const { provider, country } = match;
  if (declaredCountry !== undefined && declaredCountry !== country) {
    const countries = new Set(found.map((r) => r.country));
    throw new Error(
      countries.size > 1
        ? `Storage region "${region}" is in ${found.map((r) => `${r.country} on ${PROVIDER_NAMES[r.provider]}`).join(' and in ')}, but the declared country is ${declaredCountry}; declare the provider, and the country its region is in`
        : `Storage region "${region}" is in ${country} (${PROVIDER_NAMES[provider]}) but the declared country is ${declaredCountry}` +
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
// Cross-border transfers
//
// The organisation is a Hong Kong data user (the organisation file declares no other home
// jurisdiction), so two sets of transfer rules are held against where a source is stored:
// - the PDPO's: personal data stored outside Hong Kong is a transfer out of Hong Kong,
//   whoever the people are (DPP3 and the PCPD's cross-border guidance and model clauses;
//   s.33 is not in force). Its flow goes from HK. Data kept in Hong Kong is no transfer,
//   whoever it describes: mainland people's data held in Hong Kong is not one (a
//   mainland exporter's PIPL duties are its own and not judged here).
// - the GDPR's (Art. 44-49): EU/EEA people's data stored outside the EU/EEA. Its flow
//   goes from EU/EEA.
// People of other places (mainland, others) raise no flow of their own. These flags
// record facts (what is stored where, under which declared basis); a basis counts only
// where it can apply: the PDPO has no adequacy mechanism, and GDPR adequacy needs an EU
// adequacy decision for the destination (eu-adequacy.ts).

/** Where the organisation is: its data leaving this place is a transfer out. */
const HOME_JURISDICTION: Jurisdiction = 'HK';

export const TRANSFER_BASES = ['consent', 'contract-clauses', 'adequacy', 'binding-corporate-rules'] as const;
export const TransferBasis = z.enum(TRANSFER_BASES);
export type TransferBasis = z.infer<typeof TransferBasis>;

export interface CrossBorderFlag {
  /** Where the transfer is from: HK (the organisation's own jurisdiction: the PDPO) or
   * EU/EEA (EU/EEA people's data: the GDPR). */
  from: Jurisdiction;
  /** Storage jurisdiction. */
  to: Jurisdiction;
  /** The declared transfer bases that apply to it, comma-separated. */
  basis?: string;
  status: 'flagged' | 'covered';
}

/** A flow with the law it falls under and why a declared basis does not count. */
export interface Transfer extends CrossBorderFlag {
  law: 'pdpo' | 'gdpr';
  /** ISO country of the storage, when known. */
  toCountry?: string;
  /** Declared bases that do not apply to this flow, each with why. */
  inapplicable: { basis: TransferBasis; reason: string }[];
}

/** Countries whose English names take "the". */
const THE = new Set(['US', 'GB', 'NL', 'PH', 'AE', 'BS', 'GM', 'MV', 'DO', 'CF', 'KM', 'MH', 'SB', 'FO', 'KY', 'VG', 'VI', 'TC']);

/** A place as people read it: never "OTHER". */
export function placeName(country: string | undefined, jurisdiction?: Jurisdiction): string {
  const code = country?.toUpperCase();
  if (code === 'HK' || (!code && jurisdiction === 'HK')) return 'Hong Kong';
  if (code === 'CN' || (!code && jurisdiction === 'CN')) return 'mainland China';
  if (code) return `${THE.has(code) ? 'the ' : ''}${regionNames.of(code) ?? code}`;
  return jurisdiction === 'EU/EEA' ? 'the EU/EEA' : 'a place outside Hong Kong, mainland China and the EU/EEA';
}

/** A flow's destination as the data map lists it: the storage's ISO country where known
 * (`US`), else its jurisdiction, OTHER named in words as placeName does. */
export function flowDestination(jurisdiction: string, country?: string): string {
  if (country) return country;
  return jurisdiction === 'OTHER' ? placeName(undefined, 'OTHER') : jurisdiction;
}

function whyNot(basis: TransferBasis, law: 'pdpo' | 'gdpr', to: Jurisdiction, country: string | undefined): string | undefined {
  if (basis !== 'adequacy') return undefined;
  if (law === 'pdpo') return 'the PDPO has no adequacy mechanism (section 33, with its list of places, is not in force)';
  const decision = euAdequacyFor(country);
  if (decision) return undefined;
  return `there is no EU adequacy decision for ${placeName(country, to)}`;
}

/**
 * The transfers a source's storage makes, in JURISDICTIONS order of `from`.
 * `personalData`: the source holds personal data (red or amber, or people found).
 */
export function transfers(
  storage: { jurisdiction: Jurisdiction; country?: string | undefined },
  people: ReadonlySet<Jurisdiction>,
  personalData: boolean,
  declared: readonly TransferBasis[],
): Transfer[] {
  const bases = [...new Set(declared)];
  const out: Transfer[] = [];
  const add = (from: Jurisdiction, law: 'pdpo' | 'gdpr') => {
    const inapplicable: Transfer['inapplicable'] = [];
    const applying: TransferBasis[] = [];
    for (const b of bases) {
      const reason = whyNot(b, law, storage.jurisdiction, storage.country);
      if (reason) inapplicable.push({ basis: b, reason });
      else applying.push(b);
    }
    out.push({
      from,
      to: storage.jurisdiction,
      ...(applying.length > 0 ? { basis: applying.join(', '), status: 'covered' as const } : { status: 'flagged' as const }),
      law,
      ...(storage.country ? { toCountry: storage.country } : {}),
      inapplicable,
    });
  };
  if ((personalData || people.size > 0) && storage.jurisdiction !== HOME_JURISDICTION) add(HOME_JURISDICTION, 'pdpo');
  if (people.has('EU/EEA') && storage.jurisdiction !== 'EU/EEA') add('EU/EEA', 'gdpr');
  return out;
}

export interface FlagSource {
  id: string;
  storage: StorageLocation & { jurisdiction?: Jurisdiction };
  transferBasis?: TransferBasis[];
}

/** The source's cross-border flows as the data map records them (see `transfers`);
 * `covered` when a declared basis applies. `personalData` defaults to whether any
 * people were found. */
export function crossBorderFlags(source: FlagSource, people: ReadonlySet<Jurisdiction>, personalData = people.size > 0): CrossBorderFlag[] {
  let storage: { jurisdiction: Jurisdiction; country?: string };
  try {
    storage = source.storage.jurisdiction
      ? { jurisdiction: source.storage.jurisdiction, ...(source.storage.country ? { country: normaliseCountry(source.storage.country) } : {}) }
      : resolveStorage(source.storage);
  } catch (error) {
    throw new Error(`source "${source.id}": ${(error as Error).message}`);
  }
  for (const b of source.transferBasis ?? []) {
    if (!(TRANSFER_BASES as readonly string[]).includes(b)) {
      throw new Error(`source "${source.id}": unknown transfer basis "${String(b)}" (known: ${TRANSFER_BASES.join(', ')})`);
    }
  }
  return transfers(storage, people, personalData, source.transferBasis ?? []).map(({ from, to, basis, status }) => (basis ? { from, to, basis, status } : { from, to, status }));
}
