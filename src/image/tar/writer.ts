// @pure
// Streaming tar writer. Writes ustar blocks and adds a PAX header only when something does not
// fit ustar (long or non-ASCII names, long link targets, big ids or sizes, fractional mtimes,
// long user/group names, xattrs), as Go's archive/tar does; ends with two zero blocks.
import { invalidArgument } from '../../errors/errors.ts';
import { BLOCK, byteLength, encodeBlock, fitsOctal, typeflagOf, type TarHeader } from './header.ts';
import { encodePax, formatPaxTime } from './pax.ts';

export interface WriteEntry {
  header: TarHeader;
  body?: AsyncIterable<Uint8Array> | Uint8Array;
}

const ZERO = new Uint8Array(BLOCK);
const isAscii = (s: string): boolean => /^[\x00-\x7f]*$/.test(s);

/** Splits a name into ustar prefix/name, or undefined when it cannot be. */
function splitUstar(name: string): [prefix: string, name: string] | undefined {
  if (!isAscii(name)) return undefined;
  if (name.length <= 100) return ['', name];
  for (let i = Math.min(name.length - 1, 155); i > 0; i--) {
    if (name[i] !== '/') continue;
    const rest = name.slice(i + 1);
    if (rest.length > 0 && rest.length <= 100) return [name.slice(0, i), rest];
  }
  return undefined;
}

/** The header blocks (PAX header first when needed) for one entry. */
export function encodeHeader(h: TarHeader): Uint8Array[] {
  const pax: Array<[string, Uint8Array | string]> = [];
  let name = h.type === 'directory' && !h.name.endsWith('/') ? `${h.name}/` : h.name;
  let prefix = '';
  const split = splitUstar(name);
  if (split) [prefix, name] = split;
  else {
    pax.push(['path', name]);
    name = asciiTail(name, 100);
  }
  let linkname = h.linkname;
  if (linkname.length > 100 || !isAscii(linkname)) {
    pax.push(['linkpath', linkname]);
    linkname = asciiTail(linkname, 100);
  }
  const size = h.type === 'file' ? h.size : 0;
  const num = (key: string, v: number, len: number): number => {
    if (fitsOctal(v, len)) return v;
    if (v < 0 || !Number.isSafeInteger(v)) throw invalidArgument(`tar: ${key} ${v} cannot be written`);
    pax.push([key, String(v)]);
    return 0;
  };
  const uid = num('uid', h.uid, 8);
  const gid = num('gid', h.gid, 8);
  const sz = num('size', size, 12);
  let mtime = Math.floor(h.mtime);
  if (!Number.isInteger(h.mtime) || !fitsOctal(mtime, 12)) {
    pax.push(['mtime', formatPaxTime(h.mtime)]);
    if (!fitsOctal(mtime, 12)) mtime = 0;
  }
  if (h.atime !== undefined) pax.push(['atime', formatPaxTime(h.atime)]);
  if (h.ctime !== undefined) pax.push(['ctime', formatPaxTime(h.ctime)]);
  let uname = h.uname;
  if (byteLength(uname) > 32 || !isAscii(uname)) {
    pax.push(['uname', uname]);
    uname = '';
  }
  let gname = h.gname;
  if (byteLength(gname) > 32 || !isAscii(gname)) {
    pax.push(['gname', gname]);
    gname = '';
  }
  if (!fitsOctal(h.devmajor, 8) || !fitsOctal(h.devminor, 8)) {
    throw invalidArgument(`tar: device number of ${h.name} too large`);
  }
  for (const k of [...h.xattrs.keys()].sort()) pax.push([`SCHILY.xattr.${k}`, h.xattrs.get(k)!]);

  const main = encodeBlock({
    name, prefix, mode: h.mode & 0o7777, uid, gid, size: sz, mtime, typeflag: typeflagOf(h.type), linkname,
    uname, gname, devmajor: h.devmajor, devminor: h.devminor,
  });
  if (pax.length === 0) return [main];
  const data = encodePax(pax);
  const base = h.name.replace(/\/+$/, '').split('/').pop() ?? '';
  const paxBlock = encodeBlock({
    name: asciiTail(`PaxHeaders.0/${base}`, 100), prefix: '', mode: 0o644, uid: 0, gid: 0, size: data.length,
    mtime: 0, typeflag: 'x', linkname: '', uname: '', gname: '', devmajor: 0, devminor: 0,
  });
  return [paxBlock, ...padded(data), main];
}

function asciiTail(s: string, max: number): string {
  const a = s.replace(/[^\x20-\x7e]/g, '_');
  return a.length <= max ? a : a.slice(a.length - max);
}

function padded(data: Uint8Array): Uint8Array[] {
  const r = (BLOCK - (data.length % BLOCK)) % BLOCK;
  return r ? [data, ZERO.subarray(0, r)] : [data];
}

/** Serialises entries; a body must have exactly header.size bytes. */
export async function* writeTar(entries: AsyncIterable<WriteEntry> | Iterable<WriteEntry>): AsyncGenerator<Uint8Array> {
  for await (const e of entries) {
    yield* encodeHeader(e.header);
    if (e.header.type !== 'file') continue;
    let n = 0;
    if (e.body instanceof Uint8Array) {
      n = e.body.length;
      if (n) yield e.body;
    } else if (e.body) {
      for await (const c of e.body) {
        n += c.length;
        if (n > e.header.size) break;
        yield c;
      }
    }
    if (n !== e.header.size) {
      throw invalidArgument(`tar: body of ${e.header.name} has ${n > e.header.size ? 'more' : 'fewer'} bytes than its size ${e.header.size}`);
    }
    const r = (BLOCK - (n % BLOCK)) % BLOCK;
    if (r) yield ZERO.subarray(0, r);
  }
  yield ZERO;
  yield ZERO;
}
