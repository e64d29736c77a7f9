// Name-based UUIDs (RFC 9562 version 5: SHA-1 over a namespace and a name), so that
// an OSCAL document, a finding or a party keeps its UUID from one export to the next:
// the same organisation, period and id give the same UUID. Pure.
import { createHash } from 'node:crypto';

/** The namespace of every UUID the audit package derives (chosen once, at random; never change it). */
export const PACKAGE_NAMESPACE = '5b0d1d6e-3f0c-4c55-9a43-7c1f6a2e9d84';

const bytesOf = (uuid: string): Buffer => {
  const hex = uuid.replace(/-/g, '');
  if (!/^[0-9a-f]{32}$/i.test(hex)) throw new Error(`"${uuid}" is not a UUID`);
  return Buffer.from(hex, 'hex');
};

export function uuidV5(name: string, namespace: string = PACKAGE_NAMESPACE): string {
  const hash = createHash('sha1').update(bytesOf(namespace)).update(name, 'utf8').digest();
  const b = hash.subarray(0, 16);
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x50; // version 5
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80; // RFC 4122 variant
  const hex = b.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
