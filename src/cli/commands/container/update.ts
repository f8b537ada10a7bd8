// `berth update [resource flags] [--restart] CONTAINER...`: live resource changes; prints each
// container as given, daemon warnings on stderr, errors collected as Docker does.
import { invalidArgument } from '../../../errors/errors.ts';
import { StatusError } from '../../cli-error.ts';
import { str, type Command } from '../../command.ts';
import type { FlagDef, FlagValues } from '../../flags/parse-flags.ts';
import { ramInBytes } from '../../format/human-units.ts';
import { parseRestart } from './create-parsers.ts';
import { errorText } from './for-each.ts';

const s = (name: string, help: string, short?: string): FlagDef => ({ name, short, kind: 'string', help });
const i = (name: string, help: string, short?: string): FlagDef => ({ name, short, kind: 'int', help });

const FLAGS: FlagDef[] = [
  i('blkio-weight', 'Block IO (relative weight), between 10 and 1000, or 0 to disable (default 0)'),
  i('cpu-period', 'Limit CPU CFS (Completely Fair Scheduler) period'),
  i('cpu-quota', 'Limit CPU CFS (Completely Fair Scheduler) quota'),
  i('cpu-rt-period', 'Limit the CPU real-time period in microseconds'),
  i('cpu-rt-runtime', 'Limit the CPU real-time runtime in microseconds'),
  i('cpu-shares', 'CPU shares (relative weight)', 'c'),
  s('cpus', 'Number of CPUs'),
  s('cpuset-cpus', 'CPUs in which to allow execution (0-3, 0,1)'),
  s('cpuset-mems', 'MEMs in which to allow execution (0-3, 0,1)'),
  s('memory', 'Memory limit', 'm'),
  s('memory-reservation', 'Memory soft limit'),
  s('memory-swap', "Swap limit equal to memory plus swap: -1 to enable unlimited swap"),
  i('pids-limit', 'Tune container pids limit (set -1 for unlimited)'),
  s('restart', 'Restart policy to apply when a container exits'),
];

function bytes(v: string, flag: string): number {
  if (v === '-1') return -1;
  try { return ramInBytes(v); } catch { throw invalidArgument(`invalid argument "${v}" for "${flag}" flag: invalid size: '${v}'`); }
}

/** The UpdateConfig body: only the fields whose flags were given (0 means "unchanged" to the daemon). */
export function updateBody(f: FlagValues): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const num = (flag: string, key: string) => { if (f[flag] !== undefined) body[key] = f[flag]; };
  num('blkio-weight', 'BlkioWeight'); num('cpu-period', 'CpuPeriod'); num('cpu-quota', 'CpuQuota');
  num('cpu-rt-period', 'CpuRealtimePeriod'); num('cpu-rt-runtime', 'CpuRealtimeRuntime'); num('cpu-shares', 'CpuShares');
  num('pids-limit', 'PidsLimit');
  const w = f['blkio-weight'] as number | undefined;
  if (w !== undefined && (w < 0 || w > 65535)) throw invalidArgument(`invalid argument "${w}" for "--blkio-weight" flag: strconv.ParseUint: parsing "${w}": value out of range`);
  if (str(f, 'cpus')) {
    const n = Number(str(f, 'cpus'));
    if (!Number.isFinite(n)) throw invalidArgument(`invalid argument "${str(f, 'cpus')}" for "--cpus" flag: failed to parse ${str(f, 'cpus')} as a rational number`);
    body.NanoCpus = Math.round(n * 1e9);
  }
  if (f['cpuset-cpus'] !== undefined) body.CpusetCpus = str(f, 'cpuset-cpus');
  if (f['cpuset-mems'] !== undefined) body.CpusetMems = str(f, 'cpuset-mems');
  if (str(f, 'memory')) body.Memory = bytes(str(f, 'memory'), '--memory');
  if (str(f, 'memory-reservation')) body.MemoryReservation = bytes(str(f, 'memory-reservation'), '--memory-reservation');
  if (str(f, 'memory-swap')) body.MemorySwap = bytes(str(f, 'memory-swap'), '--memory-swap');
  if (f.restart !== undefined) body.RestartPolicy = parseRestart(str(f, 'restart'));
  return body;
}

export const update: Command = {
  name: 'update', usage: '[OPTIONS] CONTAINER [CONTAINER...]', summary: 'Update configuration of one or more containers', args: { min: 1 },
  flags: FLAGS,
  async run(ctx, f, names) {
    const body = updateBody(f);
    if (!Object.keys(body).length) throw new StatusError(1, 'you must provide one or more flags when using this command');
    const errors: string[] = [];
    const warnings: string[] = [];
    for (const id of names) {
      try {
        const r = await ctx.client.call<{ Warnings?: string[] | null } | undefined>('ContainerUpdate', { params: { id }, body });
        warnings.push(...(r?.Warnings ?? []));
        ctx.out(`${id}\n`);
      } catch (err) { errors.push(errorText(err)); }
    }
    for (const w of warnings) ctx.err(`${w}\n`);
    if (errors.length) throw new StatusError(1, errors.join('\n'));
  },
};
