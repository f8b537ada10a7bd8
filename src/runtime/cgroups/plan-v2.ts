// @pure
// OCI resources → cgroup v2 file writes in the one unified hierarchy (as runc's fs2 driver).
import type { Resources } from '../spec/types.ts';
import type { CgroupLayout, CgroupPlan, CgroupWrite } from './types.ts';
import { invalidArgument } from '../../errors/errors.ts';
import { chain, joinPath } from './paths.ts';
import { blkioToIoWeight, cpuMax, limitValue, sharesToWeight, swapToV2 } from './convert.ts';

/** Enabled in every parent's cgroup.subtree_control (where available and missing). */
export const V2_CONTROLLERS = ['cpu', 'cpuset', 'io', 'memory', 'pids'];

export function planV2(layout: CgroupLayout, base: string, rel: string[], res: Resources | undefined): CgroupPlan {
  const dirs = chain(base, rel);
  const leaf = dirs[dirs.length - 1];
  const ctrls = new Set(V2_CONTROLLERS);
  if (res?.hugepageLimits?.length) ctrls.add('hugetlb');
  for (const k of Object.keys(res?.unified ?? {})) {
    const prefix = k.slice(0, k.indexOf('.'));
    if (prefix !== 'cgroup') ctrls.add(prefix);
  }
  const enable = [...ctrls].map((c) => `+${c}`).join(' ');
  const writes: CgroupWrite[] = [base, ...dirs.slice(0, -1)].map((d) => ({
    file: joinPath(d, 'cgroup.subtree_control'), value: enable, enableControllers: true,
  }));
  if (res) writes.push(...writesV2(leaf, res));
  return { layout, dirs, writes, procsFiles: [joinPath(leaf, 'cgroup.procs')] };
}

function writesV2(leaf: string, res: Resources): CgroupWrite[] {
  const out: CgroupWrite[] = [];
  const put = (name: string, value: string | undefined, extra: Partial<CgroupWrite> = {}) => {
    if (value !== undefined) out.push({ file: joinPath(leaf, name), value, ...extra });
  };
  const mem = res.memory;
  if (mem) {
    put('memory.max', limitValue(mem.limit));
    const swap = swapToV2(mem.swap, mem.limit);
    // Without swap accounting the file is missing; "max" and "0" then mean what they ask.
    put('memory.swap.max', swap, swap === 'max' || swap === '0' ? { optional: true } : {});
    put('memory.low', limitValue(mem.reservation));
    // swappiness, kernel and disableOOMKiller have no v2 file; ignored as runc does.
  }
  const cpu = res.cpu;
  if (cpu) {
    if (cpu.realtimeRuntime || cpu.realtimePeriod) throw invalidArgument('realtime cpu limits are not supported with cgroup v2');
    put('cpu.weight', cpu.shares ? String(sharesToWeight(cpu.shares)) : undefined);
    put('cpu.max', cpuMax(cpu.quota, cpu.period));
    put('cpuset.cpus', cpu.cpus?.trim() || undefined);
    put('cpuset.mems', cpu.mems?.trim() || undefined);
  }
  if (res.pids) put('pids.max', limitValue(res.pids.limit));
  const w = res.blockIO?.weight;
  if (w) put('io.weight', String(blkioToIoWeight(w)), { fallback: { file: joinPath(leaf, 'io.bfq.weight'), value: String(w) } });
  // res.devices: v2 device rules are an eBPF program, not files; not enforced here.
  for (const h of res.hugepageLimits ?? []) put(`hugetlb.${h.pageSize}.max`, limitValue(h.limit));
  for (const [k, v] of Object.entries(res.unified ?? {})) put(k, v);
  return out;
}
