// The Statement of Applicability: every one of the 93 Annex A controls, applicable or
// not with why (ISO/IEC 27001 6.1.3 asks both), or undecided when the organisation
// file does not mention it; with its owner, its last review result and the state of
// its evidence, as auditors ask for it. Pure.
import { requirements } from '../catalogues/catalogues.ts';
import { evidenceStatus, type EvidenceStatusName } from '../evidence/lapse-policy.ts';
import type { Control, EvidenceRecord, SweepPolicy } from '../org/org.ts';
import type { ControlEvidenceStatus, TaskResult } from './review.ts';

export interface SoaRow {
  id: string;
  title: string;
  theme: string;
  /** null: undecided (the file does not mention it). */
  applicable: boolean | null;
  justification?: string;
  owner?: string;
  lastResult?: TaskResult | 'unanswered';
  evidenceStatus: ControlEvidenceStatus;
}

export type DeclaredControl = Pick<Control, 'id' | 'title' | 'applicable' | 'justification' | 'owner'>;

const WORST: readonly EvidenceStatusName[] = ['escalated', 'lapsed', 'due-soon', 'current'];

/** The worst status among a control's live evidence; 'none' when it has none. */
export function controlEvidenceStatus(statuses: readonly EvidenceStatusName[]): ControlEvidenceStatus {
  return WORST.find((s) => statuses.includes(s)) ?? 'none';
}

export function statementOfApplicability(
  declared: readonly DeclaredControl[],
  lastResults: ReadonlyMap<string, TaskResult | 'unanswered'>,
  evidence: ReadonlyMap<string, ControlEvidenceStatus>,
): SoaRow[] {
  const byId = new Map(declared.map((c) => [c.id, c]));
  return requirements('iso27001').map((r) => {
    const c = byId.get(r.id);
    const last = lastResults.get(r.id);
    return {
      id: r.id,
      title: c?.title ?? r.title,
      theme: r.theme ?? '',
      applicable: c ? c.applicable : null,
      ...(c?.justification ? { justification: c.justification } : {}),
      ...(c?.owner ? { owner: c.owner } : {}),
      ...(last ? { lastResult: last } : {}),
      evidenceStatus: evidence.get(r.id) ?? 'none',
    };
  });
}

/** Each control's evidence status today, over its live evidence (not retired, not renewed by a later item). */
export function evidenceStatusByControl(evidence: readonly EvidenceRecord[], today: string, policy: SweepPolicy): Map<string, ControlEvidenceStatus> {
  const statuses = new Map<string, EvidenceStatusName[]>();
  for (const e of evidence) {
    if (e.retired || e.renewedBy) continue;
    statuses.set(e.control, [...(statuses.get(e.control) ?? []), evidenceStatus(e.validUntil, today, policy).status]);
  }
  return new Map([...statuses].map(([control, s]) => [control, controlEvidenceStatus(s)]));
}
