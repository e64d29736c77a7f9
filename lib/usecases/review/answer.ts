// A person's part in a review: the owner (or their delegate) answers a task with a
// result, a comment and evidence; the reviewer accepts or returns the answer; the
// owner hands the task to someone else. Each change is checked here, then written
// in one transaction over the version read while the review is open, so a refused
// change writes nothing; the same answer given again is the one recorded, not a second.
import { addPeriod } from '../../domain/dates.ts';
import { redact } from '../../domain/detect/redact.ts';
import { evidenceStatus, whyNotCurrent } from '../../domain/evidence/lapse-policy.ts';
import { defaultValidity, notOneLine, whyNotDefault, whyNotNewValidity } from '../../domain/evidence/input-rules.ts';
import { EvidenceLocation, type EvidenceRecord, type LoadedOrganisation } from '../../domain/org/org.ts';
import { answererOf } from '../../domain/review/reminders.ts';
import type { Task, TaskEvidence, TaskResult } from '../../domain/review/review.ts';
import { localDate } from '../../domain/review/quarter.ts';
import { ConflictError, ForbiddenError, InputError, NotFoundError } from '../../errors.ts';
import type { Ports, TaskChange } from '../ports.ts';
import { assignedDigest } from './open.ts';

/** An evidence file as the answerer hands it in: where it is and what it hashes to. */
export interface EvidenceFile {
  location: string;
  name: string;
  sha256: string;
  bytes: number;
}

export interface Answer {
  orgId: string;
  taskId: string;
  as: string;
  result: TaskResult;
  comment?: string;
  evidence?: EvidenceFile;
  /** ISO-8601 period the evidence is valid for (default: that of the evidence it renews, else the control's review rhythm). */
  validFor?: string;
  now: Date;
  /**
   * The answerer may learn of their own tasks only (an owner through the API and the
   * pages): a task not theirs is refused without naming its owner or delegate. The CLI's
   * local user, who reads every task anyway, is told whose it is.
   */
  ownOnly?: boolean;
}

interface Context {
  org: LoadedOrganisation;
  task: Task;
  today: string;
}

/**
 * Reads an answer or decision may be handed rather than make itself: a file of answers
 * reads the organisation once for all its answers and decisions (`org`, see readOnce),
 * and checks an answer against the task it has just read (`task`), nothing written between.
 * Each is checked here as a read of its own would be.
 */
export interface Reads {
  org?: () => Promise<LoadedOrganisation | undefined>;
  task?: Task;
}

/** `read` made once, its result shared by every caller after; a failed read is tried again. */
export function readOnce<T>(read: () => Promise<T>): () => Promise<T> {
  let held: Promise<T> | undefined;
  return () =>
    (held ??= read().catch((error: unknown) => {
      held = undefined;
      throw error;
    }));
}

/**
 * No task of that id. The message points to where the tasks are listed: the command
 * line's `compliance task list` unless told otherwise (the HTTP API names its route).
 */
export class NoSuchTask extends NotFoundError {
  readonly taskId: string;
  constructor(taskId: string, listedAt = 'compliance task list') {
    super(`no task "${taskId}" (tasks are named <quarter>/<control>, e.g. 2026-Q4/A.8.15: see ${listedAt})`);
    this.taskId = taskId;
  }
}

async function context(rt: Ports, orgId: string, taskId: string, now: Date, reads: Reads = {}): Promise<Context> {
  const org = await (reads.org ? reads.org() : rt.organisations.load(orgId));
  if (!org) throw new NotFoundError(`organisation "${orgId}" has not been imported`);
  const task = reads.task ?? (await rt.reviews.task(orgId, taskId));
  if (!task) throw new NoSuchTask(taskId);
  if (task.closedAt) throw new ConflictError(`the ${task.quarter} review is closed: task ${task.id} takes no more answers or decisions`);
  return { org, task, today: localDate(now, org.organisation.timeZone) };
}

function person(org: LoadedOrganisation, id: string, role: string): void {
  if (!org.people.has(id)) throw new InputError(`${role} "${id}" is not a person of ${org.organisation.id}`);
}

/** An item of the register the answer's file already is, and the field that says so. */
interface Known {
  item: EvidenceRecord;
  field: 'evidence.location' | 'evidence.sha256';
}

