// What the use cases need from the world, as interfaces. Adapters implement them
// (lib/adapters/dynamodb/repositories.ts for the table, lib/adapters/mail for
// mail, lib/adapters/aws for Step Functions and SSM); lib/runtime.ts assembles
// one set per process, and tests may assemble their own.
import type { AuditEvent } from '../domain/audit/audit.ts';
import type { AuditDigest, AuditVerification, SealResult, VerifyOptions } from '../domain/audit/chain.ts';
import type { DataMap, DataMapDiff, GroupEntry, SourceEntry, StoredDataMap } from '../domain/datamap/datamap.ts';
import type { AnalysisRecord, Gap } from '../domain/gaps/gap.ts';
import type { Notice, WaitingNotice } from '../domain/notice/notice.ts';
import type { Nonconformity, Review, Task } from '../domain/review/review.ts';
import type { EvidenceRecord, HeldOrgFile, ImportSummary, LoadedOrganisation, Organisation } from '../domain/org/org.ts';
import type { Source } from '../domain/org/source.ts';
import type { RunOutcome, RunRecord } from '../domain/runs/run.ts';
import type { Coverage } from '../domain/datamap/datamap.ts';
import type { SourceRecord } from '../domain/detect/records.ts';
import type { Alert, AlertStatus } from '../domain/monitoring/alert.ts';
import type { Baseline } from '../domain/monitoring/detect.ts';
import type { HeldEvent } from '../domain/monitoring/event.ts';
import type { RawRecord } from '../domain/monitoring/layouts.ts';
import type { AuditLogRecord, MonitoringDay, RunFigures, Watermark } from '../domain/monitoring/records.ts';
import type { AuditLogDeclaration } from '../domain/org/platform.ts';

export interface RunRef {
  orgId: string;
  kind: string;
  name: string;
}

export interface RunRepository {
  get(run: RunRef): Promise<RunRecord | undefined>;
  /**
   * Marks a run started (again, after a failure); counts attempts; appends to the audit
   * trail, by `startedBy`'s person when a person started it (POST /v1/runs), else by the run itself.
   */
  begin(run: RunRef & { asOf: string; startedBy?: { person: string; role: string } }, at: string): Promise<void>;
  finish(run: RunRef, outcome: RunOutcome, at: string): Promise<void>;
  list(orgId: string, kind: string): Promise<RunRecord[]>;
}

export interface OrganisationRepository {
  ids(): Promise<string[]>;
  /** The organisation's own settings, without its people and controls. */
  settings(orgId: string): Promise<Organisation | undefined>;
  load(orgId: string): Promise<LoadedOrganisation | undefined>;
  sources(orgId: string): Promise<Source[]>;
  source(orgId: string, sourceId: string): Promise<Source | undefined>;
  evidence(orgId: string, controlId?: string): Promise<EvidenceRecord[]>;
  /** Live evidence whose validity ends on or before `lastDay`, read from the end-date index (never a scan). */
  evidenceEndingBy(orgId: string, lastDay: string): Promise<EvidenceRecord[]>;
  /** The current validity end of each item (undefined when retired, renewed by a later item, or gone). */
  currentValidity(orgId: string, evidenceIds: string[]): Promise<Map<string, string | undefined>>;
  /** Registers one new evidence item (and marks the item it renews) with its audit entry; ConflictError when its id is taken or the renewed item was renewed already. */
  register(orgId: string, evidence: EvidenceRecord, audit: AuditEvent): Promise<void>;
  /** Writes what changed against what is held; `actor` names the source in the audit trail. */
  /** `at` is when it is written; `today` the organisation's day evidence retired by it stops counting from (default: the day `at` falls on there). */
  import(file: HeldOrgFile, actor: string, at: string, today?: string): Promise<ImportSummary>;
}

export type RecordOutcome = 'recorded' | 'exists' | 'stale';

/** A notice as the store returns it once claimed: the notice and the handle to act on it. */
export type ClaimedNotice = Notice & { handle: string };

export type NoticeClosing = { status: 'sent'; messageId: string } | { status: 'superseded' | 'cancelled'; reason: string };

