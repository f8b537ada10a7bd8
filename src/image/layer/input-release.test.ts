import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detach, release, releasable } from './input-release.ts';
import { withUncompressed } from './decompress.ts';
import { gzipSync } from 'node:zlib';

test('a registered buffer is freed by its last user only; unregistered ones are left alone', () => {
  const b = Buffer.concat([Buffer.alloc(32768, 1), Buffer.alloc(32768, 2)]); // its own ArrayBuffer (from half the pool's size up)
  let freed = 0;
  releasable(b, 2, () => { freed++; detach(b); });
  release(b);
  assert.equal(freed, 0);
  assert.equal(b.buffer.byteLength, 65536);
  release(b);
  assert.equal(freed, 1);
  assert.equal(b.buffer.byteLength, 0); // detached: its memory is gone
  release(b); // again: nothing
  assert.equal(freed, 1);
  const pooled = Buffer.concat([Buffer.from('ab'), Buffer.from('cd')]); // a slice of Buffer's shared pool
  detach(pooled); // does not own its ArrayBuffer: untouched
  assert.equal(pooled.toString(), 'abcd');
});

test('withUncompressed releases each compressed input chunk once the decompressor consumed it', async () => {
  const data = Buffer.alloc(3 << 20, 7);
  const gz = gzipSync(data);
  const chunks: Buffer[] = [];
  for (let off = 0; off < gz.length; off += 64 << 10) chunks.push(Buffer.from(gz.subarray(off, off + (64 << 10))));
  const released = new Set<Buffer>();
  for (const c of chunks) releasable(c, 1, () => released.add(c));
  async function* src() { yield* chunks; }
  let n = 0;
  const u = await withUncompressed(src(), async (s) => { for await (const c of s) n += c.length; });
  assert.equal(n, data.length);
  assert.equal(u.size, data.length);
  assert.equal(released.size, chunks.length);
});
