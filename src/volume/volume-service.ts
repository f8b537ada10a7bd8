// The local volume driver and service: volumes under <root>/<name>/_data (Docker's layout, with
// opts.json when driver options were given), metadata in <root>/metadata.db, references by
// container id (in use → no remove), and mounts of volumes with `type/device/o` options at the
// first user, undone when the last one goes.
import { randomBytes } from '../sys/random.ts';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { conflict, invalidArgument, notFound, wrap } from '../errors/errors.ts';
import type { Filters } from '../api/system-types.ts';
import { ANONYMOUS_LABEL, anonymousVolumeName, validateVolumeName } from './names.ts';
import { mountArgs, mountOptsOf, needsMount, redactPassword, validateDriverOptions } from './driver-options.ts';
import { filterVolumes, pruneCandidates } from './filters.ts';
import { rfc3339Seconds, volumeView, type VolumeRecord, type VolumeView } from './types.ts';
import { VolumeStore } from './volume-store.ts';
import { systemMounter, type Mounter } from './mounter.ts';
import { directorySize } from './disk-usage.ts';

export interface VolumeEvent { Type: 'volume'; Action: string; Actor: { ID: string; Attributes: Record<string, string> } }

export interface VolumeServiceOptions {
  /** <data-root>/volumes */
  root: string;
  /** Containers whose records name the volume (rebuilt from the container store after a restart). */
  users?: (name: string) => string[];
  mounter?: Mounter;
  publish?: (e: VolumeEvent) => void;
  now?: () => Date;
}

export interface CreateRequest { Name?: string; Driver?: string; DriverOpts?: Record<string, string> | null; Labels?: Record<string, string> | null }

export const noSuchVolume = (name: string) => notFound(`get ${name}: no such volume`);

export class VolumeService {
  readonly root: string;
  readonly #store: VolumeStore;
  readonly #refs = new Map<string, Set<string>>();
  readonly #opts: VolumeServiceOptions;
  readonly #mounter: Mounter;
  #chain: Promise<unknown> = Promise.resolve();

  constructor(opts: VolumeServiceOptions) {
    this.#opts = opts;
    this.root = opts.root;
    this.#store = new VolumeStore(opts.root);
    this.#mounter = opts.mounter ?? systemMounter;
  }

