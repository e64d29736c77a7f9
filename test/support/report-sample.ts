// The sample organisation after the cycle `npm start` runs, for the report's tests:
// imported, scanned (the scan starts its gap analysis), the 2026-Q4 review opened and
// partly answered from answers.yaml, all at NOW, through the real ASL files; and the
// same organisation under another id with a script in its names and a title.
import { readEvidenceFile } from '../../lib/adapters/files/evidence-file.ts';
import { readAnswersFile, readOrgFile } from '../../lib/adapters/files/org-file-reader.ts';
import { executeWorkflow } from '../../lib/adapters/local/workflow-runner.ts';
import type { OrgFile } from '../../lib/domain/org/org.ts';
import type { Runtime } from '../../lib/runtime.ts';
import { importOrganisationFile } from '../../lib/usecases/org/import.ts';
import { applyAnswers } from '../../lib/usecases/review/apply-answers.ts';
import { runRequest } from '../../lib/workflows/declarations.ts';

export const SAMPLE = 'examples/acme-hk/org.yaml';
export const ANSWERS = 'examples/acme-hk/answers.yaml';
export const ORG = 'harbour-ledger';
export const HOSTILE_ORG = 'hostile-ledger';
/** What `--now 2026-11-30` means to the command line: 09:00 UTC. */
export const NOW = new Date('2026-11-30T09:00:00Z');

export const SCRIPT = (what: string) => `<script>alert("${what}")</script>`;

export const sampleFile = (): OrgFile => readOrgFile(SAMPLE);

/** The sample with a script in its name, a person's name, a control's title, a source's name and a declared group's name. */
export function hostileFile(): OrgFile {
  const file = sampleFile();
  return {
    ...file,
    organisation: { ...file.organisation, id: HOSTILE_ORG, name: `Harbour ${SCRIPT('org')}` },
    people: file.people.map((p) => (p.id === 'cheung-chi-keung' ? { ...p, name: `張志強 <img src=x onerror=alert("person")>` } : p)),
    controls: file.controls.map((c) => (c.id === 'A.8.8' ? { ...c, title: `Vulnerabilities ${SCRIPT('control')}` } : c)),
    sources: file.sources.map((s) => (s.id === 'dingtalk-hr' ? { ...s, name: `HR chats ${SCRIPT('source')}` } : s)),
    groups: [...file.groups, { source: 'dingtalk-hr', name: `Payroll ${SCRIPT('group')}`, owner: 'karen-chan', members: ['karen-chan'], externalMembers: 0 }],
  };
}

/** The cycle at NOW: import, scan (which starts its gap analysis), the quarter's review, the sample's answers. */
export async function runCycle(rt: Runtime, file: OrgFile): Promise<void> {
  const orgId = file.organisation.id;
  await importOrganisationFile(rt, file, `import:${SAMPLE}`, NOW.toISOString());
  await executeWorkflow(rt, 'data-mapping-scan', runRequest('data-mapping-scan', orgId, NOW).input);
  if (!(await rt.gaps.latestAnalysis(orgId))) throw new Error(`the scan of ${orgId} started no gap analysis`);
  await executeWorkflow(rt, 'quarterly-review', runRequest('quarterly-review', orgId, NOW, { timeZone: file.organisation.timeZone }).input);
  await applyAnswers(rt, orgId, '2026-Q4', readAnswersFile(ANSWERS).answers, readEvidenceFile, NOW);
}
