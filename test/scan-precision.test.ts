// Issue 3, "Checked": on a generated labelled corpus (valid and invalid check digits,
// near misses such as order and invoice numbers, timestamps and tracking numbers, mixed
// English / Traditional / Simplified Chinese), every finding type reaches precision
// >= 0.98 and recall >= 0.97. A failure prints the false positives and negatives of that
// type (what they hit, how many of each kind, and a few lines) for the detector's author.
import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import { detect, FINDING_TYPES, type FindingType } from '../lib/domain/detect/detect.ts';
import { formatScores, labelledCorpus, labelledLines, score, type LabelledCorpus, type TypeScore } from './support/labelled-corpus.ts';

// stdnum (CommonJS) is the independent oracle the issue suggests for check digits.
const { stdnum } = createRequire(import.meta.url)('stdnum') as typeof import('stdnum');
const hkidOracle = stdnum.HK?.hkid;
const ricOracle = stdnum.CN?.ric;
if (!hkidOracle || !ricOracle) throw new Error('stdnum has no HK.hkid or CN.ric validator');

const LINES = 20_000;
const MIN_PRECISION = 0.98;
const MIN_RECALL = 0.97;

function explain(s: TypeScore): string {
  const lines = [`${s.type}: precision ${s.precision.toFixed(4)} (TP ${s.detected - s.fp}, FP ${s.fp}), recall ${s.recall.toFixed(4)} (TP ${s.tp}, FN ${s.fn})`];
  if (s.fp) {
    lines.push(`  false positives by what they hit: ${JSON.stringify(s.fpByKind)}`);
    for (const e of s.falsePositives) lines.push(`    FP ${JSON.stringify(e.span)} [${e.kind}] in: ${e.context}`);
  }
  if (s.fn) {
    lines.push(`  false negatives by kind: ${JSON.stringify(s.fnByKind)}`);
    for (const e of s.falseNegatives) lines.push(`    FN ${JSON.stringify(e.span)} [${e.kind}] in: ${e.context}`);
  }
  return lines.join('\n');
}

describe('the labelled corpus', () => {
  it('is deterministic, and its spans are where its items are', () => {
    const a = labelledCorpus(500, { seed: 42 });
    const b = labelledCorpus(500, { seed: 42 });
    expect(a.text).toBe(b.text);
    expect(a.labels).toEqual(b.labels);
    expect(labelledCorpus(500, { seed: 43 }).text).not.toBe(a.text);
    const lines = labelledLines(500, { seed: 42 });
    expect(lines.map((l) => l.text).join('\n')).toBe(a.text);
    let i = 0;
    for (const l of lines) {
      for (const lab of l.labels) {
        const g = a.labels[i++]!;
        expect(a.text.slice(g.start, g.end)).toBe(l.text.slice(lab.start, lab.end));
        expect(g.end).toBeGreaterThan(g.start);
      }
    }
    expect(i).toBe(a.labels.length);
  });

  it('computes check digits that an independent implementation (stdnum) accepts, and near misses it rejects', () => {
    const c = labelledCorpus(4000, { seed: 7 });
    const compact = (s: string) => s.replace(/[\s()（）]/g, '').toUpperCase();
    const seen: Record<string, number> = {};
    for (const lab of c.labels) {
      const raw = compact(c.text.slice(lab.start, lab.end));
      let verdict: boolean | undefined;
      if (lab.type === 'hk_id' || lab.kind === 'hkid-bad-check') verdict = hkidOracle.validate(raw).isValid;
      else if (lab.type === 'cn_resident_id' || lab.kind === 'cnid-bad-check' || lab.kind === 'cnid-bad-date') verdict = ricOracle.validate(raw).isValid;
      if (verdict === undefined) continue;
      const key = lab.type === 'NONE' ? lab.kind : lab.type;
      seen[key] = (seen[key] ?? 0) + 1;
      expect({ raw, kind: lab.kind, valid: verdict }).toEqual({ raw, kind: lab.kind, valid: lab.type !== 'NONE' });
    }
    for (const key of ['hk_id', 'cn_resident_id', 'hkid-bad-check', 'cnid-bad-check', 'cnid-bad-date']) expect(seen[key] ?? 0).toBeGreaterThan(50);
  });
});

describe(`detect() on ${LINES.toLocaleString('en')} labelled lines`, () => {
  let corpus: LabelledCorpus;
  let scores: Map<FindingType, TypeScore>;

  beforeAll(() => {
    corpus = labelledCorpus(LINES);
    const detections = detect(corpus.text);
    scores = new Map(score(corpus.text, corpus.labels, detections, FINDING_TYPES).map((s) => [s.type, s]));
    console.log(`labelled corpus: ${LINES} lines, ${corpus.text.length} characters, ${corpus.labels.length} items (${corpus.labels.filter((l) => l.type === 'NONE').length} near misses)\n${formatScores([...scores.values()])}`);
  });

  it('has every type, and near misses, in quantity', () => {
    for (const t of FINDING_TYPES) expect(scores.get(t)!.labelled, t).toBeGreaterThan(1000);
    expect(corpus.labels.filter((l) => l.type === 'NONE').length).toBeGreaterThan(5000);
  });

  // Issue 13 holds the detectors to the level reached (1.0000 for every type): a change
  // that loses a few items of one kind stays far above the targets above, and is caught here.
  it.each(FINDING_TYPES)('%s: precision and recall stay at 1.0000, the level reached', (type) => {
    const s = scores.get(type)!;
    expect(s.precision, explain(s)).toBe(1);
    expect(s.recall, explain(s)).toBe(1);
  });

  it.each(FINDING_TYPES)(`%s: precision >= ${MIN_PRECISION} and recall >= ${MIN_RECALL}`, (type) => {
    const s = scores.get(type)!;
    const ok = s.precision >= MIN_PRECISION && s.recall >= MIN_RECALL;
    if (!ok) console.log(explain(s));
    expect(s.precision, explain(s)).toBeGreaterThanOrEqual(MIN_PRECISION);
    expect(s.recall, explain(s)).toBeGreaterThanOrEqual(MIN_RECALL);
  });
});
