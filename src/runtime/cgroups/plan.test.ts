import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planCgroup, planFromPath } from './plan.ts';
import type { CgroupLayout } from './types.ts';
import type { Resources } from '../spec/types.ts';
import { isCode } from '../../errors/errors.ts';

const C = '/sys/fs/cgroup';
const V1: CgroupLayout = {
  mode: 'v1', root: C,
  v1Mounts: { cpu: `${C}/cpu,cpuacct`, cpuacct: `${C}/cpu,cpuacct`, cpuset: `${C}/cpuset`, memory: `${C}/memory`, pids: `${C}/pids`, blkio: `${C}/blkio`, devices: `${C}/devices`, freezer: `${C}/freezer`, 'name=systemd': `${C}/systemd` },
};
const V2: CgroupLayout = { mode: 'v2', root: C };
const OWN_V1 = { memory: '/process_api/abc', cpu: '/', cpuacct: '/', cpuset: '/', pids: '/', blkio: '/', devices: '/', freezer: '/', 'name=systemd': '/' };

const RES: Resources = {
  memory: { limit: 64 << 20, reservation: 32 << 20, swap: 128 << 20, swappiness: 10, disableOOMKiller: true, kernel: 1 << 30 },
  cpu: { shares: 512, quota: 50000, period: 100000, cpus: '0-1', mems: '0' },
  pids: { limit: 20 },
  blockIO: { weight: 500 },
  devices: [{ allow: false, access: 'rwm' }, { allow: true, type: 'c', major: 1, minor: 3, access: 'rwm' }, { allow: true, type: 'c', major: 136 }],
};

test('planCgroup v1: one leaf per hierarchy beneath its parent, golden writes', () => {
  const p = planCgroup(V1, OWN_V1, 'c1', RES);
  assert.deepEqual(p.dirs, [
    `${C}/blkio/c1`, `${C}/cpu,cpuacct/c1`, `${C}/cpuset/c1`, `${C}/devices/c1`, `${C}/freezer/c1`,
    `${C}/memory/process_api/abc/c1`, `${C}/pids/c1`, `${C}/systemd/c1`,
  ]);
  assert.deepEqual(p.procsFiles, p.dirs.map((d) => `${d}/cgroup.procs`));
  const m = `${C}/memory/process_api/abc/c1`;
  assert.deepEqual(p.writes, [
    { file: `${m}/memory.limit_in_bytes`, value: '67108864' },
    { file: `${m}/memory.memsw.limit_in_bytes`, value: '134217728', optional: true },
    { file: `${m}/memory.soft_limit_in_bytes`, value: '33554432' },
    { file: `${m}/memory.swappiness`, value: '10' },
    { file: `${m}/memory.oom_control`, value: '1' },
    { file: `${C}/cpu,cpuacct/c1/cpu.shares`, value: '512' },
    { file: `${C}/cpu,cpuacct/c1/cpu.cfs_period_us`, value: '100000' },
    { file: `${C}/cpu,cpuacct/c1/cpu.cfs_quota_us`, value: '50000' },
    { file: `${C}/cpuset/c1/cpuset.cpus`, value: '0-1' },
    { file: `${C}/cpuset/c1/cpuset.mems`, value: '0' },
    { file: `${C}/pids/c1/pids.max`, value: '20' },
    { file: `${C}/blkio/c1/blkio.weight`, value: '500', fallback: { file: `${C}/blkio/c1/blkio.bfq.weight`, value: '500' } },
    { file: `${C}/devices/c1/devices.deny`, value: 'a *:* rwm' },
    { file: `${C}/devices/c1/devices.allow`, value: 'c 1:3 rwm' },
    { file: `${C}/devices/c1/devices.allow`, value: 'c 136:* rwm' },
    // runc's always-allowed devices follow the spec's rules.
    ...['c *:* m', 'b *:* m', 'c 1:3 rwm', 'c 1:8 rwm', 'c 1:7 rwm', 'c 5:0 rwm', 'c 1:5 rwm', 'c 1:9 rwm', 'c 5:2 rwm', 'c 136:* rwm']
      .map((value) => ({ file: `${C}/devices/c1/devices.allow`, value })),
  ]);
});

