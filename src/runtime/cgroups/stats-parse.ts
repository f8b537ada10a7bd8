// @pure
// cgroup counter files (their text, keyed by file name) → CgroupStats.
import type { CgroupStats } from './types.ts';

export type Files = Record<string, string | undefined>;

/** "key value" lines (memory.stat, cpu.stat, memory.events, memory.oom_control, ...). */
export function parseKeyed(text: string | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of (text ?? '').split('\n')) {
    const [k, v] = line.trim().split(/\s+/);
    if (k && v !== undefined && /^-?\d+$/.test(v)) out[k] = Number(v);
  }
  return out;
}

/** A single number; 0 when absent. */
export function parseNumber(text: string | undefined): number {
  const n = Number((text ?? '').trim());
  return Number.isFinite(n) ? n : 0;
}

/** A limit file: null for 'max', -1, absent, or v1's "unlimited" (PAGE_COUNTER_MAX pages). */
export function parseLimit(text: string | undefined): number | null {
  const t = (text ?? '').trim();
  if (!t || t === 'max' || t === '-1') return null;
  const n = Number(t);
  return Number.isFinite(n) && n < 2 ** 62 ? n : null;
}

/** v1 blkio "8:0 Read 123" lines, summed over devices ("Total" lines skipped). */
export function parseBlkioV1(text: string | undefined): { read: number; write: number } {
  let read = 0;
  let write = 0;
  for (const line of (text ?? '').split('\n')) {
    const [dev, op, v] = line.trim().split(/\s+/);
    if (!dev?.includes(':') || v === undefined) continue;
    if (op === 'Read') read += Number(v);
    else if (op === 'Write') write += Number(v);
  }
  return { read, write };
}

/** v2 io.stat "8:0 rbytes=1 wbytes=2 rios=3 wios=4 ..." lines, summed over devices. */
export function parseIoStat(text: string | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of (text ?? '').split('\n')) {
    for (const kv of line.trim().split(/\s+/).slice(1)) {
      const [k, v] = kv.split('=');
      if (k && v !== undefined && /^\d+$/.test(v)) out[k] = (out[k] ?? 0) + Number(v);
    }
  }
  return out;
}

const USER_HZ_NS = 10_000_000; // cpuacct.stat counts USER_HZ (100 Hz) ticks

export function statsV1(f: Files): CgroupStats {
  const stat = parseKeyed(f['memory.stat']);
  const cpuacct = parseKeyed(f['cpuacct.stat']);
  const cpuStat = parseKeyed(f['cpu.stat']);
  const bytes = parseBlkioV1(f['blkio.throttle.io_service_bytes_recursive'] ?? f['blkio.io_service_bytes_recursive']);
  const ops = parseBlkioV1(f['blkio.throttle.io_serviced_recursive'] ?? f['blkio.io_serviced_recursive']);
  return {
    memory: {
      usage: parseNumber(f['memory.usage_in_bytes']),
      maxUsage: parseNumber(f['memory.max_usage_in_bytes']),
      limit: parseLimit(f['memory.limit_in_bytes']),
      cache: stat.total_cache ?? stat.cache ?? 0,
      inactiveFile: stat.total_inactive_file ?? stat.inactive_file ?? 0,
      failcnt: parseNumber(f['memory.failcnt']),
      oomKills: parseKeyed(f['memory.oom_control']).oom_kill ?? 0,
      stat,
    },
    cpu: {
      usageTotal: parseNumber(f['cpuacct.usage']),
      usagePerCpu: (f['cpuacct.usage_percpu'] ?? '').trim().split(/\s+/).filter(Boolean).map(Number),
      usageUser: f['cpuacct.usage_user'] !== undefined ? parseNumber(f['cpuacct.usage_user']) : (cpuacct.user ?? 0) * USER_HZ_NS,
      usageSystem: f['cpuacct.usage_sys'] !== undefined ? parseNumber(f['cpuacct.usage_sys']) : (cpuacct.system ?? 0) * USER_HZ_NS,
      throttling: { periods: cpuStat.nr_periods ?? 0, throttledPeriods: cpuStat.nr_throttled ?? 0, throttledTime: cpuStat.throttled_time ?? 0 },
    },
    pids: { current: parseNumber(f['pids.current']), limit: parseLimit(f['pids.max']) },
    blkio: { readBytes: bytes.read, writeBytes: bytes.write, readOps: ops.read, writeOps: ops.write },
  };
}

export function statsV2(f: Files): CgroupStats {
  const stat = parseKeyed(f['memory.stat']);
  const events = parseKeyed(f['memory.events']);
  const cpu = parseKeyed(f['cpu.stat']);
  const io = parseIoStat(f['io.stat']);
  return {
    memory: {
      usage: parseNumber(f['memory.current']),
      maxUsage: parseNumber(f['memory.peak']),
      limit: parseLimit(f['memory.max']),
      cache: stat.file ?? 0,
      inactiveFile: stat.inactive_file ?? 0,
      failcnt: events.max ?? 0,
      oomKills: events.oom_kill ?? 0,
      stat,
    },
    cpu: {
      usageTotal: (cpu.usage_usec ?? 0) * 1000,
      usagePerCpu: [],
      usageUser: (cpu.user_usec ?? 0) * 1000,
      usageSystem: (cpu.system_usec ?? 0) * 1000,
      throttling: { periods: cpu.nr_periods ?? 0, throttledPeriods: cpu.nr_throttled ?? 0, throttledTime: (cpu.throttled_usec ?? 0) * 1000 },
    },
    pids: { current: parseNumber(f['pids.current']), limit: parseLimit(f['pids.max']) },
    blkio: { readBytes: io.rbytes ?? 0, writeBytes: io.wbytes ?? 0, readOps: io.rios ?? 0, writeOps: io.wios ?? 0 },
  };
}
