// Which declared platforms a source of a given risk tier may use, and what to
// recommend for it. What each tier asks of a platform:
// - red: end-to-end encryption by default, storage that makes no cross-border transfer
//   the source has no applicable basis for (for a Hong Kong data user: Hong Kong, unless
//   a basis covers the transfer; never "where the people are"), or a residency choice,
//   an audit log, and external sharing not open;
// - amber: an audit log, and external sharing not open; and, where the source holds red
//   data, encryption (end to end by default, or at rest and in transit);
// - green: any declared platform.
// Red data asks encryption at every tier because the red-without-e2ee rule judges by the
// data's rating, not the tier: a platform recommended here is never one it reports high.
import { placeName, resolveStorage, transfers, type Jurisdiction, type TransferBasis } from '../datamap/residency.ts';
import type { Platform } from '../org/platform.ts';
import type { Tier } from './risk.ts';

/** What the source holds, for where it may be stored. */
export interface HeldData {
  /** People's jurisdictions the data map found. */
  people: ReadonlySet<Jurisdiction>;
  /** It holds personal data (classify.ts holdsPersonalData). */
  personalData: boolean;
  /** The transfer bases the source declares. */
  transferBasis: readonly TransferBasis[];
  /** The data map rates it red. */
  red?: boolean;
}

type Encryption = Pick<Platform, 'e2ee' | 'encryptionAtRest' | 'encryptionInTransit'>;

/** Encrypted as red data asks at least: end to end by default, or at rest and in transit. */
export const encryptsRedData = (platform: Encryption): boolean =>
  platform.e2ee === 'default' || (platform.encryptionAtRest === true && platform.encryptionInTransit === true);

/** What it does not declare: "at rest", "in transit" or "at rest and in transit" (empty: both). */
export const missingEncryption = (platform: Encryption): string =>
  [platform.encryptionAtRest === true ? undefined : 'at rest', platform.encryptionInTransit === true ? undefined : 'in transit'].filter((m) => m !== undefined).join(' and ');

/** Why a platform does not fit a tier (empty: it fits). `transfersToo` false: leaves out
 * where it stores data (what a transfer basis would settle). */
function unfitBecause(platform: Platform, tier: Tier, held: HeldData, transfersToo = true): string[] {
  // Red data is never tiered green; asked here all the same, so the rule and this never disagree.
  const unencrypted = held.red === true && tier !== 'red' && !encryptsRedData(platform);
  if (tier === 'green') return unencrypted ? [notEncrypted(platform)] : [];
  const why: string[] = [];
  if (unencrypted) why.push(notEncrypted(platform));
  if (platform.auditLog === 'none') why.push('it has no audit log');
  if (platform.externalSharing === 'open') why.push('its external sharing is open');
  if (tier === 'red') {
    if (platform.e2ee !== 'default') why.push(`it is not end-to-end encrypted by default (e2ee: ${platform.e2ee})`);
    if (transfersToo && !platform.residencyChoice) {
      const stored = resolveStorage(platform.storage);
      const place = placeName(stored.country, stored.jurisdiction);
      for (const t of transfers(stored, held.people, held.personalData, held.transferBasis)) {
        if (t.status === 'covered') continue;
        why.push(t.law === 'pdpo' ? `it stores data in ${place}, outside Hong Kong, with no applicable transfer basis declared` : `it stores EU/EEA people's data in ${place} with no applicable GDPR transfer basis declared`);
      }
    }
  }
  return why;
}

const notEncrypted = (platform: Platform) => `it holds red data and is not encrypted ${missingEncryption(platform)}, nor end to end by default`;

export interface Fit {
  allowedPlatforms: string[];
  recommendation: string;
  /** Why the source's own platform does not fit its tier (empty: it fits, or none is declared). */
  unfit: string[];
}

/** The platforms a source of `tier` may use, and what to do about the one it is on. */
export function platformFit(source: { name: string; platform: string }, tier: Tier, held: HeldData, platforms: readonly Platform[]): Fit {
  if (platforms.length === 0) {
    return { allowedPlatforms: [], unfit: [], recommendation: `declare platforms (with their capabilities) to compare where ${source.name} may live` };
  }
  const allowed = platforms.filter((p) => unfitBecause(p, tier, held).length === 0);
  const current = platforms.find((p) => p.id === source.platform);
  const unfit = current ? unfitBecause(current, tier, held) : [];
  const allowedPlatforms = allowed.map((p) => p.id);
  if (current && unfit.length === 0) return { allowedPlatforms, unfit, recommendation: `keep ${source.name} on ${current.name}` };
  const on = current ? ` off ${current.name} (${unfit.join('; ')})` : '';
  // Unfit only for where it stores data: a transfer basis settles that as well as a move.
  const basisWouldDo = current !== undefined && unfitBecause(current, tier, held, false).length === 0;
  if (allowed.length === 0) {
    if (basisWouldDo) return { allowedPlatforms, unfit, recommendation: `declare a transfer basis for ${source.name} to keep it on ${current.name} (${unfit.join('; ')})` };
    const withBasis = platforms.filter((p) => unfitBecause(p, tier, held, false).length === 0);
    if (withBasis.length > 0) {
      return { allowedPlatforms, unfit, recommendation: `declare a transfer basis for ${source.name} and move it${on} to ${withBasis.map((p) => p.name).join(' or ')}` };
    }
    return { allowedPlatforms, unfit, recommendation: `move ${source.name}${on}: no declared platform fits a ${tier}-tier source; declare one that does` };
  }
  const orBasis = basisWouldDo ? `, or declare a transfer basis for it` : '';
  return { allowedPlatforms, unfit, recommendation: `move ${source.name}${on} to ${allowed.map((p) => p.name).join(' or ')}${orBasis}` };
}
