// Content-addressed blob store in OCI image layout style: <root>/content/blobs/sha256/<hex>.
// Blobs come in through an ingest (a temp file under <root>/content/ingest, hashed while written,
// checked against the expected digest and size, fsynced, then renamed into place), so a blob in
// blobs/ is always complete and verified. Concurrent ingests of the same digest in this process
// share one (the first caller's source is used; the others wait for its result).
import type { Hash } from 'node:crypto';
import { randomBytes } from '../../sys/random.ts';

// node:crypto is loaded on first use: a daemon that only runs containers never initialises OpenSSL.
const createHash = (alg: string): Hash => process.getBuiltinModule('node:crypto').createHash(alg);
import { createReadStream, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { open, readFile, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { invalidArgument, notFound, wrap } from '../../errors/errors.ts';

export interface BlobInfo {
  digest: string;
  size: number;
}

/** Bytes to ingest, or a function opening them (called only when the blob is really fetched). */
export type BlobSource = Chunks | (() => Chunks | Promise<Chunks>);
type Chunks = AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

const DIGEST_RE = /^sha256:([a-f0-9]{64})$/;

export function hexOf(digest: string): string {
  const m = DIGEST_RE.exec(digest);
  if (!m) throw invalidArgument(`invalid digest: ${digest}`);
  return m[1];
}

export function sha256Of(b: Uint8Array | string): string {
  return `sha256:${createHash('sha256').update(b).digest('hex')}`;
}

/** An open ingest: write chunks, then commit (verify + rename) or abort. */
export class IngestWriter {
  readonly #fh: FileHandle;
  readonly #tmp: string;
  readonly #store: ContentStore;
  readonly #hash: Hash = createHash('sha256');
  readonly #expected?: BlobInfo | { digest?: string; size?: number };
  #size = 0;
  #done = false;
  #synced: Promise<void> | undefined;

  constructor(store: ContentStore, fh: FileHandle, tmp: string, expected?: { digest?: string; size?: number }) {
    this.#store = store;
    this.#fh = fh;
    this.#tmp = tmp;
    this.#expected = expected;
  }

  get written(): number {
    return this.#size;
  }

  async write(chunk: Uint8Array): Promise<void> {
    this.#hash.update(chunk);
    this.#size += chunk.length;
    if (this.#expected?.size !== undefined && this.#size > this.#expected.size) {
      throw invalidArgument(`ingest ${this.#expected.digest ?? ''}: more than the expected ${this.#expected.size} bytes`);
    }
    let off = 0;
    while (off < chunk.length) off += (await this.#fh.write(chunk, off, chunk.length - off)).bytesWritten;
  }

  /**
   * Starts flushing what was written to disk (the caller writes nothing more): commit then waits
   * for it instead of starting it, so a pull's fsync overlaps the end of the layer's unpack.
   */
  sync(): Promise<void> {
    this.#synced ??= this.#fh.sync();
    return this.#synced;
  }

  /** Verifies digest and size, then moves the blob into place. */
  async commit(): Promise<BlobInfo> {
    this.#done = true;
    const digest = `sha256:${this.#hash.digest('hex')}`;
    try {
      const e = this.#expected;
      if (e?.size !== undefined && e.size !== this.#size) throw invalidArgument(`ingest ${e.digest ?? digest}: size mismatch: expected ${e.size}, got ${this.#size}`);
      if (e?.digest && e.digest !== digest) throw invalidArgument(`ingest: digest mismatch: expected ${e.digest}, got ${digest}`);
      await (this.#synced ?? this.#fh.sync());
      await this.#fh.close();
      await rename(this.#tmp, this.#store.path(digest));
      return { digest, size: this.#size };
    } catch (err) {
      await this.#fh.close().catch(() => {});
      await rm(this.#tmp, { force: true });
      throw err;
    }
  }

  async abort(): Promise<void> {
    if (this.#done) return;
    this.#done = true;
    await this.#fh.close().catch(() => {});
    await rm(this.#tmp, { force: true });
  }
}

export class ContentStore {
  readonly root: string;
  readonly #blobs: string;
  readonly #ingest: string;
  readonly #inflight = new Map<string, Promise<BlobInfo>>();

  constructor(root: string) {
    this.root = root;
    this.#blobs = join(root, 'content', 'blobs', 'sha256');
    this.#ingest = join(root, 'content', 'ingest');
    mkdirSync(this.#blobs, { recursive: true });
    mkdirSync(this.#ingest, { recursive: true });
    // Leftovers of a crash are never valid blobs.
    for (const n of readdirSync(this.#ingest)) rmSync(join(this.#ingest, n), { force: true, recursive: true });
  }

  path(digest: string): string {
    return join(this.#blobs, hexOf(digest));
  }

  async info(digest: string): Promise<BlobInfo | undefined> {
    try {
      const st = await stat(this.path(digest));
      return { digest, size: st.size };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  }

  async has(digest: string): Promise<boolean> {
    return (await this.info(digest)) !== undefined;
  }

  async writer(expected?: { digest?: string; size?: number }): Promise<IngestWriter> {
    const tmp = join(this.#ingest, `${Date.now()}-${randomBytes(6).toString('hex')}`);
    return new IngestWriter(this, await open(tmp, 'wx', 0o644), tmp, expected);
  }

  /**
   * Stores a blob from a stream, verified against `expected` when given. With an expected digest,
   * an existing blob is returned at once and concurrent calls share one ingest.
   */
  ingest(source: BlobSource, expected: { digest?: string; size?: number } = {}): Promise<BlobInfo> {
    const digest = expected.digest;
    if (!digest) return this.#ingestNow(source, expected);
    const running = this.#inflight.get(digest);
    if (running) return running;
    const p = (async () => {
      const have = await this.info(digest);
      if (have) return have;
      return this.#ingestNow(source, expected);
    })().finally(() => this.#inflight.delete(digest));
    this.#inflight.set(digest, p);
    return p;
  }

  async #ingestNow(source: BlobSource, expected: { digest?: string; size?: number }): Promise<BlobInfo> {
    const w = await this.writer(expected);
    try {
      const src = typeof source === 'function' ? await source() : source;
      for await (const c of src) await w.write(c);
      return await w.commit();
    } catch (e) {
      await w.abort();
      throw wrap(`ingest ${expected.digest ?? 'blob'}`, e);
    }
  }

  async put(bytes: Uint8Array | string): Promise<BlobInfo> {
    const b = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
    return this.ingest([b], { digest: sha256Of(b), size: b.length });
  }

  async read(digest: string): Promise<Buffer> {
    try {
      return await readFile(this.path(digest));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw notFound(`content ${digest}: not found`);
      throw e;
    }
  }

  /** A stream of the blob from `start`. */
  async *reader(digest: string, start = 0): AsyncGenerator<Uint8Array> {
    if (!(await this.has(digest))) throw notFound(`content ${digest}: not found`);
    yield* createReadStream(this.path(digest), { start, highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>;
  }

  async delete(digest: string): Promise<boolean> {
    try {
      await rm(this.path(digest));
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw e;
    }
  }

  async list(): Promise<BlobInfo[]> {
    const out: BlobInfo[] = [];
    for (const hex of readdirSync(this.#blobs)) {
      if (!/^[a-f0-9]{64}$/.test(hex)) continue;
      const st = await stat(join(this.#blobs, hex)).catch(() => undefined);
      if (st) out.push({ digest: `sha256:${hex}`, size: st.size });
    }
    return out;
  }

  /** Bytes on disk of all blobs (allocated blocks, as du counts). */
  async size(): Promise<number> {
    let total = 0;
    for (const hex of readdirSync(this.#blobs)) {
      const st = await stat(join(this.#blobs, hex)).catch(() => undefined);
      if (st) total += st.blocks * 512;
    }
    return total;
  }
}
