// The audit package as OSCAL 1.1.3 JSON: an assessment plan (the quarter's review: the
// controls reviewed, a task per control with its owner, reviewer and due date), the
// assessment results that import it (a finding per control from its answer, an
// observation per answer and per evidence item, with location and SHA-256), and a plan
// of action and milestones for what is still open (nonconformities of the review, open
// and accepted gaps). Beside them, as JSON, the parts OSCAL has no model for (the
// Statement of Applicability, which stands in for the system security plan the plan
// would import, the gaps of the period, the data map and the audit trail), each named
// in the documents' back matter with its SHA-256.
//
// Every UUID is derived from the organisation, the period where it belongs to one, and
// the id of what it stands for (uuid.ts), so a second export gives the same UUIDs. Pure.
import { addDays } from '../dates.ts';
import { hasEvidenceScheme } from '../org/org.ts';
import type { Gap } from '../gaps/gap.ts';
import type { TaskResult } from '../review/review.ts';
import { auditJson, datamapJson, gapsJson, jsonFile, soaJson } from './json.ts';
import { sha256Hex } from '../audit/chain.ts';
import type { EvidenceIndexRow, PackageContent, PackageFile, ReviewTaskRow } from './package.ts';
import { startOfLocalDay } from './period.ts';
import { uuidV5 } from './uuid.ts';

export const OSCAL_VERSION = '1.1.3';
export const OSCAL_FILES = {
  plan: 'assessment-plan.json',
  results: 'assessment-results.json',
  poam: 'plan-of-action-and-milestones.json',
} as const;

/** The namespace of the properties this product defines (OSCAL asks for one beside its own names). */
export const PROPS_NS = 'urn:compliance-review-automation:oscal';

type Json = Record<string, unknown>;

/** OSCAL's plain strings (names, property values) have no line breaks and no space at either end. */
export function oscalString(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}

/** A property of ours; none when the value is empty. */
function prop(name: string, value: string | number | boolean | undefined): Json[] {
  if (value === undefined) return [];
  const v = oscalString(String(value));
  return v ? [{ name, ns: PROPS_NS, value: v }] : [];
}

/** Properties, or nothing (OSCAL's arrays hold at least one item). */
const props = (...list: Json[][]): Json => {
  const all = list.flat();
  return all.length ? { props: all } : {};
};

const UNRESERVED = /[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=]/;

/** A location as a URI reference: percent-encoded where RFC 3986 would not take it as written. */
export function uriReference(location: string): string {
  let text = location.trim();
  try {
    text = new URL(text).href;
  } catch {
    // not an absolute URL: a relative reference, encoded below
  }
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === '%' && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) out += ch;
    else if (UNRESERVED.test(ch)) out += ch;
    else {
      const cp = text.codePointAt(i) as number;
      const char = String.fromCodePoint(cp);
      if (char.length === 2) i++;
      out += [...Buffer.from(char, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
    }
  }
  return out;
}

/** The end of a local day, as an instant (its last second). */
const endOfDay = (day: string, timeZone: string) => new Date(Date.parse(startOfLocalDay(addDays(day, 1), timeZone)) - 1000).toISOString();

interface Ids {
  org: string;
  /** Stable per organisation: parties, gaps, nonconformities. */
  of(kind: string, id?: string): string;
  /** Stable per organisation and period: the documents, the result, this period's observations. */
  inPeriod(kind: string, id?: string): string;
}

function idsFor(c: PackageContent): Ids {
  const org = c.org.id;
  return {
    org: uuidV5(`${org}/party`),
    of: (kind, id) => uuidV5(`${org}/${kind}${id === undefined ? '' : `/${id}`}`),
    inPeriod: (kind, id) => uuidV5(`${org}/${c.window.period}/${kind}${id === undefined ? '' : `/${id}`}`),
  };
}

const ROLES = [
  { id: 'prepared-by', title: 'Prepared by', description: 'The organisation whose controls are assessed; the package is generated from its records.' },
  { id: 'control-owner', title: 'Control owner', description: 'Answers the review task of each control they own, with evidence.' },
  { id: 'reviewer', title: 'Reviewer', description: "Accepts or returns the owners' answers." },
];

