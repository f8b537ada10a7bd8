// npm run bench -- runtime
// 1. The same busybox `true` bundle under `berth-runtime run`, `runc run` and `crun run`,
//    alternating, as whole commands (medians and ratios).
// 2. The runtime's own cost as berthd will use it: create, start, wait, delete driven in-process.
// 3. The helper's binary size and the monitor's peak memory.
//
// runc 1.1 and crun 1.8 cannot use this machine's hybrid cgroup layout from inside the
// supervisor's cgroup, so all three commands run in one private mount namespace in which each
// v1 controller mount is replaced by a bind of this process's own cgroup for it (so their "/"
// is a cgroup we own) and the empty cgroup2 mount is hidden (crun refuses the hybrid layout).
import { execFileSync, spawnSync } from 'node:child_process';
import { statSync, readFileSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { makeBundle } from '../test/support/bundle.ts';
import { makeRuntime } from '../test/support/runtime.ts';
import { helperPath } from '../src/native/helper-path.ts';
import { median, printTable } from './_stats.ts';
import { privateCgroupPrologue } from '../test/support/private-cgroups.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 30);
const REPO = join(import.meta.dirname, '..');

function have(bin: string): boolean {
  return spawnSync('which', [bin], { stdio: 'ignore' }).status === 0;
}

function privateNsScript(bundleDir: string, runtimes: string[], stateDir: string): string {
  const cmds: Record<string, string> = {
    'berth-runtime': `${REPO}/bin/berth-runtime --root ${stateDir}/berth run --bundle ${bundleDir}`,
    runc: `runc --root ${stateDir}/runc run --bundle ${bundleDir}`,
    crun: `crun --root ${stateDir}/crun run --bundle ${bundleDir}`,
  };
  return `set -e
${privateCgroupPrologue()}
for i in $(seq 1 ${ROUNDS}); do
${runtimes.map((r) => `  t0=$EPOCHREALTIME; ${cmds[r]} bench-${r}-$i >/dev/null; t1=$EPOCHREALTIME; echo "${r} $t0 $t1"`).join('\n')}
done
`;
}

async function inProcess(bundleDir: string, n: number): Promise<number[]> {
  const trt = makeRuntime();
  const times: number[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      await trt.rt.run({ id: `bench-inproc-${process.pid}-${i}`, bundle: bundleDir, stdio: ['ignore', 'ignore', 'ignore'] });
      times.push(performance.now() - t0);
    }
  } finally {
    await trt.cleanup();
  }
  return times;
}

async function monitorPeak(bundleDir: string): Promise<number> {
  const trt = makeRuntime();
  try {
    const b = makeBundle('bench-mon', ['sleep', '2']);
    const { state } = await trt.rt.create({ id: b.id, bundle: b.dir, stdio: ['ignore', 'ignore', 'ignore'] });
    await trt.rt.start(b.id);
    await new Promise((r) => setTimeout(r, 200));
    const status = readFileSync(`/proc/${state.monitorPid}/status`, 'utf8');
    await trt.rt.delete(b.id, true);
    b.cleanup();
    void bundleDir;
    return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  } finally {
    await trt.cleanup();
  }
}

export async function run(): Promise<void> {
  const b = makeBundle('bench', ['true'], (s) => {
    s.process!.terminal = false;
    delete s.linux!.resources;
    s.linux!.namespaces = s.linux!.namespaces!.filter((n) => n.type !== 'cgroup');
    s.mounts = s.mounts!.filter((m) => m.type !== 'cgroup');
  });
  const state = join('/tmp', `${b.id}-state`);
  mkdirSync(state, { recursive: true });
  try {
    const runtimes = ['berth-runtime', ...['runc', 'crun'].filter(have)];
    writeFileSync(join(b.dir, 'bench.sh'), privateNsScript(b.dir, runtimes, state));
    const out = execFileSync('unshare', ['-m', '--propagation', 'private', 'bash', join(b.dir, 'bench.sh')], { encoding: 'utf8' });
    const times: Record<string, number[]> = {};
    for (const line of out.trim().split('\n')) {
      const [name, t0, t1] = line.split(' ');
      (times[name] ??= []).push((Number(t1) - Number(t0)) * 1000);
    }
    const inproc = await inProcess(b.dir, ROUNDS);
    const rows: (string | number)[][] = [['what', 'median ms', 'vs runc', 'vs crun']];
    const ref = (r: string) => (times[r] ? median(times[r]) : NaN);
    for (const [name, t] of [...Object.entries(times), ['berth in-process (create+start+wait+delete)', inproc] as const]) {
      const m = median(t as number[]);
      rows.push([name, m, times.runc ? `${(m / ref('runc')).toFixed(2)}x` : 'n/a', times.crun ? `${(m / ref('crun')).toFixed(2)}x` : 'n/a']);
    }
    console.log(`busybox \`true\`, ${ROUNDS} rounds alternating; ratios < 1 mean berth is faster`);
    printTable(rows);
    const nodeStart = median(Array.from({ length: 10 }, () => {
      const t0 = performance.now();
      execFileSync(join(REPO, 'node_modules/.bin/node'), ['-e', '0']);
      return performance.now() - t0;
    }));
    console.log(`node start-up alone: ${nodeStart.toFixed(1)} ms`);
    console.log(`helper binary: ${(statSync(helperPath()).size / 1024).toFixed(1)} KiB`);
    console.log(`monitor peak RSS (VmHWM): ${await monitorPeak(b.dir)} KiB`);
  } finally {
    rmSync(state, { recursive: true, force: true });
    b.cleanup();
  }
}
