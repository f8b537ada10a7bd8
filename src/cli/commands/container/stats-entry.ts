// @pure
// Docker's `stats` math and columns (cli/command/container/stats_helpers.go, formatter_stats.go):
// CPU % from the delta against precpu_stats, memory without inactive_file (cgroup v1:
// total_inactive_file), network and block I/O summed, and the table/json renderings.
import { bytesSize, humanSize } from '../../format/human-units.ts';

export interface StatsResponse {
  id?: string; name?: string;
  cpu_stats?: { cpu_usage?: { total_usage?: number; percpu_usage?: number[] | null }; system_cpu_usage?: number; online_cpus?: number };
  precpu_stats?: { cpu_usage?: { total_usage?: number }; system_cpu_usage?: number };
  memory_stats?: { usage?: number; limit?: number; stats?: Record<string, number> };
  blkio_stats?: { io_service_bytes_recursive?: { op: string; value: number }[] | null };
  networks?: Record<string, { rx_bytes: number; tx_bytes: number }>;
  pids_stats?: { current?: number };
}

export interface StatsEntry {
  container: string; name: string; id: string;
  cpu: number; mem: number; memLimit: number; memPerc: number;
  netRx: number; netTx: number; blkRead: number; blkWrite: number; pids: number;
  invalid: boolean;
}

export const emptyEntry = (container: string): StatsEntry => ({
  container, name: '', id: '', cpu: 0, mem: 0, memLimit: 0, memPerc: 0, netRx: 0, netTx: 0, blkRead: 0, blkWrite: 0, pids: 0, invalid: false,
});

export function memNoCache(m: StatsResponse['memory_stats']): number {
  const usage = m?.usage ?? 0;
  const st = m?.stats ?? {};
  const v1 = st.total_inactive_file;
  if (v1 !== undefined && v1 < usage) return usage - v1;
  const v2 = st.inactive_file ?? 0;
  if (v2 < usage) return usage - v2;
  return usage;
}

export function cpuPercent(v: StatsResponse): number {
  const cpuDelta = (v.cpu_stats?.cpu_usage?.total_usage ?? 0) - (v.precpu_stats?.cpu_usage?.total_usage ?? 0);
  const sysDelta = (v.cpu_stats?.system_cpu_usage ?? 0) - (v.precpu_stats?.system_cpu_usage ?? 0);
  let online = v.cpu_stats?.online_cpus ?? 0;
  if (!online) online = v.cpu_stats?.cpu_usage?.percpu_usage?.length ?? 0;
  return sysDelta > 0 && cpuDelta > 0 ? (cpuDelta / sysDelta) * online * 100 : 0;
}

export function toEntry(container: string, v: StatsResponse): StatsEntry {
  let blkRead = 0;
  let blkWrite = 0;
  for (const b of v.blkio_stats?.io_service_bytes_recursive ?? []) {
    const c = b.op?.[0];
    if (c === 'r' || c === 'R') blkRead += b.value;
    else if (c === 'w' || c === 'W') blkWrite += b.value;
  }
  let netRx = 0;
  let netTx = 0;
  for (const n of Object.values(v.networks ?? {})) { netRx += n.rx_bytes; netTx += n.tx_bytes; }
  const mem = memNoCache(v.memory_stats);
  const memLimit = v.memory_stats?.limit ?? 0;
  return {
    container, name: v.name ?? '', id: v.id ?? '', cpu: cpuPercent(v), mem, memLimit, memPerc: memLimit ? (mem / memLimit) * 100 : 0,
    netRx, netTx, blkRead, blkWrite, pids: v.pids_stats?.current ?? 0, invalid: false,
  };
}

export const STATS_TABLE = 'table {{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDs}}';

export const STATS_HEADERS: Record<string, string> = {
  Container: 'CONTAINER', ID: 'CONTAINER ID', Name: 'NAME', CPUPerc: 'CPU %', MemUsage: 'MEM USAGE / LIMIT',
  MemPerc: 'MEM %', NetIO: 'NET I/O', BlockIO: 'BLOCK I/O', PIDs: 'PIDS',
};

/** The template context of one row (Docker's statsContext methods), keys in JSON order. */
export function statsRow(e: StatsEntry, trunc: boolean): Record<string, string> {
  const bad = e.invalid;
  const pct = (n: number) => `${n.toFixed(2)}%`;
  return {
    BlockIO: bad ? '--' : `${humanSize(e.blkRead)} / ${humanSize(e.blkWrite)}`,
    CPUPerc: bad ? '--' : pct(e.cpu),
    Container: e.container,
    ID: trunc ? e.id.slice(0, 12) : e.id,
    MemPerc: bad ? '--' : pct(e.memPerc),
    MemUsage: bad ? '-- / --' : `${bytesSize(e.mem)} / ${bytesSize(e.memLimit)}`,
    Name: e.name.length > 1 ? e.name.slice(1) : '--',
    NetIO: bad ? '--' : `${humanSize(e.netRx)} / ${humanSize(e.netTx)}`,
    PIDs: bad ? '--' : String(e.pids),
  };
}
