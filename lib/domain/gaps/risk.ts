// The three-factor risk model: data sensitivity x user role x geographic mobility,
// for every source and every declared group. Pure: it reads what the data map and
// the organisation file say, and nothing else.
//
// Each factor has a level and a score from 1 to 3, with its reason:
// - sensitivity: the data map's rating (red 3, amber 2, green 1); a source the last
//   scan could not read counts as unknown.
// - role: the highest-ranked role among the members (management, HR and finance 3;
//   IT, legal, sales and operations 2; frontline and other 1); unknown when no
//   members, or none with a role, are declared.
// - mobility: a cross-border transfer (personal data stored outside Hong Kong, or
//   EU/EEA people's data outside the EU/EEA: see residency.ts) with no transfer basis 3,
//   with a basis 2, none 1.
// Unknown counts as `unknownScore` (default 2): not knowing is not a reason to rest.
// The score is the product (1 to 27); the tier is red from `thresholds.red` (default
// 12), amber from `thresholds.amber` (default 4), else green, and red data (the data
// map's rating) is never tiered green.
import { z } from 'zod';
import { flowDestination, placeName, type Jurisdiction } from '../datamap/residency.ts';

export const ROLES = ['management', 'hr', 'finance', 'it', 'legal', 'sales', 'operations', 'frontline', 'other'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

const DEFAULT_ROLE_SCORES: Readonly<Record<Role, 1 | 2 | 3>> = {
  management: 3,
  hr: 3,
  finance: 3,
  it: 2,
  legal: 2,
  sales: 2,
  operations: 2,
  frontline: 1,
  other: 1,
};

const factorScore = z.int().min(1).max(3);

export const RiskPolicy = z.strictObject({
  /** Score per role, where it differs from the default. */
  roleScores: z.partialRecord(Role, factorScore).optional(),
  /** What an unknown factor counts as. */
  unknownScore: factorScore.default(2),
  thresholds: z
    .strictObject({ red: z.int().min(1).max(27), amber: z.int().min(1).max(27) })
    .refine((t) => t.amber <= t.red, { message: 'amber must not be above red', path: ['amber'] })
    .default({ red: 12, amber: 4 }),
});
export type RiskPolicy = z.infer<typeof RiskPolicy>;
export const DEFAULT_RISK_POLICY: RiskPolicy = RiskPolicy.parse({});

export type Tier = 'red' | 'amber' | 'green';
export type Level = 'high' | 'medium' | 'low' | 'unknown';

export interface Factor {
  level: Level;
  score: number;
  reason: string;
}

export interface Risk {
  tier: Tier;
  score: number;
  factors: { sensitivity: Factor; role: Factor; mobility: Factor };
}

const LEVEL_OF_SCORE: Readonly<Record<number, Level>> = { 1: 'low', 2: 'medium', 3: 'high' };

/** What the risk of a source or group is made from. */
export interface RiskInput {
  /** The data map's rating; undefined when the last scan could not read it. */
  rating: 'red' | 'amber' | 'green' | undefined;
  /** Why the data map rates it so (its reasons), for the factor's reason. */
  ratingReasons: readonly string[];
  /** Roles of the declared members (undefined: a member with no role declared); undefined: no members declared. */
  memberRoles: readonly (Role | undefined)[] | undefined;
  /** Cross-border flows of the source (from the data map). */
  flows: readonly { from: Jurisdiction; to: Jurisdiction; status: 'flagged' | 'covered'; basis?: string | undefined }[];
  /** Where the source is stored, to name the place (a country, never "OTHER"); undefined: not known. */
  storage?: { jurisdiction: Jurisdiction; country?: string | undefined } | undefined;
}

function sensitivity(input: RiskInput, policy: RiskPolicy): Factor {
  if (!input.rating) return { level: 'unknown', score: policy.unknownScore, reason: 'the last scan could not read it' };
  const score = { red: 3, amber: 2, green: 1 }[input.rating];
  const why = input.ratingReasons.length ? `: ${input.ratingReasons.slice(0, 3).join('; ')}` : '';
  return { level: LEVEL_OF_SCORE[score]!, score, reason: `rated ${input.rating}${why}` };
}

function role(input: RiskInput, policy: RiskPolicy): Factor {
  const known = (input.memberRoles ?? []).filter((r): r is Role => r !== undefined);
  if (known.length === 0) {
    const why = input.memberRoles === undefined ? 'no members declared' : 'no member has a role declared';
    return { level: 'unknown', score: policy.unknownScore, reason: why };
  }
  const scoreOf = (r: Role) => policy.roleScores?.[r] ?? DEFAULT_ROLE_SCORES[r];
  const top = known.reduce((best, r) => (scoreOf(r) > scoreOf(best) ? r : best));
  const count = known.filter((r) => r === top).length;
  return { level: LEVEL_OF_SCORE[scoreOf(top)]!, score: scoreOf(top), reason: `${count} ${top} member${count === 1 ? '' : 's'} (the highest-ranked role)` };
}

function mobility(input: RiskInput, policy: RiskPolicy): Factor {
  const flagged = input.flows.filter((f) => f.status === 'flagged');
  // "OTHER" is no place: the storage country, as the data map names a flow's destination.
  const place = (j: Jurisdiction) => flowDestination(j, j === 'OTHER' ? input.storage?.country : undefined);
  const show = (fs: readonly { from: Jurisdiction; to: Jurisdiction }[]) => fs.map((f) => `${f.from} -> ${place(f.to)}`).join(', ');
  if (flagged.length > 0) return { level: 'high', score: 3, reason: `people's data stored in another jurisdiction with no transfer basis (${show(flagged)})` };
  if (input.flows.length > 0) {
    const bases = [...new Set(input.flows.map((f) => f.basis).filter(Boolean))].join(', ');
    return { level: 'medium', score: 2, reason: `stored in another jurisdiction under ${bases} (${show(input.flows)})` };
  }
  // No flow: say what is known, never where its people are (often unknown).
  if (input.rating === 'green') return { level: 'low', score: 1, reason: 'no personal data found to transfer' };
  // Not read: where its data goes is not known, which is no reason to rest (as sensitivity).
  if (input.rating === undefined) return { level: 'unknown', score: policy.unknownScore, reason: 'not known: the last scan could not read it' };
  const where = input.storage ? ` (stored in ${placeName(input.storage.country, input.storage.jurisdiction)})` : '';
  return { level: 'low', score: 1, reason: `no cross-border transfer${where}` };
}

export function assessRisk(input: RiskInput, policy: RiskPolicy = DEFAULT_RISK_POLICY): Risk {
  const factors = { sensitivity: sensitivity(input, policy), role: role(input, policy), mobility: mobility(input, policy) };
  const score = factors.sensitivity.score * factors.role.score * factors.mobility.score;
  let tier: Tier = score >= policy.thresholds.red ? 'red' : score >= policy.thresholds.amber ? 'amber' : 'green';
  if (tier === 'green' && input.rating === 'red') tier = 'amber'; // red data is never tiered green
  return { tier, score, factors };
}
