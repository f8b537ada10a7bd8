// npm run bench -- engine: berthd against dockerd through the same docker CLI (and `berth run`):
// run --rm, 20 parallel run -d, ps with 20 running, logs of 100k lines, idle daemon memory and
// memory per running container. dockerd is used when one answers on /var/run/docker.sock or
// when Debian's dockerd is installed (then started here on private roots with networking off;
// both sides run containers with --network none so they do the same work).
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { docker, haveDocker, DOCKER_BIN } from '../test/e2e/support/docker-cli.ts';
import { pingSocket, startBerthd, dockerEnvFor } from '../test/e2e/support/daemon.ts';
import { median, printTable } from './_stats.ts';
import { bundleDaemon, removeBundle } from '../scripts/bundle.ts';

const REPO = join(import.meta.dirname, '..');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const fmt = (x: number | undefined, d = 1) => (x === undefined ? 'n/a' : x.toFixed(d));
const ratio = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined ? 'n/a' : `${(a / b).toFixed(2)}x`);
const rssMiB = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

interface Side { env: NodeJS.ProcessEnv; pids: () => number[] }
interface Figures { runRm?: number; par20?: number; version20?: number; ps20?: number; logs100k?: number; idleMiB?: number; perCtrMiB?: number }

async function time(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

async function must(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const r = await docker(args, env, { timeoutMs: 120_000 });
  if (r.code !== 0) throw new Error(`docker ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** Processes whose command line names one of `needles` (the per-container monitors/shims). */
function processesMatching(needles: RegExp): number[] {
  return readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
    try { return needles.test(readFileSync(`/proc/${p}/cmdline`, 'utf8')); } catch { return false; }
  }).map(Number);
}

async function measure(side: Side, daemonPid: number, perContainer: RegExp): Promise<Figures> {
  const f: Figures = { idleMiB: rssMiB(daemonPid) };
  await must(['run', '--rm', '--network', 'none', 'busybox', 'true'], side.env); // warm
  const runs: number[] = [];
  for (let i = 0; i < ROUNDS; i++) runs.push(await time(() => must(['run', '--rm', '--network', 'none', 'busybox', 'true'], side.env)));
  f.runRm = median(runs);
  // The docker CLI's own share: 20 parallel `docker version` (one request each, no container).
  const versions: number[] = [];
  for (let i = 0; i < 3; i++) versions.push(await time(() => Promise.all(Array.from({ length: 20 }, () => must(['version'], side.env)))));
  f.version20 = median(versions);
  const before = new Set(processesMatching(perContainer));
  const names = Array.from({ length: 20 }, (_, i) => `bench-par-${i}`);
  const batch = () => time(() => Promise.all(names.map((n) => must(['run', '-d', '--network', 'none', '--name', n, 'busybox', 'sleep', '300'], side.env))));
  // Three batches, the median: one batch of 20 varies by ±20% run to run. The last stays up for ps.
  const batches: number[] = [];
  for (let i = 0; i < 3; i++) {
    if (i) await must(['rm', '-f', ...names], side.env);
    batches.push(await batch());
  }
  f.par20 = median(batches);
  const ps: number[] = [];
  for (let i = 0; i < 5; i++) ps.push(await time(() => must(['ps'], side.env)));
  f.ps20 = median(ps);
  const per = processesMatching(perContainer).filter((p) => !before.has(p));
  f.perCtrMiB = per.length ? per.reduce((a, p) => a + rssMiB(p), 0) / 20 : undefined;
  await must(['rm', '-f', ...Array.from({ length: 20 }, (_, i) => `bench-par-${i}`)], side.env);
  await must(['run', '--name', 'bench-logs', '--network', 'none', 'busybox', 'seq', '1', '100000'], side.env);
  const logs: number[] = [];
  for (let i = 0; i < 3; i++) logs.push(await time(() => must(['logs', 'bench-logs'], side.env)));
  f.logs100k = median(logs);
  await must(['rm', 'bench-logs'], side.env);
  return f;
}

/** A dockerd to compare with: the system's if one answers, else Debian's started on private
 *  roots with networking off (`network` replaces `--bridge=none`: the network bench's own bridge). */
export async function withDockerd(work: string, busyboxTar: string, network: string[] = ['--bridge=none']): Promise<{ side: Side; pid: number; stop: () => Promise<void> } | undefined> {
  const sock = '/var/run/docker.sock';
  if (await pingSocket(sock)) {
    const env = dockerEnvFor(`unix://${sock}`, join(work, 'dcfg'));
    execFileSync(DOCKER_BIN, ['load', '-i', busyboxTar], { env, stdio: 'ignore' });
    const pid = Number(readFileSync('/var/run/docker.pid', 'utf8'));
    return { side: { env, pids: () => [pid] }, pid, stop: async () => {} };
  }
  if (spawnSync('which', ['dockerd'], { stdio: 'ignore' }).status !== 0) return undefined;
  const root = join(work, 'dockerd');
  const own = join(root, 'docker.sock');
  const child = spawn('dockerd', ['-H', `unix://${own}`, '--data-root', join(root, 'data'), '--exec-root', join(root, 'exec'), '--pidfile', join(root, 'pid'),
    '--iptables=false', '--ip-masq=false', '--ip-forward=false', ...network], { stdio: 'ignore' });
  for (let i = 0; i < 100 && !(await pingSocket(own)); i++) await new Promise((r) => setTimeout(r, 200));
  if (!(await pingSocket(own))) { child.kill('SIGKILL'); return undefined; }
  const env = dockerEnvFor(`unix://${own}`, join(work, 'dcfg'));
  execFileSync(DOCKER_BIN, ['load', '-i', busyboxTar], { env, stdio: 'ignore' });
  return {
    side: { env, pids: () => [child.pid!] }, pid: child.pid!,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      spawnSync('umount', ['-R', root]);
    },
  };
}

