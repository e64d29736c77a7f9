// The pages people use, rendered on the server with no script: owners answer their
// tasks, auditors read controls, evidence, gaps, the data map, the review and the audit
// trail and take the audit package away, schedulers start runs. Every page reads, and
// every form writes, through the API's own routes (lib/api/routes.ts) with their checks.
import { html, trusted, type Markup } from '../domain/report/html.ts';
import type { Principal, Role } from '../domain/access/principal.ts';
import type { Language } from '../domain/org/org.ts';
import { TASK_RESULTS } from '../domain/vocabulary.ts';
import { WORKFLOWS } from '../workflows/declarations.ts';
import { flowDestination } from '../domain/datamap/residency.ts';
import { runStatusText, workflowTitle, type Labels } from './labels.ts';

export interface PageContext {
  principal: Principal;
  /** The person's name, as the organisation file gives it. */
  name: string;
  language: Language;
  t: Labels;
  /** A fresh one-use token for each form on the page. */
  csrf: () => Promise<string>;
}

const NAV: readonly { href: string; label: keyof Labels; roles: readonly Role[] }[] = [
  { href: '/tasks', label: 'myTasks', roles: ['owner'] },
  { href: '/controls', label: 'controls', roles: ['admin', 'auditor', 'owner'] },
  { href: '/gaps', label: 'gaps', roles: ['admin', 'auditor'] },
  { href: '/datamap', label: 'dataMap', roles: ['admin', 'auditor'] },
  { href: '/review', label: 'review', roles: ['admin', 'auditor'] },
  { href: '/audit', label: 'audit', roles: ['admin', 'auditor'] },
  { href: '/package', label: 'package', roles: ['admin', 'auditor'] },
  { href: '/runs', label: 'runs', roles: ['admin', 'scheduler', 'auditor'] },
  { href: '/report', label: 'report', roles: ['admin', 'auditor'] },
];

/** Where each role starts. */
export function homeOf(role: Role): string {
  return { owner: '/tasks', auditor: '/controls', admin: '/controls', scheduler: '/runs' }[role];
}

const STYLE = trusted(`
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,"Noto Sans TC","PingFang TC","Microsoft JhengHei",sans-serif;color:#1b1b1b;background:#fff}
header{background:#12355b;color:#fff;padding:.5rem 1rem}header a{color:#fff}nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1rem}
.who{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;font-size:.9rem;margin:.25rem 0 0}.who form{margin:0}
main{padding:1rem;max-width:72rem;margin:0 auto}h1{font-size:1.5rem;margin:.5rem 0 1rem}h2{font-size:1.2rem;margin:1.5rem 0 .5rem}
.scroll{overflow-x:auto}table{border-collapse:collapse;width:100%;font-size:.95rem}th,td{border-bottom:1px solid #c8c8c8;padding:.35rem .5rem;text-align:left;vertical-align:top}th{background:#eef2f6}
.card{border:1px solid #c8c8c8;border-radius:.4rem;padding:.75rem 1rem;margin:0 0 1rem}.card h2{margin-top:0}
label{display:block;font-weight:600;margin:.5rem 0 .15rem}input,select,textarea{font:inherit;width:100%;max-width:36rem;padding:.35rem;border:1px solid #6b6b6b;border-radius:.25rem}
button{font:inherit;padding:.4rem 1rem;border:0;border-radius:.25rem;background:#12355b;color:#fff;cursor:pointer;margin-top:.5rem}header button{background:#fff;color:#12355b;margin:0;padding:.1rem .6rem}
.notice{background:#e6f4ea;border-left:4px solid #1e7b34;padding:.5rem 1rem}.problem{background:#fdecea;border-left:4px solid #b3261e;padding:.5rem 1rem}
.status-current,.status-effective,.status-succeeded{color:#1e6b30}.status-lapsed,.status-escalated,.status-not-effective,.status-failed,.status-critical,.status-high{color:#a1261b;font-weight:600}.status-due-soon,.status-partially-effective,.status-medium,.status-running{color:#7a4d00}
.filters{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:end}.filters label{margin:0}.filters select{width:auto}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
@media (max-width:40rem){main{padding:.5rem}th,td{padding:.3rem}}
`);

