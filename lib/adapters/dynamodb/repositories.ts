// The use cases' repositories (lib/usecases/ports.ts), kept in the one DynamoDB table.
import type { Ports } from '../../usecases/ports.ts';
import type { Store } from './client.ts';
import { appendAudit, readAudit, readAuditRange } from './audit.ts';
import { auditDigests, sealAuditTrail, verifyAuditTrail } from './audit-seal.ts';
import { dataMapGroups, dataMapHistory, latestDataMapHeader, previousDataMap, putDataMapHeader, putSourceEntry, sourceEntries } from './datamap-store.ts';
import { latestAnalysis, listAnalyses, listGaps, openGaps, recordAnalysis } from './gap-store.ts';
import { claimNotice, closeNotice, noteMessageId, pendingKeysFor, pendingRecipients, recordNotice, releaseNotice } from './notice-store.ts';
import {
  currentValidity,
  evidenceEndingBy,
  getOrganisation,
  getSource,
  listEvidence,
  listOrganisationIds,
  listSources,
  loadOrganisation,
  registerEvidence,
} from './org-store.ts';
import { beginRun, finishRun, getRun, listRuns } from './run-store.ts';
import {
  beginIngest,
  endIngest,
  holdIngest,
  eventsOfUsers,
  heldEvents,
  getAuditLog,
  getBaselines,
  getWatermark,
  ingestsUnderWay,
  monitoringDays,
  moveWatermark,
  putAuditLog,
  putBaselines,
  putEvents,
  receivedEvents,
  recordRun,
} from './event-store.ts';
import { alertStatuses, alertsOfDays, changeAlert, createAlert, getAlert, unresolvedAlerts } from './alert-store.ts';
import { importOrganisation } from './import-store.ts';
import { changeTask, closeReview, createReview, createTasks, getReview, getTask, listNonconformities, listReviews, listTasks, openTasksDueBy } from './review-store.ts';

/** The ports the table serves. */
export type Repositories = Pick<Ports, 'runs' | 'organisations' | 'notices' | 'dataMaps' | 'gaps' | 'reviews' | 'audit' | 'events' | 'alerts'>;

