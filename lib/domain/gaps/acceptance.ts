// A risk an owner accepts, in the organisation file: the gap counts as accepted
// until `until` (inclusive), then reopens.
import { z } from 'zod';
import { isoDate } from '../dates.ts';
import { TITLE_MAX, text } from '../org/limits.ts';
import { parseGapId } from './gap.ts';

export const Acceptance = z.strictObject({
  gap: z.string().superRefine((value, ctx) => {
    const parsed = parseGapId(value);
    if ('error' in parsed) ctx.addIssue({ code: 'custom', message: `"${value}" ${parsed.error}` });
  }),
  reason: text(TITLE_MAX * 3),
  approvedBy: z.string({ error: 'is required: the person who approved accepting the risk' }),
  until: isoDate,
});
export type Acceptance = z.infer<typeof Acceptance>;