export interface NoticeRepository {
  /**
   * Records a notice pending with its audit entry, exactly once: 'exists' when this
   * very notice was recorded before; 'stale' when the evidence was renewed or retired since it was read.
   */
  record(notice: Notice, at: string): Promise<RecordOutcome>;
  /** Everyone with a notice waiting (pending, or claimed by a sweep). */
  waitingRecipients(orgId: string): Promise<string[]>;
  /** The notices waiting for these recipients. */
  waitingFor(orgId: string, recipientIds: readonly string[]): Promise<WaitingNotice[]>;
  /** Claims a waiting notice for a run until `leaseUntil`; undefined when another run holds it or it is done. */
  claim(orgId: string, waiting: WaitingNotice, runName: string, now: string, leaseUntil: string): Promise<ClaimedNotice | undefined>;
  /** Notes the provider's message id the moment the mail is out, before the notice is closed. */
  noteMessageId(notice: ClaimedNotice, runName: string, messageId: string): Promise<void>;
  /** Puts a claimed notice back to pending after a failed send. */
  release(notice: ClaimedNotice, runName: string, reason: string, at: string): Promise<void>;
  close(notice: ClaimedNotice, runName: string, outcome: NoticeClosing, at: string): Promise<void>;
}

export interface DataMapRepository {
  /** Writes (or rewrites) one source's entry of one scan, before the scan's map is put together. */
  putSource(orgId: string, scanId: string, entry: SourceEntry): Promise<void>;
  /** The entries a scan's steps wrote, for the sources named. */
  sources(orgId: string, scanId: string, sourceIds: readonly string[]): Promise<SourceEntry[]>;
  /** Makes a scan's map, whose entries are written, the latest (or rewrites it, for a re-run); notes it in the audit trail. */
  put(dataMap: DataMap, diff: DataMapDiff, at: string): Promise<void>;
  /** The latest data map before `scanId` (or the latest of all). */
  previous(orgId: string, scanId?: string): Promise<DataMap | undefined>;
  history(orgId: string): Promise<StoredDataMap[]>;
  /** Which scan made the latest map, and when, without reading the map. */
  latest(orgId: string): Promise<{ scanId: string; scannedAt: string } | undefined>;
  /** The per-group detail of one source in one scan's map. */
  groups(orgId: string, scanId: string, sourceId: string): Promise<GroupEntry[]>;
}

export interface GapRepository {
  /** Every gap ever found, open or not. */
  all(orgId: string): Promise<Gap[]>;
  /** Open gaps, most severe first. */
  open(orgId: string): Promise<Gap[]>;
  /** Writes an analysis with the gaps it wrote, and an audit entry for each change it lists. */
  record(analysis: AnalysisRecord, gaps: readonly Gap[]): Promise<void>;
  latestAnalysis(orgId: string): Promise<AnalysisRecord | undefined>;
  /** Every analysis, oldest first (by run name), without the ids it changed: the trend. */
  analyses(orgId: string): Promise<AnalysisOutline[]>;
}

/** An analysis without the ids of what it changed: when it ran, the data map it read, how many gaps each change touched, the counts after it and the scores. */
export type AnalysisOutline = Omit<AnalysisRecord, 'opened' | 'closed' | 'reopened' | 'expired' | 'accepted'>;

/** A change to one task, written over the version read, with what it brings. */
export interface TaskChange {
  task: Task;
  readVersion: number;
  audit: AuditEvent;
  /** Evidence an answer registers. */
  register?: EvidenceRecord;
  /** The evidence it renews: marked renewed by the registered item. */
  renews?: { id: string; by: string };
}

export interface ReviewRepository {
  get(orgId: string, quarter: string): Promise<Review | undefined>;
  list(orgId: string): Promise<Review[]>;
  /** Puts the quarter's review unless it exists. */
  create(review: Review, at: string): Promise<'created' | 'exists'>;
  /** Puts each task unless it exists (no read first): how many were new. */
  createTasks(orgId: string, tasks: readonly Task[]): Promise<{ created: number; existed: number }>;
  tasks(orgId: string, quarter: string): Promise<Task[]>;
  task(orgId: string, taskId: string): Promise<Task | undefined>;
  /** Open tasks due on or before `lastDay`, from the open-tasks index. */
  openTasksDueBy(orgId: string, lastDay: string): Promise<Task[]>;
  /** Writes a task change atomically while the review is open; ConflictError when refused. */
  changeTask(orgId: string, change: TaskChange): Promise<void>;
  nonconformities(orgId: string): Promise<Nonconformity[]>;
  /** Writes a closed review with its closed tasks (each over the version read), nonconformities and audit entries. */
  close(review: Review, tasks: readonly Task[], nonconformities: readonly Nonconformity[], audit: readonly AuditEvent[]): Promise<void>;
}

/** An audit entry with its key in the trail and its hash, as a digest lists it. */
export type AuditRecord = AuditEvent & { sk: string; hash: string };

export interface SealOptions {
  /** When the seal happens: each new digest's sealedAt, and the time its clearing items' grace period is measured by. */
  at: string;
  /** Also seal entries without the not-yet-sealed mark that no digest lists (written before sealing existed); reads the whole trail. */
  adopt?: boolean;
  /** Seal at most this many entries now, the lowest keys first; the rest wait for the next seal. */
  maxEntries?: number;
}

