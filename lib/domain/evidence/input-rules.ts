// What new evidence must be, wherever it comes from (the organisation file, POST
// /v1/evidence, a review answer, a file of answers): each rule says why it refused, and
// the caller names the field. Pure.
import { addDays, addPeriod, daysBetween } from '../dates.ts';
import { text } from '../org/limits.ts';
import type { ReviewEvery } from '../review/review.ts';

/**
 * Characters a one-line field (a title, a file name, a location) may not hold: C0 and C1
 * controls and DEL (a line break forges a table row, a bell or escape reaches the
 * terminal), line and paragraph separators, and bidirectional overrides and isolates
 * (U+202E makes `gpj.exe` read as `exe.jpg`). Refused as typed rather than cleaned, so
 * the person sees what was wrong.
 */
const NOT_ONE_LINE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

function kindOf(c: number): string {
  if (c === 0x0a || c === 0x0d || c === 0x85 || c === 0x2028 || c === 0x2029) return 'a line break';
  if (c <= 0x9f) return 'a control character';
  return 'a bidirectional override';
}

/** Why `text` is not one line of plain text (naming the first character that is not), or undefined. */
export function notOneLine(text: string): string | undefined {
  const m = NOT_ONE_LINE.exec(text);
  if (!m) return undefined;
  const code = m[0].codePointAt(0)!;
  const at = [...text.slice(0, m.index)].length + 1;
  return `holds ${kindOf(code)} (U+${code.toString(16).toUpperCase().padStart(4, '0')}) at character ${at}: must be one line of plain text, without control characters or bidirectional overrides`;
}

/**
 * Query parameters that carry a secret in a link: signed URLs (S3's, Google Cloud
 * Storage's, Azure's SAS `sig`) and bearer tokens. Compared in lower case.
 */
const SECRET_PARAMS = new Set(['x-amz-signature', 'x-amz-credential', 'x-amz-security-token', 'x-goog-signature', 'x-goog-credential', 'sig', 'signature', 'access_token', 'token', 'password', 'passwd', 'apikey', 'api_key']);

/**
 * Why a location holds credentials (a user name or password before the host, or a
 * signature or token in its query), or undefined. A location is kept as given and shown
 * to auditors and in audit packages, so a secret in it would be handed to every reader.
 */
export function credentialsIn(location: string): string | undefined {
  let url: URL;
  try {
    url = new URL(location);
  } catch {
    return undefined; // not a URI: the URI check says so
  }
  // A token is often passed as the user name alone (https://<token>@host/...).
  if (url.username !== '' || url.password !== '') return 'holds credentials (a user name or password before the host): a location is shown to auditors and in audit packages; give it without them';
  const secret = [...url.searchParams.keys()].find((k) => SECRET_PARAMS.has(k.toLowerCase()));
  if (secret !== undefined) return `holds credentials (its "${secret}" parameter: a signed or token link): a location is shown to auditors and in audit packages; give the document's own location`;
  return undefined;
}

/**
 * The longest validity new evidence may have: 10 years from the day it was collected.
 * Long enough for any artefact an ISO/IEC 27001 review relies on (a three-year
 * certificate, a multi-year contract, a seven-year retention record), short enough to
 * catch a typed year (9999-12-31, 2126) that would keep the control current for ever
 * and be inherited by every answer renewing it. New evidence given no validity gets one
 * (defaultValidity), never none.
 */
export const VALIDITY_YEARS = 10;

/** The last day new evidence collected on `collected` may be valid until. */
export const latestValidUntil = (collected: string): string => addPeriod(collected, `P${VALIDITY_YEARS}Y`);

/** How long a control's review rhythm is: new evidence given no validity holds for one round of review. */
const REVIEW_RHYTHM: Record<ReviewEvery, string> = { quarter: 'P3M', 'half-year': 'P6M', year: 'P1Y' };

/** The item new evidence renews, as far as its validity goes. */
export interface Renewed {
  id: string;
  collected: string;
  validUntil?: string | undefined;
}

/**
 * The last valid day of new evidence collected on `collected` for which no validity was
 * given (no validUntil, no validFor), wherever it comes in (POST /v1/evidence, a review
 * answer on the page, the CLI or a file of answers): as long as the item it renews, counted
 * from `collected` (a yearly certificate renewed is good for another year), when that item
 * has an end; else one round of the control's review rhythm (`reviewEvery`: P3M, P6M, P1Y),
 * its last day as addPeriod counts it. Never none: evidence registered without an end
 * would keep the control current for ever, and the sweep would never chase it.
 * `inherited`: the renewed item whose period was taken, for the caller's messages.
 */
export function defaultValidity(collected: string, reviewEvery: ReviewEvery | undefined, renewed?: Renewed): DefaultValidity {
  if (renewed?.validUntil !== undefined) {
    const inherited = { ...renewed, validUntil: renewed.validUntil };
    return { validUntil: addDays(collected, daysBetween(renewed.collected, renewed.validUntil)), inherited };
  }
  return { validUntil: addPeriod(collected, REVIEW_RHYTHM[reviewEvery ?? 'quarter']) };
}

export type DefaultValidity = { validUntil: string; inherited?: Renewed & { validUntil: string } };

/**
 * Why the validity defaultValidity gave new evidence collected on `collected` (for a control
 * reviewed every `reviewEvery`) cannot be its (`why` from whyNotNewValidity), for the field `validFor`.
 */
export const whyNotDefault = (d: DefaultValidity, reviewEvery: ReviewEvery | undefined, collected: string, why: string): string =>
  d.inherited
    ? `not given, so the period of evidence ${d.inherited.id} it renews (${d.inherited.collected} to ${d.inherited.validUntil}) would be inherited, and from ${collected} it ${why}; give validFor`
    : `not given, so the control's review rhythm (${REVIEW_RHYTHM[reviewEvery ?? 'quarter']} from ${collected}) would apply, and it ${why}`;

/**
 * Why new evidence collected on `collected` and valid until `validUntil` (its last valid
 * day) cannot be registered on the organisation's `today`, or undefined: it has ended
 * already (registered, it would stand lapsed at once, and replace what it renews), or
 * runs beyond the bound. New evidence always has an end (defaultValidity when none was
 * given). `where`: how today is written, such as "2026-11-30 in Asia/Hong_Kong".
 * The organisation file is not held to this: it records history (lapsed items the sweep
 * chases, retired ones, items without an end) and has bounds of its own.
 */
export function whyNotNewValidity(collected: string, validUntil: string, today: string, where = today): string | undefined {
  if (validUntil < today) return `ends ${validUntil}, before today (${where}): evidence that has ended is no evidence; give a validity that includes today`;
  const latest = latestValidUntil(collected);
  if (validUntil > latest) return `runs to ${validUntil}, more than ${VALIDITY_YEARS} years after it was collected (${collected}; at most ${latest})`;
  return undefined;
}

/** A zod refinement refusing what `rule` says why of (undefined: nothing to refuse). */
export const refusing =
  (rule: (value: string) => string | undefined) =>
  (value: string, ctx: { addIssue(issue: { code: 'custom'; message: string }): void }): void => {
    const why = rule(value);
    if (why) ctx.addIssue({ code: 'custom', message: why });
  };

/** Free text of 1 to `max` characters on one line (a title, a file name). */
export const oneLineText = (max: number) => text(max).superRefine(refusing(notOneLine));
