// Pull edge cases through a proxy in front of berth's in-process registry: docker.io references
// served by `registry-mirrors` (a dead mirror skipped), a corrupted layer that leaves no partial
// image behind (the next pull succeeds), also when the layer is large enough to be applied by a
// worker thread, and concurrent pulls sharing one download per blob.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requires, testName } from '../support/requires.ts';
import { randomRootfs, writeOciLayout, type OciImage } from '../support/oci-layout.ts';
import { startRegistry, type TestRegistry } from '../registry/harness.ts';
import { freePort, skopeo } from '../registry/processes.ts';
import { ImageService } from '../../src/image/service.ts';
import { RegistryClient } from '../../src/registry/client/registry-client.ts';
import { activeLayerWorkers, layerWorkersStarted } from '../../src/image/layer/apply-thread.ts';
import { PROBE_MIN_ENTRIES, WORKER_MIN_BYTES } from '../../src/image/layer/apply.ts';

const skip = requires('root', 'overlay', 'skopeo', 'busybox');
const REPO = join(import.meta.dirname, '..', '..');
let dir: string;
let image: OciImage;
let big: OciImage;
let reg: TestRegistry;

before(async () => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), `${testName('pullfail')}-`));
  execFileSync('bash', [join(REPO, 'scripts/fixtures/busybox-rootfs.sh'), join(dir, 'rootfs')]);
  image = await writeOciLayout(join(dir, 'layout'), 'v1', [join(dir, 'rootfs')]);
  reg = await startRegistry();
  await skopeo(['copy', '--dest-tls-verify=false', `oci:${image.dir}:v1`, `docker://${reg.host}/library/busybox:v1`]);
  // One layer of random data: its gzip is above the worker threshold.
  // Small files first (the probe sends a layer of many files to a worker), then a large one.
  mkdirSync(join(dir, 'big', 'a'), { recursive: true });
  for (let i = 0; i < PROBE_MIN_ENTRIES + 8; i++) writeFileSync(join(dir, 'big', 'a', `f${i}`), `small ${i}`);
  big = await writeOciLayout(join(dir, 'layout-big'), 'v1', [randomRootfs(join(dir, 'big'), WORKER_MIN_BYTES + (1 << 20))]);
  await skopeo(['copy', '--dest-tls-verify=false', `oci:${big.dir}:v1`, `docker://${reg.host}/library/big:v1`]);
});

after(async () => {
  await reg?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Proxy { url: string; blobGets: Map<string, number>; corrupt: boolean; close(): void }

async function proxy(): Promise<Proxy> {
  const target = new URL(reg.url);
  const p: Proxy = { url: '', blobGets: new Map(), corrupt: false, close: () => srv.close() };
  const srv: Server = createServer((req, res) => {
    const m = /\/blobs\/(sha256:[a-f0-9]{64})$/.exec(req.url!);
    const isLayer = m && req.method === 'GET' && [...image.layers, ...big.layers].some((l) => l.digest === m[1]);
    if (m && req.method === 'GET') p.blobGets.set(m[1], (p.blobGets.get(m[1]) ?? 0) + 1);
    const up = httpRequest({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (ur) => {
      res.writeHead(ur.statusCode!, ur.headers);
      if (isLayer && p.corrupt) {
        let first = true;
        ur.on('data', (c: Buffer) => {
          if (first && c.length > 100) { c = Buffer.from(c); c[c.length - 1] ^= 0xff; first = false; }
          res.write(c);
        });
        ur.on('end', () => res.end());
      } else ur.pipe(res);
    });
    req.pipe(up);
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  p.url = `http://127.0.0.1:${(srv.address() as { port: number }).port}`;
  return p;
}

function service(tag: string, client: RegistryClient): ImageService {
  return new ImageService({ root: mkdtempSync(join(dir, `${tag}-`)), client, platform: { os: 'linux', architecture: 'amd64' } });
}

test('docker.io references come from registry-mirrors; a dead mirror is skipped', { skip }, async () => {
  const dead = `http://127.0.0.1:${await freePort()}`;
  const svc = service('mirror', new RegistryClient({ hosts: { mirrors: [dead, reg.url] }, attempts: 1 }));
  try {
    assert.equal(await svc.pull('busybox:v1'), image.configDigest);
    const info = await svc.inspect('busybox:v1');
    assert.deepEqual(info.RepoTags, ['busybox:v1']);
    assert.deepEqual(info.RepoDigests, [`busybox@${image.manifestDigest}`]);
  } finally {
    svc.close();
  }
});

test('a corrupted layer leaves no partial image, blob or snapshot; the next pull succeeds', { skip }, async () => {
  const p = await proxy();
  const svc = service('corrupt', new RegistryClient({ hosts: { mirrors: [p.url] }, attempts: 2, backoffMs: 5 }));
  try {
    p.corrupt = true;
    await assert.rejects(svc.pull('busybox:v1'), /mismatch|invalid|unexpected|incorrect|check/i);
    assert.equal((await svc.list()).length, 0);
    assert.ok(!(await svc.parts.content.has(image.layers[0].digest)));
    assert.deepEqual(svc.parts.snapshots.list(), []);
    assert.deepEqual(readdirSync(join(svc.parts.root, 'content', 'ingest')), []);
    p.corrupt = false;
    assert.equal(await svc.pull('busybox:v1'), image.configDigest);
    assert.ok(await svc.parts.content.has(image.layers[0].digest));
  } finally {
    svc.close();
    p.close();
  }
});

test('a corrupted layer applied by a worker thread: refused, nothing left behind, the worker ended; the next pull succeeds', { skip }, async () => {
  const p = await proxy();
  const svc = service('corrupt-big', new RegistryClient({ hosts: { mirrors: [p.url] }, attempts: 2, backoffMs: 5 }));
  try {
    const started = layerWorkersStarted();
    p.corrupt = true;
    await assert.rejects(svc.pull('big:v1'), /mismatch|invalid|unexpected|incorrect|check/i);
    assert.ok(layerWorkersStarted() > started, 'the large layer went to a worker');
    assert.equal(activeLayerWorkers(), 0);
    assert.equal((await svc.list()).length, 0);
    assert.deepEqual(svc.parts.snapshots.list(), []);
    assert.deepEqual(readdirSync(join(svc.parts.root, 'content', 'ingest')), []);
    p.corrupt = false;
    assert.equal(await svc.pull('big:v1'), big.configDigest);
    assert.equal(activeLayerWorkers(), 0);
    const data = svc.parts.snapshots.list().map((s) => join(svc.parts.snapshots.upperDir(s.key), 'data.bin')).filter((f) => existsSync(f));
    assert.equal(data.length, 1);
    assert.ok(readFileSync(data[0]).equals(readFileSync(join(dir, 'big', 'data.bin'))));
  } finally {
    svc.close();
    p.close();
  }
});

test('concurrent pulls of one image share one download per layer', { skip }, async () => {
  const p = await proxy();
  const svc = service('concurrent', new RegistryClient({ hosts: { mirrors: [p.url] } }));
  try {
    const ids = await Promise.all([svc.pull('busybox:v1'), svc.pull('busybox:v1'), svc.pull('library/busybox:v1')]);
    assert.deepEqual(new Set(ids), new Set([image.configDigest]));
    assert.equal(p.blobGets.get(image.layers[0].digest), 1);
    assert.equal(svc.parts.snapshots.list().length, 1);
  } finally {
    svc.close();
    p.close();
  }
});
