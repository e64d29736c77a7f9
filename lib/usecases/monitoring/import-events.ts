// Imports one platform audit-log file: recognises its layout (or takes a mapping),
// reads every row into the one event schema, holds each event as keyed hashes and
// masks, and writes them under their deterministic keys. A row that cannot be read is
// counted and reported by its line, and the rest are read; a file imported before
// (the same content for the same platform) writes nothing; an event older than the
// organisation's log retention is not stored; an event held already (an overlapping
// export or another file delivered it) is counted as re-delivered and not written again,
// so it keeps the received time it came with and no run examines or counts it twice.
// While it writes, the import is marked under way, so that no monitoring run reads past
// its start until it is done: every event it writes carries that start as the time it
// was received. An import that died (its process killed, its step cut off) leaves its
// mark until the lease runs out; the next import of the same file takes over from it at
// once (it writes the events of the file the other did not; those the other wrote carry
// its start, which the new mark holds runs back from), so the next run is not held back.
// Before each write an import renews its mark, on condition that it is still its own
// and unexpired, and stops (without recording the file as imported) if not: what it
// wrote then could arrive behind a run's watermark, and the file must be imported again.
import { randomUUID } from 'node:crypto';
import { canonicalJson } from '../../domain/canonical-json.ts';
import type { HeldEvent } from '../../domain/monitoring/event.ts';
import { EventHolder } from '../../domain/monitoring/hold.ts';
import { jsonLayout, tableLayout, type LayoutReader } from '../../domain/monitoring/layouts.ts';
import type { AuditLogMapping } from '../../domain/monitoring/mapping.ts';
import type { LoadedOrganisation } from '../../domain/org/org.ts';
import { ConflictError, InputError, NotFoundError } from '../../errors.ts';
import type { AuditLogFile, Ports } from '../ports.ts';

/** Events written per request to the store (it writes them 25 at a time). */
const CHUNK = 500;
/** Problems listed in the summary (all are counted). */
export const PROBLEMS_LISTED = 100;
/** An import holds its mark this long, and renews it as it goes. */
const LEASE_MS = 15 * 60_000;
const DAY_S = 86_400;
/**
 * How far after the import's time (`now`) an event may be dated and still be read: the
 * platform's clock and ours, each kept by NTP, differ by seconds, and an export may round
 * its times up, so minutes cover honest skew. Anything later has not happened yet: read,
 * it would raise an alert for a day to come and, alert ids being per day, take the id of
 * that day's real alert.
 */
export const CLOCK_SKEW_MS = 10 * 60_000;

export interface ImportRequest {
  orgId: string;
  platform: string;
  file: AuditLogFile;
  mapping?: AuditLogMapping | undefined;
  /** Who imports it, for the audit trail: `cli:events-import`, or a run's name. */
  actor: string;
  /** The moment the import is for (`--now`, a run's time): log retention is counted from events' times to it. */
  now: Date;
  /** The organisation, when the caller has it loaded. */
  org?: LoadedOrganisation;
}

export interface ImportSummary {
  orgId: string;
  platform: string;
  file: string;
  sha256: string;
  status: 'imported' | 'already-imported';
  layout?: string;
  /** Rows or entries read, events written, the same event given twice in the file. */
  rows: number;
  events: number;
  duplicates: number;
  /**
   * Events held already, delivered before by another file or export (the same platform,
   * time, user, action and object): not written again, so no run examines or counts them twice.
   * Always given by importAuditLog (optional for summaries made before it was counted).
   */
  redelivered?: number;
  /** Events older than the organisation's log retention: not stored. */
  expired: number;
  /** Rows that could not be read: how many, and the first PROBLEMS_LISTED with where they are. */
  problemCount: number;
  problems: { at: string; reason: string }[];
  /** Operations the rules do not watch (renaming a group, say), by name: counted, not stored. */
  ignoredCount: number;
  ignored: Record<string, number>;
  /** When it was imported before (already-imported). */
  importedAt?: string;
}

