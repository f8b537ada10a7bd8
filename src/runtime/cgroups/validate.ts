// @pure
// Refuses OCI resource values that no cgroup file would accept (or would silently change).
// Daemon-level policy (Docker's 6 MB minimum, clamping of cpu shares) is not applied here.
import type { Resources } from '../spec/types.ts';
import { invalidArgument } from '../../errors/errors.ts';

const CPU_LIST = /^\d+(-\d+)?(,\d+(-\d+)?)*$/;

function integer(v: number | undefined, what: string): void {
  if (v !== undefined && !Number.isSafeInteger(v)) throw invalidArgument(`${what}: ${v} is not an integer`);
}

/** -1 = unlimited, 0 = not set, > 0 = a value. */
function limitLike(v: number | undefined, what: string): void {
  integer(v, what);
  if (v !== undefined && v < -1) throw invalidArgument(`${what}: ${v} is invalid (use -1 for unlimited)`);
}

const set = (v: number | undefined): v is number => v !== undefined && v > 0;

export function validateResources(res: Resources): void {
  const mem = res.memory;
  if (mem) {
    limitLike(mem.limit, 'memory limit');
    limitLike(mem.reservation, 'memory reservation');
    limitLike(mem.swap, 'memory+swap limit');
    limitLike(mem.kernel, 'kernel memory limit');
    if (set(mem.limit) && set(mem.reservation) && mem.reservation > mem.limit) {
      throw invalidArgument(`memory reservation ${mem.reservation} is above the memory limit ${mem.limit}`);
    }
    if (set(mem.swap)) {
      if (!set(mem.limit)) throw invalidArgument('a memory+swap limit needs a memory limit');
      if (mem.swap < mem.limit) throw invalidArgument(`memory+swap limit ${mem.swap} is below the memory limit ${mem.limit}`);
    }
    integer(mem.swappiness, 'memory swappiness');
    if (mem.swappiness !== undefined && (mem.swappiness < 0 || mem.swappiness > 100)) {
      throw invalidArgument(`memory swappiness ${mem.swappiness} is not in 0..100`);
    }
  }
  const cpu = res.cpu;
  if (cpu) {
    integer(cpu.shares, 'cpu shares');
    if (cpu.shares !== undefined && cpu.shares !== 0 && (cpu.shares < 2 || cpu.shares > 262144)) {
      throw invalidArgument(`cpu shares ${cpu.shares} is not in 2..262144`);
    }
    limitLike(cpu.quota, 'cpu quota');
    if (set(cpu.quota) && cpu.quota < 1000) throw invalidArgument(`cpu quota ${cpu.quota} is below 1000µs`);
    integer(cpu.period, 'cpu period');
    if (cpu.period !== undefined && cpu.period !== 0 && (cpu.period < 1000 || cpu.period > 1_000_000)) {
      throw invalidArgument(`cpu period ${cpu.period} is not in 1000..1000000µs`);
    }
    limitLike(cpu.realtimeRuntime, 'cpu realtime runtime');
    integer(cpu.realtimePeriod, 'cpu realtime period');
    if (cpu.realtimePeriod !== undefined && cpu.realtimePeriod < 0) throw invalidArgument(`cpu realtime period ${cpu.realtimePeriod} is negative`);
    for (const [k, v] of [['cpus', cpu.cpus], ['mems', cpu.mems]] as const) {
      if (v && !CPU_LIST.test(v.trim())) throw invalidArgument(`cpuset ${k} ${JSON.stringify(v)} is not a list like 0-2,4`);
    }
  }
  if (res.pids) limitLike(res.pids.limit, 'pids limit');
  const blk = res.blockIO;
  if (blk) {
    for (const [k, v] of [['weight', blk.weight], ['leaf weight', blk.leafWeight]] as const) {
      integer(v, `blkio ${k}`);
      if (v !== undefined && v !== 0 && (v < 10 || v > 1000)) throw invalidArgument(`blkio ${k} ${v} is not in 10..1000`);
    }
  }
  for (const d of res.devices ?? []) {
    if (d.type !== undefined && !['a', 'b', 'c'].includes(d.type)) throw invalidArgument(`device rule type ${JSON.stringify(d.type)} is not a, b or c`);
    if (d.access !== undefined && !/^[rwm]*$/.test(d.access)) throw invalidArgument(`device rule access ${JSON.stringify(d.access)} is not a subset of rwm`);
    integer(d.major, 'device major');
    integer(d.minor, 'device minor');
  }
  for (const h of res.hugepageLimits ?? []) {
    if (!/^\d+[KMG]B$/.test(h.pageSize)) throw invalidArgument(`hugepage size ${JSON.stringify(h.pageSize)} is not like 2MB`);
    limitLike(h.limit, `hugepage ${h.pageSize} limit`);
  }
  for (const k of Object.keys(res.unified ?? {})) {
    if (!/^[a-z0-9_]+\.[a-z0-9_.]+$/.test(k)) throw invalidArgument(`unified key ${JSON.stringify(k)} is not a cgroup file name`);
  }
}
