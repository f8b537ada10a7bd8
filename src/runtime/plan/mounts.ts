// @pure
// spec.mounts → helper ops inside the root. Paths are resolved by the helper inside the
// root at execution time (never here), so a symlink in the image cannot send a mount out.
import type { Op } from '../../native/protocol.gen.ts';
import { invalidArgument } from '../../errors/errors.ts';
import type { Mount } from '../spec/types.ts';
import type { PlanFacts } from './facts.ts';
import { parseMountOptions } from './mount-options.ts';
import { MS } from './linux-flags.ts';

function mountOp(source: string, target: string, fstype: string, flags: number, data = ''): Op {
  return { op: 'mount', source, target, fstype, flags: BigInt(flags), data, targetInRoot: 1 };
}

function bindOps(source: string, dest: string, flags: number, recursive: boolean, data: string): Op[] {
  const ops: Op[] = [mountOp(source, dest, '', MS.BIND | (recursive ? MS.REC : 0))];
  // A bind mount takes ro/nosuid/... only through a remount of the new mount.
  if (flags & ~(MS.BIND | MS.REC)) ops.push(mountOp('', dest, '', (flags & ~MS.REC) | MS.BIND | MS.REMOUNT, data));
  return ops;
}

function cgroupOps(dest: string, flags: number, facts: PlanFacts): Op[] {
  const v2 = facts.cgroupDirs.length === 1 && facts.cgroupDirs[0].name === '';
  if (v2) return [{ op: 'mkdir', path: dest, mode: 0o755 }, ...bindOps(facts.cgroupDirs[0].hostDir, dest, flags, false, '')];
  const ops: Op[] = [
    { op: 'mkdir', path: dest, mode: 0o755 },
    mountOp('tmpfs', dest, 'tmpfs', (flags & ~MS.RDONLY) | MS.NOSUID | MS.NODEV | MS.NOEXEC, 'mode=755'),
  ];
  for (const { name, hostDir } of facts.cgroupDirs) {
    const target = `${dest}/${name}`;
    ops.push({ op: 'mkdir', path: target, mode: 0o755 }, ...bindOps(hostDir, target, flags, false, ''));
  }
  if (flags & MS.RDONLY) ops.push(mountOp('', dest, '', (flags & ~MS.REC) | MS.REMOUNT, 'mode=755'));
  return ops;
}

export interface MountContext { userns: boolean; netns: boolean }

export function planMount(m: Mount, facts: PlanFacts, ctx: MountContext): Op[] {
  const opt = parseMountOptions(m.options);
  const dest = m.destination;
  const type = m.type ?? (opt.bind ? 'bind' : 'none');
  const ops: Op[] = [];
  if (opt.bind || type === 'bind') {
    const source = m.source ?? '';
    if (!source.startsWith('/')) throw invalidArgument(`mount ${dest}: bind source ${JSON.stringify(source)} must be an absolute path`);
    const kind = facts.sourceKinds[source];
    if (kind === 'missing' || kind === undefined) throw invalidArgument(`mount ${dest}: bind source ${source} does not exist`);
    ops.push(kind === 'file' ? { op: 'mkfile', path: dest, mode: 0o644 } : { op: 'mkdir', path: dest, mode: 0o755 });
    ops.push(...bindOps(source, dest, opt.flags, opt.recursive || type === 'rbind', opt.data));
  } else if (type === 'cgroup' || type === 'cgroup2') {
    ops.push(...cgroupOps(dest, opt.flags, facts));
  } else if (type === 'sysfs' && ctx.userns && !ctx.netns) {
    // sysfs cannot be mounted from a user namespace that does not own the netns: bind the host's.
    ops.push({ op: 'mkdir', path: dest, mode: 0o755 }, ...bindOps('/sys', dest, opt.flags | MS.NOSUID | MS.NODEV | MS.NOEXEC, true, ''));
  } else {
    ops.push({ op: 'mkdir', path: dest, mode: 0o755 }, mountOp(m.source ?? type, dest, type, opt.flags, opt.data));
  }
  for (const p of opt.propagation) ops.push(mountOp('', dest, '', p));
  return ops;
}

export function planMounts(mounts: readonly Mount[] | undefined, facts: PlanFacts, ctx: MountContext): Op[] {
  return (mounts ?? []).flatMap((m) => planMount(m, facts, ctx));
}
