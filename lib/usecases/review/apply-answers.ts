// A file of answers applied to a quarter's tasks, each as its person would give it
// with `compliance task answer` (and `task review`). The file is checked whole first,
// against the review as it stands (each task there and open, each answer by its owner
// or delegate, each decision by the reviewer, each evidence file read, each answer one
// the task takes), every problem named with its line and field; only a file with none
// is applied. An answer already given the same way is left as it is, so applying a file
// twice changes nothing.
import { taskOfEntry, type AnswerEntry, type Locate } from '../../domain/review/answers-file.ts';
import { fieldName, OrgFileError } from '../../domain/org/org-file.ts';
import type { Task } from '../../domain/review/review.ts';
import { ConflictError, ForbiddenError, InputError, NotFoundError } from '../../errors.ts';
import type { Ports } from '../ports.ts';
import { answerTask, checkAnswer, decideTask, readOnce, type EvidenceFile } from './answer.ts';

export interface Applied {
  task: string;
  answered: 'answered' | 'unchanged';
  decision?: 'accepted' | 'returned' | 'unchanged';
}

/** A file of answers refused, each problem with its line and field; `given`: how many of its entries were given before (0 unless the review changed under it). */
export class AnswersRefused extends OrgFileError {
  readonly given: number;
  constructor(problems: string[], given = 0) {
    super(problems);
    this.given = given;
  }
}

/** Reads an evidence file; `name` is what its errors call it. */
export type ReadEvidence = (file: string, name?: string) => Promise<EvidenceFile>;

/**
 * The evidence files the entries name, each read (hashed) once; every one that cannot
 * be read is named with its entry's line and field, and none is given then.
 */
export async function readAnswerEvidence(entries: readonly AnswerEntry[], readEvidence: ReadEvidence, locate: Locate = fieldName): Promise<Map<string, EvidenceFile>> {
  const files = new Map<string, EvidenceFile>();
  const problems: string[] = [];
  for (const [i, entry] of entries.entries()) {
    if (!entry.evidence || files.has(entry.evidence)) continue;
    try {
      files.set(entry.evidence, await readEvidence(entry.evidence, `${locate(['answers', i, 'evidence'])}: ${entry.evidence}`));
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      problems.push(error.message);
    }
  }
  if (problems.length > 0) throw new AnswersRefused(problems);
  return files;
}

/** The answer an entry gives to task `taskId`, as answerTask takes it. */
function answerOf(orgId: string, taskId: string, entry: AnswerEntry, file: EvidenceFile | undefined, now: Date) {
  return {
    orgId,
    taskId,
    as: entry.as,
    result: entry.result,
    now,
    ...(entry.comment !== undefined ? { comment: entry.comment } : {}),
    ...(file ? { evidence: file } : {}),
    ...(entry.validFor ? { validFor: entry.validFor } : {}),
  };
}

// What an answer's refusal says of the evidence file starts with the field the command
// line or the API gives it; in a file, the entry's own line and field say that instead.
const EVIDENCE_LABEL = /^(?:--evidence [^\n]*?|evidence\.(?:location|sha256|name)): /;
const VALID_FOR_LABEL = /^validFor: /;

/** A refusal of entry `i`'s answer (or, `review`, its decision), at the field it concerns; undefined for a failure of ours. */
function located(error: unknown, i: number, locate: Locate, review = false): string | undefined {
  const at = (...field: string[]) => locate(['answers', i, ...field]);
  if (review && (error instanceof ForbiddenError || error instanceof ConflictError || error instanceof InputError)) return `${at('review', 'as')}: ${error.message}`;
  if (error instanceof ForbiddenError) return `${at('as')}: ${error.message}`;
  if (error instanceof NotFoundError || error instanceof ConflictError) return `${at('task')}: ${error.message}`;
  if (error instanceof InputError && VALID_FOR_LABEL.test(error.message)) return `${at('validFor')}: ${error.message.replace(VALID_FOR_LABEL, '')}`;
  if (error instanceof InputError) return EVIDENCE_LABEL.test(error.message) ? `${at('evidence')}: ${error.message.replace(EVIDENCE_LABEL, '')}` : `${at('result')}: ${error.message}`;
  return undefined;
}

