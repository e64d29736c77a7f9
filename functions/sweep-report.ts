import { lambdaHandler } from '../lib/lambda/handler.ts';
import { ReportEvent } from '../lib/usecases/sweep/events.ts';
import { reportSweep } from '../lib/usecases/sweep/report.ts';

export const handler = lambdaHandler(ReportEvent, reportSweep);
