// The events the data-mapping scan's Lambda functions accept, checked at the edge.
import { z } from 'zod';
import { SweepEvent } from '../sweep/events.ts';
import { ScannedSource } from '../../domain/datamap/datamap.ts';

/** Same shape as the sweep's: organisation, run name, moment. */
export const ScanEvent = SweepEvent;

export const ScanSourceEvent = ScanEvent.extend({ sourceId: z.string().min(1) });

const FailedScan = z.object({ sourceId: z.string(), failed: z.literal(true), error: z.string(), cause: z.string().optional() });

export const StoreScanEvent = ScanEvent.extend({ results: z.array(z.union([FailedScan, ScannedSource])) });

export const ScanFailureEvent = ScanEvent.extend({ error: z.object({ Error: z.string(), Cause: z.string().optional() }) });
