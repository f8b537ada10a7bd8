// Manifests, tags, catalog, deletes and the referrers API over HTTP.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startRegistry, sha256, errorCode, pushBlob, pushImage, OCI_INDEX, OCI_MANIFEST, type TestRegistry } from './harness.ts';

let reg: TestRegistry;
before(async () => { reg = await startRegistry({ maxManifestBytes: 64 * 1024 }); });
after(async () => { await reg.close(); });

const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';

test('manifest GET/HEAD by tag and by digest with Docker-Content-Digest, Content-Type, Content-Length', async () => {
  const img = await pushImage(reg.url, 'library/app', 'v1');
  for (const ref of ['v1', img.digest]) {
    for (const method of ['GET', 'HEAD']) {
      const res = await fetch(`${reg.url}/v2/library/app/manifests/${ref}`, { method, headers: { Accept: `${OCI_MANIFEST}, ${OCI_INDEX}` } });
      assert.equal(res.status, 200, `${method} ${ref}`);
      assert.equal(res.headers.get('docker-content-digest'), img.digest);
      assert.equal(res.headers.get('content-type'), OCI_MANIFEST);
      assert.equal(res.headers.get('content-length'), String(img.body.length));
      const body = Buffer.from(await res.arrayBuffer());
      if (method === 'GET') assert.deepEqual(body, img.body);
      else assert.equal(body.length, 0);
    }
  }
  const unknown = await fetch(`${reg.url}/v2/library/app/manifests/nope`);
  assert.equal(unknown.status, 404);
  assert.equal(await errorCode(unknown), 'MANIFEST_UNKNOWN');
  const noRepo = await fetch(`${reg.url}/v2/no/such/manifests/latest`);
  assert.equal(noRepo.status, 404);
  assert.ok(['NAME_UNKNOWN', 'MANIFEST_UNKNOWN'].includes((await errorCode(noRepo))!));
});

test('content negotiation: a Docker schema2 manifest and a Docker-only Accept', async () => {
  const cfg = Buffer.from('{"architecture":"amd64","os":"linux"}');
  const layer = Buffer.from('docker layer');
  const c = await pushBlob(reg.url, 'dock', cfg);
  const l = await pushBlob(reg.url, 'dock', layer);
  const body = Buffer.from(JSON.stringify({
    schemaVersion: 2, mediaType: DOCKER_MANIFEST,
    config: { mediaType: 'application/vnd.docker.container.image.v1+json', digest: c, size: cfg.length },
    layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', digest: l, size: layer.length }],
  }));
  const put = await fetch(`${reg.url}/v2/dock/manifests/latest`, { method: 'PUT', body, headers: { 'Content-Type': DOCKER_MANIFEST } });
  assert.equal(put.status, 201);
  assert.equal(put.headers.get('docker-content-digest'), sha256(body));
  const get = await fetch(`${reg.url}/v2/dock/manifests/latest`, { headers: { Accept: DOCKER_MANIFEST } });
  assert.equal(get.headers.get('content-type'), DOCKER_MANIFEST);
  await get.arrayBuffer();
  const oci = await pushImage(reg.url, 'dock', 'oci');
  void oci;
  const refused = await fetch(`${reg.url}/v2/dock/manifests/oci`, { headers: { Accept: DOCKER_MANIFEST } });
  assert.equal(refused.status, 404);
  await refused.arrayBuffer();
});