const isLive = (e: EvidenceRecord) => !e.retired && !e.renewedBy;
const sameHash = (a: string | undefined, b: string) => a !== undefined && a.toLowerCase() === b.toLowerCase();

/**
 * What an evidence file does to the register: nothing new when it is an item registered
 * already (at its location, or the same bytes anywhere), which is attached as it is and
 * renews nothing; else a new item renewing the oldest live one.
 */
function registration(answer: Answer, ctx: Context, items: readonly EvidenceRecord[]): Pick<TaskChange, 'register' | 'renews'> & { attached?: TaskEvidence; known?: Known } {
  const file = answer.evidence;
  // A period with nothing to hold for would be dropped unseen: the person meant evidence to go with it.
  if (!file && answer.validFor) throw new InputError(`validFor: ${answer.validFor} given without evidence: it is how long the evidence given with it holds`);
  if (!file) return {};
  const current = items.filter(isLive);
  const atLocation = current.find((e) => e.location === file.location);
  if (atLocation?.sha256 && !sameHash(atLocation.sha256, file.sha256)) {
    throw new InputError(`--evidence ${file.name}: the file no longer matches the SHA-256 recorded for evidence ${atLocation.id} (recorded ${atLocation.sha256.slice(0, 12)}..., now ${file.sha256.slice(0, 12)}...): register the new version under a new name, or restore the recorded one`);
  }
  // The same bytes under another name are the same evidence: a copy of a lapsed, renewed
  // or retired file must not come back as a new item renewing it.
  const same = atLocation ?? current.find((e) => sameHash(e.sha256, file.sha256)) ?? items.find((e) => sameHash(e.sha256, file.sha256));
  if (same) {
    return {
      attached: { id: same.id, origin: same.origin, title: same.title, location: same.location, ...(same.sha256 ? { sha256: same.sha256 } : {}) },
      known: { item: same, field: atLocation ? 'evidence.location' : 'evidence.sha256' },
    };
  }
  const control = ctx.org.controls.get(ctx.task.control);
  const renewed = [...current].filter((e) => e.validUntil).sort((a, b) => String(a.validUntil).localeCompare(String(b.validUntil)))[0];
  // Not given: the period of the evidence it renews, counted from today, else the control's review rhythm (input-rules.ts).
  const given = answer.validFor;
  const defaulted = given ? undefined : defaultValidity(ctx.today, control?.reviewEvery, renewed);
  const validUntil = given ? addPeriod(ctx.today, given) : defaulted!.validUntil;
  // New evidence holds today and not for ever (P0D ended yesterday); an inherited period is held to the same bound.
  const validity = whyNotNewValidity(ctx.today, validUntil, ctx.today, `${ctx.today} in ${ctx.org.organisation.timeZone}`);
  if (validity && given) throw new InputError(`validFor: ${given} from ${ctx.today} ${validity}`);
  if (validity) throw new InputError(`validFor: ${whyNotDefault(defaulted!, control?.reviewEvery, ctx.today, validity)}`);
  const id = `${ctx.task.id}/${file.sha256.slice(0, 12)}`;
  const register: EvidenceRecord = {
    id,
    control: ctx.task.control,
    title: `${ctx.task.control} review ${ctx.task.quarter}: ${file.name}`,
    kind: renewed?.kind ?? 'other',
    location: file.location,
    sha256: file.sha256,
    collected: ctx.today,
    validUntil,
    owner: ctx.task.owner,
    retired: false,
    origin: 'answer',
    ...(renewed ? { renews: renewed.id } : {}),
  };
  return {
    register,
    ...(renewed ? { renews: { id: renewed.id, by: id } } : {}),
    attached: { id, origin: 'answer', title: register.title, location: file.location, sha256: file.sha256 },
  };
}

/** The task already holds this answer: same answerer, result, comment and evidence. */
function holds(task: Task, answer: Task): boolean {
  const ids = (t: Task) => t.evidence.map((e) => e.id).join('\n');
  return task.status === 'answered' && task.answeredBy === answer.answeredBy && task.result === answer.result && task.comment === answer.comment && ids(task) === ids(answer);
}

/** An answer checked against the task as read, and the change it makes: nothing written yet. */
interface CheckedAnswer {
  answer: Answer;
  task: Task;
  changed: Task;
  reg: ReturnType<typeof registration>;
}

