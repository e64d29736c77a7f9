// A platform the organisation declares (the technology evaluation matrix): where it
// keeps data and what it can do. The product states no facts about vendors of its
// own; it judges what the organisation declares here.
import { z } from 'zod';
import { NAME_MAX, PATH_MAX, text } from './limits.ts';
import { Storage } from './source.ts';
import { AuditLogMapping } from '../monitoring/mapping.ts';

export const PlatformId = z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/, 'must be 1-64 lowercase letters, digits or "-"');

/**
 * Where behaviour monitoring reads the platform's audit-log exports: a local file (its
 * path relative to the organisation file, held sealed like a source's) or an S3 prefix;
 * the layout is recognised from the file, or given by `mapping`.
 */
export const AuditLogDeclaration = z.union([
  z.strictObject({ path: text(PATH_MAX), mapping: AuditLogMapping.optional() }),
  z.strictObject({ bucket: z.string().min(3).max(63), prefix: text(PATH_MAX), mapping: AuditLogMapping.optional() }),
]);
export type AuditLogDeclaration = z.infer<typeof AuditLogDeclaration>;

export const Platform = z.strictObject({
  id: PlatformId,
  name: text(NAME_MAX),
  /** Where it stores data, unless a source says otherwise. */
  storage: Storage,
  /** The customer can pin where data is stored. */
  residencyChoice: z.boolean().default(false),
  e2ee: z.enum(['none', 'optional', 'default'], { error: 'must be none, optional or default' }),
  /** It encrypts what it stores (absent: not claimed). With encryption in transit, what
   * red data asks at least; end to end by default also keeps it from the platform's operator. */
  encryptionAtRest: z.boolean({ error: 'must be true or false' }).default(false),
  /** It encrypts what travels to, from and within it (absent: not claimed). */
  encryptionInTransit: z.boolean({ error: 'must be true or false' }).default(false),
  auditLog: z.enum(['none', 'export', 'api'], { error: 'must be none, export or api' }),
  /** Its audit log reaches the organisation's SIEM. */
  siem: z.boolean().default(false),
  /** Days after which it deletes messages and files; absent or null: kept for ever. */
  retentionDays: z.int().min(1).max(36_500).nullable().optional(),
  externalSharing: z.enum(['open', 'restricted', 'blocked'], { error: 'must be open, restricted or blocked' }),
  /** Who answers for it (a person id); default the compliance contact. */
  owner: z.string().optional(),
  /** Its audit-log exports, for behaviour monitoring. */
  auditLogs: z.array(AuditLogDeclaration).max(100).optional(),
});
export type Platform = z.infer<typeof Platform>;
