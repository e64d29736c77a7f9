// Sealing: what the organisation file declares and a scan must read back as written
// (a source's path, such as "WhatsApp Chat with +852 9123 4567.txt"), kept at rest
// encrypted under a key derived from the keyed-hash key, never as written. AES-256-GCM
// with the nonce derived from the text, so the same path seals the same way (an
// unchanged file imports as unchanged) and a changed one differently. Pure.
import { createCipheriv, createDecipheriv, createHmac, hkdfSync } from 'node:crypto';

const PREFIX = 'sealed:v1:';

function sealKey(hashKey: string | Uint8Array): Buffer {
  return Buffer.from(hkdfSync('sha256', hashKey, 'compliance', 'sealed strings v1', 32));
}

export function isSealed(text: string): boolean {
  return text.startsWith(PREFIX);
}

export function seal(hashKey: string | Uint8Array, text: string): string {
  if (isSealed(text)) return text;
  const key = sealKey(hashKey);
  const iv = createHmac('sha256', key).update(text, 'utf8').digest().subarray(0, 12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
  return PREFIX + Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
}

/** The text as written; a text that is not sealed is returned as it is. Throws when the key is not the one it was sealed with. */
export function unseal(hashKey: string | Uint8Array, text: string): string {
  if (!isSealed(text)) return text;
  const raw = Buffer.from(text.slice(PREFIX.length), 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', sealKey(hashKey), raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(raw.length - 16));
  try {
    return Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]).toString('utf8');
  } catch {
    throw new Error('a sealed value does not open with this hash key (was the key changed?)');
  }
}
