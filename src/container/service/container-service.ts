// The container service: create/start/stop/kill/remove/wait over the runtime, the image store's
// snapshots and the container store. Containers outlive the daemon: their monitor holds stdio,
// the json-file log and the exit status; restore() picks them up again after a restart.
import { randomBytes, randomInt } from '../../sys/random.ts';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isMountPoint } from '../../sys/mount-point.ts';
import { hostname } from 'node:os';
import { NameRegistry, noSuchContainer, resolveRef, generateName, normalizeName, NAME_PATTERN } from '../names.ts';
import { containerIdFrom, newContainerRecord, rfc3339Nano, type ContainerId, type ContainerRecord } from '../model.ts';
import * as sm from '../state-machine.ts';
import { applyCreateDefaults } from '../spec/create-defaults.ts';
import { mergeImageConfig, entrypointAndArgs } from '../spec/command.ts';
import { restartDecision } from '../restart-policy.ts';
import type { HostConfig } from '../docker-types.ts';
import { VolumeMounts, mountPointsOf, type WithMountPoints } from './volume-mounts.ts';
import type { MountPoint } from '../spec/mounts.ts';
import { Sweeper } from '../../sys/sweeper.ts';
import { watchExit, KeyedLock } from './exit-watch.ts';
import type { ServiceDeps, CreateBody } from './service-types.ts';
import type { AttachSession, AttachRelay } from './attach-relay.ts';
import { AttachHub } from './attach-hub.ts';
import { ContainerAdmin } from './container-admin.ts';
import { launch } from './container-launch.ts';
import { Waiters, type WaitCondition, type WaitResult } from './waiters.ts';
import { invalidArgument, wrap, isCode } from '../../errors/errors.ts';

export type { ServiceDeps, CreateBody } from './service-types.ts';

export class ContainerService {
  readonly records = new Map<string, ContainerRecord>();
  private readonly names = new NameRegistry();
  private readonly lock = new KeyedLock();
  private readonly watches = new Map<string, () => void>();
  private readonly waiters = new Waiters();
  private readonly hub = new AttachHub();
  private readonly sweeper = new Sweeper();
  private readonly pendingRestarts = new Map<string, NodeJS.Timeout>();
  private readonly deps: ServiceDeps;
  private readonly vols: VolumeMounts;

  private readonly admin: ContainerAdmin;
  private ioDir: Promise<void> | undefined;

  constructor(deps: ServiceDeps) {
    this.deps = deps;
    this.vols = new VolumeMounts(deps.volumes);
    this.admin = new ContainerAdmin({
      get: (ref) => this.get(ref), run: (id, fn) => this.lock.run(id, fn), save: (rec) => this.save(rec),
      emit: (rec, action, extra) => this.emit(rec, action, extra), rootfsDir: (id) => this.rootfsDir(id),
      deps, names: this.names, records: this.records,
    });
  }

  bundleDir(id: string): string { return join(this.deps.execRoot, 'containers', id); }
  rootfsDir(id: string): string { return join(this.bundleDir(id), 'rootfs'); }
  /** Unix socket paths are limited to 107 bytes: a short directory and a 24-hex name. */
  attachPath(id: string): string { return join(this.deps.execRoot, 'io', `${id.slice(0, 24)}.sock`); }

  /** A container by id, name or unique id prefix; NotFound "No such container: ref". */
  get(ref: string): ContainerRecord {
    const entries = [...this.records.values()].map((r) => ({ id: r.ID, name: r.Name }));
    return this.records.get(resolveRef(entries, ref))!;
  }

  private emit(rec: ContainerRecord, action: string, extra: Record<string, string> = {}): void {
    this.deps.events.publish({ Type: 'container', Action: action, Actor: { ID: rec.ID, Attributes: { ...rec.Config.Labels, image: rec.Config.Image ?? '', name: rec.Name.slice(1), ...extra } } });
  }

  private async save(rec: ContainerRecord): Promise<void> { await this.deps.store.save(rec); }

