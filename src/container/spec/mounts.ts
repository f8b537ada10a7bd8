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

/**
 * A user mount before it becomes an OCI mount. For `volume`, `source` is the volume name ('' for
 * an anonymous volume) until the container service resolves it to a host path.
 */
export interface UserMount {
  destination: string; kind: 'bind' | 'tmpfs' | 'volume'; source: string; writable: boolean; propagation: string; nonRecursive: boolean; data: string;
  /** The `-v` mode string as given (Docker's MountPoint.Mode). */
  mode?: string;
  /** Volumes: do not copy the image's content in (`nocopy`, VolumeOptions.NoCopy). */
  noCopy?: boolean;
  /** Volumes from `--mount`: what a new volume is created with. */
  volume?: { labels?: Record<string, string>; driverOpts?: Record<string, string>; driver?: string };
  /** Binds from `--mount`: the source must exist (a `-v` source is created). */
  mustExist?: boolean;
}

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

function parseMode(spec: string, mode: string): string[] {
  const opts = mode === '' ? [] : mode.split(',');
  if (opts.some((o) => !BIND_MODES.has(o)) || opts.filter((o) => o === 'ro' || o === 'rw').length > 1 || opts.filter((o) => PROPAGATIONS.has(o)).length > 1) {
    throw invalidArgument(`invalid mode: ${mode}`);
  }
  return opts;
}

/**
 * `-v src:dst[:opts]`, `-v dst[:opts]` (anonymous volume). A non-absolute src is a named volume
 * (volume/mounts/linux_parser.go ParseMountRaw).
 */
export function parseBind(spec: string): UserMount {
  let parts = spec.split(':');
  if (parts.length === 1 || (parts.length === 2 && !parts[1].startsWith('/') && parts[0].startsWith('/'))) parts = ['', ...parts];
  if (parts.length < 2 || parts.length > 3 || parts[1] === '') {
    throw invalidArgument(`invalid volume specification: '${spec}'`);
  }
  const [src, dst, mode = ''] = parts;
  const kind = src === '' || !src.startsWith('/') ? 'volume' : 'bind';
  if (!dst.startsWith('/')) throw invalidArgument(`invalid volume specification: '${spec}': invalid mount config for type "${kind}": invalid mount path: '${dst}' mount path must be absolute`);
  if (dst === '/' || cleanPath(dst) === '/') throw invalidArgument(`invalid volume specification: '${spec}': invalid mount config for type "${kind}": invalid specification: destination can't be '/'`);
  const opts = parseMode(spec, mode);
  const propagation = opts.find((o) => PROPAGATIONS.has(o)) ?? 'rprivate';
  if (kind === 'volume') {
    return { destination: cleanPath(dst), kind, source: src, writable: !opts.includes('ro'), propagation: '', nonRecursive: false, data: '', mode: mode || 'z', noCopy: opts.includes('nocopy') };
  }
  return { destination: cleanPath(dst), kind: 'bind', source: cleanPath(src), writable: !opts.includes('ro'), propagation, nonRecursive: false, data: '', mode };
}

/** Docker's size rendering for TmpfsOptions.SizeBytes: the largest of g/m/k dividing it. */
function tmpfsSize(bytes: number): string {
  for (const [suffix, div] of [['g', 2 ** 30], ['m', 2 ** 20], ['k', 2 ** 10]] as const) {
    if (bytes % div === 0) return `size=${bytes / div}${suffix}`;
  }
  return `size=${bytes}`;
}

