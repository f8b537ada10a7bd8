// create: bundle → cgroup → helper (clone, set-up, wait at the exec gate) → state.json.
// Any failure undoes every step already taken: no process, cgroup or state dir is left.
import { connect, type Socket } from 'node:net';
import { writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import type { RuntimeContext } from './context.ts';
import type { StoredState } from '../state/store.ts';
import { bundleOf, loadBundle } from '../spec/load.ts';
import { gatherFacts } from '../plan/gather-facts.ts';
import type { SetupPlan, MonitorIo } from '../plan/create-plan.ts';
import { planCgroup, planFromPath, applyCgroup, joinCgroup, destroyCgroup, type CgroupPlan } from '../cgroups/index.ts';
import { startHelper, type StartedHelper } from '../../native/helper-process.ts';
import { runHooks } from '../hooks.ts';
import { processStartTime } from '../../sys/proc.ts';
import { failedPrecondition, wrap } from '../../errors/errors.ts';
import { isoTime } from '../../sys/iso-time.ts';

export interface CreateRequest {
  id: string;
  bundle: string;
  /** The bundle's config.json as the caller has just written it (not read back; still checked). */
  spec?: unknown;
  consoleSocket?: string;
  pidFile?: string;
  init?: boolean;
  /** false for `run` in the foreground: no exec gate, the monitor stays this process's child. */
  detach?: boolean;
  gate?: boolean;
  stdio?: ('inherit' | 'ignore' | 'pipe' | number)[];
  /** The monitor keeps the stdio (logs, attach socket): what berthd uses, so containers outlive it. */
  io?: MonitorIo;
  /** Called at the "setup" sync point, beside the runtime's own set-up (e.g. the container's network plumbing). */
  onSetup?: (pid: number) => Promise<void>;
}

export interface Created { state: StoredState; helper: StartedHelper; warnings: string[] }

function connectConsole(path: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(path, () => resolve(s));
    s.once('error', (err) => reject(failedPrecondition(`console socket ${path}: ${err.message}`, err)));
  });
}

let ownOom: number | undefined;
function ownOomScoreAdj(): number {
  ownOom ??= Number(readFileSync('/proc/self/oom_score_adj', 'utf8').trim());
  return ownOom;
}

async function setup(ctx: RuntimeContext, plan: SetupPlan, cgroup: CgroupPlan | null, pid: number): Promise<void> {
  if (plan.uidMap) await writeFile(`/proc/${pid}/uid_map`, plan.uidMap);
  if (plan.gidMap) await writeFile(`/proc/${pid}/gid_map`, plan.gidMap);
  if (cgroup) await joinCgroup(cgroup, pid);
  // The new process inherited this process's value (or the op server's, which is ours): only a
  // different one needs writing.
  if (plan.oomScoreAdj !== undefined && plan.oomScoreAdj !== ownOomScoreAdj()) {
    await writeFile(`/proc/${pid}/oom_score_adj`, String(plan.oomScoreAdj)).catch((err: NodeJS.ErrnoException) => {
      // Lowering oom_score_adj needs CAP_SYS_RESOURCE, which nested and CI set-ups lack.
      if (err.code !== 'EACCES' && err.code !== 'EPERM') throw err;
      ctx.warn(`oom_score_adj ${plan.oomScoreAdj} not applied: ${err.code}`);
    });
  }
}

/** A detached helper with no stdio of its own (berthd's, where the monitor holds the stdio)
 *  is forked by the op server when there is one. */
export function viaSpawner(ctx: RuntimeContext, detached: boolean, stdio: CreateRequest['stdio'], console: boolean): RuntimeContext['spawner'] {
  return ctx.spawner && detached && !console && stdio?.length === 3 && stdio.every((s) => s === 'ignore') ? ctx.spawner : undefined;
}