/** docker run --rm against a second berthd with the opt-in cgroup-favordynmods (v1 hosts). */
async function runRmWithDynmods(entry: string): Promise<number | undefined> {
  const d = await startBerthd({ busybox: true, entry, config: { 'cgroup-favordynmods': true } });
  try {
    await must(['run', '--rm', '--network', 'none', 'busybox', 'true'], d.dockerEnv);
    const runs: number[] = [];
    for (let i = 0; i < ROUNDS; i++) runs.push(await time(() => must(['run', '--rm', '--network', 'none', 'busybox', 'true'], d.dockerEnv)));
    return median(runs);
  } finally {
    await d.stop();
  }
}

export async function run(): Promise<void> {
  if (!haveDocker()) { console.log('no docker CLI: skipped'); return; }
  const work = mkdtempSync(join(tmpdir(), 'berth-bench-engine-'));
  // A fresh bundle inside the checkout (dist/), as shipped: it finds native/build from there.
  const entry = await bundleDaemon(`bench-engine-berthd-${process.pid}`);
  const d = await startBerthd({ busybox: true, entry });
  let dockerd: Awaited<ReturnType<typeof withDockerd>>;
  try {
    // Idle: start-up settled, before any request (the `docker save` below loads the image
    // service's archive code, which an idle berthd has not loaded).
    await new Promise((r) => setTimeout(r, 1000));
    const idleMiB = rssMiB(d.pid);
    const busyboxTar = join(work, 'busybox.tar');
    await must(['save', '-o', busyboxTar, 'busybox'], d.dockerEnv);
    const afterSaveMiB = rssMiB(d.pid);
    const berth = { ...(await measure({ env: d.dockerEnv, pids: () => [d.pid] }, d.pid, /berth-(helper|monitor)/)), idleMiB };
    const fast = await runRmWithDynmods(entry);
    dockerd = await withDockerd(work, busyboxTar).catch(() => undefined);
    const theirs = dockerd ? await measure(dockerd.side, dockerd.pid, /containerd-shim/) : undefined;
    const berthCli = join(REPO, 'bin/berth');
    const berthRun: number[] = [];
    for (let i = 0; i < ROUNDS && existsSync(berthCli); i++) {
      const t = performance.now();
      const r = spawnSync(berthCli, ['run', '--rm', '--network', 'none', 'busybox', 'true'], { env: d.dockerEnv });
      if (r.status !== 0) break;
      berthRun.push(performance.now() - t);
    }
    printTable([
      ['figure', 'berthd', 'dockerd', 'berthd/dockerd'],
      ['docker run --rm busybox true, median ms', fmt(berth.runRm), fmt(theirs?.runRm), ratio(berth.runRm, theirs?.runRm)],
      ['  the same, daemon.json cgroup-favordynmods (opt-in)', fmt(fast), fmt(theirs?.runRm), ratio(fast, theirs?.runRm)],
      ['berth run --rm busybox true, median ms', fmt(berthRun.length === ROUNDS ? median(berthRun) : undefined), 'n/a', 'n/a'],
      ['20 parallel run -d, median of 3 batches, ms', fmt(berth.par20), fmt(theirs?.par20), ratio(berth.par20, theirs?.par20)],
      ['  20 parallel docker version (the CLI alone), ms', fmt(berth.version20), fmt(theirs?.version20), ratio(berth.version20, theirs?.version20)],
      ['ps with 20 running, median ms', fmt(berth.ps20), fmt(theirs?.ps20), ratio(berth.ps20, theirs?.ps20)],
      ['logs of 100k lines, median ms', fmt(berth.logs100k), fmt(theirs?.logs100k), ratio(berth.logs100k, theirs?.logs100k)],
      ['idle daemon RSS, MiB', fmt(berth.idleMiB), fmt(theirs?.idleMiB), ratio(berth.idleMiB, theirs?.idleMiB)],
      ['daemon RSS after one docker save, MiB', fmt(afterSaveMiB), 'n/a', 'n/a'],
      ['RSS per running container (monitor / shim), MiB', fmt(berth.perCtrMiB, 2), fmt(theirs?.perCtrMiB, 2), ratio(berth.perCtrMiB, theirs?.perCtrMiB)],
    ]);
    if (!dockerd) console.log('dockerd: not installed or not answering (Debian docker.io provides one)');
    else console.log('dockerd idle RSS counts dockerd alone (containerd is a separate process), measured after a docker load');
  } finally {
    await dockerd?.stop();
    await d.stop();
    rmSync(work, { recursive: true, force: true });
    removeBundle(`bench-engine-berthd-${process.pid}`);
  }
}
