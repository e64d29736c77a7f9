// Run in a child process by test/detect-regexp-tiers.test.ts, with or without V8 flags:
// prints, as JSON, what detect() finds in each of the labelled corpus's first lines
// (seeded) and in the lines given as arguments.
import { detect } from '../../lib/domain/detect/detect.ts';
import { labelledLines } from './labelled-corpus.ts';

const lines = [...process.argv.slice(2), ...labelledLines(3000, { seed: 29 }).map((l) => l.text)];
process.stdout.write(JSON.stringify(lines.map((text) => detect(text).map((d) => [d.type, d.start, d.end, d.value]))));
