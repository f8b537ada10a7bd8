// npm run bench -- registry
// 1. skopeo push and pull of a ~50 MB image (busybox + a 50 MB random layer, an OCI layout made
//    by test/support/oci-layout.ts) against berth's registry and Debian's docker-registry, side
//    by side (medians of BENCH_REGISTRY_ROUNDS rounds, alternating; ratio = berth / docker-registry).
//    Each push round goes to a fresh registry (a new root and port), so nothing is skipped as present.
// 2. 20 concurrent skopeo pulls of the same image: wall time and the registry's peak RSS.
// 3. Memory: the registry process's peak RSS while serving a 1 GiB blob GET (the blob is pushed
//    as a generated random stream, the GET is read and discarded), against its idle RSS.
// 4. Pull-through cache: skopeo pull through berth's registry in proxy mode in front of
//    docker-registry, cold (a fresh proxy each round: everything fetched upstream while streamed)
//    and warm (the same proxy again: served from its cache, the tag re-checked upstream), against
//    pulling from docker-registry directly. BENCH_REGISTRY_ONLY=proxy runs only this.
// berth's registry runs as an esbuild bundle of src/registry/main.ts (the shipped form; type
// stripping alone costs ~35 MiB of RSS). Peak RSS is VmHWM from /proc/PID/status, reset before each phase with `5 > clear_refs`.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, randomFillSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { randomRootfs, writeOciLayout } from '../test/support/oci-layout.ts';
import { startBerthChild, startDockerRegistry, skopeo, type ChildRegistry } from '../test/registry/processes.ts';
import { median, printTable } from './_stats.ts';
import { BANNER } from '../scripts/bundle.ts';

const ROUNDS = Number(process.env.BENCH_REGISTRY_ROUNDS ?? 5);
const CONCURRENT = 20;
const LAYER_MB = 50;
const BIG_BLOB = Number(process.env.BENCH_REGISTRY_BIG_MIB ?? 1024) * 1024 * 1024;
const REPO = join(import.meta.dirname, '..');

type Kind = 'berth' | 'docker-registry';
let bundle: string | undefined;
const start = (k: Kind): Promise<ChildRegistry> => (k === 'berth' ? startBerthChild({ entry: bundle }) : startDockerRegistry());

async function bundleRegistry(out: string): Promise<string> {
  const { build } = await import('esbuild');
  await build({
    entryPoints: [join(REPO, 'src/registry/main.ts')], outfile: out, bundle: true, platform: 'node', format: 'esm',
    target: 'node24', logLevel: 'warning',
    banner: { js: BANNER },
  });
  return out;
}

function have(bin: string): boolean {
  return spawnSync('which', [bin], { stdio: 'ignore' }).status === 0;
}

function kib(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
}

