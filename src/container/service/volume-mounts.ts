// A container's volumes and binds over its life, as moby's daemon/volumes*.go handles them:
// at create the mount points are planned (-v, --mount, --volumes-from, the image's VOLUMEs) and
// their volumes created and referenced; at start volumes are mounted, missing `-v` sources made
// and image content copied into empty volumes (copy-up); at exit unmounted; at remove released
// (anonymous ones removed with `rm -v`).
import { execFile } from 'node:child_process';
import { lstat, mkdir, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { invalidArgument, notImplemented, wrap } from '../../errors/errors.ts';
import type { HostConfig } from '../docker-types.ts';
import { inheritMountPoints, mountPointsToUserMounts, parseVolumesFrom, planMountPoints, type MountPoint, type UserMount } from '../spec/mounts.ts';
import type { VolumePort } from './ports.ts';

const run = promisify(execFile);

/** The record's MountPoints (Docker's config.v2.json field), keyed by destination. */
export interface WithMountPoints { MountPoints?: Record<string, MountPoint> }

export const mountPointsOf = (rec: object): MountPoint[] => Object.values((rec as WithMountPoints).MountPoints ?? {});

/** A path inside `root` with its symlinks resolved within `root` (never leaving it). */
export async function resolveInRoot(root: string, path: string): Promise<string> {
  let rest = path.split('/').filter((p) => p && p !== '.');
  const done: string[] = [];
  for (let links = 0; rest.length;) {
    const seg = rest.shift()!;
    if (seg === '..') { done.pop(); continue; }
    const p = join(root, ...done, seg);
    const st = await lstat(p).catch(() => undefined);
    if (st?.isSymbolicLink()) {
      if (++links > 255) throw invalidArgument(`too many links resolving ${path}`);
      const target = await readlink(p);
      if (target.startsWith('/')) done.length = 0;
      rest = [...target.split('/').filter((x) => x && x !== '.'), ...rest];
      continue;
    }
    done.push(seg);
  }
  return join(root, ...done);
}

export class VolumeMounts {
  readonly #port: VolumePort | undefined;

  constructor(port: VolumePort | undefined) { this.#port = port; }

  #volumes(): VolumePort {
    if (!this.#port) throw notImplemented('volumes are not available');
    return this.#port;
  }

  /** Plans the mount points and creates/references their volumes; on failure nothing stays referenced. */
  async create(id: string, hc: HostConfig, imageVolumes: string[], lookup: (ref: string) => object): Promise<Record<string, MountPoint>> {
    const inherited = (hc.VolumesFrom ?? []).flatMap((spec) => {
      const { ref, mode } = parseVolumesFrom(spec);
      return inheritMountPoints(mountPointsOf(lookup(ref)), mode);
    });
    const planned = planMountPoints({ binds: hc.Binds ?? [], mounts: hc.Mounts ?? [], imageVolumes, inherited });
    for (const mp of planned) {
      if (mp.Type !== 'bind' || !mp.MustExist) continue;
      if (!(await lstat(mp.Source).catch(() => undefined))) throw invalidArgument(`invalid mount config for type "bind": bind source path does not exist: ${mp.Source}`);
    }
    const acquired: MountPoint[] = [];
    try {
      for (const mp of planned) {
        if (mp.Type !== 'volume') continue;
        const v = await this.#volumes().acquire(mp.Name, id, mp.VolumeCreate);
        mp.Name = v.name;
        mp.Source = v.mountpoint;
        mp.Driver = v.driver;
        delete mp.VolumeCreate;
        acquired.push(mp);
      }
    } catch (err) {
      await this.remove(id, acquired, true);
      throw err;
    }
    return Object.fromEntries(planned.map((mp) => [mp.Destination, mp]));
  }

  /** Mounts the volumes, makes missing `-v` sources, copies image content up; the spec's user mounts. */
  async start(id: string, mps: MountPoint[], rootfs: string): Promise<UserMount[]> {
    const hostPaths: Record<string, string> = {};
    try {
      for (const mp of mps) {
        if (mp.Type === 'bind' && !mp.MustExist) await mkdir(mp.Source, { recursive: true, mode: 0o755 });
        if (mp.Type !== 'volume') continue;
        hostPaths[mp.Name] = await this.#volumes().mount(mp.Name, id);
        if (mp.CopyData) await copyUp(rootfs, mp.Destination, hostPaths[mp.Name]);
      }
    } catch (err) {
      await this.stop(id, mps);
      throw err;
    }
    return mountPointsToUserMounts(mps, hostPaths);
  }

  /** The container stopped: its volume mounts go (the last user unmounts a device). */
  async stop(id: string, mps: MountPoint[]): Promise<void> {
    if (!this.#port) return;
    for (const mp of mps) if (mp.Type === 'volume') await this.#port.unmount(mp.Name, id).catch(() => {});
  }

  /** Drops the references; with `removeAnonymous`, anonymous volumes nobody else uses go too. */
  async remove(id: string, mps: MountPoint[], removeAnonymous: boolean): Promise<void> {
    if (!this.#port) return;
    for (const mp of mps) if (mp.Type === 'volume') await this.#port.release(mp.Name, id, removeAnonymous && !mp.Named).catch(() => {});
  }
}

/** Docker's copyExistingContents: the image's files at `dst` into an empty volume, owners, modes and xattrs kept. */
async function copyUp(rootfs: string, dst: string, volume: string): Promise<void> {
  const src = await resolveInRoot(rootfs, dst);
  const st = await lstat(src).catch(() => undefined);
  if (!st) return;
  if (!st.isDirectory()) throw invalidArgument(`cannot mount volume over existing file, file exists ${src}`);
  if ((await readdir(volume)).length) return;
  try {
    await run('cp', ['-a', '--', `${src}/.`, `${volume}/`]);
  } catch (e) {
    throw wrap(`copy image content of ${dst} into volume`, new Error((e as { stderr?: string }).stderr?.trim() || String(e)));
  }
}