/** `--mount`: bind, volume and tmpfs (the others are not implemented). */
export function fromMountSpec(m: MountSpec): UserMount {
  if (!m.Target?.startsWith('/')) throw invalidArgument(`invalid mount config for type "${m.Type}": invalid mount path: '${m.Target ?? ''}' mount path must be absolute`);
  const destination = cleanPath(m.Target);
  switch (m.Type) {
    case 'bind': {
      if (!m.Source) throw invalidArgument('invalid mount config for type "bind": field Source must not be empty');
      if (m.TmpfsOptions) throw invalidArgument('invalid mount config for type "bind": field TmpfsOptions must not be specified');
      const p = m.BindOptions?.Propagation || 'rprivate';
      if (!PROPAGATIONS.has(p)) throw invalidArgument(`invalid mount config for type "bind": invalid propagation mode: ${p}`);
      if (m.VolumeOptions) throw invalidArgument('invalid mount config for type "bind": field VolumeOptions must not be specified');
      return { destination, kind: 'bind', source: cleanPath(m.Source), writable: !m.ReadOnly, propagation: p, nonRecursive: m.BindOptions?.NonRecursive ?? false, data: '', mode: '', mustExist: true };
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
    case 'volume': {
      const bad = m.BindOptions ? 'BindOptions' : m.TmpfsOptions ? 'TmpfsOptions' : '';
      if (bad) throw invalidArgument(`invalid mount config for type "volume": field ${bad} must not be specified`);
      if (!m.Source && m.ReadOnly) throw invalidArgument('invalid mount config for type "volume": must not set ReadOnly mode when using anonymous volumes');
      if (m.VolumeOptions?.Subpath) throw notImplemented('volume subpaths are not supported yet');
      const o = m.VolumeOptions;
      const d = o?.DriverConfig;
      return {
        destination, kind: 'volume', source: m.Source ?? '', writable: !m.ReadOnly, propagation: '', nonRecursive: false, data: '', mode: 'z', noCopy: o?.NoCopy ?? false,
        volume: { labels: o?.Labels, driverOpts: d?.Options, driver: d?.Name },
      };
    }
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
    if (m.kind === 'volume') throw notImplemented(`volume ${m.source || '(anonymous)'} at ${m.destination} was not resolved to a host path`);
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

/**
 * A container's mount as Docker keeps it in config.v2.json (MountPoints, by destination) and shows
 * it in inspect's Mounts. berth's extras (Named, CopyData, ...) are not shown.
 */
export interface MountPoint {
  Type: 'bind' | 'volume' | 'tmpfs';
  Name: string;
  /** Host path: the bind source or the volume's mountpoint. */
  Source: string;
  Destination: string;
  Driver: string;
  Mode: string;
  RW: boolean;
  Propagation: string;
  /** A volume the user named (`-v name:/x`, `--mount src=name`): never removed with the container. */
  Named?: boolean;
  /** Copy the image's content at the destination into the volume at the next start, if it is empty. */
  CopyData?: boolean;
  NonRecursive?: boolean;
  /** A `--mount` bind whose source must exist (`-v` creates it). */
  MustExist?: boolean;
  TmpfsData?: string;
  /** How a volume not yet existing is created (`--mount` VolumeOptions). */
  VolumeCreate?: UserMount['volume'];
}

/** `--volumes-from id[:ro|rw]`. */
export function parseVolumesFrom(spec: string): { ref: string; mode: 'ro' | 'rw' | '' } {
  const i = spec.lastIndexOf(':');
  if (i < 0) return { ref: spec, mode: '' };
  const mode = spec.slice(i + 1);
  if (mode !== 'ro' && mode !== 'rw') throw invalidArgument(`invalid mode for volumes-from: ${mode}`);
  return { ref: spec.slice(0, i), mode };
}

function fromUserMount(m: UserMount): MountPoint {
  const mp: MountPoint = {
    Type: m.kind, Name: m.kind === 'volume' ? m.source : '', Source: m.kind === 'bind' ? m.source : '', Destination: m.destination,
    Driver: m.kind === 'volume' ? 'local' : '', Mode: m.mode ?? '', RW: m.writable, Propagation: m.kind === 'bind' ? m.propagation : '',
  };
  if (m.kind === 'volume') {
    mp.Named = m.source !== '';
    mp.CopyData = !m.noCopy;
    if (m.volume) mp.VolumeCreate = m.volume;
  }
  if (m.kind === 'bind') { if (m.nonRecursive) mp.NonRecursive = true; if (m.mustExist) mp.MustExist = true; }
  if (m.kind === 'tmpfs') mp.TmpfsData = m.data;
  return mp;
}

/**
 * Docker's registerMountPoints and createContainerVolumesLinux: mounts inherited with
 * --volumes-from, replaced by -v and --mount at the same destination (a destination twice among
 * those is an error), then an anonymous volume for each image VOLUME nothing covers. Volumes keep
 * Name '' (anonymous) until the service creates them.
 */
export function planMountPoints(i: { binds: string[]; mounts: MountSpec[]; imageVolumes: string[]; inherited: MountPoint[] }): MountPoint[] {
  const own = [...i.binds.map(parseBind), ...i.mounts.map(fromMountSpec)];
  const seen = new Set<string>();
  for (const m of own) {
    if (seen.has(m.destination)) throw invalidArgument(`Duplicate mount point: ${m.destination}`);
    seen.add(m.destination);
  }
  const byDst = new Map<string, MountPoint>();
  for (const mp of i.inherited) byDst.set(mp.Destination, mp);
  for (const m of own) byDst.set(m.destination, fromUserMount(m));
  for (const v of i.imageVolumes) {
    if (!v.startsWith('/')) continue;
    const dst = cleanPath(v);
    if (byDst.has(dst)) continue;
    byDst.set(dst, { Type: 'volume', Name: '', Source: '', Destination: dst, Driver: 'local', Mode: '', RW: true, Propagation: '', Named: false, CopyData: true });
  }
  return [...byDst.values()];
}

/** The mounts of another container that --volumes-from hands over (RW only if both allow it). */
export function inheritMountPoints(from: MountPoint[], mode: 'ro' | 'rw' | ''): MountPoint[] {
  return from.map((mp) => ({ ...mp, RW: mp.RW && mode !== 'ro', CopyData: false, Named: mp.Type === 'volume' ? true : mp.Named }));
}

/** Mount points with their host paths (volumes resolved to `hostPaths[name]`) → user mounts. */
export function mountPointsToUserMounts(mps: MountPoint[], hostPaths: Record<string, string>): UserMount[] {
  return mps.map((mp): UserMount => {
    if (mp.Type === 'tmpfs') return { destination: mp.Destination, kind: 'tmpfs', source: 'tmpfs', writable: mp.RW, propagation: '', nonRecursive: false, data: mp.TmpfsData ?? '' };
    const source = mp.Type === 'volume' ? hostPaths[mp.Name] : mp.Source;
    if (!source) throw invalidArgument(`no host path for volume ${mp.Name} at ${mp.Destination}`);
    return { destination: mp.Destination, kind: 'bind', source, writable: mp.RW, propagation: mp.Propagation || 'rprivate', nonRecursive: mp.NonRecursive ?? false, data: '' };
  });
}

/** inspect's Mounts entry (types.MountPoint: Name and Driver omitted when empty). */
export function mountPointView(mp: MountPoint): Record<string, unknown> {
  const v: Record<string, unknown> = { Type: mp.Type };
  if (mp.Name) v.Name = mp.Name;
  v.Source = mp.Source;
  v.Destination = mp.Destination;
  if (mp.Driver) v.Driver = mp.Driver;
  return { ...v, Mode: mp.Mode, RW: mp.RW, Propagation: mp.Propagation };
}
