// What the container service needs from the rest of berth, owned here (the consumer). The
// composition root (daemon/wire.ts) hands in the image store, the runtime and the event bus.
import type { HostConfig, ImageConfig } from '../docker-types.ts';
import type { ContainerRecord } from '../model.ts';
import type { NetworkSettings, NetworkingConfig } from '../network-settings.ts';
import type { RootfsMount } from '../model.ts';
import type { Spec } from '../../runtime/spec/types.ts';
import type { Sweeper } from '../../sys/sweeper.ts';

export interface ResolvedImage {
  id: string;                 // "sha256:…" (the config digest)
  config: ImageConfig;
}

export interface ImagePort {
  /** A local image by reference or id; NotFound "No such image: <ref>" when absent. */
  resolve(ref: string): Promise<ResolvedImage>;
  /** A writable layer on the image for the container; the mounts that assemble its rootfs. */
  prepareRootfs(key: string, imageId: string): Promise<RootfsMount[]>;
  /** With `sweeper`: gone on return, its files deleted in the background. */
  removeRootfs(key: string, sweeper?: Sweeper): Promise<void>;
  mount(mounts: RootfsMount[], target: string): Promise<void>;
  unmount(target: string): Promise<void>;
}

export interface MonitorIo { logPath: string; maxSize: number; maxFiles: number; attachPath: string; tty: boolean; openStdin: boolean }

/** The slice of src/runtime/runtime.ts the service uses (the Runtime class has this shape). */
export interface RuntimePort {
  create(req: { id: string; bundle: string; spec?: unknown; init?: boolean; stdio?: ('ignore' | number)[]; io?: MonitorIo; onSetup?: (pid: number) => Promise<void> }): Promise<{ state: { pid: number } }>;
  start(id: string): Promise<void>;
  kill(id: string, signal?: string, all?: boolean): Promise<void>;
  delete(id: string, force?: boolean): Promise<void>;
  pause(id: string): Promise<void>;
  resume(id: string): Promise<void>;
  ps(id: string): Promise<number[]>;
  status(id: string): Promise<'creating' | 'created' | 'running' | 'paused' | 'stopped'>;
  oomKilled(id: string): Promise<boolean>;
  update(id: string, resources: Spec['linux'] extends infer L ? (L extends { resources?: infer R } ? NonNullable<R> : never) : never): Promise<void>;
  exec(req: {
    id: string; process: { args: string[]; terminal?: boolean; cwd?: string; user?: { uid: number; gid: number; additionalGids?: number[] } };
    extraEnv?: string[]; addCaps?: string[]; io?: MonitorIo; gateFifo?: string; exitFile?: string; stdio?: ('ignore' | number)[];
  }): Promise<{ pid: number }>;
  readonly ctx: { store: { exitFile(id: string): string; dir(id: string): string; exit(id: string): Promise<{ exitCode: number } | undefined> } };
}

export interface ContainerEvent { Type: 'container'; Action: string; Actor: { ID: string; Attributes: Record<string, string> } }

export interface EventSink { publish(e: ContainerEvent): void }

/** Host facts the spec builder needs, gathered once by the composition root. */
export interface HostFacts { cgroupVersion: 1 | 2; arch: 'x86_64' | 'aarch64'; kernel: string; ncpu: number; hostCaps: string[]; cgroupParent?: string; hostDevices?: import('../../runtime/spec/types.ts').Device[] }

export type SpecHook = (spec: Spec, id: string) => void;

/** What the container service needs from the volume service. */
export interface VolumePort {
  /** The named volume (created when missing; anonymous when `name` is empty), referenced by the container. */
  acquire(name: string, containerId: string, opts?: { labels?: Record<string, string>; driverOpts?: Record<string, string>; driver?: string }): Promise<{ name: string; driver: string; mountpoint: string; created: boolean }>;
  /** Drops the container's reference; `remove` also removes the volume when no one else refers to it. */
  release(name: string, containerId: string, remove?: boolean): Promise<void>;
  /** The host path to bind for a starting container (mounting a volume with driver options). */
  mount(name: string, containerId: string): Promise<string>;
  unmount(name: string, containerId: string): Promise<void>;
}

/** What the network layer does for a container (implemented by daemon/network-attach.ts). */
export interface NetworkSetup {
  /** A prepared network namespace to join. */
  netnsPath?: string;
  /** Run at the runtime's setup sync point with the new container's pid (its own netns is made then). */
  onSetup?: (pid: number) => Promise<void>;
  /** Awaited before the runtime starts the container's process: set-up begun by onSetup that may finish later. */
  beforeStart?: () => Promise<void>;
  /** Files bind-mounted over the container's /etc/hosts, /etc/hostname, /etc/resolv.conf. */
  files: { dest: string; source: string }[];
}

export interface NetworkPort {
  /** At create: checks NetworkMode and the NetworkingConfig; returns the record's initial NetworkSettings. */
  prepareCreate(id: string, hc: HostConfig, nc: NetworkingConfig | undefined): Promise<NetworkSettings>;
  /** Before the runtime create: netns, endpoints, published ports, /etc files; nothing is left when it fails. */
  setup(rec: ContainerRecord): Promise<NetworkSetup>;
  /** After exit or a failed start: ports, endpoints and the netns go. Never throws. */
  teardown(rec: ContainerRecord): Promise<void>;
  /** Daemon start: berth's firewall table and the networks, before containers are restored. */
  init(): Promise<void>;
  /** Daemon start: a container still running gets its endpoints and published ports back. */
  reattach(rec: ContainerRecord): Promise<void>;
}