/** The task holds this entry's answer already (the same person, the same result): it is not given again. */
const givenAlready = (task: Task | undefined, entry: AnswerEntry) => task?.status === 'answered' && task.answeredBy === entry.as && task.result === entry.result;
/** ... and the entry's decision on it too. */
const decidedAlready = (task: Task | undefined, entry: AnswerEntry) =>
  givenAlready(task, entry) && entry.review !== undefined && task?.reviewDecision === (entry.review.decision === 'accept' ? 'accepted' : 'returned');

export async function applyAnswers(
  rt: Ports,
  orgId: string,
  quarter: string,
  entries: readonly AnswerEntry[],
  readEvidence: ReadEvidence,
  now: Date,
  locate: Locate = fieldName, // a field's name alone, for entries that come from no file
): Promise<Applied[]> {
  const files = await readAnswerEvidence(entries, readEvidence, locate);
  const fileOf = (entry: AnswerEntry) => (entry.evidence ? files.get(entry.evidence) : undefined);
  // The organisation is read once for the whole file, when an entry first needs it (and an
  // organisation not imported is refused for each entry as before), not once per answer and decision.
  const org = readOnce(() => rt.organisations.load(orgId));

  // Every entry is checked before any is given.
  const held = new Map<string, Task>();
  const first = new Map<string, number>();
  const problems: string[] = [];
  for (const [i, entry] of entries.entries()) {
    const id = taskOfEntry(entry, quarter);
    const earlier = first.get(id);
    if (earlier !== undefined) {
      problems.push(`${locate(['answers', i, 'task'])}: answers[${earlier}] answers task ${id} already (one entry a task)`);
      continue;
    }
    first.set(id, i);
    const task = await rt.reviews.task(orgId, id);
    if (!task) {
      problems.push(`${locate(['answers', i, 'task'])}: no task "${id}" in ${orgId}'s review`);
      continue;
    }
    held.set(id, task);
    if (task.closedAt && !(givenAlready(task, entry) && (!entry.review || decidedAlready(task, entry)))) {
      problems.push(`${locate(['answers', i, 'task'])}: the ${task.quarter} review is closed: task ${task.id} takes no more answers or decisions`);
      continue;
    }
    if (!givenAlready(task, entry)) {
      try {
        // Against the task just read: nothing is written while the file is checked.
        await checkAnswer(rt, answerOf(orgId, id, entry, fileOf(entry), now), { org, task });
      } catch (error) {
        const problem = located(error, i, locate);
        if (problem === undefined) throw error;
        problems.push(problem);
        if (error instanceof NotFoundError || error instanceof ConflictError) continue; // a task that takes no answer takes no decision: one problem says it
      }
    }
    if (entry.review && entry.review.as !== task.reviewer) {
      problems.push(`${locate(['answers', i, 'review', 'as'])}: task ${task.id} is reviewed by ${task.reviewer}: ${entry.review.as} cannot accept or return its answer`);
    }
  }
  if (problems.length > 0) throw new AnswersRefused(problems);

  // Then given, in the file's order. A task changed by someone else since the check
  // (answered, handed on) may still refuse its entry: those before it stay given.
  const applied: Applied[] = [];
  for (const [i, entry] of entries.entries()) {
    const taskId = taskOfEntry(entry, quarter);
    const task = held.get(taskId);
    const same = givenAlready(task, entry);
    const refused = (error: unknown, review = false) => {
      const problem = located(error, i, locate, review);
      const given = review ? i + 1 : i; // a refused decision comes after its own answer
      return problem === undefined ? error : new AnswersRefused([`${problem} (the task changed after the file was checked; ${given} of the file's ${entries.length} answers given before this)`], given);
    };
    if (!same) await answerTask(rt, answerOf(orgId, taskId, entry, fileOf(entry), now), { org }).catch((error: unknown) => Promise.reject(refused(error)));
    const result: Applied = { task: taskId, answered: same ? 'unchanged' : 'answered' };
    if (entry.review) {
      const decided = decidedAlready(task, entry);
      if (!decided) {
        await decideTask(rt, { orgId, taskId, as: entry.review.as, decision: entry.review.decision, now, ...(entry.review.comment ? { comment: entry.review.comment } : {}) }, { org }).catch((error: unknown) =>
          Promise.reject(refused(error, true)),
        );
      }
      result.decision = decided ? 'unchanged' : entry.review.decision === 'accept' ? 'accepted' : 'returned';
    }
    applied.push(result);
  }
  return applied;
}
