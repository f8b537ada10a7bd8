// Reads a container cgroup's counters and processes.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { CgroupPlan, CgroupStats } from './types.ts';
import { wrap } from '../../errors/errors.ts';
import { leafDirs, leafFor } from './paths.ts';
import { errno, readOptional } from './fs-io.ts';
import { parseKeyed, statsV1, statsV2, type Files } from './stats-parse.ts';

/** v1 controller → the files read from its hierarchy. */
const V1_FILES: Record<string, string[]> = {
  memory: ['memory.usage_in_bytes', 'memory.max_usage_in_bytes', 'memory.limit_in_bytes', 'memory.stat', 'memory.failcnt', 'memory.oom_control'],
  cpuacct: ['cpuacct.usage', 'cpuacct.usage_percpu', 'cpuacct.usage_user', 'cpuacct.usage_sys', 'cpuacct.stat'],
  cpu: ['cpu.stat'],
  pids: ['pids.current', 'pids.max'],
  blkio: ['blkio.throttle.io_service_bytes_recursive', 'blkio.throttle.io_serviced_recursive', 'blkio.io_service_bytes_recursive', 'blkio.io_serviced_recursive'],
};
const V2_FILES = ['memory.current', 'memory.peak', 'memory.max', 'memory.stat', 'memory.events', 'cpu.stat', 'pids.current', 'pids.max', 'io.stat'];

async function readAll(dir: string | undefined, names: string[], into: Files): Promise<void> {
  if (!dir) return;
  for (const n of names) into[n] = await readOptional(join(dir, n));
}

/** Memory, CPU, pids and block I/O counters; missing controllers read as zeros. */
export async function readStats(plan: CgroupPlan): Promise<CgroupStats> {
  const files: Files = {};
  try {
    if (plan.layout.mode === 'v2') {
      await readAll(leafFor(plan, ''), V2_FILES, files);
      return statsV2(files);
    }
    for (const [ctrl, names] of Object.entries(V1_FILES)) await readAll(leafFor(plan, ctrl), names, files);
    return statsV1(files);
  } catch (e) {
    throw wrap('cgroup: read stats', e);
  }
}

/** How many times the kernel's OOM killer killed a process in the container cgroup. */
export async function oomKillCount(plan: CgroupPlan): Promise<number> {
  const v2 = plan.layout.mode === 'v2';
  const dir = leafFor(plan, v2 ? '' : 'memory');
  if (!dir) return 0;
  const text = await readOptional(join(dir, v2 ? 'memory.events' : 'memory.oom_control'));
  return parseKeyed(text).oom_kill ?? 0;
}

async function collect(dir: string, out: Set<number>): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    if (errno(e) === 'ENOENT') return;
    throw e;
  }
  for (const p of ((await readOptional(join(dir, 'cgroup.procs'))) ?? '').split('\n')) if (p) out.add(Number(p));
  for (const ent of entries) if (ent.isDirectory()) await collect(join(dir, ent.name), out);
}

/** Every pid in the container cgroup, sub-cgroups included (v1: the pids, freezer or
 *  memory hierarchy, whichever is mounted first in that order). */
export async function listPids(plan: CgroupPlan): Promise<number[]> {
  const dir = plan.layout.mode === 'v2'
    ? leafDirs(plan)[0]
    : leafFor(plan, 'pids') ?? leafFor(plan, 'freezer') ?? leafFor(plan, 'memory') ?? leafDirs(plan)[0];
  if (!dir) return [];
  const out = new Set<number>();
  try {
    await collect(dir, out);
  } catch (e) {
    throw wrap(`cgroup: list processes of ${dir}`, e);
  }
  return [...out];
}
