// Imports a validated organisation file. Declared group names are held only as a
// redacted name and the keyed hash the data map keeps (a WhatsApp chat is named
// after a phone number), so nothing the file names in a group reaches the table raw.
import { redact } from '../../domain/detect/redact.ts';
import { groupHash } from '../../domain/detect/mask.ts';
import type { HeldOrgFile, ImportSummary, OrgFile } from '../../domain/org/org.ts';
import type { Ports } from '../ports.ts';

export async function importOrganisationFile(rt: Pick<Ports, 'organisations' | 'hashKey' | 'clock'>, file: OrgFile, actor: string, at = rt.clock().toISOString()): Promise<ImportSummary> {
  const key = file.groups.length > 0 ? await rt.hashKey() : '';
  const held: HeldOrgFile = { ...file, groups: file.groups.map((g) => ({ ...g, name: redact(g.name), nameHash: groupHash(key, g.name) })) };
  return rt.organisations.import(held, actor, at);
}
