// The container service's simpler operations: pause, unpause, rename, update, health, top,
// locked record changes and the rootfs for a call. They run on the service's lock and store
// through the narrow host the service hands in.
import * as sm from '../state-machine.ts';
import { NAME_PATTERN, normalizeName, type NameRegistry } from '../names.ts';
import type { ContainerRecord } from '../model.ts';
import type { HostConfig } from '../docker-types.ts';
import { mergeUpdate } from '../update.ts';
import { ociResources, validateResources } from '../spec/resources.ts';
import { mountUntilReleased } from './rootfs-access.ts';
import type { ServiceDeps } from './service-types.ts';
import { invalidArgument } from '../../errors/errors.ts';

export interface AdminHost {
  get(ref: string): ContainerRecord;
  run<T>(id: string, fn: () => Promise<T>): Promise<T>;
  save(rec: ContainerRecord): Promise<void>;
  emit(rec: ContainerRecord, action: string, extra?: Record<string, string>): void;
  rootfsDir(id: string): string;
  readonly deps: ServiceDeps;
  readonly names: NameRegistry;
  readonly records: Map<string, ContainerRecord>;
}

export class ContainerAdmin {
  private readonly h: AdminHost;
  constructor(h: AdminHost) { this.h = h; }

  pause(ref: string): Promise<void> {
    const rec = this.h.get(ref);
    return this.h.run(rec.ID, async () => {
      sm.checkPause(rec.ID, rec.State);
      await this.h.deps.runtime.pause(rec.ID);
      rec.State = sm.toPaused(rec.State);
      await this.h.save(rec);
      this.h.emit(rec, 'pause');
    });
  }

  unpause(ref: string): Promise<void> {
    const rec = this.h.get(ref);
    return this.h.run(rec.ID, async () => {
      sm.checkUnpause(rec.ID, rec.State);
      await this.h.deps.runtime.resume(rec.ID);
      rec.State = sm.toUnpaused(rec.State);
      await this.h.save(rec);
      this.h.emit(rec, 'unpause');
    });
  }

  async rename(ref: string, newName: string): Promise<void> {
    const rec = this.h.get(ref);
    if (!NAME_PATTERN.test(newName)) throw invalidArgument(`Invalid container name (${newName}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`);
    const shown = normalizeName(newName);
    this.h.names.reserve(shown, rec.ID);
    const old = rec.Name;
    this.h.names.release(old);
    rec.Name = shown;
    await this.h.save(rec);
    this.h.emit(rec, 'rename', { oldName: old });
  }

  /** docker update: new resource limits (and restart policy), live on a running container. */
  update(ref: string, patch: Partial<HostConfig>): Promise<{ Warnings: string[] }> {
    const rec = this.h.get(ref);
    return this.h.run(rec.ID, async () => {
      const next = mergeUpdate(rec.HostConfig, patch);
      validateResources(next, this.h.deps.facts.ncpu);
      if (rec.State.Running) await this.h.deps.runtime.update(rec.ID, ociResources(next));
      rec.HostConfig = next;
      await this.h.save(rec);
      this.h.emit(rec, 'update');
      return { Warnings: [] };
    });
  }

  /** Records a health probe's outcome (the health runner's only way in). */
  async setHealth(id: string, health: NonNullable<ContainerRecord['State']['Health']>): Promise<void> {
    const rec = this.h.records.get(id);
    if (!rec) return;
    rec.State = { ...rec.State, Health: health };
    await this.h.save(rec).catch(() => {});
  }

  /**
   * The container's assembled rootfs: the live mount while it runs, else mounted until
   * `release()` (holding the container's lock, so a start waits for it).
   */
  acquireRootfs(ref: string): Promise<{ dir: string; release: () => Promise<void> }> {
    const rec = this.h.get(ref);
    const dir = this.h.rootfsDir(rec.ID);
    if (rec.State.Running) return Promise.resolve({ dir, release: async () => {} });
    return mountUntilReleased((fn) => this.h.run(rec.ID, fn), this.h.deps.images, rec.Snapshot!.mounts, dir);
  }

  top(ref: string): Promise<number[]> {
    const rec = this.h.get(ref);
    sm.checkRunning(rec.ID, rec.State);
    return this.h.deps.runtime.ps(rec.ID);
  }

  /** Network connect/disconnect: `fn` changes the record under the container's lock, then it is saved. */
  withRecord<T>(ref: string, fn: (rec: ContainerRecord) => Promise<T>): Promise<T> {
    const rec = this.h.get(ref);
    return this.h.run(rec.ID, async () => {
      const r = await fn(rec);
      await this.h.save(rec);
      return r;
    });
  }

}
