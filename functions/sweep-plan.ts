import { lambdaHandler } from '../lib/lambda/handler.ts';
import { RunInput } from '../lib/usecases/run-input.ts';
import { planSweep } from '../lib/usecases/sweep/plan.ts';

export const handler = lambdaHandler(RunInput, planSweep);
