// @pure
// IPv4 addresses and CIDR blocks as unsigned 32-bit numbers.
import { invalidArgument } from '../errors/errors.ts';

export interface Cidr {
  /** Network address (host bits zero). */
  readonly base: number;
  readonly prefix: number;
}

export function parseIp(s: string): number {
  const parts = s.split('.');
  if (parts.length !== 4) throw invalidArgument(`invalid IP address: ${s}`);
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) throw invalidArgument(`invalid IP address: ${s}`);
    n = n * 256 + Number(p);
  }
  return n;
}

export function isIp(s: string): boolean {
  try { parseIp(s); return true; } catch { return false; }
}

export function formatIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export function mask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** Parses `a.b.c.d/n`. With `strict`, host bits must be zero (Docker: "it should be X"). */
export function parseCidr(s: string, strict = false): Cidr {
  const m = /^([\d.]+)\/(\d{1,2})$/.exec(s);
  if (!m || Number(m[2]) > 32) throw invalidArgument(`invalid CIDR address: ${s}`);
  const prefix = Number(m[2]);
  let ip: number;
  try { ip = parseIp(m[1]); } catch { throw invalidArgument(`invalid CIDR address: ${s}`); }
  const base = (ip & mask(prefix)) >>> 0;
  if (strict && base !== ip) throw invalidArgument(`invalid subnet ${s}: it should be ${formatIp(base)}/${prefix}`);
  return { base, prefix };
}

export function formatCidr(c: Cidr): string {
  return `${formatIp(c.base)}/${c.prefix}`;
}

export function size(c: Cidr): number {
  return 2 ** (32 - c.prefix);
}

export function last(c: Cidr): number {
  return c.base + size(c) - 1;
}

export function contains(c: Cidr, ip: number): boolean {
  return ((ip & mask(c.prefix)) >>> 0) === c.base;
}

/** `inner` lies wholly within `outer`. */
export function within(inner: Cidr, outer: Cidr): boolean {
  return inner.prefix >= outer.prefix && contains(outer, inner.base);
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  return within(a, b) || within(b, a);
}

/** Docker's classic MAC for an IPv4 endpoint: 02:42 followed by the four address bytes. */
export function macFor(ip: number): string {
  const b = [0x02, 0x42, ip >>> 24, (ip >>> 16) & 255, (ip >>> 8) & 255, ip & 255];
  return b.map((x) => x.toString(16).padStart(2, '0')).join(':');
}
