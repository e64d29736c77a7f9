// A data source the organisation declares for its data-mapping scans: what it is,
// where it is read from, on which platform, and where its data is stored.
import { z } from 'zod';
import { NAME_MAX, PATH_MAX, text } from './limits.ts';
import { PROVIDERS, TransferBasis, resolveStorage } from '../datamap/residency.ts';

const id = z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/, 'must be 1-64 lowercase letters, digits or "-"');
const encoding = z.enum(['utf-8', 'utf-16le', 'utf-16be', 'gb18030', 'big5']);

const Storage = z
  .strictObject({
    region: z.string().min(1).optional(),
    country: z.string().min(2).optional(),
    provider: z.enum(PROVIDERS).optional(),
  })
  .superRefine((s, ctx) => {
    try {
      resolveStorage(s);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
    }
  });

const common = {
  id,
  name: text(NAME_MAX),
  /** The platform the data lives on: DingTalk, Teams, Slack, WhatsApp, file share, ... */
  platform: text(NAME_MAX),
  storage: Storage,
  transferBasis: z.array(TransferBasis).optional(),
  /** Sampling budget per run, so a scan's cost is known in advance. */
  budgetBytes: z.int().positive().optional(),
  budgetRecords: z.int().positive().optional(),
};

/** Paths are relative to the organisation file. */
export const Source = z.discriminatedUnion('kind', [
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
export type Source = z.infer<typeof Source>;
