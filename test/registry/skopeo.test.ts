// A real client against berth's registry: skopeo copies a busybox image (an OCI layout made by
// test/support/oci-layout.ts) to it and back, with and without auth; and the same pushes to
// Debian's docker-registry give the same manifest digests.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requires } from '../support/requires.ts';
import { writeOciLayout, type OciImage } from '../support/oci-layout.ts';
import { startBerthChild, startDockerRegistry, skopeo, type ChildRegistry } from './processes.ts';
import { HTPASSWD, ACCESS } from './auth-fixtures.ts';

const REPO = join(import.meta.dirname, '..', '..');
const skip = requires('skopeo', 'busybox');
const haveOpenssl = () => { try { execFileSync('which', ['openssl'], { stdio: 'ignore' }); return true; } catch { return false; } };
let dir: string;
let image: OciImage;

before(async () => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), 'berth-test-skopeo-'));
  execFileSync('bash', [join(REPO, 'scripts/fixtures/busybox-rootfs.sh'), join(dir, 'rootfs')]);
  image = await writeOciLayout(join(dir, 'oci'), 'v1', [join(dir, 'rootfs')]);
  writeFileSync(join(dir, 'htpasswd'), HTPASSWD);
});
after(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

const inspect = async (ref: string, creds?: string): Promise<{ Digest: string; Layers: string[] }> =>
  JSON.parse(await skopeo(['inspect', '--tls-verify=false', ...(creds ? ['--creds', creds] : []), ref]));

function blobsOf(layout: string): string[] {
  return readdirSync(join(layout, 'blobs', 'sha256')).sort();
}

test('skopeo copy to berth registry and back, then between repositories', { skip }, async () => {
  const reg = await startBerthChild();
  try {
    await skopeo(['copy', '--dest-tls-verify=false', `oci:${image.dir}:v1`, `docker://${reg.host}/library/busybox:v1`]);
    const info = await inspect(`docker://${reg.host}/library/busybox:v1`);
    assert.equal(info.Digest, image.manifestDigest);
    assert.deepEqual(info.Layers, image.layers.map((l) => l.digest));
    const back = join(dir, 'back');
    await skopeo(['copy', '--src-tls-verify=false', `docker://${reg.host}/library/busybox:v1`, `oci:${back}:v1`]);
    assert.deepEqual(blobsOf(back), blobsOf(image.dir));
    // by digest, and to another repository of the same registry (cross-repository mount)
    await skopeo(['copy', '--src-tls-verify=false', '--dest-tls-verify=false', `docker://${reg.host}/library/busybox@${image.manifestDigest}`, `docker://${reg.host}/mirror/busybox:copy`]);
    assert.equal((await inspect(`docker://${reg.host}/mirror/busybox:copy`)).Digest, image.manifestDigest);
    const tags = JSON.parse(await skopeo(['list-tags', '--tls-verify=false', `docker://${reg.host}/library/busybox`])) as { Tags: string[] };
    assert.deepEqual(tags.Tags, ['v1']);
    // Docker schema2 conversion on push
    await skopeo(['copy', '--dest-tls-verify=false', '--format', 'v2s2', `oci:${image.dir}:v1`, `docker://${reg.host}/library/busybox:docker`]);
    const raw = JSON.parse(await skopeo(['inspect', '--raw', '--tls-verify=false', `docker://${reg.host}/library/busybox:docker`])) as { mediaType: string };
    assert.equal(raw.mediaType, 'application/vnd.docker.distribution.manifest.v2+json');
    rmSync(back, { recursive: true, force: true });
  } finally {
    await reg.stop();
  }
});

test('skopeo with htpasswd auth: --dest-creds pushes, no creds fail, read-only user cannot push', { skip }, async () => {
  const reg = await startBerthChild({ config: { auth: { htpasswd: { path: join(dir, 'htpasswd') }, access: ACCESS } } });
  try {
    const dest = `docker://${reg.host}/secure/busybox:v1`;
    await assert.rejects(skopeo(['copy', '--dest-tls-verify=false', `oci:${image.dir}:v1`, dest]), /unauthorized|authentication required/i);
    await skopeo(['copy', '--dest-tls-verify=false', '--dest-creds', 'alice:s3cret', `oci:${image.dir}:v1`, dest]);
    assert.equal((await inspect(dest, 'bob:readpw')).Digest, image.manifestDigest);
    await assert.rejects(skopeo(['copy', '--dest-tls-verify=false', '--dest-creds', 'bob:readpw', `oci:${image.dir}:v1`, `docker://${reg.host}/secure/bob:v1`]), /denied/i);
    const back = join(dir, 'back-auth');
    await skopeo(['copy', '--src-tls-verify=false', '--src-creds', 'bob:readpw', dest, `oci:${back}:v1`]);
    assert.deepEqual(blobsOf(back), blobsOf(image.dir));
    rmSync(back, { recursive: true, force: true });
  } finally {
    await reg.stop();
  }
});

test('skopeo with the bearer token flow', { skip }, async () => {
  const reg = await startBerthChild({ config: { auth: { htpasswd: { path: join(dir, 'htpasswd') }, token: {}, access: ACCESS } } });
  try {
    const dest = `docker://${reg.host}/tok/busybox:v1`;
    await skopeo(['copy', '--dest-tls-verify=false', '--dest-creds', 'alice:s3cret', `oci:${image.dir}:v1`, dest]);
    assert.equal((await inspect(dest, 'bob:readpw')).Digest, image.manifestDigest);
    await assert.rejects(skopeo(['copy', '--dest-tls-verify=false', '--dest-creds', 'bob:readpw', `oci:${image.dir}:v1`, `docker://${reg.host}/tok/bob:v1`]), /denied|unauthorized|insufficient/i);
    await assert.rejects(inspect(dest), /unauthorized|authentication required/i);
  } finally {
    await reg.stop();
  }
});

test('skopeo over TLS (a self-signed certificate, verified through --dest-cert-dir)', { skip: skip || (haveOpenssl() ? false : 'host lacks: openssl') }, async () => {
  const certs = join(dir, 'certs');
  execFileSync('mkdir', ['-p', certs]);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(certs, 'client.key.pem'), '-out', join(certs, 'ca.crt')], { stdio: 'ignore' });
  const reg = await startBerthChild({ config: { tls: { cert: join(certs, 'ca.crt'), key: join(certs, 'client.key.pem') } } });
  try {
    assert.match(reg.url, /^https:\/\//);
    const caDir = join(dir, 'ca');
    execFileSync('mkdir', ['-p', caDir]);
    execFileSync('cp', [join(certs, 'ca.crt'), join(caDir, 'ca.crt')]);
    await skopeo(['copy', '--dest-cert-dir', caDir, `oci:${image.dir}:v1`, `docker://${reg.host}/tls/busybox:v1`]);
    assert.equal((await inspect(`docker://${reg.host}/tls/busybox:v1`)).Digest, image.manifestDigest);
    await assert.rejects(skopeo(['inspect', `docker://${reg.host}/tls/busybox:v1`]), /certificate|x509/i);
  } finally {
    await reg.stop();
  }
});

