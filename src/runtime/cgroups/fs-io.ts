// Small file helpers for cgroup files (each value goes in one write(2), no O_CREAT).
// cgroupfs is an in-kernel pseudo-filesystem: a call returns in microseconds and never waits
// on a disk, so these use the synchronous calls. Through libuv's thread pool every open, write
// and close was a round trip queued behind whatever disk I/O the daemon had in flight: a
// container's cgroup set-up and join took 5-12 ms in berthd against ~1 ms done in place.
// The functions stay async so callers need not care.
import { readFileSync, openSync, writeSync, closeSync, accessSync, constants } from 'node:fs';

export const errno = (e: unknown) => (e as NodeJS.ErrnoException | undefined)?.code;

export async function exists(path: string): Promise<boolean> {
  try {
    accessSync(path);
    return true;
  } catch {
    return false;
  }
}

export async function readText(path: string): Promise<string> {
  return readFileSync(path, 'utf8').trim();
}

/** The file's text, or undefined when the file does not exist. */
export async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readText(path);
  } catch (e) {
    if (errno(e) === 'ENOENT' || errno(e) === 'ENODEV' || errno(e) === 'EOPNOTSUPP') return undefined;
    throw e;
  }
}

export async function writeText(path: string, value: string): Promise<void> {
  const fd = openSync(path, constants.O_WRONLY | constants.O_TRUNC); // no O_CREAT: a missing file is ENOENT
  try {
    writeSync(fd, value);
  } finally {
    closeSync(fd);
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
