// Crash-safe file replacement: write a temp file beside the target, fsync, rename. With
// `sync: false` the rename alone: whole for readers and across a crash of this process, not
// across a power loss (for state that a power loss makes moot, e.g. in the exec root).
// Through the thread pool, not in place: on ext4, creating a file where many were deleted in the
// last minutes can take ~0.6 ms of kernel time (the allocator skips recently freed inodes), which
// would stall the event loop; in the pool it runs beside it.
import { open, rename, unlink } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';

export async function atomicWrite(path: string, data: string | Uint8Array, mode = 0o644, opts: { sync?: boolean } = {}): Promise<void> {
  return atomicWriteAll([{ path, data, mode }], opts);
}

export interface FileWrite {
  path: string;
  data: string | Uint8Array;
  mode?: number;
}

/**
 * Several files replaced as atomicWrite does each: their temp files are written (and synced) side
 * by side, then renamed in the order given, so the last one can be the commit point of a record
 * (a crash between renames leaves the earlier files new and the last one old, as writing them one
 * after the other would), while the syncs cost one wait instead of one each.
 */
export async function atomicWriteAll(files: FileWrite[], opts: { sync?: boolean } = {}): Promise<void> {
  const tmps = files.map((f) => join(dirname(f.path), `.${basename(f.path)}.${process.pid}.${Date.now()}.tmp`));
  const written = await Promise.allSettled(files.map(async (f, i) => {
    const fh = await open(tmps[i], 'wx', f.mode ?? 0o644);
    try {
      await fh.writeFile(f.data);
      if (opts.sync ?? true) await fh.sync();
    } finally {
      await fh.close();
    }
  }));
  const failed = written.find((r) => r.status === 'rejected');
  try {
    if (failed) throw failed.reason;
    for (let i = 0; i < files.length; i++) await rename(tmps[i], files[i].path);
  } catch (err) {
    await Promise.all(tmps.map((t) => unlink(t).catch(() => {})));
    throw err;
  }
}
