// The bytes a volume's data takes, as Docker's directory.Size counts them: file sizes, each
// hard-linked inode once, without following symlinks or crossing into other mounts.
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';

export async function directorySize(dir: string): Promise<number> {
  const top = await lstat(dir).catch(() => undefined);
  if (!top?.isDirectory()) return 0;
  const seen = new Set<string>();
  let total = 0;
  const walk = async (d: string): Promise<void> => {
    const entries = await readdir(d, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      const p = join(d, e.name);
      const st = await lstat(p).catch(() => undefined);
      if (!st || st.dev !== top.dev) continue;
      if (st.isDirectory()) { await walk(p); continue; }
      const key = `${st.dev}:${st.ino}`;
      if (st.nlink > 1) { if (seen.has(key)) continue; seen.add(key); }
      total += st.size;
    }
  };
  await walk(dir);
  return total;
}
