// A mapping for an audit log in no known layout: which column holds each field of an
// event, the log's own words for each action, and the time zone of times written
// without an offset. Given with `compliance events import --mapping FILE` (YAML) or
// as `mapping:` of an audit log a platform declares. Pure.
import { z } from 'zod';
import { Action } from './event.ts';

const column = z.string().min(1).max(200);

export const AuditLogMapping = z.strictObject({
  columns: z.strictObject({
    time: column,
    user: column,
    action: column,
    object: column,
    group: column.optional(),
    target: column.optional(),
    ip: column.optional(),
  }),
  /** The log's own words for each action (compared ignoring case and spaces); the project's action names are always understood. */
  actions: z.record(z.string().min(1).max(200), Action).default({}),
  /** The time zone of times written without an offset; default the organisation's. */
  timeZone: z
    .string()
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'must be an IANA time zone such as Asia/Hong_Kong')
    .optional(),
});
export type AuditLogMapping = z.infer<typeof AuditLogMapping>;
