// kill: send a signal to the container's init (or, with all, to every process in its cgroup).
import type { RuntimeContext } from './context.ts';
import { statusOf } from './status.ts';
import { parseSignal } from './signals.ts';
import { listPids } from '../cgroups/index.ts';
import { failedPrecondition } from '../../errors/errors.ts';

export async function kill(ctx: RuntimeContext, id: string, signal = 'SIGTERM', all = false): Promise<void> {
  const st = await ctx.store.load(id);
  const sig = parseSignal(signal);
  const status = await statusOf(ctx, st);
  if (status === 'stopped') throw failedPrecondition('container not running');
  const pids = all && st.cgroup ? await listPids(st.cgroup) : [st.pid];
  for (const pid of pids) {
    try {
      process.kill(pid, sig);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
    }
  }
}
