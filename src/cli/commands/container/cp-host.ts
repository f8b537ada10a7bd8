// docker cp's host side: path info for the local source/destination (CopyInfoSourcePath,
// CopyInfoDestinationPath) and the system `tar` to pack/unpack, renaming the top entry.
import { spawn } from 'node:child_process';
import { lstatSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { failedPrecondition, internal, invalidArgument, notFound } from '../../../errors/errors.ts';
import { baseName, cleanPath, hasTrailingSeparator, joinPath, rebaseName, specifiesCurrentDir, splitPathDirEntry, type CopyInfo } from './cp-paths.ts';

const enoent = (err: unknown) => (err as NodeJS.ErrnoException).code === 'ENOENT';
const goErr = (op: string, path: string, err: unknown) =>
  enoent(err) ? notFound(`${op} ${path}: no such file or directory`, err) : invalidArgument(`${op} ${path}: ${(err as Error).message}`, err);

/** An absolute path that keeps a trailing "/" or "/." (resolveLocalPath). */
export function localAbs(p: string): string {
  const abs = resolve(p);
  if (specifiesCurrentDir(p) && !specifiesCurrentDir(abs)) return `${abs}/.`;
  if (hasTrailingSeparator(p) && !hasTrailingSeparator(abs)) return `${abs}/`;
  return abs;
}

export function sourceInfo(path: string, followLink: boolean): CopyInfo {
  let resolved: string;
  let rebase: string | undefined;
  try {
    if (followLink) {
      ({ path: resolved, rebase } = rebaseName(path, realpathSync(path)));
    } else {
      const slash = path.lastIndexOf('/');
      const dir = slash < 0 ? '.' : path.slice(0, slash + 1) || '/';
      const base = path.slice(slash + 1);
      resolved = `${realpathSync(dir).replace(/\/$/, '')}/${base}`;
      if (hasTrailingSeparator(path) && baseName(path) !== baseName(resolved)) rebase = baseName(path);
    }
  } catch (err) { throw goErr('lstat', path, err); }
  let st;
  try { st = lstatSync(resolved); } catch (err) { throw goErr('lstat', resolved, err); }
  return { path: resolved, exists: true, isDir: st.isDirectory(), rebaseName: rebase };
}

export function destinationInfo(path: string): CopyInfo {
  let p = path;
  const exists = (q: string) => { try { return lstatSync(q); } catch (err) { if (enoent(err)) return undefined; throw goErr('lstat', q, err); } };
  let st = exists(p);
  for (let n = 0; st?.isSymbolicLink(); n++) {
    if (n > 10) throw invalidArgument(`too many symlinks in ${path}`);
    let target = readlinkSync(p);
    if (!target.startsWith('/')) target = joinPath(splitPathDirEntry(p)[0], target);
    p = target;
    st = exists(p);
  }
  if (st) return { path: p, exists: true, isDir: st.isDirectory() };
  const parent = splitPathDirEntry(p)[0];
  let pst;
  try { pst = statSync(parent); } catch (err) { throw goErr('stat', parent, err); }
  if (!pst.isDirectory()) throw failedPrecondition('not a directory');
  return { path: p, exists: false, isDir: false };
}

/** docker's ValidateOutputPath for a local destination. */
export function validateOutputPath(path: string): void {
  const dir = splitPathDirEntry(cleanPath(path))[0];
  try { statSync(dir); } catch (err) { if (enoent(err)) throw invalidArgument(`invalid output path: directory "${dir}" does not exist`); }
}

const escapeRe = (s: string) => s.replace(/[\\.[\]*^$\x01]/g, (c) => `\\${c}`);
const escapeRepl = (s: string) => s.replace(/[\\&\x01]/g, (c) => `\\${c}`);

/** GNU tar --transform renaming the top entry (and hard-link targets, not symlink targets). */
export function transformArgs(rename?: { from: string; to: string }): string[] {
  if (!rename) return [];
  return [`--transform=s\x01^${escapeRe(rename.from)}\\(/\\|$\\)\x01${escapeRepl(rename.to)}\\1\x01S`];
}

function run(args: string[], stdin: 'pipe' | 'ignore'): { child: ReturnType<typeof spawn>; done: Promise<void> } {
  const child = spawn('tar', args, { stdio: [stdin, 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => { err += d; });
  const done = new Promise<void>((res, rej) => {
    child.on('error', (e) => rej(internal(`tar: ${e.message}`, e)));
    child.on('close', (code) => (code === 0 ? res() : rej(failedPrecondition(err.trim() || `tar exited with status ${code}`))));
  });
  return { child, done };
}

/** TarResource(srcInfo) + the rename PrepareArchiveCopy decided. */
export function packTar(src: CopyInfo, rename?: { from: string; to: string }): { stream: Readable; done: Promise<void> } {
  const [dir, base] = splitPathDirEntry(src.path);
  const { child, done } = run(['-c', '-f', '-', '--numeric-owner', '-C', dir, ...transformArgs(rename), '--', base], 'ignore');
  return { stream: child.stdout!, done };
}

/** Untar with NoLchown (files owned by the caller), as docker cp does on the host. */
export async function unpackTar(content: Readable, dstDir: string, rename?: { from: string; to: string }): Promise<void> {
  const { child, done } = run(['-x', '-f', '-', '--no-same-owner', '-C', dstDir, ...transformArgs(rename)], 'pipe');
  await Promise.all([pipeline(content, child.stdin!), done]);
}
