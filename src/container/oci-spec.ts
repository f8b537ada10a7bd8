// @pure
// A container's Docker Config + HostConfig (already merged with the image's config and given
// create-time defaults) → the OCI runtime spec, as moby's daemon/oci_linux.go createSpec does
// on top of oci/defaults.go. Everything host-dependent arrives in `facts`; the image's
// /etc/passwd and /etc/group arrive as text. The result also carries what the OCI spec cannot
// say: whether to run an init (the runtime's init op), the stop signal and timeout.
import { invalidArgument } from '../errors/errors.ts';
import type { Device, Spec, Seccomp } from '../runtime/spec/types.ts';
import type { NativeArch } from '../runtime/seccomp/index.ts';
import type { ContainerConfig, HostConfig, Ulimit } from './docker-types.ts';
import { containerEnv, entrypointAndArgs } from './spec/command.ts';
import { combineMounts, defaultMounts, fromMountSpec, fromTmpfsMap, parseBind, userMountsToOci, DEFAULT_SHM_SIZE, type UserMount } from './spec/mounts.ts';
import { planNamespaces } from './spec/namespaces.ts';
import { defaultDeviceRules, ociResources, rlimits, validateResources } from './spec/resources.ts';
import { containerCaps, containerSeccomp, parseSecurityOpt } from './spec/security.ts';
import { resolveUser } from './spec/user.ts';

/** Docker v28's masked paths (v29 adds /proc/interrupts). */
export const DOCKER_MASKED_PATHS: readonly string[] = [
  '/proc/asound', '/proc/acpi', '/proc/kcore', '/proc/keys', '/proc/latency_stats',
  '/proc/timer_list', '/proc/timer_stats', '/proc/sched_debug', '/proc/scsi', '/sys/firmware',
  '/sys/devices/virtual/powercap',
];
export const DOCKER_READONLY_PATHS: readonly string[] = ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'];

export interface SpecFacts {
  cgroupVersion: 1 | 2;
  arch: NativeArch;
  /** `uname -r`, for the seccomp profile's minKernel conditions. */
  kernel?: string;
  /** Number of CPUs, for the --cpus range check. */
  ncpu?: number;
  /** Daemon --cgroup-parent; when neither it nor HostConfig.CgroupParent is set, cgroupsPath is left to the runtime. */
  cgroupParent?: string;
  /** Host devices given to privileged containers (the caller lists /dev). */
  hostDevices?: Device[];
  netnsPath?: string;
  containerPid?: (ref: string) => number;
  /** Which of Docker's default network sysctls exist on the host. */
  sysctls?: { pingGroupRange?: boolean; unprivilegedPortStart?: boolean };
  /** The daemon runs in a user namespace (no ping_group_range then). */
  inUserNs?: boolean;
  /** The daemon's bounding capability set ("CAP_X" names): what privileged containers get. Default: every known capability. */
  hostCaps?: readonly string[];
  /** dockerd --init */
  daemonInit?: boolean;
  daemonUlimits?: Ulimit[];
  daemonNoNewPrivileges?: boolean;
}

export interface SpecInput {
  id: string;
  config: ContainerConfig;
  hostConfig: HostConfig;
  /** root.path of the spec: an absolute rootfs path, or relative to the bundle ("rootfs"). */
  rootfs: string;
  /** The image rootfs's /etc/passwd and /etc/group, when present. */
  passwd?: string;
  group?: string;
  facts: SpecFacts;
  /** Binds, volumes and --mount mounts already resolved to host paths (the container's MountPoints); else parsed from Binds/Mounts. */
  mounts?: UserMount[];
}

export interface BuiltSpec {
  spec: Spec;
  /** Run the runtime's init (tini-like) as pid 1 in front of the command. */
  init: boolean;
  stopSignal: string;
  stopTimeout?: number;
  warnings: string[];
}

