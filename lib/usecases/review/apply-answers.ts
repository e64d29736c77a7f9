// A file of answers applied to a quarter's tasks, one after another, each as its
// person would give it with `compliance task answer` (and `task review`). An answer
// already given the same way is left as it is, so applying a file twice changes nothing.
import { taskOfEntry, type AnswerEntry } from '../../domain/review/answers-file.ts';
import type { Task } from '../../domain/review/review.ts';
import { NotFoundError } from '../../errors.ts';
import type { Ports } from '../ports.ts';
import { answerTask, decideTask, type EvidenceFile } from './answer.ts';

export interface Applied {
  task: string;
  answered: 'answered' | 'unchanged';
  decision?: 'accepted' | 'returned' | 'unchanged';
}

export async function applyAnswers(
  rt: Ports,
  orgId: string,
  quarter: string,
  entries: readonly AnswerEntry[],
  readEvidence: (file: string) => Promise<EvidenceFile>,
  now: Date,
): Promise<Applied[]> {
  // Every task named must exist before anything is answered.
  const held = new Map<string, Task>();
  for (const entry of entries) {
    const id = taskOfEntry(entry, quarter);
    const task = held.get(id) ?? (await rt.reviews.task(orgId, id));
    if (!task) throw new NotFoundError(`answers: no task "${id}" in ${orgId}'s review`);
    held.set(id, task);
  }
  const evidence = await Promise.all(entries.map((e) => (e.evidence ? readEvidence(e.evidence) : undefined)));
  const applied: Applied[] = [];
  for (const [i, entry] of entries.entries()) {
    const taskId = taskOfEntry(entry, quarter);
    const task = held.get(taskId);
    const same = task?.status === 'answered' && task.answeredBy === entry.as && task.result === entry.result;
    const file = evidence[i];
    if (!same) {
      await answerTask(rt, {
        orgId,
        taskId,
        as: entry.as,
        result: entry.result,
        now,
        ...(entry.comment !== undefined ? { comment: entry.comment } : {}),
        ...(file ? { evidence: file } : {}),
        ...(entry.validFor ? { validFor: entry.validFor } : {}),
      });
    }
    const result: Applied = { task: taskId, answered: same ? 'unchanged' : 'answered' };
    if (entry.review) {
      const decided = same && task?.reviewDecision === (entry.review.decision === 'accept' ? 'accepted' : 'returned');
      if (!decided) await decideTask(rt, { orgId, taskId, as: entry.review.as, decision: entry.review.decision, now, ...(entry.review.comment ? { comment: entry.review.comment } : {}) });
      result.decision = decided ? 'unchanged' : entry.review.decision === 'accept' ? 'accepted' : 'returned';
    }
    applied.push(result);
  }
  return applied;
}