test('image index referencing pushed manifests; unknown child → MANIFEST_BLOB_UNKNOWN', async () => {
  const a = await pushImage(reg.url, 'multi', 'amd64');
  const index = { schemaVersion: 2, mediaType: OCI_INDEX, manifests: [{ mediaType: OCI_MANIFEST, digest: a.digest, size: a.body.length, platform: { architecture: 'amd64', os: 'linux' } }] };
  const body = Buffer.from(JSON.stringify(index));
  const put = await fetch(`${reg.url}/v2/multi/manifests/latest`, { method: 'PUT', body, headers: { 'Content-Type': OCI_INDEX } });
  assert.equal(put.status, 201);
  const get = await fetch(`${reg.url}/v2/multi/manifests/latest`, { headers: { Accept: OCI_INDEX } });
  assert.equal(get.headers.get('content-type'), OCI_INDEX);
  await get.arrayBuffer();
  const bad = { ...index, manifests: [{ mediaType: OCI_MANIFEST, digest: sha256('missing'), size: 7 }] };
  const res = await fetch(`${reg.url}/v2/multi/manifests/broken`, { method: 'PUT', body: JSON.stringify(bad), headers: { 'Content-Type': OCI_INDEX } });
  assert.equal(res.status, 400);
  assert.equal(await errorCode(res), 'MANIFEST_BLOB_UNKNOWN');
});

test('manifest push by digest; digest mismatch → DIGEST_INVALID; missing blob → MANIFEST_BLOB_UNKNOWN', async () => {
  const img = await pushImage(reg.url, 'bydigest', 'tmp');
  const ok = await fetch(`${reg.url}/v2/bydigest/manifests/${img.digest}`, { method: 'PUT', body: img.body, headers: { 'Content-Type': OCI_MANIFEST } });
  assert.equal(ok.status, 201);
  const wrong = await fetch(`${reg.url}/v2/bydigest/manifests/${sha256('other')}`, { method: 'PUT', body: img.body, headers: { 'Content-Type': OCI_MANIFEST } });
  assert.equal(await errorCode(wrong), 'DIGEST_INVALID');
  const m = JSON.parse(img.body.toString());
  m.layers[0].digest = sha256('never pushed');
  const missing = await fetch(`${reg.url}/v2/bydigest/manifests/x`, { method: 'PUT', body: JSON.stringify(m), headers: { 'Content-Type': OCI_MANIFEST } });
  assert.equal(await errorCode(missing), 'MANIFEST_BLOB_UNKNOWN');
  assert.equal((await fetch(`${reg.url}/v2/bydigest/manifests/x`, { method: 'HEAD' })).status, 404);
});

test('invalid tags, invalid manifests, oversized manifests; nothing stored', async () => {
  const img = await pushImage(reg.url, 'badin', 'ok');
  const put = (ref: string, body: string | Buffer, type = OCI_MANIFEST) => fetch(`${reg.url}/v2/badin/manifests/${ref}`, { method: 'PUT', body, headers: { 'Content-Type': type } });
  for (const tag of ['-leading', '.dot', 'a'.repeat(129), 'sp%20ace', 'sl%2Fash']) {
    const res = await put(tag, img.body);
    assert.equal(res.status, 400, tag);
    assert.equal(await errorCode(res), 'TAG_INVALID', tag);
  }
  assert.equal(await errorCode(await put('x', 'not json')), 'MANIFEST_INVALID');
  assert.equal(await errorCode(await put('x', '{"schemaVersion":1}')), 'MANIFEST_INVALID');
  assert.equal(await errorCode(await put('x', JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: { mediaType: 'x', digest: 'sha256:zz', size: 1 }, layers: [] }))), 'MANIFEST_INVALID');
  const big = JSON.parse(img.body.toString());
  big.annotations = { pad: 'x'.repeat(70 * 1024) };
  const over = await put('big', JSON.stringify(big));
  assert.equal(over.status, 413);
  assert.ok(['MANIFEST_INVALID', 'SIZE_INVALID'].includes((await errorCode(over))!));
  const tags = await (await fetch(`${reg.url}/v2/badin/tags/list`)).json() as { tags: string[] };
  assert.deepEqual(tags.tags, ['ok']);
});

