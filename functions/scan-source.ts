import { lambdaHandler } from '../lib/handler.ts';
import { ScanSourceEvent } from '../lib/datamap/events.ts';
import { scanOneSource } from '../lib/datamap/scan-run.ts';

export const handler = lambdaHandler(ScanSourceEvent, scanOneSource);
