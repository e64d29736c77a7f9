// A risk an owner accepts, in the organisation file: the gap counts as accepted
// until `until` (inclusive), then reopens.
import { z } from 'zod';
import { isoDate } from '../dates.ts';
import { TITLE_MAX, text } from '../org/limits.ts';
import { parseGapId } from './gap.ts';

export const Acceptance = z.strictObject({
  gap: z.string().superRefine((value, ctx) => {
    const parsed = parseGapId(value);
    // The reason quotes the part that is wrong: the value is quoted before it only when it says more ("a:b:c": "a" is not a rule), never twice.
    if ('error' in parsed) ctx.addIssue({ code: 'custom', message: parsed.error.startsWith(`"${value}" `) ? parsed.error : `"${value}": ${parsed.error}` });
  }),
  reason: text(TITLE_MAX * 3),
  approvedBy: z.string({ error: 'is required: the person who approved accepting the risk' }),
  until: isoDate,
});
export type Acceptance = z.infer<typeof Acceptance>;
