// Upload sessions on disk: uploads/<uuid>/data grows chunk by chunk, info.json says which
// repository started it. A session survives a restart (its size is the file's size); the
// running digest is kept in memory while chunks arrive in order and recomputed from the file
// otherwise. Completing a session verifies the digest before the blob becomes visible.
import { createHash, randomUUID, type Hash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rm, stat, writeFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { RegistryError } from '../protocol/errors.ts';
import { parseDigest } from '../protocol/reference.ts';
import { uploadRangeHeader } from '../protocol/ranges.ts';
import type { BlobStore, BlobInfo } from './blob-store.ts';
import type { Layout } from './layout.ts';

const ID_RE = /^[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}$/;

export interface UploadInfo {
  id: string;
  repo: string;
  startedAt: number;
  size: number;
}

interface Running {
  hash: Hash;
  offset: number;
}

export class UploadStore {
  readonly layout: Layout;
  readonly blobs: BlobStore;
  private readonly running = new Map<string, Running>();
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(layout: Layout, blobs: BlobStore) {
    this.layout = layout;
    this.blobs = blobs;
  }

  get inProgress(): number {
    return this.running.size;
  }

  async create(repo: string): Promise<UploadInfo> {
    const id = randomUUID();
    const dir = this.layout.uploadDir(id);
    await mkdir(dir, { recursive: true });
    const startedAt = Date.now();
    await writeFile(join(dir, 'data'), '');
    await writeFile(join(dir, 'info.json'), JSON.stringify({ repo, startedAt }));
    this.running.set(id, { hash: createHash('sha256'), offset: 0 });
    return { id, repo, startedAt, size: 0 };
  }

  /** The session, or BLOB_UPLOAD_UNKNOWN (also when it belongs to another repository). */
  async get(id: string, repo: string): Promise<UploadInfo> {
    const unknown = () => new RegistryError('BLOB_UPLOAD_UNKNOWN', `blob upload unknown: ${id}`, { detail: { id } });
    if (!ID_RE.test(id)) throw unknown();
    const dir = this.layout.uploadDir(id);
    try {
      const info = JSON.parse(await readFile(join(dir, 'info.json'), 'utf8')) as { repo: string; startedAt: number };
      if (info.repo !== repo) throw unknown();
      const s = await stat(join(dir, 'data'));
      return { id, repo, startedAt: info.startedAt, size: s.size };
    } catch (err) {
      if (err instanceof RegistryError) throw err;
      throw unknown();
    }
  }

  /** Runs `fn` with the session locked (chunks of one session never interleave). */
  private async locked<T>(id: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.locks.get(id) ?? Promise.resolve();
    const next = prev.catch(() => {}).then(fn);
    this.locks.set(id, next);
    try {
      return await next;
    } finally {
      if (this.locks.get(id) === next) this.locks.delete(id);
    }
  }

  /**
   * Appends `body` to the session. With `range`, its start must be the current size (else 416
   * with the stored range) and, when the body is complete, its length must match.
   */
  async append(id: string, repo: string, body: Readable, range?: { start: number; end: number }): Promise<UploadInfo> {
    return this.locked(id, async () => {
      const info = await this.get(id, repo);
      if (range && range.start !== info.size) {
        body.resume();
        throw new RegistryError('BLOB_UPLOAD_INVALID', `chunk starts at ${range.start}, upload has ${info.size} bytes`, {
          status: 416,
          detail: { stored: info.size, start: range.start },
          headers: { Range: uploadRangeHeader(info.size), Location: '', 'Docker-Upload-UUID': id },
        });
      }
      let run = this.running.get(id);
      if (!run || run.offset !== info.size) run = undefined;
      let written = 0;
      const hasher = new Transform({
        transform(chunk: Buffer, _enc, cb) {
          written += chunk.length;
          run?.hash.update(chunk);
          cb(null, chunk);
        },
      });
      const out = createWriteStream(join(this.layout.uploadDir(id), 'data'), { flags: 'r+', start: info.size, highWaterMark: 1024 * 1024 });
      try {
        await pipeline(body, hasher, out);
      } catch (err) {
        this.running.delete(id);
        throw err;
      }
      if (run) {
        run.offset += written;
        this.running.set(id, run);
      } else {
        this.running.delete(id);
      }
      const size = info.size + written;
      if (range && range.end - range.start + 1 !== written) {
        throw new RegistryError('SIZE_INVALID', `chunk of ${written} bytes does not match Content-Range ${range.start}-${range.end}`, {
          status: 416,
          headers: { Range: uploadRangeHeader(size), 'Docker-Upload-UUID': id },
        });
      }
      return { ...info, size };
    });
  }

  /** Completes the session as blob `digest`; the session is gone afterwards either way. */
  async complete(id: string, repo: string, digest: string): Promise<BlobInfo> {
    return this.locked(id, async () => {
      const info = await this.get(id, repo);
      const parsed = parseDigest(digest);
      const file = join(this.layout.uploadDir(id), 'data');
      try {
        if (!parsed) throw new RegistryError('DIGEST_INVALID', `invalid digest ${digest}`);
        const run = this.running.get(id);
        const known = run && run.offset === info.size && parsed.algorithm === 'sha256' ? `sha256:${run.hash.copy().digest('hex')}` : undefined;
        return await this.blobs.commitFile(file, digest, known);
      } finally {
        this.running.delete(id);
        await rm(this.layout.uploadDir(id), { recursive: true, force: true });
      }
    });
  }

  async cancel(id: string, repo: string): Promise<void> {
    await this.get(id, repo);
    this.running.delete(id);
    await rm(this.layout.uploadDir(id), { recursive: true, force: true });
  }

  /** Every session on disk (for purging stale ones). */
  async list(): Promise<{ id: string; startedAt: number }[]> {
    const out: { id: string; startedAt: number }[] = [];
    for (const id of await readdir(this.layout.uploadsDir()).catch(() => [] as string[])) {
      if (!ID_RE.test(id)) continue;
      try {
        const info = JSON.parse(await readFile(join(this.layout.uploadDir(id), 'info.json'), 'utf8')) as { startedAt: number };
        out.push({ id, startedAt: info.startedAt });
      } catch {
        out.push({ id, startedAt: 0 });
      }
    }
    return out;
  }

  async remove(id: string): Promise<void> {
    if (ID_RE.test(id)) await rm(this.layout.uploadDir(id), { recursive: true, force: true });
  }
}
