import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statsRow, toEntry } from './stats-entry.ts';

test('stats math: CPU delta, memory without inactive_file (v1 and v2), I/O sums, Docker\'s renderings', () => {
  const v = {
    id: 'a'.repeat(64), name: '/web',
    cpu_stats: { cpu_usage: { total_usage: 300 }, system_cpu_usage: 2000, online_cpus: 4 },
    precpu_stats: { cpu_usage: { total_usage: 100 }, system_cpu_usage: 1000 },
    memory_stats: { usage: 10 * 1024 * 1024, limit: 100 * 1024 * 1024, stats: { inactive_file: 2 * 1024 * 1024 } },
    blkio_stats: { io_service_bytes_recursive: [{ op: 'read', value: 1000 }, { op: 'Write', value: 2000 }, { op: 'sync', value: 5 }] },
    networks: { eth0: { rx_bytes: 1500, tx_bytes: 500 }, eth1: { rx_bytes: 500, tx_bytes: 0 } },
    pids_stats: { current: 3 },
  };
  const row = statsRow(toEntry('web', v), true);
  assert.deepEqual(row, {
    BlockIO: '1kB / 2kB', CPUPerc: '80.00%', Container: 'web', ID: 'aaaaaaaaaaaa', MemPerc: '8.00%',
    MemUsage: '8MiB / 100MiB', Name: 'web', NetIO: '2kB / 500B', PIDs: '3',
  });
  const v1 = toEntry('x', { memory_stats: { usage: 1000, stats: { total_inactive_file: 400, inactive_file: 100 } } });
  assert.equal(v1.mem, 600);
  assert.equal(statsRow({ ...v1, invalid: true }, true).MemUsage, '-- / --');
  assert.equal(statsRow(v1, true).Name, '--');
});
