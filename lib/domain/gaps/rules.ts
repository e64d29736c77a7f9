// The gap rules. Each reads what the organisation declares (platforms, sources with
// their processing records, groups, controls and evidence) against the latest data
// map and the three-factor risk, and reports findings: a subject, a severity, every
// catalogue requirement left unmet, the facts behind it (counts, jurisdictions,
// capabilities; never a raw identifier), an owner and a remedy. Pure.
//
// The organisation is a Hong Kong data user. The PDPO applies to all it holds; the GDPR
// only to EU/EEA people's data (Art. 3(2)): its articles are cited where a subject holds
// such data, and the framework is not applicable (not scored) when the data map finds
// none. Storage in the EU/EEA alone does not bring the GDPR in. Cross-border transfers
// are those of residency.ts, recomputed from the data map's facts and the bases the
// organisation file declares now.
import { holdsPersonalData } from '../datamap/classify.ts';
import type { DataMap, FailedSource, GroupEntry, ScannedSource } from '../datamap/datamap.ts';
import { controlTitles } from '../review/soa.ts';
import { euAdequacyFor, placeName, transfers, type Jurisdiction, type Transfer } from '../datamap/residency.ts';
import type { EvidenceStatus } from '../evidence/lapse-policy.ts';
import type { HeldGroup } from '../org/declared-group.ts';
import type { Control, Organisation, Person } from '../org/org.ts';
import type { Platform } from '../org/platform.ts';
import type { Source } from '../org/source.ts';
import { requirements } from '../catalogues/catalogues.ts';
import { gapId, type Finding, type Framework, type RequirementRef, type RuleId, type Severity, type Subject } from './gap.ts';
import { encryptsRedData, missingEncryption, platformFit } from './platform-fit.ts';
import { assessRisk, DEFAULT_RISK_POLICY, type Risk, type Role } from './risk.ts';

const pdpo = (id: string): RequirementRef => ({ framework: 'pdpo', id });
const gdpr = (id: string): RequirementRef => ({ framework: 'gdpr', id });
const iso = (id: string): RequirementRef => ({ framework: 'iso27001', id });

/** Each rule, what it checks and every requirement it may cite (for the framework scores). */
export const RULES: Readonly<Record<RuleId, { title: string; requirements: readonly RequirementRef[] }>> = {
  'cross-border-without-basis': {
    title: 'Personal data stored outside Hong Kong, or EU/EEA people\'s data outside the EU/EEA, with no transfer basis that applies',
    requirements: [pdpo('DPP3'), pdpo('PCPD-XB-GUIDANCE'), pdpo('PCPD-XB-MODEL-CLAUSES'), gdpr('Art.44'), gdpr('Art.46'), iso('A.5.14')],
  },
  'red-without-e2ee': {
    // Cited only where red data is not encrypted at rest and in transit: DPP4, Art. 32 and
    // A.8.24 ask for appropriate security, encryption among it, not end to end as such.
    title: 'Red data on a platform not encrypted at rest and in transit (high), or encrypted so but not end to end (low, advice)',
    requirements: [pdpo('DPP4'), gdpr('Art.32'), iso('A.8.24')],
  },
  'no-audit-log': {
    title: 'A platform holding red data keeps no audit log, or none reaches the SIEM',
    requirements: [pdpo('DPP4'), gdpr('Art.32'), iso('A.8.15'), iso('A.8.16')],
  },
  'no-retention-limit': {
    title: 'Personal data kept with no retention limit',
    requirements: [pdpo('DPP2'), gdpr('Art.5'), iso('A.8.10')],
  },
  'no-processing-record': {
    title: 'Personal data with no record of processing (purpose, lawful basis, retention)',
    requirements: [pdpo('DPP1'), pdpo('DPP5'), gdpr('Art.30'), iso('A.5.34')],
  },
  'special-category-without-condition': {
    title: 'Health data with no declared condition for processing a special category',
    requirements: [pdpo('DPP1'), gdpr('Art.9'), iso('A.5.34')],
  },
  'red-group-external-members': {
    title: 'A group holding red data has members from outside the organisation',
    requirements: [pdpo('DPP4'), gdpr('Art.32'), iso('A.5.14'), iso('A.5.15')],
  },
  'external-sharing-open': {
    title: 'Red data on a platform whose external sharing is open',
    requirements: [pdpo('DPP4'), gdpr('Art.32'), iso('A.5.14'), iso('A.8.12')],
  },
  'platform-unfit-for-tier': {
    title: "A source's platform does not meet what its risk tier asks",
    requirements: [pdpo('DPP4'), gdpr('Art.32'), iso('A.5.23'), iso('A.5.14')],
  },
  'source-not-assessed': {
    title: 'A declared source the latest scan could not read or did not reach',
    requirements: [gdpr('Art.30'), iso('A.5.9')],
  },
  'control-without-current-evidence': {
    title: 'A control in scope with no current evidence',
    requirements: [],
  },
  'soa-undecided': {
    // Clause 6.1.3 d): a Statement of Applicability that decides every Annex A control.
    title: 'Annex A controls the Statement of Applicability leaves undecided',
    requirements: [iso('6.1.3')],
  },
  'control-not-implemented': {
    title: 'An applicable control the Statement of Applicability says is not implemented, or only in part or in plan',
    requirements: [],
  },
};

