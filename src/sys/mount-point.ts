// Whether a directory is a mount point now, told by its device differing from its parent's
// (two stat calls, no read of /proc/self/mountinfo). A bind mount of a directory onto another
// on the same filesystem is not seen this way; use it for overlay and tmpfs mounts.
import { statSync } from 'node:fs';
import { dirname } from 'node:path';

export function isMountPoint(path: string): boolean {
  try {
    return statSync(path).dev !== statSync(dirname(path)).dev;
  } catch {
    return false;
  }
}