export async function answerTask(rt: Ports, given: Answer, reads: Pick<Reads, 'org'> = {}): Promise<Task> {
  // The task is read again here, whatever was read before: the change is written over the version this read.
  const { answer, task, changed, reg } = await checkAnswer(rt, given, reads);
  // The same answer again (a retried request, a double click) is the answer already recorded: no new version, no second audit entry.
  if (holds(task, changed)) return task;
  try {
    await rt.reviews.changeTask(answer.orgId, {
      task: changed,
      readVersion: task.version,
      audit: { orgId: answer.orgId, at: rt.clock().toISOString(), event: 'task.answered', subject: `TASK#${task.id}`, actor: answer.as, detail: { result: answer.result, ...(reg.attached ? { evidence: reg.attached.id } : {}) } },
      ...(reg.register ? { register: reg.register } : {}),
      ...(reg.renews ? { renews: reg.renews } : {}),
    });
  } catch (error) {
    // Sent twice at once: the other request recorded this very answer first.
    const now = error instanceof ConflictError ? await rt.reviews.task(answer.orgId, task.id) : undefined;
    if (now && holds(now, changed)) return now;
    throw error;
  }
  return { ...changed, version: task.version + 1 };
}

/**
 * Everything answerTask refuses, checked against the task and register as they are
 * now, writing nothing: a file of answers is checked whole this way before any is given.
 */
export async function checkAnswer(rt: Ports, given: Answer, reads: Reads = {}): Promise<CheckedAnswer> {
  const answer = typed(given);
  const ctx = await context(rt, answer.orgId, answer.taskId, answer.now, reads);
  const { task, org, today } = ctx;
  if (answer.as !== task.owner && answer.as !== task.delegate) {
    if (answer.ownOnly) throw new ForbiddenError(`task ${task.id} is not one of yours`);
    const whose = task.delegate ? `${task.owner}'s, handed to ${task.delegate}` : `${task.owner}'s`;
    throw new ForbiddenError(`task ${task.id} is ${whose}: ${answer.as} cannot answer it`);
  }
  if (task.reviewDecision === 'accepted') throw new ConflictError(`task ${task.id}'s answer was accepted by ${task.reviewer}: it takes no new answer this quarter`);
  checkEvidenceFile(given.evidence); // as typed: the name before its identifiers are masked
  const items = await rt.organisations.evidence(answer.orgId, task.control);
  const reg = registration(answer, ctx, items);
  const NEW_EVIDENCE = 'answer with new evidence (a file with its SHA-256: --evidence FILE on the command line, the evidence fields on the page or in the API)';
  const stale = reg.known ? whyNotCurrent(reg.known.item, today, org.organisation.sweep) : undefined;
  if (answer.result === 'effective' && reg.known && stale) {
    // A file registered already is not new evidence: re-attaching a lapsed item must not pass for renewing it.
    const { item, field } = reg.known;
    const said = field === 'evidence.location' ? `${answer.evidence?.location} is evidence ${item.id}` : `${answer.evidence?.sha256} is the file of evidence ${item.id}`;
    throw new InputError(`${field}: ${said}, registered already and ${stale}: it is not new evidence; task ${task.id}: control ${task.control} cannot be answered effective with it; ${NEW_EVIDENCE}`);
  }
  if (answer.result === 'effective' && !reg.attached) {
    const live = items.filter(isLive);
    const lapsed = live.filter((e) => ['lapsed', 'escalated'].includes(evidenceStatus(e.validUntil, today, org.organisation.sweep).status));
    const why =
      lapsed.length > 0 ? `its evidence has lapsed (${lapsed.map((e) => `${e.id} ended ${e.validUntil}`).join(', ')})` : live.length === 0 && task.evidence.length === 0 ? 'it has no evidence' : undefined;
    if (why) throw new InputError(`task ${task.id}: control ${task.control} cannot be answered effective: ${why}; ${NEW_EVIDENCE}`);
  }
  const changed: Task = {
    ...task,
    status: 'answered',
    result: answer.result,
    ...(answer.comment !== undefined ? { comment: answer.comment } : {}),
    answeredBy: answer.as,
    answeredAt: answer.now.toISOString(),
    evidence: reg.attached && !task.evidence.some((e) => e.id === reg.attached?.id) ? [...task.evidence, reg.attached] : task.evidence,
  };
  delete changed.reviewDecision;
  delete changed.reviewComment;
  delete changed.reviewedAt;
  return { answer, task, changed, reg };
}

