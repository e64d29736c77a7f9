import { lambdaHandler } from '../lib/lambda/handler.ts';
import { ScanSourceEvent } from '../lib/usecases/datamap/events.ts';
import { scanOneSource } from '../lib/usecases/datamap/scan-run.ts';

export const handler = lambdaHandler(ScanSourceEvent, scanOneSource);
