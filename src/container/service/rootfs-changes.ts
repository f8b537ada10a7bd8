// docker diff: what a container changed in its rootfs, read from the overlay upper dir (added,
// changed, or deleted through a whiteout) against the image's lower dirs.
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { RootfsMount } from '../model.ts';

/** Files the daemon puts there (Docker keeps them in its init layer): never reported. */
const MANAGED = new Set(['/etc/hosts', '/etc/hostname', '/etc/resolv.conf', '/.dockerenv']);

export interface Change { Path: string; Kind: 0 | 1 | 2 }   // 0 modified, 1 added, 2 deleted

/** upperdir and lowerdirs from the overlay mount's options. */
export function overlayDirs(mounts: RootfsMount[]): { upper?: string; lowers: string[] } {
  const ov = mounts.find((m) => m.type === 'overlay');
  const opt = (k: string) => ov?.options.find((o) => o.startsWith(`${k}=`))?.slice(k.length + 1);
  return { upper: opt('upperdir'), lowers: opt('lowerdir')?.split(':') ?? [] };
}

async function exists(p: string): Promise<boolean> {
  return lstat(p).then(() => true, () => false);
}

export async function rootfsChanges(mounts: RootfsMount[]): Promise<Change[]> {
  const { upper, lowers } = overlayDirs(mounts);
  if (!upper) return [];
  const out: Change[] = [];
  const inLower = async (rel: string) => {
    for (const l of lowers) if (await exists(join(l, rel))) return true;
    return false;
  };
  async function walk(rel: string): Promise<void> {
    const names = (await readdir(join(upper!, rel)).catch(() => [] as string[])).sort();
    for (const name of names) {
      const r = `${rel}/${name}`;
      if (MANAGED.has(r)) continue;
      const st = await lstat(join(upper!, r));
      if (st.isCharacterDevice() && st.rdev === 0) {
        out.push({ Path: r, Kind: 2 });
        continue;
      }
      const kind = (await inLower(r)) ? 0 : 1;
      if (!st.isDirectory()) { out.push({ Path: r, Kind: kind }); continue; }
      // A copied-up directory counts as changed only when something in it changed.
      const at = out.length;
      out.push({ Path: r, Kind: kind });
      await walk(r);
      if (kind === 0 && out.length === at + 1) out.pop();
    }
  }
  await walk('');
  return out;
}
