// The synthetic organisation that the gap analysis and report benchmarks read: its
// platforms (storage, encryption, audit log, SIEM, retention and sharing cycle through
// their values), its sources spread over those platforms, its declared groups, and the
// data map of a scan of those sources. Each benchmark gives its own sizes and one of the
// regions, and has its own people, controls and evidence.
import { buildSourceEntry, DataMap, type ScannedSource } from '../../lib/domain/datamap/datamap.ts';
import type { PeopleFinding } from '../../lib/domain/datamap/residency.ts';
import { groupHash } from '../../lib/domain/detect/mask.ts';
import type { OrgFile } from '../../lib/domain/org/org.ts';

/** The findings in each source's one group, by type, in turn. */
const COUNTS = [{ hk_id: 3, payroll: 2 }, { email: 4, hk_phone: 2 }, {}, { health: 1, cn_phone: 2 }] as const;

export interface EstateSizes {
  platforms: number;
  sources: number;
  groups: number;
  /** The fourth region the platforms store their data in, an AWS one (after Hangzhou and Hong Kong on Alibaba Cloud and Ireland on AWS). */
  awsRegion: string;
}

/** The organisation file's platforms, sources and groups (to spread into the file before it is parsed). */
export function syntheticEstate({ platforms, sources, groups, awsRegion }: EstateSizes) {
  const regions = [
    { region: 'cn-hangzhou', provider: 'alibaba' },
    { region: 'cn-hongkong', provider: 'alibaba' },
    { region: 'eu-west-1', provider: 'aws' },
    { region: awsRegion, provider: 'aws' },
  ];
  return {
    platforms: Array.from({ length: platforms }, (_, i) => ({
      id: `platform-${i}`,
      name: `Platform ${i}`,
      storage: regions[i % regions.length],
      e2ee: (['none', 'optional', 'default'] as const)[i % 3],
      auditLog: (['none', 'export', 'api'] as const)[i % 3],
      siem: i % 2 === 0,
      ...(i % 4 ? { retentionDays: 365 } : {}),
      externalSharing: (['open', 'restricted', 'blocked'] as const)[i % 3],
    })),
    sources: Array.from({ length: sources }, (_, i) => ({
      id: `source-${i}`,
      name: `Source ${i}`,
      platform: `platform-${i % platforms}`,
      kind: 'chat-table',
      path: `/bench/${i}.csv`,
      ...(i % 5 === 0 ? { transferBasis: ['contract-clauses'] } : {}),
      ...(i % 2 ? { processing: { purpose: 'Work', lawfulBasis: 'contract', retentionDays: 365 } } : {}),
    })),
    groups: Array.from({ length: groups }, (_, i) => ({ source: `source-${i * 10}`, name: `Group ${i}`, members: [`p${i % 40}`, `p${(i + 1) % 40}`], externalMembers: i % 3 })),
  };
}

/**
 * The data map of a scan of every source on 2026-11-01, each stored where its platform
 * is, with one group of findings (hashed with `key`), and people: Hong Kong identity
 * cards in every fourth source, `otherPeople` in the next one, none in the other two.
 */
export function syntheticDataMap(file: OrgFile, key: string, otherPeople: readonly PeopleFinding[]): DataMap {
  const sources: ScannedSource[] = file.sources.map((s, i) =>
    buildSourceEntry({
      id: s.id,
      platform: s.platform,
      storage: s.storage,
      ...(s.transferBasis ? { transferBasis: s.transferBasis } : {}),
      groups: [{ group: `Group ${i / 10}`, groupHash: groupHash(key, `Group ${i / 10}`), counts: { ...COUNTS[i % COUNTS.length] } }],
      people: i % 4 === 0 ? [{ type: 'hk_id', count: 3 }] : i % 4 === 1 ? otherPeople : [],
      coverage: { bytesRead: 1000, bytesTotal: 1000, truncated: false },
    }),
  );
  const orgId = file.organisation.id;
  return DataMap.parse({ orgId, scanId: `data-mapping-scan-${orgId}-2026-11`, scannedAt: '2026-11-01T02:00:00Z', sources });
}
