import { lambdaHandler } from '../lib/lambda/handler.ts';
import { RunInput } from '../lib/usecases/run-input.ts';
import { listScanSources } from '../lib/usecases/datamap/scan-run.ts';

export const handler = lambdaHandler(RunInput, listScanSources);
