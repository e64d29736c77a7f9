// Each gap as it stood on one day, the report's as-of day: open, accepted, or neither
// (not yet found, or closed by then). Pure: the gaps as held now, the analyses'
// outlines, the gap entries of the audit trail up to the end of that day and the
// organisation file's acceptances come in.
//
// A gap record holds only its latest status: an acceptance that ran out after the day, a
// closing or a reopening after it, would otherwise show in a past quarter's report. So:
// - a gap whose status was last changed by an analysis made by the day (its `changedBy`)
//   stood that day as it stands now;
// - any other gap stood as the last `gap.*` entry of the trail by the end of the day
//   says (opened, reopened, expired: open; accepted: accepted; closed: closed); with no
//   such entry (an analysis lists at most 1,000 ids of each change) it is read as
//   before: opened by then, and open now or closed after it, or accepted now;
// - an accepted gap counts as accepted only while its acceptance is in force: one that
//   ended (`until`, inclusive) before the day had run out, and the gap was open, though
//   no analysis had yet said so. The `until` is the gap's own while it is still accepted
//   under the same analysis, else the organisation file's acceptance of it (none known:
//   accepted, as the trail says).
import type { AuditEvent } from '../audit/audit.ts';
import type { Acceptance } from '../gaps/acceptance.ts';
import { gapSubject, type AnalysisRecord, type Gap } from '../gaps/gap.ts';
import { dateIn } from '../../workflows/declarations.ts';

export type GapStanding = 'open' | 'accepted';
export type GapTrailEntry = Pick<AuditEvent, 'at' | 'event' | 'subject'>;

const STATUS_AFTER: Readonly<Record<string, Gap['status']>> = {
  'gap.opened': 'open',
  'gap.reopened': 'open',
  'gap.expired': 'open',
  'gap.accepted': 'accepted',
  'gap.closed': 'closed',
};

/** The gaps found by `asOf` whose status an analysis made after it (or one not on record) last changed: those the trail must tell. */
export function gapsChangedSince(gaps: readonly Gap[], analyses: readonly Pick<AnalysisRecord, 'id' | 'asOf'>[], asOf: string, timeZone: string): Gap[] {
  const made = new Map(analyses.map((a) => [a.id, dateIn(new Date(a.asOf), timeZone)]));
  return gaps.filter((g) => dateIn(new Date(g.openedAt), timeZone) <= asOf && !((made.get(g.changedBy) ?? '9999-12-31') <= asOf));
}

/** Each gap found by `asOf` and open or accepted that day (local), with how it stood. `trail`: the `gap.*` entries up to the end of that day at least (later ones are ignored). */
export function gapsAsOf(
  gaps: readonly Gap[],
  analyses: readonly Pick<AnalysisRecord, 'id' | 'asOf'>[],
  trail: readonly GapTrailEntry[],
  acceptances: readonly Pick<Acceptance, 'gap' | 'until'>[],
  asOf: string,
  timeZone: string,
): { gap: Gap; status: GapStanding }[] {
  const told = new Set(gapsChangedSince(gaps, analyses, asOf, timeZone).map((g) => g.id));
  const last = new Map<string, GapTrailEntry>();
  for (const e of trail) {
    if (STATUS_AFTER[e.event] === undefined || dateIn(new Date(e.at), timeZone) > asOf) continue;
    const held = last.get(e.subject);
    if (!held || Date.parse(e.at) >= Date.parse(held.at)) last.set(e.subject, e);
  }
  const fileUntil = new Map(acceptances.map((a) => [a.gap, a.until]));
  const out: { gap: Gap; status: GapStanding }[] = [];
  for (const g of gaps) {
    if (dateIn(new Date(g.openedAt), timeZone) > asOf) continue;
    let status: Gap['status'];
    let until: string | undefined;
    const entry = told.has(g.id) ? last.get(gapSubject(g.id)) : undefined;
    if (!told.has(g.id)) {
      status = g.status;
      until = g.acceptance?.until;
    } else if (entry) {
      status = STATUS_AFTER[entry.event]!;
      until = fileUntil.get(g.id) ?? (g.status === 'accepted' ? g.acceptance?.until : undefined);
    } else {
      // Not in the trail: the gap's own dates.
      status = g.status === 'closed' ? (g.closedAt !== undefined && dateIn(new Date(g.closedAt), timeZone) > asOf ? 'open' : 'closed') : g.status;
      until = g.acceptance?.until;
    }
    if (status === 'closed') continue;
    if (status === 'accepted' && until !== undefined && until < asOf) status = 'open';
    out.push({ gap: g, status });
  }
  return out;
}
