// How a reader of a declared folder (or S3 prefix) of audit logs says that some of its
// files could not be opened, after it has handed over all the others: one bad file must
// not blind monitoring to the rest of the folder. Part of the AuditLogReaders contract
// (lib/usecases/ports.ts): `declared` yields every file it can open, then throws this.

/** One file of a folder that could not be opened: its name as people may see it (redacted), where it is in the folder, and why. */
export interface UnreadAuditLogFile {
  name: string;
  /** 1-based, in the order the reader lists the folder (path order; key order under a prefix). */
  position: number;
  error: unknown;
}

export class UnreadAuditLogFiles extends Error {
  readonly files: readonly UnreadAuditLogFile[];
  constructor(files: readonly UnreadAuditLogFile[]) {
    super(`${files.length} file${files.length === 1 ? '' : 's'} of the folder could not be opened`);
    this.name = 'UnreadAuditLogFiles';
    this.files = files;
  }
}
