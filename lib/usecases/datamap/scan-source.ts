// Scans one declared source: its reader's records go through the detectors, and the
// counts (per group or channel), the people's jurisdictions and the distinct keyed
// hashes become the source's data-map entry. Nothing raw leaves here: a group's name
// is stored redacted, with a keyed hash of the raw name beside it, and an error the
// reader throws is redacted before it goes on (to the workflow, its logs and the run).
import type { ClassifyThresholdsInput, GroupCounts } from '../../domain/datamap/classify.ts';
import { buildSourceEntry, type ScannedSource } from '../../domain/datamap/datamap.ts';
import type { Detection, FindingType } from '../../domain/detect/detect.ts';
import { groupHash, keyedHash } from '../../domain/detect/mask.ts';
import { ownCopy } from '../../domain/text/own-copy.ts';
import { detectRecords } from '../../domain/detect/records.ts';
import { redactError, redactName } from '../../domain/detect/redact.ts';
import type { Source } from '../../domain/org/source.ts';
import type { SourceReaders } from '../ports.ts';
import { scanProgress, type SourceRecord } from './progress.ts';

/** Types that point at a person; their keyed hashes count distinct people. */
const PERSONAL: ReadonlySet<FindingType> = new Set(['hk_id', 'cn_resident_id', 'payment_card', 'iban', 'hk_phone', 'cn_phone', 'email']);

/**
 * Groups told apart per source: findings in groups first seen after these many are
 * counted together in one entry, so a file whose every row names a new group cannot
 * grow the tally (or the data map) without bound.
 */
export const MAX_GROUPS_PER_SOURCE = 10_000;
/** Characters of a group's (redacted) name kept in the data map; its hash tells apart names cut alike. */
export const MAX_GROUP_NAME_CHARS = 200;
/** Distinct keyed hashes held to count distinct people; beyond it the count is a lower bound. */
const MAX_DISTINCT_HASHES = 1_000_000;

// A name, so a bare number in it is masked as the phone it names (`9123 4567 陳生`).
const shown = (name: string): string => {
  const redacted = redactName(name);
  return redacted.length <= MAX_GROUP_NAME_CHARS ? redacted : `${redacted.slice(0, MAX_GROUP_NAME_CHARS - 1)}…`;
};

/** Counts per group, people per jurisdiction, and distinct keyed hashes: all a data map keeps. */
class Tally {
  /** By the group's raw name: held in memory only, never written. */
  readonly groups = new Map<string, Partial<Record<FindingType, number>>>();
  /** Findings in groups beyond MAX_GROUPS_PER_SOURCE, and how many such groups. */
  readonly overflow: { counts: Partial<Record<FindingType, number>>; names: Set<string> } = { counts: {}, names: new Set() };
  readonly people = new Map<string, { type: FindingType; country?: string; count: number }>();
  /** The first 52 bits of each distinct keyed hash, as a number: enough to count, a third of the memory of the hex. */
  readonly hashes = new Set<number>();
  private readonly hashKey: string | Uint8Array;

  constructor(hashKey: string | Uint8Array) {
    this.hashKey = hashKey;
  }

  add(group: string, d: Detection): void {
    let counts = this.groups.get(group);
    if (counts === undefined) {
      // A group read from a table cell may be a slice of the reader's whole chunk of text:
      // a copy is kept, so that the chunk is not held for as long as the scan runs.
      if (this.groups.size < MAX_GROUPS_PER_SOURCE) this.groups.set(ownCopy(group), (counts = {}));
      else {
        counts = this.overflow.counts;
        if (this.overflow.names.size < MAX_GROUPS_PER_SOURCE) this.overflow.names.add(ownCopy(group));
      }
    }
    counts[d.type] = (counts[d.type] ?? 0) + 1;
    const key = `${d.type}|${d.country ?? ''}`;
    const person = this.people.get(key) ?? { type: d.type, ...(d.country ? { country: d.country } : {}), count: 0 };
    person.count++;
    this.people.set(key, person);
    if (PERSONAL.has(d.type) && this.hashes.size < MAX_DISTINCT_HASHES) this.hashes.add(Number.parseInt(keyedHash(this.hashKey, d).slice(0, 13), 16));
  }

  /** The groups as the data map shows them: redacted names, keyed hashes of the raw ones, by name. */
  entries(): GroupCounts[] {
    const entries: GroupCounts[] = [...this.groups].map(([raw, counts]) => ({ group: shown(raw), groupHash: groupHash(this.hashKey, raw), counts }));
    entries.sort((a, b) => a.group.localeCompare(b.group) || (a.groupHash! < b.groupHash! ? -1 : 1));
    const more = this.overflow.names.size;
    if (more > 0) entries.push({ group: `(${more}${more >= MAX_GROUPS_PER_SOURCE ? '+' : ''} more groups, beyond the first ${MAX_GROUPS_PER_SOURCE})`, counts: this.overflow.counts });
    return entries;
  }
}

export async function scanSource(
  source: Source,
  hashKey: string | Uint8Array,
  readers: Pick<SourceReaders, 'source'>,
  thresholds: ClassifyThresholdsInput = {},
): Promise<ScannedSource> {
  const tally = new Tally(hashKey);
  let coverage;
  try {
    coverage = await detectRecords(scanProgress.follow(readers.source(source)), (record, d) => tally.add(record.group, d));
  } catch (error) {
    throw redactError(error);
  }
  return buildSourceEntry({
    id: source.id,
    platform: source.platform,
    storage: source.storage,
    ...(source.transferBasis ? { transferBasis: source.transferBasis } : {}),
    groups: tally.entries(),
    distinctPeople: tally.hashes.size,
    people: tally.people.values(),
    coverage,
  }, thresholds);
}
