// `npm run bench`: every benchmark in turn, printing its figures.
// BENCH_ONLY=sweep, scan, gaps, review, audit, monitoring or hostile runs one of them; scan-cli only the command
// line's start and end-to-end throughput on 1, 2 and every core; hostile-linear only the hostile shapes' time at n and 4n.
const only = process.env.BENCH_ONLY;
if (!only || only === 'sweep') await import('./evidence-sweep.ts');
if (!only || only === 'scan') await (await import('./scan-throughput.ts')).main();
if (only === 'scan-cli') for (const line of await (await import('./scan-throughput.ts')).cliEndToEnd(Number(process.env.BENCH_SCAN_CLI_MB ?? 100))) console.log(line);
if (!only || only === 'hostile') await (await import('./hostile-shapes.ts')).main();
if (only === 'hostile-linear') await (await import('./hostile-shapes.ts')).linearity();
if (!only || only === 'gaps') await (await import('./gap-analysis.ts')).main();
if (!only || only === 'review') await (await import('./quarterly-review.ts')).main();
if (!only || only === 'api') await (await import('./api-latency.ts')).main();
if (!only || only === 'audit') await (await import('./audit-seal.ts')).main();
if (!only || only === 'report') await (await import('./report.ts')).main();
if (!only || only === 'monitoring') await (await import('./behaviour-monitoring.ts')).main();
