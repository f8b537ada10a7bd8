// @pure
// OCI resources → cgroup v1 file writes, one dir per mounted hierarchy (as runc's fs driver).
import type { Resources } from '../spec/types.ts';
import type { CgroupLayout, CgroupPlan, CgroupWrite } from './types.ts';
import { failedPrecondition, invalidArgument } from '../../errors/errors.ts';
import { chain, hierarchies, joinPath } from './paths.ts';
import { limitValue } from './convert.ts';

/** Where, per hierarchy, the container's cgroup goes: below `base`, the components `rel`. */
export type Placement = (controllers: string[], mount: string) => { base: string; rel: string[] };

export function planV1(layout: CgroupLayout, place: Placement, res: Resources | undefined): CgroupPlan {
  const dirs: string[] = [];
  const procsFiles: string[] = [];
  const leaves: Record<string, string> = {};
  for (const [mount, ctrls] of hierarchies(layout)) {
    const { base, rel } = place(ctrls, mount);
    const made = chain(base, rel);
    dirs.push(...made);
    const leaf = made[made.length - 1];
    procsFiles.push(joinPath(leaf, 'cgroup.procs'));
    for (const c of ctrls) leaves[c] = leaf;
  }
  return { layout, dirs, writes: res ? writesV1(leaves, res) : [], procsFiles };
}

type DeviceRule = NonNullable<Resources['devices']>[number];

/** runc's specconv.AllowedDevices: appended after the spec's rules (when it has any), so a
 *  container always has mknod, /dev/null, zero, full, random, urandom, tty, pts and ptmx.
 *  Rules for linux.devices nodes are the caller's to add to resources.devices. */
export const DEFAULT_ALLOWED_DEVICES: DeviceRule[] = [
  { allow: true, type: 'c', access: 'm' },
  { allow: true, type: 'b', access: 'm' },
  ...[[1, 3], [1, 8], [1, 7], [5, 0], [1, 5], [1, 9], [5, 2]].map(([major, minor]) => ({ allow: true, type: 'c', major, minor, access: 'rwm' })),
  { allow: true, type: 'c', major: 136, access: 'rwm' },
];

function withDefaultDevices(rules: DeviceRule[] | undefined): DeviceRule[] {
  return rules?.length ? [...rules, ...DEFAULT_ALLOWED_DEVICES] : [];
}

function writesV1(leaves: Record<string, string>, res: Resources): CgroupWrite[] {
  const out: CgroupWrite[] = [];
  const put = (ctrl: string, name: string, value: string | undefined, extra: Partial<CgroupWrite> = {}) => {
    if (value === undefined) return;
    const leaf = leaves[ctrl];
    if (!leaf) throw failedPrecondition(`cgroup controller ${ctrl} is not available (needed for ${name})`);
    out.push({ file: joinPath(leaf, name), value, ...extra });
  };
  const num = (v: number | undefined) => (v ? String(v) : undefined);

  const mem = res.memory;
  if (mem) {
    // A fresh cgroup has both limits at "max": memory first keeps memsw >= memory throughout.
    put('memory', 'memory.limit_in_bytes', limitValue(mem.limit, '-1'));
    put('memory', 'memory.memsw.limit_in_bytes', limitValue(mem.swap, '-1'), { optional: true });
    put('memory', 'memory.soft_limit_in_bytes', limitValue(mem.reservation, '-1'));
    if (mem.swappiness !== undefined) put('memory', 'memory.swappiness', String(mem.swappiness));
    if (mem.disableOOMKiller) put('memory', 'memory.oom_control', '1');
    // mem.kernel: kernel memory limits are deprecated and ignored (as runc >= 1.1 does).
  }
  const cpu = res.cpu;
  if (cpu) {
    put('cpu', 'cpu.shares', num(cpu.shares));
    put('cpu', 'cpu.cfs_period_us', num(cpu.period));
    put('cpu', 'cpu.cfs_quota_us', limitValue(cpu.quota, '-1'));
    put('cpu', 'cpu.rt_period_us', num(cpu.realtimePeriod));
    put('cpu', 'cpu.rt_runtime_us', limitValue(cpu.realtimeRuntime, '-1'));
    put('cpuset', 'cpuset.cpus', cpu.cpus?.trim() || undefined);
    put('cpuset', 'cpuset.mems', cpu.mems?.trim() || undefined);
  }
  if (res.pids) put('pids', 'pids.max', limitValue(res.pids.limit));
  const blk = res.blockIO;
  if (blk?.weight) {
    const leaf = leaves.blkio;
    put('blkio', 'blkio.weight', String(blk.weight), leaf ? { fallback: { file: joinPath(leaf, 'blkio.bfq.weight'), value: String(blk.weight) } } : {});
  }
  if (blk?.leafWeight) put('blkio', 'blkio.leaf_weight', String(blk.leafWeight), { optional: true });
  for (const d of withDefaultDevices(res.devices)) {
    const rule = `${d.type ?? 'a'} ${d.major ?? '*'}:${d.minor ?? '*'} ${d.access || 'rwm'}`;
    put('devices', d.allow ? 'devices.allow' : 'devices.deny', rule);
  }
  for (const h of res.hugepageLimits ?? []) put('hugetlb', `hugetlb.${h.pageSize}.limit_in_bytes`, limitValue(h.limit, '-1'));
  if (res.unified && Object.keys(res.unified).length) {
    throw invalidArgument('linux.resources.unified needs cgroup v2, but this host uses cgroup v1');
  }
  return out;
}
