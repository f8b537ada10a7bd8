// The pull-through cache with real parts: Debian's docker-registry as the upstream (open and with
// htpasswd auth), images pushed to it by skopeo from OCI layouts made by test/support/oci-layout.ts,
// berth's registry as a child process in proxy mode in front of it, skopeo pulling through.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requires } from '../support/requires.ts';
import { randomRootfs, writeOciLayout, type OciImage } from '../support/oci-layout.ts';
import { Layout } from '../../src/registry/storage/layout.ts';
import { runRegistryCommand } from '../../src/registry/command.ts';
import type { RunningRegistry } from '../../src/registry/server/registry-server.ts';
import { startBerthChild, startDockerRegistry, skopeo, type ChildRegistry } from './processes.ts';
import { startForwarder } from './counting-forwarder.ts';
import { HTPASSWD } from './auth-fixtures.ts';

const REPO = join(import.meta.dirname, '..', '..');
const skip = requires('skopeo', 'busybox', 'docker-registry');
let dir: string;
let small: OciImage;
let big: OciImage;

before(async () => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), 'berth-test-proxy-'));
  execFileSync('bash', [join(REPO, 'scripts/fixtures/busybox-rootfs.sh'), join(dir, 'rootfs')]);
  small = await writeOciLayout(join(dir, 'small'), 'v1', [join(dir, 'rootfs')]);
  randomRootfs(join(dir, 'random'), 24 << 20);
  big = await writeOciLayout(join(dir, 'big'), 'v1', [join(dir, 'rootfs'), join(dir, 'random')]);
  writeFileSync(join(dir, 'htpasswd'), HTPASSWD);
});
after(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

const push = (img: OciImage, reg: { host: string }, ref: string, creds?: string) =>
  skopeo(['copy', '-q', '--dest-tls-verify=false', ...(creds ? ['--dest-creds', creds] : []), `oci:${img.dir}:v1`, `docker://${reg.host}/${ref}`]);
const pull = (reg: { host: string }, ref: string, dest: string) =>
  skopeo(['copy', '-q', '--src-tls-verify=false', `docker://${reg.host}/${ref}`, `oci:${dest}:v1`]);
const digestOf = async (reg: { host: string }, ref: string, creds?: string) =>
  (JSON.parse(await skopeo(['inspect', '--tls-verify=false', ...(creds ? ['--creds', creds] : []), `docker://${reg.host}/${ref}`])) as { Digest: string }).Digest;
const blobsOf = (layout: string) => readdirSync(join(layout, 'blobs', 'sha256')).sort();

async function waitFor(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 25));
}

test('skopeo pulls through the proxy; blobs land in its store; served from the cache with the upstream stopped', { skip }, async () => {
  const up = await startDockerRegistry();
  let px: ChildRegistry | undefined;
  try {
    await push(small, up, 'library/busybox:v1');
    px = await startBerthChild({ config: { proxy: { remoteUrl: up.url } } });
    const out = join(dir, 'out1');
    await pull(px, 'library/busybox:v1', out);
    assert.deepEqual(blobsOf(out), blobsOf(small.dir));
    assert.equal(await digestOf(px, 'library/busybox:v1'), await digestOf(up, 'library/busybox:v1'));
    assert.equal(await digestOf(px, 'library/busybox:v1'), small.manifestDigest);
    const layout = new Layout(px.root);
    for (const l of small.layers) {
      await waitFor(() => existsSync(layout.layerLink('library/busybox', l.digest)));
      assert.ok(existsSync(layout.blobData(l.digest)), `layer ${l.digest} cached`);
    }
    assert.ok(existsSync(layout.blobData(small.configDigest)));
    assert.deepEqual(await (await fetch(`${px.url}/v2/_catalog`)).json(), { repositories: ['library/busybox'] });
    await up.stop();
    const again = join(dir, 'out2');
    await pull(px, 'library/busybox:v1', again);
    assert.deepEqual(blobsOf(again), blobsOf(small.dir));
    assert.equal(await digestOf(px, `library/busybox@${small.manifestDigest}`), small.manifestDigest);
    rmSync(out, { recursive: true, force: true });
    rmSync(again, { recursive: true, force: true });
  } finally {
    await px?.stop();
    await up.stop();
  }
});

