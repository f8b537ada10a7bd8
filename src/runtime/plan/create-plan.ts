// @pure
// spec + facts → the helper's op list for a container's init process, plus what the
// TypeScript side must do at each sync point. Read top to bottom, this is the order in
// which a container comes to life.
import type { Op } from '../../native/protocol.gen.ts';
import type { Spec, IdMapping } from '../spec/types.ts';
import type { PlanFacts } from './facts.ts';
import { CLONE, MS, NS_FLAG } from './linux-flags.ts';
import { planMounts } from './mounts.ts';
import { planDevices } from './devices.ts';
import { planProcess, planExec } from './process.ts';
import { rootPropagation } from './mount-options.ts';

/** The monitor holds the container's stdio: json-file log and an attach socket (see the io op). */
export interface MonitorIo { logPath: string; maxSize: number; maxFiles: number; attachPath: string; tty: boolean; openStdin: boolean }

/** pty op's console_fd meaning "hand the master to the monitor" (with the io op). */
export const CONSOLE_TO_MONITOR = 0xffffffff;

export interface CreateOptions { exitFile: string; gateFifo: string; init: boolean; consoleFd?: number; io?: MonitorIo }

export interface SetupPlan { uidMap?: string; gidMap?: string; oomScoreAdj?: number }

export interface CreatePlan {
  ops: Op[];
  setup: SetupPlan;            // at sync "setup": id maps, cgroup join, oom_score_adj
  createRuntimeHooks: boolean; // at sync "create-runtime": createRuntime (and prestart) hooks
  warnings: string[];
}

const idMap = (maps: IdMapping[] | undefined) => maps?.map((m) => `${m.containerID} ${m.hostID} ${m.size}\n`).join('');

export function planCreate(spec: Spec, facts: PlanFacts, opts: CreateOptions): CreatePlan {
  const warnings: string[] = [];
  const linux = spec.linux ?? {};
  const nss = linux.namespaces ?? [];
  const has = (t: string) => nss.some((n) => n.type === t);
  const fresh = (t: string) => nss.some((n) => n.type === t && !n.path);
  const userns = has('user');
  const proc = spec.process!;

  const ops: Op[] = [];
  if (opts.io) {
    const io = opts.io;
    ops.push({ op: 'io', logPath: io.logPath, maxSize: BigInt(io.maxSize), maxFiles: io.maxFiles, attachPath: io.attachPath, flags: (io.tty ? 1 : 0) | (io.openStdin ? 2 : 0) });
  }
  const pidJoin = nss.find((n) => n.type === 'pid' && n.path);
  if (pidJoin) ops.push({ op: 'setns', path: pidJoin.path!, nstype: CLONE.NEWPID });
  // The cgroup namespace is made after the child joined its cgroup, so its root is that cgroup.
  const cloneFlags = nss.filter((n) => !n.path && n.type !== 'cgroup').reduce((f, n) => f | NS_FLAG[n.type], 0);
  ops.push({ op: 'clone', flags: BigInt(cloneFlags), exitFile: opts.exitFile, gateFifo: opts.gateFifo });

  // Joined namespaces: the user namespace first, as it owns the others.
  const joins = nss.filter((n) => n.path && n.type !== 'pid').sort((a, b) => Number(b.type === 'user') - Number(a.type === 'user'));
  for (const n of joins) ops.push({ op: 'setns', path: n.path!, nstype: NS_FLAG[n.type] });

  ops.push({ op: 'sync', name: 'setup' });
  if (fresh('user')) ops.push({ op: 'user', uid: 0, gid: 0, groups: [] });
  if (fresh('cgroup')) ops.push({ op: 'unshare', flags: BigInt(CLONE.NEWCGROUP) });
  // A new network namespace gets its loopback up, as runc's default "loopback" network does.
  if (fresh('network')) ops.push({ op: 'linkUp', name: 'lo' });

  // The root: make / a slave (or as configured) and the rootfs a mount point of its own.
  ops.push(
    { op: 'mount', source: '', target: '/', fstype: '', flags: BigInt(rootPropagation(linux.rootfsPropagation)), data: '', targetInRoot: 0 },
    { op: 'mount', source: facts.rootfs, target: facts.rootfs, fstype: '', flags: BigInt(MS.BIND | MS.REC), data: '', targetInRoot: 0 },
    { op: 'setRoot', path: facts.rootfs },
  );
  ops.push(...planMounts(spec.mounts, facts, { userns, netns: fresh('network') }));
  ops.push(...planDevices(spec.mounts, linux.devices, userns, facts.hostHasKcore));
  ops.push({ op: 'mkdir', path: proc.cwd, mode: 0o755 });
  const createRuntimeHooks = (spec.hooks?.createRuntime?.length ?? 0) + (spec.hooks?.prestart?.length ?? 0) > 0;
  if (createRuntimeHooks) ops.push({ op: 'sync', name: 'create-runtime' });
  ops.push({ op: 'pivotRoot' });

  for (const [key, value] of Object.entries(linux.sysctl ?? {})) {
    ops.push({ op: 'writeFile', path: `/proc/sys/${key.replaceAll('.', '/')}`, data: value });
  }
  for (const path of linux.maskedPaths ?? []) ops.push({ op: 'mask', path });
  for (const path of linux.readonlyPaths ?? []) ops.push({ op: 'readonly', path });
  if (spec.root?.readonly) {
    ops.push({ op: 'mount', source: '', target: '/', fstype: '', flags: BigInt(MS.BIND | MS.REMOUNT | MS.RDONLY), data: '', targetInRoot: 0 });
  }
  if (spec.hostname) ops.push({ op: 'sethostname', name: spec.hostname });
  if (spec.domainname) ops.push({ op: 'setdomainname', name: spec.domainname });

  const consoleFd = opts.io?.tty ? CONSOLE_TO_MONITOR : opts.consoleFd;
  const procOpts = { gate: opts.gateFifo !== '', init: opts.init, consoleFd };
  ops.push(...planProcess(proc, linux.seccomp, facts, procOpts, warnings));
  // spawn runs argv[0] as the program: the hook's path, then its arguments after args[0].
  const hooks: Op[] = (spec.hooks?.startContainer ?? []).map((h) => ({ op: 'spawn', argv: [h.path, ...(h.args ?? []).slice(1)], env: h.env ?? [] }));
  ops.push(...planExec(proc, linux.seccomp, facts, procOpts, hooks));

  const setup: SetupPlan = {};
  if (fresh('user')) { setup.uidMap = idMap(linux.uidMappings); setup.gidMap = idMap(linux.gidMappings); }
  if (proc.oomScoreAdj !== undefined) setup.oomScoreAdj = proc.oomScoreAdj;
  return { ops, setup, createRuntimeHooks, warnings };
}
