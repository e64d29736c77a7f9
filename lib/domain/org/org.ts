// The organisation as declared in its YAML file: one zod schema gives both the
// runtime check (with a path to every bad field) and the TypeScript types.
import { z } from 'zod';
import { addPeriod, isoDate } from '../dates.ts';
import { resolveControlId } from '../catalogues/control-id.ts';
import { SourceDeclaration, type Source } from './source.ts';
import { Platform } from './platform.ts';
import { DeclaredGroup, type HeldGroup } from './declared-group.ts';
import { Acceptance } from '../gaps/acceptance.ts';
import { RiskPolicy, Role } from '../gaps/risk.ts';
import { requirement } from '../catalogues/catalogues.ts';
import { ReviewEvery, ReviewPolicy } from '../review/review.ts';
import { EvidenceOrigin } from '../evidence/origin.ts';
import { ClassifyThresholds } from '../datamap/classify.ts';
import { IMPLEMENTATION_STATUSES } from '../vocabulary.ts';
import { MonitoringPolicy } from '../monitoring/policy.ts';
import { NAME_MAX, ORG_FILE_LIMITS, TITLE_MAX, URI_MAX, text } from './limits.ts';
import { credentialsIn, notOneLine, oneLineText, refusing } from '../evidence/input-rules.ts';

const id = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be 1-64 letters, digits, ".", "_" or "-"');

export const Language = z.enum(['en', 'zh-Hant']);
export type Language = z.infer<typeof Language>;

export const Person = z.strictObject({
  id,
  name: text(NAME_MAX),
  email: z.email().max(254, 'must be at most 254 characters'),
  language: Language.default('en'),
  manager: id.optional(),
  /** For the risk model: management, hr, finance, it, legal, sales, operations, frontline or other. */
  role: Role.optional(),
  /** Their last day: behaviour monitoring watches them more closely in their notice period before it. */
  leavingOn: isoDate.optional(),
});
export type Person = z.infer<typeof Person>;

/**
 * An ISO/IEC 27001 Annex A control id, read as its 2022 control: "A.5.15", "5.15" and
 * "a 5.15" are 2022 controls; a 2013 id ("A.12.4.1") becomes its 2022 control where
 * that is one-to-one. YAML reads an unquoted 5.10 as the number 5.1, so it must be text.
 */
const controlId = z
  .string({ error: 'must be text such as "A.5.15" (write the "A." or quote the number)' })
  .transform((value, ctx) => {
    const resolved = resolveControlId(value);
    if (resolved.ok) return resolved.id;
    ctx.addIssue({ code: 'custom', message: resolved.reason });
    return z.NEVER;
  });

/**
 * A control of the Statement of Applicability. Applicable (the default) or not, with
 * why either way; an applicable control has an owner, who answers its review task.
 */
export const Control = z
  .strictObject({
    id: controlId,
    /** Default: the catalogue's title. */
    title: text(TITLE_MAX).optional(),
    applicable: z.boolean().default(true),
    justification: text(TITLE_MAX * 3).optional(),
    /** Whether the applicable control is in place (the SoA's 6.1.3 d) column); none: not stated. */
    implementation: z.enum(IMPLEMENTATION_STATUSES, { error: `must be ${IMPLEMENTATION_STATUSES.slice(0, -1).join(', ')} or ${IMPLEMENTATION_STATUSES.at(-1)}` }).optional(),
    owner: id.optional(),
    /** Who accepts or returns the owner's answers; default the compliance contact. */
    reviewer: id.optional(),
    reviewEvery: ReviewEvery.default('quarter'),
    reviewIn: z.enum(['Q1', 'Q2', 'Q3', 'Q4']).optional(),
  })
  .superRefine((c, ctx) => {
    if (!c.applicable && !c.justification) ctx.addIssue({ code: 'custom', path: ['justification'], message: 'is required for a control that does not apply: say why' });
    if (c.applicable && !c.owner) ctx.addIssue({ code: 'custom', path: ['owner'], message: 'is required for an applicable control: who answers its review' });
    if (!c.applicable && c.implementation) ctx.addIssue({ code: 'custom', path: ['implementation'], message: 'is for an applicable control: one that does not apply is not implemented, leave it out' });
  })
  .transform((c) => ({ ...c, title: c.title ?? requirement({ framework: 'iso27001', id: c.id })?.title ?? c.id }));
export type Control = z.infer<typeof Control>;