  async create(body: CreateBody, name?: string): Promise<{ Id: string; Warnings: string[] }> {
    const { HostConfig: hc = {}, NetworkingConfig: netConfig, ...config } = body;
    if (!config.Image) throw invalidArgument('invalid reference format');
    if (name !== undefined && name !== '' && !NAME_PATTERN.test(name)) throw invalidArgument(`Invalid container name (${name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`);
    const image = await this.deps.images.resolve(config.Image);
    let id: ContainerId | undefined;
    while (!id) id = containerIdFrom(randomBytes(32));
    const shown = name ? normalizeName(name) : generateName((n) => randomInt(n), (n) => this.names.has(n), id);
    this.names.reserve(shown, id);
    let mountPoints: Record<string, MountPoint> | undefined;
    try {
      const merged = mergeImageConfig(config, image.config);
      const { path, args } = entrypointAndArgs(merged);
      const defaults = applyCreateDefaults(id, merged, hc, { cgroupVersion: this.deps.facts.cgroupVersion, hostHostname: hostname() });
      const netSettings = await this.deps.network?.prepareCreate(id, defaults.hostConfig, netConfig);
      mountPoints = await this.vols.create(id, defaults.hostConfig, Object.keys(merged.Volumes ?? {}), (r) => this.get(r));
      const key = `container-${id}`;
      const mounts = await this.deps.images.prepareRootfs(key, image.id);
      const rec = newContainerRecord({
        id, name: shown, created: rfc3339Nano(new Date()), config: { ...defaults.config, Image: config.Image },
        hostConfig: defaults.hostConfig, image: image.id, path, args, logPath: this.deps.store.logPath(id),
        snapshot: { key, mounts },
      });
      (rec as WithMountPoints).MountPoints = mountPoints;
      if (netSettings) rec.NetworkSettings = netSettings;
      try {
        await this.deps.store.create(rec);
      } catch (err) {
        await this.deps.images.removeRootfs(key).catch(() => {});
        throw err;
      }
      this.records.set(id, rec);
      this.emit(rec, 'create');
      return { Id: id, Warnings: [] };
    } catch (err) {
      this.names.release(shown);
      if (mountPoints) await this.vols.remove(id, Object.values(mountPoints), true);
      throw err;
    }
  }

  start(ref: string): Promise<void> {
    const rec = this.get(ref);
    return this.lock.run(rec.ID, () => this.startLocked(rec));
  }

  private async startLocked(rec: ContainerRecord): Promise<void> {
    // A restart scheduled before a remove must not bring a removed container back.
    if (this.records.get(rec.ID) !== rec) throw noSuchContainer(rec.ID);
    sm.checkStart(rec.State);
    const { runtime, images } = this.deps;
    const id = rec.ID;
    const rootfs = this.rootfsDir(id);
    await mkdir(rootfs, { recursive: true });
    this.ioDir ??= mkdir(join(this.deps.execRoot, 'io'), { recursive: true, mode: 0o700 })
      .then(() => undefined, (e: unknown) => { this.ioDir = undefined; throw e; });
    await this.ioDir; // made once per daemon
    let mounted = false, created = false, netUp = false;
    try {
      await images.mount(rec.Snapshot!.mounts, rootfs);
      mounted = true;
      const userMounts = await this.vols.start(id, mountPointsOf(rec), rootfs);
      netUp = true;
      const net = await this.deps.network?.setup(rec);
      const { state } = await launch({
        deps: this.deps, rec, rootfs, userMounts, net, bundleDir: this.bundleDir(id), attachPath: this.attachPath(id),
        pidOf: (ref) => this.get(ref).State.Pid,
      });
      created = true;
      await this.hub.connect(id, this.attachPath(id));
      this.watchExit(rec);
      await net?.beforeStart?.();
      await runtime.start(id);
      rec.State = sm.toRunning(rec.State, state.pid, rfc3339Nano(new Date()));
      rec.HasBeenStartedBefore = true;
      rec.HasBeenManuallyStopped = false;
      await this.save(rec);
      this.emit(rec, 'start');
    } catch (err) {
      this.watches.get(id)?.();
      this.watches.delete(id);
      this.hub.drop(id);
      if (created) await runtime.delete(id, true).catch(() => {});
      if (mounted) await images.unmount(rootfs).catch(() => {});
      if (netUp) await this.deps.network?.teardown(rec);
      await this.vols.stop(id, mountPointsOf(rec));
      const msg = (err as Error).message;
      const code = /executable file not found|no such file or directory/.test(msg) ? 127 : /permission denied/i.test(msg) ? 126 : 128;
      rec.State = sm.withStartError(rec.State, msg, code);
      await this.save(rec).catch(() => {});
      // As Docker: a failed start of an auto-remove container removes it (`docker run --rm`
      // waits for the removal before it reports the error).
      if (rec.HostConfig.AutoRemove) setImmediate(() => { void this.remove(rec.ID, { force: true, volumes: true }).catch(() => {}); });
      throw wrap('failed to create task for container', err);
    }
  }

