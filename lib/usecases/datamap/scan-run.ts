// The data-mapping scan's three steps, as the workflow runs them: list the
// organisation's sources, scan each (one Lambda per source), then store the data
// map with its change since the previous scan.
import { DataMap, diffDataMaps, failedSource, type DataMapDiff, type ScannedSource, type SourceEntry } from '../../domain/datamap/datamap.ts';
import { InputError, NotFoundError } from '../../errors.ts';
import { redactName } from '../../domain/detect/redact.ts';
import { periodOfRun, type WorkflowName } from '../../workflows/declarations.ts';
import { sealAfterRun } from '../audit/trail.ts';
import { caughtErrorText } from '../caught-error.ts';
import type { Ports } from '../ports.ts';
import type { RunInput } from '../run-input.ts';
import type { ScanFailureInput, ScanSourceInput, ScannedSummary, StoreScanInput } from './events.ts';
import { scanProgress } from './progress.ts';
import { scanSource } from './scan-source.ts';
import { unseal } from '../../domain/detect/seal.ts';
import type { Source } from '../../domain/org/source.ts';

/** Runs of the scan are recorded under its workflow's name. */
export const SCAN_KIND: WorkflowName = 'data-mapping-scan';

export async function listScanSources(rt: Ports, input: RunInput): Promise<{ sourceIds: string[] }> {
  await rt.runs.begin({ orgId: input.orgId, kind: SCAN_KIND, name: input.runName, asOf: input.now, startedBy: input.startedBy }, rt.clock().toISOString());
  const sources = await rt.organisations.sources(input.orgId);
  scanProgress.listed(sources.length);
  return { sourceIds: sources.map((s) => s.id).sort() };
}

/** The source with its path and prefix as the file wrote them (they are held sealed). */
function unsealed(source: Source, key: string): Source {
  return { ...source, ...('path' in source ? { path: unseal(key, source.path) } : {}), ...('prefix' in source && source.prefix ? { prefix: unseal(key, source.prefix) } : {}) } as Source;
}

/** Scans one source and writes its entry of the map; hands on only how it went (the entry may be large). */
export async function scanOneSource(rt: Ports, input: ScanSourceInput): Promise<ScannedSummary> {
  const [source, organisation] = await Promise.all([rt.organisations.source(input.orgId, input.sourceId), rt.organisations.settings(input.orgId)]);
  if (!source) throw new NotFoundError(`source "${input.sourceId}" is not declared for organisation "${input.orgId}"`);
  const key = await rt.hashKey();
  const readable = unsealed(source, key);
  let entry: ScannedSource;
  try {
    entry = await scanSource(readable, key, rt.readers, organisation?.classification ?? {});
  } catch (error) {
    throw withoutPath(error, readable);
  }
  await rt.dataMaps.putSource(input.orgId, input.runName, entry);
  return { sourceId: entry.id, status: 'scanned', rating: entry.rating };
}

/** A reader's failure (the adapters' ReadError): the path it could not read and why, apart. */
const isReadFailure = (e: unknown): e is InputError & { path: string; reason: string } =>
  e instanceof InputError && typeof (e as { path?: unknown }).path === 'string' && typeof (e as { reason?: unknown }).reason === 'string';

/**
 * A source's failure as the run and the data map keep it: its path is held sealed (a
 * file may be named after a person, and redaction masks identifiers, not names), so the
 * failure names the source and why, not the path.
 */
function withoutPath(error: unknown, source: Source): unknown {
  const root = 'path' in source ? source.path : 'prefix' in source ? source.prefix : undefined;
  if (isReadFailure(error)) {
    const which = root !== undefined && error.path === redactName(root) ? 'its path' : 'a file under its path';
    return new InputError(`source "${source.id}": cannot read ${which}: ${error.reason}`);
  }
  if (root && error instanceof Error && error.message.includes(root)) {
    return Object.assign(new Error(error.message.replaceAll(root, `(the path of source "${source.id}")`)), { name: error.name });
  }
  return error;
}