export const EvidenceKind = z.enum([
  'access-review', 'assessment', 'certificate', 'contract', 'log-review', 'policy',
  'report', 'restore-test', 'risk-assessment', 'training', 'test', 'other',
]);

/** ISO-8601 duration in whole years, months, weeks or days, e.g. P1Y, P6M, P90D; at least a day, at most 100 years in all. */
const PERIOD_SHAPE = /^P(?=\d)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?$/;
const period = z
  .string()
  .regex(PERIOD_SHAPE, 'must be an ISO-8601 period such as P1Y, P6M or P90D')
  // P0D would end the day before it starts: evidence lapsed the day it is collected.
  .refine((p) => !PERIOD_SHAPE.test(p) || periodDays(p) > 0, 'must be at least one day (P0D ends the day before it starts)')
  .refine((p) => periodDays(p) <= ORG_FILE_LIMITS.periodYears * 366, `must be at most ${ORG_FILE_LIMITS.periodYears} years`);

/** For other files that name people and periods (the answers file). */
export const PersonId = id;
export const Period = period;

/** Roughly how many days a period spans (enough to bound it). */
function periodDays(p: string): number {
  const [, y = '0', m = '0', w = '0', d = '0'] = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$/.exec(p) ?? [];
  return Number(y) * 366 + Number(m) * 31 + Number(w) * 7 + Number(d);
}

const sha256 = z.string().regex(/^[0-9a-f]{64}$/i, 'must be 64 hexadecimal characters').transform((s) => s.toLowerCase());

/** Where evidence may be kept: schemes that name a document, never one a viewer would run (`javascript:`, `data:`). */
export const EVIDENCE_SCHEMES = ['https', 'http', 's3', 'gs', 'file', 'smb'] as const;

/** Whether a location's scheme is one of EVIDENCE_SCHEMES (what may be given as a link). */
export const hasEvidenceScheme = (location: string): boolean => (EVIDENCE_SCHEMES as readonly string[]).includes(location.slice(0, Math.max(0, location.indexOf(':'))).toLowerCase());

/**
 * An evidence item's location: a URI of one of EVIDENCE_SCHEMES, kept as given (it must
 * still open), on one line and without credentials. The line is checked first: URL
 * parsing would drop a line break and hand back another string than the one given.
 */
const NOT_A_URI = 'must be a URI such as https://..., s3://... or file:///...';
export const EvidenceLocation = z
  .string({ error: NOT_A_URI })
  .superRefine(refusing(notOneLine))
  .pipe(
    z
      .url({ error: NOT_A_URI })
      .max(URI_MAX, `must be at most ${URI_MAX} characters`)
      .refine(hasEvidenceScheme, {
        error: `must be a URI of one of the schemes ${EVIDENCE_SCHEMES.join(', ')} (where a document is kept, not a script)`,
      })
      .superRefine(refusing(credentialsIn)),
  );

const EvidenceInput = z.strictObject({
  id,
  control: controlId,
  title: oneLineText(TITLE_MAX),
  kind: EvidenceKind,
  location: EvidenceLocation,
  sha256: sha256.optional(),
  collected: isoDate,
  validUntil: isoDate.optional(),
  validFor: period.optional(),
  owner: id.optional(),
  retired: z.boolean().default(false),
  /** The day it stopped counting (a past quarter's figures count it until then); with `retired: true` only. */
  retiredOn: isoDate.optional(),
});

export const Evidence = EvidenceInput.transform((e, ctx) => {
  if (e.validUntil && e.validFor) {
    ctx.addIssue({ code: 'custom', path: ['validFor'], message: 'give validUntil or validFor, not both' });
    return z.NEVER;
  }
  const validUntil = e.validUntil ?? (e.validFor ? addPeriod(e.collected, e.validFor) : undefined);
  if (validUntil && (!/^\d{4}-/.test(validUntil) || validUntil > ORG_FILE_LIMITS.lastDate)) {
    ctx.addIssue({ code: 'custom', path: [e.validFor ? 'validFor' : 'validUntil'], message: `runs past ${ORG_FILE_LIMITS.lastDate}` });
    return z.NEVER;
  }
  if (validUntil && validUntil < e.collected) {
    ctx.addIssue({ code: 'custom', path: ['validUntil'], message: `ends (${validUntil}) before it was collected (${e.collected})` });
    return z.NEVER;
  }
  if (e.retiredOn !== undefined && !e.retired) {
    ctx.addIssue({ code: 'custom', path: ['retiredOn'], message: 'is given only with retired: true' });
    return z.NEVER;
  }
  if (e.retiredOn !== undefined && e.retiredOn < e.collected) {
    ctx.addIssue({ code: 'custom', path: ['retiredOn'], message: `${e.retiredOn} is before it was collected (${e.collected})` });
    return z.NEVER;
  }
  const { validFor: _validFor, ...rest } = e;
  return { ...rest, validUntil };
});
export type Evidence = z.infer<typeof Evidence>;

