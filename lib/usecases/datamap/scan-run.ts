// The data-mapping scan's three steps, as the workflow runs them: list the
// organisation's sources, scan each (one Lambda per source), then store the data
// map with its change since the previous scan.
import { caughtErrorText } from '../../lambda/handler.ts';
import type { Runtime } from '../../runtime.ts';
import { appendAudit } from '../../adapters/dynamodb/audit.ts';
import { putDataMap, previousDataMap } from '../../adapters/dynamodb/datamap-store.ts';
import { keys } from '../../adapters/dynamodb/keys.ts';
import { getOrganisation, getSource, listSources } from '../../adapters/dynamodb/org-store.ts';
import { beginRun, finishRun } from '../../adapters/dynamodb/run-store.ts';
import { DataMap, diffDataMaps, failedSource, type DataMapDiff, type ScannedSource, type SourceEntry } from '../../domain/datamap/datamap.ts';
import { scanSource } from './scan-source.ts';

export const SCAN_KIND = 'data-mapping-scan';

export interface ScanRunInput {
  orgId: string;
  runName: string;
  now: string;
}

export async function listScanSources(rt: Runtime, input: ScanRunInput): Promise<{ sourceIds: string[] }> {
  await beginRun(rt.store, { orgId: input.orgId, kind: SCAN_KIND, name: input.runName, asOf: input.now }, rt.clock().toISOString());
  const sources = await listSources(rt.store, input.orgId);
  return { sourceIds: sources.map((s) => s.id).sort() };
}

export async function scanOneSource(rt: Runtime, input: ScanRunInput & { sourceId: string }): Promise<ScannedSource> {
  const [source, organisation] = await Promise.all([getSource(rt.store, input.orgId, input.sourceId), getOrganisation(rt.store, input.orgId)]);
  if (!source) throw new Error(`source "${input.sourceId}" is not declared for organisation "${input.orgId}"`);
  return scanSource(source, await rt.hashKey(), {}, organisation?.classification ?? {});
}

/** A source whose step failed for good, as the workflow's Catch records it. */
export interface FailedScan {
  sourceId: string;
  failed: true;
  error: string;
  cause?: string;
}

export interface ScanSummary {
  scanId: string;
  sources: { id: string; status: string; rating?: string; reason?: string }[];
  diff: DataMapDiff;
}

export async function storeScan(rt: Runtime, input: ScanRunInput & { results: (ScannedSource | FailedScan)[] }): Promise<ScanSummary> {
  const declared = new Map((await listSources(rt.store, input.orgId)).map((s) => [s.id, s]));
  const sources: SourceEntry[] = input.results.map((r) =>
    'failed' in r ? failedSource(r.sourceId, declared.get(r.sourceId)?.platform ?? 'unknown', caughtErrorText({ Error: r.error, Cause: r.cause })) : r,
  );
  const dataMap = DataMap.parse({ orgId: input.orgId, scanId: input.runName, scannedAt: input.now, sources });
  const diff = diffDataMaps(await previousDataMap(rt.store, input.orgId, input.runName), dataMap);
  await putDataMap(rt.store, dataMap, diff);
  const at = rt.clock().toISOString();
  await appendAudit(rt.store, { orgId: input.orgId, at, event: 'datamap.stored', subject: keys.dataMap(input.orgId, input.runName).SK, actor: input.runName, detail: { ...diff } });
  const summary: ScanSummary = {
    scanId: input.runName,
    sources: sources.map((s) => (s.status === 'scanned' ? { id: s.id, status: s.status, rating: s.rating } : { id: s.id, status: s.status, reason: s.reason })),
    diff,
  };
  await finishRun(rt.store, { orgId: input.orgId, kind: SCAN_KIND, name: input.runName }, { status: 'succeeded', summary: { sources: summary.sources } }, at);
  return summary;
}

/** Records the run as failed when a step failed for good (the workflow's RecordFailure). */
export async function recordScanFailure(rt: Runtime, input: ScanRunInput & { error: { Error: string; Cause?: string } }): Promise<void> {
  await finishRun(
    rt.store,
    { orgId: input.orgId, kind: SCAN_KIND, name: input.runName },
    { status: 'failed', error: caughtErrorText(input.error) },
    rt.clock().toISOString(),
  );
}
