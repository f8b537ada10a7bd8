// npm run bench -- pull: a Debian bookworm image (debootstrap --variant=minbase, made once into
// .fixtures/) pushed to a local docker-registry, pulled into an empty store by berth (pull +
// unpack, in a child process whose peak RSS is read), by `skopeo copy` to an OCI layout (no
// unpack), and by Debian's dockerd where installed (started here on private roots). Also the
// peak memory of a berth pull of a 1 GiB layer (zeros: the point is that nothing is buffered). The
// berth pulls run an esbuild bundle of the image service, as berthd ships.
// Every round of every tool writes into a fresh ext4 filesystem (a sparse file on a loop device):
// ext4 skips inodes freed in the last minutes when it allocates new ones, scanning inode tables
// to do so, so a round that follows the removal of the previous round's 7k files spends seconds
// in the kernel (find_inode_bit → recently_deleted) that a pull onto a disk in normal use does not.
// That effect is printed once, apart, for berth.
import { execFileSync, spawnSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, mkdirSync, openSync, closeSync, ftruncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
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
 * service (type stripping alone costs 40+ MiB of RSS: its swc WASM heap), built with berthd's
 * options (chunks, and the layer worker entry that large layers are applied with).
 */
async function bundlePull(work: string): Promise<string> {
  const { bundle, bundleOptions } = await import('../scripts/bundle.ts');
  const entry = join(work, 'berth-pull-entry.ts');
  writeFileSync(entry, PULL_ENTRY);
  await bundle(bundleOptions('berth-pull', relative(REPO, entry), work, true));
  return join(work, 'berth-pull.mjs');
}

/** Runs fn with a directory on a new ext4 filesystem (loop-mounted sparse file), removed after. */
async function onFreshFs<T>(fn: (dir: string) => T | Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'berth-bench-fs-'));
  const img = `${dir}.img`;
  try {
    closeSync(openSync(img, 'w'));
    execFileSync('truncate', ['-s', '8G', img]);
    execFileSync('mkfs.ext4', ['-q', '-F', img]);
    execFileSync('mount', ['-o', 'loop', img, dir]);
    return await fn(dir);
  } finally {
    spawnSync('umount', ['-R', dir]);
    rmSync(img, { force: true });
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A berth pull into a new store in `root`, in a child (the bundle, or the TS sources when `entry` is undefined): seconds and peak RSS (MiB). */
function berthPullInto(root: string, ref: string, entry?: string): { s: number; maxRssMiB: number } {
  try {
    const args = entry ? [entry, root, ref] : ['--input-type=module', '-e', PULL_ENTRY, root, ref];
    const out = execFileSync(join(REPO, 'node_modules/.bin/node'), args, { encoding: 'utf8' });
    return JSON.parse(out.trim().split('\n').pop()!) as { s: number; maxRssMiB: number };
  } finally {
    spawnSync('umount', ['-R', root]);
  }
}

const berthPull = (ref: string, entry?: string) => onFreshFs((dir) => berthPullInto(join(dir, 'store'), ref, entry));

/** Rounds one after the other in /tmp, each removing its store before the next (see the header). */
function berthPullsReusingDisk(ref: string, entry: string): number[] {
  return Array.from({ length: ROUNDS }, () => {
    const root = mkdtempSync(join(tmpdir(), 'berth-bench-pull-'));
    try {
      return berthPullInto(root, ref, entry).s;
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
}

async function rounds<T>(fn: () => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ROUNDS; i++) out.push(await fn());
  return out;
}

function time(fn: () => void): number {
  const t = performance.now();
  fn();
  return (performance.now() - t) / 1000;
}

/** One `docker pull` by a dockerd started on a fresh filesystem (its data root starts empty). */
async function dockerdPull(ref: string): Promise<number | undefined> {
  return onFreshFs((root) => dockerdPullIn(root, ref));
}

async function dockerdPullIn(root: string, ref: string): Promise<number | undefined> {
  const sock = join(root, 'docker.sock');
  const child = spawn('dockerd', ['-H', `unix://${sock}`, '--data-root', join(root, 'data'), '--exec-root', join(root, 'exec'), '--pidfile', join(root, 'pid'),
    '--iptables=false', '--ip-masq=false', '--bridge=none'], { stdio: 'ignore' });
  try {
    for (let i = 0; i < 100 && !(await pingSocket(sock)); i++) await new Promise((r) => setTimeout(r, 200));
    if (!(await pingSocket(sock))) return undefined;
    const env = dockerEnvFor(`unix://${sock}`, join(root, 'dcfg'));
    return time(() => execFileSync(DOCKER_BIN, ['pull', '-q', ref], { env, stdio: 'ignore' }));
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
    const berth = await rounds(() => berthPull(ref, entry));
    const sk = await rounds(() => onFreshFs((dir) => time(() => execFileSync('skopeo', ['copy', '--src-tls-verify=false', `docker://${ref}`, `oci:${join(dir, 'sk')}:x`], { stdio: 'ignore' }))));
    const haveDockerd = spawnSync('which', ['dockerd'], { stdio: 'ignore' }).status === 0;
    const dk = haveDockerd ? (await rounds(() => dockerdPull(ref).catch(() => undefined))).filter((x) => x !== undefined) : [];
    const reusing = berthPullsReusingDisk(ref, entry);
    // 1 GiB layer (zeros), pushed once: the peak RSS of a berth pull.
    const big = join(work, 'big');
    mkdirSync(big);
    const fd = openSync(join(big, 'zeros.bin'), 'w');
    ftruncateSync(fd, 1 << 30);
    closeSync(fd);
    const bigLayout = await writeOciLayout(join(work, 'biglayout'), 'big', [big]);
    await skopeo(['copy', '--dest-tls-verify=false', `oci:${bigLayout.dir}:big`, `docker://${reg.host}/big:1g`], 600_000);
    const bigPulls = await rounds(() => berthPull(`${reg.host}/big:1g`, entry));
    const bigTs = await berthPull(`${reg.host}/big:1g`);
    // 1 GiB of random data: incompressible, so its compressed layer is 1 GiB too (one large file:
    // the probe keeps it off the worker thread, apply.ts). Pushed once, pulled once.
    rmSync(big, { recursive: true, force: true });
    rmSync(join(work, 'biglayout'), { recursive: true, force: true });
    mkdirSync(big);
    execFileSync('dd', ['if=/dev/urandom', `of=${join(big, 'random.bin')}`, 'bs=1M', 'count=1024'], { stdio: 'ignore' });
    const randLayout = await writeOciLayout(join(work, 'randlayout'), 'rand', [big]);
    await skopeo(['copy', '--dest-tls-verify=false', `oci:${randLayout.dir}:rand`, `docker://${reg.host}/rand:1g`], 600_000);
    rmSync(big, { recursive: true, force: true });
    rmSync(join(work, 'randlayout'), { recursive: true, force: true });
    const randPull = await berthPull(`${reg.host}/rand:1g`, entry);
    const rss = (xs: { maxRssMiB: number }[]) => `${fmt(Math.min(...xs.map((x) => x.maxRssMiB)), 0)}-${fmt(Math.max(...xs.map((x) => x.maxRssMiB)), 0)}`;
    const b = median(berth.map((x) => x.s)), s = median(sk), d = dk.length ? median(dk) : undefined;
    const size = execFileSync('du', ['-sh', rootfs]).toString().split('\t')[0];
    console.log(`Debian bookworm minbase (${size} unpacked), ${ROUNDS} rounds, medians, each round on a fresh ext4`);
    printTable([
      ['pull', 'seconds', 'berth / this'],
      ['berth pull + unpack (fresh store)', fmt(b), '1.00x'],
      ['skopeo copy to an OCI layout (no unpack)', fmt(s), ratio(b, s)],
      ['docker pull (Debian dockerd 20.10)', fmt(d), ratio(b, d)],
      ['berth peak RSS, this image (MiB, min-max)', rss(berth), ''],
      ['berth pull, rounds reusing /tmp after rm (s)', fmt(median(reusing)), 'ext4 recently-freed inodes'],
      ['berth peak RSS, 1 GiB layer of zeros (MiB, min-max)', rss(bigPulls), `${fmt(median(bigPulls.map((x) => x.s)))} s`],
      ['  same, TS sources by type stripping (MiB)', fmt(bigTs.maxRssMiB, 0), `${fmt(bigTs.s)} s`],
      ['berth peak RSS, 1 GiB layer of random data (MiB)', fmt(randPull.maxRssMiB, 0), `${fmt(randPull.s)} s`],
    ]);
  } finally {
    await reg.stop();
    rmSync(work, { recursive: true, force: true });
  }
}
