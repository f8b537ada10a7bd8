// The executor on a fake cgroup v2 tree of plain files (v2 is not available on the test host).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyCgroup, destroyCgroup, joinCgroup } from './apply.ts';
import { freeze, isFrozen, thaw } from './freezer.ts';
import { listPids, oomKillCount, readStats } from './stats.ts';
import { planCgroup } from './plan.ts';
import type { CgroupLayout } from './types.ts';
import { isCode } from '../../errors/errors.ts';

function fakeTree(t: { after: (fn: () => void) => void }) {
  const root = mkdtempSync(join(tmpdir(), 'berth-cgfake-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const files = (dir: string, f: Record<string, string>) => {
    mkdirSync(dir, { recursive: true });
    for (const [k, v] of Object.entries(f)) writeFileSync(join(dir, k), v);
  };
  files(join(root, 'own'), { 'cgroup.controllers': 'cpu io memory pids', 'cgroup.subtree_control': 'memory' });
  const layout: CgroupLayout = { mode: 'v2', root };
  return { root, layout, files };
}

const LEAF_FILES = {
  'cgroup.procs': '', 'memory.max': 'max', 'cpu.max': 'max 100000', 'cpu.weight': '100', 'pids.max': 'max',
  'io.bfq.weight': '100', 'cgroup.freeze': '0', 'cgroup.events': 'populated 1\nfrozen 0\n',
};

test('v2 apply: enables only available, missing controllers; optional and fallback writes', async (t) => {
  const { root, layout, files } = fakeTree(t);
  const leaf = join(root, 'own', 'c1');
  files(leaf, LEAF_FILES);
  const plan = planCgroup(layout, { '': '/own' }, 'c1', {
    memory: { limit: 64 << 20, swap: -1 }, cpu: { shares: 1024, quota: 20000, period: 100000 }, pids: { limit: 20 }, blockIO: { weight: 300 },
  });
  await applyCgroup(plan);
  const read = (f: string) => readFileSync(join(leaf, f), 'utf8');
  assert.equal(readFileSync(join(root, 'own', 'cgroup.subtree_control'), 'utf8'), '+cpu +io +pids');
  assert.equal(read('memory.max'), '67108864');
  assert.equal(existsSync(join(leaf, 'memory.swap.max')), false); // optional "max", file missing: skipped
  assert.equal(read('cpu.weight'), '39');
  assert.equal(read('cpu.max'), '20000 100000');
  assert.equal(read('pids.max'), '20');
  assert.equal(read('io.bfq.weight'), '300'); // io.weight missing → fallback
  await joinCgroup(plan, 4242);
  assert.equal(read('cgroup.procs'), '4242');
});

test('v2 apply: a failing write removes the dirs it made and names the file', async (t) => {
  const { root, layout } = fakeTree(t);
  const plan = planCgroup(layout, { '': '/own' }, 'c2', { pids: { limit: 5 } });
  await assert.rejects(applyCgroup(plan), (e) => isCode(e, 'NotFound') && /pids\.max/.test((e as Error).message));
  assert.equal(existsSync(join(root, 'own', 'c2')), false);
  assert.equal(existsSync(join(root, 'own')), true);
});

test('v2 freeze/thaw/isFrozen, pids, OOM count and stats on the fake tree', async (t) => {
  const { root, layout, files } = fakeTree(t);
  const leaf = join(root, 'own', 'c3');
  files(leaf, { ...LEAF_FILES, 'cgroup.procs': '10\n11\n', 'cgroup.events': 'populated 1\nfrozen 1\n', 'memory.events': 'oom 2\noom_kill 2\n', 'memory.current': '1000', 'memory.stat': 'file 10\ninactive_file 4\n' });
  files(join(leaf, 'sub'), { 'cgroup.procs': '12\n' });
  const plan = planCgroup(layout, { '': '/own' }, 'c3', undefined);
  assert.equal(await isFrozen(plan), false);
  await freeze(plan);
  assert.equal(readFileSync(join(leaf, 'cgroup.freeze'), 'utf8'), '1');
  assert.equal(await isFrozen(plan), true);
  writeFileSync(join(leaf, 'cgroup.events'), 'populated 1\nfrozen 0\n');
  await thaw(plan);
  assert.equal(await isFrozen(plan), false);
  assert.deepEqual((await listPids(plan)).sort(), [10, 11, 12]);
  assert.equal(await oomKillCount(plan), 2);
  const s = await readStats(plan);
  assert.equal(s.memory.usage, 1000);
  assert.equal(s.memory.inactiveFile, 4);
  assert.equal(s.memory.limit, null);
});

test('destroy: removes only the leaf, ENOENT is fine', async (t) => {
  const { root, layout } = fakeTree(t);
  const plan = planCgroup(layout, { '': '/own' }, 'c4', undefined);
  mkdirSync(join(root, 'own', 'c4', 'child'), { recursive: true });
  await destroyCgroup(plan);
  assert.equal(existsSync(join(root, 'own', 'c4')), false);
  assert.equal(existsSync(join(root, 'own')), true);
  await destroyCgroup(plan);
  assert.equal(await oomKillCount(plan), 0);
  assert.deepEqual(await listPids(plan), []);
});