export async function layout(ctx: PageContext, title: string, body: Markup, options: { refreshSeconds?: number; status?: 'notice' | 'problem'; message?: string } = {}): Promise<Markup> {
  const nav = NAV.filter((n) => n.roles.includes(ctx.principal.role));
  return html`<!doctype html>
<html lang="${ctx.language}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">${options.refreshSeconds ? html`<meta http-equiv="refresh" content="${options.refreshSeconds}">` : ''}
<title>${title} · ${ctx.t.title}</title><style>${STYLE}</style></head>
<body><header><nav aria-label="${ctx.t.title}"><ul>${nav.map((n) => html`<li><a href="${n.href}">${ctx.t[n.label]}</a></li>`)}</ul></nav>
<div class="who"><span>${ctx.t.signedInAs} ${ctx.name} (${ctx.principal.role})</span><form method="post" action="/sign-out"><input type="hidden" name="csrf" value="${await ctx.csrf()}"><button type="submit">${ctx.t.signOut}</button></form></div></header>
<main id="main"><h1>${title}</h1>${options.message ? html`<p class="${options.status ?? 'notice'}" role="status">${options.message}</p>` : ''}${body}</main></body></html>`;
}

/** A page for someone who is not signed in, or whose request went wrong before anything else. */
export function bare(language: Language, t: Labels, title: string, message: string, link?: { href: string; text: string }): Markup {
  return html`<!doctype html>
<html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title} · ${t.title}</title><style>${STYLE}</style></head>
<body><main id="main"><h1>${title}</h1><p class="problem" role="alert">${message}</p>${link ? html`<p><a href="${link.href}">${link.text}</a></p>` : ''}</main></body></html>`;
}

const cls = (value: string | undefined | null) => `status-${value ?? 'none'}`;
const table = (caption: string, head: readonly string[], rows: readonly Markup[]) =>
  html`<div class="scroll" tabindex="0" role="region" aria-label="${caption}"><table><caption class="visually-hidden">${caption}</caption><thead><tr>${head.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead><tbody>${rows}</tbody></table></div>`;

interface TaskItem {
  id: string;
  control: string;
  controlTitle: string;
  due: string;
  status: string;
  result?: string;
  comment?: string;
  reviewDecision?: string;
  evidenceStatusAtOpening: string;
  /** Today's, as /controls has it, where the reader may read the control (else only the status at opening is shown, labelled so). */
  evidenceStatus?: string;
  owner?: string;
  delegate?: string;
  evidence: { id: string; title: string; location: string }[];
}

