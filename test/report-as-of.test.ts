// The report's gaps as they stood on its as-of day (gapsAsOf): a later analysis's
// change (an acceptance running out, a closing, a reopening) leaves a past day's counts
// as they were; an acceptance counts only while in force. And a framework with nothing
// applicable is said to be not applicable in the analyses' table, in both languages.
import { describe, expect, it } from 'vitest';
import type { Gap } from '../lib/domain/gaps/gap.ts';
import { gapsAsOf, type GapTrailEntry } from '../lib/domain/report/gaps-as-of.ts';
import { LABELS } from '../lib/domain/report/labels.ts';
import { renderReport } from '../lib/domain/report/render.ts';
import { gapsSection } from '../lib/domain/report/summarise.ts';
import { tableRows } from './support/report-html.ts';
import { syntheticView } from './support/report-view.ts';

const TZ = 'Asia/Hong_Kong';
// Analyses at 17:00 Hong Kong time on their days.
const A1 = { id: 'a1', asOf: '2026-11-30T09:00:00.000Z' };
const A2 = { id: 'a2', asOf: '2027-01-15T09:00:00.000Z' };
const A3 = { id: 'a3', asOf: '2027-04-01T09:00:00.000Z' };
const ANALYSES = [A1, A2, A3];

function gap(id: string, extra: Partial<Gap>): Gap {
  return {
    id, rule: 'no-audit-log', subject: { kind: 'platform', id }, severity: 'high', requirements: [{ framework: 'pdpo', id: 'DPP4' }],
    facts: {}, owner: 'p', remedy: 'r', status: 'open', openedAt: A1.asOf, changedBy: 'a1', lastChange: 'opened', reopened: 0, ...extra,
  };
}
const entry = (gapId: string, kind: string, at: { asOf: string }): GapTrailEntry => ({ at: at.asOf, event: `gap.${kind}`, subject: `GAP#${gapId}` });
const statuses = (r: ReturnType<typeof gapsAsOf>) => Object.fromEntries(r.map((s) => [s.gap.id, s.status]));

describe("a past day's gaps as they stood that day", () => {
  // whatsapp: accepted until 2027-03-31 by a1, the acceptance run out at a3 (the record now: open, no acceptance).
  const expired = gap('whatsapp', { status: 'open', changedBy: 'a3', lastChange: 'expired' });
  // fixed: open from a1, closed at a2.
  const fixed = gap('fixed', { status: 'closed', closedAt: A2.asOf, closedBy: 'remediated: no longer found', changedBy: 'a2', lastChange: 'closed' });
  // back: opened a1, closed a2, reopened a3.
  const back = gap('back', { status: 'open', changedBy: 'a3', lastChange: 'reopened', reopened: 1 });
  // steady: opened a1, open since.
  const steady = gap('steady', { status: 'open', severity: 'medium' });
  // later: first found by a2.
  const later = gap('later', { openedAt: A2.asOf, changedBy: 'a2' });
  const gaps = [expired, fixed, back, steady, later];
  const trail = [
    entry('whatsapp', 'accepted', A1), entry('fixed', 'opened', A1), entry('back', 'opened', A1), entry('steady', 'opened', A1),
    entry('fixed', 'closed', A2), entry('back', 'closed', A2), entry('later', 'opened', A2),
    entry('whatsapp', 'expired', A3), entry('back', 'reopened', A3),
  ];
  const acceptances = [{ gap: 'whatsapp', until: '2027-03-31' }];

  it('counts an acceptance in force on the day as accepted, though it ran out later', () => {
    expect(statuses(gapsAsOf(gaps, ANALYSES, trail, acceptances, '2026-12-31', TZ))).toEqual({ whatsapp: 'accepted', fixed: 'open', back: 'open', steady: 'open' });
    expect(statuses(gapsAsOf(gaps, ANALYSES, trail, acceptances, '2027-03-31', TZ))).toEqual({ whatsapp: 'accepted', steady: 'open', later: 'open' });
    expect(statuses(gapsAsOf(gaps, ANALYSES, trail, acceptances, '2027-04-01', TZ))).toEqual({ whatsapp: 'open', back: 'open', steady: 'open', later: 'open' });
  });

  it('reads only the entries by the end of the day: the trail up to now gives the same', () => {
    const upToDay = trail.filter((e) => e.at <= A1.asOf);
    expect(gapsAsOf(gaps, ANALYSES, trail, acceptances, '2026-12-31', TZ)).toEqual(gapsAsOf(gaps, ANALYSES, upToDay, acceptances, '2026-12-31', TZ));
  });

  it('gives the section the counts of the day: open and accepted by severity', () => {
    const section = gapsSection(gapsAsOf(gaps, ANALYSES, trail, acceptances, '2026-12-31', TZ), [], '2026-12-31', '2025-01-01', TZ);
    expect(section.open).toEqual({ critical: 0, high: 2, medium: 1, low: 0 });
    expect(section.accepted).toEqual({ critical: 0, high: 1, medium: 0, low: 0 });
    expect(section.byFramework.find((r) => r.framework === 'pdpo')).toEqual({ framework: 'pdpo', critical: 0, high: 2, medium: 1, low: 0 });
  });

  it('counts an acceptance that ran out before the day as open, though no analysis had said so yet', () => {
    const accepted = gap('short', { status: 'accepted', changedBy: 'a1', lastChange: 'accepted', acceptance: { reason: 'r', approvedBy: 'p', until: '2026-12-15' } });
    expect(statuses(gapsAsOf([accepted], [A1], [], [], '2026-12-15', TZ))).toEqual({ short: 'accepted' });
    expect(statuses(gapsAsOf([accepted], [A1], [], [], '2026-12-31', TZ))).toEqual({ short: 'open' });
  });

  it('takes a gap the trail does not list by its own dates', () => {
    const unlisted = gap('unlisted', { status: 'closed', closedAt: A2.asOf, changedBy: 'a2', lastChange: 'closed' });
    expect(statuses(gapsAsOf([unlisted], ANALYSES, [], [], '2026-12-31', TZ))).toEqual({ unlisted: 'open' });
    expect(statuses(gapsAsOf([unlisted], ANALYSES, [], [], '2027-01-31', TZ))).toEqual({});
  });
});

describe('a framework with nothing applicable', () => {
  for (const language of ['en', 'zh-Hant'] as const) {
    it(`is said to be not applicable in the analyses' table (${language}), not left blank`, () => {
      const base = syntheticView({ sources: 5, language });
      const analyses = base.gaps.analyses.map((p) => ({ ...p, scores: { pdpo: p.scores.pdpo!, iso27001: p.scores.iso27001! }, notApplicable: ['gdpr' as const] }));
      const doc = renderReport({ ...base, gaps: { ...base.gaps, analyses } });
      const l = LABELS[language];
      const rows = tableRows(doc, l.charts.gapTrend.title);
      const header = [...doc.matchAll(/<th scope="col"[^>]*>([^<]*)<\/th>/g)].map((m) => m[1]);
      expect(header).toContain(l.frameworkName.gdpr);
      const last = [...rows.values()].at(-1)!;
      // date | analysis, 5 changes, open after, PDPO, GDPR, ISO
      expect(last.at(-2)).toBe(l.scoreNotApplicable);
      expect(last.at(-3)).toMatch(/%$/);
      expect(l.scoreNotApplicable).toBe(language === 'en' ? 'not applicable' : '不適用');
    });
  }
});