export function dynamoRepositories(store: Store): Repositories {
  return {
    runs: {
      get: (run) => getRun(store, run),
      begin: (run, at) => beginRun(store, run, at),
      finish: (run, outcome, at) => finishRun(store, run, outcome, at),
      list: (orgId, kind) => listRuns(store, orgId, kind),
    },
    organisations: {
      ids: () => listOrganisationIds(store),
      settings: (orgId) => getOrganisation(store, orgId),
      load: (orgId) => loadOrganisation(store, orgId),
      sources: (orgId) => listSources(store, orgId),
      source: (orgId, sourceId) => getSource(store, orgId, sourceId),
      evidence: (orgId, controlId) => listEvidence(store, orgId, controlId),
      evidenceEndingBy: (orgId, lastDay) => evidenceEndingBy(store, orgId, lastDay),
      currentValidity: (orgId, ids) => currentValidity(store, orgId, ids),
      register: (orgId, evidence, audit) => registerEvidence(store, orgId, evidence, audit),
      import: (file, actor, at, today) => importOrganisation(store, file, actor, at, today),
    },
    notices: {
      record: (notice, at) => recordNotice(store, notice, at),
      waitingRecipients: (orgId) => pendingRecipients(store, orgId),
      waitingFor: (orgId, ids) => pendingKeysFor(store, orgId, ids),
      claim: (orgId, waiting, runName, now, lease) => claimNotice(store, orgId, waiting, runName, now, lease),
      noteMessageId: (notice, runName, messageId) => noteMessageId(store, notice, runName, messageId),
      release: (notice, runName, reason, at) => releaseNotice(store, notice, runName, reason, at),
      close: (notice, runName, outcome, at) => closeNotice(store, notice, runName, outcome, at),
    },
    dataMaps: {
      putSource: (orgId, scanId, entry) => putSourceEntry(store, orgId, scanId, entry),
      sources: (orgId, scanId, ids) => sourceEntries(store, orgId, scanId, ids),
      put: (dataMap, diff, at) => putDataMapHeader(store, dataMap, diff, at),
      previous: (orgId, scanId) => previousDataMap(store, orgId, scanId),
      history: (orgId) => dataMapHistory(store, orgId),
      latest: (orgId) => latestDataMapHeader(store, orgId),
      groups: (orgId, scanId, sourceId) => dataMapGroups(store, orgId, scanId, sourceId),
    },
    gaps: {
      all: (orgId) => listGaps(store, orgId),
      open: (orgId) => openGaps(store, orgId),
      record: (analysis, gaps) => recordAnalysis(store, analysis, gaps),
      latestAnalysis: (orgId) => latestAnalysis(store, orgId),
      analyses: (orgId) => listAnalyses(store, orgId),
    },
    reviews: {
      get: (orgId, quarter) => getReview(store, orgId, quarter),
      list: (orgId) => listReviews(store, orgId),
      create: (review, at) => createReview(store, review, at),
      createTasks: (orgId, tasks) => createTasks(store, orgId, tasks),
      tasks: (orgId, quarter) => listTasks(store, orgId, quarter),
      task: (orgId, id) => getTask(store, orgId, id),
      openTasksDueBy: (orgId, lastDay) => openTasksDueBy(store, orgId, lastDay),
      changeTask: (orgId, change) => changeTask(store, orgId, change),
      nonconformities: (orgId) => listNonconformities(store, orgId),
      close: (review, tasks, ncs, audit) => closeReview(store, review, tasks, ncs, audit),
    },
    events: {
      put: (orgId, events) => putEvents(store, orgId, events),
      received: (orgId, after, upTo, limit, nowEpoch) => receivedEvents(store, orgId, after, upTo, limit, nowEpoch),
      held: (orgId, events, nowEpoch) => heldEvents(store, orgId, events, nowEpoch),
      ofUsers: (orgId, users, from, to, nowEpoch) => eventsOfUsers(store, orgId, users, from, to, nowEpoch),
      baselines: (orgId, identities) => getBaselines(store, orgId, identities),
      putBaselines: (orgId, baselines) => putBaselines(store, orgId, baselines),
      watermark: (orgId) => getWatermark(store, orgId),
      moveWatermark: (orgId, read, next) => moveWatermark(store, orgId, read, next),
      beginIngest: (orgId, id, startedAt, leaseUntil, file) => beginIngest(store, orgId, id, startedAt, leaseUntil, file),
      holdIngest: (orgId, id, now, leaseUntil) => holdIngest(store, orgId, id, now, leaseUntil),
      endIngest: (orgId, id) => endIngest(store, orgId, id),
      ingestsUnderWay: (orgId, now) => ingestsUnderWay(store, orgId, now),
      auditLog: (orgId, platform, sha256) => getAuditLog(store, orgId, platform, sha256),
      putAuditLog: (orgId, record) => putAuditLog(store, orgId, record),
      recordRun: (orgId, day, runName, figures, at, upTo) => recordRun(store, orgId, day, runName, figures, at, upTo),
      days: (orgId, fromDay, toDay) => monitoringDays(store, orgId, fromDay, toDay),
    },
    alerts: {
      create: (alert, audit) => createAlert(store, alert, audit),
      get: (orgId, id) => getAlert(store, orgId, id),
      statuses: (orgId, ids) => alertStatuses(store, orgId, ids),
      unresolved: (orgId) => unresolvedAlerts(store, orgId),
      ofDays: (orgId, fromDay, toDay) => alertsOfDays(store, orgId, fromDay, toDay),
      change: (alert, readStatus, audit) => changeAlert(store, alert, readStatus, audit),
    },
    audit: {
      append: (event) => appendAudit(store, event),
      read: (orgId) => readAudit(store, orgId),
      readRange: (orgId, from, to) => readAuditRange(store, orgId, from, to),
      digests: (orgId) => auditDigests(store, orgId),
      seal: (orgId, actor, options) => sealAuditTrail(store, orgId, actor, options),
      verify: (orgId, options) => verifyAuditTrail(store, orgId, options),
    },
  };
}
