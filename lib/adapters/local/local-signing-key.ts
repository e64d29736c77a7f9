// Locally, one Ed25519 key pair signs what AWS signs with its own keys: the tokens
// `compliance token` prints (Cognito's on AWS) and the audit package's manifest (a KMS
// key on AWS). It is kept like the hash key: inside the data directory, readable by
// its owner only, refused when anyone else may read it.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../../errors.ts';
import { checkPrivate } from './local-hash-key.ts';

export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** The public key's SPKI PEM, for whoever verifies offline. */
  publicKeyPem: string;
  /** First 16 hex characters of the SHA-256 of the public key (DER): the JWT `kid`. */
  keyId: string;
}

export function localSigningKeyFile(dataDir: string): string {
  return path.join(path.resolve(dataDir), 'signing-key.pem');
}

const loaded = new Map<string, SigningKey>();

/** The data directory's key pair, made on first use. */
export function localSigningKey(dataDir: string): SigningKey {
  const file = localSigningKeyFile(dataDir);
  const known = loaded.get(file);
  if (known) return known;
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const { privateKey } = generateKeyPairSync('ed25519');
    try {
      writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error; // another process made it first
    }
  }
  checkPrivate(file, undefined, 'the signing key');
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(readFileSync(file));
  } catch {
    throw new InputError(`${file}: holds no usable private key; delete it to make a new one (tokens and manifests signed with it will no longer verify)`);
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new InputError(`${file}: must be an Ed25519 key, not ${privateKey.asymmetricKeyType}`);
  const publicKey = createPublicKey(privateKey);
  const der = publicKey.export({ type: 'spki', format: 'der' });
  const key: SigningKey = {
    privateKey,
    publicKey,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    keyId: createHash('sha256').update(der).digest('hex').slice(0, 16),
  };
  loaded.set(file, key);
  return key;
}
