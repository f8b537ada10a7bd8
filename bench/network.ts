// npm run bench -- network
// 1. Connect and disconnect one netns to a bridge network (median ms; 2 + 1 processes); plumbing
//    a reserved endpoint into a new process's /proc/PID/ns/net, as berthd does at the runtime's
//    setup sync point (median ms: the processes already running, the veth made, then its
//    addresses and routes, which berthd lets finish while the runtime goes on), its netns's
//    death freeing the veth.
// 2. 100 netns set up on one network (connect all, then disconnect all), and nothing left.
// 3. Publishing a 1,000-port range: time, nft calls, listening sockets, extra processes.
// 4. Through berthd and the docker CLI: run --rm on the bridge vs --network none, 100 containers (network-daemon.ts).
// Runs on this host in a test-named table/bridge; needs root.
import { execFileSync, spawn } from 'node:child_process';
import { BridgeNetworks, IP_BATCH, NetApplier, parsePortSpec } from '../src/network/index.ts';
import { median, printTable } from './_stats.ts';
import { runThroughBerthd } from './network-daemon.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 30);

export async function run(): Promise<void> {
  if (process.getuid?.() !== 0) { console.log('network: needs root, skipped'); return; }
  const tag = Math.random().toString(36).slice(2, 8);
  const applier = new NetApplier({ table: `berth_bench_${tag}`, warm: true }); // idle processes kept ready, as berthd does
  const nets = new BridgeNetworks({ applier, ipForward: false, vethPrefix: `bt-${tag}` });
  const names: string[] = [];
  const ns = (i: number) => `bt-bench-${tag}-${i}`;
  try {
    await nets.init();
    applier.warmUp(IP_BATCH, 2);
    const n = await nets.create({ id: `${tag}000000000000`, name: 'bench', bridge: `bt-${tag}-br`, subnet: '10.251.0.0/16' });
    names.push(ns(0));
    execFileSync('ip', ['netns', 'add', ns(0)]);
    const conn: number[] = [];
    const disc: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      let t = performance.now();
      await nets.connect(n.id, { containerId: 'c0', netns: ns(0) });
      conn.push(performance.now() - t);
      t = performance.now();
      await nets.disconnect(n.id, 'c0');
      disc.push(performance.now() - t);
    }
    const plumb: number[] = [];
    const plumbAll: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      await nets.connect(n.id, { containerId: 'p0' });
      nets.prepare('p0'); // the host's ip process starts while the runtime makes the container
      const child = spawn('unshare', ['--net', 'sleep', '60'], { stdio: 'ignore' });
      await new Promise((r) => setTimeout(r, 30)); // unshare has made the netns and exec'd sleep; idle processes made again
      const t0 = performance.now();
      const { configured } = await nets.plumb('p0', `/proc/${child.pid}/ns/net`);
      plumb.push(performance.now() - t0);
      await configured;
      plumbAll.push(performance.now() - t0);
      child.kill('SIGKILL');
      await nets.disconnect(n.id, 'p0', { netnsGone: true });
    }
    for (let i = 1; i <= 100; i++) { execFileSync('ip', ['netns', 'add', ns(i)]); names.push(ns(i)); }
    let t = performance.now();
    for (let i = 1; i <= 100; i++) await nets.connect(n.id, { containerId: `c${i}`, netns: ns(i) });
    const up100 = performance.now() - t;
    t = performance.now();
    for (let i = 1; i <= 100; i++) await nets.disconnect(n.id, `c${i}`);
    const down100 = performance.now() - t;
    await nets.connect(n.id, { containerId: 'c0', netns: ns(0) });
    const procs = applier.processes;
    t = performance.now();
    const bound = await nets.publish(n.id, 'c0', parsePortSpec('13000-13999:10000-10999'));
    const pub = performance.now() - t;
    const nftCalls = applier.processes - procs;
    t = performance.now();
    await nets.unpublish(n.id, 'c0');
    const unpub = performance.now() - t;
    printTable([
      ['figure', 'value'],
      ['connect netns (median ms)', median(conn)],
      ['disconnect netns (median ms)', median(disc)],
      ['plumb into /proc/PID/ns/net: at the sync point (median ms)', median(plumb)],
      ['  and addresses/routes done (median ms)', median(plumbAll)],
      ['100 netns connected (ms)', up100],
      ['100 netns disconnected (ms)', down100],
      [`publish ${bound.length} ports (ms)`, pub],
      ['  nft/ip processes for it', String(nftCalls)],
      ['unpublish them (ms)', unpub],
    ]);
  } finally {
    await nets.shutdown().catch(() => undefined);
    await applier.close();
    for (const n of names) execFileSync('ip', ['netns', 'del', n]);
    const left = execFileSync('ip', ['-o', 'link'], { encoding: 'utf8' }).split('\n').filter((l) => l.includes(`bt-${tag}`));
    console.log(left.length ? `left behind: ${left.length} links` : 'nothing left behind');
  }
  if (process.env.BENCH_NETWORK_DAEMON !== "0") await runThroughBerthd();
}

if (import.meta.main) await run();
