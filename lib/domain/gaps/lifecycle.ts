// What an analysis does to the gaps held from before. Pure.
// - found, not held: opened (accepted at once when an acceptance covers it);
// - found again while open: stays open, with today's facts;
// - held open or accepted, not found: closed as remediated, by this analysis;
// - found again after closing: reopened;
// - accepted, and its acceptance has run out (`until` before today): reopened, and
//   listed as expired; an acceptance written later counts again.
// Each analysis also scores every framework: the share of the requirements the rules
// check (and, for ISO/IEC 27001, the controls in scope) that no open gap leaves unmet.
import { canonicalJson } from '../canonical-json.ts';
import type { Acceptance } from './acceptance.ts';
import { Gap, type Finding, type Framework, type RequirementRef } from './gap.ts';
import { RULES } from './rules.ts';

export interface Changes {
  opened: string[];
  closed: string[];
  reopened: string[];
  expired: string[];
  accepted: string[];
}

export interface Reconciled {
  /** Every gap this analysis changes (its status, or what it says: facts, severity, owner, remedy); the rest stay as held. */
  gaps: Gap[];
  changes: Changes;
}

/**
 * `at`: the analysis's moment (ISO-8601); `today`: its date; `by`: its run name. A
 * gap this very run changed already (an attempt that failed after writing it) is
 * taken as it is, with the change it records: a retried analysis reports the same.
 */
export function reconcile(held: readonly Gap[], findings: readonly Finding[], acceptances: readonly Acceptance[], at: string, today: string, by: string): Reconciled {
  const previous = new Map(held.map((g) => [g.id, g]));
  const accepting = new Map(acceptances.filter((a) => a.until >= today).map((a) => [a.gap, a]));
  const changes: Changes = { opened: [], closed: [], reopened: [], expired: [], accepted: [] };
  const gaps: Gap[] = [];
  const keep = (gap: Gap, old: Gap | undefined) => {
    if (!old || canonicalJson(old) !== canonicalJson(gap)) gaps.push(gap);
  };
  const change = (gap: Gap, kind: keyof Changes) => {
    changes[kind].push(gap.id);
    gaps.push(Gap.parse({ ...gap, changedBy: by, lastChange: kind }));
  };

  for (const f of findings) {
    const old = previous.get(f.id);
    previous.delete(f.id);
    if (old?.changedBy === by) {
      changes[old.lastChange].push(old.id);
      continue;
    }
    const acceptance = accepting.get(f.id);
    const base = { ...f, reopened: old?.reopened ?? 0, openedAt: old?.openedAt ?? at, changedBy: old?.changedBy ?? by, lastChange: old?.lastChange ?? 'opened' };
    if (acceptance) {
      const { reason, approvedBy, until } = acceptance;
      const gap = Gap.parse({ ...base, status: 'accepted', acceptance: { reason, approvedBy, until } });
      if (old?.status === 'accepted' && old.acceptance?.until === until) keep(gap, old);
      else change(gap, 'accepted');
    } else if (!old) {
      change(Gap.parse({ ...base, status: 'open', openedAt: at }), 'opened');
    } else if (old.status === 'open') {
      keep(Gap.parse({ ...base, status: 'open' }), old);
    } else if (old.status === 'accepted') {
      // Its acceptance has run out, or left the file.
      change(Gap.parse({ ...base, status: 'open' }), 'expired');
    } else {
      change(Gap.parse({ ...base, status: 'open', reopened: old.reopened + 1 }), 'reopened');
    }
  }
  for (const old of previous.values()) {
    if (old.changedBy === by && old.lastChange === 'closed') changes.closed.push(old.id);
    if (old.status === 'closed') continue;
    const { acceptance: _a, ...rest } = old;
    change(Gap.parse({ ...rest, status: 'closed', closedAt: at, closedBy: 'remediated: no longer found' }), 'closed');
  }
  for (const list of Object.values(changes)) list.sort();
  return { gaps: gaps.sort((a, b) => a.id.localeCompare(b.id)), changes };
}

export type Scores = Record<Framework, { applicable: number; met: number; score: number; notApplicable?: string }>;

/** Per framework: the requirements checked, those with no open gap, and their share. A
 * framework in `notApplicable` (with why) checks nothing: 0 of 0, its score 1 (nothing
 * unmet), and `notApplicable` says so, so it is shown as not applicable, not as a score. */
export function frameworkScores(openGaps: readonly Pick<Gap, 'requirements'>[], controlsInScope: readonly string[], notApplicable: Partial<Record<Framework, string>> = {}): Scores {
  const key = (r: RequirementRef) => `${r.framework}|${r.id}`;
  const applicable = new Set<string>([...Object.values(RULES).flatMap((r) => r.requirements.map(key)), ...controlsInScope.map((id) => key({ framework: 'iso27001', id }))]);
  const unmet = new Set(openGaps.flatMap((g) => g.requirements.map(key)).filter((k) => applicable.has(k)));
  const scores = {} as Scores;
  for (const framework of ['pdpo', 'gdpr', 'iso27001'] as const) {
    const why = notApplicable[framework];
    if (why !== undefined) {
      scores[framework] = { applicable: 0, met: 0, score: 1, notApplicable: why };
      continue;
    }
    const all = [...applicable].filter((k) => k.startsWith(`${framework}|`));
    const met = all.filter((k) => !unmet.has(k)).length;
    scores[framework] = { applicable: all.length, met, score: all.length ? Math.round((met / all.length) * 1000) / 1000 : 1 };
  }
  return scores;
}
