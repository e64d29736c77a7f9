// The audit package as the HTTP route and the web pages hand it over: built, signed and
// zipped, then either the response itself or, where a package delivery is configured
// (on AWS), stored and linked; recorded as made (export.made) only once it can be
// fetched, so a package that could not be stored leaves no entry saying it was handed
// over. The zip and the entry are the same either way.
import { sha256Hex } from '../../domain/audit/chain.ts';
import { zipPackage } from '../../domain/export/zip.ts';
import type { PackageFile } from '../../domain/export/package.ts';
import type { Ports } from '../ports.ts';
import { PACKAGE_CONTENT_TYPE, packageFilename, type PackageDelivery, type PackageLink } from './delivery.ts';
import { buildPackage, recordExport, type ExportRequest } from './export-package.ts';

export type PackageDownload = { file: Buffer; contentType: string; filename: string } | { link: PackageLink };

export async function downloadPackage(ports: Ports, request: ExportRequest, delivery?: PackageDelivery): Promise<PackageDownload> {
  const exported = await buildPackage(ports, request);
  const { manifest } = exported;
  const file = zipPackage(exported.files, { mtime: new Date(manifest.generatedAt) });
  const filename = packageFilename(request.orgId, manifest.period, manifest.format);
  // Stored and linked first: if that fails, nothing says the package was handed over.
  const link = delivery
    ? await delivery.deliver({
        key: `${request.orgId}/${manifest.period}/${manifest.format}/${sha256Hex((exported.files.at(-1) as PackageFile).content)}.zip`,
        body: file,
        contentType: PACKAGE_CONTENT_TYPE,
        filename,
      })
    : undefined;
  await recordExport(ports, request, exported);
  return link ? { link } : { file, contentType: PACKAGE_CONTENT_TYPE, filename };
}
