// @pure
// The one map from berth's error taxonomy to Engine API status codes (moby's httpstatus.FromError:
// "is not running"-style refusals are conflicts, 409), and Docker's error body.
import { BerthError, type ErrorCode } from '../errors/errors.ts';

const STATUS: Record<ErrorCode, number> = {
  NotFound: 404,
  AlreadyExists: 409,
  Conflict: 409,
  FailedPrecondition: 409,
  InvalidArgument: 400,
  PermissionDenied: 403,
  Unauthenticated: 401,
  Unavailable: 503,
  NotImplemented: 501,
  Canceled: 500,
  Internal: 500,
};

export function statusOf(code: ErrorCode): number {
  return STATUS[code];
}

/** Status and message for anything a handler throws; non-BerthErrors are internal errors. */
export function errorResponse(err: unknown): { status: number; message: string } {
  if (err instanceof BerthError) return { status: STATUS[err.code], message: err.message };
  return { status: 500, message: err instanceof Error ? err.message : String(err) };
}

export const PAGE_NOT_FOUND = 'page not found';
