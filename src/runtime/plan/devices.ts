// @pure
// /dev contents: the default devices every container gets (as runc), the configured
// linux.devices, and the standard symlinks. In a user namespace device nodes cannot be
// created, so the host's nodes are bind-mounted instead.
import type { Op } from '../../native/protocol.gen.ts';
import type { Device, Mount } from '../spec/types.ts';
import { MS } from './linux-flags.ts';

const S_IFCHR = 0o020000, S_IFBLK = 0o060000, S_IFIFO = 0o010000;

export const DEFAULT_DEVICES: readonly Device[] = [
  { type: 'c', path: '/dev/null', major: 1, minor: 3, fileMode: 0o666 },
  { type: 'c', path: '/dev/zero', major: 1, minor: 5, fileMode: 0o666 },
  { type: 'c', path: '/dev/full', major: 1, minor: 7, fileMode: 0o666 },
  { type: 'c', path: '/dev/tty', major: 5, minor: 0, fileMode: 0o666 },
  { type: 'c', path: '/dev/random', major: 1, minor: 8, fileMode: 0o666 },
  { type: 'c', path: '/dev/urandom', major: 1, minor: 9, fileMode: 0o666 },
];

function deviceOps(d: Device, userns: boolean): Op[] {
  const dir = d.path.slice(0, d.path.lastIndexOf('/')) || '/';
  const ops: Op[] = dir === '/dev' ? [] : [{ op: 'mkdir', path: dir, mode: 0o755 }];
  if (userns) {
    ops.push({ op: 'mkfile', path: d.path, mode: 0o644 },
      { op: 'mount', source: d.path, target: d.path, fstype: '', flags: BigInt(MS.BIND), data: '', targetInRoot: 1 });
    return ops;
  }
  const kind = d.type === 'b' ? S_IFBLK : d.type === 'p' ? S_IFIFO : S_IFCHR;
  ops.push({
    op: 'mknod', path: d.path, mode: kind | ((d.fileMode ?? 0o666) & 0o7777),
    major: d.major ?? 0, minor: d.minor ?? 0, uid: d.uid ?? 0, gid: d.gid ?? 0,
  });
  return ops;
}

export function planDevices(mounts: readonly Mount[] | undefined, devices: readonly Device[] | undefined, userns: boolean, hostHasKcore: boolean): Op[] {
  const devMount = mounts?.find((m) => m.destination === '/dev');
  // A /dev bound from the host already has its nodes; runc leaves it alone too.
  if (devMount && (devMount.type === 'bind' || devMount.options?.some((o) => o === 'bind' || o === 'rbind'))) return [];
  const byPath = new Map<string, Device>();
  for (const d of DEFAULT_DEVICES) byPath.set(d.path, d);
  for (const d of devices ?? []) byPath.set(d.path, d);
  const ops = [...byPath.values()].flatMap((d) => deviceOps(d, userns));
  const links: [string, string][] = [
    ['/proc/self/fd', '/dev/fd'], ['/proc/self/fd/0', '/dev/stdin'],
    ['/proc/self/fd/1', '/dev/stdout'], ['/proc/self/fd/2', '/dev/stderr'],
  ];
  if (hostHasKcore) links.push(['/proc/kcore', '/dev/core']);
  if (mounts?.some((m) => m.destination === '/dev/pts' && m.type === 'devpts')) links.push(['pts/ptmx', '/dev/ptmx']);
  for (const [target, path] of links) ops.push({ op: 'symlink', target, path });
  return ops;
}
