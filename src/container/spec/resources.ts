// @pure
// HostConfig resources → OCI linux.resources (moby daemon/oci_linux.go WithResources,
// getMemoryResources, getCPUResources, getPidsLimit), the create-time checks Docker makes
// (daemon_unix.go verifyPlatformContainerResources, a subset) and ulimits → rlimits.
import { invalidArgument } from '../../errors/errors.ts';
import type { Resources as OciResources } from '../../runtime/spec/types.ts';
import type { HostConfig, Ulimit } from '../docker-types.ts';

const MIN_MEMORY = 6 * 1024 * 1024;

/** Docker's default cgroup device rules: deny all; allow null, zero, full, random, urandom, tty, console; deny fuse (10:229). */
export function defaultDeviceRules(): NonNullable<OciResources['devices']> {
  const allow = (major: number, minor: number) => ({ allow: true, type: 'c', major, minor, access: 'rwm' });
  return [
    { allow: false, access: 'rwm' },
    allow(1, 5), allow(1, 3), allow(1, 9), allow(1, 8), allow(5, 0), allow(5, 1),
    { allow: false, type: 'c', major: 10, minor: 229, access: 'rwm' },
  ];
}

export function validateResources(h: HostConfig, ncpu?: number): void {
  const mem = h.Memory ?? 0, swap = h.MemorySwap ?? 0, res = h.MemoryReservation ?? 0;
  if (mem !== 0 && mem < MIN_MEMORY) throw invalidArgument('Minimum memory limit allowed is 6MB');
  if (mem > 0 && swap > 0 && swap < mem) throw invalidArgument('Minimum memoryswap limit should be larger than memory limit, see usage');
  if (res !== 0 && res < MIN_MEMORY) throw invalidArgument('Minimum memory reservation allowed is 6MB');
  if (mem > 0 && res > 0 && mem < res) throw invalidArgument('Minimum memory limit can not be less than memory reservation limit, see usage');
  if (h.MemorySwappiness != null && h.MemorySwappiness !== -1 && (h.MemorySwappiness < 0 || h.MemorySwappiness > 100)) {
    throw invalidArgument(`Invalid value: ${h.MemorySwappiness}, valid memory swappiness range is 0-100`);
  }
  const nano = h.NanoCpus ?? 0;
  if (nano > 0 && (h.CpuPeriod ?? 0) > 0) throw invalidArgument('Conflicting options: Nano CPUs and CPU Period cannot both be set');
  if (nano > 0 && (h.CpuQuota ?? 0) > 0) throw invalidArgument('Conflicting options: Nano CPUs and CPU Quota cannot both be set');
  if (nano < 0 || (ncpu !== undefined && nano > ncpu * 1e9)) {
    const n = ncpu ?? 1;
    throw invalidArgument(`Range of CPUs is from 0.01 to ${n}.00, as there are only ${n} CPUs available`);
  }
  const period = h.CpuPeriod ?? 0;
  if (period !== 0 && (period < 1000 || period > 1000000)) throw invalidArgument('CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)');
  const quota = h.CpuQuota ?? 0;
  if (quota > 0 && quota < 1000) throw invalidArgument('CPU cfs quota can not be less than 1ms (i.e. 1000)');
  if ((h.CpuShares ?? 0) < 0) throw invalidArgument('shares: invalid argument');
  const w = h.BlkioWeight ?? 0;
  if (w > 0 && (w < 10 || w > 1000)) throw invalidArgument('Range of blkio weight is from 10 to 1000');
  const oom = h.OomScoreAdj ?? 0;
  if (oom < -1000 || oom > 1000) throw invalidArgument(`Invalid value ${oom}, range for oom score adj is [-1000, 1000]`);
  if (h.ShmSize !== undefined && h.ShmSize < 0) throw invalidArgument('SHM size can not be less than 0');
}

export function ociResources(h: HostConfig): OciResources {
  const r: OciResources = {};
  const memory: NonNullable<OciResources['memory']> = {};
  if ((h.Memory ?? 0) > 0) memory.limit = h.Memory;
  if ((h.MemoryReservation ?? 0) > 0) memory.reservation = h.MemoryReservation;
  if ((h.MemorySwap ?? 0) > 0 || h.MemorySwap === -1) memory.swap = h.MemorySwap;
  if (h.MemorySwappiness != null && h.MemorySwappiness >= 0) memory.swappiness = h.MemorySwappiness;
  if (h.OomKillDisable != null) memory.disableOOMKiller = h.OomKillDisable;
  if (Object.keys(memory).length) r.memory = memory;

  const cpu: NonNullable<OciResources['cpu']> = {};
  if ((h.CpuShares ?? 0) > 0) cpu.shares = h.CpuShares;
  if (h.CpusetCpus) cpu.cpus = h.CpusetCpus;
  if (h.CpusetMems) cpu.mems = h.CpusetMems;
  if ((h.NanoCpus ?? 0) > 0) {
    cpu.period = 100000;
    cpu.quota = Math.floor((h.NanoCpus! * 100000) / 1e9);
  }
  if (h.CpuPeriod) cpu.period = h.CpuPeriod;
  if (h.CpuQuota) cpu.quota = h.CpuQuota;
  if (h.CpuRealtimePeriod) cpu.realtimePeriod = h.CpuRealtimePeriod;
  if (h.CpuRealtimeRuntime) cpu.realtimeRuntime = h.CpuRealtimeRuntime;
  if (Object.keys(cpu).length) r.cpu = cpu;

  // Docker's API takes 0 as "unset"; runc wants -1 for unlimited.
  if (h.PidsLimit != null) r.pids = { limit: h.PidsLimit === 0 ? -1 : h.PidsLimit };
  // Docker always writes blockIO.weight (0 = unset); berth leaves it out when unset.
  if ((h.BlkioWeight ?? 0) > 0) r.blockIO = { weight: h.BlkioWeight };
  return r;
}

/** Daemon default ulimits merged under the container's, as "RLIMIT_<NAME>". */
export function rlimits(ulimits: readonly Ulimit[] | null | undefined, daemonDefaults: readonly Ulimit[] = []): { type: string; soft: number; hard: number }[] {
  const byName = new Map<string, Ulimit>();
  for (const u of daemonDefaults) byName.set(u.Name, u);
  for (const u of ulimits ?? []) byName.set(u.Name, u);
  return [...byName.values()].map((u) => {
    if (u.Soft > u.Hard && u.Hard !== -1) throw invalidArgument(`ulimit soft limit must be less than or equal to hard limit: ${u.Soft} > ${u.Hard}`);
    return { type: `RLIMIT_${u.Name.toUpperCase()}`, soft: u.Soft, hard: u.Hard };
  });
}
