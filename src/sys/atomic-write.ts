// Crash-safe file replacement: write a temp file beside the target, fsync, rename. With
// `sync: false` the rename alone: whole for readers and across a crash of this process, not
// across a power loss (for state that a power loss makes moot, e.g. in the exec root).
// Through the thread pool, not in place: on ext4, creating a file where many were deleted in the
// last minutes can take ~0.6 ms of kernel time (the allocator skips recently freed inodes), which
// would stall the event loop; in the pool it runs beside it.
import { open, rename, unlink } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';

export async function atomicWrite(path: string, data: string | Uint8Array, mode = 0o644, opts: { sync?: boolean } = {}): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  const fh = await open(tmp, 'wx', mode);
  try {
    await fh.writeFile(data);
    if (opts.sync ?? true) await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => {});
    throw err;
  }
}