export interface AnalysisInput {
  organisation: Pick<Organisation, 'id' | 'complianceContact' | 'risk'>;
  people: ReadonlyMap<string, Person>;
  platforms: readonly Platform[];
  sources: readonly Source[];
  groups: readonly HeldGroup[];
  dataMap: DataMap;
  /** Per-group detail of the data map, by source id. */
  groupEntries: ReadonlyMap<string, readonly GroupEntry[]>;
  controls: readonly Control[];
  /** Live evidence with its status today. */
  evidence: readonly { id: string; control: string; status: EvidenceStatus }[];
}

export interface SourceRisk extends Risk {
  id: string;
  allowedPlatforms: string[];
  recommendation: string;
}

export interface GroupRisk extends Risk {
  /** `<source>#<first 16 hex of the name's keyed hash>`: names no one. */
  id: string;
  source: string;
  /** The declared name, redacted. */
  name: string;
}

export interface Analysis {
  risk: { sources: SourceRisk[]; groups: GroupRisk[] };
  findings: Finding[];
  /** Frameworks that do not apply to the organisation, with why (for the scores). */
  notApplicable: Partial<Record<Framework, string>>;
}

const GDPR_NOT_APPLICABLE = "no EU/EEA people's data in the latest data map (GDPR Art. 3)";

export const groupSubjectId = (g: Pick<HeldGroup, 'source' | 'nameHash'>) => `${g.source}#${g.nameHash.slice(0, 16)}`;

const scanned = (e: ScannedSource | FailedSource | undefined): e is ScannedSource => e?.status === 'scanned';

/** People's jurisdictions in a source's data (from the data map). */
function peopleOf(entry: ScannedSource | undefined): Set<Jurisdiction> {
  return new Set((entry?.peopleJurisdictions ?? []).map((p) => p.jurisdiction));
}

/** It holds EU/EEA people's data: the GDPR applies to it. */
const holdsEu = (entry: ScannedSource | undefined) => peopleOf(entry).has('EU/EEA');

/** Personal data, whoever it is about: red or amber, or people found. */
const personalData = (entry: ScannedSource) => holdsPersonalData(entry.rating, entry.peopleJurisdictions.length);

/** A source's cross-border transfers, from its data map entry and the bases declared now. */
const transfersOf = (entry: ScannedSource, source: Source): Transfer[] =>
  transfers({ jurisdiction: entry.storage.jurisdiction, country: entry.storage.country }, peopleOf(entry), personalData(entry), source.transferBasis ?? []);

/** What to declare for the flagged transfers of a source, or where to keep its data. */
function transferRemedy(name: string, entry: ScannedSource, flagged: readonly Transfer[]): string {
  const place = placeName(entry.storage.country, entry.storage.jurisdiction);
  const pdpo = flagged.some((t) => t.law === 'pdpo');
  const gdpr = flagged.some((t) => t.law === 'gdpr');
  const parts: string[] = [];
  if (pdpo) {
    const gba = entry.storage.jurisdiction === 'CN' ? ', or the Greater Bay Area standard contract where the recipient is in one of its mainland cities' : '';
    parts.push(`for its transfer out of Hong Kong to ${place}, contract clauses (the PCPD's recommended model clauses${gba}), the people's consent or binding corporate rules`);
  }
  if (gdpr) {
    const decision = euAdequacyFor(entry.storage.country);
    const adequacy = decision ? `, adequacy (the EU's decision for ${placeName(decision.country)}${decision.scope ? `, for ${decision.scope}` : ''})` : '';
    parts.push(`for EU/EEA people's data in ${place}, the EU standard contractual clauses, binding corporate rules${adequacy}, or explicit consent for occasional transfers only`);
  }
  const keep = pdpo ? `; or keep its data in Hong Kong${gdpr ? ' (which ends the transfer out of Hong Kong, not the GDPR one)' : ''}` : '';
  const rejected = flagged.flatMap((t) => t.inapplicable);
  const why = rejected.length > 0 ? `; ${[...new Set(rejected.map((r) => r.basis))].join(', ')} does not apply: ${[...new Set(rejected.map((r) => r.reason))].join('; ')}` : '';
  return `declare a transfer basis for ${name}: ${parts.join('; ')}${keep}${why}`;
}

