// Evidence with its status on a given day, for `compliance evidence list`.
import { annexASortKey } from '../org/annex-a.ts';
import type { EvidenceRecord, SweepPolicy } from '../org/org.ts';

import { evidenceStatus, type EvidenceStatus } from './lapse-policy.ts';

export interface EvidenceRow {
  id: string;
  control: string;
  title: string;
  kind: string;
  owner: string;
  location: string;
  sha256?: string;
  collected: string;
  validUntil?: string;
  status: EvidenceStatus;
  /** Positive: days past the end; negative: days left. */
  daysOverdue?: number;
}

export function evidenceRows(items: EvidenceRecord[], today: string, policy: SweepPolicy, status?: EvidenceStatus): EvidenceRow[] {
  return items
    .filter((e) => !e.retired && !e.renewedBy)
    .map((e): EvidenceRow => {
      const s = evidenceStatus(e.validUntil, today, policy);
      return {
        id: e.id,
        control: e.control,
        title: e.title,
        kind: e.kind,
        owner: e.owner,
        location: e.location,
        ...(e.sha256 ? { sha256: e.sha256 } : {}),
        collected: e.collected,
        ...(e.validUntil ? { validUntil: e.validUntil } : {}),
        status: s.status,
        ...(s.daysOverdue === undefined ? {} : { daysOverdue: s.daysOverdue }),
      };
    })
    .filter((r) => !status || r.status === status)
    .sort((a, b) => annexASortKey(a.control).localeCompare(annexASortKey(b.control)) || a.id.localeCompare(b.id));
}
