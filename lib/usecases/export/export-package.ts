// The audit package of one organisation and period (`compliance export`, and the
// HTTP route GET /v1/exports/{period}): the audit trail sealed first, then the
// Statement of Applicability as it stood at the period's end, the quarter's review
// with every answer, the evidence that counted in the period, the gaps open in it,
// the data map and the audit entries of the period, written as JSON, CSV or OSCAL,
// with a signed manifest.
import { localDate } from '../../domain/review/quarter.ts';
import { jsonParts } from '../../domain/export/json.ts';
import { csvParts } from '../../domain/export/csv.ts';
import { oscalParts } from '../../domain/export/oscal.ts';
import { sha256Hex } from '../../domain/audit/chain.ts';
import { manifestFile, signingInput, unsignedManifest, verifySignature, type Manifest } from '../../domain/export/manifest.ts';
import {
  asOfDay,
  auditOfPeriod,
  evidenceOfPeriod,
  EXPORT_FORMATS,
  gapsOfPeriod,
  summariseDataMap,
  tasksAsOf,
  type DataMapSummary,
  type ExportFormat,
  type PackageContent,
  type PackageFile,
  type ReviewPart,
} from '../../domain/export/package.ts';
import { parsePeriod, periodWindow, type PeriodWindow } from '../../domain/export/period.ts';
import type { Quarter } from '../../domain/review/quarter.ts';
import type { Task } from '../../domain/review/review.ts';
import { evidenceStatusByControl, reviewResults, statementOfApplicability, type SoaRow } from '../../domain/review/soa.ts';
import type { EvidenceRecord, LoadedOrganisation } from '../../domain/org/org.ts';
import { InputError, NotFoundError } from '../../errors.ts';
import type { AuditRecord, Ports } from '../ports.ts';
import { readAuditRange, sealAudit } from '../audit/trail.ts';
import { reviewView } from '../review/show.ts';
import type { ManifestSigner } from './signer.ts';

export interface ExportRequest {
  orgId: string;
  /** A quarter, `2026-Q4`; checked here. */
  period: string;
  /** json, csv or oscal; checked here. */
  format: string;
  signer: ManifestSigner;
  now: Date;
  /** Who asks: the seal's and the audit entry's actor (default `export`). */
  actor?: string;
}

export interface ExportedPackage {
  /** Every file of the package, manifest.json last. */
  files: PackageFile[];
  manifest: Manifest;
}

export function parseFormat(value: unknown, field = 'format'): ExportFormat {
  if (typeof value === 'string' && (EXPORT_FORMATS as readonly string[]).includes(value)) return value as ExportFormat;
  throw new InputError(`${field}: ${JSON.stringify(value)} must be one of ${EXPORT_FORMATS.join(', ')}`);
}

async function reviewOf(ports: Ports, orgId: string, period: Quarter, asOf: Date): Promise<ReviewPart | undefined> {
  const review = await ports.reviews.get(orgId, period);
  if (!review) return undefined;
  const [org, tasks, ncs] = await Promise.all([ports.organisations.settings(orgId), ports.reviews.tasks(orgId, period), ports.reviews.nonconformities(orgId)]);
  const view = reviewView(period, review, tasks, ncs, org?.timeZone, asOf);
  const byId = new Map(tasks.map((t) => [t.id, t]));
  return {
    review: { ...view.review, openedBy: review.openedBy },
    tasks: view.tasks.map((v) => {
      const t = byId.get(v.id);
      return {
        ...v,
        ...(t?.answeredBy ? { answeredBy: t.answeredBy } : {}),
        ...(t?.answeredAt ? { answeredAt: t.answeredAt } : {}),
        ...(t?.reviewComment !== undefined ? { reviewComment: t.reviewComment } : {}),
        ...(t?.reviewedAt ? { reviewedAt: t.reviewedAt } : {}),
        ...(t?.closedAt ? { closedAt: t.closedAt } : {}),
      };
    }),
    nonconformities: view.nonconformities,
  };
}

