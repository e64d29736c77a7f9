// The audit package's parts as JSON, one file each, every one headed with the
// organisation and the period it covers. Times are UTC ISO-8601 as stored; days are
// the organisation's (`timeZone`). Pure.
import type { PackageContent, PackageFile } from './package.ts';

export const jsonFile = (path: string, value: unknown): PackageFile => ({ path, content: Buffer.from(`${JSON.stringify(value, null, 2)}\n`, 'utf8') });

/** The heading every part shares. */
export function heading(c: PackageContent) {
  return { orgId: c.org.id, organisation: c.org.name, period: c.window.period, from: c.window.from, to: c.window.to, timeZone: c.window.timeZone };
}

export const soaJson = (c: PackageContent) => jsonFile('soa.json', { ...heading(c), asOf: c.asOf, controls: c.soa });
export const datamapJson = (c: PackageContent) => jsonFile('datamap.json', { ...heading(c), dataMap: c.dataMap ?? null });
export const auditJson = (c: PackageContent) => jsonFile('audit.json', { ...heading(c), head: c.auditHead, entries: c.audit });
export const gapsJson = (c: PackageContent) => jsonFile('gaps.json', { ...heading(c), analysis: c.gaps.analysis ?? null, gaps: c.gaps.gaps });
export const evidenceJson = (c: PackageContent) => jsonFile('evidence.json', { ...heading(c), asOf: c.asOf, evidence: c.evidence });

export function reviewJson(c: PackageContent): PackageFile {
  const r = c.review;
  return jsonFile('review.json', { ...heading(c), review: r?.review ?? null, tasks: r?.tasks ?? [], nonconformities: r?.nonconformities ?? [] });
}

/** Every part, one JSON file each. */
export function jsonParts(c: PackageContent): PackageFile[] {
  return [soaJson(c), reviewJson(c), evidenceJson(c), gapsJson(c), datamapJson(c), auditJson(c)];
}
