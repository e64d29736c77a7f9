// Every key of the single table, in one place. docs/table-design.md maps the
// access patterns to these keys; every key starts with the organisation.

export const INDEX = {
  /** GSI1: children by parent (evidence by control; organisations). */
  byParent: 'GSI1',
  /** GSI2: things by date (evidence by validity end; also audit entries not yet sealed, by their key). */
  byDate: 'GSI2',
  /**
   * GSI3, keys only: work waiting, by who it waits for (pending notices). Keys only, so
   * finding the waiting work reads a few bytes per notice; the notice itself comes back
   * from the conditional update that claims it.
   */
  waiting: 'GSI3',
} as const;

const org = (orgId: string) => `ORG#${orgId}`;

/** Partitions of the received-events index: a large import's writes spread over them. */
export const EVENT_SHARDS = 4;

/** A digest's sort key: its sequence number in ten digits (`0000000042`). */
export const auditDigestSk = (seq: number) => String(seq).padStart(10, '0');

export const keys = {
  orgMeta: (orgId: string) => ({ PK: org(orgId), SK: '#META', GSI1PK: 'ORGS', GSI1SK: org(orgId) }),
  orgMetaKey: (orgId: string) => ({ PK: org(orgId), SK: '#META' }),
  person: (orgId: string, personId: string) => ({ PK: org(orgId), SK: `PERSON#${personId}` }),
  control: (orgId: string, controlId: string) => ({ PK: org(orgId), SK: `CONTROL#${controlId}` }),
  evidence: (orgId: string, evidenceId: string) => ({ PK: org(orgId), SK: `EVIDENCE#${evidenceId}` }),
  evidenceByControl: (orgId: string, controlId: string, evidenceId: string) => ({
    GSI1PK: `${org(orgId)}#CONTROL#${controlId}`,
    GSI1SK: `EVIDENCE#${evidenceId}`,
  }),
  /** Sparse: only live evidence with an end date is in the sweep's index. */
  evidenceByEnd: (orgId: string, validUntil: string, evidenceId: string) => ({
    GSI2PK: `${org(orgId)}#EVIDENCE_END`,
    GSI2SK: `${validUntil}#${evidenceId}`,
  }),
  evidenceEndPartition: (orgId: string) => `${org(orgId)}#EVIDENCE_END`,
  /** One notice per evidence item, validity cycle and stage: a repeat is refused by condition. */
  notice: (orgId: string, evidenceId: string, validUntil: string, stage: string) => ({
    PK: org(orgId),
    SK: `NOTICE#${evidenceId}#${validUntil}#${stage}`,
  }),
  /** One digest per quarter, recipient, due date and stage: a repeat is refused by condition. */
  reviewNotice: (orgId: string, quarter: string, recipientId: string, due: string, stage: string) => ({
    PK: org(orgId),
    SK: `NOTICE#review:${quarter}:${recipientId}#${due}#${stage}`,
  }),
  /** Sparse: a notice is in the pending index until it is sent or set aside. */
  noticePending: (orgId: string, recipientId: string, noticeSk: string) => ({
    GSI3PK: `${org(orgId)}#NOTICE_PENDING`,
    GSI3SK: `${recipientId}#${noticeSk}`,
  }),
  noticePendingPartition: (orgId: string) => `${org(orgId)}#NOTICE_PENDING`,
  audit: (orgId: string, at: string, eventId: string) => ({ PK: `${org(orgId)}#AUDIT`, SK: `${at}#${eventId}` }),
  auditPartition: (orgId: string) => `${org(orgId)}#AUDIT`,
  /** Sparse: an audit entry is in the unsealed index from its write until a digest covers it (its SK as the sort key). */
  auditUnsealed: (orgId: string, entrySk: string) => ({ GSI2PK: `${org(orgId)}#AUDIT_UNSEALED`, GSI2SK: entrySk }),
  auditUnsealedPartition: (orgId: string) => `${org(orgId)}#AUDIT_UNSEALED`,
  /** One digest of the audit trail per sequence number, zero-padded so they sort in order; the last is the chain's head. */
  auditDigest: (orgId: string, seq: number) => ({ PK: `${org(orgId)}#AUDIT_DIGEST`, SK: auditDigestSk(seq) }),
  auditDigestPartition: (orgId: string) => `${org(orgId)}#AUDIT_DIGEST`,
  /**
   * A digest whose entries may still show as marked in GSI2 (the same ten-digit SK): put in one transaction
   * with the digest, marked cleared once its entries are, deleted by a seal after the grace period. A seal
   * reads the partition before the marked entries, so it knows every digest that may list one of them.
   */
  auditClearing: (orgId: string, seq: number) => ({ PK: `${org(orgId)}#AUDIT_CLEARING`, SK: auditDigestSk(seq) }),
  auditClearingPartition: (orgId: string) => `${org(orgId)}#AUDIT_CLEARING`,
  run: (orgId: string, kind: string, name: string) => ({ PK: org(orgId), SK: `RUN#${kind}#${name}` }),
  runPrefix: (kind: string) => `RUN#${kind}#`,
  source: (orgId: string, sourceId: string) => ({ PK: org(orgId), SK: `SOURCE#${sourceId}` }),
  platform: (orgId: string, platformId: string) => ({ PK: org(orgId), SK: `PLATFORM#${platformId}` }),
  /** A declared group: its source and the keyed hash of its name (never the name). */
  group: (orgId: string, groupId: string) => ({ PK: org(orgId), SK: `GROUP#${groupId}` }),
  acceptance: (orgId: string, gapId: string) => ({ PK: org(orgId), SK: `ACCEPTANCE#${gapId}` }),
  /** One gap, under the id its rule and subject give it. */
  gap: (orgId: string, gapId: string) => ({ PK: org(orgId), SK: `GAP#${gapId}` }),
  /** Sparse: a gap is in the open-gaps index while it is open, most severe first. */
  gapOpen: (orgId: string, severityRank: number, gapId: string) => ({ GSI2PK: `${org(orgId)}#GAP_OPEN`, GSI2SK: `${severityRank}#${gapId}` }),
  gapOpenPartition: (orgId: string) => `${org(orgId)}#GAP_OPEN`,
  /** One analysis (its run name): what opened, closed, reopened and expired, and the scores. */
  analysis: (orgId: string, runName: string) => ({ PK: org(orgId), SK: `ANALYSIS#${runName}` }),
  /** One item per scan: the map's header (when, which sources) and its change since the previous scan; newest last. */
  dataMap: (orgId: string, scanId: string) => ({ PK: org(orgId), SK: `DATAMAP#${scanId}` }),
  /** A scan's own partition: one item per source's entry, its groups in numbered chunks right after it. */
  dataMapPartition: (orgId: string, scanId: string) => `${org(orgId)}#DATAMAP#${scanId}`,
  dataMapSource: (orgId: string, scanId: string, sourceId: string) => ({ PK: `${org(orgId)}#DATAMAP#${scanId}`, SK: `SOURCE#${sourceId}` }),
  dataMapGroups: (orgId: string, scanId: string, sourceId: string, chunk: number) => ({
    PK: `${org(orgId)}#DATAMAP#${scanId}`,
    SK: `SOURCE#${sourceId}#GROUPS#${String(chunk).padStart(5, '0')}`,
  }),
  /** One review per organisation and quarter. */
  review: (orgId: string, quarter: string) => ({ PK: org(orgId), SK: `REVIEW#${quarter}` }),
  /** One task per quarter and control (`2026-Q4/A.8.15`): a quarter's tasks are one query. */
  task: (orgId: string, taskId: string) => ({ PK: org(orgId), SK: `TASK#${taskId}` }),
  /** Sparse: a task is in the open-tasks index, by due date, while it waits for an answer. */
  taskOpen: (orgId: string, due: string, taskId: string) => ({ GSI2PK: `${org(orgId)}#TASK_OPEN`, GSI2SK: `${due}#${taskId}` }),
  taskOpenPartition: (orgId: string) => `${org(orgId)}#TASK_OPEN`,
  /** A nonconformity, under the quarter and control that opened it. */
  nonconformity: (orgId: string, id: string) => ({ PK: org(orgId), SK: `NC#${id}` }),
  /** Held by the one large import being written for an organisation (lib/adapters/dynamodb/import-store.ts). */
  importMarker: (orgId: string) => ({ PK: org(orgId), SK: '#IMPORT' }),
  /** What each item an import touches was before it, in numbered chunks; in a partition no read looks at. */
  importJournal: (orgId: string, importId: string, chunk: number) => ({ PK: `${org(orgId)}#IMPORT#${importId}`, SK: `BEFORE#${String(chunk).padStart(5, '0')}` }),
  importJournalPartition: (orgId: string, importId: string) => `${org(orgId)}#IMPORT#${importId}`,
  /**
   * A platform audit-log event, in its user's partition (the first 32 hex of the user's keyed
   * hash) by event time: the key is the event's platform, time, user, action and object, so an
   * event written again is the same item. A user's window of events is one range query.
   */
  event: (orgId: string, user: string, time: string, eventId: string) => ({ PK: `${org(orgId)}#EV#${user.slice(0, 32)}`, SK: `${time}#${eventId}` }),
  eventPartition: (orgId: string, user: string) => `${org(orgId)}#EV#${user.slice(0, 32)}`,
  /** Every event by when it was received, in one of EVENT_SHARDS partitions: what a monitoring run reads after its watermark. */
  eventReceived: (orgId: string, eventId: string, receivedAt: string, user: string, time: string) => ({
    GSI2PK: `${org(orgId)}#EV_RECEIVED#${Number.parseInt(eventId.charAt(0), 16) % EVENT_SHARDS}`,
    GSI2SK: `${receivedAt}#${user.slice(0, 32)}#${time}#${eventId}`,
  }),
  eventReceivedPartition: (orgId: string, shard: number) => `${org(orgId)}#EV_RECEIVED#${shard}`,
  /** A user's figures per day for the volume and timing baselines, by identity (`person:<id>` or `user:<hash>`). */
  baseline: (orgId: string, identity: string) => ({ PK: `${org(orgId)}#BASELINE`, SK: identity }),
  /** How far behaviour monitoring has read the received events: one item per organisation. */
  monitorWatermark: (orgId: string) => ({ PK: org(orgId), SK: '#MONITOR_WATERMARK' }),
  /** An ingest of audit-log events under way: no run's watermark passes its start until it ends. */
  ingest: (orgId: string, ingestId: string) => ({ PK: org(orgId), SK: `INGEST#${ingestId}` }),
  /** An audit-log file imported, by platform and the SHA-256 of its content. */
  auditLog: (orgId: string, platform: string, sha256: string) => ({ PK: org(orgId), SK: `AUDITLOG#${platform}#${sha256}` }),
  /** An alert under its deterministic id (`<day>-<hash>`), so a quarter's alerts are one range. */
  alert: (orgId: string, alertId: string) => ({ PK: org(orgId), SK: `ALERT#${alertId}` }),
  /** Sparse: an alert is in the unresolved index, by when it was raised, until it is resolved. */
  alertOpen: (orgId: string, at: string, alertId: string) => ({ GSI2PK: `${org(orgId)}#ALERT_OPEN`, GSI2SK: `${at}#${alertId}` }),
  alertOpenPartition: (orgId: string) => `${org(orgId)}#ALERT_OPEN`,
  /** One notice per alert and recipient: a repeat is refused by condition. */
  alertNotice: (orgId: string, alertId: string, recipientId: string) => ({ PK: org(orgId), SK: `NOTICE#alert:${alertId}:${recipientId}` }),
  /** What the monitoring runs of one day examined and raised (the quarter's record is its days). */
  monitoringDay: (orgId: string, day: string) => ({ PK: org(orgId), SK: `MONITORING#${day}` }),
  /** A value used once (a sign-in code, a form's CSRF token), kept until its TTL. */
  nonce: (orgId: string, purpose: string, id: string) => ({ PK: `${org(orgId)}#NONCE`, SK: `${purpose}#${id}` }),
  orgPartition: org,
  /** The organisation list (GSI1). */
  organisationsPartition: 'ORGS',
} as const;

/** Attributes that are keys or bookkeeping of the table, never part of the entity itself. */
const KEY_ATTRIBUTES = ['PK', 'SK', 'GSI1PK', 'GSI1SK', 'GSI2PK', 'GSI2SK', 'GSI3PK', 'GSI3SK', 'type', 'orgId'] as const;

/** An item without its keys, as the entity's schema reads it. */
export function withoutKeys(item: Record<string, unknown>): Record<string, unknown> {
  const out = { ...item };
  for (const k of KEY_ATTRIBUTES) delete out[k];
  return out;
}

export const PREFIX = {
  person: 'PERSON#',
  control: 'CONTROL#',
  evidence: 'EVIDENCE#',
  notice: 'NOTICE#',
  run: 'RUN#',
  source: 'SOURCE#',
  dataMap: 'DATAMAP#',
  platform: 'PLATFORM#',
  group: 'GROUP#',
  acceptance: 'ACCEPTANCE#',
  gap: 'GAP#',
  analysis: 'ANALYSIS#',
  review: 'REVIEW#',
  task: 'TASK#',
  nonconformity: 'NC#',
  ingest: 'INGEST#',
  alert: 'ALERT#',
  monitoringDay: 'MONITORING#',
} as const;
