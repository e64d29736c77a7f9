// Red / amber / green classification of one source and of each of its groups
// (chat groups, Slack channels, folders), from finding counts. Pure: no I/O, no clock.
//
// The rule (issue 3, part 3):
// - red: government identifiers (hk_id, cn_resident_id), payment or bank data
//   (payment_card, iban), health, payroll;
// - amber: contact data only (hk_phone, cn_phone, email);
// - green: nothing that counts.
// A type counts only once its count reaches its threshold: `red.minFindings` for the red
// types, `amber.minFindings` for the amber ones, or a per-type override, so an
// organisation can say that one stray "bonus" does not make a group red
// (`perType: { payroll: { minFindings: 3 } }`). Counts below the threshold still appear
// in `counts` and in a reason saying they were not counted.
//
// Groups roll up: the source's totals are `counts` when given, else the sum of the
// groups' counts, and the source's rating is the worst of the rating of its totals and
// of every group's rating (a group cannot be red inside a source that is not).
import { z } from 'zod';
import { FINDING_TYPES, type FindingType } from '../detect/detect.ts';

export const RATINGS = ['green', 'amber', 'red'] as const;
export const Rating = z.enum(RATINGS);
export type Rating = z.infer<typeof Rating>;

/** Personal data, whoever it is about: a red or amber rating, or someone's identifiers found (stored outside Hong Kong, it is a transfer). */
export const holdsPersonalData = (rating: Rating | undefined, peopleFound = 0): boolean => rating === 'red' || rating === 'amber' || peopleFound > 0;

export const FindingTypeSchema = z.enum(FINDING_TYPES);

export type Counts = Partial<Record<FindingType, number>>;

/** Non-negative whole counts per finding type (zero counts allowed). */
export const CountsSchema = z.partialRecord(FindingTypeSchema, z.number().int().nonnegative());

export interface Category {
  level: 'red' | 'amber';
  /** Words used in reasons: `hk_id: 12 findings (government identifier)`. */
  label: string;
}

export const CATEGORIES: Readonly<Record<FindingType, Category>> = {
  hk_id: { level: 'red', label: 'government identifier' },
  cn_resident_id: { level: 'red', label: 'government identifier' },
  payment_card: { level: 'red', label: 'payment data' },
  iban: { level: 'red', label: 'bank data' },
  health: { level: 'red', label: 'health data' },
  payroll: { level: 'red', label: 'payroll data' },
  hk_phone: { level: 'amber', label: 'contact data' },
  cn_phone: { level: 'amber', label: 'contact data' },
  email: { level: 'amber', label: 'contact data' },
};

const Threshold = z.strictObject({ minFindings: z.number().int().min(1).default(1) });

/** Thresholds, all optional: `ClassifyThresholds.parse({})` gives the defaults (1 finding). */
export const ClassifyThresholds = z.strictObject({
  red: Threshold.prefault({}),
  amber: Threshold.prefault({}),
  perType: z.partialRecord(FindingTypeSchema, Threshold).prefault({}),
});
export type ClassifyThresholds = z.infer<typeof ClassifyThresholds>;
export type ClassifyThresholdsInput = z.input<typeof ClassifyThresholds>;

export interface GroupCounts {
  /** The group's name as shown (redacted: see lib/domain/detect/redact.ts). */
  group: string;
  /** Keyed hash of the raw name (groupHash in mask.ts): what tells groups apart when given. */
  groupHash?: string;
  counts: Counts;
}

export interface ClassifyInput {
  /** The source's totals. Without it, the sum of the groups' counts. */
  counts?: Counts;
  groups?: GroupCounts[];
  /** Distinct people (distinct keyed hashes of identifier findings), when known. */
  distinctPeople?: number;
}

export interface GroupClassification {
  group: string;
  groupHash?: string;
  rating: Rating;
  reasons: string[];
  counts: Counts;
}

export interface Classification {
  rating: Rating;
  reasons: string[];
  counts: Counts;
  groups: GroupClassification[];
  distinctPeople?: number;
}

export function worstRating(...ratings: Rating[]): Rating {
  let worst: Rating = 'green';
  for (const rating of ratings) if (RATINGS.indexOf(rating) > RATINGS.indexOf(worst)) worst = rating;
  return worst;
}

