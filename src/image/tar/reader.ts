// @pure
// Streaming tar reader: ustar, GNU (long names and links, base-256 numbers), PAX (local and
// global headers, SCHILY.xattr.* with binary values, LIBARCHIVE.xattr.* in base64). Entries are
// yielded one at a time with a body stream; an unread body is skipped when the next entry is asked
// for. GNU and PAX sparse files and multi-volume archives are refused.
import { invalidArgument, notImplemented } from '../../errors/errors.ts';
import { BLOCK, decodeHeader, isZeroBlock, typeFromFlag, utf8, type TarHeader } from './header.ts';
import { decodeBase64, decodeLibarchiveName, parsePax, parsePaxTime, type PaxRecords } from './pax.ts';
import { ByteSource } from './byte-source.ts';

export interface TarEntry {
  header: TarHeader;
  /** The body; empty for everything but files. Read it before asking for the next entry. */
  body: AsyncIterable<Uint8Array>;
}

export interface ReadTarOptions {
  /** Read and discard whatever follows the end-of-archive marker (default true). */
  drain?: boolean;
  /** Largest PAX or GNU long-name payload accepted (default 1 MiB). */
  maxMetaSize?: number;
  /**
   * Called with each source chunk once nothing read from it is in use any more, provided each body
   * chunk is used before the next is asked for (see ByteSource); the caller may then reuse it.
   */
  release?: (chunk: Uint8Array) => void;
}

const pad = (n: number): number => (BLOCK - (n % BLOCK)) % BLOCK;
const CHUNK = 256 * 1024;

export async function* readTar(src: AsyncIterable<Uint8Array>, opts: ReadTarOptions = {}): AsyncGenerator<TarEntry> {
  const s = new ByteSource(src, opts.release);
  const maxMeta = opts.maxMetaSize ?? 1 << 20;
  let global: PaxRecords = new Map();
  let local: PaxRecords | undefined;
  let longName: string | undefined;
  let longLink: string | undefined;
  let generation = 0;

  const readMeta = async (size: number, what: string): Promise<Uint8Array> => {
    if (size > maxMeta) throw invalidArgument(`tar: ${what} of ${size} bytes is too large`);
    const b = await s.readExact(size, what);
    const copy = b.slice();
    await s.skip(pad(size), what);
    return copy;
  };

  for (;;) {
    const block = await s.read(BLOCK);
    if (block.length === 0) break; // end of stream without the end marker: accept, as Go does
    if (block.length < BLOCK) throw invalidArgument('tar: unexpected end of archive in header');
    if (isZeroBlock(block)) break;
    const raw = decodeHeader(block);
    switch (raw.typeflag) {
      case 'x': local = parsePax(await readMeta(raw.size, 'PAX header')); continue;
      case 'g': global = new Map([...global, ...parsePax(await readMeta(raw.size, 'PAX global header'))]); continue;
      case 'L': longName = trimNul(utf8(await readMeta(raw.size, 'GNU long name'))); continue;
      case 'K': longLink = trimNul(utf8(await readMeta(raw.size, 'GNU long link'))); continue;
      case 'S': throw notImplemented(`tar: GNU sparse file ${raw.name} is not supported`);
      case 'M': throw notImplemented(`tar: multi-volume archive (${raw.name}) is not supported`);
      case 'V': await s.skip(raw.size + pad(raw.size), 'volume label'); continue;
      default: break;
    }
    const pax = new Map([...global, ...(local ?? [])]);
    local = undefined;
    const dumpdir = raw.typeflag === 'D';
    const type = dumpdir ? 'directory' : typeFromFlag(raw.typeflag);
    if (!type) throw notImplemented(`tar: entry ${raw.name} has unsupported type ${JSON.stringify(raw.typeflag)}`);
    const h: TarHeader = {
      name: longName ?? raw.name,
      type,
      mode: raw.mode & 0o7777,
      uid: raw.uid,
      gid: raw.gid,
      size: raw.size,
      mtime: raw.mtime,
      linkname: longLink ?? raw.linkname,
      uname: raw.uname,
      gname: raw.gname,
      devmajor: raw.devmajor,
      devminor: raw.devminor,
      xattrs: new Map(),
    };
    longName = longLink = undefined;
    applyPax(h, pax);
    if (type === 'directory' && h.name.endsWith('/') && h.name.length > 1) h.name = h.name.replace(/\/+$/, '');
    // Only files (and GNU dumpdirs, skipped) carry data; Go treats the size of others as 0.
    const dataSize = type === 'file' || dumpdir ? h.size : 0;
    if (type !== 'file') h.size = 0;
    if (dumpdir) {
      await s.skip(dataSize + pad(dataSize), 'GNU dumpdir');
    }
    const gen = ++generation;
    let left = type === 'file' ? dataSize : 0;
    const body: AsyncIterable<Uint8Array> = {
      async *[Symbol.asyncIterator]() {
        if (gen !== generation) throw invalidArgument('tar: entry body read after moving to the next entry');
        while (left > 0) {
          const b = await s.readSome(Math.min(left, CHUNK));
          if (b.length === 0) throw invalidArgument(`tar: unexpected end of archive in ${h.name}`);
          left -= b.length;
          yield b;
        }
      },
    };
    yield { header: h, body };
    generation++;
    if (left > 0) await s.skip(left, h.name);
    left = 0;
    if (type === 'file') await s.skip(pad(dataSize), h.name);
  }
  if (opts.drain ?? true) await s.drain();
}

function trimNul(s: string): string {
  const i = s.indexOf('\0');
  return i >= 0 ? s.slice(0, i) : s;
}

function applyPax(h: TarHeader, pax: PaxRecords): void {
  const rest: Record<string, string> = {};
  for (const [key, value] of pax) {
    if (key.startsWith('SCHILY.xattr.')) {
      h.xattrs.set(key.slice('SCHILY.xattr.'.length), value);
      continue;
    }
    if (key.startsWith('LIBARCHIVE.xattr.')) {
      h.xattrs.set(decodeLibarchiveName(key.slice('LIBARCHIVE.xattr.'.length)), decodeBase64(utf8(value)));
      continue;
    }
    const v = utf8(value);
    if (key.startsWith('GNU.sparse.')) throw notImplemented(`tar: PAX sparse file ${h.name} is not supported`);
    if (v === '') continue; // an empty value deletes the record
    switch (key) {
      case 'path': h.name = v; break;
      case 'linkpath': h.linkname = v; break;
      case 'size': h.size = paxInt(key, v); break;
      case 'uid': h.uid = paxInt(key, v); break;
      case 'gid': h.gid = paxInt(key, v); break;
      case 'uname': h.uname = v; break;
      case 'gname': h.gname = v; break;
      case 'mtime': h.mtime = parsePaxTime(v); break;
      case 'atime': h.atime = parsePaxTime(v); break;
      case 'ctime': h.ctime = parsePaxTime(v); break;
      default: rest[key] = v;
    }
  }
  if (Object.keys(rest).length) h.pax = rest;
}

function paxInt(key: string, v: string): number {
  if (!/^[0-9]+$/.test(v)) throw invalidArgument(`tar: invalid PAX ${key} ${JSON.stringify(v)}`);
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw invalidArgument(`tar: PAX ${key} out of range`);
  return n;
}

/** Collects a body into one buffer (for small entries and tests). */
export async function readAll(body: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let n = 0;
  for await (const c of body) {
    parts.push(c);
    n += c.length;
  }
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
