import { lambdaHandler } from '../lib/handler.ts';
import { ScanEvent } from '../lib/datamap/events.ts';
import { listScanSources } from '../lib/datamap/scan-run.ts';

export const handler = lambdaHandler(ScanEvent, listScanSources);
