// A data source the organisation declares for its data-mapping scans: what it is,
// where it is read from, on which platform, and where its data is stored.
import { z } from 'zod';
import { NAME_MAX, PATH_MAX, TITLE_MAX, text } from './limits.ts';
import { AmbiguousRegionError, PROVIDERS, TransferBasis, resolveStorage } from '../datamap/residency.ts';

const id = z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/, 'must be 1-64 lowercase letters, digits or "-"');
const encoding = z.enum(['utf-8', 'utf-16le', 'utf-16be', 'gb18030', 'big5']);

export const Storage = z
  .strictObject({
    region: z.string().min(1).optional(),
    country: z.string().min(2).optional(),
    provider: z.enum(PROVIDERS).optional(),
  })
  .superRefine((s, ctx) => {
    try {
      resolveStorage(s);
    } catch (error) {
      // An ambiguous region is the region field's fault: name it, and the line it is on.
      if (error instanceof AmbiguousRegionError) ctx.addIssue({ code: 'custom', path: ['region'], message: error.reason });
      else ctx.addIssue({ code: 'custom', message: (error as Error).message });
    }
  });

/** GDPR Art. 6 lawful bases. */
export const LawfulBasis = z.enum(['consent', 'contract', 'legal-obligation', 'vital-interests', 'public-task', 'legitimate-interests']);
/** GDPR Art. 9(2) conditions for special categories (health), where one applies. */
export const SpecialCategoryCondition = z.enum(['explicit-consent', 'employment-law', 'vital-interests', 'legal-claims', 'health-care', 'public-interest']);

/** The source's record of processing (GDPR Art. 30, PDPO DPP1 and DPP5). */
export const Processing = z.strictObject({
  purpose: text(TITLE_MAX),
  lawfulBasis: LawfulBasis,
  specialCategoryCondition: SpecialCategoryCondition.optional(),
  /** How long its data is kept. */
  retentionDays: z.int().min(1).max(36_500),
});
export type Processing = z.infer<typeof Processing>;

/** One schema per kind of source, with `storage` as given (required once resolved). */
function sourceKinds<S extends z.ZodType>(storage: S) {
  const common = {
    id,
    name: text(NAME_MAX),
    /** A declared platform's id; free text (DingTalk, Teams, ...) where the file declares none. */
    platform: text(NAME_MAX),
    storage,
    transferBasis: z.array(TransferBasis).optional(),
    /** Sampling budget per run, so a scan's cost is known in advance. */
    budgetBytes: z.int().positive().optional(),
    budgetRecords: z.int().positive().optional(),
    processing: Processing.optional(),
    /** Who answers for it (a person id); default the compliance contact. */
    owner: z.string().optional(),
  };
  /** Paths are relative to the organisation file. */
  return z.discriminatedUnion('kind', [
    z.strictObject({ ...common, kind: z.literal('files'), path: text(PATH_MAX), encoding: encoding.optional() }),
    z.strictObject({ ...common, kind: z.literal('whatsapp'), path: text(PATH_MAX), group: text(NAME_MAX).optional(), encoding: encoding.optional() }),
    z.strictObject({ ...common, kind: z.literal('slack'), path: text(PATH_MAX) }),
    z.strictObject({
      ...common,
      kind: z.literal('chat-table'),
      path: text(PATH_MAX),
      encoding: encoding.optional(),
      columns: z.strictObject({ sender: text(NAME_MAX).optional(), time: text(NAME_MAX).optional(), group: text(NAME_MAX).optional(), content: text(NAME_MAX) }).optional(),
    }),
    z.strictObject({
      ...common,
      kind: z.literal('dynamodb'),
      table: z.string().min(3).max(255),
      region: z.string().min(1).optional(),
      /** Another endpoint than AWS's (DynamoDB Local). */
      endpoint: z.url().optional(),
      /** Attribute whose value names the group or channel; default: the table is one group. */
      groupBy: text(NAME_MAX).optional(),
    }),
    z.strictObject({
      ...common,
      kind: z.literal('s3'),
      bucket: z.string().min(3).max(63),
      prefix: z.string().max(1024, 'must be at most 1024 characters').optional(),
      region: z.string().min(1).optional(),
      encoding: encoding.optional(),
    }),
  ]);
}

/** A source as the file declares it: storage may come from its platform. */
export const SourceDeclaration = sourceKinds(Storage.optional());
export type SourceDeclaration = z.infer<typeof SourceDeclaration>;
/** A source with its storage resolved, as it is held and scanned. */
export const Source = sourceKinds(Storage);
export type Source = z.infer<typeof Source>;
