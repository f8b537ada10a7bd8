// The runtime as a library: what `berth-runtime` and (later) berthd's container service call.
// Constructed once with its dependencies; every operation is in lifecycle/, one file each.
import { readFileSync } from 'node:fs';
import type { RuntimeContext } from './lifecycle/context.ts';
import { StateStore } from './state/store.ts';
import { detectLayout, ownCgroup } from './cgroups/index.ts';
import { create, type CreateRequest, type Created } from './lifecycle/create.ts';
import { start } from './lifecycle/start.ts';
import { kill } from './lifecycle/kill.ts';
import { remove } from './lifecycle/delete.ts';
import { pause, resume } from './lifecycle/pause.ts';
import { ps } from './lifecycle/ps.ts';
import { exec, type ExecRequest } from './lifecycle/exec.ts';
import { describe, statusOf, ociState } from './lifecycle/status.ts';
import { runHooks } from './hooks.ts';
import { oomKillCount, readStats, planCgroup, applyCgroup, type CgroupStats } from './cgroups/index.ts';
import { basename, dirname } from 'node:path';
import { failedPrecondition } from '../errors/errors.ts';
import type { StartedHelper } from '../native/helper-process.ts';
import type { Status, Resources } from './spec/types.ts';
import type { HelperSpawner } from '../native/helper-process.ts';
export type { MonitorIo } from './plan/create-plan.ts';
export type { CreateRequest } from './lifecycle/create.ts';
export type { ExecRequest } from './lifecycle/exec.ts';

export interface RuntimeOptions {
  root: string;                               // state directory (runc: /run/runc)
  helperPath: string;
  cgroupParents?: Record<string, string>;     // default: this process's own cgroups
  warn?: (msg: string) => void;
  spawner?: HelperSpawner;
}

export class Runtime {
  readonly ctx: RuntimeContext;

  constructor(opts: RuntimeOptions) {
    const layout = detectLayout(readFileSync('/proc/self/mountinfo', 'utf8'));
    this.ctx = {
      store: new StateStore(opts.root),
      helperPath: opts.helperPath,
      cgroupLayout: layout,
      cgroupParents: opts.cgroupParents ?? ownCgroup(readFileSync('/proc/self/cgroup', 'utf8'), layout),
      warn: opts.warn ?? (() => {}),
      spawner: opts.spawner,
    };
  }

  create(req: CreateRequest): Promise<Created> { return create(this.ctx, req); }
  start(id: string): Promise<void> { return start(this.ctx, id); }
  kill(id: string, signal?: string, all?: boolean): Promise<void> { return kill(this.ctx, id, signal, all); }
  delete(id: string, force?: boolean): Promise<void> { return remove(this.ctx, id, force); }
  pause(id: string): Promise<void> { return pause(this.ctx, id); }
  resume(id: string): Promise<void> { return resume(this.ctx, id); }
  ps(id: string): Promise<number[]> { return ps(this.ctx, id); }
  exec(req: ExecRequest): Promise<StartedHelper> { return exec(this.ctx, req); }
  state(id: string): Promise<Record<string, unknown>> { return describe(this.ctx, id); }
  list(): Promise<string[]> { return this.ctx.store.list(); }

  async status(id: string): Promise<Status> {
    return statusOf(this.ctx, await this.ctx.store.load(id));
  }

  /** New resource limits for a container's existing cgroup (runc update): the writes only. */
  async update(id: string, resources: Resources): Promise<void> {
    const st = await this.ctx.store.load(id);
    if (!st.cgroup) throw failedPrecondition(`container ${id} has no cgroup to update`);
    const layout = st.cgroup.layout;
    const parents: Record<string, string> = {};
    let name = '';
    for (const f of st.cgroup.procsFiles) {
      const leaf = dirname(f);
      const mounts = layout.mode === 'v2' ? { '': layout.root } : layout.v1Mounts ?? {};
      for (const [ctrl, mnt] of Object.entries(mounts)) {
        if (!leaf.startsWith(`${mnt}/`)) continue;
        const rel = leaf.slice(mnt.length);
        parents[ctrl] = dirname(rel);
        name = basename(rel);
      }
    }
    const plan = planCgroup(layout, parents, name, { ...resources, devices: undefined });
    await applyCgroup({ ...plan, dirs: [] });
  }

  /** Resource usage from the container's cgroup; null when it has none. */
  async stats(id: string): Promise<CgroupStats | null> {
    const st = await this.ctx.store.load(id);
    return st.cgroup ? readStats(st.cgroup) : null;
  }

  /** Whether the kernel's OOM killer acted in the container's cgroup. */
  async oomKilled(id: string): Promise<boolean> {
    const st = await this.ctx.store.load(id);
    return st.cgroup ? (await oomKillCount(st.cgroup)) > 0 : false;
  }

  /**
   * run: create without a gate and with the monitor as this process's child, wait for the exit.
   * Returns the exit code as runc reports it (128+signal) and whether an OOM kill happened.
   */
  async run(req: Omit<CreateRequest, 'gate' | 'detach'>, opts: { keep?: boolean } = {}): Promise<{ exitCode: number; oomKilled: boolean }> {
    const { helper, state } = await this.create({ ...req, gate: false, detach: false });
    await runHooks('poststart', state.hooks.poststart, ociState(state, 'running')).catch((err: Error) => this.ctx.warn(err.message));
    const exit = await helper.exited;
    const oomKilled = await this.oomKilled(req.id).catch(() => false);
    if (!opts.keep) await this.delete(req.id, true);
    return { exitCode: exit.exitCode, oomKilled };
  }
}