export async function tasksPage(
  ctx: PageContext,
  quarter: string,
  tasks: readonly TaskItem[],
  options: { message?: string; problem?: string; values?: Record<string, string>; failedTask?: string; readOnly?: boolean } = {},
): Promise<Markup> {
  const t = ctx.t;
  const cards = await Promise.all(
    tasks.map(async (task) => {
      const id = `task-${task.control}`;
      const values = task.id === options.failedTask ? (options.values ?? {}) : {};
      const closed = options.readOnly || task.reviewDecision === 'accepted';
      const evidence = task.evidenceStatus !== undefined ? { label: t.evidenceToday, status: task.evidenceStatus } : { label: t.evidenceAtOpening, status: task.evidenceStatusAtOpening };
      // A reader of everyone's tasks is told whose each is; an owner's are theirs.
      const whose = options.readOnly && task.owner ? html` · ${t.owner}: ${task.owner}${task.delegate ? ` (${t.handedTo} ${task.delegate})` : ''}` : '';
      return html`<section class="card" id="${id}" aria-labelledby="${id}-h"><h2 id="${id}-h">${task.control} ${task.controlTitle}</h2>
<p>${t.status}: <strong class="${cls(task.status)}">${task.status}</strong>${task.result ? html` · ${t.result}: <strong class="${cls(task.result)}">${task.result}</strong>` : ''} · ${t.due}: ${task.due} · ${evidence.label}: <span class="${cls(evidence.status)}">${evidence.status}</span>${whose}</p>
${task.comment ? html`<p>${t.comment}: ${task.comment}</p>` : ''}
${task.evidence.length ? html`<ul>${task.evidence.map((e) => html`<li>${e.title} (${e.location})</li>`)}</ul>` : ''}
${
  closed
    ? ''
    : html`<form method="post" action="/tasks/${quarter}/${task.control}">
<input type="hidden" name="csrf" value="${await ctx.csrf()}">
<label for="${id}-result">${t.result}</label><select id="${id}-result" name="result" required>${TASK_RESULTS.map((r) => html`<option value="${r}"${(values.result ?? task.result) === r ? trusted(' selected') : ''}>${r}</option>`)}</select>
<label for="${id}-comment">${t.comment}</label><textarea id="${id}-comment" name="comment" rows="3" maxlength="4000">${values.comment ?? task.comment ?? ''}</textarea>
<label for="${id}-loc">${t.evidenceLocation}</label><input id="${id}-loc" name="evidenceLocation" type="url" maxlength="2000" value="${values.evidenceLocation ?? ''}">
<label for="${id}-name">${t.evidenceName}</label><input id="${id}-name" name="evidenceName" maxlength="200" value="${values.evidenceName ?? ''}">
<label for="${id}-sha">${t.evidenceSha}</label><input id="${id}-sha" name="evidenceSha256" pattern="[0-9a-fA-F]{64}" maxlength="64" value="${values.evidenceSha256 ?? ''}">
<button type="submit">${t.answer} ${task.control}</button></form>`
}</section>`;
    }),
  );
  const problem = options.problem ? { status: 'problem' as const, message: options.problem } : options.message ? { status: 'notice' as const, message: options.message } : {};
  if (options.readOnly) return layout(ctx, `${t.tasks} ${quarter}`, html`<p>${t.tasksReadOnly}</p>${tasks.length ? cards : html`<p>${t.noTasksAtAll}</p>`}`, problem);
  return layout(ctx, `${t.myTasks} ${quarter}`, tasks.length ? html`${cards}` : html`<p>${t.noTasks}</p>`, problem);
}

interface ControlRow {
  id: string;
  title: string;
  theme: string;
  applicable: boolean | null;
  owner?: string;
  lastResult?: string;
  evidenceStatus: string;
}

export function controlsPage(ctx: PageContext, rows: readonly ControlRow[]): Promise<Markup> {
  const t = ctx.t;
  return layout(
    ctx,
    t.controls,
    table(t.controls, [t.control, t.theme, t.owner, t.evidence, t.lastResult], rows.map((r) => html`<tr><td><a href="/controls/${r.id}">${r.id}</a> ${r.title}</td><td>${r.theme}</td><td>${r.owner ?? ''}</td><td class="${cls(r.evidenceStatus)}">${r.evidenceStatus}</td><td class="${cls(r.lastResult)}">${r.lastResult ?? ''}</td></tr>`)),
  );
}

interface EvidenceRow {
  id: string;
  title: string;
  kind: string;
  owner: string;
  location: string;
  sha256?: string;
  validUntil?: string;
  status: string;
}

export function controlPage(ctx: PageContext, detail: { control: ControlRow; evidence: EvidenceRow[]; tasks: TaskItem[] }): Promise<Markup> {
  const t = ctx.t;
  const c = detail.control;
  return layout(
    ctx,
    `${c.id} ${c.title}`,
    html`<p>${t.theme}: ${c.theme} · ${t.owner}: ${c.owner ?? ''} · ${t.evidence}: <strong class="${cls(c.evidenceStatus)}">${c.evidenceStatus}</strong></p>
<h2>${t.evidence}</h2>${table(t.evidence, [t.evidence, t.owner, t.location, 'SHA-256', t.validUntil, t.status], detail.evidence.map((e) => html`<tr><td>${e.title}</td><td>${e.owner}</td><td>${e.location}</td><td><code>${e.sha256 ? `${e.sha256.slice(0, 12)}…` : ''}</code></td><td>${e.validUntil ?? ''}</td><td class="${cls(e.status)}">${e.status}</td></tr>`))}
<h2>${t.tasks}</h2>${table(t.tasks, [t.name, t.status, t.result, t.comment], detail.tasks.map((k) => html`<tr><td>${k.id}</td><td>${k.status}</td><td class="${cls(k.result)}">${k.result ?? ''}</td><td>${k.comment ?? ''}</td></tr>`))}`,
  );
}

