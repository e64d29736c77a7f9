// Reads an organisation file (or a file of review answers) from disk and parses it
// as a whole; source and evidence paths in it are taken relative to the file.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../../errors.ts';
import { redact, redactError } from '../../domain/detect/redact.ts';
import { reasonOf } from '../sources/read-error.ts';
import type { OrgFile } from '../../domain/org/org.ts';
import { decodeOrgFile, OrgFileError, parseOrgFile, parseYamlFile, yamlLocator } from '../../domain/org/org-file.ts';
import { AnswersFile, type Locate } from '../../domain/review/answers-file.ts';
import { AuditLogMapping } from '../../domain/monitoring/mapping.ts';
import { ORG_FILE_LIMITS } from '../../domain/org/limits.ts';

/** The file, checked whole; with `now` (on import), also that no evidence is dated after the organisation's today. */
export function readOrgFile(fileName: string, now?: Date): OrgFile {
  const org = redacting(() => parseOrgFile(readYamlText(fileName, 'an organisation file'), fileName, now));
  // Source paths are relative to the organisation file.
  const base = path.dirname(path.resolve(fileName));
  return {
    ...org,
    sources: org.sources.map((s) => ('path' in s ? { ...s, path: path.resolve(base, s.path) } : s)),
    // So are the platforms' audit-log files.
    platforms: org.platforms.map((p) => (p.auditLogs ? { ...p, auditLogs: p.auditLogs.map((l) => ('path' in l ? { ...l, path: path.resolve(base, l.path) } : l)) } : p)),
  };
}

/**
 * A file of review answers; evidence paths in it are taken relative to it. `locate`
 * names a field's line, for what only the review can refuse (a task, its owner).
 */
export function readAnswersFile(fileName: string): AnswersFile & { locate: Locate } {
  const text = redacting(() => readYamlText(fileName, 'an answers file'));
  const file = redacting(() => parseYamlFile(AnswersFile, text, fileName, 'must be a mapping with answers'));
  const base = path.dirname(path.resolve(fileName));
  return { answers: file.answers.map((a) => (a.evidence ? { ...a, evidence: path.resolve(base, a.evidence) } : a)), locate: yamlLocator(text, fileName) };
}

/** A mapping for an audit log in no known layout (`compliance events import --mapping FILE`). */
export function readMappingFile(fileName: string): AuditLogMapping {
  return redacting(() => parseYamlFile(AuditLogMapping, readYamlText(fileName, 'a mapping file'), fileName, 'must be a mapping with columns (time, user, action, object, group, target, ip), actions and timeZone'));
}

/**
 * What `read` returns, or its error redacted: a message quotes what the file says (an
 * unknown person, an unknown key), which may be an identifier (`owner: A123456(3)`).
 */
function redacting<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    // A file's problems are listed one by one too: each is redacted as the message is.
    if (error instanceof OrgFileError) throw new OrgFileError(error.problems.map(redact));
    throw redactError(error);
  }
}

/** A YAML file's text, within the size limit, as UTF-8. */
function readYamlText(fileName: string, what: string): string {
  let bytes: Buffer;
  try {
    const info = statSync(fileName);
    if (!info.isFile()) throw new InputError(`${fileName}: not a regular file`);
    if (info.size > ORG_FILE_LIMITS.fileBytes) {
      throw new InputError(`${fileName}: the file is ${info.size} bytes, more than the ${ORG_FILE_LIMITS.fileBytes}-byte limit for ${what}; not read`);
    }
    bytes = readFileSync(fileName);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`${fileName}: cannot read: ${reasonOf(error).reason}`);
  }
  return decodeOrgFile(bytes, fileName);
}
