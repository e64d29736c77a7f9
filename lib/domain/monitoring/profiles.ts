// What the detections know around the events: each group's risk tier (the
// three-factor model's, as the gap analysis assesses it) and data-map rating, keyed by
// platform and the keyed hash of the group's name; the organisation's people by the
// keyed hash of their addresses and ids; the organisation's mail domains; and who is
// told of an alert. Pure.
import type { DataMap, GroupEntry } from '../datamap/datamap.ts';
import { assessRisk, DEFAULT_RISK_POLICY, type RiskPolicy, type Role } from '../gaps/risk.ts';
import type { HeldGroup } from '../org/declared-group.ts';
import type { Organisation, Person } from '../org/org.ts';
import type { Source } from '../org/source.ts';
import type { TierName } from './alert.ts';
import type { GroupProfile, MonitoredPerson } from './detect.ts';
import { domainOf } from './event.ts';
import { userHash } from './hold.ts';

export interface ProfileInput {
  sources: readonly Pick<Source, 'id' | 'platform'>[];
  groups: readonly HeldGroup[];
  people: ReadonlyMap<string, Pick<Person, 'role'>>;
  /** The latest data map, when there is one, and the group entries of its sources. */
  dataMap?: DataMap | undefined;
  groupEntries: ReadonlyMap<string, readonly GroupEntry[]>;
  risk?: RiskPolicy | undefined;
}

const RANK: Readonly<Record<TierName, number>> = { unknown: 0, green: 1, amber: 2, red: 3 };

/** Each group the data map or the organisation file knows, by `<platform>#<name hash>`. */
export function groupProfiles(input: ProfileInput): Map<string, GroupProfile> {
  const policy = input.risk ?? DEFAULT_RISK_POLICY;
  const out = new Map<string, GroupProfile>();
  const roleOf = (id: string): Role | undefined => input.people.get(id)?.role;
  const keep = (key: string, profile: GroupProfile) => {
    const held = out.get(key);
    if (!held || RANK[profile.tier] > RANK[held.tier]) out.set(key, profile);
  };
  for (const source of input.sources) {
    const entry = input.dataMap?.sources.find((s) => s.id === source.id);
    const scanned = entry?.status === 'scanned' ? entry : undefined;
    const declared = input.groups.filter((g) => g.source === source.id);
    const entries = input.groupEntries.get(source.id) ?? [];
    const seen = new Set<string>();
    for (const e of entries) {
      if (!e.groupHash) continue;
      seen.add(e.groupHash);
      const d = declared.find((g) => g.nameHash === e.groupHash);
      const { tier } = assessRisk({ rating: e.rating, ratingReasons: e.reasons, memberRoles: d ? d.members.map(roleOf) : undefined, flows: scanned?.flows ?? [] }, policy);
      keep(`${source.platform}#${e.groupHash}`, { name: e.group, tier, rating: e.rating, ...(d?.owner ? { owner: d.owner } : {}) });
    }
    // Declared groups the map does not name: green as the gap analysis rates them when the
    // source was read. When the latest scan could not read the source (or did not reach it),
    // what the group holds is unknown: it counts as red, as the gap analysis never counts
    // such a source clean; ranked lowest, its content could leave unwatched.
    for (const g of declared) {
      if (seen.has(g.nameHash)) continue;
      if (!scanned) {
        keep(`${source.platform}#${g.nameHash}`, { name: g.name, tier: 'red', rating: 'red', assumed: 'source-not-assessed', ...(g.owner ? { owner: g.owner } : {}) });
        continue;
      }
      const { tier } = assessRisk({ rating: 'green', ratingReasons: [], memberRoles: g.members.map(roleOf), flows: scanned.flows }, policy);
      keep(`${source.platform}#${g.nameHash}`, { name: g.name, tier, rating: 'green', ...(g.owner ? { owner: g.owner } : {}) });
    }
  }
  return out;
}

/** The organisation's people by the keyed hash of their address and of their id. */
export function peopleByHash(key: string | Uint8Array, people: Iterable<Pick<Person, 'id' | 'email' | 'leavingOn'>>): Map<string, MonitoredPerson> {
  const out = new Map<string, MonitoredPerson>();
  for (const p of people) {
    const person: MonitoredPerson = { id: p.id, ...(p.leavingOn ? { leavingOn: p.leavingOn } : {}) };
    out.set(userHash(key, p.email), person);
    out.set(userHash(key, p.id), person);
  }
  return out;
}

/** The organisation's mail domains: as declared, else those of its people's addresses. */
export function organisationDomains(organisation: Pick<Organisation, 'domains'>, people: Iterable<Pick<Person, 'email'>>): string[] {
  if (organisation.domains?.length) return [...organisation.domains];
  const out = new Set<string>();
  for (const p of people) {
    const d = domainOf(p.email);
    if (d) out.add(d);
  }
  return [...out].sort();
}

/**
 * Who is told of an alert: the group's owner and the security contact (else the compliance
 * contact), once each; never its subject (the person whose action it is: told of it, they
 * could tidy up before anyone looks). With them left out and no one left, the compliance
 * contact, who gets the escalations, and failing that the subject's manager.
 */
export function alertRecipients(
  organisation: Pick<Organisation, 'securityContact' | 'complianceContact'>,
  groupOwner: string | undefined,
  subject?: Pick<Person, 'id' | 'manager'> | undefined,
): string[] {
  const out = new Set([groupOwner, organisation.securityContact ?? organisation.complianceContact].filter((r): r is string => r !== undefined));
  if (subject) {
    out.delete(subject.id);
    for (const fallback of [organisation.complianceContact, subject.manager]) {
      if (out.size === 0 && fallback !== undefined && fallback !== subject.id) out.add(fallback);
    }
  }
  return [...out].sort();
}
