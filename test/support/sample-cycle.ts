// The sample organisation after the cycle `npm start` runs: imported, scanned, its gaps
// analysed, the quarter's review opened and partly answered from answers.yaml, the
// sweep done, all at 2026-11-30. For the export's tests and its conformance script
// (which runs outside vitest, so nothing here may need it).
import { readAnswersFile, readOrgFile } from '../../lib/adapters/files/org-file-reader.ts';
import { readEvidenceFile } from '../../lib/adapters/files/evidence-file.ts';
import { startLocalRun } from '../../lib/adapters/local/workflow-runner.ts';
import type { Runtime } from '../../lib/runtime.ts';
import { importOrganisationFile } from '../../lib/usecases/org/import.ts';
import { applyAnswers } from '../../lib/usecases/review/apply-answers.ts';
import { quarterOfRun } from '../../lib/usecases/review/open.ts';
import { cycle, workflow, type WorkflowName } from '../../lib/workflows/declarations.ts';

export const SAMPLE_FILE = 'examples/acme-hk/org.yaml';
export const SAMPLE_ANSWERS = 'examples/acme-hk/answers.yaml';
export const SAMPLE_ORG = 'harbour-ledger';
export const SAMPLE_NOW = new Date('2026-11-30T09:00:00Z');

/** Runs the whole cycle once for the sample, as `compliance run FILE --answers ANSWERS` does; returns the review's quarter. */
export async function runSampleCycle(rt: Runtime, now: Date = SAMPLE_NOW): Promise<string> {
  await importOrganisationFile(rt, readOrgFile(SAMPLE_FILE), `import:${SAMPLE_FILE}`, now.toISOString());
  const answers = readAnswersFile(SAMPLE_ANSWERS);
  const timeZone = (await rt.organisations.settings(SAMPLE_ORG))?.timeZone;
  let quarter = '';
  for (const w of cycle()) {
    const name = w.name as WorkflowName;
    const ran = await startLocalRun(rt, name, SAMPLE_ORG, now, workflow(name).localPeriod && timeZone ? { timeZone } : {});
    if (name === 'quarterly-review') {
      quarter = quarterOfRun({ orgId: SAMPLE_ORG, runName: ran.name, now: now.toISOString() });
      await applyAnswers(rt, SAMPLE_ORG, quarter, answers.answers, readEvidenceFile, now);
    }
  }
  return quarter;
}
