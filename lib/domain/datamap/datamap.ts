// The data map record of one scan of one organisation, its zod schema (validated at the
// edge: by the store before writing and after reading, and by the workflow's aggregate
// step), a pure builder for one source's entry, and the change since the previous scan.
// Pure: no I/O, no clock (`scannedAt` is given).
import { z } from 'zod';
import { classify, CountsSchema, holdsPersonalData, Rating, type ClassifyInput, type ClassifyThresholdsInput } from './classify.ts';
import {
  crossBorderFlags,
  Jurisdiction,
  jurisdictionSet,
  peopleJurisdictions,
  Provider,
  resolveStorage,
  TransferBasis,
  type PeopleFinding,
  type StorageLocation,
} from './residency.ts';

const text = z.string().min(1);
const count = z.number().int().nonnegative();
const country = z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166 alpha-2 code in upper case');

export const StorageEntry = z
  .strictObject({
    provider: Provider.optional(),
    region: text.optional(),
    country: country.optional(),
    jurisdiction: Jurisdiction,
  })
  .refine((s) => s.region !== undefined || s.country !== undefined, { message: 'storage needs a region or a country' });
export type StorageEntry = z.infer<typeof StorageEntry>;

export const GroupEntry = z.strictObject({
  /** The name redacted (lib/domain/detect/redact.ts): never an identifier as written. */
  group: text,
  /** HMAC of the raw name under the findings' key (groupHash in mask.ts), to match it by name. */
  groupHash: z.string().regex(/^[0-9a-f]{64}$/).optional(),
  rating: Rating,
  reasons: z.array(z.string()),
  counts: CountsSchema,
});
export type GroupEntry = z.infer<typeof GroupEntry>;

export const PeopleJurisdictionEntry = z.strictObject({
  jurisdiction: Jurisdiction,
  country,
  findings: z.number().int().positive(),
});

export const FlowEntry = z
  .strictObject({
    /** HK: a transfer out of Hong Kong (the PDPO); EU/EEA: EU/EEA people's data (the GDPR). See residency.ts. */
    from: Jurisdiction,
    to: Jurisdiction,
    basis: text.optional(),
    status: z.enum(['flagged', 'covered']),
  })
  .refine((f) => f.from !== f.to, { message: 'a flow goes between two different jurisdictions', path: ['to'] })
  .refine((f) => (f.status === 'covered') === (f.basis !== undefined), {
    message: 'a covered flow names its basis, a flagged one has none',
    path: ['basis'],
  });
export type FlowEntry = z.infer<typeof FlowEntry>;

export const Coverage = z
  .strictObject({
    bytesRead: count,
    bytesTotal: count,
    records: count.optional(),
    truncated: z.boolean(),
  })
  .refine((c) => c.bytesRead <= c.bytesTotal, { message: 'bytesRead exceeds bytesTotal', path: ['bytesRead'] });
export type Coverage = z.infer<typeof Coverage>;

/** What every source's entry names. */
const sourceIdentity = { id: text, platform: text };

export const ScannedSource = z.strictObject({
  ...sourceIdentity,
  status: z.literal('scanned'),
  storage: StorageEntry,
  rating: Rating,
  reasons: z.array(z.string()),
  counts: CountsSchema,
  groups: z.array(GroupEntry),
  peopleJurisdictions: z.array(PeopleJurisdictionEntry),
  distinctPeople: count.optional(),
  flows: z.array(FlowEntry),
  coverage: Coverage,
});
export type ScannedSource = z.infer<typeof ScannedSource>;

/** A source that could not be read (missing file, no permission, missing table, an
 * undeclared or unknown storage region): recorded with the reason, the run goes on. */
export const FailedSource = z.strictObject({
  ...sourceIdentity,
  status: z.literal('failed'),
  reason: text,
  storage: StorageEntry.optional(),
  coverage: Coverage.optional(),
});
export type FailedSource = z.infer<typeof FailedSource>;

export const SourceEntry = z.discriminatedUnion('status', [ScannedSource, FailedSource]);
export type SourceEntry = z.infer<typeof SourceEntry>;

export const DataMap = z
  .strictObject({
    orgId: text,
    scanId: text,
    scannedAt: z.iso.datetime({ offset: true }),
    sources: z.array(SourceEntry),
  })
  .superRefine((map, ctx) => {
    const seen = new Set<string>();
    map.sources.forEach((s, i) => {
      if (seen.has(s.id)) ctx.addIssue({ code: 'custom', message: `source "${s.id}" listed twice`, path: ['sources', i, 'id'] });
      seen.add(s.id);
    });
  });
export type DataMap = z.infer<typeof DataMap>;

// ---------------------------------------------------------------------------
// Building one source's entry from a scan's results

export interface SourceScanInput extends ClassifyInput {
  id: string;
  platform: string;
  storage: StorageLocation;
  transferBasis?: TransferBasis[];
  /** Findings (or counts by type and country) for the people's jurisdictions. */
  people: Iterable<PeopleFinding>;
  coverage: Coverage;
}

/** Classification, storage jurisdiction, people's jurisdictions and flows for one
 * scanned source. Throws on bad input (unknown region, bad counts); the caller records
 * that as a failed source with `failedSource`. */
