// Imports a validated organisation file. Declared group names are held only as a
// redacted name and the keyed hash the data map keeps (a WhatsApp chat is named
// after a phone number), source paths sealed (lib/domain/detect/seal.ts), and the
// names and titles the file gives sources, controls and evidence redacted (a source
// may be named after the person whose export it is), so nothing the file names
// reaches the table as written.
import { redact, redactName } from '../../domain/detect/redact.ts';
import { groupHash } from '../../domain/detect/mask.ts';
import { seal } from '../../domain/detect/seal.ts';
import type { HeldOrgFile, ImportSummary, OrgFile } from '../../domain/org/org.ts';
import type { Ports } from '../ports.ts';

/**
 * `at`: when it is written (default the runtime's clock); `today`: the organisation's day of
 * the import, from which evidence it retires stops counting (the CLI's --now day: the day the
 * file's dates were checked against), default the day `at` falls on.
 */
export async function importOrganisationFile(rt: Pick<Ports, 'organisations' | 'hashKey' | 'clock'>, file: OrgFile, actor: string, at = rt.clock().toISOString(), today?: string): Promise<ImportSummary> {
  const needsKey = file.groups.length > 0 || file.sources.some((s) => 'path' in s || 'prefix' in s) || file.platforms.some((p) => p.auditLogs?.length);
  const key = needsKey ? await rt.hashKey() : '';
  const held: HeldOrgFile = {
    ...file,
    // A path or prefix names files, and a file may be named after a person: held sealed, read back to scan.
    sources: file.sources.map((s) => ({ ...s, name: redactName(s.name), ...('path' in s ? { path: seal(key, s.path) } : {}), ...('prefix' in s && s.prefix ? { prefix: seal(key, s.prefix) } : {}) })),
    controls: file.controls.map((c) => ({ ...c, ...(c.title !== undefined ? { title: redact(c.title) } : {}), ...(c.justification !== undefined ? { justification: redact(c.justification) } : {}) })),
    evidence: file.evidence.map((e) => ({ ...e, title: redact(e.title) })),
    groups: file.groups.map((g) => ({ ...g, name: redactName(g.name), nameHash: groupHash(key, g.name) })),
    // Audit-log paths and prefixes are held sealed like a source's.
    platforms: file.platforms.map((p) =>
      p.auditLogs ? { ...p, auditLogs: p.auditLogs.map((l) => ('path' in l ? { ...l, path: seal(key, l.path) } : { ...l, prefix: seal(key, l.prefix) })) } : p,
    ),
  };
  return rt.organisations.import(held, actor, at, today);
}
