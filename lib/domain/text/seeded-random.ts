// A small seeded pseudo-random generator (mulberry32), for data that must come out the
// same every time: the labelled scan corpus, the monitoring bench's events, the sample
// audit-log exports. Not for anything secret. Pure.

/** mulberry32: a fast 32-bit generator; each call returns the next float in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
