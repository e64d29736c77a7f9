// Which declared platforms a source of a given risk tier may use, and what to
// recommend for it. What each tier asks of a platform:
// - red: end-to-end encryption by default, storage in its people's jurisdiction (or
//   a residency choice), an audit log, and external sharing not open;
// - amber: an audit log, and external sharing not open;
// - green: any declared platform.
import type { Jurisdiction } from '../datamap/residency.ts';
import { resolveStorage } from '../datamap/residency.ts';
import type { Platform } from '../org/platform.ts';
import type { Tier } from './risk.ts';

/** Why a platform does not fit a tier (empty: it fits). */
export function unfitBecause(platform: Platform, tier: Tier, peopleJurisdictions: ReadonlySet<Jurisdiction>): string[] {
  if (tier === 'green') return [];
  const why: string[] = [];
  if (platform.auditLog === 'none') why.push('it has no audit log');
  if (platform.externalSharing === 'open') why.push('its external sharing is open');
  if (tier === 'red') {
    if (platform.e2ee !== 'default') why.push(`it is not end-to-end encrypted by default (e2ee: ${platform.e2ee})`);
    const stored = resolveStorage(platform.storage).jurisdiction;
    if (peopleJurisdictions.size > 0 && !peopleJurisdictions.has(stored) && !platform.residencyChoice) {
      why.push(`it stores data in ${stored}, not where the people are (${[...peopleJurisdictions].join(', ')})`);
    }
  }
  return why;
}

export interface Fit {
  allowedPlatforms: string[];
  recommendation: string;
  /** Why the source's own platform does not fit its tier (empty: it fits, or none is declared). */
  unfit: string[];
}

/** The platforms a source of `tier` may use, and what to do about the one it is on. */
export function platformFit(
  source: { name: string; platform: string },
  tier: Tier,
  peopleJurisdictions: ReadonlySet<Jurisdiction>,
  platforms: readonly Platform[],
): Fit {
  if (platforms.length === 0) {
    return { allowedPlatforms: [], unfit: [], recommendation: `declare platforms (with their capabilities) to compare where ${source.name} may live` };
  }
  const allowed = platforms.filter((p) => unfitBecause(p, tier, peopleJurisdictions).length === 0);
  const current = platforms.find((p) => p.id === source.platform);
  const unfit = current ? unfitBecause(current, tier, peopleJurisdictions) : [];
  const allowedPlatforms = allowed.map((p) => p.id);
  if (current && unfit.length === 0) return { allowedPlatforms, unfit, recommendation: `keep ${source.name} on ${current.name}` };
  const on = current ? ` off ${current.name} (${unfit.join('; ')})` : '';
  if (allowed.length === 0) {
    return { allowedPlatforms, unfit, recommendation: `move ${source.name}${on}: no declared platform fits a ${tier}-tier source; declare one that does` };
  }
  return { allowedPlatforms, unfit, recommendation: `move ${source.name}${on} to ${allowed.map((p) => p.name).join(' or ')}` };
}
