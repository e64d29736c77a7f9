import { lambdaHandler } from '../lib/lambda/handler.ts';
import { ScanEvent } from '../lib/usecases/datamap/events.ts';
import { listScanSources } from '../lib/usecases/datamap/scan-run.ts';

export const handler = lambdaHandler(ScanEvent, listScanSources);
