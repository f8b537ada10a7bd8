// @pure
// docker update: which HostConfig fields it may change and how the new values merge (as moby's
// container.UpdateHostConfig and the daemon's checks do).
import type { HostConfig } from './docker-types.ts';
import { invalidArgument } from '../errors/errors.ts';

const UPDATABLE = ['Memory', 'MemorySwap', 'MemoryReservation', 'CpuShares', 'CpuQuota', 'CpuPeriod', 'NanoCpus', 'CpusetCpus', 'CpusetMems', 'PidsLimit', 'BlkioWeight', 'CpuRealtimePeriod', 'CpuRealtimeRuntime'] as const;

/** The HostConfig after the update; unset (0/empty) fields keep their value. */
export function mergeUpdate(cur: HostConfig, patch: Partial<HostConfig>): HostConfig {
  const next: HostConfig = { ...cur };
  for (const k of UPDATABLE) {
    const v = patch[k];
    if (v !== undefined && v !== null && v !== 0 && v !== '') (next as Record<string, unknown>)[k] = v;
  }
  // A new memory limit above the old swap limit drags swap along (Docker: twice the memory).
  if (patch.Memory && !patch.MemorySwap && (cur.MemorySwap ?? 0) > 0 && cur.MemorySwap! < patch.Memory) next.MemorySwap = patch.Memory * 2;
  const rp = patch.RestartPolicy;
  if (rp?.Name !== undefined) {
    if (rp.Name && rp.Name !== 'no' && cur.AutoRemove) throw invalidArgument('Restart policy cannot be updated because AutoRemove is enabled for the container');
    next.RestartPolicy = rp;
  }
  return next;
}
