// The audit package's manifest: the SHA-256 and size of every file, the audit chain's
// head, and a signature over the manifest's RFC 8785 canonical JSON without its
// `signature` member; and the check an auditor runs offline (every file against the
// manifest, the signature against the key the manifest names, or one given). Pure:
// signing itself is a port (the local key, or KMS on AWS).
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { canonical, Hash, sha256Hex } from '../audit/chain.ts';
import { EXPORT_FORMATS, type ExportFormat, type PackageFile } from './package.ts';

export const MANIFEST_PATH = 'manifest.json';

/** Ed25519: the local key. ECDSA_SHA_256: a KMS key of spec ECC_NIST_P256 (signature DER-encoded, as KMS returns it). */
export const SIGNATURE_ALGORITHMS = ['Ed25519', 'ECDSA_SHA_256'] as const;
export type SignatureAlgorithm = (typeof SIGNATURE_ALGORITHMS)[number];

export const ManifestFile = z.object({
  path: z.string().min(1),
  sha256: Hash,
  bytes: z.int().nonnegative(),
});
export type ManifestFile = z.infer<typeof ManifestFile>;

export const ManifestSignature = z.object({
  algorithm: z.enum(SIGNATURE_ALGORITHMS),
  keyId: z.string().min(1),
  publicKeyPem: z.string().min(1),
  /** Base64 of the signature bytes. */
  value: z.string().min(1),
});
export type ManifestSignature = z.infer<typeof ManifestSignature>;

export const Manifest = z.object({
  format: z.enum(EXPORT_FORMATS),
  period: z.string(),
  orgId: z.string(),
  generatedAt: z.string(),
  /** The period as UTC instants, and the time zone its days are in. */
  window: z.object({ from: z.string(), to: z.string(), timeZone: z.string() }),
  files: z.array(ManifestFile),
  /** The audit chain's head after the seal that preceded the export (hash null: nothing sealed yet). */
  audit: z.object({ seq: z.int().nonnegative(), hash: z.string().nullable() }),
  signature: ManifestSignature,
});
export type Manifest = z.infer<typeof Manifest>;
export type UnsignedManifest = Omit<Manifest, 'signature'>;

/** The files' entries, by path. */
export function manifestFiles(files: readonly PackageFile[]): ManifestFile[] {
  return files.map((f) => ({ path: f.path, sha256: sha256Hex(f.content), bytes: f.content.byteLength })).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The bytes the signature is over: the manifest's canonical JSON (RFC 8785) without `signature`. */
export function signingInput(manifest: object): Buffer {
  const { signature: _signature, ...rest } = manifest as Record<string, unknown>;
  return Buffer.from(canonical(rest), 'utf8');
}

export interface ManifestMeta {
  format: ExportFormat;
  period: string;
  orgId: string;
  generatedAt: string;
  window: { from: string; to: string; timeZone: string };
  audit: { seq: number; hash: string | null };
}

export function unsignedManifest(meta: ManifestMeta, files: readonly PackageFile[]): UnsignedManifest {
  return { format: meta.format, period: meta.period, orgId: meta.orgId, generatedAt: meta.generatedAt, window: meta.window, files: manifestFiles(files), audit: meta.audit };
}

export const manifestFile = (manifest: Manifest): PackageFile => ({ path: MANIFEST_PATH, content: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8') });

/** SHA-256 of the key's DER (SubjectPublicKeyInfo): what an auditor compares with the key the organisation publishes. */
export const keyFingerprint = (key: KeyObject): string => sha256Hex(key.export({ type: 'spki', format: 'der' }));

export function verifySignature(signature: Pick<ManifestSignature, 'algorithm' | 'publicKeyPem' | 'value'>, data: Uint8Array): boolean {
  const key = createPublicKey(signature.publicKeyPem);
  const value = Buffer.from(signature.value, 'base64');
  return signature.algorithm === 'Ed25519' ? verify(null, data, key, value) : verify('sha256', data, { key, dsaEncoding: 'der' }, value);
}

export interface PackageCheck {
  ok: boolean;
  /** What is wrong, the first first: the manifest, its signature, then each file by path. */
  problems: string[];
  manifest?: Manifest;
  /** The signing key's fingerprint (SHA-256 of its DER), when the manifest names a usable key. */
  fingerprint?: string;
}

/**
 * Checks a package as found: the manifest is well formed, its signature verifies with
 * the key it names (and that key is `trustedKeyPem` when one is given), every file it
 * lists is there with its size and SHA-256, and nothing else is.
 */
export function verifyPackage(files: ReadonlyMap<string, Uint8Array>, options: { trustedKeyPem?: string } = {}): PackageCheck {
  const raw = files.get(MANIFEST_PATH);
  if (!raw) return { ok: false, problems: [`${MANIFEST_PATH}: missing`] };
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(raw).toString('utf8'));
  } catch (error) {
    return { ok: false, problems: [`${MANIFEST_PATH}: not JSON (${(error as Error).message})`] };
  }
  const parsed = Manifest.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, problems: [`${MANIFEST_PATH}: ${issue?.path.join('.') || 'manifest'}: ${issue?.message ?? 'not a manifest'}`] };
  }
  const manifest = parsed.data;
  const problems: string[] = [];
  let key: KeyObject | undefined;
  try {
    key = createPublicKey(manifest.signature.publicKeyPem);
  } catch {
    problems.push(`${MANIFEST_PATH}: signature.publicKeyPem: not a public key`);
  }
  const fingerprint = key ? keyFingerprint(key) : undefined;
  if (key && options.trustedKeyPem !== undefined) {
    const trusted = keyFingerprint(createPublicKey(options.trustedKeyPem));
    if (trusted !== fingerprint) problems.push(`${MANIFEST_PATH}: signed with key ${fingerprint}, not with the key given (${trusted})`);
  }
  if (key && problems.length === 0) {
    let good = false;
    try {
      good = verifySignature(manifest.signature, signingInput(json as object));
    } catch {
      good = false;
    }
    if (!good) problems.push(`${MANIFEST_PATH}: the signature does not verify (${manifest.signature.algorithm}, key ${manifest.signature.keyId}): the manifest was changed or signed by another key`);
  }
  const listed = new Set<string>();
  for (const f of manifest.files) {
    listed.add(f.path);
    const content = files.get(f.path);
    if (!content) {
      problems.push(`${f.path}: missing`);
      continue;
    }
    const actual = sha256Hex(content);
    if (actual !== f.sha256) problems.push(`${f.path}: SHA-256 ${actual}, the manifest says ${f.sha256}`);
    else if (content.byteLength !== f.bytes) problems.push(`${f.path}: ${content.byteLength} bytes, the manifest says ${f.bytes}`);
  }
  for (const path of [...files.keys()].sort()) {
    if (path !== MANIFEST_PATH && !listed.has(path)) problems.push(`${path}: not in the manifest`);
  }
  return { ok: problems.length === 0, problems, manifest, ...(fingerprint ? { fingerprint } : {}) };
}