/**
 * The evidence file's name becomes the title of the item it registers and its location a
 * link: each is one line (no forged table row, no reversed file name) and the location
 * is one the organisation file could give (no script, no credentials), whoever called.
 */
function checkEvidenceFile(file: EvidenceFile | undefined): void {
  if (!file) return;
  const name = notOneLine(file.name);
  if (name) throw new InputError(`evidence.name: ${name}`);
  const location = EvidenceLocation.safeParse(file.location);
  if (!location.success) throw new InputError(`evidence.location: ${location.error.issues.map((i) => i.message).join('; ')}`);
}

/**
 * What a person typed (a comment, an evidence file's name), held with the identifiers in
 * it masked, as every name and title the table holds: an owner noting "HKID A123456(3)
 * checked" leaves no HKID at rest. The same answer again masks the same way.
 */
function typed<T extends { comment?: string; evidence?: EvidenceFile }>(input: T): T {
  return {
    ...input,
    ...(input.comment !== undefined ? { comment: redact(input.comment) } : {}),
    ...(input.evidence !== undefined ? { evidence: { ...input.evidence, name: redact(input.evidence.name) } } : {}),
  };
}

export interface Decision {
  orgId: string;
  taskId: string;
  as: string;
  decision: 'accept' | 'return';
  comment?: string;
  now: Date;
}

export async function decideTask(rt: Ports, given: Decision, reads: Pick<Reads, 'org'> = {}): Promise<Task> {
  const d = typed(given);
  const { task } = await context(rt, d.orgId, d.taskId, d.now, reads);
  if (d.as !== task.reviewer) throw new ForbiddenError(`task ${task.id} is reviewed by ${task.reviewer}: ${d.as} cannot accept or return its answer`);
  if (task.status !== 'answered') throw new ConflictError(`task ${task.id} has no answer to ${d.decision}${task.reviewDecision === 'returned' ? ' (it was returned and waits for a new one)' : ''}`);
  const at = d.now.toISOString();
  const changed: Task = {
    ...task,
    // A returned answer sends the task back to its owner, into the open-tasks index again.
    status: d.decision === 'accept' ? 'answered' : 'open',
    reviewDecision: d.decision === 'accept' ? 'accepted' : 'returned',
    reviewedAt: at,
    ...(d.comment !== undefined ? { reviewComment: d.comment } : {}),
  };
  await rt.reviews.changeTask(d.orgId, {
    task: changed,
    readVersion: task.version,
    audit: { orgId: d.orgId, at: rt.clock().toISOString(), event: d.decision === 'accept' ? 'task.accepted' : 'task.returned', subject: `TASK#${task.id}`, actor: d.as, detail: d.comment ? { comment: d.comment } : {} },
  });
  return { ...changed, version: task.version + 1 };
}

export interface Delegation {
  orgId: string;
  taskId: string;
  as: string;
  to: string;
  now: Date;
  runName: string;
}

/** The owner hands the task to someone else, who is told (a digest of its own, sent by the next daily run). */
export async function delegateTask(rt: Ports, d: Delegation): Promise<Task> {
  const { task, org } = await context(rt, d.orgId, d.taskId, d.now);
  if (d.as !== task.owner) throw new ForbiddenError(`task ${task.id} is ${task.owner}'s: only they can hand it to someone else`);
  person(org, d.to, '--to');
  if (task.status !== 'open') throw new ConflictError(`task ${task.id} is answered already`);
  const at = d.now.toISOString();
  const changed: Task = { ...task, delegate: d.to };
  if (d.to === task.owner) delete changed.delegate;
  await rt.reviews.changeTask(d.orgId, {
    task: changed,
    readVersion: task.version,
    audit: { orgId: d.orgId, at: rt.clock().toISOString(), event: 'task.delegated', subject: `TASK#${task.id}`, actor: d.as, detail: { to: d.to } },
  });
  if (answererOf(changed) !== task.owner) await rt.notices.record(assignedDigest({ orgId: d.orgId, runName: d.runName, now: d.now.toISOString() }, org, d.to, [changed], at, task.id), at);
  return { ...changed, version: task.version + 1 };
}
