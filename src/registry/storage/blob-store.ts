// Content-addressed blobs. A blob becomes visible only by rename(2) of a file whose digest was
// checked and which was fsynced first, so a crash never leaves a blob with the wrong content.
import { createHash } from 'node:crypto';
import { createReadStream, type ReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat, unlink, readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import { parseDigest } from '../protocol/reference.ts';
import { RegistryError } from '../protocol/errors.ts';
import type { Layout } from './layout.ts';

export interface BlobInfo {
  digest: string;
  size: number;
  mtimeMs: number;
}

export class BlobStore {
  readonly layout: Layout;
  constructor(layout: Layout) {
    this.layout = layout;
  }

  async stat(digest: string): Promise<BlobInfo | undefined> {
    try {
      const s = await stat(this.layout.blobData(digest));
      return { digest, size: s.size, mtimeMs: s.mtimeMs };
    } catch {
      return undefined;
    }
  }

  /** A read stream of [start, end] (inclusive) of the blob. */
  read(digest: string, range?: { start: number; end: number }): ReadStream {
    return createReadStream(this.layout.blobData(digest), range ? { start: range.start, end: range.end, highWaterMark: 1024 * 1024 } : { highWaterMark: 1024 * 1024 });
  }

  async readAll(digest: string): Promise<Buffer> {
    return readFile(this.layout.blobData(digest));
  }

  /** Digest of a file's content (`algorithm` from the expected digest). */
  static async hashFile(path: string, algorithm: string): Promise<string> {
    const h = createHash(algorithm);
    await pipeline(createReadStream(path, { highWaterMark: 1024 * 1024 }), new Writable({
      write(chunk, _enc, cb) { h.update(chunk); cb(); },
    }));
    return `${algorithm}:${h.digest('hex')}`;
  }

  /**
   * Moves `file` into place as blob `expected`. `knownDigest` is the digest computed while the
   * file was written (skips re-reading it); without it the file is hashed now. On a mismatch
   * the file is removed and DIGEST_INVALID thrown: nothing is stored.
   */
  async commitFile(file: string, expected: string, knownDigest?: string): Promise<BlobInfo> {
    const parsed = parseDigest(expected);
    if (!parsed) throw new RegistryError('DIGEST_INVALID', `invalid digest ${expected}`);
    const actual = knownDigest ?? (await BlobStore.hashFile(file, parsed.algorithm));
    if (actual !== expected) {
      await unlink(file).catch(() => {});
      throw new RegistryError('DIGEST_INVALID', `digest ${expected} does not match uploaded content (${actual})`, { detail: { expected, actual } });
    }
    const fh = await open(file, 'r');
    try { await fh.datasync(); } finally { await fh.close(); }
    const dest = this.layout.blobData(expected);
    const existing = await this.stat(expected);
    if (existing) {
      await unlink(file).catch(() => {});
      return existing;
    }
    await mkdir(dirname(dest), { recursive: true });
    await rename(file, dest);
    const info = await this.stat(expected);
    if (!info) throw new RegistryError('UNKNOWN', `blob ${expected} vanished after commit`);
    return info;
  }

  /** Stores small content (manifests) under its digest, atomically. */
  async put(bytes: Buffer, algorithm = 'sha256'): Promise<BlobInfo> {
    const digest = `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`;
    const existing = await this.stat(digest);
    if (existing) return existing;
    const tmpDir = this.layout.uploadsDir();
    await mkdir(tmpDir, { recursive: true });
    const tmp = join(tmpDir, `.put-${process.pid}-${Math.random().toString(36).slice(2)}`);
    const fh = await open(tmp, 'wx', 0o644);
    try {
      await fh.writeFile(bytes);
    } finally {
      await fh.close();
    }
    return this.commitFile(tmp, digest, digest);
  }

  async delete(digest: string): Promise<void> {
    await rm(this.layout.blobDir(digest), { recursive: true, force: true });
  }

  /** Every stored blob (for garbage collection). */
  async *list(): AsyncGenerator<BlobInfo> {
    const root = this.layout.blobsDir();
    for (const algorithm of await readdir(root).catch(() => [] as string[])) {
      for (const prefix of await readdir(join(root, algorithm)).catch(() => [] as string[])) {
        for (const hex of await readdir(join(root, algorithm, prefix)).catch(() => [] as string[])) {
          const digest = `${algorithm}:${hex}`;
          if (!parseDigest(digest)) continue;
          const info = await this.stat(digest);
          if (info) yield info;
        }
      }
    }
  }
}
