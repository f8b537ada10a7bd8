// A stopped container's rootfs mounted for the length of a call (export, cp, diff): the mount
// is made and removed inside the container's lock, so a start in between waits.
import { mkdir, lstat, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ImagePort } from './ports.ts';
import type { RootfsMount } from '../model.ts';

type Locked = (fn: () => Promise<void>) => Promise<void>;

export async function mountUntilReleased(locked: Locked, images: ImagePort, mounts: RootfsMount[], dir: string): Promise<{ dir: string; release: () => Promise<void> }> {
  let release!: () => void;
  const released = new Promise<void>((r) => { release = r; });
  let unmounted!: Promise<void>;
  await new Promise<void>((ready, fail) => {
    unmounted = locked(async () => {
      await mkdir(dir, { recursive: true });
      await images.mount(mounts, dir).catch((e: unknown) => { fail(e); throw e; });
      ready();
      await released;
      await images.unmount(dir).catch(() => {});
    }).catch(() => {});
  });
  return { dir, release: async () => { release(); await unmounted; } };
}

/** A file of the image's /etc; only a regular file (a symlink must not make us read the host's). */
export async function imageEtcFile(root: string, file: string): Promise<string | undefined> {
  const p = join(root, 'etc', file);
  const st = await lstat(p).catch(() => undefined);
  return st?.isFile() ? readFile(p, 'utf8') : undefined;
}
