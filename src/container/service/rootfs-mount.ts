// A container's rootfs mount at start. An auto-removed container's is mounted volatile (its upper
// dir is thrown away at exit, so its unmount need not sync the filesystem under it), where the
// kernel has the option (5.10+: when a volatile mount fails and the plain one works, plain mounts
// from then on).
import { ephemeral } from '../../image/snapshot/mount.ts';
import type { ContainerRecord } from '../model.ts';
import type { ImagePort } from './ports.ts';

let volatileOk: boolean | undefined;

export async function mountRootfs(images: Pick<ImagePort, 'mount'>, rec: ContainerRecord, rootfs: string): Promise<void> {
  const mounts = rec.Snapshot!.mounts;
  if (!rec.HostConfig.AutoRemove || volatileOk === false) return images.mount(mounts, rootfs);
  try {
    await images.mount(ephemeral(mounts), rootfs);
    volatileOk = true;
  } catch (err) {
    if (volatileOk) throw err;
    await images.mount(mounts, rootfs);
    volatileOk = false;
  }
}
