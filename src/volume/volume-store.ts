// Volume metadata in SQLite (<root>/metadata.db, like Docker's metadata.db next to the volume
// directories): name, labels, options, creation time, and which containers hold the volume
// mounted (so the last user unmounts it, even after a daemon restart).
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { statementCache } from '../sys/sqlite-statements.ts';
import { mkdirSync } from 'node:fs';
import type { VolumeRecord } from './types.ts';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS volumes (name TEXT PRIMARY KEY, driver TEXT NOT NULL, created_at TEXT NOT NULL,
  labels TEXT, options TEXT, mount_users TEXT NOT NULL DEFAULT '[]');
`;

type Row = { name: string; driver: string; created_at: string; labels: string | null; options: string | null; mount_users: string };

function toRecord(r: Row): VolumeRecord {
  return {
    Name: r.name, Driver: 'local', CreatedAt: r.created_at,
    Labels: r.labels === null ? null : (JSON.parse(r.labels) as Record<string, string>),
    Options: r.options === null ? null : (JSON.parse(r.options) as Record<string, string>),
  };
}

export class VolumeStore {
  readonly #db: DatabaseSync;
  readonly #prep: (sql: string) => StatementSync;

  constructor(root: string) {
    mkdirSync(root, { recursive: true, mode: 0o701 });
    this.#db = new DatabaseSync(`${root}/metadata.db`);
    this.#prep = statementCache(this.#db);
    this.#db.exec('PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=5000;');
    this.#db.exec(SCHEMA);
  }

  get(name: string): VolumeRecord | undefined {
    const r = this.#prep('SELECT * FROM volumes WHERE name = ?').get(name) as Row | undefined;
    return r ? toRecord(r) : undefined;
  }

  list(): VolumeRecord[] {
    return (this.#prep('SELECT * FROM volumes ORDER BY name').all() as Row[]).map(toRecord);
  }

  insert(v: VolumeRecord): void {
    this.#prep('INSERT INTO volumes (name, driver, created_at, labels, options) VALUES (?, ?, ?, ?, ?)').run(
      v.Name, v.Driver, v.CreatedAt, v.Labels === null ? null : JSON.stringify(v.Labels), v.Options === null ? null : JSON.stringify(v.Options));
  }

  delete(name: string): void {
    this.#prep('DELETE FROM volumes WHERE name = ?').run(name);
  }

  mountUsers(name: string): string[] {
    const r = this.#prep('SELECT mount_users FROM volumes WHERE name = ?').get(name) as { mount_users: string } | undefined;
    return r ? (JSON.parse(r.mount_users) as string[]) : [];
  }

  setMountUsers(name: string, users: string[]): void {
    this.#prep('UPDATE volumes SET mount_users = ? WHERE name = ?').run(JSON.stringify(users), name);
  }

  close(): void { this.#db.close(); }
}
