// Docker's "for each container" loop (stop, rm, kill, pause, ...): each success prints the name
// as given, each failure is reported, and the command fails with status 1 when any did.
import { StatusError, isDaemonError } from '../../cli-error.ts';
import type { CliContext } from '../../command.ts';

export function errorText(err: unknown): string {
  const msg = (err as Error)?.message ?? String(err);
  return isDaemonError(err) ? `Error response from daemon: ${msg}` : msg;
}

export async function forEachContainer(ctx: CliContext, names: readonly string[], fn: (name: string) => Promise<unknown>, print = true): Promise<void> {
  const errors: string[] = [];
  const results = await Promise.allSettled(names.map((n) => fn(n)));
  results.forEach((r, i) => {
    if (r.status === 'fulfilled') { if (print) ctx.out(`${names[i]}\n`); } else errors.push(errorText(r.reason));
  });
  if (errors.length) throw new StatusError(1, errors.join('\n'));
}

/** Fails with status 1 and every error's text, when there are any. */
export function throwCollected(errors: readonly unknown[]): void {
  if (errors.length) throw new StatusError(1, errors.map(errorText).join('\n'));
}
