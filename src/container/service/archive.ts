// docker cp: stat, read (as a tar whose top entry is the path's base name) and write (a tar
// extracted into a directory) of paths inside a container's root: a running container's as its
// processes see it (/proc/PID/root: volumes, binds and tmpfs mounts included), a stopped one's
// rootfs mounted for the call. Paths are resolved inside the root as if it were `/` (symlinks
// cannot lead out); the tar is extracted by the layer extractor, which refuses names and links
// that climb out of the target.
import { createReadStream, lstatSync, readdirSync, readlinkSync, type Stats } from 'node:fs';
import { basename, posix } from 'node:path';
import { ScopedResolver } from '../../image/layer/scoped-path.ts';
import { writeTar, type WriteEntry } from '../../image/tar/writer.ts';
import { makeHeader } from '../../image/tar/header.ts';
import { applyLayer } from '../../image/layer/apply.ts';
import { entryTypeOf } from '../../image/layer/diff.ts';
import { notFound, invalidArgument, notImplemented } from '../../errors/errors.ts';
import { isoTime } from '../../sys/iso-time.ts';

export interface PathStat { name: string; size: number; mode: number; mtime: string; linkTarget: string }

// Go's os.FileMode type bits, which the docker CLI decodes from X-Docker-Container-Path-Stat.
const GO = { dir: 2 ** 31, symlink: 2 ** 27, device: 2 ** 26, pipe: 2 ** 25, socket: 2 ** 24, setuid: 2 ** 23, setgid: 2 ** 22, charDevice: 2 ** 21, sticky: 2 ** 20 };

function goMode(st: Stats): number {
  let m = st.mode & 0o777;
  if (st.isDirectory()) m += GO.dir;
  else if (st.isSymbolicLink()) m += GO.symlink;
  else if (st.isFIFO()) m += GO.pipe;
  else if (st.isSocket()) m += GO.socket;
  else if (st.isCharacterDevice()) m += GO.device + GO.charDevice;
  else if (st.isBlockDevice()) m += GO.device;
  if (st.mode & 0o4000) m += GO.setuid;
  if (st.mode & 0o2000) m += GO.setgid;
  if (st.mode & 0o1000) m += GO.sticky;
  return m;
}

/** A container path resolved in scope (parents followed, the last component as is), relative to the root. */
function containerRel(rootfs: string, path: string): string {
  if (!path.startsWith('/')) throw invalidArgument(`path ${JSON.stringify(path)} is not absolute`);
  const follow = path.endsWith('/') || path.endsWith('/.');
  return new ScopedResolver(rootfs).resolve(posix.normalize(path).replace(/^\/+/, ''), follow);
}

/** The host path of a container path: parents followed in scope, the last component as is. */
export function resolveInRootfs(rootfs: string, path: string): string {
  const rel = containerRel(rootfs, path);
  return rel === '' ? rootfs : `${rootfs}/${rel}`;
}

interface CpMount { Type?: string; Source?: string; Destination: string; RW: boolean }

/** The mount point a container path is at or under (the deepest one), if any. */
export function mountOf<M extends CpMount>(mounts: readonly M[], path: string): M | undefined {
  const p = posix.normalize(`/${path}`);
  let best: M | undefined;
  for (const m of mounts) {
    const d = posix.normalize(m.Destination).replace(/\/$/, '') || '/';
    if ((p === d || p.startsWith(`${d}/`) || d === '/') && (!best || d.length > posix.normalize(best.Destination).length)) best = m;
  }
  return best;
}

/**
 * docker cp's write check (dockerd checkIfPathIsInAVolume): into a mount point only if it is
 * writable; elsewhere only if the rootfs is.
 */
export function checkWritable(mounts: readonly CpMount[], readonlyRootfs: boolean, path: string): void {
  const m = mountOf(mounts, path);
  if (m && !m.RW) throw invalidArgument('mounted volume is marked read-only');
  if (!m && readonlyRootfs) throw invalidArgument('container rootfs is marked read-only');
}

/** Maps a container path (absolute; a trailing `/` or `/.` follows the last link) to a host path. */
export type HostOf = (path: string) => string;

export const scopedIn = (rootfs: string): HostOf => (p) => resolveInRootfs(rootfs, p);

/** A tmpfs mount `path` lands in (resolved in the container's view `root`), if any. */
export function tmpfsOf<M extends CpMount>(root: string, mounts: readonly M[], path: string): M | undefined {
  const m = mountOf(mounts, `/${containerRel(root, path)}`);
  return m && (m.Type === 'tmpfs' || !m.Source) ? m : undefined;
}

