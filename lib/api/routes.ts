// Every route of the HTTP API: who may call it, what its path, query and body must
// be, and the use case it calls. lib/workflows/declarations.ts's API_ROUTES says which
// function serves each (test/api-routes.test.ts checks the two agree). Routes take
// the organisation from the token only, so no request can name another's.
import { z } from 'zod';
import type { Role } from '../domain/access/principal.ts';
import { resolveControlId } from '../domain/catalogues/control-id.ts';
import { EvidenceStatusName } from '../domain/evidence/lapse-policy.ts';
import { Framework, GapStatus, Severity, severityRank } from '../domain/gaps/gap.ts';
import { annexASortKey } from '../domain/org/annex-a.ts';
import { oneLineText } from '../domain/evidence/input-rules.ts';
import { EvidenceLocation, Period } from '../domain/org/org.ts';
import { Quarter } from '../domain/review/review.ts';
import { TASK_RESULTS } from '../domain/vocabulary.ts';
import { listEvidenceRows, showControl } from '../usecases/controls/show.ts';
import { EvidenceSubmission, registerEvidence } from '../usecases/evidence/register.ts';
import { answerTask, NoSuchTask } from '../usecases/review/answer.ts';
import { listTasks, resolveQuarter, showReview, soaOf, type TaskView } from '../usecases/review/show.ts';
import { listRunRecords, PeriodFilter, runAsSeenBy, showRun, startRunNow, WorkflowParam } from '../usecases/runs/runs-by-api.ts';
import { NotFoundError, rethrowFieldAs } from '../errors.ts';
import { localDate } from '../domain/review/quarter.ts';
import type { Ports } from '../usecases/ports.ts';
import { AlertStatus, Disposition } from '../domain/monitoring/alert.ts';
import { acknowledgeAlert, alertsHandledBy, listAlerts, NoSuchAlert, quarterStats, resolveAlert } from '../usecases/monitoring/alerts.ts';
import { AuditBound, readAuditPeriod, verifyAudit } from '../usecases/audit/trail.ts';
import { downloadPackage } from '../usecases/export/download.ts';
import { pageOf, PageQuery } from './pages.ts';
import { route, type RouteSpec } from './http.ts';

const EVERYONE_WHO_READS: readonly Role[] = ['admin', 'auditor'];
const OWNERS: readonly Role[] = ['admin', 'auditor', 'owner'];
const SCHEDULERS: readonly Role[] = ['admin', 'scheduler'];

const controlId = z.string().max(40).transform((value, ctx) => {
  const resolved = resolveControlId(value);
  if (resolved.ok) return resolved.id;
  ctx.addIssue({ code: 'custom', message: 'is not an ISO/IEC 27001 Annex A control id such as A.5.15' });
  return z.NEVER;
});

/**
 * `?status=` of /v1/tasks: a task's own status (open, answered, unanswered), or the
 * reviewer's decision on its answer (accepted, returned), which the task keeps apart.
 */
/** An answer's refusal that names one of its fields (answer.ts): validFor, evidence.location/sha256/name. */
const ANSWER_FIELD = /^(?:validFor|evidence\.(?:location|sha256|name)): /;
const PERIOD_FIELD = /^period: /;

const TASK_FILTERS = ['open', 'answered', 'unanswered', 'accepted', 'returned', 'all'] as const;
function taskMatches(t: Pick<TaskView, 'status' | 'reviewDecision'>, filter: (typeof TASK_FILTERS)[number]): boolean {
  if (filter === 'all') return true;
  if (filter === 'accepted' || filter === 'returned') return t.reviewDecision === filter;
  return t.status === filter;
}

/**
 * The day the shared reads of statuses are held for: the organisation's date, as the
 * rows count days (localDate), so a new local day is read afresh, never served the
 * day before's statuses (in Hong Kong the day turns at 16:00 UTC, eight hours before
 * UTC's). Settings are read through the cache too, so this costs no read of the table.
 */
async function statusDay(rt: Ports, orgId: string, now: Date): Promise<string> {
  const org = await rt.organisations.settings(orgId);
  // Not imported: the read keyed by it answers 404, so any day will do.
  return localDate(now, org?.timeZone ?? 'UTC');
}

