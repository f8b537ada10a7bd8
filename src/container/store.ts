// Containers on disk, in Docker's layout: <data-root>/containers/<id>/config.v2.json (the record
// without HostConfig) and hostconfig.json, each replaced atomically. A create writes
// hostconfig.json first and config.v2.json last, so a directory without config.v2.json is a
// create that did not finish: loadAll reports it for removal.
import { mkdir, readFile, readdir, rm } from 'node:fs/promises';
import { renameSync } from 'node:fs';
import { join } from 'node:path';
import type { Sweeper } from '../sys/sweeper.ts';
import { atomicWriteAll } from '../sys/atomic-write.ts';
import { alreadyExists, internal, notFound, wrap } from '../errors/errors.ts';
import type { HostConfig } from './docker-types.ts';
import { isContainerId, type ContainerId, type ContainerRecord } from './model.ts';

export const CONFIG_FILE = 'config.v2.json';
export const HOSTCONFIG_FILE = 'hostconfig.json';
/** The prefix of a removed container's directory while it is deleted. */
const REMOVING = '.removing-';

export interface LoadResult {
  records: ContainerRecord[];
  /** Directories of creates that did not finish (no config.v2.json). */
  incomplete: string[];
  /** Directories whose files could not be parsed. */
  corrupt: { id: string; error: string }[];
}

export class ContainerStore {
  readonly root: string;
  /** The hostconfig.json last written per container: state changes leave it as it is, and
   *  an unchanged file is not rewritten (one fsync less per start and per exit). */
  readonly #hostWritten = new Map<string, string>();

  constructor(dataRoot: string) {
    this.root = join(dataRoot, 'containers');
  }

  dir(id: string): string {
    return join(this.root, id);
  }

  /** Docker's log file name. */
  logPath(id: string): string {
    return join(this.dir(id), `${id}-json.log`);
  }

  /** Makes the container's directory and writes it; AlreadyExists if the id is taken. */
  async create(rec: ContainerRecord): Promise<void> {
    await mkdir(this.root, { recursive: true, mode: 0o710 });
    try {
      await mkdir(this.dir(rec.ID), { mode: 0o710 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw alreadyExists(`container ${rec.ID} already exists`);
      throw wrap(`create container directory ${rec.ID}`, err);
    }
    await this.save(rec);
  }

  async save(rec: ContainerRecord): Promise<void> {
    const { HostConfig: host, ...rest } = rec;
    const dir = this.dir(rec.ID);
    try {
      const hostJson = JSON.stringify(host);
      const config = { path: join(dir, CONFIG_FILE), data: JSON.stringify(rest), mode: 0o600 };
      if (this.#hostWritten.get(rec.ID) !== hostJson) {
        // config.v2.json last: a record whose hostconfig.json is not there yet is never read.
        await atomicWriteAll([{ path: join(dir, HOSTCONFIG_FILE), data: hostJson, mode: 0o600 }, config]);
        this.#hostWritten.set(rec.ID, hostJson);
      } else await atomicWriteAll([config]);
    } catch (err) {
      throw wrap(`save container ${rec.ID}`, err);
    }
  }

  async load(id: ContainerId): Promise<ContainerRecord> {
    const dir = this.dir(id);
    let cfg: string;
    try {
      cfg = await readFile(join(dir, CONFIG_FILE), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw notFound(`No such container: ${id}`);
      throw wrap(`load container ${id}`, err);
    }
    const host = await readFile(join(dir, HOSTCONFIG_FILE), 'utf8').catch(() => '{}');
    let rec: ContainerRecord;
    try {
      rec = { ...(JSON.parse(cfg) as Omit<ContainerRecord, 'HostConfig'>), HostConfig: JSON.parse(host) as HostConfig };
    } catch (err) {
      throw internal(`load container ${id}: ${(err as Error).message}`, err);
    }
    if (rec.ID !== id) throw internal(`load container ${id}: ${CONFIG_FILE} names ${rec.ID}`);
    return rec;
  }

  /** Every container on disk (at daemon start). */
  async loadAll(): Promise<LoadResult> {
    const out: LoadResult = { records: [], incomplete: [], corrupt: [] };
    const names = await readdir(this.root).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return [] as string[];
      throw wrap('list containers', err);
    });
    for (const name of names) {
      if (name.startsWith(REMOVING)) { await rm(join(this.root, name), { recursive: true, force: true }).catch(() => {}); continue; }
      if (!isContainerId(name)) continue;
      try {
        out.records.push(await this.load(name));
      } catch (err) {
        if ((err as { code?: string }).code === 'NotFound') out.incomplete.push(name);
        else out.corrupt.push({ id: name, error: (err as Error).message });
      }
    }
    return out;
  }

  /** With `sweeper`: renamed away (a directory that is not a container id, swept at the next
   *  loadAll), then deleted in the background. */
  async remove(id: string, sweeper?: Sweeper): Promise<void> {
    this.#hostWritten.delete(id);
    if (!sweeper) return rm(this.dir(id), { recursive: true, force: true });
    const gone = join(this.root, `${REMOVING}${id}`);
    try {
      renameSync(this.dir(id), gone);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw wrap(`remove container ${id}`, e);
    }
    sweeper.track(rm(gone, { recursive: true, force: true }));
  }
}
