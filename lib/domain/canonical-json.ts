// JSON with every object's keys sorted: two values that mean the same write the same,
// whatever order their keys came in (DynamoDB keeps no order of a map's keys).
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}
