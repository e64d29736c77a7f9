// How large an organisation file and what it declares may be. Every string has a
// length limit, so no stored item comes near DynamoDB's 400 KB; counts are far
// beyond any real organisation but keep a hostile file from exhausting memory.
import { z } from 'zod';

export const ORG_FILE_LIMITS = {
  /** Bytes of the file: refused before parsing. */
  fileBytes: 4 * 1024 * 1024,
  /** YAML aliases (*name) in the file: a few are handy, thousands are an alias bomb. */
  aliases: 100,
  people: 20_000,
  controls: 500,
  evidence: 50_000,
  sources: 5_000,
  platforms: 200,
  groups: 20_000,
  acceptances: 5_000,
  /** The longest validity period, and the latest date anything may run to. */
  periodYears: 100,
  lastDate: '9999-12-31',
} as const;

/** Free text of 1 to `max` characters. */
export function text(max: number) {
  return z.string().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
}

export const NAME_MAX = 200;
export const TITLE_MAX = 300;
export const URI_MAX = 2048;
export const PATH_MAX = 4096;
