// A layer tar from an overlay upper directory, in deterministic order (each directory's entries
// sorted, a directory before its contents): 0/0 character devices become `.wh.<name>` files,
// directories with trusted.overlay.opaque=y get a `.wh..wh..opq` entry right after their own,
// files sharing an inode become hard links to the first path written. Like Docker, only
// security.capability is kept from the xattrs unless xattrs: 'all'; mtimes are truncated to seconds.
import { createReadStream, lstatSync, readdirSync, readlinkSync, type Stats } from 'node:fs';
import { notImplemented } from '../../errors/errors.ts';
import { devNumbers } from '../../sys/dev-numbers.ts';
import { makeHeader, type EntryType, type TarHeader } from '../tar/header.ts';
import { writeTar, type WriteEntry } from '../tar/writer.ts';
import { commandLayerFs, type LayerFs } from './layer-fs.ts';

export interface DiffOptions {
  /** 'capability' (Docker's behaviour, default) or 'all' xattrs except trusted.overlay.*. */
  xattrs?: 'capability' | 'all';
  opaqueXattr?: string;
  fs?: LayerFs;
}

const CAP = 'security.capability';

function devOf(p: string): [number, number] {
  return devNumbers(lstatSync(p, { bigint: true }).rdev);
}

/** The tar entry type of a file (undefined for sockets, which layers do not carry). */
export function entryTypeOf(st: Stats): EntryType | undefined {
  if (st.isFile()) return 'file';
  if (st.isDirectory()) return 'directory';
  if (st.isSymbolicLink()) return 'symlink';
  if (st.isCharacterDevice()) return 'char';
  if (st.isBlockDevice()) return 'block';
  if (st.isFIFO()) return 'fifo';
  return undefined; // sockets are not carried in layers
}

async function* entries(upper: string, opts: DiffOptions): AsyncGenerator<WriteEntry> {
  const fs = opts.fs ?? commandLayerFs;
  const opaqueName = opts.opaqueXattr ?? 'trusted.overlay.opaque';
  const match = opts.xattrs === 'all' ? '-' : `^(security\\.capability|trusted\\.overlay\\..*)$`;
  const xattrs = await fs.dumpXattrs(upper, match);
  const inodes = new Map<string, string>();

  async function* walk(dir: string, rel: string): AsyncGenerator<WriteEntry> {
    for (const name of readdirSync(dir).sort()) {
      const p = `${dir}/${name}`;
      const r = rel ? `${rel}/${name}` : name;
      const st = lstatSync(p);
      const type = entryTypeOf(st);
      if (!type) continue;
      const base: Partial<TarHeader> = { uid: st.uid, gid: st.gid, mtime: Math.floor(st.mtimeMs / 1000) };
      const xa = xattrs.get(p);
      if (xa?.has('trusted.overlay.redirect') || xa?.has('trusted.overlay.metacopy')) {
        throw notImplemented(`layer diff: ${r} uses overlay redirect_dir/metacopy, which cannot be exported`);
      }
      if (type === 'char') {
        const [major, minor] = devOf(p);
        if (major === 0 && minor === 0) {
          const wh = rel ? `${rel}/.wh.${name}` : `.wh.${name}`;
          yield { header: makeHeader({ ...base, name: wh, type: 'file', mode: 0o600 }) };
          continue;
        }
      }
      const keep = new Map<string, Uint8Array>();
      for (const [k, v] of xa ?? []) {
        if (k.startsWith('trusted.overlay.')) continue;
        if (opts.xattrs === 'all' || k === CAP) keep.set(k, v);
      }
      const h = makeHeader({ ...base, name: r, type, mode: st.mode & 0o7777, xattrs: keep });
      if (type === 'file' && st.nlink > 1) {
        const key = `${st.dev}:${st.ino}`;
        const first = inodes.get(key);
        if (first !== undefined) {
          yield { header: { ...h, type: 'link', linkname: first, xattrs: new Map() } };
          continue;
        }
        inodes.set(key, r);
      }
      if (type === 'file') {
        h.size = st.size;
        yield { header: h, body: st.size ? createReadStream(p) : undefined };
      } else if (type === 'symlink') {
        h.linkname = readlinkSync(p);
        yield { header: h };
      } else if (type === 'char' || type === 'block') {
        [h.devmajor, h.devminor] = devOf(p);
        yield { header: h };
      } else yield { header: h };
      if (type === 'directory') {
        const v = xa?.get(opaqueName);
        if (v && v.length === 1 && v[0] === 0x79) {
          yield { header: makeHeader({ ...base, name: `${r}/.wh..wh..opq`, type: 'file', mode: st.mode & 0o777 }) };
        }
        yield* walk(p, r);
      }
    }
  }
  yield* walk(upper, '');
}

/** The uncompressed layer tar of an overlay upper dir. */
export function diffLayer(upper: string, opts: DiffOptions = {}): AsyncGenerator<Uint8Array> {
  return writeTar(entries(upper.replace(/\/+$/, ''), opts));
}
