// npm run bench -- image
// Pull of a ~50 MB image (busybox + a 50 MB random layer, an OCI layout from
// test/support/oci-layout.ts pushed by skopeo to Debian's docker-registry on loopback) into an
// empty store by berth's ImageService (download, store the blob, decompress and unpack in one
// pass) against `skopeo copy docker://… oci:DIR` (download only, no unpack). Medians of
// BENCH_IMAGE_ROUNDS rounds, alternating; ratio = berth / skopeo. Needs root (overlay whiteouts).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomRootfs, writeOciLayout } from '../test/support/oci-layout.ts';
import { startDockerRegistry, skopeo } from '../test/registry/processes.ts';
import { ImageService } from '../src/image/service.ts';
import { median, printTable } from './_stats.ts';

const ROUNDS = Number(process.env.BENCH_IMAGE_ROUNDS ?? 5);
const REPO = join(import.meta.dirname, '..');

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'berth-bench-image-'));
  const reg = await startDockerRegistry();
  try {
    execFileSync('bash', [join(REPO, 'scripts/fixtures/busybox-rootfs.sh'), join(dir, 'rootfs')]);
    randomRootfs(join(dir, 'big'), 50 * 1024 * 1024);
    const img = await writeOciLayout(join(dir, 'layout'), 'v1', [join(dir, 'rootfs'), join(dir, 'big')]);
    const ref = `${reg.host}/bench/big:v1`;
    await skopeo(['copy', '--dest-tls-verify=false', `oci:${img.dir}:v1`, `docker://${ref}`]);
    const mb = img.layers.reduce((a, l) => a + l.size, 0) / 1e6;
    const berth: number[] = [];
    const sk: number[] = [];
    let rssPeak = 0;
    for (let i = 0; i < ROUNDS; i++) {
      const root = mkdtempSync(join(dir, 'store-'));
      const svc = new ImageService({ root, platform: { os: 'linux', architecture: 'amd64' } });
      const t0 = performance.now();
      await svc.pull(ref);
      berth.push((performance.now() - t0) / 1000);
      rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
      svc.close();
      rmSync(root, { recursive: true, force: true });
      const out = join(dir, `oci-${i}`);
      const t1 = performance.now();
      await skopeo(['copy', '--src-tls-verify=false', `docker://${ref}`, `oci:${out}:v1`]);
      sk.push((performance.now() - t1) / 1000);
      rmSync(out, { recursive: true, force: true });
    }
    const b = median(berth);
    const s = median(skopeo.length ? sk : [1]);
    printTable([
      ['pull of', `${mb.toFixed(1)} MB compressed`, 'median s', 'rounds'],
      ['berth pull + unpack', '', b, String(ROUNDS)],
      ['skopeo copy (no unpack)', '', s, String(ROUNDS)],
      ['ratio berth/skopeo', '', b / s, ''],
    ]);
    console.log(`berth process RSS after pulls: ${(rssPeak / 1048576).toFixed(0)} MiB`);
  } finally {
    await reg.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