  /**
   * Attaches a session to the container's output; before start the session waits and gets
   * everything from the first byte. Returns the relay getter (stdin, resize) and detach.
   */
  attach(ref: string, s: AttachSession): { relay: () => AttachRelay | undefined; detach: () => void } {
    const rec = this.get(ref);
    const detach = this.hub.add(rec.ID, s);
    this.emit(rec, 'attach');
    return { relay: () => this.hub.get(rec.ID), detach };
  }

  /** A client left an attach session with the detach keys (Docker's `detach` event). */
  detached(ref: string): void {
    this.emit(this.get(ref), 'detach');
  }

  resize(ref: string, rows: number, cols: number): void {
    const rec = this.get(ref);
    sm.checkRunning(rec.ID, rec.State);
    this.hub.get(rec.ID)?.resize(rows, cols);
  }

  private watchExit(rec: ContainerRecord): void {
    this.watches.get(rec.ID)?.();
    const stop = watchExit(this.deps.runtime.ctx.store.exitFile(rec.ID), () => {
      this.watches.delete(rec.ID);
      void this.lock.run(rec.ID, () => this.handleExit(rec));
    });
    this.watches.set(rec.ID, stop);
  }

  /** The monitor wrote the exit status: record it, release the runtime and the rootfs. */
  private async handleExit(rec: ContainerRecord): Promise<void> {
    const { runtime, images } = this.deps;
    const exit = await runtime.ctx.store.exit(rec.ID);
    const oomKilled = await runtime.oomKilled(rec.ID).catch(() => false);
    // The runtime's state and cgroup, the rootfs and the network are independent: side by side.
    await Promise.all([
      runtime.delete(rec.ID, true).catch(() => {}),
      images.unmount(this.rootfsDir(rec.ID)).catch(() => {}),
      this.deps.network?.teardown(rec),
    ]);
    await this.vols.stop(rec.ID, mountPointsOf(rec));
    this.hub.drop(rec.ID);
    const exitCode = exit?.exitCode ?? 255;
    const { restart, delayMs } = restartDecision(rec.HostConfig.RestartPolicy, exitCode, rec.RestartCount, rec.HasBeenManuallyStopped);
    // As Docker: while the policy's delay runs the container is "restarting" (Running stays true).
    const now = rfc3339Nano(new Date());
    rec.State = restart ? sm.toRestarting(rec.State, { exitCode, oomKilled }, now) : sm.toStopped(rec.State, { exitCode, oomKilled }, now);
    if (restart) rec.RestartCount++;
    if (oomKilled) this.emit(rec, 'oom');
    // An auto-remove container is removed next: its exit state need not reach the disk (after
    // a crash in between, restore finds it exited and removes it then).
    if (restart || !rec.HostConfig.AutoRemove) await this.save(rec).catch(() => {});
    this.emit(rec, 'die', { exitCode: String(exitCode) });
    this.notify(rec, ['not-running', 'next-exit']);
    if (restart) this.scheduleRestart(rec, delayMs);
    else this.afterExit(rec);
  }

  /** The policy's restart after `delayMs`; stop, kill and rm cancel it (cancelRestart). */
  private scheduleRestart(rec: ContainerRecord, delayMs: number): void {
    const timer = setTimeout(() => {
      this.pendingRestarts.delete(rec.ID);
      void this.lock.run(rec.ID, async () => {
        if (!rec.State.Restarting) return;
        rec.State = sm.toStopped(rec.State, { exitCode: rec.State.ExitCode, oomKilled: rec.State.OOMKilled }, rec.State.FinishedAt);
        await this.startLocked(rec);
      }).catch(() => {});
    }, delayMs).unref();
    this.pendingRestarts.set(rec.ID, timer);
  }

