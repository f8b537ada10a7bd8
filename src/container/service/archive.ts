// docker cp: stat, read (as a tar whose top entry is the path's base name) and write (a tar
// extracted into a directory) of paths inside a container's rootfs. Paths are resolved inside
// the rootfs as if it were `/` (symlinks cannot lead out); the tar is extracted by the layer
// extractor, which refuses names and links that climb out of the target.
import { createReadStream, lstatSync, readdirSync, readlinkSync, type Stats } from 'node:fs';
import { basename, posix } from 'node:path';
import { ScopedResolver } from '../../image/layer/scoped-path.ts';
import { writeTar, type WriteEntry } from '../../image/tar/writer.ts';
import { makeHeader } from '../../image/tar/header.ts';
import { applyLayer } from '../../image/layer/apply.ts';
import { entryTypeOf } from '../../image/layer/diff.ts';
import { notFound, invalidArgument } from '../../errors/errors.ts';

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

/** The host path of a container path: parents followed in scope, the last component as is. */
export function resolveInRootfs(rootfs: string, path: string): string {
  if (!path.startsWith('/')) throw invalidArgument(`path ${JSON.stringify(path)} is not absolute`);
  const r = new ScopedResolver(rootfs);
  const follow = path.endsWith('/') || path.endsWith('/.');
  return r.host(r.resolve(posix.normalize(path).replace(/^\/+/, ''), follow));
}

/** `container` is how the caller named it: Docker says "Could not find the file X in container NAME". */
function lstatOr404(host: string, path: string, container: string): Stats {
  try {
    return lstatSync(host);
  } catch {
    throw notFound(`Could not find the file ${path} in container ${container}`);
  }
}

export function statPath(rootfs: string, path: string, container: string): PathStat {
  const host = resolveInRootfs(rootfs, path);
  const st = lstatOr404(host, path, container);
  return {
    name: basename(path) || '/', size: st.size, mode: goMode(st), mtime: st.mtime.toISOString(),
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
export function readArchive(rootfs: string, path: string, container: string): { stat: PathStat; tar: AsyncGenerator<Uint8Array> } {
  const stat = statPath(rootfs, path, container);
  const host = resolveInRootfs(rootfs, path);
  const name = path.endsWith('/.') ? '.' : basename(posix.normalize(path)) || '.';
  return { stat, tar: writeTar(walk(host, name)) };
}

/** docker cp into the container: `path` must be an existing directory. */
export async function writeArchive(rootfs: string, path: string, body: AsyncIterable<Uint8Array>, container: string): Promise<void> {
  const host = resolveInRootfs(rootfs, path.endsWith('/') ? path : `${path}/`);
  const st = lstatOr404(host, path, container);
  if (!st.isDirectory()) throw invalidArgument(`extraction point is not a directory`);
  await applyLayer(body, host, { whiteouts: 'naive' });
}
