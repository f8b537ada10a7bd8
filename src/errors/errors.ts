// The one error taxonomy of berth. Every layer throws BerthError (or wraps a cause in one);
// daemon/ maps `code` to an HTTP status, cli/ to an exit code and a message.

export type ErrorCode =
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'InvalidArgument'
  | 'FailedPrecondition'
  | 'PermissionDenied'
  | 'Unauthenticated'
  | 'Unavailable'
  | 'NotImplemented'
  | 'Canceled'
  | 'Internal';

export class BerthError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = 'BerthError';
  }
}

export const notFound = (msg: string, cause?: unknown) => new BerthError('NotFound', msg, { cause });
export const alreadyExists = (msg: string, cause?: unknown) => new BerthError('AlreadyExists', msg, { cause });
export const conflict = (msg: string, cause?: unknown) => new BerthError('Conflict', msg, { cause });
export const invalidArgument = (msg: string, cause?: unknown) => new BerthError('InvalidArgument', msg, { cause });
export const failedPrecondition = (msg: string, cause?: unknown) => new BerthError('FailedPrecondition', msg, { cause });
export const permissionDenied = (msg: string, cause?: unknown) => new BerthError('PermissionDenied', msg, { cause });
export const unavailable = (msg: string, cause?: unknown) => new BerthError('Unavailable', msg, { cause });
export const notImplemented = (msg: string, cause?: unknown) => new BerthError('NotImplemented', msg, { cause });
export const canceled = (msg: string, cause?: unknown) => new BerthError('Canceled', msg, { cause });
export const internal = (msg: string, cause?: unknown) => new BerthError('Internal', msg, { cause });

/** Adds context on the way up: `prepare snapshot x: <inner message>`, keeping the code. */
export function wrap(context: string, err: unknown): BerthError {
  if (err instanceof BerthError) return new BerthError(err.code, `${context}: ${err.message}`, { cause: err });
  const msg = err instanceof Error ? err.message : String(err);
  const errno = (err as NodeJS.ErrnoException | undefined)?.code;
  const code: ErrorCode =
    errno === 'ENOENT' ? 'NotFound'
    : errno === 'EEXIST' ? 'AlreadyExists'
    : errno === 'EACCES' || errno === 'EPERM' ? 'PermissionDenied'
    : errno === 'EINVAL' ? 'InvalidArgument'
    : 'Internal';
  return new BerthError(code, `${context}: ${msg}`, { cause: err });
}

export function isCode(err: unknown, code: ErrorCode): boolean {
  return err instanceof BerthError && err.code === code;
}
