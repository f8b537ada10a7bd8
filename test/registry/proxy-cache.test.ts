// The pull-through cache against in-process upstreams (berth's own registry, a counting
// forwarder in front of it, a lying server): fetch, verify, store, serve; tag re-checks and the
// cached fallback; one download for concurrent readers; bearer auth upstream; pushes refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Layout } from '../../src/registry/storage/layout.ts';
import { normalizeProxy, type ProxyConfig } from '../../src/registry/server/config.ts';
import { startRegistry, pushImage, sha256, errorCode, type TestRegistry } from './harness.ts';
import { HTPASSWD, ACCESS } from './auth-fixtures.ts';
import { startForwarder } from './counting-forwarder.ts';

const ACCEPT = 'application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json';

const proxyOf = (remoteUrl: string, extra: Partial<ProxyConfig> = {}) => startRegistry({ proxy: { remoteUrl, ...extra } });

async function getBytes(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: Buffer; headers: Headers }> {
  const res = await fetch(url, { headers });
  return { status: res.status, body: Buffer.from(await res.arrayBuffer()), headers: res.headers };
}

test('pull through: manifest by tag and digest, blobs; stored locally, listed, served with the upstream gone', async () => {
  const up = await startRegistry();
  const layer = randomBytes(3 << 20);
  const img = await pushImage(up.url, 'library/app', 'v1', { layer });
  const px = await proxyOf(up.url);
  try {
    const m = await getBytes(`${px.url}/v2/library/app/manifests/v1`, { accept: ACCEPT });
    assert.equal(m.status, 200);
    assert.equal(m.headers.get('docker-content-digest'), img.digest);
    assert.deepEqual(m.body, img.body);
    const b = await getBytes(`${px.url}/v2/library/app/blobs/${img.layer}`);
    assert.equal(b.status, 200);
    assert.equal(b.headers.get('content-length'), String(layer.length));
    assert.equal(sha256(b.body), img.layer);
    assert.equal((await getBytes(`${px.url}/v2/library/app/blobs/${img.config}`)).status, 200);
    const layout = new Layout(px.root);
    // The store is filled once the download is committed (it goes on after the response).
    for (let i = 0; i < 50 && !existsSync(layout.layerLink('library/app', img.layer)); i++) await new Promise((r) => setTimeout(r, 20));
    assert.ok(existsSync(layout.blobData(img.layer)));
    assert.ok(existsSync(layout.layerLink('library/app', img.layer)));
    assert.ok(existsSync(layout.revisionLink('library/app', img.digest)));
    assert.deepEqual(await (await fetch(`${px.url}/v2/_catalog`)).json(), { repositories: ['library/app'] });
    await up.close();
    const again = await getBytes(`${px.url}/v2/library/app/manifests/v1`, { accept: ACCEPT });
    assert.equal(again.status, 200);
    assert.equal(again.headers.get('docker-content-digest'), img.digest);
    assert.equal(sha256((await getBytes(`${px.url}/v2/library/app/blobs/${img.layer}`)).body), img.layer);
    const byDigest = await getBytes(`${px.url}/v2/library/app/manifests/${img.digest}`, { accept: ACCEPT });
    assert.equal(byDigest.status, 200);
    const tags = await (await fetch(`${px.url}/v2/library/app/tags/list`)).json();
    assert.deepEqual(tags, { name: 'library/app', tags: ['v1'] });
    // Not cached, upstream down: 503, not "unknown".
    const missing = await fetch(`${px.url}/v2/library/other/manifests/v1`, { headers: { accept: ACCEPT } });
    assert.equal(missing.status, 503);
    assert.equal(await errorCode(missing), 'UNAVAILABLE');
  } finally {
    await px.close();
    await up.close().catch(() => {});
  }
});

test('a tag moved upstream is seen through the proxy; unknown names and blobs are 404', async () => {
  const up = await startRegistry();
  const a = await pushImage(up.url, 'team/x', 'latest', { layer: Buffer.from('one') });
  const px = await proxyOf(up.url);
  try {
    const first = await fetch(`${px.url}/v2/team/x/manifests/latest`, { headers: { accept: ACCEPT } });
    await first.arrayBuffer();
    assert.equal(first.headers.get('docker-content-digest'), a.digest);
    const b = await pushImage(up.url, 'team/x', 'latest', { layer: Buffer.from('two') });
    assert.notEqual(a.digest, b.digest);
    const second = await getBytes(`${px.url}/v2/team/x/manifests/latest`, { accept: ACCEPT });
    assert.equal(second.headers.get('docker-content-digest'), b.digest);
    assert.deepEqual(second.body, b.body);
    // the old one stays reachable by digest
    assert.equal((await getBytes(`${px.url}/v2/team/x/manifests/${a.digest}`, { accept: ACCEPT })).status, 200);
    const unknown = await fetch(`${px.url}/v2/team/nope/manifests/latest`, { headers: { accept: ACCEPT } });
    assert.equal(unknown.status, 404);
    await unknown.arrayBuffer();
    const blob = await fetch(`${px.url}/v2/team/x/blobs/${sha256('absent')}`);
    assert.equal(blob.status, 404);
    assert.equal(await errorCode(blob), 'BLOB_UNKNOWN');
  } finally {
    await px.close();
    await up.close();
  }
});