export function thresholdFor(type: FindingType, thresholds: ClassifyThresholds): number {
  return thresholds.perType[type]?.minFindings ?? thresholds[CATEGORIES[type].level].minFindings;
}

function checkCounts(counts: Counts, where: string): Counts {
  const out: Counts = {};
  for (const [type, value] of Object.entries(counts)) {
    if (!(FINDING_TYPES as readonly string[]).includes(type)) {
      throw new Error(`${where}: unknown finding type "${type}" (known: ${FINDING_TYPES.join(', ')})`);
    }
    if (value === undefined) continue;
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new Error(`${where}: count for ${type} must be a whole number >= 0, got ${String(value)}`);
    }
    if (value > 0) out[type as FindingType] = value;
  }
  return out;
}

function plural(n: number): string {
  return `${n} finding${n === 1 ? '' : 's'}`;
}

/** Rating and reasons for one set of counts. Reasons: counted red types, counted amber
 * types, then types below their threshold, each in FINDING_TYPES order. */
export function rateCounts(counts: Counts, thresholds: ClassifyThresholds): { rating: Rating; reasons: string[] } {
  const counted: Record<'red' | 'amber', string[]> = { red: [], amber: [] };
  const below: string[] = [];
  for (const type of FINDING_TYPES) {
    const n = counts[type] ?? 0;
    if (n === 0) continue;
    const { level, label } = CATEGORIES[type];
    const min = thresholdFor(type, thresholds);
    if (n >= min) counted[level].push(`${type}: ${plural(n)} (${label})`);
    else below.push(`${type}: ${plural(n)} (${label}), below the threshold of ${min}, not counted`);
  }
  const rating: Rating = counted.red.length > 0 ? 'red' : counted.amber.length > 0 ? 'amber' : 'green';
  const reasons = [...counted.red, ...counted.amber, ...below];
  if (reasons.length === 0) reasons.push('no findings');
  return { rating, reasons };
}

function sumCounts(list: Counts[]): Counts {
  const total: Counts = {};
  for (const counts of list) {
    for (const type of FINDING_TYPES) {
      const n = counts[type];
      if (n) total[type] = (total[type] ?? 0) + n;
    }
  }
  return total;
}

export function classify(input: ClassifyInput, thresholdsInput: ClassifyThresholdsInput = {}): Classification {
  const thresholds = ClassifyThresholds.parse(thresholdsInput);
  const seen = new Set<string>();
  const groups: GroupClassification[] = (input.groups ?? []).map((g, i) => {
    if (typeof g.group !== 'string' || g.group === '') throw new Error(`groups[${i}]: group name must be non-empty text`);
    // Two raw names may redact alike ("+852 ****4567"): the hash, when given, tells them apart.
    const identity = g.groupHash ?? g.group;
    if (seen.has(identity)) throw new Error(`groups[${i}]: group "${g.group}" listed twice`);
    seen.add(identity);
    const counts = checkCounts(g.counts, `group "${g.group}"`);
    return { group: g.group, ...(g.groupHash !== undefined ? { groupHash: g.groupHash } : {}), ...rateCounts(counts, thresholds), counts };
  });
  const counts = input.counts ? checkCounts(input.counts, 'source') : sumCounts(groups.map((g) => g.counts));
  const own = rateCounts(counts, thresholds);
  const rating = worstRating(own.rating, ...groups.map((g) => g.rating));
  const reasons = [...own.reasons];
  if (rating !== own.rating) {
    // Only when the caller's totals understate a group: say which group decided.
    for (const g of groups) if (g.rating === rating) reasons.push(`group "${g.group}" is ${rating}`);
  }
  if (input.distinctPeople !== undefined && (!Number.isSafeInteger(input.distinctPeople) || input.distinctPeople < 0)) {
    throw new Error(`distinctPeople must be a whole number >= 0, got ${String(input.distinctPeople)}`);
  }
  return {
    rating,
    reasons,
    counts,
    groups,
    ...(input.distinctPeople !== undefined ? { distinctPeople: input.distinctPeople } : {}),
  };
}
