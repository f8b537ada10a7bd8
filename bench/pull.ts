// npm run bench -- pull: a Debian bookworm image (debootstrap --variant=minbase, made once into
// .fixtures/) pushed to a local docker-registry, pulled into an empty store by berth (pull +
// unpack, in a child process whose peak RSS is read), by `skopeo copy` to an OCI layout (no
// unpack), and by Debian's dockerd where installed (started here on private roots). Also the
// peak memory of a berth pull of a 1 GiB layer (zeros: the point is that nothing is buffered). The
// berth pulls run an esbuild bundle of the image service, as berthd ships.
import { execFileSync, spawnSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, mkdirSync, openSync, closeSync, ftruncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeOciLayout } from '../test/support/oci-layout.ts';
import { startDockerRegistry, skopeo } from '../test/registry/processes.ts';
import { pingSocket, dockerEnvFor } from '../test/e2e/support/daemon.ts';
import { DOCKER_BIN } from '../test/e2e/support/docker-cli.ts';
import { median, printTable } from './_stats.ts';

const REPO = join(import.meta.dirname, '..');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const fmt = (x: number | undefined, d = 2) => (x === undefined ? 'n/a' : x.toFixed(d));
const ratio = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined ? 'n/a' : `${(a / b).toFixed(2)}x`);

function debianRootfs(): string | undefined {
  const dir = join(REPO, '.fixtures', 'debian-bookworm');
  if (existsSync(join(dir, 'etc', 'debian_version'))) return dir;
  if (spawnSync('which', ['debootstrap'], { stdio: 'ignore' }).status !== 0) return undefined;
  rmSync(dir, { recursive: true, force: true });
  const r = spawnSync('debootstrap', ['--variant=minbase', 'bookworm', dir, 'http://deb.debian.org/debian'], { stdio: 'ignore' });
  return r.status === 0 ? dir : undefined;
}

const PULL_ENTRY = `
  import { ImageService } from '${REPO}/src/image/service.ts';
  const [root, ref] = process.argv.slice(-2);
  const images = new ImageService({ root });
  const t = performance.now();
  await images.pull(ref);
  const s = (performance.now() - t) / 1000;
  images.close();
  console.log(JSON.stringify({ s, maxRssMiB: process.resourceUsage().maxRSS / 1024 }));`;

/**
 * The pull as shipped: berthd is an esbuild bundle, so the child runs a bundle of the image
 * service (type stripping alone costs 40+ MiB of RSS: its swc WASM heap).
 */
