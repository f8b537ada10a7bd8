// `berth registry serve|gc`: dispatched to the registry's own command (wired by main.ts, the
// composition root, and loaded on demand), with SIGINT/SIGTERM ending `serve`.
import { StatusError } from '../../cli-error.ts';
import type { CliContext, Command } from '../../command.ts';

async function dispatch(ctx: CliContext, sub: string, args: string[]): Promise<number> {
  const runRegistryCommand = ctx.registry;
  if (!runRegistryCommand) throw new StatusError(1, 'berth registry: not available in this build');
  const abort = new AbortController();
  const offs = [ctx.onSignal('SIGINT', () => abort.abort()), ctx.onSignal('SIGTERM', () => abort.abort())];
  try {
    return await runRegistryCommand([sub, ...args], { out: (l) => ctx.out(`${l}\n`), err: (l) => ctx.err(`${l}\n`), signal: abort.signal });
  } catch (err) {
    throw new StatusError(1, `berth registry ${sub}: ${(err as Error).message}`);
  } finally {
    for (const off of offs) off();
  }
}

const make = (name: string, usage: string, summary: string): Command => ({
  name, usage, summary, flags: [], rawArgs: true,
  run: (ctx, _f, args) => dispatch(ctx, name, args),
});

export const registry = {
  serve: make('serve', '--addr HOST:PORT --root DIR [--config FILE] [--quiet]', 'Serve an OCI distribution registry'),
  gc: make('gc', '--root DIR [--config FILE] [--dry-run] [--grace SECONDS]', 'Remove unreferenced blobs from a registry root'),
};
