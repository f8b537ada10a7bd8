// @pure
// PAX extended header records (`%d key=value\n`), binary-safe: values stay bytes until a known
// key asks for text, so SCHILY.xattr values such as security.capability survive unchanged.
import { invalidArgument } from '../../errors/errors.ts';
import { toBytes, utf8 } from './header.ts';

export type PaxRecords = Map<string, Uint8Array>;

export function parsePax(b: Uint8Array): PaxRecords {
  const out: PaxRecords = new Map();
  let i = 0;
  while (i < b.length) {
    if (b[i] === 0) break; // some writers pad with NULs
    let sp = i;
    while (sp < b.length && b[sp] !== 0x20) sp++;
    const lenStr = utf8(b.subarray(i, sp));
    if (!/^[0-9]+$/.test(lenStr)) throw invalidArgument('tar: invalid PAX record length');
    const len = parseInt(lenStr, 10);
    const end = i + len;
    if (len <= sp - i + 1 || end > b.length || b[end - 1] !== 0x0a) throw invalidArgument('tar: invalid PAX record');
    let eq = sp + 1;
    while (eq < end && b[eq] !== 0x3d) eq++;
    if (eq >= end) throw invalidArgument('tar: PAX record without "="');
    const key = utf8(b.subarray(sp + 1, eq));
    out.set(key, b.slice(eq + 1, end - 1));
    i = end;
  }
  return out;
}

function digits(n: number): number {
  return String(n).length;
}

export function encodePaxRecord(key: string, value: Uint8Array): Uint8Array {
  const k = toBytes(key);
  const rest = 1 + k.length + 1 + value.length + 1; // ' ' key '=' value '\n'
  let d = 1;
  while (digits(rest + d) !== d) d++;
  const len = rest + d;
  const head = toBytes(`${len} ${key}=`);
  const out = new Uint8Array(len);
  out.set(head, 0);
  out.set(value, head.length);
  out[len - 1] = 0x0a;
  return out;
}

export function encodePax(records: Array<[string, Uint8Array | string]>): Uint8Array {
  const parts = records.map(([k, v]) => encodePaxRecord(k, typeof v === 'string' ? toBytes(v) : v));
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** PAX times: decimal seconds with an optional fraction (`1700000000.123456789`, may be negative). */
export function parsePaxTime(s: string): number {
  if (!/^-?[0-9]+(\.[0-9]*)?$/.test(s)) throw invalidArgument(`tar: invalid PAX time ${JSON.stringify(s)}`);
  return Number(s);
}

export function formatPaxTime(t: number): string {
  if (Number.isInteger(t)) return String(t);
  // microsecond precision is what a double holds reliably for current epochs
  return t.toFixed(6).replace(/0+$/, '');
}

/** LIBARCHIVE.xattr.<name> keys carry a URL-encoded name and a base64 value. */
export function decodeLibarchiveName(s: string): string {
  return decodeURIComponent(s);
}

export function decodeBase64(s: string): Uint8Array {
  // atob is a web global in Node 24; it needs padding
  const pad = s.length % 4 === 0 ? s : s + '='.repeat(4 - (s.length % 4));
  const bin = atob(pad);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
