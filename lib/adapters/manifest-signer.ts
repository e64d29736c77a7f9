// Which key signs audit-package manifests: the KMS key MANIFEST_KEY_ID names (on AWS,
// or wherever it is set), else the data directory's local key. The KMS client loads
// only when a KMS key is used.
import type { Config } from '../config.ts';
import { InputError } from '../errors.ts';
import type { ManifestSigner } from '../usecases/export/signer.ts';

export async function manifestSigner(config: Pick<Config, 'MANIFEST_KEY_ID' | 'AWS_REGION'>, local?: { dataDir: string }): Promise<ManifestSigner> {
  if (config.MANIFEST_KEY_ID) {
    const { kmsManifestSigner } = await import('./aws/kms-signer.ts');
    return kmsManifestSigner(config.MANIFEST_KEY_ID, { region: config.AWS_REGION });
  }
  if (!local) throw new InputError('environment MANIFEST_KEY_ID: is required to sign audit packages here (an asymmetric KMS key, ECC_NIST_P256)');
  const { localManifestSigner } = await import('./local/local-manifest-signer.ts');
  return localManifestSigner(local.dataDir);
}