/** An unknown alert's refusal, pointing to the route that lists them rather than the command. */
function alertsListedHere(error: unknown): never {
  throw error instanceof NoSuchAlert ? new NoSuchAlert(error.id, error.orgId, 'GET /v1/alerts') : error;
}

/** An owner sees their own; the other roles that reach a route see everyone's. */
const ownOnly = (principal: { role: Role; person: string }) => (principal.role === 'owner' ? principal.person : undefined);

export const ROUTES: readonly RouteSpec[] = [
  route({
    method: 'GET',
    path: '/v1/controls',
    roles: OWNERS,
    query: z.strictObject({ ...PageQuery }),
    handle: async ({ rt, principal, query, now, shared }) => {
      const rows = await shared(`controls:${await statusDay(rt, principal.orgId, now)}`, () => soaOf(rt, principal.orgId, now));
      const owner = ownOnly(principal);
      return { json: pageOf(owner ? rows.filter((r) => r.owner === owner) : rows, (r) => annexASortKey(r.id), query, '/v1/controls') };
    },
  }),
  route({
    method: 'GET',
    path: '/v1/controls/{id}',
    roles: OWNERS,
    params: z.strictObject({ id: controlId }),
    handle: async ({ rt, principal, params, now, shared }) => {
      const owner = ownOnly(principal);
      return { json: await shared(`control:${params.id}:${owner ?? ''}:${await statusDay(rt, principal.orgId, now)}`, () => showControl(rt, principal.orgId, params.id, now, owner)) };
    },
  }),
  route({
    method: 'GET',
    path: '/v1/evidence',
    roles: OWNERS,
    query: z.strictObject({ status: EvidenceStatusName.optional(), control: controlId.optional(), ...PageQuery }),
    handle: async ({ rt, principal, query, now, shared }) => {
      const filter = { ...(query.status ? { status: query.status } : {}), ...(ownOnly(principal) ? { owner: principal.person } : {}) };
      const all = { ...filter, ...(query.control ? { control: query.control } : {}) };
      const rows = await shared(`evidence:${JSON.stringify(all)}:${await statusDay(rt, principal.orgId, now)}`, () => listEvidenceRows(rt, principal.orgId, now, all));
      return { json: pageOf(rows, (r) => r.id, query, '/v1/evidence') };
    },
  }),
  route({
    method: 'GET',
    path: '/v1/datamaps/latest',
    roles: EVERYONE_WHO_READS,
    handle: async ({ rt, principal }) => {
      const map = await rt.dataMaps.previous(principal.orgId);
      if (!map) throw new NotFoundError('no data map yet: run a data-mapping scan first');
      return { json: map };
    },
  }),
  route({
    method: 'GET',
    path: '/v1/gaps',
    roles: EVERYONE_WHO_READS,
    query: z.strictObject({ status: z.enum([...GapStatus.options, 'all']).default('open'), framework: Framework.optional(), severity: Severity.optional(), ...PageQuery }),
    handle: async ({ rt, principal, query }) => {
      const gaps = query.status === 'open' ? await rt.gaps.open(principal.orgId) : await rt.gaps.all(principal.orgId);
      const kept = gaps.filter(
        (g) =>
          (query.status === 'all' || g.status === query.status) &&
          (!query.severity || g.severity === query.severity) &&
          (!query.framework || g.requirements.some((r) => r.framework === query.framework)),
      );
      return { json: pageOf(kept, (g) => `${severityRank(g.severity)}#${g.id}`, query, '/v1/gaps') };
    },
  }),
  route({
    method: 'GET',
    path: '/v1/reviews/{quarter}',
    roles: EVERYONE_WHO_READS,
    params: z.strictObject({ quarter: Quarter }),
    // A scheduler (or an admin) opens the quarter under way's review through POST /v1/runs, as the command line's review open does.
    handle: async ({ rt, principal, params, now }) => ({ json: await showReview(rt, principal.orgId, params.quarter, now, () => 'an admin or a scheduler opens it with POST /v1/runs {"workflow":"quarterly-review"}') }),
  }),
  route({
    method: 'GET',
    path: '/v1/tasks',
    roles: OWNERS,
    query: z.strictObject({ quarter: Quarter.optional(), status: z.enum(TASK_FILTERS).default('all'), ...PageQuery }),
    handle: async ({ rt, principal, query, now }) => {
      const quarter = await resolveQuarter(rt, principal.orgId, now, query.quarter);
      const tasks = await listTasks(rt, principal.orgId, quarter, ownOnly(principal));
      const kept = tasks.filter((t) => taskMatches(t, query.status));
      return { json: { quarter, ...pageOf(kept, (t) => annexASortKey(t.control), query, '/v1/tasks') } };
    },
  }),
  route({
    method: 'POST',
    path: '/v1/reviews/{quarter}/tasks/{control}/answer',
    roles: ['owner'],
    params: z.strictObject({ quarter: Quarter, control: controlId }),
    body: z.strictObject({
      result: z.enum(TASK_RESULTS),
      comment: z.string().max(4000, 'must be at most 4,000 characters').optional(),
      evidence: z
        .strictObject({
          // As the organisation file and POST /v1/evidence take it (their schemes, their 2,048 at most): it becomes a link in the package.
          location: EvidenceLocation,
          name: oneLineText(200),
          sha256: z.string().regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hexadecimal characters').transform((s) => s.toLowerCase()),
          bytes: z.number().int().nonnegative(),
        })
        .optional(),
      validFor: Period.optional(), // the organisation file's: at least a day (P0D is refused here, naming body.validFor)
    }),
    handle: async ({ rt, principal, params, body, now }) => {
      const task = await answerTask(rt, {
        orgId: principal.orgId,
        taskId: `${params.quarter}/${params.control}`,
        as: principal.person,
        ownOnly: true,
        result: body.result,
        ...(body.comment !== undefined ? { comment: body.comment } : {}),
        ...(body.evidence ? { evidence: body.evidence } : {}),
        ...(body.validFor ? { validFor: body.validFor } : {}),
        now,
      }).catch((error: unknown) => {
        // The use case names the answer's own fields (the command line and the answers file
        // say them their way); here they are the body's.
        // Its task list is a route here, not a command.
        if (error instanceof NoSuchTask) throw new NoSuchTask(error.taskId, `GET /v1/tasks?quarter=${params.quarter}`);
        rethrowFieldAs(error, 'body.', ANSWER_FIELD);
      });
      return { json: { task: { id: task.id, status: task.status, result: task.result, evidence: task.evidence, version: task.version } } };
    },
  }),
  route({
    method: 'POST',
    path: '/v1/evidence',
    roles: ['owner'],
    body: EvidenceSubmission,
    handle: async ({ rt, principal, body, now }) => ({ status: 201, json: { evidence: await registerEvidence(rt, principal.orgId, principal.person, body, now) } }),
  }),
  route({
    method: 'GET',
    path: '/v1/audit',
    roles: EVERYONE_WHO_READS,
    query: z.strictObject({ from: AuditBound.optional(), to: AuditBound.optional(), ...PageQuery }),
    handle: async ({ rt, principal, query }) => {
      const entries = await readAuditPeriod(rt, principal.orgId, query, { from: 'query.from', to: 'query.to' });
      return { json: pageOf(entries, (e) => e.sk, query, '/v1/audit') };
    },
  }),
  route({
    method: 'GET',
    path: '/v1/audit/verify',
    roles: EVERYONE_WHO_READS,
    query: z.strictObject({ unsealed: z.coerce.number().int().min(0).max(1000).default(20) }),
    handle: async ({ rt, principal, query }) => {
      const report = await verifyAudit(rt, principal.orgId, { listUnsealed: query.unsealed });
      return { json: report };
    },
  }),
  route({
    method: 'GET',
    path: '/v1/exports/{period}',
    roles: EVERYONE_WHO_READS,
    params: z.strictObject({ period: Quarter }),
    query: z.strictObject({ format: z.enum(['json', 'csv', 'oscal']).default('json') }),
    handle: async ({ rt, principal, params, query, now }) => {
      const signer = await rt.manifestSigner();
      // The use case names the field "period:" whoever asked; here the period is the path's (path.period, as the schema says it).
      const download = await downloadPackage(rt, { orgId: principal.orgId, period: params.period, format: query.format, signer, now, actor: principal.person }, rt.packageDelivery).catch((error: unknown) =>
        rethrowFieldAs(error, 'path.', PERIOD_FIELD),
      );
      // On AWS the package is in the exports bucket, behind a link that works for minutes; locally it is the response.
      return 'link' in download ? { redirect: download.link.location } : download;
    },
  }),
  route({
    method: 'GET',
    path: '/v1/alerts',
    roles: OWNERS,
    query: z.strictObject({ status: AlertStatus.optional(), ...PageQuery }),
    handle: async ({ rt, principal, query }) => {
      // An owner sees the alerts they may acknowledge and resolve (handlesAlert): those sent to them, and every one for the contacts.
      const owner = ownOnly(principal);
      const alerts = owner ? await alertsHandledBy(rt, principal.orgId, owner, query.status) : await listAlerts(rt, principal.orgId, query.status);
      return { json: pageOf(alerts, (a) => `${a.at}#${a.id}`, query, '/v1/alerts') };
    },
  }),
  route({
    method: 'GET',
    path: '/v1/alerts/stats',
    roles: EVERYONE_WHO_READS,
    // No period: the quarter under way, as the command line's --period defaults.
    query: z.strictObject({ period: Quarter.optional() }),
    handle: async ({ rt, principal, query, now }) => ({
      // The use case names the field "period:" whoever asked; here it is the query's (query.period, as the schema says it).
      json: await quarterStats(rt, principal.orgId, query.period, now).catch((error: unknown) => rethrowFieldAs(error, 'query.', PERIOD_FIELD)),
    }),
  }),
  route({
    method: 'POST',
    path: '/v1/alerts/{id}/ack',
    roles: ['admin', 'owner'],
    params: z.strictObject({ id: z.string().min(1).max(80) }),
    body: z.strictObject({ comment: z.string().max(4000, 'must be at most 4,000 characters').optional() }),
    handle: async ({ rt, principal, params, body, now }) => ({
      json: { alert: await acknowledgeAlert(rt, { orgId: principal.orgId, id: params.id, as: principal.person, now, ...(body.comment !== undefined ? { comment: body.comment } : {}) }).catch(alertsListedHere) },
    }),
  }),
  route({
    method: 'POST',
    path: '/v1/alerts/{id}/resolve',
    roles: ['admin', 'owner'],
    params: z.strictObject({ id: z.string().min(1).max(80) }),
    body: z.strictObject({ disposition: Disposition, comment: z.string().max(4000, 'must be at most 4,000 characters').optional() }),
    handle: async ({ rt, principal, params, body, now }) => ({
      json: { alert: await resolveAlert(rt, { orgId: principal.orgId, id: params.id, as: principal.person, now, disposition: body.disposition, ...(body.comment !== undefined ? { comment: body.comment } : {}) }).catch(alertsListedHere) },
    }),
  }),
  route({
    method: 'GET',
    path: '/v1/runs',
    roles: [...EVERYONE_WHO_READS, 'scheduler'],
    query: z.strictObject({ workflow: WorkflowParam.optional(), period: PeriodFilter.optional(), ...PageQuery }),
    handle: async ({ rt, principal, query, shared }) => {
      const filter = { ...(query.workflow ? { workflow: query.workflow } : {}), ...(query.period ? { period: query.period } : {}) };
      const runs = await shared(`runs:${JSON.stringify(filter)}`, () => listRunRecords(rt, principal.orgId, filter));
      return { json: pageOf(runs.map((r) => runAsSeenBy(r, principal.role)), (r) => `${r.startedAt ?? ''}#${r.name}`, query, '/v1/runs') };
    },
  }),
  route({
    method: 'GET',
    path: '/v1/runs/{name}',
    roles: [...EVERYONE_WHO_READS, 'scheduler'],
    params: z.strictObject({ name: z.string().regex(/^[A-Za-z0-9_-]{1,80}$/, 'must be a run name (letters, digits, - and _, at most 80)') }),
    handle: async ({ rt, principal, params }) => ({ json: await showRun(rt, principal.orgId, params.name, principal.role) }),
  }),
  route({
    method: 'POST',
    path: '/v1/runs',
    roles: SCHEDULERS,
    body: z.strictObject({ workflow: WorkflowParam, period: z.string().max(20).optional() }),
    handle: async ({ rt, principal, body, now }) => ({ status: 202, json: await startRunNow(rt, principal, body.workflow, body.period, now) }),
  }),
];