/** Evidence as held: the owner resolved, plus the notices already recorded for its current validity cycle. */
export const EvidenceRecord = z.object({
  id: z.string(),
  control: z.string(),
  title: z.string(),
  kind: EvidenceKind,
  location: z.string(),
  sha256: z.string().optional(),
  collected: isoDate,
  validUntil: isoDate.optional(),
  owner: z.string(),
  retired: z.boolean(),
  /**
   * The day it was retired, from which it no longer counts. Items retired before this
   * was recorded have none: they count on no day (as they always did).
   */
  retiredOn: isoDate.optional(),
  /** How it was registered (lib/domain/evidence/origin.ts); items written before origins existed came from the file. */
  origin: EvidenceOrigin.default('file'),
  /** The evidence this item renews (a review answer's); that item then names this one in `renewedBy`. */
  renews: z.string().optional(),
  /** Set when a later item renewed this one: it no longer counts, and no notice is due for it. */
  renewedBy: z.string().optional(),
  /** Stages already recorded for the cycle ending `noticeCycle`. */
  noticed: z.array(z.string()).optional(),
  noticeCycle: isoDate.optional(),
  /** The day the latest owner notice of that cycle was recorded for: the next reminder counts from it. */
  ownerNoticedOn: isoDate.optional(),
});
export type EvidenceRecord = z.infer<typeof EvidenceRecord>;

export const SweepPolicy = z.strictObject({
  dueSoonDays: z.int().min(0).max(365).default(14),
  escalateAfterDays: z.int().min(1).max(365).default(7),
  reminderEveryDays: z.int().min(1).max(365).default(7),
});
export type SweepPolicy = z.infer<typeof SweepPolicy>;

/** Organisation ids go into execution names (80 characters at most), so they are short and plain. */
export const OrgId = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/, 'must be 1-40 lowercase letters, digits or "-", not starting or ending with "-"');

/** An IANA time zone: what dates people read are written in, and when schedules in their terms fall. */
export const TimeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'must be an IANA time zone such as Asia/Hong_Kong or Europe/London');

export const Organisation = z.strictObject({
  id: OrgId,
  name: text(NAME_MAX),
  timeZone: TimeZone.default('Asia/Hong_Kong'),
  /** Where escalations go when an owner has no manager. */
  complianceContact: id,
  sweep: SweepPolicy.default({ dueSoonDays: 14, escalateAfterDays: 7, reminderEveryDays: 7 }),
  /** When a source counts as red or amber: findings per type needed (default 1). */
  classification: ClassifyThresholds.optional(),
  /** The three-factor risk model's scales and thresholds (lib/domain/gaps/risk.ts). */
  risk: RiskPolicy.optional(),
  /** Quarterly reviews: tasks due `dueDays` after the review opens, owners reminded `remindBeforeDays` before. */
  review: ReviewPolicy.default({ dueDays: 30, remindBeforeDays: 7 }),
  /** Who hears of every behaviour-monitoring alert, beside the group's owner; default the compliance contact. */
  securityContact: id.optional(),
  /** The organisation's mail domains; default the domains of its people's addresses. */
  domains: z.array(z.string().regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/, 'must be a domain in lower case, such as harbourledger.example')).max(100).optional(),
  /** Days platform audit-log events are kept (the table's TTL expires them after). */
  logRetentionDays: z.int().min(1).max(3650).default(365),
  /** Behaviour monitoring: thresholds per tier, window, baseline, working hours, holidays (lib/domain/monitoring/policy.ts). */
  monitoring: MonitoringPolicy.optional(),
});
export type Organisation = z.infer<typeof Organisation>;

