// What a workflow's Catch hands the next step when a step failed for good.
import { z } from 'zod';

export const CaughtError = z.object({ Error: z.string(), Cause: z.string().optional() });
export type CaughtError = z.infer<typeof CaughtError>;

/**
 * The failure as one line: on AWS a Lambda error's Cause is JSON
 * (`{"errorMessage": ...}`), locally it is the message itself.
 */
export function caughtErrorText(error: CaughtError): string {
  let cause = error.Cause ?? 'no detail';
  try {
    cause = (JSON.parse(cause) as { errorMessage?: string }).errorMessage ?? cause;
  } catch {
    // plain text already
  }
  return `${error.Error}: ${cause}`;
}
