import { lambdaHandler } from '../lib/handler.ts';
import { ReportEvent } from '../lib/sweep/events.ts';
import { reportSweep } from '../lib/sweep/report.ts';

export const handler = lambdaHandler(ReportEvent, reportSweep);
