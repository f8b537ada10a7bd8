// cgroups on this real v1 host: a container cgroup beneath this process's own cgroups, with
// limits read back, a process joined, frozen and thawed, stats, the OOM killer, and removal.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { cpus } from 'node:os';
import { requires, testName } from '../support/requires.ts';
import {
  detectLayout, ownCgroup, planCgroup, applyCgroup, joinCgroup, destroyCgroup, freeze, thaw, isFrozen,
  listPids, readStats, oomKillCount, leafFor, type CgroupPlan, type CgroupLayout,
} from '../../src/runtime/cgroups/index.ts';

const layout: CgroupLayout | null = detectLayout(readFileSync('/proc/self/mountinfo', 'utf8'));
const parents = ownCgroup(readFileSync('/proc/self/cgroup', 'utf8'), layout);

function whySkip(): string | false {
  const need = requires('root', 'cgroup-v1');
  if (need) return need;
  if (layout?.mode !== 'v1') return 'cgroup layout is not v1';
  for (const c of ['memory', 'cpu', 'pids', 'freezer']) {
    if (!layout.v1Mounts?.[c]) return `no ${c} hierarchy mounted`;
  }
  const ownMem = join(layout.v1Mounts!.memory, parents.memory ?? '/');
  try {
    accessSync(ownMem, constants.W_OK);
  } catch {
    return `this process's own memory cgroup ${ownMem} is not writable`;
  }
  return false;
}
const skip = whySkip();

const children: ChildProcess[] = [];
const plans: CgroupPlan[] = [];
after(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await Promise.all(children.map(exited));
  for (const p of plans) await thaw(p).catch(() => {});
  for (const p of plans) await destroyCgroup(p);
});

function exited(c: ChildProcess): Promise<void> {
  if (c.exitCode !== null || c.signalCode !== null) return Promise.resolve();
  return new Promise((r) => c.once('exit', () => r()));
}

function start(cmd: string, args: string[]): ChildProcess {
  const c = spawn(cmd, args, { stdio: ['pipe', 'ignore', 'ignore'] });
  children.push(c);
  return c;
}

/** [state, utime+stime] from /proc/PID/stat. */
function procStat(pid: number): [string, number] {
  const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
  return [f[0], Number(f[11]) + Number(f[12])];
}

const sleepMs = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('limits, join, freeze/thaw, stats and removal on a real v1 host', { skip }, async () => {
  const name = testName('cg');
  const plan = planCgroup(layout!, parents, name, {
    memory: { limit: 64 << 20 }, cpu: { shares: 512, quota: 50000, period: 100000 }, pids: { limit: 20 },
  });
  plans.push(plan);
  await applyCgroup(plan);
  for (const d of plan.dirs) assert.ok(existsSync(d), d);
  const mem = leafFor(plan, 'memory')!;
  const cpu = leafFor(plan, 'cpu')!;
  const pids = leafFor(plan, 'pids')!;
  assert.equal(mem, join(layout!.v1Mounts!.memory, parents.memory, name));
  const read = (dir: string, f: string) => readFileSync(join(dir, f), 'utf8').trim();
  assert.equal(read(mem, 'memory.limit_in_bytes'), '67108864');
  assert.equal(read(cpu, 'cpu.cfs_quota_us'), '50000');
  assert.equal(read(cpu, 'cpu.cfs_period_us'), '100000');
  assert.equal(read(cpu, 'cpu.shares'), '512');
  assert.equal(read(pids, 'pids.max'), '20');
  const cpuset = leafFor(plan, 'cpuset');
  if (cpuset) assert.notEqual(read(cpuset, 'cpuset.cpus'), '', 'cpuset.cpus copied from the parent');

  // Both wait for a line on stdin until they are in the cgroup, so that exec charges it.
  const sleeper = start('sh', ['-c', 'read x; exec sleep 30']);
  const spinner = start('sh', ['-c', 'read x; while :; do :; done']);
  await joinCgroup(plan, sleeper.pid!);
  await joinCgroup(plan, spinner.pid!);
  sleeper.stdin!.end('go\n');
  spinner.stdin!.end('go\n');
  const own = readFileSync(`/proc/${sleeper.pid}/cgroup`, 'utf8');
  assert.match(own, new RegExp(`:memory:${parents.memory.replace(/\/$/, '')}/${name}\\n`));
  const listed = await listPids(plan);
  assert.ok(listed.includes(sleeper.pid!) && listed.includes(spinner.pid!), `listPids: ${listed}`);

  await sleepMs(300);
  assert.equal(await isFrozen(plan), false);
  await freeze(plan);
  assert.equal(await isFrozen(plan), true);
  const [state1, t1] = procStat(spinner.pid!);
  assert.notEqual(state1, 'R', 'a frozen process is not running');
  await sleepMs(300);
  assert.equal(procStat(spinner.pid!)[1], t1, 'no CPU time while frozen');
  await thaw(plan);
  assert.equal(await isFrozen(plan), false);
  await sleepMs(300);
  assert.ok(procStat(spinner.pid!)[1] > t1, 'CPU time again after thaw');

  const s = await readStats(plan);
  assert.ok(s.memory.usage > 0 && s.memory.usage < 64 << 20, `memory usage ${s.memory.usage}`);
  assert.equal(s.memory.limit, 67108864);
  assert.ok(s.memory.inactiveFile <= s.memory.usage);
  assert.ok(s.cpu.usageTotal > 50_000_000, `cpu usage ${s.cpu.usageTotal}`);
  assert.equal(s.cpu.usagePerCpu.length >= cpus().length, true);
  assert.ok(Math.abs(s.cpu.usagePerCpu.reduce((a, b) => a + b, 0) - s.cpu.usageTotal) < 1e9);
  assert.ok(s.cpu.throttling.periods > 0 && s.cpu.throttling.throttledPeriods > 0, JSON.stringify(s.cpu.throttling));
  assert.ok(s.pids.current >= 2 && s.pids.current <= 20, `pids ${s.pids.current}`);
  assert.equal(s.pids.limit, 20);
  assert.equal(await oomKillCount(plan), 0);

  sleeper.kill('SIGKILL');
  spinner.kill('SIGKILL');
  await Promise.all([exited(sleeper), exited(spinner)]);
  await destroyCgroup(plan);
  for (const d of plan.dirs) assert.equal(existsSync(d), false, `${d} removed`);
  assert.ok(existsSync(join(layout!.v1Mounts!.memory, parents.memory)), 'the parent stays');
  assert.deepEqual(await listPids(plan), []);
});

