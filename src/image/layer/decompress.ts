// Layer streams: compression detected by magic bytes (gzip, zstd, or none), and the diff id
// (sha256 of the uncompressed stream) computed on the way through.
import { Readable, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createZstdDecompress } from 'node:zlib';
import { notImplemented } from '../../errors/errors.ts';
import { release } from './input-release.ts';

export type Compression = 'gzip' | 'zstd' | 'none';

export function detectCompression(head: Uint8Array): Compression {
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return 'zstd';
  if (head[0] === 0x42 && head[1] === 0x5a && head[2] === 0x68) throw notImplemented('layer: bzip2 compression is not supported');
  if (head[0] === 0xfd && head[1] === 0x37 && head[2] === 0x7a && head[3] === 0x58) throw notImplemented('layer: xz compression is not supported');
  return 'none';
}

async function* prepend(head: Uint8Array[], it: AsyncIterator<Uint8Array>): AsyncGenerator<Uint8Array> {
  yield* head;
  for (;;) {
    const r = await it.next();
    if (r.done) return;
    yield r.value;
  }
}

/** Writes `first` then the rest of `it` into `d`, respecting its buffer; stops (and ends `it`) if `d` is destroyed. */
async function feed(d: Transform, first: Uint8Array, it: AsyncIterator<Uint8Array>): Promise<void> {
  const room = () => new Promise<boolean>((resolve) => {
    const done = (ok: boolean) => () => { d.off('drain', onDrain); d.off('close', onClose); resolve(ok); };
    const onDrain = done(true), onClose = done(false);
    d.once('drain', onDrain);
    d.once('close', onClose);
  });
  try {
    let chunk: Uint8Array | undefined = first.length ? first : undefined;
    for (;;) {
      if (chunk === undefined) {
        const r = await it.next();
        if (r.done) break;
        chunk = r.value;
      }
      if (d.destroyed) return;
      const c = chunk;
      chunk = undefined;
      if (!d.write(c, () => release(c)) && !(await room())) return;
    }
    d.end();
  } catch (err) {
    d.destroy(err as Error);
  } finally {
    if (d.destroyed) await Promise.resolve(it.return?.()).catch(() => {}); // stop the download
  }
}

export interface Uncompressed {
  diffID: string;
  /** Bytes of the uncompressed stream. */
  size: number;
  compression: Compression;
}

/**
 * Runs `consume` over the uncompressed bytes of `source`. `consume` must read its input to the end
 * (the digest covers the whole stream, padding after the tar end marker included). It may call
 * `done(chunk)` once nothing it read from a chunk (or an earlier one) is in use any more: zlib
 * pushes slices of a chunkSize buffer and allocates a new one once it is full, so a gzip output
 * chunk that ends at the end of such a buffer is its last use, and its memory is released at once
 * (transfer(0) detaches it) instead of waiting for a collection; a chunk the stream concatenated
 * is a fresh buffer of its own, released too. Anything else is left alone: Buffer's shared pool
 * (its slabs are smaller than any chunkSize here), and the input of an uncompressed stream (the
 * caller may still be storing it).
 */
export async function withUncompressed(
  source: AsyncIterable<Uint8Array>,
  consume: (uncompressed: AsyncIterable<Uint8Array>, done: (chunk: Uint8Array) => void) => Promise<void>,
  signal?: AbortSignal,
  tuning: { chunkSize?: number } = {},
): Promise<Uncompressed> {
  const it = source[Symbol.asyncIterator]();
  const head: Uint8Array[] = [];
  let have = 0;
  while (have < 4) {
    const r = await it.next();
    if (r.done) break;
    head.push(r.value);
    have += r.value.length;
  }
  const first = Buffer.concat(head);
  head.forEach(release); // copied into `first`
  const compression = first.length ? detectCompression(first) : 'none';
  const hash = process.getBuiltinModule('node:crypto').createHash('sha256'); // loaded on first use
  let size = 0;
  const tap = async function* (src: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    for await (const c of src) {
      hash.update(c);
      size += c.length;
      yield c;
    }
  };
  const chunkSize = tuning.chunkSize ?? 32 * 1024;
  // zlib's output buffers are Buffer.allocUnsafe(chunkSize): their own ArrayBuffer from half the
  // pool's size up (Node 24's pool is 64 KiB), a slice of the shared pool below it.
  const free = compression === 'gzip' && chunkSize >= Buffer.poolSize >>> 1 && chunkSize !== Buffer.poolSize;
  const done = (c: Uint8Array): void => {
    if (free && c.buffer.byteLength === chunkSize && c.byteOffset + c.byteLength === chunkSize) (c.buffer as ArrayBuffer).transfer(0);
  };
  const sink = async (src: AsyncIterable<Uint8Array>): Promise<void> => consume(src, done);
  const opts = signal ? { signal } : {};
  if (compression === 'none') await pipeline(Readable.from(prepend(first.length ? [first] : [], it), { objectMode: false }), tap, sink, opts);
  else {
    // Larger chunks and a deeper buffer: inflating runs ahead on the thread pool while the main
    // thread writes files (with the 16 KiB default they waited on each other: bookworm's layer
    // 2.9 → ~1.9 s). Chunks of 64 KiB and up were faster still but let garbage buffers pile up to
    // the external-memory GC trigger: a 1 GiB layer's peak RSS went from 98 to 108-148 MiB (before
    // `done` released them). (apply-thread.ts, which only copies the output on, picks its own.)
    const zopts = { chunkSize, highWaterMark: 2 << 20 };
    const d: Transform = compression === 'gzip' ? createGunzip(zopts) : createZstdDecompress(zopts);
    // The input is written here rather than piped, so each chunk is released (input-release.ts)
    // as soon as the decompressor has consumed it: its write callback.
    await Promise.all([feed(d, first, it), pipeline(d, tap, sink, opts)]);
  }
  return { diffID: `sha256:${hash.digest('hex')}`, size, compression };
}
