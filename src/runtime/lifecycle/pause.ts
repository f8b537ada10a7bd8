// pause / resume: freeze and thaw the container's cgroup.
import type { RuntimeContext } from './context.ts';
import { statusOf } from './status.ts';
import { freeze, thaw } from '../cgroups/index.ts';
import { failedPrecondition } from '../../errors/errors.ts';

export async function pause(ctx: RuntimeContext, id: string): Promise<void> {
  const st = await ctx.store.load(id);
  const status = await statusOf(ctx, st);
  if (status !== 'running' && status !== 'created') throw failedPrecondition(`container not running or created: ${status}`);
  if (!st.cgroup) throw failedPrecondition('container has no cgroup to freeze');
  await freeze(st.cgroup);
}

export async function resume(ctx: RuntimeContext, id: string): Promise<void> {
  const st = await ctx.store.load(id);
  const status = await statusOf(ctx, st);
  if (status !== 'paused') throw failedPrecondition('container not paused');
  await thaw(st.cgroup!);
}
