// What the data-mapping scan's steps take, checked at the Lambda edge.
import { z } from 'zod';
import { ScannedSource } from '../../domain/datamap/datamap.ts';
import { CaughtError } from '../caught-error.ts';
import { RunInput } from '../run-input.ts';

export const ScanSourceEvent = RunInput.extend({ sourceId: z.string().min(1) });
export type ScanSourceInput = z.infer<typeof ScanSourceEvent>;

/** A source whose step failed for good, as the workflow's Catch records it. */
export const FailedScan = z.object({ sourceId: z.string(), failed: z.literal(true), error: z.string(), cause: z.string().optional() });
export type FailedScan = z.infer<typeof FailedScan>;

/** What a source's step hands on: its entry is in the table, this is how it went. */
export const ScannedSummary = z.object({ sourceId: z.string(), status: z.literal('scanned'), rating: ScannedSource.shape.rating });
export type ScannedSummary = z.infer<typeof ScannedSummary>;

export const StoreScanEvent = RunInput.extend({ results: z.array(z.union([FailedScan, ScannedSummary])) });
export type StoreScanInput = z.infer<typeof StoreScanEvent>;

export const ScanFailureEvent = RunInput.extend({ error: CaughtError });
export type ScanFailureInput = z.infer<typeof ScanFailureEvent>;
