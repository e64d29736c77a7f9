// What every workflow step is handed: the organisation, the run's name and the
// moment the run is for. Checked at the Lambda edge.
import { z } from 'zod';

export const RunInput = z.object({
  orgId: z.string().min(1),
  runName: z.string().regex(/^[A-Za-z0-9_-]{1,80}$/, 'must be 1-80 letters, digits, "_" or "-"'),
  /** The run's date and time (ISO-8601); date rules use its date in the organisation's time zone (Hong Kong: 17:00Z is already the next day). */
  now: z.iso.datetime({ offset: true, error: 'must be an ISO-8601 date-time' }),
});
export type RunInput = z.infer<typeof RunInput>;
