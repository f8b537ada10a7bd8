// Container rootfs mounts carried out by the native helper's op server instead of mount(8)
// and umount(8): the same mounts (image/snapshot/mount.ts decides the options, including the
// relative lowerdirs past a page and the cwd they need), ~1 ms each instead of a process start.
import { mountOptions, type Mount } from '../image/snapshot/mount.ts';
import type { OpServer } from '../native/op-server.ts';
import type { Op } from '../native/protocol.gen.ts';
import { wrap } from '../errors/errors.ts';

const MS_RDONLY = 1n, MS_REMOUNT = 32n, MS_BIND = 4096n;
const MNT_DETACH = 2;

/** The helper ops that mount `m` on `target`. */
export function mountOps(m: Mount, target: string): Op[] {
  const mount = (source: string, fstype: string, flags: bigint, data: string): Op => ({ op: 'mount', source, target, fstype, flags, data, targetInRoot: 0 });
  if (m.type === 'bind') {
    const ops = [mount(m.source, '', MS_BIND, '')];
    if (m.options.includes('ro')) ops.push(mount('', '', MS_REMOUNT | MS_BIND | MS_RDONLY, ''));
    return ops;
  }
  const { options, cwd } = mountOptions(m);
  return [...(cwd ? [{ op: 'chdir', path: cwd } as Op] : []), mount(m.source, 'overlay', 0n, options)];
}

export function helperMounter(server: OpServer): { mount(mounts: Mount[], target: string): Promise<void>; unmount(target: string, lazy?: boolean): Promise<void> } {
  return {
    async mount(mounts, target) {
      for (const m of mounts) {
        await server.run(mountOps(m, target)).catch((e: unknown) => { throw wrap(`mount ${m.type} on ${target}`, e); });
      }
    },
    async unmount(target, lazy = false) {
      await server.run([{ op: 'umount', target, flags: lazy ? MNT_DETACH : 0 }]).catch((e: unknown) => { throw wrap(`unmount ${target}`, e); });
    },
  };
}
