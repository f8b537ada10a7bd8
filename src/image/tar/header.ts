// @pure
// The tar header model and the 512-byte block codec: ustar and GNU layouts, octal and base-256
// numbers, checksums. PAX records are in pax.ts; the streaming reader and writer build on these.
import { invalidArgument } from '../../errors/errors.ts';

export const BLOCK = 512;

export type EntryType = 'file' | 'link' | 'symlink' | 'char' | 'block' | 'directory' | 'fifo';

export interface TarHeader {
  name: string;
  type: EntryType;
  /** Permission bits including setuid/setgid/sticky (0o7777). */
  mode: number;
  uid: number;
  gid: number;
  size: number;
  /** Seconds since the epoch, fractional when a PAX header carried a fraction. */
  mtime: number;
  atime?: number;
  ctime?: number;
  linkname: string;
  uname: string;
  gname: string;
  devmajor: number;
  devminor: number;
  /** Extended attributes; values are raw bytes (security.capability is binary). */
  xattrs: Map<string, Uint8Array>;
  /** PAX records the reader did not interpret (kept for callers; not written back). */
  pax?: Record<string, string>;
}

export function makeHeader(h: Partial<TarHeader> & { name: string }): TarHeader {
  return {
    type: 'file', mode: 0o644, uid: 0, gid: 0, size: 0, mtime: 0, linkname: '', uname: '', gname: '',
    devmajor: 0, devminor: 0, xattrs: new Map(), ...h,
  };
}

/** Raw fields of one header block, before PAX/GNU extensions are merged. */
export interface RawHeader {
  name: string;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtime: number;
  typeflag: string;
  linkname: string;
  uname: string;
  gname: string;
  devmajor: number;
  devminor: number;
  format: 'ustar' | 'gnu' | 'v7';
}

const dec = new TextDecoder('utf-8');
const enc = new TextEncoder();

function cstring(b: Uint8Array, off: number, len: number): Uint8Array {
  let end = off;
  while (end < off + len && b[end] !== 0) end++;
  return b.subarray(off, end);
}
const str = (b: Uint8Array, off: number, len: number): string => dec.decode(cstring(b, off, len));

/** Octal (space/NUL padded) or base-256 (high bit set, two's complement) numeric field. */
export function parseNumeric(b: Uint8Array, off: number, len: number): number {
  const first = b[off];
  if (first & 0x80) {
    // base-256: 0x80 positive, 0xff negative (two's complement over the field)
    let v = 0n;
    for (let i = 0; i < len; i++) v = (v << 8n) | BigInt(b[off + i]);
    v = first === 0xff ? BigInt.asIntN(len * 8, v) : BigInt.asUintN(len * 8 - 1, v);
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw invalidArgument('tar: numeric field out of range');
    }
    return Number(v);
  }
  let s = '';
  for (let i = off; i < off + len; i++) {
    const c = b[i];
    if (c === 0) break;
    s += String.fromCharCode(c);
  }
  s = s.trim();
  if (s === '') return 0;
  if (!/^[0-7]+$/.test(s)) throw invalidArgument(`tar: invalid numeric field ${JSON.stringify(s)}`);
  return parseInt(s, 8);
}

/** Writes `v` as zero-padded octal with a NUL terminator; false when it does not fit. */
export function fitsOctal(v: number, len: number): boolean {
  return Number.isInteger(v) && v >= 0 && v < 8 ** (len - 1);
}

function writeOctal(b: Uint8Array, off: number, len: number, v: number): void {
  const s = v.toString(8).padStart(len - 1, '0');
  for (let i = 0; i < len - 1; i++) b[off + i] = s.charCodeAt(i);
  b[off + len - 1] = 0;
}

/** Base-256 for numbers too big for octal (GNU extension, read by every modern tar). */
function writeBase256(b: Uint8Array, off: number, len: number, v: number): void {
  let x = BigInt.asUintN(len * 8, BigInt(v));
  for (let i = len - 1; i >= 0; i--) {
    b[off + i] = Number(x & 0xffn);
    x >>= 8n;
  }
  b[off] = v < 0 ? 0xff : (b[off] & 0x7f) | 0x80;
}

function writeNumeric(b: Uint8Array, off: number, len: number, v: number): void {
  if (fitsOctal(v, len)) writeOctal(b, off, len, v);
  else writeBase256(b, off, len, v);
}