export interface ScanSummary {
  scanId: string;
  sources: { id: string; status: string; rating?: string; reason?: string }[];
  diff: DataMapDiff;
  /** ISO country each scanned source is stored in, by source id: names where a flow in `diff` goes. */
  storedIn?: Record<string, string>;
}

/**
 * What is stored as the organisation's latest data map must be a scan of its sources:
 * the step is refused, before anything is written, for a run that is not a data-mapping
 * scan of the organisation that was started, or results that are not each declared
 * source once (a source declared or removed while the scan ran fails the run too; the
 * next scan covers it).
 */
async function checkStore(rt: Ports, input: StoreScanInput, declared: ReadonlyMap<string, Source>): Promise<void> {
  const problems: string[] = [];
  try {
    periodOfRun(SCAN_KIND, input.orgId, input.runName);
    if (!(await rt.runs.get({ orgId: input.orgId, kind: SCAN_KIND, name: input.runName }))) problems.push(`runName: run "${input.runName}" was never started`);
  } catch (error) {
    problems.push(`runName: ${(error as Error).message}`);
  }
  const seen = new Set<string>();
  input.results.forEach((r, i) => {
    if (!declared.has(r.sourceId)) problems.push(`results[${i}].sourceId: "${r.sourceId}" is not a source of ${input.orgId}`);
    else if (seen.has(r.sourceId)) problems.push(`results[${i}].sourceId: "${r.sourceId}" is given twice`);
    seen.add(r.sourceId);
  });
  const missing = [...declared.keys()].filter((id) => !seen.has(id));
  if (missing.length > 0) problems.push(`results: no result for ${missing.length === 1 ? 'the source' : 'the sources'} ${missing.join(', ')}`);
  if (problems.length > 0) throw new InputError(problems.join('\n'));
}

export async function storeScan(rt: Ports, input: StoreScanInput): Promise<ScanSummary> {
  const declared = new Map((await rt.organisations.sources(input.orgId)).map((s) => [s.id, s]));
  await checkStore(rt, input, declared);
  const scanned = new Map((await rt.dataMaps.sources(input.orgId, input.runName, input.results.filter((r) => !('failed' in r)).map((r) => r.sourceId))).map((e) => [e.id, e]));
  const sources: SourceEntry[] = input.results.map(
    (r) =>
      ('failed' in r ? undefined : scanned.get(r.sourceId)) ??
      failedSource(r.sourceId, declared.get(r.sourceId)?.platform ?? 'unknown', 'failed' in r ? caughtErrorText({ Error: r.error, Cause: r.cause }) : 'its entry was not written'),
  );
  for (const failed of sources.filter((s) => s.status === 'failed')) await rt.dataMaps.putSource(input.orgId, input.runName, failed);
  const dataMap = DataMap.parse({ orgId: input.orgId, scanId: input.runName, scannedAt: input.now, sources });
  const diff = diffDataMaps(await rt.dataMaps.previous(input.orgId, input.runName), dataMap);
  const at = rt.clock().toISOString();
  await rt.dataMaps.put(dataMap, diff, at);
  const summary: ScanSummary = {
    scanId: input.runName,
    sources: sources.map((s) => (s.status === 'scanned' ? { id: s.id, status: s.status, rating: s.rating } : { id: s.id, status: s.status, reason: s.reason })),
    diff,
    storedIn: Object.fromEntries(sources.flatMap((s) => (s.status === 'scanned' && s.storage.country ? [[s.id, s.storage.country]] : []))),
  };
  await rt.runs.finish({ orgId: input.orgId, kind: SCAN_KIND, name: input.runName }, { status: 'succeeded', summary: { sources: summary.sources } }, at);
  await sealAfterRun(rt, { orgId: input.orgId, name: input.runName });
  return summary;
}

/** Records the run as failed when a step failed for good (the workflow's RecordFailure). */
export async function recordScanFailure(rt: Ports, input: ScanFailureInput): Promise<void> {
  await rt.runs.finish(
    { orgId: input.orgId, kind: SCAN_KIND, name: input.runName },
    { status: 'failed', error: caughtErrorText(input.error) },
    rt.clock().toISOString(),
  );
  await sealAfterRun(rt, { orgId: input.orgId, name: input.runName });
}
