// Overlayfs snapshotter, containerd style: snapshots are named by key, live in
// <root>/snapshots/<n>/{fs,work}, and are returned as Mount[]; nothing is mounted here.
// Committed snapshots are the unpacked layers, named by chain id (one dir per chain, shared by
// every image and container above it); active ones are writable tops (a container's rootfs, or a
// layer being unpacked straight into its `fs` dir); views are read-only.
// A snapshot's refcount is the number of snapshots whose parent it is: removing one with
// children is a Conflict. Metadata is SQLite (WAL) in <root>/snapshots/metadata.db.
import { mkdirSync, readdirSync, lstatSync, rmSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { statementCache } from '../../sys/sqlite-statements.ts';
import { alreadyExists, conflict, failedPrecondition, notFound } from '../../errors/errors.ts';
import type { Mount } from './mount.ts';
import type { Sweeper } from '../../sys/sweeper.ts';
import { isoTime } from '../../sys/iso-time.ts';

export type SnapshotKind = 'committed' | 'active' | 'view';

export interface SnapshotInfo {
  key: string;
  kind: SnapshotKind;
  parent: string;
  id: number;
  created: string;
}

export interface Usage {
  size: number;
  inodes: number;
}

type Row = { key: string; kind: string; parent: string; id: number; created: string };

/** du-like: allocated bytes of every distinct inode under `dir` (but not under `skip`), and the inode count. */
export function diskUsage(dir: string, skip?: string): Usage {
  const seen = new Set<string>();
  let size = 0;
  const walk = (p: string): void => {
    const st = lstatSync(p, { bigint: false });
    const id = `${st.dev}:${st.ino}`;
    if (seen.has(id)) return;
    seen.add(id);
    size += st.blocks * 512;
    if (st.isDirectory()) for (const n of readdirSync(p)) if (join(p, n) !== skip) walk(join(p, n));
  };
  try {
    walk(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  return { size, inodes: seen.size };
}

export class OverlaySnapshotter {
  readonly root: string;
  readonly #db: DatabaseSync;
  readonly #prep: (sql: string) => StatementSync;

  constructor(root: string) {
    this.root = join(root, 'snapshots');
    mkdirSync(this.root, { recursive: true });
    this.#db = new DatabaseSync(join(this.root, 'metadata.db'));
    this.#prep = statementCache(this.#db);
    // synchronous=NORMAL: a container's snapshot comes and goes with each `docker run`, and
    // FULL fsynced the WAL on the event loop at each (2-3 ms a transaction). WAL with NORMAL
    // survives a crash of berthd intact; after a power loss the last transactions may roll back
    // (orphan dirs are cleaned at start). Commits of image layers still sync (see commit()).
    this.#db.exec(`PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;
      CREATE TABLE IF NOT EXISTS snapshots (id INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT UNIQUE NOT NULL,
        kind TEXT NOT NULL, parent TEXT NOT NULL DEFAULT '', created TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS snapshots_parent ON snapshots(parent);`);
    this.#cleanOrphans();
  }

  close(): void {
    this.#db.close();
  }

  dir(id: number): string {
    return join(this.root, String(id));
  }

  stat(key: string): SnapshotInfo {
    const r = this.#prep('SELECT * FROM snapshots WHERE key = ?').get(key) as Row | undefined;
    if (!r) throw notFound(`snapshot ${key} does not exist`);
    return { key: r.key, kind: r.kind as SnapshotKind, parent: r.parent, id: Number(r.id), created: r.created };
  }

  exists(key: string): boolean {
    return this.#prep('SELECT 1 FROM snapshots WHERE key = ?').get(key) !== undefined;
  }

  list(): SnapshotInfo[] {
    return (this.#prep('SELECT * FROM snapshots ORDER BY id').all() as Row[])
      .map((r) => ({ key: r.key, kind: r.kind as SnapshotKind, parent: r.parent, id: Number(r.id), created: r.created }));
  }

  refcount(key: string): number {
    return Number((this.#prep('SELECT count(*) AS n FROM snapshots WHERE parent = ?').get(key) as { n: number }).n);
  }

  /** The `fs` dir of each snapshot from `key` down to the base, most recent first. */
  #chain(key: string): string[] {
    const out: string[] = [];
    for (let k = key; k; ) {
      const s = this.stat(k);
      out.push(join(this.dir(s.id), 'fs'));
      k = s.parent;
    }
    return out;
  }

  /** The upper (`fs`) dir of an active snapshot, for unpacking a layer straight into it. */
  upperDir(key: string): string {
    return join(this.dir(this.stat(key).id), 'fs');
  }

  /** Paths Docker shows as GraphDriver data. */
  paths(key: string): { upper: string; work: string; lowers: string[] } {
    const s = this.stat(key);
    return { upper: join(this.dir(s.id), 'fs'), work: join(this.dir(s.id), 'work'), lowers: s.parent ? this.#chain(s.parent) : [] };
  }

  async #create(key: string, parent: string, kind: SnapshotKind): Promise<SnapshotInfo> {
    if (this.exists(key)) throw alreadyExists(`snapshot ${key}: already exists`);
    if (parent && this.stat(parent).kind !== 'committed') throw failedPrecondition(`snapshot ${key}: parent ${parent} is not committed`);
    const r = this.#prep('INSERT INTO snapshots (key, kind, parent, created) VALUES (?, ?, ?, ?) RETURNING id')
      .get(key, kind, parent, isoTime()) as { id: number };
    const d = this.dir(Number(r.id));
    await mkdir(join(d, 'fs'), { recursive: true, mode: 0o755 });
    if (kind === 'active') await mkdir(join(d, 'work'), { mode: 0o700 });
    return this.stat(key);
  }

  /** A writable snapshot on `parent` (a committed key, or '' for an empty one). */
  async prepare(key: string, parent = ''): Promise<Mount[]> {
    await this.#create(key, parent, 'active');
    return this.mounts(key);
  }

  /** A read-only snapshot of `parent`. */
  async view(key: string, parent = ''): Promise<Mount[]> {
    await this.#create(key, parent, 'view');
    return this.mounts(key);
  }

  mounts(key: string): Mount[] {
    const s = this.stat(key);
    const own = join(this.dir(s.id), 'fs');
    const lowers = s.parent ? this.#chain(s.parent) : [];
    if (s.kind === 'active') {
      if (lowers.length === 0) return [{ type: 'bind', source: own, options: ['rbind', 'rw'] }];
      return [{ type: 'overlay', source: 'overlay', options: ['index=off', `lowerdir=${lowers.join(':')}`, `upperdir=${own}`, `workdir=${join(this.dir(s.id), 'work')}`] }];
    }
    const all = s.kind === 'view' ? lowers : [own, ...lowers];
    if (all.length === 0) return [{ type: 'bind', source: own, options: ['rbind', 'ro'] }];
    if (all.length === 1) return [{ type: 'bind', source: all[0], options: ['rbind', 'ro'] }];
    return [{ type: 'overlay', source: 'overlay', options: ['index=off', `lowerdir=${all.join(':')}`] }];
  }

  /**
   * Turns active snapshot `key` into committed `name`. `parent` re-parents it (a layer unpacked in
   * overlay whiteout mode does not depend on its lowers, so layers may be unpacked side by side and
   * committed in order).
   */
  async commit(name: string, key: string, opts: { parent?: string } = {}): Promise<void> {
    const s = this.stat(key);
    if (s.kind !== 'active') throw failedPrecondition(`commit ${key}: not an active snapshot`);
    if (this.exists(name)) throw alreadyExists(`snapshot ${name}: already exists`);
    const parent = opts.parent ?? s.parent;
    if (parent && this.stat(parent).kind !== 'committed') throw failedPrecondition(`commit ${name}: parent ${parent} is not committed`);
    // A committed layer is what images are made of: this one transaction reaches the disk.
    this.#db.exec('PRAGMA synchronous=FULL');
    try {
      this.#prep("UPDATE snapshots SET key = ?, kind = 'committed', parent = ? WHERE id = ?").run(name, parent, s.id);
    } finally {
      this.#db.exec('PRAGMA synchronous=NORMAL');
    }
    await rm(join(this.dir(s.id), 'work'), { recursive: true, force: true });
  }

  /** Removes a snapshot without children; its directory is renamed away first, then deleted. */
  /** With `sweeper`, the snapshot is gone when this returns but its files are deleted in the background. */
  async remove(key: string, sweeper?: Sweeper): Promise<void> {
    const s = this.stat(key);
    const n = this.refcount(key);
    if (n > 0) throw conflict(`remove snapshot ${key}: it has ${n} child snapshot(s)`);
    const gone = join(this.root, `removing-${s.id}`);
    await rename(this.dir(s.id), gone).catch((e) => { if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e; });
    this.#prep('DELETE FROM snapshots WHERE id = ?').run(s.id);
    const deleting = rm(gone, { recursive: true, force: true });
    if (sweeper) sweeper.track(deleting);
    else await deleting;
  }

  /**
   * Bytes and inodes of the snapshot's own dir (what it adds over its parent), as `du -sB1 <dir>`
   * counts; `upper`, when given, is its `fs` dir's, counted by whoever filled it (not walked again).
   */
  usage(key: string, upper?: Usage): Usage {
    const d = this.dir(this.stat(key).id);
    if (!upper) return diskUsage(d);
    const rest = diskUsage(d, join(d, 'fs'));
    return { size: rest.size + upper.size, inodes: rest.inodes + upper.inodes };
  }

  /** Dirs without a record (a crash between mkdir and insert, or during remove). */
  #cleanOrphans(): void {
    const ids = new Set(this.list().map((s) => String(s.id)));
    for (const n of readdirSync(this.root)) {
      if (n.startsWith('removing-') || (/^\d+$/.test(n) && !ids.has(n))) {
        rmSync(join(this.root, n), { recursive: true, force: true });
      }
    }
  }
}
