// A file of answers applied to the sample organisation's open review, against DynamoDB
// Local: the organisation is read once for the whole file (not once per answer and
// decision), while each entry is still checked on its own, its problems named with its
// field, all-or-nothing at the check and partly given when a task changes after it.
import { beforeEach, describe, expect, it } from 'vitest';
import { readOrgFile } from '../lib/adapters/files/org-file-reader.ts';
import { executeWorkflow } from '../lib/adapters/local/workflow-runner.ts';
import type { AnswerEntry } from '../lib/domain/review/answers-file.ts';
import type { Task } from '../lib/domain/review/review.ts';
import type { Runtime } from '../lib/runtime.ts';
import { importOrganisationFile } from '../lib/usecases/org/import.ts';
import { answerTask, decideTask } from '../lib/usecases/review/answer.ts';
import { AnswersRefused, applyAnswers } from '../lib/usecases/review/apply-answers.ts';
import { runRequest } from '../lib/workflows/declarations.ts';
import { tableItems } from './support/api.ts';
import { testRuntime } from './support/local-store.ts';

const SAMPLE = 'examples/acme-hk/org.yaml';
const ORG = 'harbour-ledger';
const AT = new Date('2026-12-01T02:00:00Z');
const noEvidence = async (file: string) => {
  throw new Error(`no evidence file is read here: ${file}`);
};

/** Counts the store's reads of the organisation: its settings item and its people. */
function countReads(rt: Runtime) {
  const counts = { orgSettings: 0, people: 0 };
  rt.store.doc.middlewareStack.add(
    (next) => async (args) => {
      const input = args.input as { Key?: { SK?: string }; ExpressionAttributeValues?: Record<string, unknown> };
      if (input.Key?.SK === '#META') counts.orgSettings++;
      if (input.ExpressionAttributeValues?.[':prefix'] === 'PERSON#') counts.people++;
      return next(args);
    },
    { step: 'initialize', name: 'countReads' },
  );
  return counts;
}

/** Every open task of 2026-Q4 answered not effective by who answers it, and every other one accepted by its reviewer. */
const everyTask = (tasks: Task[]): AnswerEntry[] =>
  tasks.map((t, i) => ({
    task: t.control,
    as: t.delegate ?? t.owner,
    result: 'not-effective',
    comment: `checked ${i}`,
    ...(i % 2 === 0 ? { review: { as: t.reviewer, decision: 'accept' as const } } : {}),
  }));

