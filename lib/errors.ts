// The errors every layer throws, each mapped once to a CLI exit code and once to
// an HTTP status. Anything else that escapes is a failure of ours (exit 1, 500).
// Messages name the field, file or line and the reason; they never quote scanned
// content.

/** An error meant for the person: its message is shown as it is, with no stack. Named after its class. */
abstract class KnownError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** What a person or program gave us is wrong: a file, a flag, an event, a body, the environment. */
export class InputError extends KnownError {}
/** A command line that cannot be understood (an unknown option, a missing argument). */
export class UsageError extends InputError {}
/** A request body larger than the route takes (HTTP only). */
export class TooLargeError extends InputError {}
/** A request body in a content type the route does not read (HTTP only). */
export class MediaTypeError extends InputError {}
/** Something asked for by name does not exist (an organisation, a run, a control). */
export class NotFoundError extends KnownError {}
/** The request is valid but clashes with the state it meets (a closed review, a run already going). */
export class ConflictError extends KnownError {}
/** No valid credentials were presented (HTTP only: a missing or expired token). */
export class UnauthenticatedError extends KnownError {}
/** The caller is known but may not do this (wrong role, another organisation, not the owner). */
export class ForbiddenError extends KnownError {}
/** Something we depend on is missing or failing: Java for DynamoDB Local, AWS, the mail relay. */
export class DependencyError extends KnownError {}

/**
 * Rethrows `error`, an InputError about a use case's own field (its message starts with a
 * name `field` matches and `: `) said with the field as the caller's interface names it
 * (`query.`, `body.` or `--` before it); any other error as it is.
 */
export function rethrowFieldAs(error: unknown, prefix: string, field: RegExp): never {
  throw error instanceof InputError && field.test(error.message) ? new InputError(`${prefix}${error.message}`) : error;
}

type ErrorClass = abstract new (...args: never[]) => Error;

/** One row per class, most specific first: exit code for the CLI, status for the HTTP API. */
const MAP: readonly { type: ErrorClass; exitCode: number; httpStatus: number }[] = [
  { type: UsageError, exitCode: 2, httpStatus: 400 },
  { type: TooLargeError, exitCode: 2, httpStatus: 413 },
  { type: MediaTypeError, exitCode: 2, httpStatus: 415 },
  { type: InputError, exitCode: 2, httpStatus: 400 },
  { type: NotFoundError, exitCode: 2, httpStatus: 404 },
  { type: ConflictError, exitCode: 2, httpStatus: 409 },
  { type: UnauthenticatedError, exitCode: 2, httpStatus: 401 },
  { type: ForbiddenError, exitCode: 2, httpStatus: 403 },
  { type: DependencyError, exitCode: 1, httpStatus: 503 },
];

export interface ErrorOutcome {
  exitCode: number;
  httpStatus: number;
  /** True for the classes above: the message is meant for the person and is shown as it is. */
  expected: boolean;
}

export function errorOutcome(error: unknown): ErrorOutcome {
  const row = MAP.find((r) => error instanceof r.type);
  return row ? { exitCode: row.exitCode, httpStatus: row.httpStatus, expected: true } : { exitCode: 1, httpStatus: 500, expected: false };
}
