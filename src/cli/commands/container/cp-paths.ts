// @pure
// docker cp's path rules (moby/pkg/archive copy.go, cli/command/container/cp.go): argument
// splitting, SplitPathDirEntry, GetRebaseName and PrepareArchiveCopy — where an archive is
// extracted and which name its top entry must take.
import { failedPrecondition, invalidArgument } from '../../../errors/errors.ts';

export interface CopyInfo { path: string; exists: boolean; isDir: boolean; rebaseName?: string }

/** Go's filepath.Clean for slash paths. */
export function cleanPath(p: string): string {
  if (p === '') return '.';
  const abs = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length && out[out.length - 1] !== '..') out.pop();
      else if (!abs) out.push('..');
    } else out.push(part);
  }
  const s = (abs ? '/' : '') + out.join('/');
  return s || (abs ? '/' : '.');
}

/** Go's filepath.Dir: everything before the last separator, cleaned. */
export function dirName(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '.' : cleanPath(p.slice(0, i + 1));
}

export function baseName(p: string): string {
  const t = p.replace(/\/+$/, '');
  if (t === '') return p ? '/' : '.';
  return t.slice(t.lastIndexOf('/') + 1);
}

export const joinPath = (...parts: string[]): string => cleanPath(parts.filter(Boolean).join('/'));
export const hasTrailingSeparator = (p: string): boolean => p.endsWith('/');
export const specifiesCurrentDir = (p: string): boolean => baseName(p) === '.';

/** [dir, base]; "dir/." keeps "." as the base (copy a directory's contents). */
export function splitPathDirEntry(p: string): [string, string] {
  let c = cleanPath(p);
  if (specifiesCurrentDir(p)) c += '/.';
  return [dirName(c), baseName(c)];
}

/** Docker's splitCpArg: ["", path] for a local path, [container, path] otherwise. */
export function splitCpArg(arg: string): [string, string] {
  if (arg.startsWith('/')) return ['', arg];
  const i = arg.indexOf(':');
  if (i < 0 || arg.startsWith('.')) return ['', arg];
  return [arg.slice(0, i), arg.slice(i + 1)];
}

/** GetRebaseName: keeps "/." and "/" from the asked path on the resolved one; the asked base name when it changed. */
export function rebaseName(asked: string, resolved: string): { path: string; rebase?: string } {
  let r = resolved;
  if (specifiesCurrentDir(asked) && !specifiesCurrentDir(r)) r += '/.';
  if (hasTrailingSeparator(asked) && !hasTrailingSeparator(r)) r += '/';
  return { path: r, rebase: baseName(asked) !== baseName(r) ? baseName(asked) : undefined };
}

export const ERR_CANNOT_COPY_DIR = 'cannot copy directory';
export const ERR_DIR_NOT_EXISTS = 'no such directory';

/**
 * PrepareArchiveCopy (with the source's RebaseArchiveEntries folded in): the directory to extract
 * into and, when needed, the new name for the archive's top entry (which carries the source's base name).
 */
export function prepareArchiveCopy(src: CopyInfo, dst: CopyInfo): { dstDir: string; rename?: { from: string; to: string } } {
  const [dstDir, dstBase] = splitPathDirEntry(dst.path);
  const [, srcBase] = splitPathDirEntry(src.path);
  const to = (name: string) => (name === srcBase ? undefined : { from: srcBase, to: name });
  if (dst.exists && dst.isDir) return { dstDir: dst.path, rename: to(src.rebaseName || srcBase) };
  if (dst.exists && src.isDir) throw failedPrecondition(ERR_CANNOT_COPY_DIR);
  if (!dst.exists && !src.isDir && (hasTrailingSeparator(dst.path) || specifiesCurrentDir(dst.path))) throw invalidArgument(ERR_DIR_NOT_EXISTS);
  return { dstDir, rename: to(dstBase) };
}