test('tags list with pagination (n, last, Link) and catalog', async () => {
  const img = await pushImage(reg.url, 'paged', 't0');
  for (const t of ['b', 'a', 'c', 'e', 'd']) {
    const r = await fetch(`${reg.url}/v2/paged/manifests/${t}`, { method: 'PUT', body: img.body, headers: { 'Content-Type': OCI_MANIFEST } });
    assert.equal(r.status, 201);
  }
  const all = await (await fetch(`${reg.url}/v2/paged/tags/list`)).json();
  assert.deepEqual(all, { name: 'paged', tags: ['a', 'b', 'c', 'd', 'e', 't0'] });
  const p1 = await fetch(`${reg.url}/v2/paged/tags/list?n=2`);
  assert.deepEqual((await p1.json() as { tags: string[] }).tags, ['a', 'b']);
  const link = p1.headers.get('link')!;
  assert.match(link, /^<\/v2\/paged\/tags\/list\?n=2&last=b>; rel="next"$/);
  const p2 = await fetch(`${reg.url}${/<([^>]+)>/.exec(link)![1]}`);
  assert.deepEqual((await p2.json() as { tags: string[] }).tags, ['c', 'd']);
  const p4 = await fetch(`${reg.url}/v2/paged/tags/list?n=10&last=d`);
  assert.deepEqual((await p4.json() as { tags: string[] }).tags, ['e', 't0']);
  assert.equal(p4.headers.get('link'), null);
  const zero = await fetch(`${reg.url}/v2/paged/tags/list?n=0`);
  assert.deepEqual((await zero.json() as { tags: string[] }).tags, []);
  const unknown = await fetch(`${reg.url}/v2/nobody/here/tags/list`);
  assert.equal(await errorCode(unknown), 'NAME_UNKNOWN');

  const cat = await (await fetch(`${reg.url}/v2/_catalog`)).json() as { repositories: string[] };
  assert.ok(cat.repositories.includes('paged'));
  assert.ok(cat.repositories.includes('library/app'));
  assert.deepEqual(cat.repositories, [...cat.repositories].sort());
  const c1 = await fetch(`${reg.url}/v2/_catalog?n=1`);
  assert.equal((await c1.json() as { repositories: string[] }).repositories.length, 1);
  assert.match(c1.headers.get('link')!, /^<\/v2\/_catalog\?n=1&last=[^>]+>; rel="next"$/);
});

test('deletes: tag, manifest by digest, and disabled deletes → UNSUPPORTED', async () => {
  const img = await pushImage(reg.url, 'deleting', 'one');
  await fetch(`${reg.url}/v2/deleting/manifests/two`, { method: 'PUT', body: img.body, headers: { 'Content-Type': OCI_MANIFEST } });
  const delTag = await fetch(`${reg.url}/v2/deleting/manifests/one`, { method: 'DELETE' });
  assert.equal(delTag.status, 202);
  assert.equal((await fetch(`${reg.url}/v2/deleting/manifests/one`, { method: 'HEAD' })).status, 404);
  assert.equal((await fetch(`${reg.url}/v2/deleting/manifests/two`, { method: 'HEAD' })).status, 200);
  const delDigest = await fetch(`${reg.url}/v2/deleting/manifests/${img.digest}`, { method: 'DELETE' });
  assert.equal(delDigest.status, 202);
  assert.equal((await fetch(`${reg.url}/v2/deleting/manifests/two`, { method: 'HEAD' })).status, 404);
  assert.equal((await fetch(`${reg.url}/v2/deleting/manifests/${img.digest}`, { method: 'HEAD' })).status, 404);
  assert.equal(await errorCode(await fetch(`${reg.url}/v2/deleting/manifests/${img.digest}`, { method: 'DELETE' })), 'MANIFEST_UNKNOWN');

  const off = await startRegistry({ deleteEnabled: false });
  try {
    const i = await pushImage(off.url, 'keep', 'v1');
    for (const ref of ['v1', i.digest]) {
      const res = await fetch(`${off.url}/v2/keep/manifests/${ref}`, { method: 'DELETE' });
      assert.equal(res.status, 405);
      assert.equal(await errorCode(res), 'UNSUPPORTED');
    }
    assert.equal((await fetch(`${off.url}/v2/keep/manifests/v1`, { method: 'HEAD' })).status, 200);
  } finally {
    await off.close();
  }
});

