// What owners and auditors read of controls and evidence beside the Statement of
// Applicability (soaOf): one control with its evidence, and the evidence register filtered by status and control. An owner sees
// only what is theirs: the controls they own and the evidence they or their controls hold.
import { evidenceRows, type EvidenceRow } from '../../domain/evidence/evidence-rows.ts';
import type { EvidenceStatusName } from '../../domain/evidence/lapse-policy.ts';
import { localDate } from '../../domain/review/quarter.ts';
import { evidenceStatusByControl, reviewResults, statementOfApplicability, type SoaRow } from '../../domain/review/soa.ts';
import { taskView, type TaskView } from '../review/show.ts';
import { ForbiddenError, NotFoundError } from '../../errors.ts';
import type { Ports } from '../ports.ts';

export interface ControlDetail {
  control: SoaRow;
  evidence: EvidenceRow[];
  /** Its review tasks, newest quarter first. */
  tasks: TaskView[];
}

/** One control, its live evidence with each item's status, and its review tasks; `owner` must own it when given. */
export async function showControl(rt: Ports, orgId: string, controlId: string, now: Date, owner?: string): Promise<ControlDetail> {
  const org = await rt.organisations.load(orgId);
  if (!org) throw new NotFoundError(`organisation "${orgId}" has not been imported`);
  const declared = org.controls.get(controlId);
  if (owner && declared?.owner !== owner) throw new ForbiddenError(`control ${controlId} is not one of yours`);
  const [evidence, reviews] = await Promise.all([rt.organisations.evidence(orgId, controlId), rt.reviews.list(orgId)]);
  const today = localDate(now, org.organisation.timeZone);
  const quarters = reviews.map((r) => r.id).sort().reverse();
  const held = (await Promise.all(quarters.slice(0, 4).map((q) => rt.reviews.task(orgId, `${q}/${controlId}`)))).flatMap((t) => (t ? [t] : []));
  // As the Statement of Applicability has it: only an accepted answer is the control's result.
  const [row] = statementOfApplicability(declared ? [declared] : [], reviewResults(held), evidenceStatusByControl(evidence, today, org.organisation.sweep)).filter((r) => r.id === controlId);
  if (!row) throw new NotFoundError(`control ${controlId} is not in ISO/IEC 27001:2022 Annex A`);
  return { control: row, evidence: evidenceRows(evidence, today, org.organisation.sweep), tasks: held.map(taskView) };
}

export interface EvidenceFilter {
  status?: EvidenceStatusName;
  control?: string;
  /** Only what this person holds: evidence they own, or that belongs to a control they own. */
  owner?: string;
}

export async function listEvidenceRows(rt: Ports, orgId: string, now: Date, filter: EvidenceFilter): Promise<EvidenceRow[]> {
  const [org, evidence] = await Promise.all([rt.organisations.load(orgId), rt.organisations.evidence(orgId, filter.control)]);
  if (!org) throw new NotFoundError(`organisation "${orgId}" has not been imported`);
  const rows = evidenceRows(evidence, localDate(now, org.organisation.timeZone), org.organisation.sweep, filter.status);
  const { owner } = filter;
  return owner ? rows.filter((r) => r.owner === owner || org.controls.get(r.control)?.owner === owner) : rows;
}
