import { lambdaHandler } from '../lib/lambda/handler.ts';
import { ScanFailureEvent, StoreScanEvent } from '../lib/usecases/datamap/events.ts';
import { recordScanFailure, storeScan } from '../lib/usecases/datamap/scan-run.ts';

export const handler = lambdaHandler(StoreScanEvent, storeScan);

/** The workflow's RecordFailure step. */
export const failure = lambdaHandler(ScanFailureEvent, recordScanFailure);
