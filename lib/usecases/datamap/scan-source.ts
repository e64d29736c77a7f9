// Scans one declared source: its reader's records go through the detectors, and the
// counts (per group or channel), the people's jurisdictions and the distinct keyed
// hashes become the source's data-map entry. Nothing raw leaves here.
import type { ClassifyThresholdsInput } from '../../domain/datamap/classify.ts';
import { buildSourceEntry, type ScannedSource } from '../../domain/datamap/datamap.ts';
import type { Detection, FindingType } from '../../domain/detect/detect.ts';
import { keyedHash } from '../../domain/detect/mask.ts';
import { detectRecords } from '../../domain/detect/records.ts';
import type { Source } from '../../domain/org/source.ts';
import type { SourceReaders } from '../ports.ts';

/** Types that point at a person; their keyed hashes count distinct people. */
const PERSONAL: ReadonlySet<FindingType> = new Set(['hk_id', 'cn_resident_id', 'payment_card', 'iban', 'hk_phone', 'cn_phone', 'email']);

/** Counts per group, people per jurisdiction, and distinct keyed hashes: all a data map keeps. */
class Tally {
  readonly groups = new Map<string, Partial<Record<FindingType, number>>>();
  readonly people = new Map<string, { type: FindingType; country?: string; count: number }>();
  readonly hashes = new Set<string>();
  private readonly hashKey: string | Uint8Array;

  constructor(hashKey: string | Uint8Array) {
    this.hashKey = hashKey;
  }

  add(group: string, d: Detection): void {
    const counts = this.groups.get(group) ?? {};
    counts[d.type] = (counts[d.type] ?? 0) + 1;
    this.groups.set(group, counts);
    const key = `${d.type}|${d.country ?? ''}`;
    const person = this.people.get(key) ?? { type: d.type, ...(d.country ? { country: d.country } : {}), count: 0 };
    person.count++;
    this.people.set(key, person);
    if (PERSONAL.has(d.type)) this.hashes.add(keyedHash(this.hashKey, d));
  }
}

export async function scanSource(
  source: Source,
  hashKey: string | Uint8Array,
  readers: Pick<SourceReaders, 'source'>,
  thresholds: ClassifyThresholdsInput = {},
): Promise<ScannedSource> {
  const tally = new Tally(hashKey);
  const coverage = await detectRecords(readers.source(source), (record, d) => tally.add(record.group, d));
  return buildSourceEntry({
    id: source.id,
    platform: source.platform,
    storage: source.storage,
    ...(source.transferBasis ? { transferBasis: source.transferBasis } : {}),
    groups: [...tally.groups].sort(([a], [b]) => a.localeCompare(b)).map(([group, counts]) => ({ group, counts })),
    distinctPeople: tally.hashes.size,
    people: tally.people.values(),
    coverage,
  }, thresholds);
}