function resetPeak(pid: number): void {
  try { writeFileSync(`/proc/${pid}/clear_refs`, '5'); } catch { /* older kernel: lifetime peak */ }
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

async function pushRounds(kind: Kind, layout: string): Promise<number> {
  const reg = await start(kind);
  try {
    return await timed(() => skopeo(['copy', '-q', '--dest-tls-verify=false', `oci:${layout}:v1`, `docker://${reg.host}/bench/image:v1`]));
  } finally {
    await reg.stop();
  }
}

async function pull(reg: ChildRegistry, dest: string): Promise<number> {
  const ms = await timed(() => skopeo(['copy', '-q', '--src-tls-verify=false', `docker://${reg.host}/bench/image:v1`, `dir:${dest}`]));
  rmSync(dest, { recursive: true, force: true });
  return ms;
}

async function concurrentPulls(reg: ChildRegistry, work: string): Promise<{ ms: number; peakKiB: number }> {
  resetPeak(reg.pid);
  const ms = await timed(() => Promise.all(Array.from({ length: CONCURRENT }, (_, i) =>
    skopeo(['copy', '-q', '--src-tls-verify=false', `docker://${reg.host}/bench/image:v1`, `dir:${join(work, `c${i}`)}`]))));
  const peakKiB = kib(reg.pid, 'VmHWM');
  for (let i = 0; i < CONCURRENT; i++) rmSync(join(work, `c${i}`), { recursive: true, force: true });
  return { ms, peakKiB };
}

/** Pushes `size` random bytes as one streamed PATCH (never whole in memory); returns the digest. */
async function pushBigBlob(reg: ChildRegistry, size: number): Promise<string> {
  const post = await fetch(`${reg.url}/v2/bench/big/blobs/uploads/`, { method: 'POST' });
  await post.arrayBuffer();
  const location = new URL(post.headers.get('location')!, reg.url);
  const hash = createHash('sha256');
  const chunk = 1 << 20;
  async function* gen() {
    for (let left = size; left > 0; left -= chunk) {
      const b = randomFillSync(Buffer.allocUnsafe(Math.min(chunk, left)));
      hash.update(b);
      yield b;
    }
  }
  const patched = await new Promise<string>((resolve, reject) => {
    const req = request(location, { method: 'PATCH', headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': String(size) } }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 202 ? resolve(res.headers.location!) : reject(new Error(`PATCH ${res.statusCode}`))));
    });
    req.on('error', reject);
    Readable.from(gen()).pipe(req);
  });
  const digest = `sha256:${hash.digest('hex')}`;
  const u = new URL(patched, reg.url);
  u.searchParams.set('digest', digest);
  const put = await fetch(u, { method: 'PUT' });
  await put.arrayBuffer();
  if (put.status !== 201) throw new Error(`PUT ${put.status}`);
  return digest;
}

async function bigGet(kind: Kind): Promise<{ idle: number; uploadPeak: number; getPeak: number; ms: number }> {
  const reg = await start(kind);
  try {
    const idle = kib(reg.pid, 'VmRSS');
    resetPeak(reg.pid);
    const digest = await pushBigBlob(reg, BIG_BLOB);
    const uploadPeak = kib(reg.pid, 'VmHWM');
    resetPeak(reg.pid);
    let got = 0;
    const ms = await timed(async () => {
      const res = await fetch(`${reg.url}/v2/bench/big/blobs/${digest}`);
      for await (const c of res.body!) got += (c as Uint8Array).length;
    });
    if (got !== BIG_BLOB) throw new Error(`GET returned ${got} bytes`);
    return { idle, uploadPeak, getPeak: kib(reg.pid, 'VmHWM'), ms };
  } finally {
    await reg.stop();
  }
}

export async function run(): Promise<void> {
  if (!have('skopeo')) { console.log('skipped: skopeo missing'); return; }
  const kinds: Kind[] = have('docker-registry') ? ['berth', 'docker-registry'] : ['berth'];
  const work = mkdtempSync(join(tmpdir(), 'berth-bench-registry-'));
  try {
    bundle = await bundleRegistry(join(work, 'berth-registry.mjs'));
    execFileSync('bash', [join(REPO, 'scripts/fixtures/busybox-rootfs.sh'), join(work, 'busybox')]);
    if (process.env.BENCH_REGISTRY_ONLY === 'memory') return await memory(kinds);
    randomRootfs(join(work, 'random'), LAYER_MB * 1024 * 1024);
    const img = await writeOciLayout(join(work, 'oci'), 'v1', [join(work, 'busybox'), join(work, 'random')]);
    const total = img.layers.reduce((n, l) => n + l.size, 0);
    console.log(`image ${img.manifestDigest}: ${img.layers.length} layers, ${(total / 1e6).toFixed(1)} MB compressed; ${ROUNDS} rounds`);
    if (process.env.BENCH_REGISTRY_ONLY === 'proxy') return await proxyFigures(img.dir, work);

    const push: Record<string, number[]> = {};
    const pulls: Record<string, number[]> = {};
    const conc: Record<string, { ms: number; peakKiB: number }> = {};
    for (const k of kinds) { push[k] = []; pulls[k] = []; }
    for (let i = 0; i < ROUNDS; i++) {
      for (const k of i % 2 ? [...kinds].reverse() : kinds) push[k].push(await pushRounds(k, img.dir));
    }
    for (const k of kinds) {
      const reg = await start(k);
      try {
        await skopeo(['copy', '-q', '--dest-tls-verify=false', `oci:${img.dir}:v1`, `docker://${reg.host}/bench/image:v1`]);
        await pull(reg, join(work, 'warm'));
        for (let i = 0; i < ROUNDS; i++) pulls[k].push(await pull(reg, join(work, 'pull')));
        conc[k] = await concurrentPulls(reg, work);
      } finally {
        await reg.stop();
      }
    }
    const ratio = (f: (k: Kind) => number) => (kinds.length > 1 ? (f('berth') / f('docker-registry')).toFixed(2) : '-');
    const rows: (string | number)[][] = [['figure', ...kinds, 'ratio']];
    rows.push([`push ${LAYER_MB} MB image (ms, median)`, ...kinds.map((k) => median(push[k])), ratio((k) => median(push[k]))]);
    rows.push([`pull (ms, median)`, ...kinds.map((k) => median(pulls[k])), ratio((k) => median(pulls[k]))]);
    rows.push([`${CONCURRENT} concurrent pulls (ms, wall)`, ...kinds.map((k) => conc[k].ms), ratio((k) => conc[k].ms)]);
    rows.push([`peak RSS during concurrent pulls (MiB)`, ...kinds.map((k) => conc[k].peakKiB / 1024), ratio((k) => conc[k].peakKiB)]);
    printTable(rows);
    if (kinds.includes('docker-registry')) await proxyFigures(img.dir, work);
    await memory(kinds);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function memory(kinds: Kind[]): Promise<void> {
    console.log(`\n${BIG_BLOB / 1024 ** 2} MiB blob (pushed as one streamed PATCH, then GET read and discarded):`);
    const mem: (string | number)[][] = [['figure', ...kinds]];
    const big: Record<string, Awaited<ReturnType<typeof bigGet>>> = {};
    for (const k of kinds) big[k] = await bigGet(k);
    mem.push(['idle RSS (MiB)', ...kinds.map((k) => big[k].idle / 1024)]);
    mem.push(['peak RSS during the upload (MiB)', ...kinds.map((k) => big[k].uploadPeak / 1024)]);
    mem.push(['peak RSS during the GET (MiB)', ...kinds.map((k) => big[k].getPeak / 1024)]);
    mem.push(['GET (ms)', ...kinds.map((k) => big[k].ms)]);
    printTable(mem);
}

async function proxyFigures(layout: string, work: string): Promise<void> {
  if (!have('docker-registry')) return;
  const upstream = await startDockerRegistry();
  const cold: number[] = [];
  const warm: number[] = [];
  const direct: number[] = [];
  try {
    await skopeo(['copy', '-q', '--dest-tls-verify=false', `oci:${layout}:v1`, `docker://${upstream.host}/bench/image:v1`]);
    await pull(upstream, join(work, 'warm'));
    for (let i = 0; i < ROUNDS; i++) {
      direct.push(await pull(upstream, join(work, 'pull')));
      const proxy = await startBerthChild({ entry: bundle, config: { proxy: { remoteUrl: upstream.url } } });
      try {
        cold.push(await pull(proxy, join(work, 'pull')));
        warm.push(await pull(proxy, join(work, 'pull')));
      } finally {
        await proxy.stop();
      }
    }
  } finally {
    await upstream.stop();
  }
  console.log(`\npull-through cache (berth registry --proxy-url in front of docker-registry; ratio = / direct):`);
  const d = median(direct);
  printTable([
    ['figure', 'ms (median)', 'ratio'],
    ['pull from docker-registry directly', d, '1.00'],
    ['pull through the proxy, cold', median(cold), (median(cold) / d).toFixed(2)],
    ['pull through the proxy, warm', median(warm), (median(warm) / d).toFixed(2)],
  ]);
}
