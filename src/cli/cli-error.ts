// Errors with a process exit status, as the docker CLI's StatusError: usage errors (125 for
// flags, 1 for argument counts), the container's own exit code (no message).
import { BerthError } from '../errors/errors.ts';

export class StatusError extends BerthError {
  readonly status: number;
  constructor(status: number, message = '') {
    super(status === 0 ? 'Internal' : 'FailedPrecondition', message);
    this.status = status;
  }
}

/** `berth: 'berth rm' requires at least 1 argument` + usage, exit 1 (as Docker). */
export function argCountError(path: string, usage: string, what: string): StatusError {
  return new StatusError(1, `berth: '${path}' ${what}\n\nUsage:  ${path} ${usage}\n\nSee '${path} --help' for more information`);
}

/** Flag errors: the parser's message + usage, exit 125. */
export function flagError(path: string, usage: string, message: string): StatusError {
  return new StatusError(125, `${message}\n\nUsage:  ${path} ${usage}\n\nRun '${path} --help' for more information`);
}

/** Whether an error came back from the daemon (rendered as "Error response from daemon: …"). */
export function isDaemonError(err: unknown): boolean {
  return err instanceof BerthError && typeof (err as { status?: unknown }).status === 'number' && !(err instanceof StatusError);
}
