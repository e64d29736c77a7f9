// A group or channel of a source, as the organisation declares it: who is in it and
// who owns it. `name` is as the export names it; the data map keeps only a keyed hash
// of names (a WhatsApp chat is named after a phone number), so a declared group is
// matched to the map through the same hash, and held redacted.
import { z } from 'zod';
import { NAME_MAX, text } from './limits.ts';

export const DeclaredGroup = z.strictObject({
  source: z.string(),
  name: text(NAME_MAX),
  owner: z.string().optional(),
  members: z.array(z.string()).max(100_000).default([]),
  /** People in it from outside the organisation. */
  externalMembers: z.int().min(0).default(0),
});
export type DeclaredGroup = z.infer<typeof DeclaredGroup>;

/** A declared group as held: its name redacted, with the keyed hash that matches it to the data map. */
export const HeldGroup = DeclaredGroup.extend({ nameHash: z.string() });
export type HeldGroup = z.infer<typeof HeldGroup>;
