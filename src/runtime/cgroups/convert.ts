// @pure
// OCI (cgroup v1 flavoured) values → cgroup v2 values, as runc converts them.
import { invalidArgument } from '../../errors/errors.ts';

/** cpu.shares (2..262144) → cpu.weight (1..10000): runc's ConvertCPUSharesToCgroupV2Value. */
export function sharesToWeight(shares: number): number {
  if (shares === 0) return 0;
  return 1 + Math.floor(((shares - 2) * 9999) / 262142);
}

/** blkio.weight (10..1000) → io.weight (1..10000): runc's ConvertBlkIOToIOWeightValue. */
export function blkioToIoWeight(weight: number): number {
  if (weight === 0) return 0;
  return 1 + Math.floor(((weight - 10) * 9999) / 990);
}

/** OCI memory.swap is memory+swap; v2 memory.swap.max is swap alone. Returns the string to
 *  write, or undefined for "leave alone": runc's ConvertMemorySwapToCgroupV2Value. */
export function swapToV2(swap: number | undefined, limit: number | undefined): string | undefined {
  if (swap === undefined || swap === 0) return undefined;
  if (swap === -1) return 'max';
  if (limit === undefined || limit <= 0) throw invalidArgument('a memory+swap limit needs a memory limit');
  if (swap < limit) throw invalidArgument(`memory+swap limit ${swap} is below the memory limit ${limit}`);
  return String(swap - limit);
}

/** cpu.max: "quota period", "max period", or just "max"/"quota" when period is unset. */
export function cpuMax(quota: number | undefined, period: number | undefined): string | undefined {
  if (!quota && !period) return undefined;
  let s = quota !== undefined && quota > 0 ? String(quota) : 'max';
  if (period) s += ` ${period}`;
  return s;
}

/** -1 → 'max', > 0 → the number, 0/undefined → undefined (not set). */
export function limitValue(v: number | undefined, unlimited = 'max'): string | undefined {
  if (v === undefined || v === 0) return undefined;
  return v < 0 ? unlimited : String(v);
}
