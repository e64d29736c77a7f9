// The one way a Lambda handler is built: middy, the event parsed by a zod schema
// at the edge (a bad event fails with the field and the reason, before any
// work), then one lib/ function with the runtime.
import middy from '@middy/core';
import type { z } from 'zod';
import { InputError } from '../errors.ts';
import { runtime, type Runtime } from '../runtime.ts';

export class EventError extends InputError {}

export function parseEvent<S extends z.ZodType>(schema: S, event: unknown): z.infer<S> {
  const result = schema.safeParse(event);
  if (result.success) return result.data;
  throw new EventError(
    `invalid event: ${result.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(event)'}: ${i.message}`).join('; ')}`,
  );
}

/** A middleware that replaces the raw event with the parsed one. */
function validateEvent<S extends z.ZodType>(schema: S): middy.MiddlewareObj<unknown> {
  return {
    before: (request) => {
      request.event = parseEvent(schema, request.event);
    },
  };
}

export function lambdaHandler<S extends z.ZodType, R>(schema: S, fn: (rt: Runtime, event: z.infer<S>) => Promise<R>) {
  return middy<unknown, R>()
    .use(validateEvent(schema))
    .handler(async (event) => fn(runtime(), event as z.infer<S>));
}
