// The system endpoints: /_ping (GET, HEAD), /version, /info, /events. /system/df stays unrouted
// until images exist (Docker's 404), so nobody depends on made-up numbers.
import { MAX_API_VERSION, MIN_API_VERSION } from '../../api/version.ts';
import type { SystemInfo, VersionResponse } from '../../api/system-types.ts';
import { invalidArgument } from '../../errors/errors.ts';
import { eventMatches, parseEventTime } from '../event-filter.ts';
import type { EventBus } from '../events.ts';
import { backingFilesystem, openFdCount, type HostFacts } from '../host-facts.ts';
import { Reply } from '../reply.ts';
import type { Router } from '../router.ts';
import type { SystemBackend } from '../system-backend.ts';
import { isoTime } from '../../sys/iso-time.ts';

export interface SystemRouteDeps {
  events: EventBus;
  backend: SystemBackend;
  host: HostFacts;
  /** berth's version and build. */
  version: string;
  gitCommit: string;
  buildTime: string;
  engineId: string;
  dataRoot: string;
  debug: boolean;
  labels: string[];
  /** Runtime name → path of the OCI runtime berth drives. */
  runtimes: Record<string, { path: string }>;
  defaultRuntime: string;
  maxApiVersion?: string;
}

const PING_HEADERS = { 'Cache-Control': 'no-cache, no-store, must-revalidate', Pragma: 'no-cache', 'Builder-Version': '1', Swarm: 'inactive' };

export function versionResponse(d: SystemRouteDeps): VersionResponse {
  const api = d.maxApiVersion ?? MAX_API_VERSION;
  const nodeVersion = `node ${process.version}`;
  return {
    Platform: { Name: 'berth' },
    Components: [{
      Name: 'Engine', Version: d.version,
      Details: {
        ApiVersion: api, Arch: d.host.goArch, BuildTime: d.buildTime, Experimental: 'false', GitCommit: d.gitCommit,
        GoVersion: nodeVersion, KernelVersion: d.host.kernelVersion, MinAPIVersion: MIN_API_VERSION, Os: 'linux',
      },
    }],
    Version: d.version, ApiVersion: api, MinAPIVersion: MIN_API_VERSION, GitCommit: d.gitCommit, GoVersion: nodeVersion,
    Os: 'linux', Arch: d.host.goArch, KernelVersion: d.host.kernelVersion, BuildTime: d.buildTime,
  };
}

export async function infoResponse(d: SystemRouteDeps): Promise<SystemInfo> {
  const c = await d.backend.counts();
  const h = d.host;
  const warnings = [...(d.backend.warnings?.() ?? [])];
  if (!h.swapLimit) warnings.push('WARNING: No swap limit support');
  const none = { ID: '' };
  return {
    ID: d.engineId,
    Containers: c.containers, ContainersRunning: c.running, ContainersPaused: c.paused, ContainersStopped: c.stopped,
    Images: c.images,
    Driver: 'overlay2', DriverStatus: [['Backing Filesystem', backingFilesystem(d.dataRoot)], ['Supports d_type', 'true'], ['Using metacopy', 'false'], ['Native Overlay Diff', 'true'], ['userxattr', 'false']],
    DockerRootDir: d.dataRoot,
    Plugins: { Volume: ['local'], Network: ['bridge', 'host', 'none'], Authorization: null, Log: ['json-file', 'local'] },
    MemoryLimit: h.memoryLimit, SwapLimit: h.swapLimit, KernelMemoryTCP: false,
    CpuCfsPeriod: h.cpuCfs, CpuCfsQuota: h.cpuCfs, CPUShares: h.cpuShares, CPUSet: h.cpuSet, PidsLimit: h.pidsLimit,
    IPv4Forwarding: h.ipv4Forwarding, BridgeNfIptables: false, BridgeNfIp6tables: false,
    OomKillDisable: h.cgroupVersion === '1', Debug: d.debug,
    NFd: openFdCount(), NGoroutines: process.getActiveResourcesInfo().length, SystemTime: isoTime(),
    LoggingDriver: 'json-file', CgroupDriver: 'cgroupfs', CgroupVersion: h.cgroupVersion,
    NEventsListener: d.events.listenerCount,
    KernelVersion: h.kernelVersion, OperatingSystem: h.operatingSystem, OSVersion: h.osVersion, OSType: 'linux', Architecture: h.machine,
    IndexServerAddress: 'https://index.docker.io/v1/',
    RegistryConfig: {
      InsecureRegistryCIDRs: ['::1/128', '127.0.0.0/8'],
      IndexConfigs: { 'docker.io': { Name: 'docker.io', Mirrors: [], Secure: true, Official: true } },
      Mirrors: [],
    },
    NCPU: h.ncpu, MemTotal: h.memTotal, GenericResources: null,
    HttpProxy: process.env.HTTP_PROXY ?? process.env.http_proxy ?? '',
    HttpsProxy: process.env.HTTPS_PROXY ?? process.env.https_proxy ?? '',
    NoProxy: process.env.NO_PROXY ?? process.env.no_proxy ?? '',
    Name: h.hostname, Labels: d.labels, ExperimentalBuild: false, ServerVersion: d.version,
    Runtimes: d.runtimes, DefaultRuntime: d.defaultRuntime,
    Swarm: { NodeID: '', NodeAddr: '', LocalNodeState: 'inactive', ControlAvailable: false, Error: '', RemoteManagers: null },
    LiveRestoreEnabled: true, Isolation: '', InitBinary: 'berth-init',
    ContainerdCommit: none, RuncCommit: none, InitCommit: none,
    SecurityOptions: ['name=seccomp,profile=builtin', ...(h.cgroupVersion === '2' ? ['name=cgroupns'] : [])],
    CDISpecDirs: [],
    Warnings: warnings.length ? warnings : null,
  };
}

function timeParam(name: string, v: string | undefined): bigint | undefined {
  try {
    return parseEventTime(v);
  } catch {
    throw invalidArgument(`invalid value for ${name}: ${JSON.stringify(v)}`);
  }
}

export function registerSystemRoutes(router: Router, d: SystemRouteDeps): void {
  router.addEndpoint('SystemPing', () => Reply.bytes('OK', 'text/plain; charset=utf-8', 200, PING_HEADERS));
  router.addEndpoint('SystemPingHead', () => Reply.bytes('', 'text/plain; charset=utf-8', 200, PING_HEADERS));
  router.addEndpoint('SystemVersion', () => versionResponse(d));
  router.addEndpoint('SystemInfo', () => infoResponse(d));
  router.addEndpoint('SystemEvents', (ctx) => {
    const sinceRaw = ctx.query.string('since');
    const untilRaw = ctx.query.string('until');
    const since = timeParam('since', sinceRaw);
    const until = timeParam('until', untilRaw);
    if (until !== undefined && since !== undefined && until < since) {
      throw invalidArgument(`\`since\` time (${sinceRaw}) cannot be after \`until\` time (${untilRaw})`);
    }
    const filters = ctx.query.filters();
    const items = d.events.subscribe({ since, until, filter: (ev) => eventMatches(filters, ev), signal: ctx.signal });
    return Reply.jsonStream(items, 'application/json');
  });
}