  /** Auto-remove, as Docker applies it after an exit that is not restarted. */
  private afterExit(rec: ContainerRecord): void {
    if (rec.HostConfig.AutoRemove) {
      // docker run --rm: anonymous volumes go with the container.
      setImmediate(() => { void this.remove(rec.ID, { force: true, volumes: true }).catch(() => {}); });
    }
  }

  private notify(rec: ContainerRecord, conds: WaitCondition[], removed = false): void {
    // Docker clears the error on removal: `docker run --rm` of a failed start prints it once.
    const error = !removed && rec.State.Error ? { Message: rec.State.Error } : null;
    this.waiters.notify(rec.ID, conds, { StatusCode: rec.State.ExitCode, Error: error });
  }

  /** Drops a restart the policy scheduled; true when there was one. */
  private cancelRestart(rec: ContainerRecord): boolean {
    const timer = this.pendingRestarts.get(rec.ID);
    if (!timer) return false;
    clearTimeout(timer);
    this.pendingRestarts.delete(rec.ID);
    rec.HasBeenManuallyStopped = true;
    if (rec.State.Restarting) rec.State = sm.toStopped(rec.State, { exitCode: rec.State.ExitCode, oomKilled: rec.State.OOMKilled }, rec.State.FinishedAt);
    return true;
  }

  /** Docker's wait: resolves with the exit code once the condition holds. */
  wait(ref: string, cond: WaitCondition = 'not-running'): Promise<WaitResult> {
    const rec = this.get(ref);
    if (cond === 'not-running' && !rec.State.Running) return Promise.resolve({ StatusCode: rec.State.ExitCode, Error: null });
    return this.waiters.add(rec.ID, cond);
  }

  kill(ref: string, signal = 'SIGKILL'): Promise<void> {
    const rec = this.get(ref);
    return this.lock.run(rec.ID, async () => {
      // Docker: killing a container that waits for its restart only cancels the restart.
      if (this.cancelRestart(rec)) {
        await this.save(rec).catch(() => {});
        this.emit(rec, 'kill', { signal });
        return;
      }
      sm.checkKill(rec.ID, rec.State);
      if (/^(SIG)?KILL$|^9$/.test(signal)) rec.HasBeenManuallyStopped = true;
      await this.deps.runtime.kill(rec.ID, signal).catch((err) => {
        if (!isCode(err, 'FailedPrecondition')) throw err;
      });
      this.emit(rec, 'kill', { signal });
    });
  }

