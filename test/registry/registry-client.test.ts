// The client against berth's in-process registry: pushes (monolithic, chunked, HEAD skip,
// cross-repo mount), manifests and platform choice, basic and token auth, and a flaky proxy in
// front that drops the first blob body halfway and answers 500 once (resume with Range, retry).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRegistry } from './harness.ts';
import { HTPASSWD, ACCESS } from './auth-fixtures.ts';
import { RegistryClient } from '../../src/registry/client/registry-client.ts';
import { pushBlob, pushManifest } from '../../src/registry/client/push.ts';
import { StaticCredentials } from '../../src/registry/client/credentials.ts';
import { OCI_INDEX, OCI_MANIFEST } from '../../src/registry/protocol/media-types.ts';

const sha = (b: Buffer | string) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

async function collect(it: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of it) parts.push(Buffer.from(c));
  return Buffer.concat(parts);
}

async function pushImage(c: RegistryClient, repo: { domain: string; path: string }, tag: string, arch = 'amd64'): Promise<{ digest: string; body: Buffer; layer: Buffer }> {
  const layer = randomBytes(300_000);
  const cfg = Buffer.from(JSON.stringify({ architecture: arch, os: 'linux', rootfs: { type: 'layers', diff_ids: [] } }));
  await pushBlob(c, repo, { digest: sha(layer), size: layer.length }, () => [layer][Symbol.iterator]() as never, { chunkSize: 100_000 });
  await pushBlob(c, repo, { digest: sha(cfg), size: cfg.length }, async function* () { yield cfg; });
  const body = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST,
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha(cfg), size: cfg.length },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: sha(layer), size: layer.length }] }));
  const d = await pushManifest(c, repo, tag, body, OCI_MANIFEST);
  assert.equal(d, sha(body));
  return { digest: d, body, layer };
}

test('push monolithic and chunked, HEAD skip, mount, manifests and platform choice', async () => {
  const reg = await startRegistry();
  try {
    const c = new RegistryClient();
    const repo = { domain: reg.host, path: 'team/app' };
    const img = await pushImage(c, repo, 'v1');
    const again = await pushBlob(c, repo, { digest: sha(img.layer), size: img.layer.length }, async function* () { yield img.layer; });
    assert.equal(again, 'exists');
    const other = { domain: reg.host, path: 'team/other' };
    assert.equal(await pushBlob(c, other, { digest: sha(img.layer), size: img.layer.length }, async function* () { yield img.layer; }, { mountFrom: 'team/app' }), 'mounted');
    const arm = await pushImage(c, repo, 'arm', 'arm64');
    const index = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [
      { mediaType: OCI_MANIFEST, digest: arm.digest, size: arm.body.length, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
      { mediaType: OCI_MANIFEST, digest: img.digest, size: img.body.length, platform: { os: 'linux', architecture: 'amd64' } },
    ] }));
    await pushManifest(c, repo, 'multi', index, OCI_INDEX);
    const r = await c.resolve(repo, 'multi', { os: 'linux', architecture: 'amd64' });
    assert.equal(r.manifest.digest, img.digest);
    assert.equal(r.index?.digest, sha(index));
    assert.equal((await c.resolve(repo, 'multi', { os: 'linux', architecture: 'arm64' })).manifest.digest, arm.digest);
    await assert.rejects(c.resolve(repo, 'multi', { os: 'linux', architecture: 'ppc64le' }), /no matching manifest/);
    await assert.rejects(c.getManifest(repo, 'nope'), { code: 'NotFound' });
    assert.deepEqual(await collect(c.blob(repo, sha(img.layer))), img.layer);
    assert.deepEqual((await c.tags(repo)).sort(), ['arm', 'multi', 'v1']);
  } finally {
    await reg.close();
  }
});

test('basic auth and the bearer token flow with per-repository scopes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-test-clientauth-'));
  writeFileSync(join(dir, 'htpasswd'), HTPASSWD);
  const basic = await startRegistry({ auth: { htpasswd: { path: join(dir, 'htpasswd') }, access: ACCESS } });
  const token = await startRegistry({ auth: { htpasswd: { path: join(dir, 'htpasswd') }, token: { service: 'test-svc' }, access: ACCESS } });
  try {
    for (const reg of [basic, token]) {
      const repo = { domain: reg.host, path: 'secure/app' };
      const alice = new RegistryClient({ credentials: new StaticCredentials({ [reg.host]: { username: 'alice', password: 's3cret' } }) });
      const img = await pushImage(alice, repo, 'v1');
      const bob = new RegistryClient({ credentials: new StaticCredentials({ [reg.host]: { username: 'bob', password: 'readpw' } }) });
      assert.equal((await bob.getManifest(repo, 'v1')).digest, img.digest);
      await assert.rejects(pushManifest(bob, repo, 'v2', img.body, OCI_MANIFEST), /401|403|denied|unauthorized|Unauthenticated|refused/i);
      await assert.rejects(new RegistryClient().getManifest(repo, 'v1'), { code: 'Unauthenticated' });
    }
  } finally {
    await basic.close();
    await token.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a dropped blob body resumes with Range; a 500 is retried', async () => {
  const reg = await startRegistry();
  let proxy: Server | undefined;
  try {
    const direct = new RegistryClient();
    const img = await pushImage(direct, { domain: reg.host, path: 'flaky/app' }, 'v1');
    const target = new URL(reg.url);
    let drops = 1;
    let fails = 1;
    const ranges: string[] = [];
    proxy = createServer((req, res) => {
      const isBlob = req.url!.includes('/blobs/sha256:') && req.method === 'GET';
      if (isBlob && fails-- > 0) { res.writeHead(500).end('try again'); return; }
      if (isBlob && req.headers.range) ranges.push(req.headers.range);
      const up = httpRequest({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (ur) => {
        res.writeHead(ur.statusCode!, ur.headers);
        if (isBlob && drops-- > 0) {
          let sent = 0;
          ur.on('data', (c: Buffer) => {
            if (sent > 100_000) { res.socket?.destroy(); ur.destroy(); return; }
            sent += c.length;
            res.write(c);
          });
        } else ur.pipe(res);
      });
      req.pipe(up);
    });
    await new Promise<void>((r) => proxy!.listen(0, '127.0.0.1', () => r()));
    const port = (proxy.address() as { port: number }).port;
    const c = new RegistryClient({ backoffMs: 10 });
    const got = await collect(c.blob({ domain: `127.0.0.1:${port}`, path: 'flaky/app' }, sha(img.layer), { size: img.layer.length }));
    assert.equal(sha(got), sha(img.layer));
    assert.equal(ranges.length, 1);
    assert.match(ranges[0], /^bytes=\d+-$/);
  } finally {
    proxy?.close();
    await reg.close();
  }
});