interface GapRow {
  id: string;
  rule: string;
  severity: string;
  status: string;
  owner: string;
  subject: { kind: string; id: string };
  requirements: { framework: string; id: string }[];
  remedy: string;
}

const select = (name: string, label: string, options: readonly string[], chosen: string | undefined) =>
  html`<div><label for="f-${name}">${label}</label><select id="f-${name}" name="${name}">${options.map((o) => html`<option value="${o}"${chosen === o ? trusted(' selected') : ''}>${o}</option>`)}</select></div>`;

export function gapsPage(ctx: PageContext, gaps: readonly GapRow[], filter: { status?: string; severity?: string; framework?: string }): Promise<Markup> {
  const t = ctx.t;
  return layout(
    ctx,
    t.gaps,
    html`<form method="get" action="/gaps" class="filters">${select('status', t.status, ['open', 'accepted', 'closed', 'all'], filter.status)}${select('severity', t.severity, ['', 'critical', 'high', 'medium', 'low'], filter.severity)}${select('framework', t.framework, ['', 'pdpo', 'gdpr', 'iso27001'], filter.framework)}<button type="submit">${t.filter}</button></form>
<p>${gaps.length}</p>${table(t.gaps, [t.severity, t.rule, t.subject, t.framework, t.owner, t.status], gaps.map((g) => html`<tr><td class="${cls(g.severity)}">${g.severity}</td><td>${g.rule}<br><small>${g.remedy}</small></td><td>${g.subject.kind} ${g.subject.id}</td><td>${[...new Set(g.requirements.map((r) => `${r.framework} ${r.id}`))].join(', ')}</td><td>${g.owner}</td><td>${g.status}</td></tr>`))}`,
  );
}

interface MapSource {
  id: string;
  platform: string;
  status: string;
  rating?: string;
  reason?: string;
  storage?: { jurisdiction?: string; country?: string; region?: string };
  peopleJurisdictions?: { jurisdiction: string; findings: number }[];
  flows?: { from: string; to: string; status: string; basis?: string }[];
}

export function dataMapPage(ctx: PageContext, map: { scanId: string; scannedAt: string; sources: readonly MapSource[] }): Promise<Markup> {
  const t = ctx.t;
  return layout(
    ctx,
    t.dataMap,
    html`<p>${map.scanId} · ${map.scannedAt}</p>${table(
      t.dataMap,
      [t.source, t.rating, t.storedIn, t.people, t.flows],
      map.sources.map(
        (s) =>
          html`<tr><td>${s.id} <small>${s.platform}</small></td><td class="${cls(s.rating ?? s.status)}">${s.rating ?? `${s.status}: ${s.reason ?? ''}`}</td><td>${[s.storage?.jurisdiction, s.storage?.country, s.storage?.region].filter(Boolean).join(' · ')}</td><td>${(s.peopleJurisdictions ?? []).map((p) => `${p.jurisdiction} (${p.findings})`).join(', ')}</td><td>${(s.flows ?? []).map((f) => html`<span class="${cls(f.status === 'flagged' ? 'high' : 'current')}">${f.from} → ${flowDestination(f.to, f.to === s.storage?.jurisdiction ? s.storage.country : undefined)} ${f.status}${f.basis ? ` (${f.basis})` : ''}</span><br>`)}</td></tr>`,
      ),
    )}`,
  );
}

interface ReviewView {
  review: { id: string; status: string; due: string; deadline: string; summary: { tasks: number; byResult: Record<string, number>; overdueOwners: string[] } };
  tasks: TaskItem[];
  nonconformities: { id: string; control: string; status: string; reason: string }[];
}