describe('a file of answers applied to the open review', () => {
  let rt: Runtime;
  let tasks: Task[];

  beforeEach(async () => {
    rt = await testRuntime();
    await importOrganisationFile(rt, readOrgFile(SAMPLE), `import:${SAMPLE}`, '2026-11-29T00:00:00.000Z');
    await executeWorkflow(rt, 'quarterly-review', runRequest('quarterly-review', ORG, new Date('2026-11-30T01:00:00Z'), { timeZone: 'Asia/Hong_Kong' }).input);
    tasks = (await rt.reviews.tasks(ORG, '2026-Q4')).filter((t) => t.status === 'open');
  });

  it('reads the organisation once for the whole file, not once per answer and decision', async () => {
    const entries = everyTask(tasks);
    expect(entries.length).toBeGreaterThanOrEqual(20);
    const counts = countReads(rt);
    const applied = await applyAnswers(rt, ORG, '2026-Q4', entries, noEvidence, AT);

    expect(applied.filter((a) => a.answered === 'answered')).toHaveLength(entries.length);
    expect(applied.filter((a) => a.decision === 'accepted')).toHaveLength(Math.ceil(entries.length / 2));
    expect(counts.orgSettings).toBe(1);
    expect(counts.people).toBe(1);
    const held = await rt.reviews.tasks(ORG, '2026-Q4');
    expect(held.filter((t) => t.status === 'answered' && t.result === 'not-effective')).toHaveLength(entries.length);
  });

  it('refuses a file with any problem whole, naming each entry\'s field as before, writing nothing', async () => {
    const lapsed = tasks.find((t) => t.control === 'A.5.12')!;
    const [a, b, c] = tasks.filter((t) => t !== lapsed) as [Task, Task, Task];
    const someoneElse = [...new Set(tasks.map((t) => t.owner))].find((p) => p !== b.owner && p !== b.delegate)!;
    const entries: AnswerEntry[] = [
      { task: a.control, as: a.owner, result: 'not-effective' },
      { task: b.control, as: someoneElse, result: 'not-effective' },
      { task: '2026-Q3/A.5.19', as: a.owner, result: 'not-effective' },
      { task: c.control, as: c.owner, result: 'not-effective', review: { as: someoneElse === c.reviewer ? c.owner : someoneElse, decision: 'accept' } },
      { task: `2026-Q4/${a.control}`, as: a.owner, result: 'effective' },
      // A.5.12's evidence includes an item that lapsed on 2026-11-27.
      { task: 'A.5.12', as: lapsed.owner, result: 'effective' },
    ];
    const before = await tableItems(rt);
    const refused = (await applyAnswers(rt, ORG, '2026-Q4', entries, noEvidence, AT).then(() => undefined, (e: unknown) => e)) as AnswersRefused;

    expect(refused).toBeInstanceOf(AnswersRefused);
    expect(refused.given).toBe(0);
    const reviewer = someoneElse === c.reviewer ? c.owner : someoneElse;
    expect(refused.problems).toEqual([
      `answers[1].as: task ${b.id} is ${b.delegate ? `${b.owner}'s, handed to ${b.delegate}` : `${b.owner}'s`}: ${someoneElse} cannot answer it`,
      `answers[2].task: no task "2026-Q3/A.5.19" in ${ORG}'s review`,
      `answers[3].review.as: task ${c.id} is reviewed by ${c.reviewer}: ${reviewer} cannot accept or return its answer`,
      `answers[4].task: answers[0] answers task ${a.id} already (one entry a task)`,
      expect.stringMatching(/^answers\[5\]\.result: task 2026-Q4\/A\.5\.12: control A\.5\.12 cannot be answered effective: its evidence has lapsed \(.*ended 2026-11-27/),
    ]);
    expect(await tableItems(rt)).toEqual(before);
  });

  it('refuses every entry of an organisation not imported as before: each names its task', async () => {
    const refused = (await applyAnswers(rt, 'no-such-org', '2026-Q4', [{ task: 'A.5.1', as: 'x', result: 'not-effective' }, { task: 'A.5.2', as: 'x', result: 'not-effective' }], noEvidence, AT).then(
      () => undefined,
      (e: unknown) => e,
    )) as AnswersRefused;
    expect(refused.problems).toEqual(['answers[0].task: no task "2026-Q4/A.5.1" in no-such-org\'s review', 'answers[1].task: no task "2026-Q4/A.5.2" in no-such-org\'s review']);
  });

  it('gives the entries before a task that changed after the check, and refuses that one at its field, saying how many were given', async () => {
    const entries = everyTask(tasks).slice(0, 4).map(({ review: _, ...e }) => e);
    const [first, second] = tasks as [Task, Task];
    // The moment the first answer is written, someone answers the second task and its reviewer accepts that answer.
    let interfered = false;
    const ports: Runtime = {
      ...rt,
      reviews: {
        ...rt.reviews,
        changeTask: async (orgId, change) => {
          if (!interfered) {
            interfered = true;
            await answerTask(rt, { orgId: ORG, taskId: second.id, as: second.delegate ?? second.owner, result: 'partially-effective', now: AT });
            await decideTask(rt, { orgId: ORG, taskId: second.id, as: second.reviewer, decision: 'accept', now: AT });
          }
          return rt.reviews.changeTask(orgId, change);
        },
      },
    };
    const refused = (await applyAnswers(ports, ORG, '2026-Q4', entries, noEvidence, AT).then(() => undefined, (e: unknown) => e)) as AnswersRefused;

    expect(refused).toBeInstanceOf(AnswersRefused);
    expect(refused.given).toBe(1);
    expect(refused.problems).toEqual([
      `answers[1].task: task ${second.id}'s answer was accepted by ${second.reviewer}: it takes no new answer this quarter (the task changed after the file was checked; 1 of the file's 4 answers given before this)`,
    ]);
    expect(await rt.reviews.task(ORG, first.id)).toMatchObject({ status: 'answered', result: 'not-effective' });
    expect(await rt.reviews.task(ORG, second.id)).toMatchObject({ result: 'partially-effective', reviewDecision: 'accepted' });
    expect((await rt.reviews.task(ORG, tasks[2]!.id))?.status).toBe('open');
  });
});
