import { lambdaHandler } from '../lib/lambda/handler.ts';
import { SweepEvent } from '../lib/usecases/sweep/events.ts';
import { planSweep } from '../lib/usecases/sweep/plan.ts';

export const handler = lambdaHandler(SweepEvent, planSweep);