function metadata(c: PackageContent, ids: Ids, title: string): Json {
  const tasks = c.review?.tasks ?? [];
  const named = new Map(c.people.map((p) => [p.id, p.name]));
  const mentioned = [...new Set([...tasks.flatMap((t) => [t.owner, t.reviewer, t.delegate, t.answeredBy]), ...c.gaps.gaps.map((g) => g.owner)].filter((id): id is string => !!id))].sort();
  const party = (id: string) => ids.of('party', id);
  const parties = [
    { uuid: ids.org, type: 'organization', name: oscalString(c.org.name) || c.org.id, 'short-name': c.org.id },
    ...mentioned.map((id) => ({ uuid: party(id), type: 'person', name: oscalString(named.get(id) ?? '') || id, ...props(prop('person-id', id)) })),
  ];
  const owners = [...new Set(tasks.map((t) => t.owner))].sort().map(party);
  const reviewers = [...new Set(tasks.map((t) => t.reviewer))].sort().map(party);
  return {
    title,
    'last-modified': c.generatedAt,
    version: c.generatedAt,
    'oscal-version': OSCAL_VERSION,
    ...props(prop('period', c.window.period), prop('period-start', c.window.from), prop('period-end', c.window.to), prop('time-zone', c.window.timeZone)),
    roles: ROLES,
    parties,
    'responsible-parties': [
      { 'role-id': 'prepared-by', 'party-uuids': [ids.org] },
      ...(owners.length ? [{ 'role-id': 'control-owner', 'party-uuids': owners }] : []),
      ...(reviewers.length ? [{ 'role-id': 'reviewer', 'party-uuids': reviewers }] : []),
    ],
  };
}

const PART_TITLES: Record<string, string> = {
  'soa.json': 'Statement of Applicability',
  'gaps.json': 'Gaps open during the period',
  'datamap.json': 'Data map summary',
  'audit.json': 'Audit trail of the period',
};

function backMatter(ids: Ids, companions: readonly PackageFile[]): Json {
  return {
    resources: companions.map((f) => ({
      uuid: ids.inPeriod('resource', f.path),
      title: PART_TITLES[f.path] ?? f.path,
      rlinks: [{ href: f.path, 'media-type': 'application/json', hashes: [{ algorithm: 'SHA-256', value: sha256Hex(f.content) }] }],
    })),
  };
}

/** The controls the period's review covered, else the applicable ones of the Statement of Applicability. */
function reviewedControls(c: PackageContent): Json {
  const controls = c.review ? c.review.tasks.map((t) => t.control) : c.soa.filter((r) => r.applicable === true).map((r) => r.id);
  return {
    description: c.review ? `The controls due for review in ${c.window.period}.` : `No review of ${c.window.period} was opened: the controls the Statement of Applicability holds applicable.`,
    'control-selections': [controls.length ? { 'include-controls': controls.map((id) => ({ 'control-id': id })) } : { remarks: 'No control is in scope.' }],
  };
}

function importSsp(ids: Ids): Json {
  return {
    href: `#${ids.inPeriod('resource', 'soa.json')}`,
    remarks:
      'No OSCAL system security plan is kept. The Statement of Applicability (soa.json in this package, named in the back matter) lists the ISO/IEC 27001:2022 Annex A controls, applicable or not and why, with their owners.',
  };
}

