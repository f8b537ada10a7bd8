// Networks through berthd and the docker CLI (part of `npm run bench -- network`):
// `run --rm busybox true` on the default bridge vs --network none (median ms), and 100
// containers on one user network started (run -d) and removed (rm -f), with a leak check; the
// same through Debian's dockerd (on a bridge of the bench's own, no iptables) where installed.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withDockerd } from './engine.ts';
import { startBerthd, netTag } from '../test/e2e/support/daemon.ts';
import { docker, haveDocker } from '../test/e2e/support/docker-cli.ts';
import { median, printTable } from './_stats.ts';

interface Figures { bridge: number; none: number; up: number; veths: number; down: number; left: number }
type Ok = (args: string[]) => Promise<string>;

/** The figures through one daemon; `veth` tells its container veths in `ip -o link` lines. */
async function measure(ok: Ok, rounds: number, veth: (line: string) => boolean): Promise<Figures> {
  const timed = async (args: string[]) => { const t = performance.now(); await ok(args); return performance.now() - t; };
  const countVeths = () => execFileSync('ip', ['-o', 'link'], { encoding: 'utf8' }).split('\n').filter(veth).length;
  await ok(['run', '--rm', 'busybox', 'true']); // warm-up
  const bridge: number[] = [];
  const none: number[] = [];
  for (let i = 0; i < rounds; i++) {
    bridge.push(await timed(['run', '--rm', 'busybox', 'true']));
    none.push(await timed(['run', '--rm', '--network', 'none', 'busybox', 'true']));
  }
  await ok(['network', 'create', 'bench-net']);
  let t = performance.now();
  for (let i = 0; i < 100; i++) await ok(['run', '-d', '--name', `bench-${i}`, '--network', 'bench-net', 'busybox', 'sleep', '600']);
  const up = performance.now() - t;
  const veths = countVeths();
  t = performance.now();
  await ok(['rm', '-f', ...Array.from({ length: 100 }, (_, i) => `bench-${i}`)]);
  const down = performance.now() - t;
  await ok(['network', 'rm', 'bench-net']);
  return { bridge: median(bridge), none: median(none), up, veths, down, left: countVeths() };
}

const okFor = (env: NodeJS.ProcessEnv): Ok => async (args) => {
  const r = await docker(args, env, { timeoutMs: 120_000 });
  if (r.code !== 0) throw new Error(`docker ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
};

/** Debian's dockerd on a bridge of the bench's own (10.213.0.1/24) and a private address pool, no iptables. */
async function dockerdFigures(d: Awaited<ReturnType<typeof startBerthd>>, rounds: number): Promise<Figures | undefined> {
  const work = mkdtempSync(join(tmpdir(), 'berth-bench-netd-'));
  const br = 'bnbench0';
  let dockerd: Awaited<ReturnType<typeof withDockerd>>;
  try {
    execFileSync('ip', ['link', 'add', br, 'type', 'bridge']);
    execFileSync('ip', ['addr', 'add', '10.213.0.1/24', 'dev', br]);
    execFileSync('ip', ['link', 'set', br, 'up']);
    const tar = join(work, 'busybox.tar');
    await okFor(d.dockerEnv)(['save', '-o', tar, 'busybox']);
    dockerd = await withDockerd(work, tar, ['--bridge', br, '--default-address-pool', 'base=10.214.0.0/16,size=24']);
    if (!dockerd) return undefined;
    const before = new Set(execFileSync('ip', ['-o', 'link'], { encoding: 'utf8' }).split('\n').filter((l) => /: veth/.test(l)));
    return await measure(okFor(dockerd.side.env), rounds, (l) => /: veth/.test(l) && !before.has(l));
  } catch (e) {
    console.log(`dockerd: ${(e as Error).message}`);
    return undefined;
  } finally {
    await dockerd?.stop();
    execFileSync('ip', ['link', 'del', br], { stdio: 'ignore' });
    rmSync(work, { recursive: true, force: true });
  }
}

export async function runThroughBerthd(rounds = Number(process.env.BENCH_ROUNDS ?? 15)): Promise<void> {
  if (process.getuid?.() !== 0 || !haveDocker()) { console.log('network (berthd): needs root and the docker CLI, skipped'); return; }
  const d = await startBerthd({ busybox: true });
  const tag = netTag(d.dir);
  try {
    const b = await measure(okFor(d.dockerEnv), rounds, (l) => l.includes(`bt-${tag}v`));
    const k = await dockerdFigures(d, rounds);
    const f = (x: number | undefined) => (x === undefined ? 'n/a' : x.toFixed(1));
    const r = (x: number, y: number | undefined) => (y === undefined ? 'n/a' : `${(x / y).toFixed(2)}x`);
    printTable([
      ['figure (docker CLI)', 'berthd', 'dockerd', 'berthd/dockerd'],
      ['run --rm busybox true, default bridge (median ms)', f(b.bridge), f(k?.bridge), r(b.bridge, k?.bridge)],
      ['run --rm busybox true, --network none (median ms)', f(b.none), f(k?.none), r(b.none, k?.none)],
      ['  bridge costs (ms)', f(b.bridge - b.none), k ? f(k.bridge - k.none) : 'n/a', 'n/a'],
      ['100 containers started on one network (ms)', f(b.up), f(k?.up), r(b.up, k?.up)],
      ['  veths while they ran', String(b.veths), k ? String(k.veths) : 'n/a', ''],
      ['100 containers removed (rm -f, ms)', f(b.down), f(k?.down), r(b.down, k?.down)],
      ['  veths left after removal', String(b.left), k ? String(k.left) : 'n/a', ''],
    ]);
    if (!k) console.log('dockerd: not installed or not answering (Debian docker.io provides one)');
  } finally {
    await d.stop();
    const links = execFileSync('ip', ['-o', 'link'], { encoding: 'utf8' }).split('\n').filter((l) => l.includes(`bt-${tag}`)).length;
    console.log(links ? `left behind after berthd stop: ${links} links` : 'nothing left behind after berthd stop');
  }
}

if (import.meta.main) await runThroughBerthd();
