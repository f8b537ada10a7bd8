// berth's registry in pull-through cache mode as berthd's `registry-mirrors` entry: Debian's
// docker-registry stands in for Docker Hub (holding library/busybox, an OCI layout made by
// test/support/oci-layout.ts and copied in by skopeo); `docker pull busybox` through the real
// docker CLI goes berthd → our proxy → docker-registry, and works again from the proxy's cache
// once the stand-in Hub is stopped.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { docker, haveDocker } from './support/docker-cli.ts';
import { startBerthd, type Berthd } from './support/daemon.ts';
import { requires, testName } from '../support/requires.ts';
import { writeOciLayout, type OciImage } from '../support/oci-layout.ts';
import { startBerthChild, startDockerRegistry, skopeo, type ChildRegistry } from '../registry/processes.ts';
import { Layout } from '../../src/registry/storage/layout.ts';

const REPO = join(import.meta.dirname, '..', '..');
const skip = (haveDocker() ? false : 'docker CLI not installed') || requires('root', 'overlay', 'skopeo', 'busybox', 'docker-registry');

let dir: string;
let image: OciImage;
let hub: ChildRegistry;
let proxy: ChildRegistry;
let d: Berthd;

before(async () => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), `${testName('e2e-mirror')}-`));
  execFileSync('bash', [join(REPO, 'scripts/fixtures/busybox-rootfs.sh'), join(dir, 'rootfs')]);
  image = await writeOciLayout(join(dir, 'layout'), 'v1', [join(dir, 'rootfs')], { cmd: ['sh'] });
  hub = await startDockerRegistry();
  await skopeo(['copy', '-q', '--dest-tls-verify=false', `oci:${image.dir}:v1`, `docker://${hub.host}/library/busybox:latest`]);
  proxy = await startBerthChild({ config: { proxy: { remoteUrl: hub.url } } });
  d = await startBerthd({ config: { 'registry-mirrors': [proxy.url] } });
});

after(async () => {
  await d?.stop();
  await proxy?.stop();
  await hub?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function ok(args: string[]): Promise<string> {
  const r = await docker(args, d.dockerEnv, { timeoutMs: 120_000 });
  assert.equal(r.code, 0, `docker ${args.join(' ')}: ${r.stderr}\n${d.stderr().slice(-2000)}`);
  return r.stdout;
}

test('docker pull busybox through berth registry as a pull-through mirror, then from its cache with the upstream gone', { skip }, async () => {
  const out = await ok(['pull', 'busybox']);
  assert.match(out, /^latest: Pulling from library\/busybox$/m);
  assert.match(out, new RegExp(`^Digest: ${image.manifestDigest}$`, 'm'));
  assert.match(out, /^Status: Downloaded newer image for busybox:latest$/m);
  assert.equal((await ok(['image', 'inspect', '--format', '{{.Id}}', 'busybox'])).trim(), image.configDigest);
  // the mirror holds what it passed on
  const layout = new Layout(proxy.root);
  for (const l of image.layers) {
    // committed (fsync, rename) right after the last byte went out: wait a moment for it
    for (let i = 0; i < 100 && !existsSync(layout.layerLink('library/busybox', l.digest)); i++) await new Promise((r) => setTimeout(r, 20));
    assert.ok(existsSync(layout.blobData(l.digest)), `layer ${l.digest} in the proxy's store`);
  }
  assert.deepEqual(await (await fetch(`${proxy.url}/v2/_catalog`)).json(), { repositories: ['library/busybox'] });
  assert.equal(await ok(['run', '--rm', 'busybox', 'echo', 'via mirror']), 'via mirror\n');

  await hub.stop();
  await ok(['rmi', 'busybox']);
  const again = await ok(['pull', 'busybox']);
  assert.match(again, new RegExp(`^Digest: ${image.manifestDigest}$`, 'm'));
  assert.equal(await ok(['run', '--rm', 'busybox', 'echo', 'from cache']), 'from cache\n');
});