/** The whole file; cross-references are checked after each part is valid on its own. */
export const OrgFile = z
  .strictObject({
    organisation: Organisation,
    people: z.array(Person).min(1).max(ORG_FILE_LIMITS.people, `at most ${ORG_FILE_LIMITS.people} people`),
    controls: z.array(Control).max(ORG_FILE_LIMITS.controls, `at most ${ORG_FILE_LIMITS.controls} controls`).default([]),
    evidence: z.array(Evidence).max(ORG_FILE_LIMITS.evidence, `at most ${ORG_FILE_LIMITS.evidence} evidence items`).default([]),
    /** Data sources for the data-mapping scan. */
    sources: z.array(SourceDeclaration).max(ORG_FILE_LIMITS.sources, `at most ${ORG_FILE_LIMITS.sources} sources`).default([]),
    /** The technology evaluation matrix: when given, every source's platform names one. */
    platforms: z.array(Platform).max(ORG_FILE_LIMITS.platforms, `at most ${ORG_FILE_LIMITS.platforms} platforms`).default([]),
    groups: z.array(DeclaredGroup).max(ORG_FILE_LIMITS.groups, `at most ${ORG_FILE_LIMITS.groups} groups`).default([]),
    acceptances: z.array(Acceptance).max(ORG_FILE_LIMITS.acceptances, `at most ${ORG_FILE_LIMITS.acceptances} acceptances`).default([]),
  })
  .superRefine((file, ctx) => {
    const people = new Set<string>();
    file.people.forEach((p, i) => {
      if (people.has(p.id)) ctx.addIssue({ code: 'custom', path: ['people', i, 'id'], message: `duplicate person id "${p.id}"` });
      people.add(p.id);
    });
    // One address, one person: mail to one would reach the other, and monitoring tells
    // people apart by the keyed hash of their address (in lower case, as here).
    const emails = new Map<string, string>();
    file.people.forEach((p, i) => {
      const address = p.email.trim().toLowerCase();
      const first = emails.get(address);
      if (first !== undefined) ctx.addIssue({ code: 'custom', path: ['people', i, 'email'], message: `already used by ${first}` });
      else emails.set(address, p.id);
    });
    const personRef = (value: string | undefined, path: (string | number)[]) => {
      if (value !== undefined && !people.has(value)) ctx.addIssue({ code: 'custom', path, message: `unknown person "${value}"` });
    };
    personRef(file.organisation.complianceContact, ['organisation', 'complianceContact']);
    personRef(file.organisation.securityContact, ['organisation', 'securityContact']);
    file.people.forEach((p, i) => {
      personRef(p.manager, ['people', i, 'manager']);
      if (p.manager === p.id) ctx.addIssue({ code: 'custom', path: ['people', i, 'manager'], message: 'a person cannot be their own manager' });
    });
    for (const { index, chain } of managerLoops(file.people)) {
      ctx.addIssue({ code: 'custom', path: ['people', index, 'manager'], message: `managers go round in a loop (${chain.join(' -> ')}): escalations would never reach anyone outside it` });
    }
    const controls = new Set<string>();
    const declaredNotApplicable = new Set<string>();
    file.controls.forEach((c, i) => {
      if (controls.has(c.id) || declaredNotApplicable.has(c.id)) ctx.addIssue({ code: 'custom', path: ['controls', i, 'id'], message: `duplicate control "${c.id}"` });
      if (c.applicable) controls.add(c.id);
      else declaredNotApplicable.add(c.id);
      personRef(c.owner, ['controls', i, 'owner']);
      personRef(c.reviewer, ['controls', i, 'reviewer']);
    });
    const platforms = new Set<string>();
    file.platforms.forEach((p, i) => {
      if (platforms.has(p.id)) ctx.addIssue({ code: 'custom', path: ['platforms', i, 'id'], message: `duplicate platform id "${p.id}"` });
      platforms.add(p.id);
      personRef(p.owner, ['platforms', i, 'owner']);
    });
    const sources = new Set<string>();
    file.sources.forEach((s, i) => {
      if (sources.has(s.id)) ctx.addIssue({ code: 'custom', path: ['sources', i, 'id'], message: `duplicate source id "${s.id}"` });
      sources.add(s.id);
      personRef(s.owner, ['sources', i, 'owner']);
      if (platforms.size > 0 && !platforms.has(s.platform)) {
        ctx.addIssue({ code: 'custom', path: ['sources', i, 'platform'], message: `unknown platform "${s.platform}" (declared: ${[...platforms].join(', ')})` });
      } else if (!s.storage && !platforms.has(s.platform)) {
        ctx.addIssue({ code: 'custom', path: ['sources', i, 'storage'], message: 'is required (or declare the platform with its storage under platforms)' });
      }
    });
    const groups = new Set<string>();
    file.groups.forEach((g, i) => {
      if (!sources.has(g.source)) ctx.addIssue({ code: 'custom', path: ['groups', i, 'source'], message: `unknown source "${g.source}"` });
      const key = `${g.source}\u0000${g.name}`;
      if (groups.has(key)) ctx.addIssue({ code: 'custom', path: ['groups', i, 'name'], message: `group declared twice for source "${g.source}"` });
      groups.add(key);
      personRef(g.owner, ['groups', i, 'owner']);
      g.members.forEach((m, j) => personRef(m, ['groups', i, 'members', j]));
    });
    file.acceptances.forEach((a, i) => personRef(a.approvedBy, ['acceptances', i, 'approvedBy']));
    const evidence = new Set<string>();
    file.evidence.forEach((e, i) => {
      if (evidence.has(e.id)) ctx.addIssue({ code: 'custom', path: ['evidence', i, 'id'], message: `duplicate evidence id "${e.id}"` });
      evidence.add(e.id);
      if (!controls.has(e.control)) {
        const why = declaredNotApplicable.has(e.control) ? 'is declared not applicable' : 'is not in scope (not listed under controls)';
        ctx.addIssue({ code: 'custom', path: ['evidence', i, 'control'], message: `control "${e.control}" ${why}` });
      }
      personRef(e.owner, ['evidence', i, 'owner']);
    });
  })
  .transform((file) => {
    // A source's storage defaults to its platform's.
    const platforms = new Map(file.platforms.map((p) => [p.id, p]));
    const sources = file.sources.map((s) => ({ ...s, storage: s.storage ?? platforms.get(s.platform)?.storage }) as Source);
    return { ...file, sources };
  });