export function buildSpec(input: SpecInput): BuiltSpec {
  const { config: c, hostConfig: h, facts } = input;
  const warnings: string[] = [];
  validateResources(h, facts.ncpu);
  const privileged = h.Privileged ?? false;
  const sec = parseSecurityOpt(h.SecurityOpt, facts.daemonNoNewPrivileges);
  const ns = planNamespaces(h, c.NetworkDisabled ?? false, facts);
  const { path, args } = entrypointAndArgs(c);
  const user = resolveUser(c.User ?? '', input.passwd, input.group, h.GroupAdd ?? []);
  const caps = containerCaps(privileged, h.CapAdd, h.CapDrop, facts.hostCaps);

  const userMounts: UserMount[] = [
    ...(input.mounts ?? [...(h.Binds ?? []).map(parseBind), ...(h.Mounts ?? []).map(fromMountSpec)]),
    ...fromTmpfsMap(h.Tmpfs ?? {}),
  ];
  if (ns.ipc === 'host') userMounts.push({ destination: '/dev/shm', kind: 'bind', source: '/dev/shm', writable: true, propagation: 'rprivate', nonRecursive: false, data: '' });
  const mounts = combineMounts(defaultMounts(), userMountsToOci(userMounts), {
    shmSize: h.ShmSize || DEFAULT_SHM_SIZE, ipcNone: ns.ipc === 'none', readonlyRootfs: h.ReadonlyRootfs ?? false,
    privileged, writableCgroups: sec.writableCgroups,
  });

  const sysctl: Record<string, string> = {};
  if (ns.network === 'private' || ns.network === 'none') {
    if (facts.sysctls?.pingGroupRange && !facts.inUserNs) sysctl['net.ipv4.ping_group_range'] = '0 2147483647';
    if (facts.sysctls?.unprivilegedPortStart) sysctl['net.ipv4.ip_unprivileged_port_start'] = '0';
  }
  for (const [k, v] of Object.entries(h.Sysctls ?? {})) {
    if (ns.network === 'host' && k.startsWith('net.')) throw invalidArgument(`sysctl '${k}' is not allowed in host network namespace`);
    sysctl[k] = v;
  }

  const resources = ociResources(h);
  resources.devices = privileged ? [{ allow: true, access: 'rwm' }] : defaultDeviceRules();
  if (!privileged && (h.Devices?.length || h.DeviceCgroupRules?.length)) warnings.push('--device and --device-cgroup-rule are not supported yet; ignored');

  const cgroupParent = h.CgroupParent || facts.cgroupParent;
  const seccomp = containerSeccomp(privileged, sec, caps, { arch: facts.arch, kernel: facts.kernel });
  const hideSystemPaths = privileged || sec.systemPathsUnconfined;

  const spec: Spec = {
    ociVersion: '1.2.0',
    process: {
      terminal: c.Tty ?? false,
      user: { uid: user.uid, gid: user.gid, additionalGids: user.additionalGids },
      args: [path, ...args],
      env: containerEnv(c),
      cwd: c.WorkingDir || '/',
      capabilities: { bounding: caps, effective: caps, permitted: caps },
      noNewPrivileges: sec.noNewPrivileges,
      oomScoreAdj: h.OomScoreAdj ?? 0,
    },
    root: { path: input.rootfs, readonly: h.ReadonlyRootfs ?? false },
    hostname: ns.hostUts ? undefined : c.Hostname,
    mounts,
    linux: {
      namespaces: ns.namespaces,
      devices: privileged ? [...(facts.hostDevices ?? [])] : [],
      resources,
      sysctl,
      maskedPaths: hideSystemPaths ? [] : [...(h.MaskedPaths ?? DOCKER_MASKED_PATHS)],
      readonlyPaths: hideSystemPaths ? [] : [...(h.ReadonlyPaths ?? DOCKER_READONLY_PATHS)],
    },
  };
  const rl = rlimits(h.Ulimits, facts.daemonUlimits);
  if (rl.length) spec.process!.rlimits = rl;
  if (c.Tty && h.ConsoleSize && (h.ConsoleSize[0] || h.ConsoleSize[1])) spec.process!.consoleSize = { height: h.ConsoleSize[0], width: h.ConsoleSize[1] };
  if (!ns.hostUts && c.Domainname) spec.domainname = c.Domainname;
  if (cgroupParent) spec.linux!.cgroupsPath = `${cgroupParent.replace(/\/+$/, '')}/${input.id}`;
  if (seccomp) spec.linux!.seccomp = seccomp as unknown as Seccomp;
  if (h.Annotations && Object.keys(h.Annotations).length) spec.annotations = { ...h.Annotations };
  if (mounts.some((m) => m.type === 'bind' && m.options?.some((o) => o === 'shared' || o === 'rshared'))) spec.linux!.rootfsPropagation = 'shared';
  else if (mounts.some((m) => m.type === 'bind' && m.options?.some((o) => o === 'slave' || o === 'rslave'))) spec.linux!.rootfsPropagation = 'rslave';

  const init = ns.pidPrivate && (h.Init ?? facts.daemonInit ?? false);
  return { spec, init, stopSignal: c.StopSignal || 'SIGTERM', stopTimeout: c.StopTimeout, warnings };
}