export function reviewPage(ctx: PageContext, view: ReviewView): Promise<Markup> {
  const t = ctx.t;
  const s = view.review.summary;
  return layout(
    ctx,
    `${t.review} ${view.review.id}`,
    html`<p>${t.status}: ${view.review.status} · ${t.due}: ${view.review.due}</p>
<h2>${t.summary}</h2><ul>${Object.entries(s.byResult).map(([k, v]) => html`<li><span class="${cls(k)}">${k}</span>: ${v}</li>`)}</ul>
<h2>${t.tasks}</h2>${table(t.tasks, [t.control, t.owner, t.status, t.result, t.comment], view.tasks.map((k) => html`<tr><td>${k.control} ${k.controlTitle}</td><td>${(k as { owner?: string }).owner ?? ''}</td><td>${k.status}</td><td class="${cls(k.result)}">${k.result ?? ''}</td><td>${k.comment ?? ''}</td></tr>`))}
<h2>${t.nonconformities}</h2>${table(t.nonconformities, [t.name, t.control, t.status, t.comment], view.nonconformities.map((n) => html`<tr><td>${n.id}</td><td>${n.control}</td><td>${n.status}</td><td>${n.reason}</td></tr>`))}`,
  );
}

export function auditPage(ctx: PageContext, verification: { ok: boolean; sealed: number; unsealed: { count: number } }, entries: readonly { at: string; event: string; subject: string; actor: string }[], next?: string): Promise<Markup> {
  const t = ctx.t;
  return layout(
    ctx,
    t.audit,
    html`<p class="${verification.ok ? 'notice' : 'problem'}" role="status">${verification.ok ? t.verified : t.notVerified} (${verification.sealed} · ${verification.unsealed.count} ${t.unsealed})</p>
${table(t.audit, [t.when, t.event, t.subject, t.actor], entries.map((e) => html`<tr><td>${e.at}</td><td>${e.event}</td><td>${e.subject}</td><td>${e.actor}</td></tr>`))}
${next ? html`<p><a href="/audit?cursor=${encodeURIComponent(next)}">${t.next}</a></p>` : ''}`,
  );
}

export function packagePage(ctx: PageContext, quarter: string): Promise<Markup> {
  const t = ctx.t;
  return layout(
    ctx,
    t.package,
    html`<form method="get" action="/package/download" class="filters"><div><label for="p-period">${t.period}</label><input id="p-period" name="period" value="${quarter}" pattern="\\d{4}-Q[1-4]" required></div>${select('format', t.format, ['json', 'csv', 'oscal'], 'json')}<button type="submit">${t.download}</button></form>`,
  );
}

interface RunRow {
  name: string;
  kind: string;
  status: string;
  startedAt?: string;
  finishedAt?: string;
}

export async function runsPage(ctx: PageContext, runs: readonly RunRow[], options: { message?: string; problem?: string; running: boolean }): Promise<Markup> {
  const t = ctx.t;
  const canStart = ctx.principal.role === 'admin' || ctx.principal.role === 'scheduler';
  const form = canStart
    ? html`<form method="post" action="/runs" class="filters"><input type="hidden" name="csrf" value="${await ctx.csrf()}"><div><label for="r-workflow">${t.workflow}</label><select id="r-workflow" name="workflow">${WORKFLOWS.map((w) => html`<option value="${w.name}">${workflowTitle(ctx.language, w.name)}</option>`)}</select></div><button type="submit">${t.start}</button></form>`
    : '';
  return layout(
    ctx,
    t.runs,
    html`${form}${table(t.runs, [t.name, t.workflow, t.status, t.started, t.finished], [...runs].reverse().map((r) => html`<tr><td>${r.name}</td><td>${workflowTitle(ctx.language, r.kind)}</td><td class="${cls(r.status)}">${runStatusText(ctx.language, r.status)}</td><td>${r.startedAt ?? ''}</td><td>${r.finishedAt ?? ''}</td></tr>`))}`,
    { ...(options.running ? { refreshSeconds: 2 } : {}), ...(options.problem ? { status: 'problem' as const, message: options.problem } : options.message ? { message: options.message } : {}) },
  );
}
