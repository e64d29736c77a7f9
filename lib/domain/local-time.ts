// Times as people read them, in the organisation's time zone. Imports nothing, so the
// CLI's output modules (loaded by `compliance scan`) use it without loading zod.

const localFormats = new Map<string, Intl.DateTimeFormat>();

/** `2026-11-30 17:00` in `timeZone` (what people read); empty for no time. */
export function localTime(iso: string | undefined, timeZone: string): string {
  if (!iso) return '';
  // A formatter costs far more to make than to use: one per time zone.
  let format = localFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    localFormats.set(timeZone, format);
  }
  const parts = format.formatToParts(new Date(iso));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}

/** A moment in a sentence people read: `2026-12-01 19:50 Asia/Hong_Kong`, its time zone named; `earlier` when not recorded. */
export function localMoment(iso: string | undefined, timeZone: string): string {
  return iso ? `${localTime(iso, timeZone)} ${timeZone}` : 'earlier';
}
