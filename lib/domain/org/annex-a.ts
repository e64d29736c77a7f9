// ISO/IEC 27001:2022 Annex A: 93 controls in four themes, numbered 5.1-5.37
// (organisational), 6.1-6.8 (people), 7.1-7.14 (physical), 8.1-8.34 (technological).
const THEME_SIZES: Readonly<Record<number, number>> = { 5: 37, 6: 8, 7: 14, 8: 34 };

/** "5.15", "A.5.15" or "a 5.15" -> "A.5.15"; undefined when no such control exists. */
export function normaliseAnnexAId(value: string): string | undefined {
  const match = /^\s*(?:A[.\s]?)?([5-8])\.(\d{1,2})\s*$/i.exec(value);
  if (!match) return undefined;
  const theme = Number(match[1]);
  const number = Number(match[2]);
  const size = THEME_SIZES[theme];
  if (size === undefined || number < 1 || number > size) return undefined;
  return `A.${theme}.${number}`;
}

/** Sort key so that A.5.2 comes before A.5.10. */
export function annexASortKey(id: string): string {
  const [, theme = '0', number = '0'] = /^A\.(\d)\.(\d+)$/.exec(id) ?? [];
  return `${theme}.${number.padStart(2, '0')}`;
}
