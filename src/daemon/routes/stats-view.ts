// @pure
// cgroup readings → Docker's stats JSON (types.StatsJSON), as `docker stats` reads it: the CLI
// computes CPU % from cpu_stats vs precpu_stats and memory use as usage minus the inactive file
// cache (total_inactive_file on v1, inactive_file on v2).
import type { CgroupStats } from '../../runtime/cgroups/index.ts';
import { isoTime } from '../../sys/iso-time.ts';

export interface Sample { at: Date; cg: CgroupStats | null; systemNs: number }

const ZERO = '0001-01-01T00:00:00Z';

function cpu(s: Sample | undefined, onlineCpus: number) {
  const c = s?.cg?.cpu;
  return {
    cpu_usage: { total_usage: c?.usageTotal ?? 0, percpu_usage: c?.usagePerCpu.length ? c.usagePerCpu : undefined, usage_in_kernelmode: c?.usageSystem ?? 0, usage_in_usermode: c?.usageUser ?? 0 },
    system_cpu_usage: s?.systemNs ?? 0,
    online_cpus: s ? onlineCpus : 0,
    throttling_data: { periods: c?.throttling.periods ?? 0, throttled_periods: c?.throttling.throttledPeriods ?? 0, throttled_time: c?.throttling.throttledTime ?? 0 },
  };
}

export function statsView(opts: { id: string; name: string; cur: Sample; prev?: Sample; onlineCpus: number; hostMemory: number; cgroupV2: boolean }): Record<string, unknown> {
  const m = opts.cur.cg?.memory;
  const stat = { ...(m?.stat ?? {}) };
  // The CLI subtracts this key from usage (v1 name vs v2 name).
  if (m) stat[opts.cgroupV2 ? 'inactive_file' : 'total_inactive_file'] = m.inactiveFile;
  const b = opts.cur.cg?.blkio;
  return {
    name: opts.name, id: opts.id, read: isoTime(opts.cur.at), preread: opts.prev ? isoTime(opts.prev.at) : ZERO,
    pids_stats: { current: opts.cur.cg?.pids.current ?? 0, ...(opts.cur.cg?.pids.limit != null ? { limit: opts.cur.cg.pids.limit } : {}) },
    blkio_stats: {
      io_service_bytes_recursive: b ? [{ major: 0, minor: 0, op: 'read', value: b.readBytes }, { major: 0, minor: 0, op: 'write', value: b.writeBytes }] : null,
      io_serviced_recursive: null, io_queue_recursive: null, io_service_time_recursive: null, io_wait_time_recursive: null,
      io_merged_recursive: null, io_time_recursive: null, sectors_recursive: null,
    },
    num_procs: 0, storage_stats: {},
    cpu_stats: cpu(opts.cur, opts.onlineCpus),
    precpu_stats: cpu(opts.prev, opts.onlineCpus),
    memory_stats: m ? { usage: m.usage, ...(opts.cgroupV2 ? {} : { max_usage: m.maxUsage, failcnt: m.failcnt }), stats: stat, limit: m.limit ?? opts.hostMemory } : {},
  };
}

/** /proc/stat's first line → host CPU time in ns (the CLI's system delta), clock ticks of 100 Hz. */
export function systemCpuNs(procStat: string): number {
  const line = procStat.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) return 0;
  const ticks = line.trim().split(/\s+/).slice(1, 8).reduce((a, v) => a + Number(v), 0);
  return ticks * 10_000_000;
}
