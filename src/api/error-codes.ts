// @pure
// An Engine API status back to berth's error code (the client's side of daemon/error-status.ts).
import type { ErrorCode } from '../errors/errors.ts';

export function codeOfStatus(status: number): ErrorCode {
  switch (status) {
    case 400: return 'InvalidArgument';
    case 401: return 'Unauthenticated';
    case 403: return 'PermissionDenied';
    case 404: return 'NotFound';
    case 409: return 'Conflict';
    case 501: return 'NotImplemented';
    case 503: return 'Unavailable';
    default: return 'Internal';
  }
}
