// start: open the exec gate of a created container, then run its poststart hooks.
import { closeSync, constants, openSync, unlinkSync, writeSync } from 'node:fs';
import type { RuntimeContext } from './context.ts';
import { statusOf, ociState } from './status.ts';
import { runHooks } from '../hooks.ts';
import { failedPrecondition } from '../../errors/errors.ts';

export async function start(ctx: RuntimeContext, id: string): Promise<void> {
  const st = await ctx.store.load(id);
  const status = await statusOf(ctx, st);
  if (status !== 'created') throw failedPrecondition(`cannot start a container that has ${status === 'stopped' ? 'stopped' : `already started (${status})`}`);
  const fifo = ctx.store.fifo(id);
  // The monitor holds the fifo open for reading, so a non-blocking open for writing succeeds
  // (and nothing here can block: done in place, not through the thread pool).
  const fd = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
  try {
    writeSync(fd, Buffer.from([1]));
  } finally {
    closeSync(fd);
  }
  unlinkSync(fifo);
  await runHooks('poststart', st.hooks.poststart, ociState(st, 'running')).catch((err: Error) => ctx.warn(err.message));
}
