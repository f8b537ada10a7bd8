// One upstream download of a blob, shared by every request that wants it while it runs. The
// body goes to a temporary file under uploads/ while its digest is computed; readers follow the
// file as it grows (nothing is held in memory), each from its own offset. The last byte is held
// back until the digest is verified, so a client never gets a complete response with the wrong
// content: on a mismatch or an upstream failure, readers are destroyed and nothing is stored.
// Then the file is committed into the blob store (fsync, rename) while readers finish.
import { createHash } from 'node:crypto';
import { close, openSync, read } from 'node:fs';
import { mkdir, open, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { RegistryError } from '../protocol/errors.ts';
import { parseDigest } from '../protocol/reference.ts';
import type { BlobInfo, BlobStore } from '../storage/blob-store.ts';

export interface ByteRange {
  start: number;
  end: number;
}

type State = 'running' | 'committing' | 'done' | 'failed';

const CHUNK = 1 << 20;
const QUEUE_MAX = 8 << 20;

export class BlobFetch {
  readonly digest: string;
  readonly size?: number;
  /** Resolves once the blob is in the store; rejects when the fetch failed. */
  readonly done: Promise<BlobInfo>;
  #state: State = 'running';
  #written = 0;
  #error?: Error;
  #file: string;
  #waiters: (() => void)[] = [];
  #settle: { resolve(i: BlobInfo): void; reject(e: Error): void };

  private constructor(digest: string, size: number | undefined, file: string) {
    this.digest = digest;
    this.size = size;
    this.#file = file;
    let resolve!: (i: BlobInfo) => void;
    let reject!: (e: Error) => void;
    this.done = new Promise<BlobInfo>((res, rej) => { resolve = res; reject = rej; });
    this.done.catch(() => {});
    this.#settle = { resolve, reject };
  }

  /**
   * Starts writing `body` into a temporary file; `beforeCommit` runs before the rename (the GC
   * write gate). Returns at once: the download goes on in the background.
   */
  static async start(opts: {
    digest: string; size?: number; body: AsyncIterable<Uint8Array>; blobs: BlobStore; beforeCommit?: () => Promise<void>;
  }): Promise<BlobFetch> {
    const dir = opts.blobs.layout.uploadsDir();
    await mkdir(dir, { recursive: true });
    const file = join(dir, `.proxy-${process.pid}-${Math.random().toString(36).slice(2)}`);
    const fh = await open(file, 'wx', 0o644);
    const f = new BlobFetch(opts.digest, opts.size, file);
    void f.#run(fh, opts.body, opts.blobs, opts.beforeCommit);
    return f;
  }

  get written(): number { return this.#written; }

  async #run(fh: Awaited<ReturnType<typeof open>>, body: AsyncIterable<Uint8Array>, blobs: BlobStore, beforeCommit?: () => Promise<void>): Promise<void> {
    const algorithm = parseDigest(this.digest)!.algorithm;
    const hash = createHash(algorithm);
    try {
      try {
        for await (const batch of batches(body, hash)) {
          let off = 0;
          while (off < batch.length) {
            const { bytesWritten } = await fh.write(batch, off, batch.length - off, this.#written);
            off += bytesWritten;
            this.#written += bytesWritten;
          }
          this.#wake();
        }
      } finally {
        await fh.close();
      }
      if (this.size !== undefined && this.#written !== this.size) {
        throw new RegistryError('BLOB_UNKNOWN', `upstream sent ${this.#written} of ${this.size} bytes of ${this.digest}`);
      }
      const actual = `${algorithm}:${hash.digest('hex')}`;
      if (actual !== this.digest) {
        throw new RegistryError('DIGEST_INVALID', `upstream content of ${this.digest} has digest ${actual}`, { detail: { expected: this.digest, actual } });
      }
      this.#state = 'committing';
      this.#wake();
      await beforeCommit?.();
      const info = await blobs.commitFile(this.#file, this.digest, actual);
      this.#state = 'done';
      this.#settle.resolve(info);
    } catch (err) {
      this.#state = 'failed';
      this.#error = err instanceof Error ? err : new Error(String(err));
      await unlink(this.#file).catch(() => {});
      this.#settle.reject(this.#error);
    }
    this.#wake();
  }

  #wake(): void {
    const w = this.#waiters;
    this.#waiters = [];
    for (const f of w) f();
  }

  /** Resolves at the next progress or state change. */
  changed(): Promise<void> {
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /**
   * Bytes that may be served now: all once the digest is verified, all but the last before.
   * The commit (fsync, rename) goes on while readers finish.
   */
  servable(): number {
    return this.#state === 'done' || this.#state === 'committing' ? this.#written : Math.max(0, this.#written - 1);
  }

  get state(): State { return this.#state; }
  get error(): Error | undefined { return this.#error; }

  /**
   * A stream of [range.start, range.end] (or all) of the blob. Once the blob is committed this
   * is a plain read of the store; before, a reader following the temporary file.
   */
  reader(blobs: BlobStore, range?: ByteRange): Readable {
    if (this.#state === 'done') return blobs.read(this.digest, range);
    if (this.#state === 'failed') return Readable.from((async function* (e: Error) { throw e; })(this.#error!));
    if (this.#state === 'committing') {
      // The rename may be in flight: wait for it, then read the store.
      const f = this;
      return Readable.from((async function* () {
        await f.done;
        yield* blobs.read(f.digest, range);
      })());
    }
    // 'running': no rename can be in flight, so the temporary file is there to open.
    return new FollowReader(this, openSync(this.#file, 'r'), range);
  }
}

/**
 * The body's chunks hashed as they come and joined into one write per round: while a write is
 * in flight the next chunks queue up (at most QUEUE_MAX bytes, then the body waits), so a fast
 * upstream means few large writes rather than many small ones.
 */
async function* batches(body: AsyncIterable<Uint8Array>, hash: ReturnType<typeof createHash>): AsyncGenerator<Buffer> {
  const queue: Uint8Array[] = [];
  let queued = 0;
  let ended = false;
  let failure: unknown;
  let wakeConsumer: (() => void) | undefined;
  let wakeProducer: (() => void) | undefined;
  const producer = (async () => {
    try {
      for await (const c of body) {
        hash.update(c);
        queue.push(c);
        queued += c.length;
        wakeConsumer?.();
        while (queued >= QUEUE_MAX && !ended) await new Promise<void>((r) => (wakeProducer = r));
        if (ended) return; // the consumer gave up
      }
    } catch (e) {
      failure = e;
    } finally {
      ended = true;
      wakeConsumer?.();
    }
  })();
  try {
    for (;;) {
      if (queue.length === 0) {
        if (ended) break;
        await new Promise<void>((r) => (wakeConsumer = r));
        wakeConsumer = undefined;
        continue;
      }
      const batch = queue.splice(0);
      queued = 0;
      wakeProducer?.();
      wakeProducer = undefined;
      yield batch.length === 1 ? Buffer.from(batch[0].buffer, batch[0].byteOffset, batch[0].length) : Buffer.concat(batch);
    }
    await producer;
    if (failure) throw failure;
  } finally {
    ended = true;
    wakeProducer?.();
  }
}

class FollowReader extends Readable {
  readonly #fetch: BlobFetch;
  readonly #fd: number;
  #pos: number;
  readonly #end?: number;

  constructor(fetch: BlobFetch, fd: number, range?: ByteRange) {
    super({ highWaterMark: CHUNK });
    this.#fetch = fetch;
    this.#fd = fd;
    this.#pos = range?.start ?? 0;
    this.#end = range ? range.end + 1 : undefined;
  }

  override _read(): void {
    this.#next().catch((e: Error) => this.destroy(e));
  }

  async #next(): Promise<void> {
    for (;;) {
      const f = this.#fetch;
      if (f.state === 'failed') throw f.error!;
      const limit = this.#end !== undefined ? Math.min(this.#end, f.servable()) : f.servable();
      if (this.#pos < limit) {
        const want = Math.min(CHUNK, limit - this.#pos);
        const buf = Buffer.allocUnsafe(want);
        const n = await new Promise<number>((resolve, reject) => read(this.#fd, buf, 0, want, this.#pos, (e, b) => (e ? reject(e) : resolve(b))));
        if (this.destroyed) return;
        if (n === 0) throw new Error(`proxy blob ${f.digest}: short read at ${this.#pos}`);
        this.#pos += n;
        this.push(n === want ? buf : buf.subarray(0, n));
        return;
      }
      if ((f.state === 'done' || f.state === 'committing') && this.#pos >= (this.#end ?? f.written)) {
        this.push(null);
        return;
      }
      await f.changed();
      if (this.destroyed) return;
    }
  }

  override _destroy(err: Error | null, cb: (e?: Error | null) => void): void {
    close(this.#fd, () => cb(err));
  }
}
