// `npm run bench`: every benchmark in turn, printing its figures.
await import('./evidence-sweep.ts');