/** The latest data map scanned before the period ended. */
async function dataMapOf(ports: Ports, orgId: string, window: PeriodWindow): Promise<DataMapSummary | undefined> {
  const latest = await ports.dataMaps.latest(orgId);
  if (!latest) return undefined;
  const before = (at: string) => Date.parse(at) < Date.parse(window.to);
  const map = before(latest.scannedAt) ? await ports.dataMaps.previous(orgId) : (await ports.dataMaps.history(orgId)).map((h) => h.dataMap).filter((m) => before(m.scannedAt)).at(-1);
  return map ? summariseDataMap(map) : undefined;
}

/** The tasks of the last four reviews up to the period's (those soaOf reads today). */
async function tasksUpTo(ports: Ports, orgId: string, period: Quarter): Promise<{ tasks: Task[]; since: Quarter }> {
  const quarters = (await ports.reviews.list(orgId)).map((r) => r.id).filter((q) => q <= period).sort().reverse().slice(0, 4);
  const tasks = (await Promise.all(quarters.map((q) => ports.reviews.tasks(orgId, q)))).flat();
  return { tasks, since: quarters[quarters.length - 1] ?? period };
}

/**
 * The Statement of Applicability as it stood at the period's end, as `compliance soa`
 * computes it then (soaOf): the tasks of the last four reviews up to the period's, each as it
 * stood before the end (tasksAsOf), the evidence as on the `asOf` day. So a period
 * downloaded later says the same, not what later quarters' answers say.
 */
function soaAtEnd(org: LoadedOrganisation, window: PeriodWindow, asOf: string, evidence: readonly EvidenceRecord[], tasks: readonly Task[], history: readonly AuditRecord[]): SoaRow[] {
  return statementOfApplicability([...org.controls.values()], reviewResults(tasksAsOf(tasks, window.to, history)), evidenceStatusByControl(evidence, asOf, org.organisation.sweep));
}

/**
 * Whether anything of the organisation was recorded by the period's end: evidence
 * collected by its last day, else an audit entry before its end (every import, run,
 * review, gap and data map writes one). Read only when no evidence is that old.
 */
async function recordedBy(ports: Ports, orgId: string, window: PeriodWindow, evidence: readonly EvidenceRecord[]): Promise<boolean> {
  if (evidence.some((e) => e.collected <= window.lastDay)) return true;
  return (await readAuditRange(ports, orgId, '1970-01-01T00:00:00.000Z', window.to)).some((e) => Date.parse(e.at) < Date.parse(window.to));
}

/** Everything the package holds, read for the period (the trail sealed first). */
export async function packageContent(ports: Ports, request: Omit<ExportRequest, 'format' | 'signer'>): Promise<PackageContent> {
  const period = parsePeriod(request.period);
  const { orgId, now } = request;
  const org = await ports.organisations.load(orgId);
  if (!org) throw new NotFoundError(`organisation "${orgId}" has not been imported`);
  const tz = org.organisation.timeZone;
  const window = periodWindow(period, tz);
  const today = localDate(now, tz);
  if (today < window.firstDay) throw new InputError(`period: ${period} has not begun (it begins ${window.firstDay} in ${tz})`);
  const asOf = asOfDay(window, today);
  // The statuses of a period that has ended are those of its last moment.
  const asOfMoment = asOf === today ? now : new Date(Date.parse(window.to) - 1);

  const evidence = await ports.organisations.evidence(orgId);
  // A signed package of a quarter the product never saw would attest a Statement of Applicability no one held then.
  if (!(await recordedBy(ports, orgId, window, evidence))) {
    throw new InputError(`period: ${period} ended ${window.lastDay} (in ${tz}), before anything was recorded for ${orgId} (no evidence collected by then, no audit entry): there is no Statement of Applicability, review or evidence of it to package`);
  }

  // Sealed first, so the manifest's head covers every entry the package holds (but those written while it is made).
  const sealed = await sealAudit(ports, orgId, request.actor ?? 'export');
  const [entries, { tasks, since }, review, gaps, analysis, dataMap] = await Promise.all([
    readAuditRange(ports, orgId, window.from, window.to),
    tasksUpTo(ports, orgId, period),
    reviewOf(ports, orgId, period, asOfMoment),
    ports.gaps.all(orgId),
    ports.gaps.latestAnalysis(orgId),
    dataMapOf(ports, orgId, window),
  ]);
  const audit = auditOfPeriod(entries, window);
  // An earlier review's task may have been answered after this period (a review left open):
  // what it stood at then is in the trail since that review's quarter began.
  const history = since < period ? await readAuditRange(ports, orgId, periodWindow(since, tz).from, window.to) : entries;
  const soa = soaAtEnd(org, window, asOf, evidence, tasks, auditOfPeriod(history, { ...window, from: periodWindow(since, tz).from }));
  const analysisBefore = analysis && Date.parse(analysis.asOf) < Date.parse(window.to) ? analysis : undefined;
  return {
    org: { id: orgId, name: org.organisation.name, timeZone: tz },
    window,
    generatedAt: now.toISOString(),
    asOf,
    people: [...org.people.values()].map((p) => ({ id: p.id, name: p.name })),
    soa,
    review,
    evidence: evidenceOfPeriod(evidence, window, asOf, org.organisation.sweep),
    gaps: {
      ...(analysisBefore ? { analysis: { id: analysisBefore.id, asOf: analysisBefore.asOf, dataMap: analysisBefore.dataMap, counts: analysisBefore.counts, scores: analysisBefore.scores } } : {}),
      gaps: gapsOfPeriod(gaps, window),
    },
    dataMap,
    audit: audit.map(({ sk, hash, ...entry }) => ({ ...entry, key: sk, hash })),
    auditHead: { seq: sealed.seq, hash: sealed.hash },
  };
}

