// Crash-safe file replacement: write a temp file beside the target, fsync, rename. With
// `sync: false` the rename alone: whole for readers and across a crash of this process, not
// across a power loss (for state that a power loss makes moot, e.g. in the exec root).
// The files are small: open, write, close and rename are done in place (each a few microseconds
// in the kernel; through the thread pool each cost the event loop more than the syscall itself,
// ~10% of berthd's CPU per container start), only the fsync waits on the disk off the loop.
import { closeSync, fsync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';

const fsyncFd = (fd: number) => new Promise<void>((resolve, reject) => fsync(fd, (err) => (err ? reject(err) : resolve())));

export async function atomicWrite(path: string, data: string | Uint8Array, mode = 0o644, opts: { sync?: boolean } = {}): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  const fd = openSync(tmp, 'wx', mode);
  try {
    try {
      const buf = typeof data === 'string' ? Buffer.from(data) : data;
      for (let off = 0; off < buf.length; ) off += writeSync(fd, buf, off, buf.length - off);
      if (opts.sync ?? true) await fsyncFd(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (err) {
    try { unlinkSync(tmp); } catch { /* gone or never made */ }
    throw err;
  }
}
