// Signs audit-package manifests with an asymmetric KMS key (key spec ECC_NIST_P256,
// usage SIGN_VERIFY, algorithm ECDSA_SHA_256): the public key is read once per process
// (kms:GetPublicKey), each manifest is signed by KMS (kms:Sign), and the private key
// never leaves KMS. The key is MANIFEST_KEY_ID (lib/config.ts).
import { createHash, createPublicKey } from 'node:crypto';
import { GetPublicKeyCommand, KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { DependencyError } from '../../errors.ts';
import type { ManifestSigner } from '../../usecases/export/signer.ts';

/** KMS signs a message of up to 4,096 bytes as it is; a longer one is sent as its SHA-256 (the same signature). */
const RAW_LIMIT = 4096;

type KmsSend = Pick<KMSClient, 'send'>;

const signers = new Map<string, Promise<ManifestSigner>>();

/** The signer for `keyId` (an id, ARN or alias), its public key read once per process. */
export function kmsManifestSigner(keyId: string, options: { region?: string; client?: KmsSend } = {}): Promise<ManifestSigner> {
  const cacheKey = `${options.region ?? ''}|${keyId}`;
  let signer = options.client ? undefined : signers.get(cacheKey);
  if (!signer) {
    signer = makeSigner(keyId, options.client ?? new KMSClient(options.region ? { region: options.region } : {}));
    if (!options.client) {
      signers.set(cacheKey, signer);
      signer.catch(() => signers.delete(cacheKey)); // a failed read is tried again next time
    }
  }
  return signer;
}

async function makeSigner(keyId: string, kms: KmsSend): Promise<ManifestSigner> {
  let key;
  try {
    key = await kms.send(new GetPublicKeyCommand({ KeyId: keyId }));
  } catch (error) {
    throw new DependencyError(`MANIFEST_KEY_ID ${keyId}: cannot read its public key from KMS (${(error as Error).name}: ${(error as Error).message})`, { cause: error });
  }
  if (key.KeyUsage !== 'SIGN_VERIFY' || key.KeySpec !== 'ECC_NIST_P256' || !key.SigningAlgorithms?.includes('ECDSA_SHA_256') || !key.PublicKey) {
    throw new DependencyError(`MANIFEST_KEY_ID ${keyId}: must be an asymmetric KMS key for signing (key spec ECC_NIST_P256, usage SIGN_VERIFY), not ${key.KeySpec ?? 'unknown'} for ${key.KeyUsage ?? 'unknown'}`);
  }
  const publicKeyPem = createPublicKey({ key: Buffer.from(key.PublicKey), format: 'der', type: 'spki' }).export({ type: 'spki', format: 'pem' }).toString();
  const arn = key.KeyId ?? keyId;
  return {
    algorithm: 'ECDSA_SHA_256',
    keyId: arn,
    publicKeyPem,
    async sign(bytes) {
      const raw = bytes.byteLength <= RAW_LIMIT;
      const message = raw ? bytes : createHash('sha256').update(bytes).digest();
      let out;
      try {
        out = await kms.send(new SignCommand({ KeyId: arn, Message: message, MessageType: raw ? 'RAW' : 'DIGEST', SigningAlgorithm: 'ECDSA_SHA_256' }));
      } catch (error) {
        throw new DependencyError(`MANIFEST_KEY_ID ${arn}: KMS would not sign the manifest (${(error as Error).name}: ${(error as Error).message})`, { cause: error });
      }
      if (!out.Signature) throw new DependencyError(`MANIFEST_KEY_ID ${arn}: KMS returned no signature`);
      return Buffer.from(out.Signature);
    },
  };
}