test('planCgroup v1: unlimited values and no resources', () => {
  const p = planCgroup(V1, OWN_V1, 'c1', { memory: { limit: -1, swap: -1 }, cpu: { quota: -1 }, pids: { limit: -1 } });
  assert.deepEqual(p.writes.map((w) => [w.file.split('/').pop(), w.value]), [
    ['memory.limit_in_bytes', '-1'], ['memory.memsw.limit_in_bytes', '-1'], ['cpu.cfs_quota_us', '-1'], ['pids.max', 'max'],
  ]);
  assert.deepEqual(planCgroup(V1, OWN_V1, 'c1', undefined).writes, []);
  assert.deepEqual(planCgroup(V1, {}, 'c1', undefined).dirs[5], `${C}/memory/c1`);
});

test('planCgroup v1: a controller that is not mounted is refused when needed', () => {
  const noPids: CgroupLayout = { mode: 'v1', root: C, v1Mounts: { memory: `${C}/memory` } };
  assert.equal(planCgroup(noPids, {}, 'x', { memory: { limit: 1 << 30 } }).writes.length, 1);
  assert.throws(() => planCgroup(noPids, {}, 'x', { pids: { limit: 5 } }), (e) => isCode(e, 'FailedPrecondition') && /pids/.test(String(e)));
  assert.throws(() => planCgroup(V1, {}, 'x', { unified: { 'memory.high': '1' } }), (e) => isCode(e, 'InvalidArgument'));
});

test('planCgroup v2: subtree_control on the parent, golden writes with conversions', () => {
  const p = planCgroup(V2, { '': '/user.slice/berth' }, 'c1', RES);
  const leaf = `${C}/user.slice/berth/c1`;
  assert.deepEqual(p.dirs, [leaf]);
  assert.deepEqual(p.procsFiles, [`${leaf}/cgroup.procs`]);
  assert.deepEqual(p.writes, [
    { file: `${C}/user.slice/berth/cgroup.subtree_control`, value: '+cpu +cpuset +io +memory +pids', enableControllers: true },
    { file: `${leaf}/memory.max`, value: '67108864' },
    { file: `${leaf}/memory.swap.max`, value: '67108864' },
    { file: `${leaf}/memory.low`, value: '33554432' },
    { file: `${leaf}/cpu.weight`, value: '20' },
    { file: `${leaf}/cpu.max`, value: '50000 100000' },
    { file: `${leaf}/cpuset.cpus`, value: '0-1' },
    { file: `${leaf}/cpuset.mems`, value: '0' },
    { file: `${leaf}/pids.max`, value: '20' },
    { file: `${leaf}/io.weight`, value: '4950', fallback: { file: `${leaf}/io.bfq.weight`, value: '500' } },
  ]);
});

test('planCgroup v2: unlimited, swap = limit, unified and hugetlb, realtime refused', () => {
  const p = planCgroup(V2, { '': '/' }, 'c', {
    memory: { limit: 1 << 30, swap: 1 << 30 }, cpu: { quota: -1, period: 50000 },
    hugepageLimits: [{ pageSize: '2MB', limit: 4 << 20 }], unified: { 'memory.high': '900000000', 'cgroup.type': 'threaded' },
  });
  assert.deepEqual(p.writes.map((w) => [w.file.slice(C.length), w.value, !!w.optional]), [
    ['/cgroup.subtree_control', '+cpu +cpuset +io +memory +pids +hugetlb', false],
    ['/c/memory.max', '1073741824', false],
    ['/c/memory.swap.max', '0', true],
    ['/c/cpu.max', 'max 50000', false],
    ['/c/hugetlb.2MB.max', '4194304', false],
    ['/c/memory.high', '900000000', false],
    ['/c/cgroup.type', 'threaded', false],
  ]);
  const q = planCgroup(V2, {}, 'c', { memory: { limit: -1, swap: -1 }, pids: { limit: -1 }, cpu: { period: 100000 } });
  assert.deepEqual(q.writes.slice(1).map((w) => w.value), ['max', 'max', 'max 100000', 'max']);
  assert.throws(() => planCgroup(V2, {}, 'c', { cpu: { realtimeRuntime: 1000 } }), (e) => isCode(e, 'InvalidArgument'));
});