  /** stop: the stop signal, then SIGKILL after the timeout (seconds; Docker's default 10). */
  async stop(ref: string, timeout?: number, signal?: string): Promise<void> {
    const rec = this.get(ref);
    // Docker: stopping a container that waits to be restarted by its policy cancels the restart.
    if (this.cancelRestart(rec)) {
      await this.save(rec).catch(() => {});
      this.emit(rec, 'stop');
      return;
    }
    sm.checkStop(rec.State);
    rec.HasBeenManuallyStopped = true;
    const exited = this.wait(rec.ID, 'not-running');
    const t = timeout ?? rec.Config.StopTimeout ?? 10;
    await this.deps.runtime.kill(rec.ID, signal ?? rec.Config.StopSignal ?? 'SIGTERM').catch(() => {});
    const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), Math.max(0, t) * 1000).unref());
    if ((await Promise.race([exited, timer])) === 'timeout') {
      await this.deps.runtime.kill(rec.ID, 'SIGKILL').catch(() => {});
      await exited;
    }
    this.emit(rec, 'stop');
  }

  async restart(ref: string, timeout?: number): Promise<void> {
    const rec = this.get(ref);
    if (rec.State.Running) await this.stop(rec.ID, timeout);
    await this.start(rec.ID);
    this.emit(rec, 'restart');
  }

  pause(ref: string): Promise<void> { return this.admin.pause(ref); }
  unpause(ref: string): Promise<void> { return this.admin.unpause(ref); }
  rename(ref: string, newName: string): Promise<void> { return this.admin.rename(ref, newName); }
  update(ref: string, patch: Partial<HostConfig>): Promise<{ Warnings: string[] }> { return this.admin.update(ref, patch); }
  setHealth(id: string, health: NonNullable<ContainerRecord['State']['Health']>): Promise<void> { return this.admin.setHealth(id, health); }
  acquireRootfs(ref: string): Promise<{ dir: string; release: () => Promise<void> }> { return this.admin.acquireRootfs(ref); }
  top(ref: string): Promise<number[]> { return this.admin.top(ref); }
  withRecord<T>(ref: string, fn: (rec: ContainerRecord) => Promise<T>): Promise<T> { return this.admin.withRecord(ref, fn); }

  /** `volumes` (rm -v): anonymous volumes go with the container; named ones never do. */
  async remove(ref: string, opts: { force?: boolean; volumes?: boolean } = {}): Promise<void> {
    const rec = this.get(ref);
    sm.checkRemove(ref, rec.State, opts.force ?? false);
    if (this.cancelRestart(rec)) await this.save(rec).catch(() => {});
    if (rec.State.Running) {
      rec.HasBeenManuallyStopped = true;
      const exited = this.wait(rec.ID, 'not-running');
      if (rec.State.Paused) await this.deps.runtime.resume(rec.ID).catch(() => {});
      await this.deps.runtime.kill(rec.ID, 'SIGKILL').catch(() => {});
      await exited;
    }
    await this.lock.run(rec.ID, async () => {
      rec.State = sm.toRemoving(ref, rec.State);
      this.watches.get(rec.ID)?.();
      await this.deps.runtime.delete(rec.ID, true).catch(() => {});
      // An exited container's rootfs was unmounted at its exit; a failed unmount is retried here.
      if (isMountPoint(this.rootfsDir(rec.ID))) await this.deps.images.unmount(this.rootfsDir(rec.ID)).catch(() => {});
      // Independent removals on disk, side by side; the snapshot's and the record's files are
      // renamed away and deleted after the answer (sweeper).
      await Promise.all([
        rec.Snapshot ? this.deps.images.removeRootfs(rec.Snapshot.key, this.sweeper).catch(() => {}) : undefined,
        rm(this.bundleDir(rec.ID), { recursive: true, force: true }),
        rm(this.attachPath(rec.ID), { force: true }),
      ]);
      await this.deps.store.remove(rec.ID, this.sweeper);
      this.records.delete(rec.ID);
      await this.vols.remove(rec.ID, mountPointsOf(rec), opts.volumes ?? false);
      this.names.releaseId(rec.ID);
      this.hub.forget(rec.ID);
      this.emit(rec, 'destroy');
      this.notify(rec, ['removed', 'not-running', 'next-exit'], true);
    });
  }

  /** At daemon start: every container on disk, reconciled with what the kernel says. */
  async restore(): Promise<void> {
    await this.deps.network?.init();
    const { records, incomplete } = await this.deps.store.loadAll();
    for (const id of incomplete) await this.deps.store.remove(id).catch(() => {});
    for (const rec of records) {
      this.records.set(rec.ID, rec);
      this.names.reserve(rec.Name, rec.ID);
    }
    for (const rec of records) {
      if (!rec.State.Running) continue;
      if (rec.State.Restarting) { this.scheduleRestart(rec, 0); continue; }
      const status = await this.deps.runtime.status(rec.ID).catch(() => 'stopped' as const);
      if (status === 'running' || status === 'paused') {
        await this.hub.connect(rec.ID, this.attachPath(rec.ID)).catch(() => {});
        await this.deps.network?.reattach(rec).catch(() => {});
        this.watchExit(rec);
      }
      else await this.lock.run(rec.ID, () => this.handleExit(rec));
    }
  }

  /** Stops watching (the daemon is shutting down); containers keep running. */
  /** Background deletions of removed containers' files, finished. */
  idle(): Promise<void> {
    return this.sweeper.idle();
  }

  close(): void {
    for (const stop of this.watches.values()) stop();
    this.watches.clear();
    this.hub.close();
  }
}
