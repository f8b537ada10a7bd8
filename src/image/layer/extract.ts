// Writes tar entries into a layer directory, safely: names are cleaned (`..` above the root is
// refused, a leading `/` dropped), parents resolve through ScopedResolver (symlinks followed but
// never out of the root), the last component is never followed (an existing one is replaced), hard
// links must point at something inside the root. Owners, modes, xattrs and times are applied at the
// end (finish): chown, then chmod (chown clears setuid), then xattrs (chown clears
// security.capability), then times.
import { chmodSync, closeSync, fstatSync, futimesSync, linkSync, lchownSync, lstatSync, lutimesSync, mkdirSync, openSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';
import { invalidArgument, wrap } from '../../errors/errors.ts';
import type { TarEntry } from '../tar/reader.ts';
import type { TarHeader } from '../tar/header.ts';
import { ScopedResolver, cleanEntryName } from './scoped-path.ts';
import type { LayerFs, SpecialNode } from './layer-fs.ts';
import type { XattrItem } from './xattr-dump.ts';

/** Allocated bytes and inode count of a tree (du's figures). */
export interface Usage {
  size: number;
  inodes: number;
}

export type WhiteoutMode = 'overlay' | 'naive';

export interface ExtractOptions {
  whiteouts: WhiteoutMode;
  /** Set owners from the headers (default: when running as root). */
  chown?: boolean;
  /** The xattr overlayfs reads for opaque directories (default trusted.overlay.opaque). */
  opaqueXattr?: string;
}

const WH = '.wh.';
const DIR_MODE = 0o755;
const WH_META = '.wh..wh.';
const OPAQUE = '.wh..wh..opq';

function lstatOrUndefined(p: string): Stats | undefined {
  try {
    return lstatSync(p);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw e;
  }
}

/** The process's umask (from /proc: reading it through process.umask() would set it). */
function processUmask(): number | undefined {
  try {
    const m = /^Umask:\s+([0-7]+)$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return m ? parseInt(m[1], 8) : undefined;
  } catch {
    return undefined;
  }
}

/** The mode add() gave a path of this type when it made it. */
function createdMode(h: TarHeader, umask: number): number {
  if (h.type === 'directory') return DIR_MODE & ~umask;
  if (h.type === 'file') return h.mode & 0o777 & ~umask;
  return -1; // device nodes, fifos and whiteouts: made elsewhere, always chmod
}

export class LayerExtractor {
  readonly #r: ScopedResolver;
  readonly #fs: LayerFs;
  readonly #opts: ExtractOptions;
  /** host path → header whose metadata is applied in finish(). */
  readonly #meta = new Map<string, TarHeader>();
  readonly #xattrs = new Map<string, Map<string, Uint8Array>>();
  readonly #pending = new Map<string, SpecialNode>();
  /** naive mode: paths this layer wrote (and their parents), and opaque directories. */
  readonly #written = new Set<string>();
  readonly #opaque = new Set<string>();
  /** Something was removed: a parent may have been replaced, so finish() checks parents. */
  #removed = false;
  /**
   * The root was empty: then only what this layer made can exist (#made), and a path it did not
   * make needs no lstat. Also, what it made belongs to the extracting process's user and has the
   * mode it was made with (#created), so finish() skips the chown and chmod that change nothing.
   */
  readonly #fresh: boolean;
  readonly #made = new Set<string>();
  readonly #umask: number | undefined;
  /**
   * Fresh root: regular files by host path → their allocated blocks, taken (fstat) and their times
   * set (futimes) at close, so finish() neither sets their times nor usage() walks them again.
   * Hard links (made paths that are not inodes of their own) are counted by their target.
   */
  readonly #files = new Map<string, number>();
  readonly #links = new Set<string>();
  #usage: Usage | undefined;
  entries = 0;

  constructor(root: string, fs: LayerFs, opts: ExtractOptions) {
    this.#r = new ScopedResolver(realpathSync(root));
    this.#fs = fs;
    this.#opts = opts;
    // A setgid root would give new entries its group: then owners are always set.
    this.#fresh = readdirSync(this.#r.root).length === 0 && (lstatSync(this.#r.root).mode & 0o2000) === 0;
    this.#umask = this.#fresh ? processUmask() : undefined;
  }

  async add(e: TarEntry): Promise<void> {
    this.entries++;
    const h = e.header;
    const rel = cleanEntryName(h.name);
    if (rel === '') {
      if (h.type === 'directory') this.#meta.set(this.#r.root, h);
      return;
    }
    const slash = rel.lastIndexOf('/');
    const base = rel.slice(slash + 1);
    const parentRel = this.#r.resolve(slash < 0 ? '' : rel.slice(0, slash), true);
    if (base.startsWith(WH)) return this.#whiteout(parentRel, base, h);
    const rrel = parentRel ? `${parentRel}/${base}` : base;
    const path = this.#r.host(rrel);
    await this.#flushIfTouches(rrel, h.type === 'link' ? h.linkname : undefined);
    this.#mkdirs(parentRel);
    const existing = this.#fresh && !this.#made.has(rrel) ? undefined : lstatOrUndefined(path);
    if (existing && !(existing.isDirectory() && h.type === 'directory')) this.#remove(path);
    this.#mark(rrel);
    this.#made.add(rrel);
    switch (h.type) {
      case 'directory':
        if (!existing?.isDirectory()) mkdirSync(path, DIR_MODE);
        this.#r.knownDir(rrel);
        break;
      case 'file': {
        // Permission bits from the start (special bits only by chmod, after the content).
        const fd = openSync(path, 'wx', h.mode & 0o777);
        try {
          for await (const c of e.body) writeSync(fd, c);
          if (this.#fresh) {
            // Neither chown, chmod, xattrs nor a hard link changes a file's times.
            futimesSync(fd, h.atime ?? h.mtime, h.mtime);
            this.#files.set(path, fstatSync(fd).blocks);
          }
        } finally {
          closeSync(fd);
        }
        break;
      }
      case 'symlink':
        symlinkSync(h.linkname, path);
        break;
      case 'link': {
        const target = this.#linkTarget(h.linkname);
        linkSync(target, path);
        this.#links.add(path);
        return; // shares the target's inode and metadata
      }
      case 'char': case 'block': case 'fifo':
        this.#pending.set(path, { path, kind: h.type, major: h.devmajor, minor: h.devminor });
        break;
    }
    this.#meta.set(path, h);
    if (h.xattrs.size) this.#xattrs.set(path, h.xattrs);
  }

  #linkTarget(linkname: string): string {
    const rel = cleanEntryName(linkname, 'hard link target');
    if (rel === '') throw invalidArgument(`layer: hard link to the layer root`);
    const slash = rel.lastIndexOf('/');
    const parent = this.#r.resolve(slash < 0 ? '' : rel.slice(0, slash), true);
    const target = this.#r.host(parent ? `${parent}/${rel.slice(slash + 1)}` : rel.slice(slash + 1));
    const st = lstatOrUndefined(target);
    if (!st) throw invalidArgument(`layer: hard link target ${JSON.stringify(linkname)} does not exist in the layer`);
    if (st.isDirectory()) throw invalidArgument(`layer: hard link target ${JSON.stringify(linkname)} is a directory`);
    return target;
  }

  async #whiteout(parentRel: string, base: string, h: TarHeader): Promise<void> {
    const dir = this.#r.host(parentRel);
    if (base === OPAQUE) {
      await this.#flushIfTouches(parentRel);
      this.#mkdirs(parentRel);
      this.#mark(parentRel);
      if (this.#opts.whiteouts === 'overlay') {
        const m = this.#xattrs.get(dir) ?? new Map<string, Uint8Array>();
        m.set(this.#opts.opaqueXattr ?? 'trusted.overlay.opaque', new TextEncoder().encode('y'));
        this.#xattrs.set(dir, m);
      } else this.#opaque.add(dir);
      return;
    }
    if (base.startsWith(WH_META)) return; // aufs metadata (.wh..wh.plnk, .wh..wh.aufs): ignored
    const name = base.slice(WH.length);
    if (name === '' || name === '.' || name === '..') throw invalidArgument(`layer: invalid whiteout ${JSON.stringify(base)}`);
    const rrel = parentRel ? `${parentRel}/${name}` : name;
    const path = this.#r.host(rrel);
    await this.#flush();
    if (!(this.#fresh && !this.#made.has(rrel)) && lstatOrUndefined(path)) this.#remove(path);
    if (this.#opts.whiteouts === 'naive') return;
    this.#mkdirs(parentRel);
    this.#made.add(rrel);
    this.#pending.set(path, { path, kind: 'char', major: 0, minor: 0 });
    this.#meta.set(path, { ...h, type: 'char', mode: 0, devmajor: 0, devminor: 0, xattrs: new Map() });
  }

  #mkdirs(rel: string): void {
    if (rel === '' || this.#r.isKnownDir(rel)) return;
    mkdirSync(this.#r.host(rel), { recursive: true, mode: DIR_MODE });
    this.#r.knownDir(rel);
    for (let p = rel; p !== '' && !this.#made.has(p); p = p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '') this.#made.add(p);
  }

  #mark(rel: string): void {
    if (this.#opts.whiteouts !== 'naive') return;
    for (let p = rel; p !== '' && !this.#written.has(p); p = p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '') {
      this.#written.add(p);
    }
  }

  #remove(path: string): void {
    rmSync(path, { recursive: true, force: true });
    this.#removed = true;
    this.#r.forget();
    const prefix = `${path}/`;
    for (const m of [this.#meta, this.#xattrs]) {
      for (const k of m.keys()) if (k === path || k.startsWith(prefix)) m.delete(k);
    }
  }

  /** Device nodes are created in batches; an entry that depends on a pending one flushes first. */
  async #flushIfTouches(rel: string, linkname?: string): Promise<void> {
    if (this.#pending.size === 0) return;
    let hit = linkname !== undefined;
    for (let p = rel; !hit && p !== ''; p = p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '') {
      if (this.#pending.has(this.#r.host(p))) hit = true;
    }
    if (hit) await this.#flush();
  }

  async #flush(): Promise<void> {
    if (this.#pending.size === 0) return;
    const nodes = [...this.#pending.values()];
    this.#pending.clear();
    await this.#fs.makeNodes(nodes);
  }

  /** Creates pending nodes, removes what opaque directories hide (naive), applies metadata. */
  async finish(chownDefault: boolean): Promise<void> {
    await this.#flush();
    for (const dir of this.#opaque) this.#pruneOpaque(dir);
    const chown = this.#opts.chown ?? chownDefault;
    const ok = (path: string): Stats | undefined => {
      // Entries only add to the tree unless something was removed (replaced): only then can a
      // parent have become a symlink since it was resolved.
      if (this.#removed && path !== this.#r.root && realpathSync.native(dirname(path)) !== dirname(path)) {
        throw invalidArgument(`layer: parent of ${path} changed while extracting`);
      }
      return lstatOrUndefined(path);
    };
    // Nothing removed: every path in #meta is there, as its header says (no lstat needed).
    const known = this.#fresh && !this.#removed;
    const ids = { uid: process.geteuid?.() ?? -1, gid: process.getegid?.() ?? -1 };
    const times: Array<[string, TarHeader]> = [];
    for (const [path, h] of this.#meta) {
      const isLink = known ? h.type === 'symlink' : ok(path)?.isSymbolicLink();
      if (isLink === undefined || (isLink && h.type !== 'symlink')) continue;
      const made = known && path !== this.#r.root;
      try {
        if (chown && !(made && h.uid === ids.uid && h.gid === ids.gid)) lchownSync(path, h.uid, h.gid);
        if (!isLink && !(made && this.#umask !== undefined && createdMode(h, this.#umask) === (h.mode & 0o7777))) chmodSync(path, h.mode & 0o7777);
      } catch (e) {
        throw wrap(`layer: metadata of ${h.name}`, e);
      }
      if (!(made && h.type === 'file' && this.#files.has(path))) times.push([path, h]);
    }
    const items: XattrItem[] = [];
    for (const [path, xattrs] of this.#xattrs) if (ok(path)) items.push({ path, xattrs });
    await this.#fs.setXattrs(items);
    for (const [path, h] of times) lutimesSync(path, h.atime ?? h.mtime, h.mtime);
    if (known) this.#usage = this.#count();
  }

  /**
   * What the layer's files take on disk, as diskUsage (snapshotter.ts) would count it, when this
   * extractor can tell without walking the tree (it began empty and removed nothing); else undefined.
   */
  usage(): Usage | undefined {
    return this.#usage;
  }

  #count(): Usage {
    let size = lstatSync(this.#r.root).blocks * 512;
    let inodes = 1;
    for (const rel of this.#made) {
      const path = this.#r.host(rel);
      if (this.#links.has(path)) continue;
      const blocks = this.#xattrs.has(path) ? undefined : this.#files.get(path); // an xattr may take a block
      size += (blocks ?? lstatSync(path).blocks) * 512;
      inodes++;
    }
    return { size, inodes };
  }

  #pruneOpaque(dir: string): void {
    const root = this.#r.root;
    const walk = (d: string): void => {
      for (const name of readdirSync(d)) {
        const p = `${d}/${name}`;
        const rel = p.slice(root.length + 1);
        if (!this.#written.has(rel)) this.#remove(p);
        else if (lstatSync(p).isDirectory()) walk(p);
      }
    };
    if (lstatOrUndefined(dir)?.isDirectory()) walk(dir);
  }
}
