import { lambdaHandler } from '../lib/handler.ts';
import { SendEvent } from '../lib/sweep/events.ts';
import { sendBatch } from '../lib/sweep/send.ts';

export const handler = lambdaHandler(SendEvent, sendBatch);
