import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { withUncompressed } from './decompress.ts';

async function* pieces(b: Uint8Array, n: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < b.length; i += n) yield b.slice(i, i + n);
}

const sha = (b: Uint8Array) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

test('done(chunk): gzip output buffers are released; the bytes and the diff id are right', async () => {
  const data = randomBytes(3 << 20);
  const seen: Uint8Array[] = [];
  const copies: Buffer[] = [];
  const u = await withUncompressed(pieces(gzipSync(data), 100_000), async (src, done) => {
    for await (const c of src) {
      seen.push(c);
      copies.push(Buffer.from(c));
      done(c);
    }
  }, undefined, { chunkSize: 128 * 1024 });
  assert.equal(u.diffID, sha(data));
  assert.equal(u.compression, 'gzip');
  assert.ok(Buffer.concat(copies).equals(data));
  assert.ok(seen.filter((c) => c.byteLength === 0).length > 10, 'whole zlib buffers were freed');
});

test('done(chunk) never touches an uncompressed input (the caller may still be storing it)', async () => {
  const data = randomBytes(1 << 20);
  const given: Uint8Array[] = [];
  async function* src(): AsyncGenerator<Uint8Array> {
    for await (const c of pieces(data, 256 * 1024)) {
      given.push(c);
      yield c;
    }
  }
  const u = await withUncompressed(src(), async (s, done) => { for await (const c of s) done(c); });
  assert.equal(u.diffID, sha(data));
  assert.ok(given.every((c) => c.byteLength === 256 * 1024));
});
