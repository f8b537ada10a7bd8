// exec: start another process inside a running container, joining its namespaces and cgroup.
// Unspecified process fields default to the container's own process, as runc does.
import { connect, type Socket } from 'node:net';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RuntimeContext } from './context.ts';
import type { Process } from '../spec/types.ts';
import { statusOf } from './status.ts';
import { loadBundle } from '../spec/load.ts';
import { gatherFacts } from '../plan/gather-facts.ts';
import type { MonitorIo } from '../plan/create-plan.ts';
import { joinCgroup } from '../cgroups/index.ts';
import { startHelper, type StartedHelper } from '../../native/helper-process.ts';
import { viaSpawner } from './create.ts';
import { failedPrecondition, invalidArgument, wrap } from '../../errors/errors.ts';

export interface ExecRequest {
  id: string;
  process: Partial<Process> & { args: string[] };
  consoleSocket?: string;
  pidFile?: string;
  detach?: boolean;
  extraEnv?: string[];        // KEY=VALUE entries added to (or replacing in) the process env
  addCaps?: string[];         // capabilities added to every set
  stdio?: ('inherit' | 'ignore' | 'pipe' | number)[];
  /** The monitor holds the process's stdio: an attach socket (and optionally a log). */
  io?: MonitorIo;
  /** Wait at exec until a byte arrives on this fifo (the caller makes it); implies detach. */
  gateFifo?: string;
  /** Where the monitor writes the exit status (default: a file in the state dir when detached). */
  exitFile?: string;
}

function mergeEnv(base: string[], extra: string[]): string[] {
  const map = new Map<string, string>();
  for (const e of [...base, ...extra]) map.set(e.split('=', 1)[0], e);
  return [...map.values()];
}

export async function exec(ctx: RuntimeContext, req: ExecRequest): Promise<StartedHelper> {
  const st = await ctx.store.load(req.id);
  const status = await statusOf(ctx, st);
  if (status !== 'running') throw failedPrecondition(`cannot exec in a ${status} container`);
  if (!req.process.args?.length) throw invalidArgument('exec: process args must not be empty');
  const { spec, rootfs } = await loadBundle(st.bundle);
  const base = spec.process!;
  const proc: Process = { ...base, ...req.process, user: req.process.user ?? base.user, cwd: req.process.cwd ?? base.cwd };
  proc.env = mergeEnv(proc.env ?? [], req.extraEnv ?? []);
  if (req.addCaps?.length) {
    const c = proc.capabilities ?? {};
    const add = (set: string[] | undefined) => [...new Set([...(set ?? []), ...req.addCaps!])];
    proc.capabilities = { bounding: add(c.bounding), effective: add(c.effective), permitted: add(c.permitted), inheritable: c.inheritable, ambient: c.ambient };
  }
  if (!proc.cwd.startsWith('/')) throw invalidArgument(`cwd ${JSON.stringify(proc.cwd)} must be an absolute path`);
  let console: Socket | undefined;
  try {
    if (proc.terminal && !req.io) {
      if (!req.consoleSocket) throw failedPrecondition('terminal requested: --console-socket is required');
      console = await new Promise<Socket>((res, rej) => {
        const s = connect(req.consoleSocket!, () => res(s));
        s.once('error', rej);
      });
    }
    const facts = gatherFacts({ mounts: [] }, rootfs, st.cgroup);
    const exitFile = req.exitFile ?? join(ctx.store.dir(req.id), `exec-${process.pid}-${Date.now()}.json`);
    const detach = req.detach || !!req.gateFifo;
    const { planExecProcess } = await import('../plan/exec-plan.ts');
    const { ops, warnings } = planExecProcess({
      containerPid: st.pid, namespaces: st.namespaces, process: proc, seccomp: spec.linux?.seccomp,
      exitFile: detach || req.exitFile ? exitFile : '', consoleFd: console ? 5 : undefined, io: req.io, gateFifo: req.gateFifo,
    }, facts);
    warnings.forEach((w) => ctx.warn(w));
    const helper = await startHelper({
      helperPath: ctx.helperPath, label: `berth-runtime-exec:${req.id}`, ops,
      stdio: (req.stdio ?? ['inherit', 'inherit', 'inherit']) as never,
      extraFds: console ? [(console as unknown as { _handle: { fd: number } })._handle.fd] : [],
      detached: detach,
      via: viaSpawner(ctx, detach, req.stdio, console !== undefined),
      onSync: async (name, pid) => {
        if (name === 'setup' && st.cgroup) await joinCgroup(st.cgroup, pid);
      },
    });
    if (req.pidFile) await writeFile(req.pidFile, String(helper.pid));
    return helper;
  } catch (err) {
    throw wrap(`exec in container ${req.id}`, err);
  } finally {
    console?.destroy();
  }
}
