// A running container's tmpfs mount reached from the daemon's mount namespace: the helper's
// op server clones it (clone_mount: resolved inside the container's mount namespace and root,
// checked to be a tmpfs mount root) onto a fresh directory of ours, for the call that needs it
// (docker cp into it). The clone shares the tmpfs, so writes through it are the container's.
import { mkdtempSync, readdirSync, readFileSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import type { OpServer } from '../native/op-server.ts';
import { wrap } from '../errors/errors.ts';

/** statfs f_type of tmpfs (and of shmem mounts generally). */
export const TMPFS_MAGIC = 0x01021994;
const MOUNT_ROOT = 1;
const MNT_DETACH = 2;

export interface MountClone { dir: string; release(): Promise<void> }
export type TmpfsCloner = (pid: number, destination: string) => Promise<MountClone>;

/** Clones made under `parent` (a directory of the daemon's, e.g. its exec root). */
export function tmpfsCloner(server: OpServer, parent: string): TmpfsCloner {
  return async (pid, destination) => {
    const dir = mkdtempSync(join(parent, 'cp-tmpfs-'));
    try {
      await server.run([{ op: 'cloneMount', mntns: `/proc/${pid}/ns/mnt`, source: destination, target: dir, fsMagic: TMPFS_MAGIC, flags: MOUNT_ROOT }]);
    } catch (e) {
      rmdirSync(dir);
      throw wrap(`reach the tmpfs at ${destination} of the container`, e);
    }
    let released = false;
    return {
      dir,
      async release() {
        if (released) return;
        released = true;
        await server.run([{ op: 'umount', target: dir, flags: MNT_DETACH }]).catch((e: unknown) => { throw wrap(`unmount ${dir}`, e); });
        rmdirSync(dir); // never recursive: had the unmount not happened, this would be the container's files
      },
    };
  };
}

/** Clones a crashed daemon left under `parent`: unmounted and their directories removed. */
export async function sweepTmpfsClones(server: OpServer, parent: string): Promise<void> {
  let left: string[];
  try {
    left = readdirSync(parent).filter((n) => n.startsWith('cp-tmpfs-'));
  } catch {
    return;
  }
  if (!left.length) return;
  const mounted = new Set(readFileSync('/proc/self/mountinfo', 'utf8').split('\n').map((l) => l.split(' ')[4]));
  for (const name of left) {
    const dir = join(parent, name);
    if (mounted.has(dir)) await server.run([{ op: 'umount', target: dir, flags: MNT_DETACH }]);
    rmdirSync(dir);
  }
}