const PARTS: Record<ExportFormat, (c: PackageContent) => PackageFile[]> = { json: jsonParts, csv: csvParts, oscal: oscalParts };

/** Signs the files' manifest, and checks the signature with the signer's own public key before handing it out. */
export async function signPackage(files: readonly PackageFile[], content: PackageContent, format: ExportFormat, signer: ManifestSigner): Promise<ExportedPackage> {
  const unsigned = unsignedManifest(
    { format, period: content.window.period, orgId: content.org.id, generatedAt: content.generatedAt, window: { from: content.window.from, to: content.window.to, timeZone: content.window.timeZone }, audit: content.auditHead },
    files,
  );
  const input = signingInput(unsigned);
  const signature = { algorithm: signer.algorithm, keyId: signer.keyId, publicKeyPem: signer.publicKeyPem, value: (await signer.sign(input)).toString('base64') };
  if (!verifySignature(signature, input)) throw new Error(`the manifest signer (${signer.algorithm}, key ${signer.keyId}) made a signature its own public key does not verify`);
  const manifest: Manifest = { ...unsigned, signature };
  return { files: [...files, manifestFile(manifest)], manifest };
}

/**
 * The package built and signed, nothing recorded of it yet (the trail is sealed, as every
 * export seals it): what a download hands over (downloadPackage) before recordExport
 * says it was made.
 */
export async function buildPackage(ports: Ports, request: ExportRequest): Promise<ExportedPackage> {
  const format = parseFormat(request.format);
  const content = await packageContent(ports, request);
  return signPackage(PARTS[format](content), content, format, request.signer);
}

/** The export.made audit entry for a package built by buildPackage: its format, file count and manifest's SHA-256. */
export async function recordExport(ports: Ports, request: Pick<ExportRequest, 'orgId' | 'actor'>, exported: ExportedPackage): Promise<void> {
  const { manifest } = exported;
  const manifestFile = exported.files.at(-1) as PackageFile;
  await ports.audit.append({
    orgId: request.orgId,
    at: ports.clock().toISOString(),
    event: 'export.made',
    subject: `EXPORT#${manifest.period}#${manifest.format}`,
    actor: request.actor ?? 'export',
    detail: { format: manifest.format, files: exported.files.length, manifestSha256: sha256Hex(manifestFile.content) },
  });
}

/** The package built, signed and recorded as made (export.made), as `compliance export` writes it. */
export async function exportPackage(ports: Ports, request: ExportRequest): Promise<ExportedPackage> {
  const exported = await buildPackage(ports, request);
  await recordExport(ports, request, exported);
  return exported;
}