const destKey = (d: string) => posix.normalize(d).replace(/^\/+|\/+$/g, '');

/** Under a mount's host directory, the rest of a container path past the mount's destination. */
function underMount(hostDir: string, dest: string, rel: string, tail: string): string {
  return resolveInRootfs(hostDir, `/${rel.slice(destKey(dest).length).replace(/^\/+/, '')}${tail}`.replace(/^\/\/+/, '/'));
}

/**
 * A container path through the container's mounts, as dockerd resolves docker cp paths: resolved
 * in `root` (the container's view), then into the source of the volume or bind it lands in, else
 * into `rootfs`. For a running container `root` is /proc/PID/root and `rootfs` its rootfs mounted
 * in the daemon's namespace (writes need real directories: the extractor's realpath would leave
 * /proc/PID/root), and a tmpfs mount (which exists only in the container's namespace) must be
 * one of `tmpfsDirs` (destination → the directory its clone is mounted on, see
 * daemon/mount-clones.ts); a stopped one's are both its rootfs mounted for the call, where a tmpfs
 * mount is just the directory under it.
 */
export function throughMounts(root: string, rootfs: string, mounts: readonly CpMount[], running: boolean, tmpfsDirs: ReadonlyMap<string, string> = new Map()): HostOf {
  return (path) => {
    const tail = path.endsWith('/.') ? '/.' : path.endsWith('/') ? '/' : '';
    const rel = containerRel(root, path);
    const m = mountOf(mounts, `/${rel}`);
    if (m && (m.Type === 'tmpfs' || !m.Source)) {
      if (running) {
        const dir = tmpfsDirs.get(destKey(m.Destination));
        if (dir === undefined) throw notImplemented(`the tmpfs at ${m.Destination} of the running container is not reachable here`);
        return underMount(dir, m.Destination, rel, tail);
      }
    } else if (m) {
      return underMount(m.Source!, m.Destination, rel, tail);
    }
    return rel === '' ? rootfs : `${rootfs}/${rel}`;
  };
}

/** The key `throughMounts` looks a tmpfs clone up by. */
export const tmpfsKey = destKey;

/** `container` is how the caller named it: Docker says "Could not find the file X in container NAME". */
function lstatOr404(host: string, path: string, container: string): Stats {
  try {
    return lstatSync(host);
  } catch {
    throw notFound(`Could not find the file ${path} in container ${container}`);
  }
}

export function statPath(hostOf: HostOf, path: string, container: string): PathStat {
  const host = hostOf(path);
  const st = lstatOr404(host, path, container);
  return {
    name: basename(path) || '/', size: st.size, mode: goMode(st), mtime: isoTime(st.mtime),
    linkTarget: st.isSymbolicLink() ? readlinkSync(host) : '',
  };
}

function* walk(host: string, name: string): Generator<WriteEntry> {
  const st = lstatSync(host);
  const type = entryTypeOf(st);
  if (!type) return;
  const header = makeHeader({
    name: type === 'directory' ? `${name}/` : name, type, mode: st.mode & 0o7777, uid: st.uid, gid: st.gid,
    size: type === 'file' ? st.size : 0, mtime: Math.floor(st.mtimeMs / 1000), linkname: type === 'symlink' ? readlinkSync(host) : '',
  });
  yield type === 'file' ? { header, body: createReadStream(host) } : { header };
  if (type === 'directory') for (const child of readdirSync(host).sort()) yield* walk(`${host}/${child}`, `${name}/${child}`);
}

/** The tar docker cp reads: the path itself under its base name. */
export function readArchive(hostOf: HostOf, path: string, container: string): { stat: PathStat; tar: AsyncGenerator<Uint8Array> } {
  const stat = statPath(hostOf, path, container);
  const host = hostOf(path);
  const name = path.endsWith('/.') ? '.' : basename(posix.normalize(path)) || '.';
  return { stat, tar: writeTar(walk(host, name)) };
}

/** docker cp into the container: `path` must be an existing directory. */
export async function writeArchive(hostOf: HostOf, path: string, body: AsyncIterable<Uint8Array>, container: string): Promise<void> {
  const host = hostOf(path.endsWith('/') ? path : `${path}/`);
  const st = lstatOr404(host, path, container);
  if (!st.isDirectory()) throw invalidArgument(`extraction point is not a directory`);
  await applyLayer(body, host, { whiteouts: 'naive' });
}