test('two skopeo pulls of a big image at once: one upstream download of its big layer', { skip }, async () => {
  const up = await startDockerRegistry();
  const fwd = await startForwarder(up.url, { blobDelayMsPerMiB: 40 });
  let px: ChildRegistry | undefined;
  try {
    await push(big, up, 'big/image:v1');
    px = await startBerthChild({ config: { proxy: { remoteUrl: fwd.url } } });
    const outs = [join(dir, 'c1'), join(dir, 'c2')];
    await Promise.all(outs.map((o) => pull(px!, 'big/image:v1', o)));
    for (const o of outs) assert.deepEqual(blobsOf(o), blobsOf(big.dir));
    const bigLayer = big.layers.reduce((a, b) => (a.size > b.size ? a : b));
    assert.ok(bigLayer.size > 20 << 20);
    assert.equal(fwd.count('GET', new RegExp(`/blobs/${bigLayer.digest}$`)), 1);
    for (const o of outs) rmSync(o, { recursive: true, force: true });
  } finally {
    await px?.stop();
    await fwd.close();
    await up.stop();
  }
});

test('push to the proxy is refused (UNSUPPORTED); a tag moved upstream is seen through it', { skip }, async () => {
  const up = await startDockerRegistry();
  let px: ChildRegistry | undefined;
  try {
    await push(small, up, 'library/busybox:latest');
    px = await startBerthChild({ config: { proxy: { remoteUrl: up.url } } });
    await assert.rejects(push(small, px, 'library/busybox:mine'), /unsupported/i);
    assert.equal(await digestOf(px, 'library/busybox:latest'), small.manifestDigest);
    await push(big, up, 'library/busybox:latest');
    assert.equal(await digestOf(px, 'library/busybox:latest'), big.manifestDigest);
    const tags = JSON.parse(await skopeo(['list-tags', '--tls-verify=false', `docker://${px.host}/library/busybox`])) as { Tags: string[] };
    assert.deepEqual(tags.Tags, ['latest']);
  } finally {
    await px?.stop();
    await up.stop();
  }
});

test('an upstream with htpasswd auth: the proxy logs in with its configured account', { skip }, async () => {
  const up = await startDockerRegistry({ htpasswd: join(dir, 'htpasswd') });
  let px: ChildRegistry | undefined;
  let anon: ChildRegistry | undefined;
  try {
    await push(small, up, 'secure/busybox:v1', 'alice:s3cret');
    px = await startBerthChild({ config: { proxy: { remoteUrl: up.url, username: 'bob', password: 'readpw' } } });
    const out = join(dir, 'out-auth');
    await pull(px, 'secure/busybox:v1', out);
    assert.deepEqual(blobsOf(out), blobsOf(small.dir));
    assert.equal(await digestOf(px, 'secure/busybox:v1'), await digestOf(up, 'secure/busybox:v1', 'alice:s3cret'));
    anon = await startBerthChild({ config: { proxy: { remoteUrl: up.url } } });
    await assert.rejects(pull(anon, 'secure/busybox:v1', join(dir, 'out-anon')), /denied/i);
    rmSync(out, { recursive: true, force: true });
  } finally {
    await px?.stop();
    await anon?.stop();
    await up.stop();
  }
});

test('berth registry serve --proxy-url turns the cache on', { skip }, async () => {
  const up = await startDockerRegistry();
  const root = mkdtempSync(join(tmpdir(), 'berth-test-proxy-flag-'));
  const ac = new AbortController();
  let done: Promise<number> | undefined;
  try {
    await push(small, up, 'library/busybox:v1');
    const lines: string[] = [];
    const listening = new Promise<RunningRegistry>((resolve) => {
      done = runRegistryCommand(['serve', '--addr', '127.0.0.1:0', '--root', root, '--quiet', '--proxy-url', up.url], {
        out: () => {}, err: (l) => lines.push(l), signal: ac.signal, onListening: resolve,
      });
    });
    const running = await listening;
    assert.match(lines.join('\n'), new RegExp(`pull-through cache of ${up.url}`));
    assert.equal(await digestOf({ host: `127.0.0.1:${running.port}` }, 'library/busybox:v1'), small.manifestDigest);
  } finally {
    ac.abort();
    await done; // the server closed, with the cache's background writes finished
    await up.stop();
    rmSync(root, { recursive: true, force: true });
  }
});