function assessmentPlan(c: PackageContent, ids: Ids, companions: readonly PackageFile[]): Json {
  const tz = c.window.timeZone;
  const activity = ids.of('activity', 'quarterly-review');
  const subjects = [{ type: 'party', 'include-subjects': [{ 'subject-uuid': ids.org, type: 'party' }] }];
  const tasks = (c.review?.tasks ?? []).map((t) => ({
    uuid: ids.of('task', t.id),
    type: 'action',
    title: `Review ${t.control} ${t.controlTitle}`,
    description: `The owner answers task ${t.id} with the control's result and evidence by ${t.due}; the reviewer accepts or returns the answer.`,
    ...props(prop('task-id', t.id), prop('control-id', t.control), prop('evidence-status-at-opening', t.evidenceStatusAtOpening), prop('carries', t.carries)),
    timing: { 'within-date-range': { start: c.review?.review.openedAt ?? c.window.from, end: endOfDay(t.due, tz) } },
    'associated-activities': [{ 'activity-uuid': activity, subjects }],
    'responsible-roles': [
      { 'role-id': 'control-owner', 'party-uuids': [ids.of('party', t.delegate ?? t.owner)] },
      { 'role-id': 'reviewer', 'party-uuids': [ids.of('party', t.reviewer)] },
    ],
  }));
  return {
    'assessment-plan': {
      uuid: ids.inPeriod('assessment-plan'),
      metadata: metadata(c, ids, `ISO/IEC 27001:2022 quarterly control review ${c.window.period}: ${c.org.name}`),
      'import-ssp': importSsp(ids),
      'local-definitions': {
        activities: [
          {
            uuid: activity,
            title: 'Quarterly control review',
            description:
              "Each applicable Annex A control due in the quarter gets a task for its owner, who answers with the control's result (effective, partially effective, not effective, not applicable), a comment and evidence; the reviewer accepts or returns the answer. Controls not effective or left unanswered when the review closes open a nonconformity, carried into the next quarter.",
          },
        ],
      },
      'reviewed-controls': reviewedControls(c),
      'assessment-subjects': [{ type: 'party', description: 'The organisation and its controls.', 'include-subjects': [{ 'subject-uuid': ids.org, type: 'party' }] }],
      ...(tasks.length ? { tasks } : {}),
      'back-matter': backMatter(ids, companions),
    },
  };
}

const STATE: Record<TaskResult, { state: 'satisfied' | 'not-satisfied'; reason: 'pass' | 'fail' | 'other' }> = {
  effective: { state: 'satisfied', reason: 'pass' },
  'not-applicable': { state: 'satisfied', reason: 'other' },
  'partially-effective': { state: 'not-satisfied', reason: 'other' },
  'not-effective': { state: 'not-satisfied', reason: 'fail' },
};

function findingStatus(t: ReviewTaskRow): Json {
  if (t.result) return { ...STATE[t.result], ...(t.result === 'not-applicable' ? { remarks: 'Answered not applicable this quarter.' } : {}) };
  return { state: 'not-satisfied', reason: 'other', remarks: t.status === 'unanswered' ? 'Not answered by the time the review closed.' : 'Not answered yet.' };
}

function evidenceObservation(c: PackageContent, ids: Ids, e: EvidenceIndexRow): Json {
  const tz = c.window.timeZone;
  return {
    uuid: ids.inPeriod('evidence', e.id),
    title: e.title,
    description: `Evidence ${e.id} (${e.kind}) for ${e.control}, owned by ${e.owner}: ${e.validUntil ? `valid until ${e.validUntil}` : 'does not lapse'}; ${e.status} on ${c.asOf}.${e.retired ? ' Retired since.' : ''}${e.renewedBy ? ` Renewed by ${e.renewedBy}.` : ''}`,
    ...props(
      prop('evidence-id', e.id),
      prop('control-id', e.control),
      prop('kind', e.kind),
      prop('origin', e.origin),
      prop('owner', e.owner),
      prop('status', e.status),
      prop('retired', e.retired),
      prop('renewed-by', e.renewedBy),
    ),
    methods: ['EXAMINE'],
    collected: startOfLocalDay(e.collected, tz),
    ...(e.validUntil ? { expires: startOfLocalDay(addDays(e.validUntil, 1), tz) } : {}),
    'relevant-evidence': [{ ...evidenceLink(e.location), description: `${e.title} at ${e.location}`, ...props(prop('sha256', e.sha256)) }],
  };
}

/**
 * An evidence item's link: none for a location of another scheme than evidence may have
 * (one stored before that was checked: a `javascript:` link in a signed package would run
 * in a viewer that follows it); the description still names the location.
 */
const evidenceLink = (location: string): Json => (hasEvidenceScheme(location) ? { href: uriReference(location) } : {});

