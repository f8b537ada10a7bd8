// @pure
// Finds the cgroup hierarchies in /proc/self/mountinfo and this process's place in them.
import type { CgroupLayout } from './types.ts';
import { joinPath, parentOf } from './paths.ts';

export const V1_CONTROLLERS = [
  'cpu', 'cpuacct', 'cpuset', 'memory', 'devices', 'freezer', 'net_cls', 'net_prio',
  'blkio', 'perf_event', 'hugetlb', 'pids', 'rdma', 'misc',
];

interface MountLine { root: string; mountPoint: string; fsType: string; superOptions: string[] }

/** mountinfo escapes space, tab, newline and backslash as \ooo. */
function unescape(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}

function parseLine(line: string): MountLine | null {
  const fields = line.split(' ');
  const dash = fields.indexOf('-', 6);
  if (dash < 0 || fields.length < dash + 3) return null;
  return {
    root: unescape(fields[3]),
    mountPoint: unescape(fields[4]),
    fsType: fields[dash + 1],
    superOptions: (fields[dash + 3] ?? '').split(','),
  };
}

/** Mounts under /sys/fs/cgroup win over bind mounts of the same hierarchy elsewhere; among
 *  equals the later line wins, as a later mount on the same point covers the earlier one. */
function better(a: MountLine, b: MountLine | undefined): boolean {
  if (!b) return true;
  const std = (m: MountLine) => m.mountPoint.startsWith('/sys/fs/cgroup');
  return std(a) === std(b) ? true : std(a);
}

/** Parses /proc/self/mountinfo. v1 when any v1 controller hierarchy is mounted (a hybrid
 *  host's cgroup2 mount is ignored); v2 when only cgroup2 is; null when neither. */
export function detectLayout(mountinfo: string): CgroupLayout | null {
  const byCtrl = new Map<string, MountLine>();
  let unified: MountLine | undefined;
  for (const raw of mountinfo.split('\n')) {
    const m = parseLine(raw.trim());
    if (!m) continue;
    if (m.fsType === 'cgroup2') {
      if (better(m, unified)) unified = m;
    } else if (m.fsType === 'cgroup') {
      const ctrls = m.superOptions.filter((o) => V1_CONTROLLERS.includes(o) || o.startsWith('name='));
      for (const c of ctrls) if (better(m, byCtrl.get(c))) byCtrl.set(c, m);
    }
  }
  if ([...byCtrl.keys()].some((c) => !c.startsWith('name='))) {
    const v1Mounts: Record<string, string> = {};
    const mountRoots: Record<string, string> = {};
    for (const [c, m] of [...byCtrl].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      v1Mounts[c] = m.mountPoint;
      mountRoots[c] = m.root;
    }
    const first = byCtrl.get('memory') ?? [...byCtrl.values()][0];
    return { mode: 'v1', root: parentOf(first.mountPoint), v1Mounts, mountRoots };
  }
  if (unified) return { mode: 'v2', root: unified.mountPoint, mountRoots: { '': unified.root } };
  return null;
}

/** Makes a /proc/self/cgroup path relative to what the mount shows as its root. */
function relativeToMount(path: string, mountRoot: string | undefined): string {
  if (!mountRoot || mountRoot === '/') return path;
  if (path === mountRoot) return '/';
  if (path.startsWith(`${mountRoot}/`)) return path.slice(mountRoot.length);
  return path; // outside the mount's view (cgroup namespaces already made it relative)
}

/** The calling process's own cgroup per v1 controller, or {'': path} on v2. Controllers
 *  that /proc/self/cgroup does not mention default to '/'. */
export function ownCgroup(procSelfCgroup: string, layout: CgroupLayout | null): Record<string, string> {
  if (!layout) return {};
  const out: Record<string, string> = {};
  const lines = procSelfCgroup.split('\n').map((l) => l.trim()).filter(Boolean);
  if (layout.mode === 'v2') {
    const line = lines.find((l) => l.startsWith('0::'));
    const path = line ? line.slice(3).replace(/ \(deleted\)$/, '') : '/';
    return { '': joinPath('/', relativeToMount(path, layout.mountRoots?.[''])) };
  }
  const mounts = layout.v1Mounts ?? {};
  for (const c of Object.keys(mounts)) out[c] = '/';
  for (const line of lines) {
    const first = line.indexOf(':');
    const second = line.indexOf(':', first + 1);
    if (first < 0 || second < 0) continue;
    const ctrls = line.slice(first + 1, second);
    const path = line.slice(second + 1).replace(/ \(deleted\)$/, '');
    if (!ctrls) continue;
    for (const c of ctrls.split(',')) {
      if (c in mounts) out[c] = joinPath('/', relativeToMount(path, layout.mountRoots?.[c]));
    }
  }
  return out;
}