export interface AuditTrail {
  /** Appends an entry; the very same entry twice is one entry. */
  append(event: AuditEvent): Promise<void>;
  read(orgId: string): Promise<AuditEvent[]>;
  /** Entries whose time is from `from` (inclusive) to `to` (exclusive): dates or ISO-8601 times. */
  readRange(orgId: string, from: string, to: string): Promise<AuditRecord[]>;
  /** Every digest of the chain, in order. */
  digests(orgId: string): Promise<AuditDigest[]>;
  /** Seals the entries written since the last seal into digests chained to the head; returns the head (also when nothing was new). */
  seal(orgId: string, actor: string, options: SealOptions): Promise<SealResult>;
  /** Recomputes every digest and sealed entry: what was altered, removed, inserted or is missing, and what is not yet sealed. */
  verify(orgId: string, options?: VerifyOptions): Promise<AuditVerification>;
}

export interface OutgoingMail {
  to: { name: string; email: string };
  subject: string;
  text: string;
  html: string;
  /** Extra headers, e.g. the run and notice keys, for tracing a mail back. */
  headers?: Record<string, string>;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
}

/** Starts a workflow execution by name; 'exists' when one of that name was started before. */
/** What the orchestrator says of one execution (Step Functions' DescribeExecution on AWS). */
export interface ExecutionState {
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'PENDING_REDRIVE';
  /** Whose run it is (its input's orgId): names are unique per workflow, not per organisation. */
  orgId?: string;
  startedAt?: string;
  stoppedAt?: string;
  /** A failed execution's error (a name) and cause, redacted, as DescribeExecution gives them. */
  error?: string;
  cause?: string;
}

/** undefined: no such execution, or none this orchestrator knows of. */
export type ExecutionDescriber = (workflow: string, name: string) => Promise<ExecutionState | undefined>;

export type ExecutionStarter = (workflow: string, name: string, input: string) => Promise<{ executionArn?: string } | 'exists'>;

/** How reading one local file went. */
export interface FileRead {
  /** The path as given (joined with the name inside a folder given). */
  file: string;
  status: 'scanned' | 'skipped' | 'failed';
  reason?: string;
  format?: 'text' | 'csv' | 'tsv' | 'json' | 'xlsx' | 'eml';
  encoding?: string;
  bytesRead?: number;
  bytesTotal?: number;
  truncated?: boolean;
  replacedSequences?: number;
  problems?: { line: number; message: string }[];
}

export interface FileReadOptions {
  /** Bytes read per file at most (the sampling budget). */
  budgetBytes?: number;
  /** .xlsx: data rows read per workbook at most (a workbook is read whole, so bytes cannot bound it). */
  budgetRecords?: number;
  /** Characters per text chunk (smaller: less memory). */
  maxChunkChars?: number;
}

/** Where scanned text comes from: each reader yields records and returns what it covered. */
export interface SourceReaders {
  /** A declared source's records, within its budget. */
  source(source: Source): AsyncGenerator<SourceRecord, Coverage>;
  /** One local file's records (`group` names it in the records). */
  file(file: string, group: string, options: FileReadOptions): AsyncGenerator<SourceRecord, FileRead>;
  /** Files and folders (recursively); `onFile` hears how each file went once its records are out. */
  paths(paths: readonly string[], options: FileReadOptions, onFile: (read: FileRead) => void): AsyncGenerator<SourceRecord>;
}

