// `npm run bench`: every benchmark in turn, printing its figures.
// BENCH_ONLY=sweep, scan, gaps or hostile runs one of them.
const only = process.env.BENCH_ONLY;
if (!only || only === 'sweep') await import('./evidence-sweep.ts');
if (!only || only === 'scan') await (await import('./scan-throughput.ts')).main();
if (!only || only === 'hostile') await (await import('./hostile-shapes.ts')).main();
if (!only || only === 'gaps') await (await import('./gap-analysis.ts')).main();
