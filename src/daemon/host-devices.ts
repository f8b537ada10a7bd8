// The host's device nodes, as Docker gives them to privileged containers (devices.HostDevices):
// every character and block device under /dev, except the ones a container gets its own of
// (pts, ptmx, console, shm, mqueue).
import { readdirSync, lstatSync } from 'node:fs';
import type { Device } from '../runtime/spec/types.ts';
import { devNumbers } from '../sys/dev-numbers.ts';

const SKIP_DIRS = new Set(['/dev/pts', '/dev/shm', '/dev/mqueue']);
const SKIP = new Set(['/dev/ptmx', '/dev/console']);

export function hostDevices(root = '/dev'): Device[] {
  const out: Device[] = [];
  const walk = (dir: string) => {
    let names: string[];
    try { names = readdirSync(dir); } catch { return; }
    for (const name of names) {
      const path = `${dir}/${name}`;
      if (SKIP.has(path) || SKIP_DIRS.has(path)) continue;
      let st;
      try { st = lstatSync(path, { bigint: true }); } catch { continue; }
      if (st.isDirectory()) { walk(path); continue; }
      if (!st.isCharacterDevice() && !st.isBlockDevice()) continue;
      const [major, minor] = devNumbers(st.rdev);
      out.push({ type: st.isBlockDevice() ? 'b' : 'c', path, major, minor, fileMode: Number(st.mode & 0o7777n), uid: Number(st.uid), gid: Number(st.gid) });
    }
  };
  walk(root);
  return out;
}