export async function importAuditLog(rt: Pick<Ports, 'organisations' | 'events' | 'audit' | 'hashKey' | 'clock'>, request: ImportRequest): Promise<ImportSummary> {
  const { orgId, platform, file } = request;
  const org = request.org ?? (await rt.organisations.load(orgId));
  if (!org) throw new NotFoundError(`organisation "${orgId}" has not been imported`);
  if (!org.platforms.some((p) => p.id === platform)) {
    throw new InputError(`--platform: "${platform}" is not a platform ${orgId} declares (${org.platforms.map((p) => p.id).join(', ') || 'none declared'})`);
  }
  const base = { orgId, platform, file: file.name, sha256: file.sha256 };
  // Marks of earlier imports of this file still there: they died, or this import and its events supersede them.
  const wall = rt.clock().toISOString();
  const earlier = (await rt.events.ingestsUnderWay(orgId, wall)).filter((m) => m.platform === platform && m.sha256 === file.sha256);
  const before = await rt.events.auditLog(orgId, platform, file.sha256);
  const empty = { rows: 0, events: 0, duplicates: 0, redelivered: 0, expired: 0, problemCount: 0, problems: [], ignoredCount: 0, ignored: {} };
  if (before) {
    // Recorded as imported: every event of it was written, so a mark left behind holds nothing back.
    for (const m of earlier) await rt.events.endIngest(orgId, m.id);
    return { ...base, ...empty, status: 'already-imported', layout: before.layout, importedAt: before.importedAt };
  }

  const timeZone = org.organisation.timeZone;
  if (request.mapping && file.sample.kind === 'json') throw new InputError(`${file.name}: a mapping names the columns of a table; this file is JSON`);
  const reader: LayoutReader = file.sample.kind === 'table' ? tableLayout(file.sample.header, { timeZone, ...(request.mapping ? { mapping: request.mapping } : {}) }) : jsonLayout(file.sample.first);

  const key = await rt.hashKey();
  const retention = org.organisation.logRetentionDays * DAY_S;
  const nowEpoch = Math.floor(request.now.getTime() / 1000);
  const latest = request.now.getTime() + CLOCK_SKEW_MS;
  const ingestId = randomUUID();
  const started = rt.clock();
  const receivedAt = started.toISOString();
  const holder = new EventHolder(key, platform, receivedAt);
  const summary: ImportSummary = { ...base, ...empty, problems: [], ignored: {}, status: 'imported', layout: reader.layout };
  const seen = new Set<string>();
  let future = 0;
  let chunk: { event: HeldEvent; expiresAt: number }[] = [];
  const unit = file.unit;

  // This import's mark holds runs back from the earliest start of the imports it takes over,
  // and is put before their marks are ended: no moment without a mark lets a run's
  // watermark pass events one of them wrote (or has a write of in flight).
  const holdFrom = earlier.reduce((from, m) => (m.startedAt < from ? m.startedAt : from), receivedAt);
  await rt.events.beginIngest(orgId, ingestId, holdFrom, new Date(started.getTime() + LEASE_MS).toISOString(), { platform, sha256: file.sha256 });
  for (const m of earlier) await rt.events.endIngest(orgId, m.id);
  // Before each write: the mark still this import's, renewed, so no run passes its start before it is done.
  const hold = async () => {
    const at = rt.clock();
    if (!(await rt.events.holdIngest(orgId, ingestId, at.toISOString(), new Date(at.getTime() + LEASE_MS).toISOString()))) {
      throw new ConflictError(`${file.name}: the import stopped: another import of the same file took over, or its mark ran out; the file is imported again whole by the next import`);
    }
  };
  try {
    // Written again, an event held already (another file or export delivered it) would move to
    // this import's received time and be examined, and counted, a second time: it keeps the
    // time it first came with. A copy that says more or else (a later export with the target
    // or IP column filled in) is written, and examined with what it says. One read of the
    // chunk's keys before its write: a read per event, and nothing more however long the file.
    const flush = async () => {
      if (chunk.length === 0) return;
      const held = await rt.events.held(orgId, chunk.map((c) => c.event), nowEpoch);
      const fresh = chunk.filter(({ event }) => {
        const before = held.get(event.id);
        return before === undefined || sayings(before) !== sayings(event);
      });
      summary.redelivered = (summary.redelivered ?? 0) + chunk.length - fresh.length;
      summary.events += fresh.length;
      chunk = [];
      if (fresh.length === 0) return;
      await hold();
      await rt.events.put(orgId, fresh);
    };
    for await (const record of file.records()) {
      summary.rows++;
      const read = record.kind === 'problem' ? { status: 'problem' as const, reason: record.reason } : reader.read(record);
      const outcome = read.status === 'event' && Date.parse(read.event.time) > latest ? { status: 'problem' as const, reason: `time: ${read.event.time} is after the time of the import (${request.now.toISOString()}) by more than ${CLOCK_SKEW_MS / 60_000} minutes: an event that has not happened yet` } : read;
      if (outcome.status === 'problem') {
        if (outcome !== read) future++;
        summary.problemCount++;
        if (summary.problems.length < PROBLEMS_LISTED) summary.problems.push({ at: `${unit} ${record.line}`, reason: outcome.reason });
        continue;
      }
      if (outcome.status === 'ignored') {
        summary.ignoredCount++;
        summary.ignored[outcome.action] = (summary.ignored[outcome.action] ?? 0) + 1;
        continue;
      }
      const expiresAt = Math.floor(Date.parse(outcome.event.time) / 1000) + retention;
      if (expiresAt <= nowEpoch) {
        summary.expired++;
        continue;
      }
      const event = holder.hold(outcome.event);
      if (seen.has(event.id)) {
        summary.duplicates++;
        continue;
      }
      seen.add(event.id);
      chunk.push({ event, expiresAt });
      if (chunk.length >= CHUNK) await flush();
    }
    await flush();
    await hold();
    const importedAt = rt.clock().toISOString();
    // A file with rows dated ahead is not recorded as imported: imported again once their
    // time has come, it reads them then (the rows written now are held then, and not written again).
    if (future === 0) await rt.events.putAuditLog(orgId, {
      platform,
      sha256: file.sha256,
      name: file.name,
      layout: reader.layout,
      rows: summary.rows,
      events: summary.events,
      problems: summary.problemCount,
      ignored: summary.ignoredCount,
      expired: summary.expired,
      importedAt,
      importedBy: request.actor,
    });
    await rt.audit.append({
      orgId,
      at: importedAt,
      event: 'events.imported',
      subject: `AUDITLOG#${platform}#${file.sha256}`,
      actor: request.actor,
      detail: { file: file.name, layout: reader.layout, rows: summary.rows, events: summary.events, redelivered: summary.redelivered, problems: summary.problemCount, ignored: summary.ignoredCount, expired: summary.expired },
    });
  } finally {
    await rt.events.endIngest(orgId, ingestId);
  }
  return summary;
}

/** What an event says beyond its id's parts (platform, time, user, action, object): two copies saying the same are one delivery twice. */
function sayings(e: HeldEvent): string {
  return canonicalJson([e.userShown, e.object, e.group ?? null, e.groupHash ?? null, e.target ?? null, e.ip ?? null]);
}
