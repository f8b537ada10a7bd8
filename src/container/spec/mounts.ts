// @pure
// The container's mounts: Docker's defaults (oci/defaults.go), user mounts from -v binds,
// --tmpfs and --mount, and how they combine (daemon/oci_linux.go WithMounts).
import { invalidArgument, notImplemented } from '../../errors/errors.ts';
import type { Mount } from '../../runtime/spec/types.ts';
import type { MountSpec } from '../docker-types.ts';

export const DEFAULT_SHM_SIZE = 64 * 1024 * 1024;

export function defaultMounts(): Mount[] {
  return [
    { destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'] },
    { destination: '/dev/pts', type: 'devpts', source: 'devpts', options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'] },
    { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', 'ro'] },
    { destination: '/sys/fs/cgroup', type: 'cgroup', source: 'cgroup', options: ['ro', 'nosuid', 'noexec', 'nodev'] },
    { destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/dev/shm', type: 'tmpfs', source: 'shm', options: ['nosuid', 'noexec', 'nodev', 'mode=1777'] },
  ];
}

/** A user mount before it becomes an OCI mount. */
export interface UserMount { destination: string; kind: 'bind' | 'tmpfs'; source: string; writable: boolean; propagation: string; nonRecursive: boolean; data: string }

const PROPAGATIONS = new Set(['private', 'rprivate', 'shared', 'rshared', 'slave', 'rslave']);
const BIND_MODES = new Set(['ro', 'rw', 'z', 'Z', 'nocopy', 'consistent', 'cached', 'delegated', ...PROPAGATIONS]);

function cleanPath(p: string): string {
  const parts: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  return '/' + parts.join('/');
}

/** `-v src:dst[:opts]`. A non-absolute src is a named volume: not implemented yet. */
export function parseBind(spec: string): UserMount {
  const parts = spec.split(':');
  if (parts.length < 2 || parts.length > 3 || parts.some((p, i) => p === '' && i < 2)) {
    if (parts.length === 1 && spec.startsWith('/')) throw notImplemented(`anonymous volumes are not supported yet: ${spec}`);
    throw invalidArgument(`invalid volume specification: '${spec}'`);
  }
  const [src, dst, mode = ''] = parts;
  if (!dst.startsWith('/')) throw invalidArgument(`invalid volume specification: '${spec}': invalid mount config for type "bind": invalid mount path: '${dst}' mount path must be absolute`);
  if (!src.startsWith('/')) throw notImplemented(`named volumes are not supported yet: ${src}`);
  const opts = mode === '' ? [] : mode.split(',');
  if (opts.some((o) => !BIND_MODES.has(o)) || opts.filter((o) => o === 'ro' || o === 'rw').length > 1 || opts.filter((o) => PROPAGATIONS.has(o)).length > 1) {
    throw invalidArgument(`invalid mode: ${mode}`);
  }
  const propagation = opts.find((o) => PROPAGATIONS.has(o)) ?? 'rprivate';
  return { destination: cleanPath(dst), kind: 'bind', source: cleanPath(src), writable: !opts.includes('ro'), propagation, nonRecursive: false, data: '' };
}

/** Docker's size rendering for TmpfsOptions.SizeBytes: the largest of g/m/k dividing it. */
function tmpfsSize(bytes: number): string {
  for (const [suffix, div] of [['g', 2 ** 30], ['m', 2 ** 20], ['k', 2 ** 10]] as const) {
    if (bytes % div === 0) return `size=${bytes / div}${suffix}`;
  }
  return `size=${bytes}`;
}

/** `--mount`: bind and tmpfs; volume (and the others) are not implemented yet. */
export function fromMountSpec(m: MountSpec): UserMount {
  if (!m.Target?.startsWith('/')) throw invalidArgument(`invalid mount config for type "${m.Type}": invalid mount path: '${m.Target ?? ''}' mount path must be absolute`);
  const destination = cleanPath(m.Target);
  switch (m.Type) {
    case 'bind': {
      if (!m.Source) throw invalidArgument('invalid mount config for type "bind": field Source must not be empty');
      if (m.TmpfsOptions) throw invalidArgument('invalid mount config for type "bind": field TmpfsOptions must not be specified');
      const p = m.BindOptions?.Propagation || 'rprivate';
      if (!PROPAGATIONS.has(p)) throw invalidArgument(`invalid mount config for type "bind": invalid propagation mode: ${p}`);
      return { destination, kind: 'bind', source: cleanPath(m.Source), writable: !m.ReadOnly, propagation: p, nonRecursive: m.BindOptions?.NonRecursive ?? false, data: '' };
    }
    case 'tmpfs': {
      if (m.Source) throw invalidArgument('invalid mount config for type "tmpfs": field Source must not be specified');
      const data: string[] = [];
      if (m.TmpfsOptions?.SizeBytes) data.push(tmpfsSize(m.TmpfsOptions.SizeBytes));
      if (m.TmpfsOptions?.Mode) data.push(`mode=${m.TmpfsOptions.Mode.toString(8)}`);
      for (const o of m.TmpfsOptions?.Options ?? []) data.push(o.length > 1 ? `${o[0]}=${o[1]}` : o[0]);
      if (m.ReadOnly) data.unshift('ro');
      return { destination, kind: 'tmpfs', source: 'tmpfs', writable: !m.ReadOnly, propagation: '', nonRecursive: false, data: data.join(',') };
    }
    case 'volume':
      throw notImplemented('mounts of type "volume" are not supported yet');
    default:
      throw invalidArgument(`mount type unknown: ${JSON.stringify(m.Type)}`);
  }
}

// Mount flags in pairs (set, clear), as moby/sys/mount's flag table for MergeTmpfsOptions.
const FLAG_GROUPS: readonly (readonly string[])[] = [
  ['ro', 'rw'], ['exec', 'noexec'], ['suid', 'nosuid'], ['dev', 'nodev'], ['sync', 'async'], ['dirsync'],
  ['remount'], ['mand', 'nomand'], ['atime', 'noatime'], ['diratime', 'nodiratime'], ['bind'], ['rbind'],
  ['unbindable', 'runbindable', 'private', 'rprivate', 'shared', 'rshared', 'slave', 'rslave'],
  ['relatime', 'norelatime'], ['strictatime', 'nostrictatime'],
];
const TMPFS_DATA = new Set(['size', 'mode', 'uid', 'gid', 'nr_inodes', 'nr_blocks', 'mpol']);

/** moby/sys/mount MergeTmpfsOptions: later options win within a flag group or data key. */
export function mergeTmpfsOptions(options: readonly string[]): string[] {
  const out: string[] = [];
  const seenGroups = new Set<number>();
  const seenData = new Set<string>();
  for (let i = options.length - 1; i >= 0; i--) {
    const o = options[i];
    if (o === 'defaults') continue;
    const g = FLAG_GROUPS.findIndex((grp) => grp.includes(o));
    if (g >= 0) {
      if (!seenGroups.has(g)) out.unshift(o);
      seenGroups.add(g);
      continue;
    }
    const eq = o.indexOf('=');
    const key = eq < 0 ? o : o.slice(0, eq);
    if (eq < 0 || !TMPFS_DATA.has(key)) throw invalidArgument(`invalid tmpfs option ["${o}"]`);
    if (!seenData.has(key)) out.unshift(o);
    seenData.add(key);
  }
  return out;
}

/** HostConfig.Tmpfs: destination → "opt,opt". */
export function fromTmpfsMap(tmpfs: Record<string, string>): UserMount[] {
  return Object.entries(tmpfs).map(([dst, data]) => {
    if (!dst.startsWith('/')) throw invalidArgument(`invalid mount path: '${dst}' mount path must be absolute`);
    return { destination: cleanPath(dst), kind: 'tmpfs' as const, source: 'tmpfs', writable: true, propagation: '', nonRecursive: false, data };
  });
}

/** User mounts → OCI mounts, sorted by depth (parents first) as Docker's `mounts` sort does. */
export function userMountsToOci(ms: UserMount[]): Mount[] {
  const seen = new Set<string>();
  for (const m of ms) {
    if (seen.has(m.destination)) throw invalidArgument(`Duplicate mount point: ${m.destination}`);
    seen.add(m.destination);
  }
  const depth = (p: string) => p.split('/').length;
  const sorted = [...ms].sort((a, b) => depth(a.destination) - depth(b.destination));
  return sorted.map((m): Mount => {
    if (m.kind === 'tmpfs') {
      const opts = mergeTmpfsOptions(['noexec', 'nosuid', 'nodev', 'rprivate', ...(m.data ? m.data.split(',') : [])]);
      return { destination: m.destination, type: 'tmpfs', source: 'tmpfs', options: opts };
    }
    const opts = [m.nonRecursive ? 'bind' : 'rbind'];
    if (!m.writable) opts.push('ro');
    if (m.propagation) opts.push(m.propagation);
    return { destination: m.destination, type: 'bind', source: m.source, options: opts };
  });
}

export interface CombineOptions { shmSize: number; ipcNone: boolean; readonlyRootfs: boolean; privileged: boolean; writableCgroups: boolean }

/** Defaults minus those a user mount overrides (all of /dev/* when /dev is user-mounted), then user mounts. */
export function combineMounts(defaults: Mount[], user: Mount[], o: CombineOptions): Mount[] {
  const userDst = new Set(user.map((m) => m.destination));
  const mountDev = userDst.has('/dev');
  const out: Mount[] = [];
  for (const m of defaults) {
    if (userDst.has(m.destination)) continue;
    if (mountDev && m.destination.startsWith('/dev/')) continue;
    const copy = { ...m, options: [...(m.options ?? [])] };
    if (m.destination === '/dev/shm') {
      if (o.ipcNone) continue;
      copy.options.push(`size=${o.shmSize}`);
    }
    out.push(copy);
  }
  out.push(...user);
  const keepRw = new Set(['/proc', '/dev/pts', '/dev/shm', '/dev/mqueue', '/dev']);
  for (const m of out) {
    if (o.readonlyRootfs && !keepRw.has(m.destination) && !userDst.has(m.destination) && !m.options!.includes('ro')) m.options!.push('ro');
    if (o.privileged && m.destination === '/sys') m.options = m.options!.filter((x) => x !== 'ro');
    if ((o.privileged || o.writableCgroups) && m.type === 'cgroup') m.options = m.options!.filter((x) => x !== 'ro');
  }
  return out;
}
