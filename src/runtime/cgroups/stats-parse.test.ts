import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseBlkioV1, parseIoStat, parseKeyed, parseLimit, statsV1, statsV2 } from './stats-parse.ts';

test('parsers', () => {
  assert.deepEqual(parseKeyed('oom_kill_disable 0\nunder_oom 0\noom_kill 3\n'), { oom_kill_disable: 0, under_oom: 0, oom_kill: 3 });
  assert.deepEqual(parseKeyed(undefined), {});
  assert.equal(parseLimit('9223372036854771712'), null);
  assert.equal(parseLimit('max'), null);
  assert.equal(parseLimit(undefined), null);
  assert.equal(parseLimit('67108864\n'), 67108864);
  assert.deepEqual(parseBlkioV1('8:0 Read 4096\n8:0 Write 8192\n8:16 Read 1\n8:0 Total 12288\nTotal 12289\n'), { read: 4097, write: 8192 });
  assert.deepEqual(parseIoStat('8:0 rbytes=10 wbytes=20 rios=1 wios=2 dbytes=0 dios=0\n8:16 rbytes=5 wbytes=0 rios=1 wios=0\n'),
    { rbytes: 15, wbytes: 20, rios: 2, wios: 2, dbytes: 0, dios: 0 });
});

test('statsV1', () => {
  const s = statsV1({
    'memory.usage_in_bytes': '5000000', 'memory.max_usage_in_bytes': '6000000', 'memory.limit_in_bytes': '67108864',
    'memory.stat': 'cache 100\nrss 200\ntotal_cache 1000\ntotal_inactive_file 400\n', 'memory.failcnt': '2',
    'memory.oom_control': 'oom_kill_disable 0\nunder_oom 0\noom_kill 1',
    'cpuacct.usage': '123456789', 'cpuacct.usage_percpu': '100000000 23456789 ', 'cpuacct.stat': 'user 3\nsystem 2',
    'cpu.stat': 'nr_periods 10\nnr_throttled 4\nthrottled_time 999', 'pids.current': '3', 'pids.max': 'max',
    'blkio.throttle.io_service_bytes_recursive': '8:0 Read 10\n8:0 Write 20\nTotal 30',
    'blkio.throttle.io_serviced_recursive': '8:0 Read 1\n8:0 Write 2\nTotal 3',
  });
  assert.deepEqual(s, {
    memory: { usage: 5000000, maxUsage: 6000000, limit: 67108864, cache: 1000, inactiveFile: 400, failcnt: 2, oomKills: 1,
      stat: { cache: 100, rss: 200, total_cache: 1000, total_inactive_file: 400 } },
    cpu: { usageTotal: 123456789, usagePerCpu: [100000000, 23456789], usageUser: 30000000, usageSystem: 20000000,
      throttling: { periods: 10, throttledPeriods: 4, throttledTime: 999 } },
    pids: { current: 3, limit: null },
    blkio: { readBytes: 10, writeBytes: 20, readOps: 1, writeOps: 2 },
  });
  const empty = statsV1({});
  assert.equal(empty.memory.usage, 0);
  assert.equal(empty.memory.limit, null);
  assert.deepEqual(empty.cpu.usagePerCpu, []);
});

test('statsV2', () => {
  const s = statsV2({
    'memory.current': '4096', 'memory.max': '8192', 'memory.stat': 'anon 1\nfile 2048\ninactive_file 1024',
    'memory.events': 'low 0\nhigh 0\nmax 5\noom 1\noom_kill 1', 'cpu.stat': 'usage_usec 10\nuser_usec 6\nsystem_usec 4\nnr_periods 3\nnr_throttled 1\nthrottled_usec 7',
    'pids.current': '2', 'pids.max': '20', 'io.stat': '8:0 rbytes=1 wbytes=2 rios=3 wios=4',
  });
  assert.equal(s.memory.cache, 2048);
  assert.equal(s.memory.inactiveFile, 1024);
  assert.equal(s.memory.limit, 8192);
  assert.equal(s.memory.failcnt, 5);
  assert.equal(s.memory.oomKills, 1);
  assert.deepEqual(s.cpu, { usageTotal: 10000, usagePerCpu: [], usageUser: 6000, usageSystem: 4000, throttling: { periods: 3, throttledPeriods: 1, throttledTime: 7000 } });
  assert.deepEqual(s.pids, { current: 2, limit: 20 });
  assert.deepEqual(s.blkio, { readBytes: 1, writeBytes: 2, readOps: 3, writeOps: 4 });
});
