// delete: a stopped (or created) container's cgroup and state go, poststop hooks run.
// With force a running one is killed first.
import type { RuntimeContext } from './context.ts';
import { statusOf, ociState } from './status.ts';
import { destroyCgroup, thaw } from '../cgroups/index.ts';
import { runHooks } from '../hooks.ts';
import { processStartTime, processState } from '../../sys/proc.ts';
import { failedPrecondition, isCode } from '../../errors/errors.ts';

async function waitGone(pid: number, start: number, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  // A monitor exits right after it wrote the exit record: look again soon, then less often.
  // A zombie is gone too: a monitor forked by berthd's op server is init's child, and how soon
  // init reaps is not ours to know.
  for (let delay = 1; processStartTime(pid) === start && processState(pid) !== 'Z'; delay = Math.min(delay * 2, 20)) {
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, delay));
  }
  return true;
}

export async function remove(ctx: RuntimeContext, id: string, force = false): Promise<void> {
  let st;
  try {
    st = await ctx.store.load(id);
  } catch (err) {
    if (force && isCode(err, 'NotFound')) return;
    throw err;
  }
  const status = await statusOf(ctx, st);
  if ((status === 'running' || status === 'paused') && !force) {
    throw failedPrecondition(`cannot delete container ${id} that is not stopped: ${status}`);
  }
  if (status !== 'stopped') {
    if (status === 'paused' && st.cgroup) await thaw(st.cgroup).catch(() => {});
    try { process.kill(st.pid, 'SIGKILL'); } catch { /* gone */ }
    await waitGone(st.pid, st.pidStart, 5000);
  }
  // The monitor writes the exit record when the container ends; give it a moment.
  if (st.monitorPid) await waitGone(st.monitorPid, processStartTime(st.monitorPid) ?? -1, 2000);
  if (st.cgroup) await destroyCgroup(st.cgroup);
  await ctx.store.remove(id);
  await runHooks('poststop', st.hooks.poststop, ociState(st, 'stopped')).catch((err: Error) => ctx.warn(err.message));
}