export type OrgFile = z.infer<typeof OrgFile>;

/**
 * Every loop of two or more people in the manager chains, once each, reported at
 * the person of the loop who comes first in the file. Linear: each person is
 * walked once.
 */
function managerLoops(people: readonly Person[]): { index: number; chain: string[] }[] {
  const index = new Map(people.map((p, i) => [p.id, i]));
  const state = new Map<string, 'walking' | 'done'>();
  const loops: { index: number; chain: string[] }[] = [];
  for (const start of people) {
    const path: string[] = [];
    let id: string | undefined = start.id;
    while (id !== undefined && index.has(id) && !state.has(id)) {
      state.set(id, 'walking');
      path.push(id);
      id = people[index.get(id)!]!.manager;
    }
    if (id !== undefined && state.get(id) === 'walking') {
      const loop = path.slice(path.indexOf(id));
      if (loop.length > 1) {
        const first = Math.min(...loop.map((m) => index.get(m)!));
        const from = loop.indexOf(people[first]!.id);
        const chain = [...loop.slice(from), ...loop.slice(0, from)];
        loops.push({ index: first, chain: [...chain, chain[0]!] });
      }
    }
    for (const p of path) state.set(p, 'done');
  }
  return loops;
}

/** Evidence owner: the item's own owner, else its control's owner. */
export function evidenceOwner(e: Evidence, controls: ReadonlyMap<string, Control>): string {
  const owner = e.owner ?? controls.get(e.control)?.owner;
  if (!owner) throw new Error(`evidence ${e.id}: no owner and control ${e.control} unknown`);
  return owner;
}

/** An organisation with what it declares, as the workflows read it. */
export interface LoadedOrganisation {
  organisation: Organisation;
  people: Map<string, Person>;
  controls: Map<string, Control>;
  platforms: Platform[];
  groups: HeldGroup[];
  acceptances: Acceptance[];
}

/** The file as it is imported: declared groups held by the keyed hash of their names, the names redacted. */
export type HeldOrgFile = Omit<OrgFile, 'groups'> & { groups: HeldGroup[] };

/** What an import did to one kind of item. */
export interface ImportCounts {
  added: number;
  changed: number;
  removed: number;
  unchanged: number;
}

export interface ImportSummary {
  orgId: string;
  people: ImportCounts;
  controls: ImportCounts;
  sources: ImportCounts;
  platforms: ImportCounts;
  groups: ImportCounts;
  acceptances: ImportCounts;
  evidence: ImportCounts & { renewed: number };
  /** An earlier import that died mid-way and was undone before this one. */
  undone?: { startedAt: string; items: number };
}
