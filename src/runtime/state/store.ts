// The runtime's state directory: <root>/<id>/{state.json, exec.fifo, exit.json}.
// state.json is written atomically, so a crash at any moment leaves a readable store.
import { mkdirSync, readFileSync } from 'node:fs';
import { rm, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { atomicWrite } from '../../sys/atomic-write.ts';
import { alreadyExists, invalidArgument, notFound } from '../../errors/errors.ts';
import type { CgroupPlan } from '../cgroups/index.ts';
import type { Hook } from '../spec/types.ts';

export interface StoredState {
  ociVersion: string;
  id: string;
  pid: number;
  pidStart: number;          // start time of pid, to tell it from a reused pid
  monitorPid: number;
  bundle: string;
  rootfs: string;
  created: string;
  annotations: Record<string, string>;
  cgroup: CgroupPlan | null;
  hooks: { poststart: Hook[]; poststop: Hook[] };
  namespaces: string[];       // OCI types the container has of its own (for exec)
}

export interface ExitRecord { exitCode: number; signal: number }

const ID_RE = /^[A-Za-z0-9][A-Za-z0-9_.+-]{0,127}$/;

export class StateStore {
  readonly root: string;
  constructor(root: string) { this.root = root; }

  dir(id: string): string {
    if (!ID_RE.test(id)) throw invalidArgument(`invalid container id format: ${JSON.stringify(id)}`);
    return join(this.root, id);
  }

  fifo(id: string): string { return join(this.dir(id), 'exec.fifo'); }
  exitFile(id: string): string { return join(this.dir(id), 'exit.json'); }

  /** Claims the id: fails if a container with it exists. */
  async reserve(id: string): Promise<string> {
    const dir = this.dir(id);
    // The exec root is a tmpfs: these small calls are done in place (no thread-pool round trip).
    mkdirSync(this.root, { recursive: true, mode: 0o711 });
    try {
      mkdirSync(dir, { mode: 0o711 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw alreadyExists(`container with id exists: ${id}`);
      throw err;
    }
    return dir;
  }

  async save(state: StoredState): Promise<void> {
    // The runtime's state dies with the host's processes (it lives in the exec root): no fsync.
    await atomicWrite(join(this.dir(state.id), 'state.json'), JSON.stringify(state), 0o644, { sync: false });
  }

  async load(id: string): Promise<StoredState> {
    try {
      return JSON.parse(readFileSync(join(this.dir(id), 'state.json'), 'utf8')) as StoredState;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw notFound(`container does not exist: ${id}`);
      throw err;
    }
  }

  async exit(id: string): Promise<ExitRecord | undefined> {
    try {
      return JSON.parse(readFileSync(this.exitFile(id), 'utf8')) as ExitRecord;
    } catch {
      return undefined;
    }
  }

  async fifoExists(id: string): Promise<boolean> {
    return stat(this.fifo(id)).then(() => true, () => false);
  }

  async remove(id: string): Promise<void> {
    await rm(this.dir(id), { recursive: true, force: true });
  }

  async list(): Promise<string[]> {
    try {
      return (await readdir(this.root)).filter((n) => ID_RE.test(n));
    } catch {
      return [];
    }
  }
}
