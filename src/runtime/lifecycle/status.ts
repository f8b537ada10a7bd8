// The status of a container, from the kernel rather than from what was last written:
// stopped once its pid is gone (or reused), created while the exec gate is closed.
import type { RuntimeContext } from './context.ts';
import type { StoredState } from '../state/store.ts';
import type { State, Status } from '../spec/types.ts';
import { processStartTime, processState } from '../../sys/proc.ts';
import { isFrozen } from '../cgroups/index.ts';

export async function statusOf(ctx: RuntimeContext, st: StoredState): Promise<Status> {
  const alive = processStartTime(st.pid) === st.pidStart && processState(st.pid) !== 'Z';
  if (!alive) return 'stopped';
  if (await ctx.store.fifoExists(st.id)) return 'created';
  if (st.cgroup && await isFrozen(st.cgroup).catch(() => false)) return 'paused';
  return 'running';
}

export function ociState(st: StoredState, status: Status): State {
  return {
    ociVersion: st.ociVersion, id: st.id, status, pid: status === 'stopped' ? 0 : st.pid,
    bundle: st.bundle, annotations: st.annotations,
  };
}

/** `state` output: the OCI state plus what runc prints (rootfs, created, owner). */
export async function describe(ctx: RuntimeContext, id: string): Promise<Record<string, unknown>> {
  const st = await ctx.store.load(id);
  const status = await statusOf(ctx, st);
  const out: Record<string, unknown> = { ...ociState(st, status), rootfs: st.rootfs, created: st.created, owner: '' };
  if (status === 'stopped') {
    // The process is gone a moment before its monitor has written the exit file: give a live
    // monitor that moment rather than report no exit code.
    let exit = await ctx.store.exit(id);
    for (let i = 0; !exit && i < 50 && processState(st.monitorPid) !== undefined && processState(st.monitorPid) !== 'Z'; i++) {
      await new Promise((r) => setTimeout(r, 10));
      exit = await ctx.store.exit(id);
    }
    if (exit) out.exitCode = exit.exitCode;
  }
  return out;
}