export function buildSourceEntry(input: SourceScanInput, thresholds: ClassifyThresholdsInput = {}): ScannedSource {
  const resolved = resolveStorage(input.storage);
  const classification = classify(input, thresholds);
  const people = peopleJurisdictions(input.people);
  const flows = crossBorderFlags(
    { id: input.id, storage: { jurisdiction: resolved.jurisdiction, country: resolved.country }, ...(input.transferBasis ? { transferBasis: input.transferBasis } : {}) },
    jurisdictionSet(people),
    holdsPersonalData(classification.rating, people.length),
  );
  const storage: StorageEntry = {
    ...(resolved.provider ? { provider: resolved.provider } : {}),
    ...(input.storage.region !== undefined ? { region: input.storage.region.trim().toLowerCase() } : {}),
    country: resolved.country,
    jurisdiction: resolved.jurisdiction,
  };
  return ScannedSource.parse({
    id: input.id,
    platform: input.platform,
    status: 'scanned',
    storage,
    rating: classification.rating,
    reasons: classification.reasons,
    counts: classification.counts,
    groups: classification.groups,
    peopleJurisdictions: people,
    ...(classification.distinctPeople !== undefined ? { distinctPeople: classification.distinctPeople } : {}),
    flows,
    coverage: input.coverage,
  });
}

export function failedSource(id: string, platform: string, reason: string): FailedSource {
  return { id, platform, status: 'failed', reason };
}

// ---------------------------------------------------------------------------
// The change since the previous scan

const SourceJurisdiction = z.object({ source: z.string(), jurisdiction: Jurisdiction });
const SourceMove = z.object({ source: z.string(), from: Jurisdiction, to: Jurisdiction });

export const DataMapDiff = z.object({
  /** Red now and not red last time (new sources and previously failed ones included). */
  turnedRed: z.array(z.string()),
  /** Green now, scanned and not green last time. */
  wentGreen: z.array(z.string()),
  /** Scanned both times with a different rating. */
  ratingChanged: z.array(z.object({ source: z.string(), from: Rating, to: Rating })),
  /** People's jurisdictions a source did not show last time (all of them for a new or
   * previously failed source). */
  newJurisdictions: z.array(SourceJurisdiction),
  /** Flagged flows not flagged last time (new, or no longer covered). */
  newFlaggedFlows: z.array(SourceMove),
  /** Storage jurisdiction differs from last time (both known). */
  storageMoved: z.array(SourceMove),
  newSources: z.array(z.string()),
  removedSources: z.array(z.string()),
  /** Failed now, and scanned (or absent) last time. */
  newlyFailed: z.array(z.string()),
});
export type DataMapDiff = z.infer<typeof DataMapDiff>;

/** One scan's map as stored, with its change since the scan before. */
export const StoredDataMap = z.object({ dataMap: DataMap, diff: DataMapDiff });
export type StoredDataMap = z.infer<typeof StoredDataMap>;

/** The change from `previous` to `current`, in the order of `current.sources` (removed
 * sources in the order of `previous.sources`). Without a previous scan, everything in
 * `current` is new. Both maps must be of the same organisation. */
export function diffDataMaps(previous: DataMap | undefined, current: DataMap): DataMapDiff {
  if (previous && previous.orgId !== current.orgId) {
    throw new Error(`cannot compare data maps of different organisations: "${previous.orgId}" and "${current.orgId}"`);
  }
  const before = new Map((previous?.sources ?? []).map((s) => [s.id, s] as const));
  const now = new Set(current.sources.map((s) => s.id));
  const diff: DataMapDiff = {
    turnedRed: [],
    wentGreen: [],
    ratingChanged: [],
    newJurisdictions: [],
    newFlaggedFlows: [],
    storageMoved: [],
    newSources: [],
    removedSources: (previous?.sources ?? []).filter((s) => !now.has(s.id)).map((s) => s.id),
    newlyFailed: [],
  };
  for (const source of current.sources) {
    const old = before.get(source.id);
    if (!old) diff.newSources.push(source.id);
    const oldScanned = old?.status === 'scanned' ? old : undefined;
    const oldStorage = old?.storage?.jurisdiction;
    if (oldStorage && source.storage && oldStorage !== source.storage.jurisdiction) {
      diff.storageMoved.push({ source: source.id, from: oldStorage, to: source.storage.jurisdiction });
    }
    if (source.status === 'failed') {
      if (old?.status !== 'failed') diff.newlyFailed.push(source.id);
      continue;
    }
    if (source.rating === 'red' && oldScanned?.rating !== 'red') diff.turnedRed.push(source.id);
    if (source.rating === 'green' && oldScanned && oldScanned.rating !== 'green') diff.wentGreen.push(source.id);
    if (oldScanned && oldScanned.rating !== source.rating) {
      diff.ratingChanged.push({ source: source.id, from: oldScanned.rating, to: source.rating });
    }
    const oldJurisdictions = new Set(oldScanned?.peopleJurisdictions.map((p) => p.jurisdiction) ?? []);
    for (const jurisdiction of new Set(source.peopleJurisdictions.map((p) => p.jurisdiction))) {
      if (!oldJurisdictions.has(jurisdiction)) diff.newJurisdictions.push({ source: source.id, jurisdiction });
    }
    const oldFlagged = new Set(oldScanned?.flows.filter((f) => f.status === 'flagged').map((f) => `${f.from}>${f.to}`) ?? []);
    for (const flow of source.flows) {
      if (flow.status === 'flagged' && !oldFlagged.has(`${flow.from}>${flow.to}`)) {
        diff.newFlaggedFlows.push({ source: source.id, from: flow.from, to: flow.to });
      }
    }
  }
  return diff;
}
