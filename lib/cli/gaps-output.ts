// What `compliance gaps` and `compliance risk` print: a table for people, JSON for
// programs, CSV for a spreadsheet (UTF-8 with a byte-order mark so Excel keeps the
// Chinese; times in the organisation's time zone, which the header names).
import type { AnalysisRecord, Framework, Gap, Severity } from '../domain/gaps/gap.ts';
import { SEVERITIES } from '../domain/gaps/gap.ts';
import { gapHeader, gapRow } from '../domain/gaps/gap-row.ts';
import type { GroupRisk, SourceRisk } from '../domain/gaps/rules.ts';
import { spreadsheetCsv } from '../domain/export/csv.ts';
import { columns } from './columns.ts';
import { localTime } from '../domain/local-time.ts';

export interface GapFilter {
  status: 'open' | 'closed' | 'accepted' | 'all';
  severity?: Severity;
  framework?: Framework;
}

export function filterGaps(gaps: readonly Gap[], filter: GapFilter): Gap[] {
  return gaps
    .filter((g) => filter.status === 'all' || g.status === filter.status)
    .filter((g) => !filter.severity || g.severity === filter.severity)
    .filter((g) => !filter.framework || g.requirements.some((r) => r.framework === filter.framework))
    .sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) || a.id.localeCompare(b.id));
}

const percent = (score: number) => `${Math.round(score * 100)}%`;
const FRAMEWORK_NAMES: Record<Framework, string> = { pdpo: 'PDPO', gdpr: 'GDPR', iso27001: 'ISO/IEC 27001' };

/**
 * `brief`: counts by severity instead of the table (the full cycle's output); `headline`:
 * said in place of the analysis's own first line (a run that already ran changed nothing now).
 */
export function formatAnalysis(a: AnalysisRecord, gaps: readonly Gap[], filter: GapFilter, timeZone: string, brief = false, headline?: string): string {
  const changes = (['opened', 'closed', 'reopened', 'expired', 'accepted'] as const).map((k) => `${a.changes[k]} ${k}`).join(', ');
  const scoreOf = (f: Framework) => {
    const s = a.scores[f];
    return s.notApplicable !== undefined ? `${FRAMEWORK_NAMES[f]} not applicable (${s.notApplicable})` : `${FRAMEWORK_NAMES[f]} ${percent(s.score)} (${s.met} of ${s.applicable})`;
  };
  const scores = (Object.keys(FRAMEWORK_NAMES) as Framework[]).map(scoreOf).join(', ');
  const lines = [
    headline ?? `Gap analysis ${a.id} of data map ${a.dataMap}: ${a.counts.open} open, ${a.counts.accepted} accepted, ${a.counts.closed} closed; this analysis: ${changes}.`,
    `Requirements met: ${scores}.`,
  ];
  const shown = filterGaps(gaps, filter);
  if (brief) {
    const bySeverity = SEVERITIES.map((sev) => [sev, shown.filter((g) => g.severity === sev).length] as const).filter(([, n]) => n > 0);
    if (bySeverity.length) lines.push(`Open by severity: ${bySeverity.map(([sev, n]) => `${n} ${sev}`).join(', ')}. List them with: compliance gaps`);
    return lines.join('\n');
  }
  if (shown.length === 0) {
    lines.push(`No ${filter.status === 'all' ? '' : `${filter.status} `}gaps match.`);
    return lines.join('\n');
  }
  lines.push(
    '',
    columns(
      ['SEVERITY', 'STATUS', 'GAP', 'OWNER', `OPENED (${timeZone})`, 'REMEDY'],
      shown.map((g) => [g.severity, g.status, g.id, g.owner, localTime(g.openedAt, timeZone), g.remedy]),
    ),
  );
  return lines.join('\n');
}

const CSV_COLUMNS = { id: 'id', reopened: false };

/** The gaps as CSV for a spreadsheet: UTF-8 with a byte-order mark, times in the organisation's zone. */
export function gapsCsv(gaps: readonly Gap[], filter: GapFilter, timeZone: string): string {
  const local = (iso: string | undefined) => localTime(iso, timeZone);
  const rows = filterGaps(gaps, filter).map((g) => gapRow(g, local, CSV_COLUMNS));
  const header = gapHeader(timeZone, CSV_COLUMNS);
  return spreadsheetCsv(header, rows);
}

export function formatRisk(risk: { sources: SourceRisk[]; groups: GroupRisk[] }): string {
  const factor = (f: { level: string; score: number }) => `${f.level} ${f.score}`;
  const rows = (items: (SourceRisk | GroupRisk)[], name: (r: SourceRisk | GroupRisk) => string) =>
    items.map((r) => [name(r), r.tier.toUpperCase(), String(r.score), factor(r.factors.sensitivity), factor(r.factors.role), factor(r.factors.mobility)]);
  const header = ['', 'TIER', 'SCORE', 'SENSITIVITY', 'ROLE', 'MOBILITY'];
  const out = [columns(['SOURCE', ...header.slice(1)], rows(risk.sources, (r) => r.id))];
  for (const s of risk.sources) out.push(`  ${s.id}: ${s.recommendation}`);
  if (risk.groups.length > 0) out.push('', columns(['GROUP', ...header.slice(1)], rows(risk.groups, (r) => `${(r as GroupRisk).source} / ${(r as GroupRisk).name}`)));
  return out.join('\n');
}