async function bundlePull(work: string): Promise<string> {
  const { build } = await import('esbuild');
  const out = join(work, 'berth-pull.mjs');
  await build({
    stdin: { contents: PULL_ENTRY, resolveDir: REPO, loader: 'ts' }, outfile: out, bundle: true, platform: 'node', format: 'esm',
    target: 'node24', logLevel: 'warning',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  return out;
}

/** A berth pull into a fresh store, in a child (the bundle, or the TS sources when `entry` is undefined): seconds and peak RSS (MiB). */
function berthPull(ref: string, entry?: string): { s: number; maxRssMiB: number } {
  const root = mkdtempSync(join(tmpdir(), 'berth-bench-pull-'));
  try {
    const args = entry ? [entry, root, ref] : ['--input-type=module', '-e', PULL_ENTRY, root, ref];
    const out = execFileSync(join(REPO, 'node_modules/.bin/node'), args, { encoding: 'utf8' });
    return JSON.parse(out.trim().split('\n').pop()!) as { s: number; maxRssMiB: number };
  } finally {
    spawnSync('umount', ['-R', root]);
    rmSync(root, { recursive: true, force: true });
  }
}

function time(fn: () => void): number {
  const t = performance.now();
  fn();
  return (performance.now() - t) / 1000;
}

async function dockerdPulls(work: string, ref: string): Promise<number[] | undefined> {
  if (spawnSync('which', ['dockerd'], { stdio: 'ignore' }).status !== 0) return undefined;
  const root = join(work, 'dockerd');
  const sock = join(root, 'docker.sock');
  const child = spawn('dockerd', ['-H', `unix://${sock}`, '--data-root', join(root, 'data'), '--exec-root', join(root, 'exec'), '--pidfile', join(root, 'pid'),
    '--iptables=false', '--ip-masq=false', '--bridge=none'], { stdio: 'ignore' });
  try {
    for (let i = 0; i < 100 && !(await pingSocket(sock)); i++) await new Promise((r) => setTimeout(r, 200));
    if (!(await pingSocket(sock))) return undefined;
    const env = dockerEnvFor(`unix://${sock}`, join(work, 'dcfg'));
    const times: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      times.push(time(() => execFileSync(DOCKER_BIN, ['pull', '-q', ref], { env, stdio: 'ignore' })));
      execFileSync(DOCKER_BIN, ['rmi', ref], { env, stdio: 'ignore' });
      execFileSync(DOCKER_BIN, ['image', 'prune', '-af'], { env, stdio: 'ignore' });
    }
    return times;
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    spawnSync('umount', ['-R', root]);
  }
}

export async function run(): Promise<void> {
  const rootfs = debianRootfs();
  if (!rootfs) { console.log('no debootstrap or no Debian mirror: skipped'); return; }
  const work = mkdtempSync(join(tmpdir(), 'berth-bench-pullw-'));
  const reg = await startDockerRegistry();
  try {
    const layout = await writeOciLayout(join(work, 'layout'), 'bookworm', [rootfs], { cmd: ['bash'] });
    await skopeo(['copy', '--dest-tls-verify=false', `oci:${layout.dir}:bookworm`, `docker://${reg.host}/debian:bookworm`]);
    const ref = `${reg.host}/debian:bookworm`;
    const entry = await bundlePull(work);
    const berth = Array.from({ length: ROUNDS }, () => berthPull(ref, entry));
    const sk = Array.from({ length: ROUNDS }, (_, i) => time(() => execFileSync('skopeo', ['copy', '--src-tls-verify=false', `docker://${ref}`, `oci:${join(work, `sk-${i}`)}:x`], { stdio: 'ignore' })));
    const dk = await dockerdPulls(work, ref).catch(() => undefined);
    // 1 GiB layer (zeros), pushed once: the peak RSS of a berth pull.
    const big = join(work, 'big');
    mkdirSync(big);
    const fd = openSync(join(big, 'zeros.bin'), 'w');
    ftruncateSync(fd, 1 << 30);
    closeSync(fd);
    const bigLayout = await writeOciLayout(join(work, 'biglayout'), 'big', [big]);
    await skopeo(['copy', '--dest-tls-verify=false', `oci:${bigLayout.dir}:big`, `docker://${reg.host}/big:1g`], 600_000);
    const bigPulls = Array.from({ length: ROUNDS }, () => berthPull(`${reg.host}/big:1g`, entry));
    const bigTs = berthPull(`${reg.host}/big:1g`);
    const rss = (xs: { maxRssMiB: number }[]) => `${fmt(Math.min(...xs.map((x) => x.maxRssMiB)), 0)}-${fmt(Math.max(...xs.map((x) => x.maxRssMiB)), 0)}`;
    const b = median(berth.map((x) => x.s)), s = median(sk), d = dk ? median(dk) : undefined;
    const size = execFileSync('du', ['-sh', rootfs]).toString().split('\t')[0];
    console.log(`Debian bookworm minbase (${size} unpacked), ${ROUNDS} rounds, medians`);
    printTable([
      ['pull', 'seconds', 'berth / this'],
      ['berth pull + unpack (fresh store)', fmt(b), '1.00x'],
      ['skopeo copy to an OCI layout (no unpack)', fmt(s), ratio(b, s)],
      ['docker pull (Debian dockerd 20.10)', fmt(d), ratio(b, d)],
      ['berth peak RSS, this image (MiB, min-max)', rss(berth), ''],
      ['berth peak RSS, 1 GiB layer (MiB, min-max)', rss(bigPulls), `${fmt(median(bigPulls.map((x) => x.s)))} s`],
      ['  same, TS sources by type stripping (MiB)', fmt(bigTs.maxRssMiB, 0), `${fmt(bigTs.s)} s`],
    ]);
  } finally {
    await reg.stop();
    rmSync(work, { recursive: true, force: true });
  }
}
