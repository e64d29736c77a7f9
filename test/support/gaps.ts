// The gap rules' input straight from an organisation file and a data map, as the
// analysis use case would read them back from the table.
import type { DataMap } from '../../lib/domain/datamap/datamap.ts';
import { groupHash } from '../../lib/domain/detect/mask.ts';
import type { AnalysisInput } from '../../lib/domain/gaps/rules.ts';
import type { OrgFile } from '../../lib/domain/org/org.ts';

export function analysisInputOf(file: OrgFile, map: DataMap, hashKey: string, evidence: AnalysisInput['evidence']): AnalysisInput {
  return {
    organisation: file.organisation,
    people: new Map(file.people.map((p) => [p.id, p])),
    platforms: file.platforms,
    sources: file.sources,
    groups: file.groups.map((g) => ({ ...g, nameHash: groupHash(hashKey, g.name) })),
    dataMap: map,
    groupEntries: new Map(map.sources.map((s) => [s.id, s.status === 'scanned' ? s.groups : []])),
    controls: file.controls,
    evidence,
  };
}
