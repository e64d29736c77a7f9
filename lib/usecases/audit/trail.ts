// The audit trail's use cases: seal it, verify it, read a period of it. The CLI
// (`compliance audit seal|verify`), the HTTP API (GET /v1/audit/verify), the export
// and the last step of every workflow run call these, and nothing else seals.
import type { AuditVerification, SealResult, VerifyOptions } from '../../domain/audit/chain.ts';
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