function answerObservation(c: PackageContent, ids: Ids, t: ReviewTaskRow): Json {
  const by = t.answeredBy ?? t.delegate ?? t.owner;
  return {
    uuid: ids.of('answer', t.id),
    title: `Answer to ${t.id}`,
    description: `${t.result ?? 'No result'}${t.comment ? `: ${t.comment}` : '.'}`,
    ...props(prop('task-id', t.id), prop('result', t.result), prop('review-decision', t.reviewDecision), prop('review-comment', t.reviewComment)),
    methods: ['INTERVIEW'],
    origins: [{ actors: [{ type: 'party', 'actor-uuid': ids.of('party', by), 'role-id': 'control-owner' }] }],
    collected: t.answeredAt ?? c.review?.review.openedAt ?? c.window.from,
    ...(t.evidence.length
      ? { 'relevant-evidence': t.evidence.map((e) => ({ ...evidenceLink(e.location), description: `${e.id}: ${e.title}`, ...props(prop('evidence-id', e.id), prop('origin', e.origin), prop('sha256', e.sha256)) })) }
      : {}),
  };
}

function assessmentResults(c: PackageContent, ids: Ids, companions: readonly PackageFile[]): Json {
  const r = c.review;
  const tasks = r?.tasks ?? [];
  const answered = tasks.filter((t) => t.result);
  const evidenceByControl = new Map<string, string[]>();
  for (const e of c.evidence) evidenceByControl.set(e.control, [...(evidenceByControl.get(e.control) ?? []), ids.inPeriod('evidence', e.id)]);
  const observations = [...answered.map((t) => answerObservation(c, ids, t)), ...c.evidence.map((e) => evidenceObservation(c, ids, e))];
  const findings = tasks.map((t) => {
    const related = [...(t.result ? [ids.of('answer', t.id)] : []), ...(evidenceByControl.get(t.control) ?? [])];
    return {
      uuid: ids.of('finding', t.id),
      title: `${t.control} ${t.controlTitle}`,
      description: t.result ? `${t.control} was answered ${t.result}${t.comment ? `: ${t.comment}` : '.'}` : `${t.control} has no answer${t.status === 'unanswered' ? ': the review closed without one' : ' yet'}.`,
      ...props(prop('task-id', t.id), prop('task-status', t.status), prop('result', t.result), prop('review-decision', t.reviewDecision), prop('carries', t.carries)),
      target: { type: 'objective-id', 'target-id': t.control, title: t.controlTitle, status: findingStatus(t) },
      ...(related.length ? { 'related-observations': related.map((uuid) => ({ 'observation-uuid': uuid })) } : {}),
    };
  });
  const summary = r
    ? `Review ${r.review.id}: ${r.review.status}, ${tasks.length} tasks (${Object.entries(r.review.summary.byResult)
        .map(([k, n]) => `${n} ${k}`)
        .join(', ')}).`
    : `No review of ${c.window.period} was opened; the evidence that counted in the period is listed.`;
  return {
    'assessment-results': {
      uuid: ids.inPeriod('assessment-results'),
      metadata: metadata(c, ids, `ISO/IEC 27001:2022 quarterly control review ${c.window.period}, results: ${c.org.name}`),
      'import-ap': { href: OSCAL_FILES.plan },
      results: [
        {
          uuid: ids.inPeriod('result'),
          title: `Quarterly control review ${c.window.period}`,
          description: summary,
          start: r?.review.openedAt ?? c.window.from,
          ...(r?.review.closedAt ? { end: r.review.closedAt } : {}),
          ...props(prop('review-status', r?.review.status ?? 'not-opened'), prop('as-of', c.asOf)),
          'reviewed-controls': reviewedControls(c),
          ...(observations.length ? { observations } : {}),
          ...(findings.length ? { findings } : {}),
        },
      ],
      'back-matter': backMatter(ids, companions),
    },
  };
}

const gapTitle = (g: Gap) => `${g.rule}: ${g.subject.kind} ${g.subject.id}`;

