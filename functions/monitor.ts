import { lambdaHandler } from '../lib/lambda/handler.ts';
import { RunInput } from '../lib/usecases/run-input.ts';
import { DetectEvent, MonitorReportEvent } from '../lib/usecases/monitoring/events.ts';
import { detectPass, ingestDeclared, reportMonitoring } from '../lib/usecases/monitoring/run.ts';

/** Behaviour monitoring's steps (workflows/behaviour-monitoring.asl.json). */
export const ingest = lambdaHandler(RunInput, ingestDeclared);
export const detect = lambdaHandler(DetectEvent, detectPass);
/** Its last step, and its RecordFailure step. */
export const report = lambdaHandler(MonitorReportEvent, reportMonitoring);
