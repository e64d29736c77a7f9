import { lambdaHandler } from '../lib/lambda/handler.ts';
import { CaughtError } from '../lib/usecases/caught-error.ts';
import { analyseGaps, recordGapFailure } from '../lib/usecases/gaps/analyse.ts';
import { RunInput } from '../lib/usecases/run-input.ts';

export const handler = lambdaHandler(RunInput, analyseGaps);

/** The workflow's RecordFailure step. */
export const failure = lambdaHandler(RunInput.extend({ error: CaughtError }), recordGapFailure);
