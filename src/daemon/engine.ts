// The engine's parts, built once: image service, runtime, container service, wired through the
// ports the container service owns. The composition root for everything the routes serve.
import { cpus, release } from 'node:os';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ImageService, type ImageServiceOptions } from '../image/service.ts';
import type { Mount } from '../image/snapshot/mount.ts';
import { OpServer } from '../native/op-server.ts';
import { helperMounter } from './helper-mounts.ts';
import { sweepTmpfsClones, tmpfsCloner, type TmpfsCloner } from './mount-clones.ts';
import { Runtime } from '../runtime/runtime.ts';
import { helperPath } from '../native/helper-path.ts';
import { hostDevices } from './host-devices.ts';
import { capNames, parseCapHex } from '../runtime/caps/index.ts';
import { ContainerStore } from '../container/store.ts';
import { ContainerService } from '../container/service/container-service.ts';
import { ExecService } from '../container/service/exec-service.ts';
import { HealthRunner } from '../container/service/health-runner.ts';
import type { EventSink, HostFacts, ImagePort, RuntimePort, VolumePort } from '../container/service/ports.ts';
import { mountPointsOf } from '../container/service/volume-mounts.ts';
import { VolumeService } from '../volume/volume-service.ts';
import type { ImageConfig } from '../container/docker-types.ts';
import { NetworkService } from './network-service.ts';
import { NetworkAttach } from './network-attach.ts';

export interface EngineOptions {
  dataRoot: string;
  execRoot: string;
  events: EventSink;
  cgroupParents?: Record<string, string>;
  /** The image service's registry client, or the function making it when first needed. */
  registryClient?: ImageServiceOptions['client'];
  /** daemon.json directives (bip, default-address-pools, ip-forward, mtu, dns…). */
  extra?: Record<string, unknown>;
  /** Where BERTH_LINK_PREFIX / BERTH_NFT_TABLE / BERTH_IP_FORWARD are read (default: process.env);
   *  in-process test engines pass their own names so they never touch berth0 or table berth. */
  env?: NodeJS.ProcessEnv;
  warn?: (msg: string) => void;
}

export interface Engine {
  images: ImageService; runtime: Runtime; containers: ContainerService; execs: ExecService; health: HealthRunner; volumes: VolumeService; network: NetworkAttach;
  /** A running container's tmpfs mount, cloned into the daemon's namespace for a docker cp into it. */
  cloneTmpfs: TmpfsCloner;
  close(): Promise<void>;
}

export function imagePort(images: ImageService, ops: OpServer): ImagePort {
  const mounter = helperMounter(ops);
  return {
    async resolve(ref) {
      const id = images.resolve(ref);
      const cfg = (await images.config(id)) as { config?: ImageConfig };
      return { id, config: cfg.config ?? {} };
    },
    prepareRootfs: (key, id) => images.prepareRootfs(key, id),
    removeRootfs: (key, sweeper) => images.parts.snapshots.remove(key, sweeper),
    mount: (mounts, target) => mounter.mount(mounts as Mount[], target),
    unmount: (target) => mounter.unmount(target),
  };
}

export function volumePort(volumes: VolumeService): VolumePort {
  return {
    async acquire(name, containerId, o) {
      const v = await volumes.create({ Name: name, Driver: o?.driver, DriverOpts: o?.driverOpts, Labels: o?.labels }, containerId);
      return { name: v.Name, driver: v.Driver, mountpoint: v.Mountpoint, created: v.created };
    },
    async release(name, containerId, remove) {
      volumes.unref(name, containerId);
      if (remove) await volumes.remove(name);
    },
    mount: (name, containerId) => volumes.mount(name, containerId),
    unmount: (name, containerId) => volumes.unmount(name, containerId),
  };
}

export function hostFacts(runtime: Runtime): HostFacts {
  const bnd = /^CapBnd:\s*([0-9a-f]+)$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? '0';
  let devices: HostFacts['hostDevices'];
  return {
    cgroupVersion: runtime.ctx.cgroupLayout?.mode === 'v2' ? 2 : 1,
    arch: process.arch === 'arm64' ? 'aarch64' : 'x86_64',
    kernel: release(),
    ncpu: cpus().length,
    hostCaps: capNames(parseCapHex(bnd)),
    // Walked when a container first needs it (privileged): the walk over /dev at start-up made
    // V8 optimise fs internals while idle (~2 MiB of compiler pages in RSS).
    get hostDevices() { return (devices ??= hostDevices()); },
  };
}

export function createEngine(opts: EngineOptions): Engine {
  const ops = new OpServer(helperPath(), opts.execRoot);
  void sweepTmpfsClones(ops, opts.execRoot).catch((e: unknown) => opts.warn?.(`docker cp tmpfs clones left by a crash: ${(e as Error).message}`));
  const runtime = new Runtime({ root: join(opts.execRoot, 'runtime'), helperPath: helperPath(), cgroupParents: opts.cgroupParents, warn: opts.warn, spawner: ops });
  let containers: ContainerService | undefined;
  const images = new ImageService({
    root: join(opts.dataRoot, 'image'), client: opts.registryClient,
    inUse: (id) => [...(containers?.records.values() ?? [])].some((r) => r.Image === id),
  });
  let health: HealthRunner | undefined;
  // Health probes follow the container's life: watched from `start`, dropped at `die`.
  const events: EventSink = {
    publish(e) {
      opts.events.publish(e);
      if (e.Action === 'start') health?.watch(e.Actor.ID);
      else if (e.Action === 'die' || e.Action === 'destroy') health?.unwatch(e.Actor.ID);
    },
  };
  const volumes = new VolumeService({
    root: join(opts.dataRoot, 'volumes'),
    users: (name) => [...(containers?.records.values() ?? [])].filter((r) => mountPointsOf(r).some((m) => m.Type === 'volume' && m.Name === name)).map((r) => r.ID),
    publish: (e) => (opts.events as unknown as { publish(e: unknown): void }).publish(e),
  });
  const store = new ContainerStore(opts.dataRoot);
  const network = new NetworkAttach({
    service: new NetworkService({ dataRoot: opts.dataRoot, extra: opts.extra ?? {}, env: opts.env ?? process.env, warn: opts.warn }),
    execRoot: opts.execRoot, containerDir: (id) => store.dir(id), lookup: (ref) => containers!.get(ref), warn: opts.warn,
    dns: { servers: opts.extra?.dns as string[] | undefined, search: opts.extra?.['dns-search'] as string[] | undefined, options: opts.extra?.['dns-opts'] as string[] | undefined },
  });
  containers = new ContainerService({
    store, runtime: runtime as unknown as RuntimePort, images: imagePort(images, ops),
    events, execRoot: opts.execRoot, facts: hostFacts(runtime), volumes: volumePort(volumes), network,
  });
  const execs = new ExecService(containers, runtime as unknown as RuntimePort, opts.execRoot);
  health = new HealthRunner(containers, execs, opts.events);
  return {
    images, runtime, containers, execs, health, volumes, network, cloneTmpfs: tmpfsCloner(ops, opts.execRoot),
    async close() {
      await containers.idle(); // removed containers' files deleted
      health?.close(); containers.close(); images.close(); volumes.close(); ops.close();
      await network.service.shutdown([...containers.records.values()].some((r) => r.State.Running)).catch((e) => opts.warn?.(`network shutdown: ${(e as Error).message}`));
    },
  };
}