  /** One operation at a time: creates, removes and mounts do not interleave. */
  #serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.#chain.then(fn, fn);
    this.#chain = next.catch(() => {});
    return next;
  }

  #emit(action: string, name: string, extra: Record<string, string> = {}): void {
    this.#opts.publish?.({ Type: 'volume', Action: action, Actor: { ID: name, Attributes: { driver: 'local', ...extra } } });
  }

  mountpoint(name: string): string { return join(this.root, name, '_data'); }

  /** Container ids that refer to the volume or hold it mounted. */
  usersOf(name: string): string[] {
    return [...new Set([...(this.#refs.get(name) ?? []), ...(this.#opts.users?.(name) ?? []), ...this.#store.mountUsers(name)])];
  }

  inUse(name: string): boolean { return this.usersOf(name).length > 0; }

  #get(name: string): VolumeRecord {
    const v = this.#store.get(name);
    if (!v) throw noSuchVolume(name);
    return v;
  }

  inspect(name: string): VolumeView {
    return volumeView(this.#get(name), this.mountpoint(name));
  }

  list(filters: Filters = {}): { Volumes: VolumeView[]; Warnings: string[] | null } {
    const vols = filterVolumes(this.#store.list(), filters, (n) => this.inUse(n));
    return { Volumes: vols.map((v) => volumeView(v, this.mountpoint(v.Name))), Warnings: null };
  }

  /**
   * Creates a volume, or returns the existing one of that name (as Docker does). No name: an
   * anonymous volume (random name, labelled com.docker.volume.anonymous). `ref`: the container
   * that will use it, referenced in the same step so a prune cannot take it in between.
   */
  create(req: CreateRequest, ref?: string): Promise<VolumeView & { created: boolean }> {
    return this.#serial(async () => {
      const driver = req.Driver || 'local';
      if (driver !== 'local') throw notFound(`error looking up volume plugin ${driver}: plugin "${driver}" not found`);
      const anonymous = !req.Name;
      const name = req.Name || anonymousVolumeName(randomBytes(32));
      if (!anonymous) validateVolumeName(name);
      const existing = this.#store.get(name);
      if (existing) {
        if (ref) this.ref(name, ref);
        return { ...volumeView(existing, this.mountpoint(name)), created: false };
      }
      try { validateDriverOptions(req.DriverOpts); } catch (e) { throw wrap(`create ${name}`, e); }
      const labels = anonymous ? { ...req.Labels, [ANONYMOUS_LABEL]: '' } : req.Labels ?? null;
      const rec: VolumeRecord = {
        Name: name, Driver: 'local', CreatedAt: rfc3339Seconds(this.#opts.now?.() ?? new Date()),
        Labels: labels, Options: req.DriverOpts ?? null,
      };
      const dir = join(this.root, name);
      try {
        await mkdir(join(dir, '_data'), { recursive: true, mode: 0o755 });
        const mo = mountOptsOf(req.DriverOpts);
        if (mo) await writeFile(join(dir, 'opts.json'), JSON.stringify(mo), { mode: 0o600 });
        this.#store.insert(rec);
      } catch (e) {
        await rm(dir, { recursive: true, force: true }).catch(() => {});
        throw wrap(`create ${name}`, e);
      }
      if (ref) this.ref(name, ref);
      this.#emit('create', name);
      return { ...volumeView(rec, this.mountpoint(name)), created: true };
    });
  }

  ref(name: string, containerId: string): void {
    let s = this.#refs.get(name);
    if (!s) this.#refs.set(name, (s = new Set()));
    s.add(containerId);
  }

  unref(name: string, containerId: string): void {
    const s = this.#refs.get(name);
    s?.delete(containerId);
    if (s && !s.size) this.#refs.delete(name);
  }

  /** `remove <name>: volume is in use - [ids]` while referenced; `force` ignores a missing volume. */
  remove(name: string, opts: { force?: boolean; except?: string } = {}): Promise<void> {
    return this.#serial(async () => {
      const v = this.#store.get(name);
      if (!v) {
        if (opts.force) return;
        throw noSuchVolume(name);
      }
      const users = this.usersOf(name).filter((u) => u !== opts.except);
      if (users.length) throw conflict(`remove ${name}: volume is in use - [${users.join(', ')}]`);
      await this.#removeLocked(v);
    });
  }

  async #removeLocked(v: VolumeRecord): Promise<void> {
    const data = this.mountpoint(v.Name);
    if (await this.#mounter.isMounted(data)) {
      await this.#mounter.unmount(data).catch((e: unknown) => { throw wrap(`remove ${v.Name}`, e); });
    }
    // Never delete through a mount: a bind device's files belong to the host.
    if (await this.#mounter.isMounted(data)) throw conflict(`remove ${v.Name}: ${data} is still mounted`);
    await rm(join(this.root, v.Name), { recursive: true, force: true }).catch((e: unknown) => { throw wrap(`remove ${v.Name}`, e); });
    this.#store.delete(v.Name);
    this.#refs.delete(v.Name);
    this.#emit('destroy', v.Name);
  }

  prune(filters: Filters, apiVersion: string): Promise<{ VolumesDeleted: string[] | null; SpaceReclaimed: number }> {
    return this.#serial(async () => {
      const deleted: string[] = [];
      let space = 0;
      for (const v of pruneCandidates(this.#store.list(), filters, (n) => this.inUse(n), apiVersion)) {
        const size = await directorySize(this.mountpoint(v.Name));
        try {
          await this.#removeLocked(v);
          deleted.push(v.Name);
          space += size;
        } catch { /* left for the next prune */ }
      }
      return { VolumesDeleted: deleted.length ? deleted : null, SpaceReclaimed: space };
    });
  }

  /** The host path to bind for a container; mounts the volume's device at its first user. */
  mount(name: string, containerId: string): Promise<string> {
    return this.#serial(async () => {
      const v = this.#get(name);
      const data = this.mountpoint(name);
      const users = new Set(this.#store.mountUsers(name));
      const mo = mountOptsOf(v.Options);
      if (needsMount(mo) && !(await this.#mounter.isMounted(data))) {
        try {
          await mkdir(data, { recursive: true });
          await this.#mounter.mount(mountArgs(mo, data));
        } catch (e) {
          throw invalidArgument(redactPassword(`error while mounting volume '${data}': failed to mount local volume: ${(e as Error).message}`, mo));
        }
        users.clear();
      }
      users.add(containerId);
      this.#store.setMountUsers(name, [...users]);
      this.#emit('mount', name, { container: containerId });
      return data;
    });
  }

  /** The container no longer uses the mount; the last one out unmounts the device. */
  unmount(name: string, containerId: string): Promise<void> {
    return this.#serial(async () => {
      const v = this.#store.get(name);
      if (!v) return;
      const users = this.#store.mountUsers(name).filter((u) => u !== containerId);
      this.#store.setMountUsers(name, users);
      const data = this.mountpoint(name);
      if (!users.length && needsMount(mountOptsOf(v.Options)) && (await this.#mounter.isMounted(data))) {
        await this.#mounter.unmount(data).catch((e: unknown) => { throw wrap(`unmount volume ${name}`, e); });
      }
      this.#emit('unmount', name, { container: containerId });
    });
  }

  /** Volumes with their sizes and reference counts, for GET /system/df. */
  async usage(): Promise<VolumeView[]> {
    const out: VolumeView[] = [];
    for (const v of this.#store.list()) {
      const size = await directorySize(this.mountpoint(v.Name));
      out.push({ ...volumeView(v, this.mountpoint(v.Name)), UsageData: { RefCount: this.usersOf(v.Name).length, Size: size } });
    }
    return out;
  }

  close(): void { this.#store.close(); }
}
