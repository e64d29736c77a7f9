// Where an audit package goes when it is not sent in the HTTP response itself: on AWS a
// Lambda's response is capped at 6 MB (about 4.5 MB of zip once base64-encoded), so the
// package is put in the private exports bucket and the caller is sent a short-lived
// link to it (lib/adapters/aws/package-delivery.ts). Locally there is none: the package
// is the response.

export const PACKAGE_CONTENT_TYPE = 'application/zip';

/** The file a download saves: `<org>-<period>-<format>.zip`. */
export const packageFilename = (orgId: string, period: string, format: string): string => `${orgId}-${period}-${format}.zip`;

/** The Content-Disposition that makes a browser save a download under its file name, sent directly or from the bucket alike. */
export const attachment = (filename: string): string => `attachment; filename="${filename}"`;

/** The package as it would be downloaded: its bytes, its type and the name it is saved under. */
export interface PackageObject {
  /** Where it is kept (unique to the package: its manifest's SHA-256). */
  key: string;
  body: Buffer;
  contentType: string;
  /** The file name a browser saves it under, as the direct download's Content-Disposition gives it. */
  filename: string;
}

export interface PackageLink {
  /** A URL that fetches exactly the package, without any other credential. */
  location: string;
  /** How long the URL works. */
  expiresInSeconds: number;
}

export interface PackageDelivery {
  /** Stores the package, then gives the link; throws (DependencyError) if it cannot be stored or linked. */
  deliver(object: PackageObject): Promise<PackageLink>;
}
