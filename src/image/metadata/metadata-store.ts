// Image metadata in SQLite (node:sqlite, WAL, synchronous=FULL): image records (id = config
// digest), repo tags and repo digests pointing at them, the layer-chain table (chain id → diff id,
// parent chain, size of the unpacked snapshot) and which compressed blobs are known for a diff id
// (what a push sends, like Docker's v2 metadata). Each mutation is one transaction.
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { statementCache } from '../../sys/sqlite-statements.ts';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { isoTime } from '../../sys/iso-time.ts';

export interface ImageRecord {
  id: string;
  /** The manifest this image was pulled or loaded as (in the content store). */
  manifestDigest: string;
  manifestMediaType: string;
  created: string;
  /** Sum of the unpacked sizes of its layers (Docker's Size). */
  size: number;
  parent: string;
  lastTagTime: string;
}

export interface ChainRecord {
  chainId: string;
  diffId: string;
  parent: string;
  size: number;
}

export interface LayerBlob {
  diffId: string;
  digest: string;
  mediaType: string;
  size: number;
  /** Repository the blob is known to be in (for cross-repo mounts), '' when loaded locally. */
  source: string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS images (id TEXT PRIMARY KEY, manifest_digest TEXT NOT NULL, manifest_media_type TEXT NOT NULL,
  created TEXT NOT NULL, size INTEGER NOT NULL, parent TEXT NOT NULL DEFAULT '', last_tag_time TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS tags (ref TEXT PRIMARY KEY, image_id TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE);
CREATE TABLE IF NOT EXISTS digests (ref TEXT PRIMARY KEY, image_id TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE);
CREATE TABLE IF NOT EXISTS chains (chain_id TEXT PRIMARY KEY, diff_id TEXT NOT NULL, parent TEXT NOT NULL, size INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS layer_blobs (diff_id TEXT NOT NULL, digest TEXT NOT NULL, media_type TEXT NOT NULL, size INTEGER NOT NULL,
  source TEXT NOT NULL DEFAULT '', PRIMARY KEY (diff_id, digest));
CREATE INDEX IF NOT EXISTS tags_image ON tags(image_id);
CREATE INDEX IF NOT EXISTS digests_image ON digests(image_id);
`;

type Row = Record<string, string | number | null>;

export class MetadataStore {
  readonly #db: DatabaseSync;
  readonly #prep: (sql: string) => StatementSync;

  constructor(path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.#db = new DatabaseSync(path);
    this.#prep = statementCache(this.#db);
    this.#db.exec('PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000;');
    this.#db.exec(SCHEMA);
  }

  close(): void {
    this.#db.close();
  }

  tx<T>(fn: () => T): T {
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      const r = fn();
      this.#db.exec('COMMIT');
      return r;
    } catch (e) {
      this.#db.exec('ROLLBACK');
      throw e;
    }
  }

  putImage(r: ImageRecord): void {
    this.#prep(`INSERT INTO images (id, manifest_digest, manifest_media_type, created, size, parent, last_tag_time)
      VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET manifest_digest=excluded.manifest_digest,
      manifest_media_type=excluded.manifest_media_type, size=excluded.size`)
      .run(r.id, r.manifestDigest, r.manifestMediaType, r.created, r.size, r.parent, r.lastTagTime);
  }

  getImage(id: string): ImageRecord | undefined {
    const row = this.#prep('SELECT * FROM images WHERE id = ?').get(id) as Row | undefined;
    return row ? toImage(row) : undefined;
  }

  images(): ImageRecord[] {
    return (this.#prep('SELECT * FROM images ORDER BY created DESC').all() as Row[]).map(toImage);
  }

  deleteImage(id: string): void {
    this.#prep('DELETE FROM images WHERE id = ?').run(id);
  }

  /** Points `ref` (a normalised name:tag) at `id`; returns the image it pointed at before. */
  setTag(ref: string, id: string, now = isoTime()): string | undefined {
    return this.tx(() => {
      const old = this.tagTarget(ref);
      this.#prep('INSERT INTO tags (ref, image_id) VALUES (?, ?) ON CONFLICT(ref) DO UPDATE SET image_id=excluded.image_id').run(ref, id);
      this.#prep('UPDATE images SET last_tag_time = ? WHERE id = ?').run(now, id);
      return old;
    });
  }

  tagTarget(ref: string): string | undefined {
    return (this.#prep('SELECT image_id FROM tags WHERE ref = ?').get(ref) as Row | undefined)?.image_id as string | undefined;
  }

  removeTag(ref: string): boolean {
    return Number(this.#prep('DELETE FROM tags WHERE ref = ?').run(ref).changes) > 0;
  }

  tagsOf(id: string): string[] {
    return (this.#prep('SELECT ref FROM tags WHERE image_id = ? ORDER BY ref').all(id) as Row[]).map((r) => r.ref as string);
  }

  addDigest(ref: string, id: string): void {
    this.#prep('INSERT INTO digests (ref, image_id) VALUES (?, ?) ON CONFLICT(ref) DO UPDATE SET image_id=excluded.image_id').run(ref, id);
  }

  digestTarget(ref: string): string | undefined {
    return (this.#prep('SELECT image_id FROM digests WHERE ref = ?').get(ref) as Row | undefined)?.image_id as string | undefined;
  }

  digestsOf(id: string): string[] {
    return (this.#prep('SELECT ref FROM digests WHERE image_id = ? ORDER BY ref').all(id) as Row[]).map((r) => r.ref as string);
  }

  removeDigest(ref: string): void {
    this.#prep('DELETE FROM digests WHERE ref = ?').run(ref);
  }

  removeDigestsOf(id: string): void {
    this.#prep('DELETE FROM digests WHERE image_id = ?').run(id);
  }

  putChain(c: ChainRecord): void {
    this.#prep('INSERT INTO chains (chain_id, diff_id, parent, size) VALUES (?, ?, ?, ?) ON CONFLICT(chain_id) DO UPDATE SET size=excluded.size')
      .run(c.chainId, c.diffId, c.parent, c.size);
  }

  getChain(chainId: string): ChainRecord | undefined {
    const r = this.#prep('SELECT * FROM chains WHERE chain_id = ?').get(chainId) as Row | undefined;
    return r ? { chainId: r.chain_id as string, diffId: r.diff_id as string, parent: r.parent as string, size: Number(r.size) } : undefined;
  }

  chains(): ChainRecord[] {
    return (this.#prep('SELECT * FROM chains').all() as Row[])
      .map((r) => ({ chainId: r.chain_id as string, diffId: r.diff_id as string, parent: r.parent as string, size: Number(r.size) }));
  }

  deleteChain(chainId: string): void {
    this.#prep('DELETE FROM chains WHERE chain_id = ?').run(chainId);
  }

  addLayerBlob(b: LayerBlob): void {
    this.#prep(`INSERT INTO layer_blobs (diff_id, digest, media_type, size, source) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT(diff_id, digest) DO UPDATE SET source = CASE WHEN excluded.source != '' THEN excluded.source ELSE source END`)
      .run(b.diffId, b.digest, b.mediaType, b.size, b.source);
  }

  layerBlobs(diffId: string): LayerBlob[] {
    return (this.#prep('SELECT * FROM layer_blobs WHERE diff_id = ?').all(diffId) as Row[]).map(toBlob);
  }

  allLayerBlobs(): LayerBlob[] {
    return (this.#prep('SELECT * FROM layer_blobs').all() as Row[]).map(toBlob);
  }

  deleteLayerBlob(digest: string): void {
    this.#prep('DELETE FROM layer_blobs WHERE digest = ?').run(digest);
  }
}

function toImage(r: Row): ImageRecord {
  return {
    id: r.id as string, manifestDigest: r.manifest_digest as string, manifestMediaType: r.manifest_media_type as string,
    created: r.created as string, size: Number(r.size), parent: r.parent as string, lastTagTime: r.last_tag_time as string,
  };
}

function toBlob(r: Row): LayerBlob {
  return { diffId: r.diff_id as string, digest: r.digest as string, mediaType: r.media_type as string, size: Number(r.size), source: r.source as string };
}