/** Platform audit-log events (behaviour monitoring), held by the keyed hash of their user. */
export interface EventRepository {
  /** Writes held events, each under its deterministic key with no read first (an event written again is the same item), to expire `expiresAt` (epoch seconds). */
  put(orgId: string, events: readonly { event: HeldEvent; expiresAt: number }[]): Promise<void>;
  /**
   * Events received after the watermark's positions and up to `upTo` (ISO-8601), at most about
   * `limit`, not expired at `nowEpoch`; with the positions reached and whether more wait.
   */
  received(orgId: string, after: Watermark['positions'], upTo: string, limit: number, nowEpoch: number): Promise<{ events: HeldEvent[]; positions: Watermark['positions']; more: boolean }>;
  /** Those of these events the table holds already (by their keys), not expired at `nowEpoch`, by id, as held. */
  held(orgId: string, events: readonly HeldEvent[], nowEpoch: number): Promise<Map<string, HeldEvent>>;
  /** The events of these users (keyed hashes) whose time is from `from` to `to`, not expired at `nowEpoch`. */
  ofUsers(orgId: string, users: readonly string[], from: string, to: string, nowEpoch: number): Promise<HeldEvent[]>;
  baselines(orgId: string, identities: readonly string[]): Promise<Map<string, Baseline>>;
  putBaselines(orgId: string, baselines: readonly Baseline[]): Promise<void>;
  watermark(orgId: string): Promise<Watermark | undefined>;
  /** Moves the watermark over the one read (none: there was none); false when another run moved it since. */
  moveWatermark(orgId: string, read: Watermark | undefined, next: Omit<Watermark, 'version'>): Promise<boolean>;
  /** Marks an ingest under way until it ends or `leaseUntil` passes: no watermark moves past `startedAt` meanwhile. `file`: the audit-log file it writes. */
  beginIngest(orgId: string, ingestId: string, startedAt: string, leaseUntil: string, file?: { platform: string; sha256: string }): Promise<void>;
  /** Renews the mark to `leaseUntil` if it is still there and unexpired at `now`; false if not (the ingest must stop writing). */
  holdIngest(orgId: string, ingestId: string, now: string, leaseUntil: string): Promise<boolean>;
  endIngest(orgId: string, ingestId: string): Promise<void>;
  /** Ingests under way at `now` (their lease not run out), earliest first. */
  ingestsUnderWay(orgId: string, now: string): Promise<{ id: string; startedAt: string; leaseUntil: string; platform?: string; sha256?: string }[]>;
  /** An audit-log file imported before, by its platform and content hash. */
  auditLog(orgId: string, platform: string, sha256: string): Promise<AuditLogRecord | undefined>;
  putAuditLog(orgId: string, record: AuditLogRecord): Promise<void>;
  /** Adds one run's figures to its day's record, once per run. */
  recordRun(orgId: string, day: string, runName: string, figures: RunFigures, at: string, upTo?: string): Promise<void>;
  /** The days' records from `fromDay` to `toDay` (inclusive). */
  days(orgId: string, fromDay: string, toDay: string): Promise<MonitoringDay[]>;
}

export interface AlertRepository {
  /** Puts an alert unless one of its id exists, with its audit entry. */
  create(alert: Alert, audit: AuditEvent): Promise<'created' | 'exists'>;
  get(orgId: string, id: string): Promise<Alert | undefined>;
  /** The status of each alert named (those that exist). */
  statuses(orgId: string, ids: readonly string[]): Promise<Map<string, AlertStatus>>;
  /** Alerts not yet resolved, from the unresolved index. */
  unresolved(orgId: string): Promise<Alert[]>;
  /** Alerts of the days from `fromDay` to `toDay` (their ids begin with the day). */
  ofDays(orgId: string, fromDay: string, toDay: string): Promise<Alert[]>;
  /** Writes an acknowledgement or a resolution over the status read, with its audit entry; ConflictError when the alert changed since. */
  change(alert: Alert, readStatus: AlertStatus, audit: AuditEvent): Promise<void>;
}

/** One audit-log file as a reader opens it: what it is, and its rows or entries. */
export interface AuditLogFile {
  /** Its name as people may see it (redacted). */
  name: string;
  /** SHA-256 of its content: the same file imported again is recognised. */
  sha256: string;
  /** A table's header, or the first entry of a JSON file. */
  sample: { kind: 'table'; header: string[] } | { kind: 'json'; first: unknown };
  /** What a record's number counts: lines of a CSV or JSON-lines file, entries of a JSON array, rows of a sheet. */
  unit: 'line' | 'entry' | 'row';
  records(): AsyncIterable<RawRecord>;
}

/** Where platform audit logs are read from: local files, and S3 prefixes on AWS. */
export interface AuditLogReaders {
  /** The files a platform's declared audit log names: the file, or each object under the prefix (its path or prefix opened from the seal with `hashKey`). */
  declared(log: AuditLogDeclaration, hashKey: string): AsyncIterable<AuditLogFile>;
}

export interface Ports {
  runs: RunRepository;
  organisations: OrganisationRepository;
  notices: NoticeRepository;
  dataMaps: DataMapRepository;
  gaps: GapRepository;
  reviews: ReviewRepository;
  audit: AuditTrail;
  mailer: Mailer;
  readers: SourceReaders;
  events: EventRepository;
  alerts: AlertRepository;
  auditLogs: AuditLogReaders;
  /** Starts workflow runs: Step Functions on AWS, the local runner on one machine. */
  starter: ExecutionStarter;
  describeExecution: ExecutionDescriber;
  /** The key for keyed hashes of scan findings (HMAC-SHA-256). */
  hashKey: () => Promise<string>;
  /** Where the web pages are, for links in mails (WEB_BASE_URL; locally compliance serve's address). */
  webBaseUrl?: string;
  /** Wall-clock time for leases and audit stamps (date rules use each run's own `now`). */
  clock: () => Date;
}
