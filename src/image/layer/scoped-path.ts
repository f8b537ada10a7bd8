// Resolution of paths inside a layer root, as if the root were `/`: `..` stops at the root,
// absolute symlinks restart at the root, and every existing component is lstat'ed so a symlink
// can never lead outside. This is containerd's fs.RootPath behaviour (follow links, but scoped),
// chosen over "refuse any symlinked parent" because real layers do write through symlinked
// directories (e.g. `lib -> usr/lib`).
import { lstatSync, readlinkSync } from 'node:fs';
import { invalidArgument } from '../../errors/errors.ts';

const MAX_LINKS = 255;

/** Lexical clean of a tar entry name: leading `/` stripped, `.` dropped; `..` above the root is refused. */
export function cleanEntryName(name: string, what = 'entry'): string {
  if (name.includes('\0')) throw invalidArgument(`layer: ${what} name contains NUL`);
  const out: string[] = [];
  for (const p of name.split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..') {
      if (out.length === 0) throw invalidArgument(`layer: ${what} ${JSON.stringify(name)} is outside of the layer root`);
      out.pop();
      continue;
    }
    out.push(p);
  }
  return out.join('/');
}

export class ScopedResolver {
  readonly root: string;
  /** Relative paths known to be real directories (not symlinks). Cleared on any removal. */
  #dirs = new Set<string>();

  constructor(root: string) {
    this.root = root;
  }

  host(rel: string): string {
    return rel === '' ? this.root : `${this.root}/${rel}`;
  }

  forget(): void {
    this.#dirs.clear();
  }

  knownDir(rel: string): void {
    this.#dirs.add(rel);
  }

  isKnownDir(rel: string): boolean {
    return this.#dirs.has(rel);
  }

  /**
   * The relative path `rel` resolves to inside the root; symlinks in every component are followed
   * (scoped), the last one only with followLast. Components that do not exist are kept lexically.
   */
  resolve(rel: string, followLast: boolean): string {
    const queue = rel.split('/').filter((p) => p !== '' && p !== '.');
    const out: string[] = [];
    let links = 0;
    while (queue.length) {
      const p = queue.shift()!;
      if (p === '..') {
        out.pop();
        continue;
      }
      out.push(p);
      if (queue.length === 0 && !followLast) break;
      const cur = out.join('/');
      if (this.#dirs.has(cur)) continue;
      let isLink = false;
      try {
        const st = lstatSync(this.host(cur));
        isLink = st.isSymbolicLink();
        if (st.isDirectory()) this.#dirs.add(cur);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'ENOTDIR') continue;
        throw e;
      }
      if (!isLink) continue;
      if (++links > MAX_LINKS) throw invalidArgument(`layer: too many levels of symbolic links in ${rel}`);
      const target = readlinkSync(this.host(cur));
      out.pop();
      if (target.startsWith('/')) out.length = 0;
      queue.unshift(...target.split('/').filter((x) => x !== '' && x !== '.'));
    }
    return out.join('/');
  }
}
