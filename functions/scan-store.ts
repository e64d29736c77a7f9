import { lambdaHandler } from '../lib/handler.ts';
import { ScanFailureEvent, StoreScanEvent } from '../lib/datamap/events.ts';
import { recordScanFailure, storeScan } from '../lib/datamap/scan-run.ts';

export const handler = lambdaHandler(StoreScanEvent, storeScan);

/** The workflow's RecordFailure step. */
export const failure = lambdaHandler(ScanFailureEvent, recordScanFailure);
