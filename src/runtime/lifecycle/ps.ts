// ps: the host pids of every process in the container's cgroup.
import type { RuntimeContext } from './context.ts';
import { listPids } from '../cgroups/index.ts';
import { statusOf } from './status.ts';

export async function ps(ctx: RuntimeContext, id: string): Promise<number[]> {
  const st = await ctx.store.load(id);
  if (await statusOf(ctx, st) === 'stopped') return [];
  return st.cgroup ? (await listPids(st.cgroup)).sort((a, b) => a - b) : [st.pid];
}
