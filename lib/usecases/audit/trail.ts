// The audit trail's use cases: seal it, verify it, read a period of it. The CLI
// (`compliance audit seal|verify`), the HTTP API (GET /v1/audit/verify), the export
// and the last step of every workflow run call these, and nothing else seals.
import { z } from 'zod';
import type { AuditVerification, SealResult, VerifyOptions } from '../../domain/audit/chain.ts';
import { addDays, isoMoment, isRealDate } from '../../domain/dates.ts';
import { startOfLocalDay } from '../../domain/export/period.ts';
import { InputError, NotFoundError } from '../../errors.ts';
import type { AuditRecord, Ports } from '../ports.ts';

export { AuditVerification, SealResult } from '../../domain/audit/chain.ts';

/** Entries a workflow's last step seals at most; a larger backlog (a first import of a big file) is sealed by the next runs or `compliance audit seal`. */
export const RUN_SEAL_MAX_ENTRIES = 20_000;

/**
 * Seals the organisation's entries written since the last seal into digests chained
 * to the head, and returns the head (also when nothing was new). Idempotent: sealing
 * again seals only what is newer. `adopt` also seals entries written before sealing
 * existed (they carry no mark): once, for a table that held a trail before.
 */
export async function sealAudit(rt: Pick<Ports, 'audit' | 'clock'>, orgId: string, actor: string, options: { adopt?: boolean; maxEntries?: number } = {}): Promise<SealResult> {
  return rt.audit.seal(orgId, actor, { at: rt.clock().toISOString(), ...options });
}

/** Recomputes the chain: what was altered, removed, inserted or is missing (`ok` false), and what is not yet sealed. */
export async function verifyAudit(rt: Pick<Ports, 'audit'>, orgId: string, options: VerifyOptions = {}): Promise<AuditVerification> {
  return rt.audit.verify(orgId, options);
}

/** The entries of a period, with each one's key and hash: from `from` (inclusive) to `to` (exclusive), dates or ISO-8601 times. */
export async function readAuditRange(rt: Pick<Ports, 'audit'>, orgId: string, from: string, to: string): Promise<AuditRecord[]> {
  return rt.audit.readRange(orgId, from, to);
}

/**
 * A bound of a period of the trail as a person writes it: a real date or an ISO-8601 time
 * with its offset (isoMoment's rules and words), kept as written, since a date's meaning
 * (its whole day, where the organisation is) is only known with the organisation.
 */
export const AuditBound = z.string().superRefine((value, ctx) => {
  const checked = isoMoment.safeParse(value);
  if (!checked.success) ctx.addIssue({ code: 'custom', message: checked.error.issues[0]?.message ?? 'must be a real date or an ISO-8601 date-time with offset' });
});

/** The instant just after `bound` ends: a date's next local midnight, a time's next millisecond (times are stored to the millisecond). */
function endOf(bound: string, timeZone: string): number {
  return isRealDate(bound) ? Date.parse(startOfLocalDay(addDays(bound, 1), timeZone)) : Date.parse(bound) + 1;
}

/**
 * The entries from `from` to `to`, both inclusive, as people mean them: a date is its whole
 * day in the organisation's time zone (to=2026-11-30 takes the evening of the 30th too), a
 * time is that instant. Either may be left out (the trail's start, its end). A `from` after
 * `to` is refused naming `fields.from`, as it could only ever be empty.
 */
export async function readAuditPeriod(
  rt: Pick<Ports, 'audit' | 'organisations'>,
  orgId: string,
  bounds: { from?: string | undefined; to?: string | undefined },
  fields: { from: string; to: string } = { from: 'from', to: 'to' },
): Promise<AuditRecord[]> {
  const org = await rt.organisations.settings(orgId);
  if (!org) throw new NotFoundError(`organisation "${orgId}" has not been imported`);
  const tz = org.timeZone;
  const from = bounds.from === undefined ? undefined : isRealDate(bounds.from) ? Date.parse(startOfLocalDay(bounds.from, tz)) : Date.parse(bounds.from);
  const end = bounds.to === undefined ? undefined : endOf(bounds.to, tz);
  if (from !== undefined && end !== undefined && from >= end) {
    throw new InputError(`${fields.from}: ${bounds.from} is after ${fields.to} ${bounds.to} (in ${tz}, the organisation's time zone, where a date is its whole day)`);
  }
  const iso = (ms: number) => new Date(ms).toISOString();
  return rt.audit.readRange(orgId, from === undefined ? '0000-01-01' : iso(from), end === undefined ? '9999-12-31' : iso(end));
}

/**
 * The seal at the end of a workflow run, after the run is recorded finished (so its
 * own last entry is sealed with it). A seal that fails does not fail the run: the
 * entries keep their mark and the next seal takes them; a retried step seals only
 * what is new. Returns the head, or the error it met.
 */
export async function sealAfterRun(rt: Pick<Ports, 'audit' | 'clock'>, run: { orgId: string; name: string }): Promise<SealResult | { error: string }> {
  try {
    return await sealAudit(rt, run.orgId, run.name, { maxEntries: RUN_SEAL_MAX_ENTRIES });
  } catch (error) {
    const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    console.warn(`audit seal after ${run.name} failed; its entries wait for the next seal: ${text}`);
    return { error: text };
  }
}