export async function create(ctx: RuntimeContext, req: CreateRequest): Promise<Created> {
  const bundle = req.spec ? await bundleOf(req.bundle, req.spec) : await loadBundle(req.bundle);
  const { spec } = bundle;
  const dir = await ctx.store.reserve(req.id);
  let cgroup: CgroupPlan | null = null;
  let console: Socket | undefined;
  let helper: StartedHelper | undefined;
  const gate = req.gate ?? true;
  try {
    if (ctx.cgroupLayout) {
      const linux = spec.linux ?? {};
      cgroup = linux.cgroupsPath
        ? planFromPath(ctx.cgroupLayout, linux.cgroupsPath, ctx.cgroupParents, linux.resources)
        : planCgroup(ctx.cgroupLayout, ctx.cgroupParents, req.id, linux.resources);
      await applyCgroup(cgroup);
    } else if (spec.linux?.resources && Object.keys(spec.linux.resources).length) {
      throw failedPrecondition('resource limits requested but no cgroup hierarchy is available');
    }
    const facts = gatherFacts(spec, bundle.rootfs, cgroup);
    if (spec.process?.terminal && !req.io) {
      if (!req.consoleSocket) throw failedPrecondition('process.terminal is set: --console-socket is required');
      console = await connectConsole(req.consoleSocket);
    }
    // The planner (and the seccomp compiler) load with the first container: not at daemon start.
    const { planCreate } = await import('../plan/create-plan.ts');
    const plan = planCreate(spec, facts, {
      exitFile: ctx.store.exitFile(req.id), gateFifo: gate ? ctx.store.fifo(req.id) : '',
      init: req.init ?? false, consoleFd: console ? 5 : undefined, io: req.io,
    });
    plan.warnings.forEach((w) => ctx.warn(w));
    const stateFor = (pid: number) => ({ ociVersion: spec.ociVersion, id: req.id, status: 'creating' as const, pid, bundle: bundle.dir, annotations: spec.annotations ?? {} });
    helper = await startHelper({
      helperPath: ctx.helperPath, label: `berth-runtime:${req.id}`, ops: plan.ops,
      stdio: (req.stdio ?? ['inherit', 'inherit', 'inherit']) as never,
      extraFds: console ? [(console as unknown as { _handle: { fd: number } })._handle.fd] : [],
      detached: req.detach ?? true,
      via: viaSpawner(ctx, req.detach ?? true, req.stdio, console !== undefined),
      onSync: async (name, pid) => {
        if (name === 'setup') {
          const done = await Promise.allSettled([setup(ctx, plan.setup, cgroup, pid), req.onSetup?.(pid)]);
          for (const r of done) if (r.status === 'rejected') throw r.reason;
        }
        else if (name === 'create-runtime') {
          await runHooks('prestart', spec.hooks?.prestart, stateFor(pid));
          await runHooks('createRuntime', spec.hooks?.createRuntime, stateFor(pid));
        }
      },
    });
    const state: StoredState = {
      ociVersion: spec.ociVersion, id: req.id, pid: helper.pid, pidStart: processStartTime(helper.pid) ?? 0,
      monitorPid: helper.monitorPid, bundle: bundle.dir, rootfs: bundle.rootfs, created: isoTime(),
      annotations: spec.annotations ?? {}, cgroup,
      hooks: { poststart: spec.hooks?.poststart ?? [], poststop: spec.hooks?.poststop ?? [] },
      namespaces: (spec.linux?.namespaces ?? []).map((n) => n.type),
    };
    await ctx.store.save(state);
    if (req.pidFile) await writeFile(req.pidFile, String(helper.pid));
    return { state, helper, warnings: plan.warnings };
  } catch (err) {
    if (helper) {
      try { process.kill(helper.pid, 'SIGKILL'); } catch { /* already gone */ }
    }
    if (cgroup) await destroyCgroup(cgroup).catch(() => {});
    await ctx.store.remove(req.id);
    throw wrap(`create container ${req.id}`, err);
  } finally {
    console?.destroy();
    void dir;
  }
}
