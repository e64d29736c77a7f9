import { lambdaHandler } from '../lib/lambda/handler.ts';
import { SendEvent } from '../lib/usecases/sweep/events.ts';
import { sendBatch } from '../lib/usecases/sweep/send.ts';

export const handler = lambdaHandler(SendEvent, sendBatch);