test('with a tag TTL, the upstream is asked again only after it', async () => {
  const up = await startRegistry();
  const counter = await startForwarder(up.url);
  const a = await pushImage(up.url, 'ttl/x', 'v', { layer: Buffer.from('one') });
  const px = await proxyOf(counter.url, { tagTtlSeconds: 3600 });
  try {
    const get = async () => { const r = await fetch(`${px.url}/v2/ttl/x/manifests/v`, { headers: { accept: ACCEPT } }); await r.arrayBuffer(); return r.headers.get('docker-content-digest'); };
    assert.equal(await get(), a.digest);
    await pushImage(up.url, 'ttl/x', 'v', { layer: Buffer.from('two') });
    assert.equal(await get(), a.digest);
    assert.equal(counter.count('HEAD', /manifests\/v$/), 1);
  } finally {
    await px.close();
    await counter.close();
    await up.close();
  }
});

test('concurrent GETs of a missing blob share one upstream download; HEAD downloads nothing; ranges', async () => {
  const up = await startRegistry();
  const counter = await startForwarder(up.url);
  const layer = randomBytes(24 << 20);
  const img = await pushImage(up.url, 'big/blob', 'v1', { layer });
  const px = await proxyOf(counter.url);
  try {
    const head = await fetch(`${px.url}/v2/big/blob/blobs/${img.layer}`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('content-length'), String(layer.length));
    assert.equal(counter.count('GET', /blobs\/sha256/), 0);
    const results = await Promise.all(Array.from({ length: 5 }, () => getBytes(`${px.url}/v2/big/blob/blobs/${img.layer}`)));
    for (const r of results) {
      assert.equal(r.status, 200);
      assert.equal(r.body.length, layer.length);
      assert.equal(sha256(r.body), img.layer);
    }
    assert.equal(counter.count('GET', new RegExp(img.layer.slice(7))), 1);
    const part = await getBytes(`${px.url}/v2/big/blob/blobs/${img.layer}`, { range: 'bytes=100-199' });
    assert.equal(part.status, 206);
    assert.deepEqual(part.body, layer.subarray(100, 200));
  } finally {
    await px.close();
    await counter.close();
    await up.close();
  }
});

test('a range of a blob not yet cached is served from the download as it comes', async () => {
  const up = await startRegistry();
  const layer = randomBytes(4 << 20);
  const img = await pushImage(up.url, 'r/x', 'v1', { layer });
  const px = await proxyOf(up.url);
  try {
    const part = await getBytes(`${px.url}/v2/r/x/blobs/${img.layer}`, { range: 'bytes=1000000-1000099' });
    assert.equal(part.status, 206);
    assert.equal(part.headers.get('content-range'), `bytes 1000000-1000099/${layer.length}`);
    assert.deepEqual(part.body, layer.subarray(1000000, 1000100));
  } finally {
    await px.close();
    await up.close();
  }
});

test('a client leaving mid-blob does not stop the download: the blob is cached', async () => {
  const up = await startRegistry();
  const layer = randomBytes(16 << 20);
  const img = await pushImage(up.url, 'leave/x', 'v1', { layer });
  const px = await proxyOf(up.url);
  try {
    const ac = new AbortController();
    const res = await fetch(`${px.url}/v2/leave/x/blobs/${img.layer}`, { signal: ac.signal });
    const reader = res.body!.getReader();
    await reader.read();
    ac.abort();
    const layout = new Layout(px.root);
    for (let i = 0; i < 200 && !existsSync(layout.layerLink('leave/x', img.layer)); i++) await new Promise((r) => setTimeout(r, 25));
    assert.ok(existsSync(layout.blobData(img.layer)));
    await up.close();
    assert.equal(sha256((await getBytes(`${px.url}/v2/leave/x/blobs/${img.layer}`)).body), img.layer);
  } finally {
    await px.close();
    await up.close().catch(() => {});
  }
});

