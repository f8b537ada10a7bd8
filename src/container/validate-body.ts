// @pure
// The create body as Docker's JSON decoding sees it: a value of the wrong type is a 400 with Go's
// message ("json: cannot unmarshal string into Go struct field HostConfig.Memory of type int64"),
// and strslice fields (Cmd, Entrypoint) accept a single string.
import { invalidArgument } from '../errors/errors.ts';

type Kind = 's' | 'b' | 'i' | 'o' | 'as' | 'ao' | 'ai' | 'ms' | 'strslice';
const GO: Record<Kind, string> = { s: 'string', b: 'bool', i: 'int64', o: 'struct', as: '[]string', ao: '[]struct', ai: '[]int', ms: 'map[string]string', strslice: 'strslice.StrSlice' };

const CONFIG: Record<string, Kind> = {
  Hostname: 's', Domainname: 's', User: 's', AttachStdin: 'b', AttachStdout: 'b', AttachStderr: 'b', ExposedPorts: 'o', Tty: 'b',
  OpenStdin: 'b', StdinOnce: 'b', Env: 'as', Cmd: 'strslice', Healthcheck: 'o', ArgsEscaped: 'b', Image: 's', Volumes: 'o',
  WorkingDir: 's', Entrypoint: 'strslice', NetworkDisabled: 'b', MacAddress: 's', OnBuild: 'as', Labels: 'ms', StopSignal: 's',
  StopTimeout: 'i', Shell: 'as',
};

const HOST: Record<string, Kind> = {
  Binds: 'as', ContainerIDFile: 's', LogConfig: 'o', NetworkMode: 's', PortBindings: 'o', RestartPolicy: 'o', AutoRemove: 'b',
  VolumeDriver: 's', VolumesFrom: 'as', Mounts: 'ao', CapAdd: 'as', CapDrop: 'as', CgroupnsMode: 's', Dns: 'as', DnsOptions: 'as',
  DnsSearch: 'as', ExtraHosts: 'as', GroupAdd: 'as', IpcMode: 's', Cgroup: 's', Links: 'as', OomScoreAdj: 'i', PidMode: 's',
  Privileged: 'b', PublishAllPorts: 'b', ReadonlyRootfs: 'b', SecurityOpt: 'as', StorageOpt: 'ms', Tmpfs: 'ms', UTSMode: 's',
  UsernsMode: 's', ShmSize: 'i', Sysctls: 'ms', Runtime: 's', Isolation: 's', CpuShares: 'i', Memory: 'i', NanoCpus: 'i',
  CgroupParent: 's', BlkioWeight: 'i', CpuPeriod: 'i', CpuQuota: 'i', CpuRealtimePeriod: 'i', CpuRealtimeRuntime: 'i',
  CpusetCpus: 's', CpusetMems: 's', Devices: 'ao', DeviceCgroupRules: 'as', MemoryReservation: 'i', MemorySwap: 'i',
  MemorySwappiness: 'i', OomKillDisable: 'b', PidsLimit: 'i', Ulimits: 'ao', Init: 'b', ConsoleSize: 'ai', MaskedPaths: 'as',
  ReadonlyPaths: 'as', KernelMemory: 'i', KernelMemoryTCP: 'i', CpuCount: 'i', CpuPercent: 'i', IOMaximumIOps: 'i', IOMaximumBandwidth: 'i',
};

function jsonType(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  return typeof v === 'object' ? 'object' : typeof v;
}

function fits(kind: Kind, v: unknown): boolean {
  if (v === null || v === undefined) return true; // JSON null leaves Go's zero value
  switch (kind) {
    case 's': return typeof v === 'string';
    case 'b': return typeof v === 'boolean';
    case 'i': return typeof v === 'number' && Number.isInteger(v);
    case 'o': return typeof v === 'object' && !Array.isArray(v);
    case 'as': return Array.isArray(v) && v.every((x) => typeof x === 'string');
    case 'ao': return Array.isArray(v) && v.every((x) => x !== null && typeof x === 'object' && !Array.isArray(x));
    case 'ai': return Array.isArray(v) && v.every((x) => typeof x === 'number');
    case 'ms': return typeof v === 'object' && !Array.isArray(v) && Object.values(v as object).every((x) => typeof x === 'string');
    case 'strslice': return typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string'));
  }
}

function check(obj: Record<string, unknown>, table: Record<string, Kind>, where: string): void {
  for (const [k, v] of Object.entries(obj)) {
    const kind = table[k];
    if (kind && !fits(kind, v)) throw invalidArgument(`json: cannot unmarshal ${jsonType(v)} into Go struct field ${where}.${k} of type ${GO[kind]}`);
  }
}

/** Checks a create body's types and returns it with strslice fields as arrays. */
export function validateCreateBody<T extends Record<string, unknown>>(body: unknown): T {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw invalidArgument(`json: cannot unmarshal ${jsonType(body)} into Go value of type container.CreateRequest`);
  const b = { ...(body as Record<string, unknown>) };
  check(b, CONFIG, 'Config');
  if (b.HostConfig !== undefined && b.HostConfig !== null) {
    if (!fits('o', b.HostConfig)) throw invalidArgument(`json: cannot unmarshal ${jsonType(b.HostConfig)} into Go struct field CreateRequest.HostConfig of type container.HostConfig`);
    check(b.HostConfig as Record<string, unknown>, HOST, 'HostConfig');
  }
  for (const k of ['Cmd', 'Entrypoint']) if (typeof b[k] === 'string') b[k] = [b[k]];
  return b as T;
}
