// How people write ISO/IEC 27001 Annex A control ids, read into the project's form.
// Two numbers ("5.15", "A.5.15", "a 5.15") name a control of the 2022 edition; three
// ("A.12.4.1") a control of the 2013 edition. Whether such a control exists, and what
// a 2013 control became, is the catalogues' to say (../catalogues/).

export interface AnnexAId {
  edition: 2022 | 2013;
  /** "A.5.15" or "A.12.4.1": "A." and numbers without leading zeros. */
  id: string;
}

/** The id as written, in the project's form; undefined when it is not shaped like an Annex A id at all. */
export function readAnnexAId(value: string): AnnexAId | undefined {
  const match = /^\s*(?:A[.\s]?\s*)?(\d{1,2})\.(\d{1,2})(?:\.(\d{1,2}))?\s*$/i.exec(value);
  if (!match) return undefined;
  const numbers = match.slice(1).filter((n) => n !== undefined).map(Number);
  return { edition: numbers.length === 2 ? 2022 : 2013, id: `A.${numbers.join('.')}` };
}

/** Sort key so that A.5.2 comes before A.5.10 (and A.9.1.1 before A.12.1.1). */
export function annexASortKey(id: string): string {
  return id
    .replace(/^A\./, '')
    .split('.')
    .map((n) => n.padStart(2, '0'))
    .join('.');
}