test('planFromPath: absolute from the hierarchy root, relative beneath the parents', () => {
  const abs = planFromPath(V1, '/berth/c1', OWN_V1, undefined);
  assert.deepEqual(abs.dirs.filter((d) => d.includes('/memory/')), [`${C}/memory/berth`, `${C}/memory/berth/c1`]);
  assert.ok(abs.procsFiles.includes(`${C}/memory/berth/c1/cgroup.procs`));
  const rel = planFromPath(V1, 'berth/c1', OWN_V1, undefined);
  assert.deepEqual(rel.dirs.filter((d) => d.includes('/memory/')), [`${C}/memory/process_api/abc/berth`, `${C}/memory/process_api/abc/berth/c1`]);
  assert.ok(rel.procsFiles.includes(`${C}/pids/berth/c1/cgroup.procs`));
  const v2 = planFromPath(V2, '/a/b', { '': '/own' }, undefined);
  assert.deepEqual(v2.dirs, [`${C}/a`, `${C}/a/b`]);
  assert.deepEqual(v2.writes.map((w) => w.file), [`${C}/cgroup.subtree_control`, `${C}/a/cgroup.subtree_control`]);
  assert.deepEqual(planFromPath(V2, 'x//y/', { '': '/own' }, undefined).dirs, [`${C}/own/x`, `${C}/own/x/y`]);
});

test('planFromPath / planCgroup: bad paths and names', () => {
  for (const bad of ['/a/../../etc', '..', '/', '', 'system.slice:docker:abc']) {
    assert.throws(() => planFromPath(V1, bad, OWN_V1, undefined), (e) => isCode(e, 'InvalidArgument'), bad);
  }
  for (const bad of ['', '.', '..', 'a/b']) {
    assert.throws(() => planCgroup(V1, OWN_V1, bad, undefined), (e) => isCode(e, 'InvalidArgument'), bad);
  }
});

test('invalid resource values are refused before any plan', () => {
  const bad: Resources[] = [
    { memory: { limit: -2 } },
    { memory: { limit: 100 << 20, reservation: 200 << 20 } },
    { memory: { limit: 100 << 20, swap: 50 << 20 } },
    { memory: { swap: 50 << 20 } },
    { memory: { swappiness: 101 } },
    { memory: { limit: 1.5 } },
    { cpu: { shares: 1 } },
    { cpu: { shares: 300000 } },
    { cpu: { quota: -5 } },
    { cpu: { quota: 500 } },
    { cpu: { period: 100 } },
    { cpu: { cpus: '0-1;rm' } },
    { pids: { limit: -3 } },
    { blockIO: { weight: 5 } },
    { devices: [{ allow: true, type: 'x' }] },
    { devices: [{ allow: true, access: 'rwx' }] },
    { hugepageLimits: [{ pageSize: '2M', limit: 1 }] },
    { unified: { '../x': '1' } },
  ];
  for (const res of bad) {
    for (const l of [V1, V2]) assert.throws(() => planCgroup(l, {}, 'c', res), (e) => isCode(e, 'InvalidArgument'), JSON.stringify(res));
  }
  // Zero means "not set", and the boundaries are accepted.
  assert.deepEqual(planCgroup(V1, {}, 'c', { memory: { limit: 0 }, cpu: { shares: 0, quota: 0 }, pids: { limit: 0 } }).writes, []);
  planCgroup(V1, {}, 'c', { cpu: { shares: 2, quota: 1000, period: 1000 }, blockIO: { weight: 10 } });
  planCgroup(V2, {}, 'c', { cpu: { shares: 262144, period: 1_000_000 }, blockIO: { weight: 1000 } });
});
