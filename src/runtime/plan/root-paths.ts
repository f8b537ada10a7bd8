// Refuses, before anything is mounted, a path in the root that reaches a relative symlink
// climbing above the root (`evil -> ../../../../tmp/x`). The helper resolves every path
// inside the root anyway (openat2 RESOLVE_IN_ROOT), so this is not the defence itself, but
// such an image is broken or hostile and deserves a clear error rather than a surprise.
import { lstatSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { invalidArgument } from '../../errors/errors.ts';

export function checkPathInRoot(rootfs: string, path: string, what: string): void {
  let todo = path.split('/').filter(Boolean);
  const done: string[] = [];
  let hops = 0;
  while (todo.length) {
    const c = todo.shift()!;
    if (c === '.') continue;
    if (c === '..') { done.pop(); continue; }
    const host = join(rootfs, ...done, c);
    let isLink = false;
    try { isLink = lstatSync(host).isSymbolicLink(); } catch { return; } // missing: created later, inside
    if (!isLink) { done.push(c); continue; }
    if (++hops > 40) throw invalidArgument(`${what} ${path}: too many levels of symbolic links`);
    const target = readlinkSync(host);
    if (target.startsWith('/')) {
      done.length = 0;
    } else {
      let depth = done.length;
      for (const t of target.split('/')) {
        if (t === '..') depth--;
        else if (t && t !== '.') depth++;
        if (depth < 0) {
          throw invalidArgument(`${what} ${path}: symlink /${[...done, c].join('/')} -> ${target} points outside the root`);
        }
      }
    }
    todo = [...target.split('/').filter(Boolean), ...todo];
  }
}