test('referrers API: subject → OCI-Subject header, listed by subject, artifactType filter, removed on delete', async () => {
  const img = await pushImage(reg.url, 'signed', 'v1');
  const subject = { mediaType: OCI_MANIFEST, digest: img.digest, size: img.body.length };
  const sig = await pushImage(reg.url, 'signed', 'sig', { subject, artifactType: 'application/vnd.example.signature', layer: Buffer.from('sig') });
  const sbom = await pushImage(reg.url, 'signed', 'sbom', { subject, artifactType: 'application/vnd.example.sbom', layer: Buffer.from('sbom') });
  // the PUT that carried a subject answers with OCI-Subject
  const again = await fetch(`${reg.url}/v2/signed/manifests/${sig.digest}`, { method: 'PUT', body: sig.body, headers: { 'Content-Type': OCI_MANIFEST } });
  assert.equal(again.status, 201);
  assert.equal(again.headers.get('oci-subject'), img.digest);
  const list = await fetch(`${reg.url}/v2/signed/referrers/${img.digest}`);
  assert.equal(list.status, 200);
  assert.equal(list.headers.get('content-type'), OCI_INDEX);
  const idx = await list.json() as { schemaVersion: number; mediaType: string; manifests: { digest: string; artifactType: string; size: number; mediaType: string }[] };
  assert.equal(idx.schemaVersion, 2);
  assert.equal(idx.mediaType, OCI_INDEX);
  assert.deepEqual(idx.manifests.map((m) => m.digest).sort(), [sig.digest, sbom.digest].sort());
  const s = idx.manifests.find((m) => m.digest === sig.digest)!;
  assert.equal(s.artifactType, 'application/vnd.example.signature');
  assert.equal(s.size, sig.body.length);
  assert.equal(s.mediaType, OCI_MANIFEST);
  const filtered = await fetch(`${reg.url}/v2/signed/referrers/${img.digest}?artifactType=application/vnd.example.sbom`);
  assert.equal(filtered.headers.get('oci-filters-applied'), 'artifactType');
  assert.deepEqual((await filtered.json() as { manifests: { digest: string }[] }).manifests.map((m) => m.digest), [sbom.digest]);
  const none = await (await fetch(`${reg.url}/v2/signed/referrers/${sha256('nothing')}`)).json() as { manifests: unknown[] };
  assert.deepEqual(none.manifests, []);
  assert.equal((await fetch(`${reg.url}/v2/signed/manifests/${sig.digest}`, { method: 'DELETE' })).status, 202);
  const after = await (await fetch(`${reg.url}/v2/signed/referrers/${img.digest}`)).json() as { manifests: { digest: string }[] };
  assert.deepEqual(after.manifests.map((m) => m.digest), [sbom.digest]);
  assert.equal(await errorCode(await fetch(`${reg.url}/v2/signed/referrers/sha256:bad`)), 'DIGEST_INVALID');
});

test('base endpoint, health, metrics, unknown endpoints', async () => {
  const base = await fetch(`${reg.url}/v2/`);
  assert.equal(base.status, 200);
  assert.equal(base.headers.get('docker-distribution-api-version'), 'registry/2.0');
  await base.arrayBuffer();
  assert.equal((await (await fetch(`${reg.url}/healthz`)).json() as { status: string }).status, 'ok');
  const metrics = await (await fetch(`${reg.url}/metrics`)).text();
  assert.match(metrics, /registry_http_requests_total\{method="PUT",route="manifest",status="201"\} \d+/);
  const nf = await fetch(`${reg.url}/v3/whatever`);
  assert.equal(nf.status, 404);
  await nf.arrayBuffer();
  const wrongMethod = await fetch(`${reg.url}/v2/x/tags/list`, { method: 'POST' });
  assert.equal(wrongMethod.status, 405);
  assert.equal(await errorCode(wrongMethod), 'UNSUPPORTED');
});