test('same skopeo pushes to berth and docker-registry give the same digests; pulls back match', { skip: skip || requires('docker-registry') }, async () => {
  const berth = await startBerthChild();
  let dist: ChildRegistry | undefined;
  try {
    dist = await startDockerRegistry();
    const results: Record<string, { oci: string; docker: string; rawOci: string; rawDocker: string; tags: string[] }> = {};
    for (const [label, reg] of [['berth', berth], ['distribution', dist]] as const) {
      await skopeo(['copy', '--dest-tls-verify=false', `oci:${image.dir}:v1`, `docker://${reg.host}/cmp/busybox:oci`]);
      await skopeo(['copy', '--dest-tls-verify=false', '--format', 'v2s2', `oci:${image.dir}:v1`, `docker://${reg.host}/cmp/busybox:docker`]);
      const rawOci = await skopeo(['inspect', '--raw', '--tls-verify=false', `docker://${reg.host}/cmp/busybox:oci`]);
      const rawDocker = await skopeo(['inspect', '--raw', '--tls-verify=false', `docker://${reg.host}/cmp/busybox:docker`]);
      const tags = (JSON.parse(await skopeo(['list-tags', '--tls-verify=false', `docker://${reg.host}/cmp/busybox`])) as { Tags: string[] }).Tags.sort();
      results[label] = {
        oci: (await inspect(`docker://${reg.host}/cmp/busybox:oci`)).Digest,
        docker: (await inspect(`docker://${reg.host}/cmp/busybox:docker`)).Digest,
        rawOci, rawDocker, tags,
      };
      const back = join(dir, `back-${label}`);
      await skopeo(['copy', '--src-tls-verify=false', `docker://${reg.host}/cmp/busybox:oci`, `oci:${back}:v1`]);
      assert.deepEqual(blobsOf(back), blobsOf(image.dir), label);
      rmSync(back, { recursive: true, force: true });
    }
    assert.equal(results.berth.oci, image.manifestDigest);
    assert.deepEqual(results.berth, results.distribution);
    // the same response headers for a manifest HEAD
    const both: ChildRegistry[] = [berth, dist];
    for (const ref of ['oci', 'docker']) {
      const h: (string | null)[][] = await Promise.all(both.map(async (r) => {
        const res = await fetch(`${r.url}/v2/cmp/busybox/manifests/${ref}`, { method: 'HEAD', headers: { Accept: 'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json' } });
        return ['content-type', 'content-length', 'docker-content-digest'].map((k) => res.headers.get(k));
      }));
      assert.deepEqual(h[0], h[1], ref);
    }
  } finally {
    await dist?.stop();
    await berth.stop();
  }
});

