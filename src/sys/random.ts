// Random bytes from the kernel (/dev/urandom, the source getrandom(2) and OpenSSL's CSPRNG draw
// from) without loading node:crypto: initialising OpenSSL costs berthd ~4 MiB of resident memory,
// which a daemon that only runs containers never needs (ids, tokens, names come from here).
import { openSync, readSync } from 'node:fs';

let fd: number | undefined;

export function randomBytes(n: number): Buffer {
  fd ??= openSync('/dev/urandom', 'r');
  const out = Buffer.allocUnsafe(n);
  for (let off = 0; off < n; ) off += readSync(fd, out, off, n - off, null);
  return out;
}

/** A uniform integer in [0, max), max ≤ 2^32 (rejection sampling, no modulo bias). */
export function randomInt(max: number): number {
  if (!Number.isInteger(max) || max <= 0 || max > 2 ** 32) throw new RangeError(`randomInt: bad bound ${max}`);
  const limit = 2 ** 32 - (2 ** 32 % max);
  for (;;) {
    const v = randomBytes(4).readUInt32LE(0);
    if (v < limit) return v % max;
  }
}