export function analyse(input: AnalysisInput): Analysis {
  const policy = input.organisation.risk ?? DEFAULT_RISK_POLICY;
  const entries = new Map(input.dataMap.sources.map((s) => [s.id, s]));
  const platforms = new Map(input.platforms.map((p) => [p.id, p]));
  const contact = input.organisation.complianceContact;
  const ownerOf = (source: Source) => source.owner ?? platforms.get(source.platform)?.owner ?? contact;
  const findings: Finding[] = [];
  // The GDPR applies to the organisation only where the data map finds EU/EEA people.
  const gdprApplies = input.dataMap.sources.some((s) => scanned(s) && holdsEu(s));
  /** `eu`: the subject holds EU/EEA people's data, so its GDPR articles are cited. */
  const find = (rule: RuleId, subject: Subject, f: { severity: Severity; requirements?: readonly RequirementRef[]; eu: boolean; facts: Record<string, unknown>; owner: string; remedy: string }) =>
    findings.push({
      id: gapId(rule, subject),
      rule,
      subject,
      severity: f.severity,
      requirements: (f.requirements ?? RULES[rule].requirements).filter((r) => r.framework !== 'gdpr' || (f.eu && gdprApplies)),
      facts: f.facts,
      owner: f.owner,
      remedy: f.remedy,
    });
  const roleOf = (id: string): Role | undefined => input.people.get(id)?.role;

  const groupsBySource = new Map<string, HeldGroup[]>();
  for (const g of input.groups) groupsBySource.set(g.source, [...(groupsBySource.get(g.source) ?? []), g]);

  // Risk, per source and per declared group.
  const sourceRisks: SourceRisk[] = [];
  const groupRisks: GroupRisk[] = [];
  // Each source's transfers, worked out once: for its risk here and its gap below.
  const flowsOf = new Map<string, Transfer[]>();
  for (const source of input.sources) {
    const entry = entries.get(source.id);
    const map = scanned(entry) ? entry : undefined;
    const declared = groupsBySource.get(source.id);
    const flows = map ? transfersOf(map, source) : [];
    flowsOf.set(source.id, flows);
    const storage = map ? { jurisdiction: map.storage.jurisdiction, country: map.storage.country } : undefined;
    const risk = assessRisk(
      {
        rating: map?.rating,
        ratingReasons: map?.reasons ?? [],
        memberRoles: declared ? declared.flatMap((g) => g.members.map(roleOf)) : undefined,
        flows,
        storage,
      },
      policy,
    );
    const held = { people: peopleOf(map), personalData: map ? personalData(map) : false, transferBasis: source.transferBasis ?? [], red: map?.rating === 'red' };
    const fit = platformFit(source, risk.tier, held, input.platforms);
    sourceRisks.push({ id: source.id, ...risk, allowedPlatforms: fit.allowedPlatforms, recommendation: fit.recommendation });
    if (fit.unfit.length > 0) {
      find('platform-unfit-for-tier', { kind: 'source', id: source.id }, {
        severity: risk.tier === 'red' ? 'high' : 'medium',
        eu: holdsEu(map),
        facts: { tier: risk.tier, score: risk.score, platform: source.platform, unfit: fit.unfit, allowedPlatforms: fit.allowedPlatforms },
        owner: ownerOf(source),
        remedy: fit.recommendation,
      });
    }
    for (const g of declared ?? []) {
      const mapped = input.groupEntries.get(source.id)?.find((e) => e.groupHash === g.nameHash);
      const gRisk = assessRisk(
        { rating: mapped?.rating ?? (map ? 'green' : undefined), ratingReasons: mapped?.reasons ?? [], memberRoles: g.members.map(roleOf), flows, storage },
        policy,
      );
      groupRisks.push({ id: groupSubjectId(g), source: source.id, name: g.name, ...gRisk });
      if (mapped?.rating === 'red' && g.externalMembers > 0) {
        find('red-group-external-members', { kind: 'group', id: groupSubjectId(g) }, {
          severity: 'high',
          eu: holdsEu(map),
          facts: { source: source.id, group: g.name, externalMembers: g.externalMembers, rating: mapped.rating, counts: mapped.counts },
          owner: g.owner ?? ownerOf(source),
          remedy: `remove the ${g.externalMembers} external member${g.externalMembers === 1 ? '' : 's'} from ${g.name}, or move its red data to a group of staff only`,
        });
      }
    }
  }

  for (const source of input.sources) {
    const entry = entries.get(source.id);
    const owner = ownerOf(source);
    const subject: Subject = { kind: 'source', id: source.id };
    if (!scanned(entry)) {
      find('source-not-assessed', subject, {
        severity: 'medium',
        eu: true, // whose data it holds is unknown: cited wherever the GDPR applies at all
        facts: entry ? { status: 'failed', reason: entry.reason, scan: input.dataMap.scanId } : { status: 'not in the latest scan', scan: input.dataMap.scanId },
        owner,
        remedy: entry ? `make ${source.name} readable (${entry.reason}) and scan again` : `scan again: ${source.name} was declared after the latest scan`,
      });
      continue;
    }
    const platform = platforms.get(source.platform);
    const counts = entry.counts;
    const eu = holdsEu(entry);
    const flagged = (flowsOf.get(source.id) ?? []).filter((f) => f.status === 'flagged');
    if (flagged.length > 0) {
      // PDPO items only for a transfer out of Hong Kong, GDPR items only for EU/EEA people's data.
      const laws = new Set<string>(flagged.map((f) => f.law));
      const requirements = RULES['cross-border-without-basis'].requirements.filter((r) => r.framework === 'iso27001' || laws.has(r.framework));
      const inapplicable = flagged.flatMap((f) => f.inapplicable.map((i) => ({ basis: i.basis, from: f.from, to: f.to, reason: i.reason })));
      find('cross-border-without-basis', subject, {
        severity: entry.rating === 'red' ? 'high' : 'medium',
        requirements,
        eu,
        facts: {
          storage: entry.storage.jurisdiction,
          storageCountry: entry.storage.country,
          flows: flagged.map(({ from, to, law }) => ({ from, to, law })),
          ...(inapplicable.length > 0 ? { inapplicableBases: inapplicable } : {}),
          peopleJurisdictions: entry.peopleJurisdictions,
          rating: entry.rating,
          counts,
        },
        owner,
        remedy: transferRemedy(source.name, entry, flagged),
      });
    }
    if (entry.rating === 'red' && platform) {
      if (platform.e2ee !== 'default') {
        const facts = { platform: platform.id, e2ee: platform.e2ee, encryptionAtRest: platform.encryptionAtRest === true, encryptionInTransit: platform.encryptionInTransit === true, reasons: entry.reasons };
        if (encryptsRedData(platform)) {
          // Encryption the law and A.8.24 ask for is there: advice, leaving no requirement unmet.
          find('red-without-e2ee', subject, {
            severity: 'low',
            requirements: [],
            eu,
            facts,
            owner,
            remedy: `${platform.name} encrypts ${source.name} at rest and in transit but not end to end, so ${platform.name}'s operator, and anyone who gets its keys or an administrator's access, can still read its red data (end to end, only the people it is shared with could); ${platform.e2ee === 'optional' ? `turn on end-to-end encryption for all of it on ${platform.name}` : 'move it to a platform encrypted end to end by default'}, or accept the risk with a reason`,
          });
        } else {
          find('red-without-e2ee', subject, {
            severity: 'high',
            eu,
            facts,
            owner,
            remedy: `encrypt ${source.name} ${missingEncryption(platform)} on ${platform.name} (and declare it in the organisation file), or move it to a platform encrypted at rest and in transit, better end to end by default`,
          });
        }
      }
      if (platform.externalSharing === 'open') {
        find('external-sharing-open', subject, {
          severity: 'high',
          eu,
          facts: { platform: platform.id, externalSharing: 'open', reasons: entry.reasons },
          owner,
          remedy: `restrict external sharing on ${platform.name} (links and guests), or move ${source.name} to a platform that blocks it`,
        });
      }
    }
    if (holdsPersonalData(entry.rating)) {
      const retention = source.processing?.retentionDays ?? platform?.retentionDays ?? undefined;
      if (retention === undefined) {
        find('no-retention-limit', subject, {
          severity: entry.rating === 'red' ? 'medium' : 'low',
          eu,
          facts: { rating: entry.rating, platformRetentionDays: platform?.retentionDays ?? null, declaredRetentionDays: null },
          owner,
          remedy: `set a retention period on ${platform?.name ?? source.platform} or declare processing.retentionDays for ${source.name}, and delete what is older`,
        });
      }
      if (!source.processing) {
        // EU/EEA people's data, not EU/EEA storage, is what makes it graver (EDPB Guidelines 3/2018).
        find('no-processing-record', subject, {
          severity: eu ? 'high' : 'medium',
          eu,
          facts: { rating: entry.rating, peopleJurisdictions: entry.peopleJurisdictions.map((p) => p.jurisdiction) },
          owner,
          remedy: `declare processing (purpose, lawfulBasis, retentionDays) for ${source.name} in the organisation file`,
        });
      }
      if ((counts.health ?? 0) > 0 && !source.processing?.specialCategoryCondition) {
        find('special-category-without-condition', subject, {
          severity: 'high',
          eu,
          facts: { health: counts.health },
          owner,
          remedy: `declare processing.specialCategoryCondition for ${source.name} (explicit consent, employment law, ...) or stop keeping health data there`,
        });
      }
    }
  }

  // Platforms holding red data.
  for (const platform of input.platforms) {
    const red = input.sources.filter((s) => s.platform === platform.id && entries.get(s.id)?.status === 'scanned' && (entries.get(s.id) as ScannedSource).rating === 'red');
    if (red.length === 0 || (platform.auditLog !== 'none' && platform.siem)) continue;
    const none = platform.auditLog === 'none';
    find('no-audit-log', { kind: 'platform', id: platform.id }, {
      severity: none ? 'high' : 'medium',
      eu: red.some((s) => holdsEu(entries.get(s.id) as ScannedSource)),
      facts: { auditLog: platform.auditLog, siem: platform.siem, redSources: red.map((s) => s.id) },
      owner: platform.owner ?? contact,
      remedy: none ? `turn on ${platform.name}'s audit log and send it to the SIEM, or move its red data elsewhere` : `send ${platform.name}'s audit log (${platform.auditLog}) to the SIEM`,
    });
  }

  // The Statement of Applicability decides every Annex A control, one way or the other
  // (clause 6.1.3 d)). With more than a quarter of Annex A undecided it blocks certification.
  const declared = new Set(input.controls.map((c) => c.id));
  const annexA = requirements('iso27001');
  const undecided = annexA.filter((r) => !declared.has(r.id)).map((r) => r.id);
  if (undecided.length > 0) {
    find('soa-undecided', { kind: 'organisation', id: input.organisation.id }, {
      severity: undecided.length * 4 > annexA.length ? 'high' : 'medium',
      eu: gdprApplies,
      facts: { undecided: undecided.length, controls: undecided },
      owner: contact,
      remedy: `decide the ${undecided.length} Annex A control${undecided.length === 1 ? '' : 's'} the organisation file does not mention: applicable with an owner, or not applicable with a justification`,
    });
  }

  // Applicable controls with no current evidence.
  const current = new Set(input.evidence.filter((e) => e.status === 'current' || e.status === 'due-soon').map((e) => e.control));
  for (const control of input.controls) {
    if (!control.applicable || !control.owner || current.has(control.id)) continue;
    const held = input.evidence.filter((e) => e.control === control.id);
    find('control-without-current-evidence', { kind: 'control', id: control.id }, {
      severity: held.length === 0 ? 'medium' : 'low',
      eu: gdprApplies,
      requirements: [iso(control.id)],
      facts: { evidence: held.length, lapsed: held.filter((e) => e.status === 'lapsed' || e.status === 'escalated').map((e) => e.id) },
      owner: control.owner,
      remedy: held.length === 0 ? `collect evidence for ${control.id} ${control.title} and add it to the organisation file` : `renew the lapsed evidence for ${control.id} ${control.title}`,
    });
  }

  // Applicable controls the file says are not (fully) in place: the gap a gap analysis is
  // for. One in the risk treatment plan (planned) or partly in place is low; none, medium.
  for (const control of input.controls) {
    const implementation = control.implementation;
    if (!control.applicable || !control.owner || implementation === undefined || implementation === 'implemented') continue;
    const name = `${control.id} ${controlTitles(control.id, control.title).title}`;
    find('control-not-implemented', { kind: 'control', id: control.id }, {
      severity: implementation === 'not-implemented' ? 'medium' : 'low',
      eu: gdprApplies,
      requirements: [iso(control.id)],
      facts: { implementation },
      owner: control.owner,
      remedy:
        implementation === 'not-implemented'
          ? `implement ${name}, or put it in the risk treatment plan (ISO/IEC 27001 6.1.3 e)) and state implementation: planned`
          : `complete the ${implementation === 'planned' ? 'planned ' : ''}implementation of ${name}, then state implementation: implemented`,
    });
  }

  return {
    risk: { sources: sourceRisks, groups: groupRisks },
    findings: findings.sort((a, b) => a.id.localeCompare(b.id)),
    notApplicable: gdprApplies ? {} : { gdpr: GDPR_NOT_APPLICABLE },
  };
}
