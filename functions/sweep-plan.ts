import { lambdaHandler } from '../lib/handler.ts';
import { SweepEvent } from '../lib/sweep/events.ts';
import { planSweep } from '../lib/sweep/plan.ts';

export const handler = lambdaHandler(SweepEvent, planSweep);
