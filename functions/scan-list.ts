import { lambdaHandler } from '../lib/lambda/handler.ts';
import { runInputOf } from '../lib/usecases/run-input.ts';
import { listScanSources } from '../lib/usecases/datamap/scan-run.ts';

export const handler = lambdaHandler(runInputOf('data-mapping-scan'), listScanSources);
