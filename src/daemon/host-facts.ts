// Facts about the host for /info and /version: CPUs, memory, kernel, distribution, cgroups.
import { existsSync, readdirSync, readFileSync, statfsSync } from 'node:fs';
import { arch, availableParallelism, hostname, release, totalmem } from 'node:os';

export interface HostFacts {
  ncpu: number;
  memTotal: number;
  kernelVersion: string;
  operatingSystem: string;
  osVersion: string;
  /** uname -m: x86_64, aarch64 (Docker's Architecture). */
  machine: string;
  /** GOARCH-style: amd64, arm64 (Docker's Arch in /version). */
  goArch: string;
  hostname: string;
  cgroupVersion: '1' | '2';
  memoryLimit: boolean;
  swapLimit: boolean;
  pidsLimit: boolean;
  cpuCfs: boolean;
  cpuShares: boolean;
  cpuSet: boolean;
  ipv4Forwarding: boolean;
}

const MACHINE: Record<string, string> = { x64: 'x86_64', arm64: 'aarch64', arm: 'armv7l', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' };
const GOARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64', ia32: '386' };

function read(path: string): string {
  try { return readFileSync(path, 'utf8'); } catch { return ''; }
}

export function osRelease(text: string): { pretty: string; versionId: string } {
  const kv = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (m) kv.set(m[1], m[2].replace(/^"(.*)"$/, '$1').replace(/^'(.*)'$/, '$1'));
  }
  return { pretty: kv.get('PRETTY_NAME') ?? kv.get('NAME') ?? 'Linux', versionId: kv.get('VERSION_ID') ?? '' };
}

export function gatherHostFacts(cgroupRoot = '/sys/fs/cgroup'): HostFacts {
  const os = osRelease(read('/etc/os-release') || read('/usr/lib/os-release'));
  const v2 = existsSync(`${cgroupRoot}/cgroup.controllers`);
  const controllers = v2 ? read(`${cgroupRoot}/cgroup.controllers`).trim().split(/\s+/) : safeList(cgroupRoot);
  const hasCtl = (c: string) => controllers.includes(c);
  return {
    ncpu: availableParallelism(),
    memTotal: totalmem(),
    kernelVersion: release(),
    operatingSystem: os.pretty,
    osVersion: os.versionId,
    machine: MACHINE[arch()] ?? arch(),
    goArch: GOARCH[arch()] ?? arch(),
    hostname: hostname(),
    cgroupVersion: v2 ? '2' : '1',
    memoryLimit: hasCtl('memory'),
    swapLimit: v2 ? hasCtl('memory') : existsSync(`${cgroupRoot}/memory/memory.memsw.limit_in_bytes`),
    pidsLimit: hasCtl('pids'),
    cpuCfs: hasCtl('cpu'),
    cpuShares: hasCtl('cpu'),
    cpuSet: hasCtl('cpuset'),
    ipv4Forwarding: read('/proc/sys/net/ipv4/ip_forward').trim() === '1',
  };
}

function safeList(dir: string): string[] {
  try { return readdirSync(dir).flatMap((n) => n.split(',')); } catch { return []; }
}

export function openFdCount(): number {
  try { return readdirSync('/proc/self/fd').length; } catch { return 0; }
}

const FS_MAGIC: Record<number, string> = {
  0xef53: 'extfs', 0x58465342: 'xfs', 0x9123683e: 'btrfs', 0x01021994: 'tmpfs', 0x794c7630: 'overlayfs',
  0x2fc12fc1: 'zfs', 0xf2f52010: 'f2fs', 0x6969: 'nfs',
};

/** Docker's "Backing Filesystem" of the data root. */
export function backingFilesystem(path: string): string {
  try {
    const t = Number(statfsSync(path).type);
    return FS_MAGIC[t >>> 0] ?? `<unknown (0x${(t >>> 0).toString(16)})>`;
  } catch { return '<unknown>'; }
}
