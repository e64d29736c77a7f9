// Signs an audit package's manifest: the local Ed25519 key on one machine
// (lib/adapters/local/local-manifest-signer.ts), an asymmetric KMS key on AWS
// (lib/adapters/aws/kms-signer.ts). The manifest carries the algorithm, the key's id
// and its public key, so that an auditor verifies the package offline.
import type { SignatureAlgorithm } from '../../domain/export/manifest.ts';

export interface ManifestSigner {
  algorithm: SignatureAlgorithm;
  /** The local key's fingerprint id, or the KMS key's ARN. */
  keyId: string;
  /** SubjectPublicKeyInfo, PEM. */
  publicKeyPem: string;
  /** The signature over exactly these bytes (Ed25519; ECDSA over their SHA-256, DER-encoded). */
  sign(bytes: Uint8Array): Promise<Buffer>;
}