function poam(c: PackageContent, ids: Ids, companions: readonly PackageFile[]): Json | undefined {
  const gaps = c.gaps.gaps.filter((g) => g.status !== 'closed');
  const ncs = (c.review?.nonconformities ?? []).filter((n) => n.status === 'open');
  if (gaps.length === 0 && ncs.length === 0) return undefined;
  const risks = [
    ...ncs.map((n) => ({
      uuid: ids.of('risk', `nonconformity/${n.id}`),
      title: `Nonconformity ${n.id}`,
      description: `${n.control} was ${n.reason} in the review of ${n.openedIn}.`,
      statement: `Control ${n.control} is not shown effective; the nonconformity stays open until an effective answer in a later quarter's review closes it.`,
      ...props(prop('nonconformity-id', n.id), prop('control-id', n.control), prop('opened-in', n.openedIn), prop('reason', n.reason)),
      status: 'open',
    })),
    ...gaps.map((g) => ({
      uuid: ids.of('risk', `gap/${g.id}`),
      title: gapTitle(g),
      description: [
        `Gap ${g.id} (${g.severity}), open since ${g.openedAt}: it leaves ${g.requirements.map((q) => `${q.framework} ${q.id}`).join(', ') || 'no catalogued requirement'} unmet.`,
        `Facts: ${JSON.stringify(g.facts)}`,
        ...(g.acceptance ? [`Accepted by ${g.acceptance.approvedBy} until ${g.acceptance.until}: ${g.acceptance.reason}`] : []),
      ].join('\n\n'),
      statement: g.remedy,
      ...props(prop('gap-id', g.id), prop('rule', g.rule), prop('severity', g.severity), prop('owner', g.owner), prop('opened-at', g.openedAt), prop('reopened', g.reopened)),
      status: g.status === 'accepted' ? 'deviation-approved' : 'open',
      ...(g.acceptance ? { deadline: endOfDay(g.acceptance.until, c.window.timeZone) } : {}),
    })),
  ];
  const items = [
    ...ncs.map((n) => ({
      uuid: ids.of('poam-item', `nonconformity/${n.id}`),
      title: `Nonconformity ${n.id}: ${n.control}`,
      description: `Make ${n.control} effective and show it with evidence in the next review.`,
      ...props(prop('nonconformity-id', n.id), prop('control-id', n.control)),
      'related-risks': [{ 'risk-uuid': ids.of('risk', `nonconformity/${n.id}`) }],
    })),
    ...gaps.map((g) => ({
      uuid: ids.of('poam-item', `gap/${g.id}`),
      title: gapTitle(g),
      description: g.remedy,
      ...props(prop('gap-id', g.id), prop('severity', g.severity), prop('owner', g.owner), prop('status', g.status)),
      'related-risks': [{ 'risk-uuid': ids.of('risk', `gap/${g.id}`) }],
    })),
  ];
  return {
    'plan-of-action-and-milestones': {
      uuid: ids.inPeriod('plan-of-action-and-milestones'),
      metadata: metadata(c, ids, `Plan of action and milestones ${c.window.period}: ${c.org.name}`),
      'import-ssp': importSsp(ids),
      'system-id': { id: c.org.id },
      risks,
      'poam-items': items,
      'back-matter': backMatter(ids, companions),
    },
  };
}

/** The OSCAL documents only (for validating them), in the order they are written. */
export function oscalDocuments(c: PackageContent, companions: readonly PackageFile[] = oscalCompanions(c)): { path: string; document: Json }[] {
  const ids = idsFor(c);
  const plan = poam(c, ids, companions);
  return [
    { path: OSCAL_FILES.plan, document: assessmentPlan(c, ids, companions) },
    { path: OSCAL_FILES.results, document: assessmentResults(c, ids, companions) },
    ...(plan ? [{ path: OSCAL_FILES.poam, document: plan }] : []),
  ];
}

/** The parts OSCAL has no model for, written as JSON beside the documents. */
export const oscalCompanions = (c: PackageContent): PackageFile[] => [soaJson(c), gapsJson(c), datamapJson(c), auditJson(c)];

/** The package's files in the oscal format (the plan of action only when something is open). */
export function oscalParts(c: PackageContent): PackageFile[] {
  const companions = oscalCompanions(c);
  return [...oscalDocuments(c, companions).map((d) => jsonFile(d.path, d.document)), ...companions];
}
