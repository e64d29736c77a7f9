// A report view model made up from nothing but numbers, as large as asked: for the
// renderer's unit tests and the benchmark (2,000 sources, 93 controls, eight quarters
// of monthly analyses and month ends). Deterministic: the same arguments give the same view.
import { requirements } from '../../lib/domain/catalogues/catalogues.ts';
import { JURISDICTIONS, type Jurisdiction } from '../../lib/domain/datamap/residency.ts';
import { addDays } from '../../lib/domain/dates.ts';
import type { Level, Tier } from '../../lib/domain/gaps/risk.ts';
import { monthEnds } from '../../lib/domain/report/summarise.ts';
import { FRESHNESS, REVIEW_OUTCOMES, THEMES, type DataMapSection, type ReportView, type RiskRow, type Theme } from '../../lib/domain/report/view.ts';

export interface SyntheticOptions {
  sources?: number;
  /** Put this text into every name, title and reason the view carries (to test escaping). */
  inject?: string;
  language?: ReportView['language'];
}

const RATINGS = ['red', 'amber', 'green', 'failed'] as const;
const LEVELS: Level[] = ['low', 'medium', 'high'];

export function syntheticView(options: SyntheticOptions = {}): ReportView {
  const n = options.sources ?? 2_000;
  const tag = options.inject ?? '';
  const name = (s: string) => (tag ? `${s} ${tag}` : s);
  const controls = requirements('iso27001');
  const asOf = '2026-11-30';
  const from = '2025-01-01';

  const sources: DataMapSection['sources'] = [];
  for (let i = 0; i < n; i++) {
    const standing = RATINGS[i % 7 === 0 ? 3 : i % 3]!;
    const storedIn: Jurisdiction | 'unknown' = standing === 'failed' && i % 2 ? 'unknown' : JURISDICTIONS[i % 4]!;
    const people = standing === 'failed' ? [] : [JURISDICTIONS[(i + (i % 5 === 0 ? 1 : 0)) % 4]!];
    const flows = storedIn !== 'unknown' && people[0] && people[0] !== storedIn ? [{ from: people[0], to: storedIn, flagged: i % 10 !== 0, ...(i % 10 === 0 ? { basis: 'contract-clauses' } : {}) }] : [];
    sources.push({ id: `source-${String(i).padStart(4, '0')}`, name: name(`Source ${i} 資料來源`), platform: `platform-${i % 50}`, standing, storedIn, people, flows });
  }
  const storage = [...JURISDICTIONS, 'unknown' as const].map((p) => ({
    storedIn: p,
    red: sources.filter((s) => s.storedIn === p && s.standing === 'red').length,
    amber: sources.filter((s) => s.storedIn === p && s.standing === 'amber').length,
    green: sources.filter((s) => s.storedIn === p && s.standing === 'green').length,
    failed: sources.filter((s) => s.storedIn === p && s.standing === 'failed').length,
  })).filter((r) => r.red + r.amber + r.green + r.failed > 0);
  const flows = JURISDICTIONS.flatMap((a) =>
    JURISDICTIONS.flatMap((b) => {
      const fs = sources.flatMap((s) => s.flows.filter((f) => f.from === a && f.to === b));
      return fs.length ? [{ from: a, to: b, sources: fs.length, flagged: fs.filter((f) => f.flagged).length, covered: fs.filter((f) => !f.flagged).length }] : [];
    }),
  );

  const byTheme = (THEMES as readonly Theme[]).map((theme, t) => ({ theme, ...Object.fromEntries(FRESHNESS.map((f, k) => [f, (t * 3 + k * 5) % 11])) })) as ReportView['evidence']['byTheme'];
  const overTime = monthEnds(from, asOf).map((date, m) => ({ date, ...Object.fromEntries(FRESHNESS.map((f, k) => [f, ((m + 1) * (k + 2)) % 30])) })) as ReportView['evidence']['overTime'];
  const attention = controls.slice(0, 20).map((c, i) => ({
    control: c.id,
    title: name(c.title),
    theme: (c.theme ?? 'Other') as Theme,
    owner: { id: `p${i % 40}`, name: name(`Person ${i % 40} 陳大文`) },
    status: (['escalated', 'lapsed', 'none'] as const)[i % 3]!,
  }));

  const analyses = monthEnds(from, asOf).map((date, m) => ({
    id: `gap-analysis-bench-org-${date.slice(0, 7)}`,
    date: addDays(date, -29 + (m % 3)),
    dataMap: `data-mapping-scan-bench-org-${date.slice(0, 7)}`,
    opened: m === 0 ? 900 : (m * 37) % 60,
    reopened: m % 4,
    closed: (m * 23) % 50,
    expired: m % 5 === 0 ? 1 : 0,
    accepted: m % 6 === 0 ? 2 : 0,
    open: 900 - m * 10,
    scores: { pdpo: 0.3 + m / 100, gdpr: 0.4 + m / 100, iso27001: 0.5 + m / 100 },
  }));

  const factor = (k: number, why: string) => ({ level: LEVELS[k - 1]!, score: k, reason: name(why) });
  const risk: RiskRow[] = sources.map((s, i) => {
    const sens = s.standing === 'red' ? 3 : s.standing === 'amber' ? 2 : s.standing === 'green' ? 1 : 2;
    const role = 1 + (i % 3);
    const mob = s.flows.some((f) => f.flagged) ? 3 : s.flows.length ? 2 : 1;
    const score = sens * role * mob;
    const tier: Tier = score >= 12 ? 'red' : score >= 4 || s.standing === 'red' ? 'amber' : 'green';
    return { id: s.id, name: s.name, tier, score, factors: { sensitivity: factor(sens, 'rated by its findings'), role: factor(role, '2 finance members'), mobility: factor(mob, 'stored where its people are') } };
  });
  risk.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));

  return {
    language: options.language ?? 'en',
    organisation: { id: 'bench-org', name: name('Bench Org 測試有限公司'), timeZone: 'Asia/Hong_Kong' },
    period: '2026-Q4',
    asOf,
    history: { from, to: asOf },
    dataMap: {
      scanId: 'data-mapping-scan-bench-org-2026-11',
      scannedAt: '2026-11-01 10:00',
      storage,
      people: JURISDICTIONS.map((j) => ({ jurisdiction: j, sources: sources.filter((s) => s.people.includes(j)).length })).filter((p) => p.sources > 0),
      flows,
      sources,
    },
    evidence: { byTheme, overTime, attention },
    gaps: {
      byFramework: (['pdpo', 'gdpr', 'iso27001'] as const).map((framework, i) => ({ framework, critical: i, high: 300 + i, medium: 200, low: 50 })),
      open: { critical: 2, high: 400, medium: 300, low: 100 },
      accepted: { critical: 0, high: 3, medium: 1, low: 0 },
      analyses,
      latest: { id: analyses.at(-1)!.id, date: analyses.at(-1)!.date },
    },
    review: {
      quarter: '2026-Q4',
      status: 'open',
      due: '2026-10-31',
      deadline: '2026-12-31',
      tasks: controls.length,
      byTheme: (THEMES as readonly Theme[]).map((theme, t) => ({ theme, ...Object.fromEntries(REVIEW_OUTCOMES.map((o, k) => [o, (t + k * 3) % 9])) })) as NonNullable<ReportView['review']>['byTheme'],
      overdueOwners: Array.from({ length: 6 }, (_, i) => ({ id: `p${i}`, name: name(`Person ${i}`) })),
      attention: controls.slice(10, 30).map((c, i) => ({
        control: c.id,
        title: name(c.title),
        theme: (c.theme ?? 'Other') as Theme,
        owner: { id: `p${i}`, name: name(`Person ${i}`) },
        outcome: (['not-effective', 'unanswered', 'open'] as const)[i % 3]!,
        overdue: i % 3 !== 0,
      })),
      nonconformitiesOpened: 3,
      nonconformitiesClosed: 1,
    },
    risk: {
      thresholds: { red: 12, amber: 4 },
      sources: risk,
      groups: risk.slice(0, 200).map((r, i) => ({ ...r, id: `${r.id}#${String(i).padStart(16, '0')}`, name: name(`Group ${i} 薪酬组`), source: r.id })),
    },
  };
}