test('content that does not match its digest is not served whole and not stored', async () => {
  const good = Buffer.from('the real content');
  const digest = sha256(good);
  const liar = createServer((req, res) => {
    if (req.url === '/v2/') { res.writeHead(200, { 'content-type': 'application/json' }); res.end('{}'); return; }
    const body = Buffer.from('something else!!');
    res.writeHead(200, { 'content-length': body.length, 'content-type': 'application/octet-stream' });
    res.end(body);
  });
  await new Promise<void>((r) => liar.listen(0, '127.0.0.1', () => r()));
  const px = await proxyOf(`http://127.0.0.1:${(liar.address() as { port: number }).port}`);
  try {
    await assert.rejects(async () => {
      const res = await fetch(`${px.url}/v2/l/x/blobs/${digest}`);
      const body = Buffer.from(await res.arrayBuffer());
      if (sha256(body) !== digest) throw new Error(`got ${body.length} bytes of something else`);
    });
    assert.equal(existsSync(new Layout(px.root).blobData(digest)), false);
    assert.equal(existsSync(new Layout(px.root).blobData(sha256('something else!!'))), false);
  } finally {
    await px.close();
    await new Promise<void>((r) => { liar.close(() => r()); liar.closeAllConnections(); });
  }
});

test('pushes to the proxy are UNSUPPORTED', async () => {
  const up = await startRegistry();
  const px = await proxyOf(up.url);
  try {
    const post = await fetch(`${px.url}/v2/p/x/blobs/uploads/`, { method: 'POST' });
    assert.equal(post.status, 405);
    assert.equal(await errorCode(post), 'UNSUPPORTED');
    const put = await fetch(`${px.url}/v2/p/x/manifests/v1`, { method: 'PUT', body: '{}', headers: { 'content-type': ACCEPT.split(',')[0] } });
    assert.equal(put.status, 405);
    assert.equal(await errorCode(put), 'UNSUPPORTED');
  } finally {
    await px.close();
    await up.close();
  }
});

test('an upstream with the bearer token flow: credentials from the proxy config; wrong ones → DENIED', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-test-proxy-auth-'));
  writeFileSync(join(dir, 'htpasswd'), HTPASSWD);
  let up: TestRegistry | undefined;
  let px: TestRegistry | undefined;
  let bad: TestRegistry | undefined;
  try {
    up = await startRegistry({ auth: { htpasswd: { path: join(dir, 'htpasswd') }, token: { service: 'svc' }, access: ACCESS } });
    const basic = { authorization: `Basic ${Buffer.from('alice:s3cret').toString('base64')}` };
    // push with a token obtained by hand
    const tok = await (await fetch(`${up.url}/token?service=svc&scope=repository:sec/x:pull,push`, { headers: basic })).json() as { token: string };
    const img = await pushImage(up.url, 'sec/x', 'v1', { headers: { authorization: `Bearer ${tok.token}` } });
    px = await proxyOf(up.url, { username: 'bob', password: 'readpw' });
    const m = await getBytes(`${px.url}/v2/sec/x/manifests/v1`, { accept: ACCEPT });
    assert.equal(m.status, 200);
    assert.equal(m.headers.get('docker-content-digest'), img.digest);
    assert.equal(sha256((await getBytes(`${px.url}/v2/sec/x/blobs/${img.layer}`)).body), img.layer);
    bad = await proxyOf(up.url, { username: 'bob', password: 'wrong' });
    const refused = await fetch(`${bad.url}/v2/sec/x/manifests/v1`, { headers: { accept: ACCEPT } });
    assert.equal(refused.status, 403);
    assert.equal(await errorCode(refused), 'DENIED');
  } finally {
    await px?.close();
    await bad?.close();
    await up?.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('proxy config: distribution spellings and durations', () => {
  assert.deepEqual(normalizeProxy({ remoteurl: 'https://r.example', ttl: '168h' } as never), { remoteUrl: 'https://r.example', tagTtlSeconds: 168 * 3600 });
  assert.deepEqual(normalizeProxy({ remoteUrl: 'http://h:5000', tagTtlSeconds: 5 }), { remoteUrl: 'http://h:5000', tagTtlSeconds: 5 });
  assert.throws(() => normalizeProxy({ remoteUrl: 'ftp://x' }), /http\(s\) URL/);
  assert.throws(() => normalizeProxy({ ttl: 'soon' } as never), /duration/);
});