function writeString(b: Uint8Array, off: number, len: number, s: string): void {
  const bytes = enc.encode(s);
  b.set(bytes.subarray(0, len), off);
}

export function checksum(b: Uint8Array): { unsigned: number; signed: number } {
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const c = i >= 148 && i < 156 ? 0x20 : b[i];
    unsigned += c;
    signed += c > 127 ? c - 256 : c;
  }
  return { unsigned, signed };
}

export function isZeroBlock(b: Uint8Array): boolean {
  for (let i = 0; i < BLOCK; i++) if (b[i] !== 0) return false;
  return true;
}

/** Decodes one header block; verifies the checksum (unsigned or, as old tars wrote, signed). */
export function decodeHeader(b: Uint8Array): RawHeader {
  const stored = parseNumeric(b, 148, 8);
  const sum = checksum(b);
  if (stored !== sum.unsigned && stored !== sum.signed) {
    throw invalidArgument(`tar: header checksum mismatch (stored ${stored}, computed ${sum.unsigned})`);
  }
  const magic = String.fromCharCode(...b.subarray(257, 263));
  const version = String.fromCharCode(...b.subarray(263, 265));
  const format = magic === 'ustar\0' ? 'ustar' : magic === 'ustar ' && version === ' \0' ? 'gnu' : 'v7';
  let name = str(b, 0, 100);
  if (format === 'ustar') {
    const prefix = str(b, 345, 155);
    if (prefix) name = `${prefix}/${name}`;
  }
  const t = b[156];
  return {
    name,
    mode: parseNumeric(b, 100, 8),
    uid: parseNumeric(b, 108, 8),
    gid: parseNumeric(b, 116, 8),
    size: parseNumeric(b, 124, 12),
    mtime: parseNumeric(b, 136, 12),
    typeflag: t === 0 ? '0' : String.fromCharCode(t),
    linkname: str(b, 157, 100),
    uname: format === 'v7' ? '' : str(b, 265, 32),
    gname: format === 'v7' ? '' : str(b, 297, 32),
    devmajor: format === 'v7' ? 0 : parseNumeric(b, 329, 8),
    devminor: format === 'v7' ? 0 : parseNumeric(b, 337, 8),
    format,
  };
}

const TYPEFLAG: Record<EntryType, string> = {
  file: '0', link: '1', symlink: '2', char: '3', block: '4', directory: '5', fifo: '6',
};

export function typeFromFlag(flag: string): EntryType | undefined {
  switch (flag) {
    case '0': case '7': return 'file';
    case '1': return 'link';
    case '2': return 'symlink';
    case '3': return 'char';
    case '4': return 'block';
    case '5': return 'directory';
    case '6': return 'fifo';
    default: return undefined;
  }
}

export interface BlockFields {
  name: string;
  prefix: string;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtime: number;
  typeflag: string;
  linkname: string;
  uname: string;
  gname: string;
  devmajor: number;
  devminor: number;
}

/** Encodes a ustar block. Fields must already fit (the writer moves what does not into PAX). */
export function encodeBlock(f: BlockFields): Uint8Array {
  const b = new Uint8Array(BLOCK);
  writeString(b, 0, 100, f.name);
  writeNumeric(b, 100, 8, f.mode);
  writeNumeric(b, 108, 8, f.uid);
  writeNumeric(b, 116, 8, f.gid);
  writeNumeric(b, 124, 12, f.size);
  writeNumeric(b, 136, 12, f.mtime);
  b[156] = f.typeflag.charCodeAt(0);
  writeString(b, 157, 100, f.linkname);
  writeString(b, 257, 6, 'ustar\0');
  writeString(b, 263, 2, '00');
  writeString(b, 265, 32, f.uname);
  writeString(b, 297, 32, f.gname);
  writeNumeric(b, 329, 8, f.devmajor);
  writeNumeric(b, 337, 8, f.devminor);
  writeString(b, 345, 155, f.prefix);
  const sum = checksum(b).unsigned;
  const s = sum.toString(8).padStart(6, '0');
  for (let i = 0; i < 6; i++) b[148 + i] = s.charCodeAt(i);
  b[154] = 0;
  b[155] = 0x20;
  return b;
}

export function typeflagOf(t: EntryType): string {
  return TYPEFLAG[t];
}

export const byteLength = (s: string): number => enc.encode(s).length;
export const utf8 = (b: Uint8Array): string => dec.decode(b);
export const toBytes = (s: string): Uint8Array => enc.encode(s);