function memoryHog(): [string, string[]] {
  try {
    const py = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
    if (py) return [py, ['-c', 'import sys; sys.stdin.readline(); a = b"x" * (64 << 20)']];
  } catch { /* no python3: tail keeps /dev/zero in memory, waiting for a newline */ }
  return ['sh', ['-c', 'read x; exec tail /dev/zero']];
}

test('the OOM killer acts in a small cgroup and oomKillCount sees it', { skip }, async () => {
  const plan = planCgroup(layout!, parents, testName('oom'), { memory: { limit: 16 << 20, swap: 16 << 20 } });
  plans.push(plan);
  await applyCgroup(plan);
  assert.equal(await oomKillCount(plan), 0);
  const [cmd, args] = memoryHog();
  const hog = start(cmd, args);
  await joinCgroup(plan, hog.pid!);
  const done = new Promise<[number | null, string | null]>((r) => hog.once('exit', (code, sig) => r([code, sig])));
  hog.stdin!.end('go\n');
  const [code, sig] = await done;
  assert.equal(sig, 'SIGKILL', `hog exited with ${code}/${sig}`);
  assert.ok((await oomKillCount(plan)) > 0);
  const s = await readStats(plan);
  assert.ok(s.memory.oomKills > 0 && s.memory.maxUsage > 8 << 20, JSON.stringify(s.memory));
  await destroyCgroup(plan);
  for (const d of plan.dirs) assert.equal(existsSync(d), false, `${d} removed`);
});

test('device rules apply; a value the kernel refuses removes what was made', { skip }, async () => {
  const plan = planCgroup(layout!, parents, testName('dev'), {
    devices: [{ allow: false, access: 'rwm' }, { allow: true, type: 'c', major: 1, minor: 3, access: 'rwm' }, { allow: true, type: 'c', major: 136, access: 'rw' }],
  });
  plans.push(plan);
  await applyCgroup(plan);
  const dev = leafFor(plan, 'devices');
  if (dev) {
    const list = readFileSync(join(dev, 'devices.list'), 'utf8').trim().split('\n');
    for (const rule of ['c 1:3 rwm', 'c 136:* rwm', 'c *:* m', 'b *:* m', 'c 5:2 rwm']) assert.ok(list.includes(rule), `${rule} in ${list}`);
    assert.ok(!list.includes('a *:* rwm'), 'no longer allow-all');
  }
  await destroyCgroup(plan);

  if (!layout!.v1Mounts!.cpuset) return;
  const bad = planCgroup(layout!, parents, testName('bad'), { pids: { limit: 5 }, cpu: { cpus: '4095' } });
  plans.push(bad);
  await assert.rejects(applyCgroup(bad), (e: Error) => /cpuset\.cpus/.test(e.message) && (e as { code?: string }).code === 'InvalidArgument');
  for (const d of bad.dirs) assert.equal(existsSync(d), false, `${d} removed after the failure`);
});
