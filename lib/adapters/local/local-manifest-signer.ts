// Signs audit-package manifests with the data directory's Ed25519 key (the one local
// tokens are signed with), where AWS uses a KMS key.
import { sign } from 'node:crypto';
import type { ManifestSigner } from '../../usecases/export/signer.ts';
import { localSigningKey } from './local-signing-key.ts';

export function localManifestSigner(dataDir: string): ManifestSigner {
  const key = localSigningKey(dataDir);
  return {
    algorithm: 'Ed25519',
    keyId: key.keyId,
    publicKeyPem: key.publicKeyPem,
    sign: async (bytes) => sign(null, bytes, key.privateKey),
  };
}
