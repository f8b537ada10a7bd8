// npm run bench -- daemon
// berthd's API round trips against dockerd's (when a Docker daemon answers on
// /var/run/docker.sock; otherwise "n/a"):
// 1. `docker version` through the real docker CLI (median wall time of BENCH_DAEMON_CLI_ROUNDS runs);
// 2. GET /_ping over a keep-alive unix socket: sequential ops/s and p50/p99 latency, then with
//    16 requests in flight;
// 3. berthd start-up (spawn to first /_ping answer) and idle RSS.
// berthd runs as the code-split esbuild bundle of src/daemon/main.ts (the shipped form), written to dist/.
import { Agent, request } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { docker, haveDocker } from '../test/e2e/support/docker-cli.ts';
import { pingSocket, startBerthd, dockerEnvFor } from '../test/e2e/support/daemon.ts';
import { median, printTable } from './_stats.ts';
import { bundleDaemon, removeBundle } from '../scripts/bundle.ts';

const CLI_ROUNDS = Number(process.env.BENCH_DAEMON_CLI_ROUNDS ?? 20);
const PINGS = Number(process.env.BENCH_DAEMON_PINGS ?? 5000);
const INFLIGHT = 16;
const DOCKERD_SOCK = '/var/run/docker.sock';
const REPO = join(import.meta.dirname, '..');

function ping(agent: Agent, socket: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: socket, path: '/_ping', agent }, (res) => { res.resume(); res.on('end', resolve); });
    req.on('error', reject).end();
  });
}

async function pingFigures(socket: string): Promise<{ seqOps: number; p50: number; p99: number; parOps: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: INFLIGHT });
  try {
    for (let i = 0; i < 200; i++) await ping(agent, socket); // warm-up
    const lat: number[] = [];
    const t0 = performance.now();
    for (let i = 0; i < PINGS; i++) {
      const s = performance.now();
      await ping(agent, socket);
      lat.push(performance.now() - s);
    }
    const seqMs = performance.now() - t0;
    lat.sort((a, b) => a - b);
    let next = 0;
    const t1 = performance.now();
    await Promise.all(Array.from({ length: INFLIGHT }, async () => { while (next++ < PINGS) await ping(agent, socket); }));
    const parMs = performance.now() - t1;
    return { seqOps: PINGS / (seqMs / 1000), p50: median(lat), p99: lat[Math.floor(lat.length * 0.99)], parOps: PINGS / (parMs / 1000) };
  } finally {
    agent.destroy();
  }
}

async function cliMedian(env: NodeJS.ProcessEnv): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < CLI_ROUNDS; i++) {
    const t = performance.now();
    const r = await docker(['version'], env);
    if (r.code !== 0) throw new Error(`docker version failed: ${r.stderr}`);
    times.push(performance.now() - t);
  }
  return median(times);
}

const rssMiB = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
const ratio = (a: number, b: number | undefined) => (b === undefined ? 'n/a' : (a / b).toFixed(2));
const fmt = (x: number | undefined, digits = 2) => (x === undefined ? 'n/a' : x.toFixed(digits));

export async function run(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'berth-bench-daemon-'));
  try {
    // Inside the checkout (dist/), so the bundle finds native/build and package.json as shipped.
    const entry = await bundleDaemon(`bench-berthd-${process.pid}`);
    const t0 = performance.now();
    const d = await startBerthd({ entry });
    const startupMs = performance.now() - t0;
    try {
      await new Promise((r) => setTimeout(r, 500));
      const idle = rssMiB(d.pid);
      const haveDockerd = await pingSocket(DOCKERD_SOCK);
      const dockerEnv = dockerEnvFor(`unix://${DOCKERD_SOCK}`, join(work, 'docker-config'));
      const cli = haveDocker();
      const berthCli = cli ? await cliMedian(d.dockerEnv) : undefined;
      const dockerCli = cli && haveDockerd ? await cliMedian(dockerEnv) : undefined;
      const bp = await pingFigures(d.socket);
      const dp = haveDockerd ? await pingFigures(DOCKERD_SOCK) : undefined;
      printTable([
        ['figure', 'berthd', 'dockerd', 'berthd/dockerd'],
        ['docker version, median ms', fmt(berthCli, 1), fmt(dockerCli, 1), berthCli === undefined ? 'n/a' : ratio(berthCli, dockerCli)],
        ['/_ping sequential ops/s', fmt(bp.seqOps, 0), fmt(dp?.seqOps, 0), ratio(bp.seqOps, dp?.seqOps)],
        ['/_ping p50 ms', fmt(bp.p50, 3), fmt(dp?.p50, 3), ratio(bp.p50, dp?.p50)],
        ['/_ping p99 ms', fmt(bp.p99, 3), fmt(dp?.p99, 3), ratio(bp.p99, dp?.p99)],
        [`/_ping ${INFLIGHT} in flight ops/s`, fmt(bp.parOps, 0), fmt(dp?.parOps, 0), ratio(bp.parOps, dp?.parOps)],
        ['start-up to first /_ping, ms', fmt(startupMs, 0), 'n/a', 'n/a'],
        ['idle RSS, MiB', fmt(idle, 1), 'n/a', 'n/a'],
      ]);
      if (!haveDockerd) console.log(`(no Docker daemon answers on ${DOCKERD_SOCK}: dockerd figures n/a)`);
    } finally {
      await d.stop();
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
    removeBundle(`bench-berthd-${process.pid}`);
  }
}
