// Networks through berthd and the docker CLI (part of `npm run bench -- network`):
// `run --rm busybox true` on the default bridge vs --network none (median ms), and 100
// containers on one user network started (run -d) and removed (rm -f), with a leak check.
import { execFileSync } from 'node:child_process';
import { startBerthd, netTag } from '../test/e2e/support/daemon.ts';
import { docker, haveDocker } from '../test/e2e/support/docker-cli.ts';
import { median, printTable } from './_stats.ts';

export async function runThroughBerthd(rounds = Number(process.env.BENCH_ROUNDS ?? 15)): Promise<void> {
  if (process.getuid?.() !== 0 || !haveDocker()) { console.log('network (berthd): needs root and the docker CLI, skipped'); return; }
  const d = await startBerthd({ busybox: true });
  const tag = netTag(d.dir);
  const ok = async (args: string[]) => {
    const r = await docker(args, d.dockerEnv, { timeoutMs: 120_000 });
    if (r.code !== 0) throw new Error(`docker ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  const timed = async (args: string[]) => { const t = performance.now(); await ok(args); return performance.now() - t; };
  try {
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
    const veths = execFileSync('ip', ['-o', 'link'], { encoding: 'utf8' }).split('\n').filter((l) => l.includes(`bt-${tag}v`)).length;
    t = performance.now();
    await ok(['rm', '-f', ...Array.from({ length: 100 }, (_, i) => `bench-${i}`)]);
    const down = performance.now() - t;
    await ok(['network', 'rm', 'bench-net']);
    const left = execFileSync('ip', ['-o', 'link'], { encoding: 'utf8' }).split('\n').filter((l) => l.includes(`bt-${tag}v`)).length;
    printTable([
      ['figure (berthd + docker CLI)', 'value'],
      ['run --rm busybox true, default bridge (median ms)', median(bridge)],
      ['run --rm busybox true, --network none (median ms)', median(none)],
      ['  bridge costs (ms)', median(bridge) - median(none)],
      ['100 containers started on one network (ms)', up],
      ['  veths while they ran', String(veths)],
      ['100 containers removed (rm -f, ms)', down],
      ['  veths left after removal', String(left)],
    ]);
  } finally {
    await d.stop();
    const links = execFileSync('ip', ['-o', 'link'], { encoding: 'utf8' }).split('\n').filter((l) => l.includes(`bt-${tag}`)).length;
    console.log(links ? `left behind after berthd stop: ${links} links` : 'nothing left behind after berthd stop');
  }
}

if (import.meta.main) await runThroughBerthd();
