// Garbage collection against a served root, the write gate during collection, and
// runRegistryCommand (serve until aborted; gc) as the berth CLI will call it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectGarbage } from '../../src/registry/gc/collect.ts';
import { runRegistryCommand } from '../../src/registry/command.ts';
import type { RunningRegistry } from '../../src/registry/server/registry-server.ts';
import { startRegistry, errorCode, pushBlob, pushImage, sha256 } from './harness.ts';

const blobFile = (root: string, digest: string) => join(root, 'blobs', 'sha256', digest.slice(7, 9), digest.slice(7), 'data');

test('gc removes blobs of deleted manifests and orphans, keeps what tags reach and referrers', async () => {
  const reg = await startRegistry();
  try {
    const keep = await pushImage(reg.url, 'gc/app', 'keep', { layer: Buffer.from('kept layer') });
    const drop = await pushImage(reg.url, 'gc/app', 'drop', { layer: Buffer.from('dropped layer') });
    const sig = await pushImage(reg.url, 'gc/app', 'sig', { layer: Buffer.from('sig layer'), subject: { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: keep.digest, size: keep.body.length } });
    const orphan = await pushBlob(reg.url, 'gc/app', Buffer.from('never referenced'));
    assert.equal((await fetch(`${reg.url}/v2/gc/app/manifests/${drop.digest}`, { method: 'DELETE' })).status, 202);

    const dry = await collectGarbage(reg.root, { dryRun: true, graceMs: 0 });
    assert.deepEqual(dry.removed.sort(), [drop.digest, drop.config, drop.layer, orphan].sort());
    assert.ok(existsSync(blobFile(reg.root, orphan)));

    const report = await collectGarbage(reg.root, { dryRun: false, graceMs: 0, settleMs: 0 });
    assert.deepEqual(report.removed.sort(), [drop.digest, drop.config, drop.layer, orphan].sort());
    for (const d of [drop.layer, drop.config, orphan, drop.digest]) assert.equal(existsSync(blobFile(reg.root, d)), false, d);
    for (const d of [keep.digest, keep.layer, keep.config, sig.digest, sig.layer]) assert.ok(existsSync(blobFile(reg.root, d)), d);
    const m = await fetch(`${reg.url}/v2/gc/app/manifests/keep`);
    assert.equal(m.status, 200);
    await m.arrayBuffer();
    assert.equal((await fetch(`${reg.url}/v2/gc/app/blobs/${keep.layer}`, { method: 'HEAD' })).status, 200);
    assert.equal((await fetch(`${reg.url}/v2/gc/app/blobs/${orphan}`, { method: 'HEAD' })).status, 404);
    // the grace period protects young blobs
    const young = await pushBlob(reg.url, 'gc/app', Buffer.from('young'));
    assert.deepEqual((await collectGarbage(reg.root, { dryRun: false, graceMs: 60_000, settleMs: 0 })).removed, []);
    assert.ok(existsSync(blobFile(reg.root, young)));
    assert.equal(existsSync(join(reg.root, '_gc.lock')), false);
  } finally {
    await reg.close();
  }
});

test('while gc holds the lock, writes wait and then give up with 503; reads go on', async () => {
  const reg = await startRegistry({ gcWaitMs: 300 });
  try {
    const img = await pushImage(reg.url, 'gate', 'v1');
    writeFileSync(join(reg.root, '_gc.lock'), String(process.pid));
    const data = Buffer.from('blocked');
    const res = await fetch(`${reg.url}/v2/gate/blobs/uploads/?digest=${sha256(data)}`, { method: 'POST', body: data });
    assert.equal(res.status, 503);
    assert.equal(res.headers.get('retry-after'), '5');
    assert.equal(await errorCode(res), 'UNAVAILABLE');
    const get = await fetch(`${reg.url}/v2/gate/manifests/v1`);
    assert.equal(get.headers.get('docker-content-digest'), img.digest);
    await get.arrayBuffer();
    const health = await (await fetch(`${reg.url}/healthz`)).json() as { gc: string };
    assert.equal(health.gc, 'running');
    rmSync(join(reg.root, '_gc.lock'));
    await pushBlob(reg.url, 'gate', data);
  } finally {
    await reg.close();
  }
});

test('runRegistryCommand: serve until aborted, gc, usage errors', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-test-regcmd-'));
  try {
    const out: string[] = [];
    const err: string[] = [];
    const stop = new AbortController();
    let running: RunningRegistry | undefined;
    const served = runRegistryCommand(['serve', '--addr', '127.0.0.1:0', '--root', join(dir, 'root')], {
      out: (l) => out.push(l), err: (l) => err.push(l), signal: stop.signal, onListening: (r) => { running = r; },
    });
    while (!running) await new Promise((r) => setTimeout(r, 10));
    const url = running.url;
    await pushImage(url, 'cmd/app', 'v1');
    assert.match(err[0], /^berth registry listening on http:\/\/127\.0\.0\.1:\d+ /);
    stop.abort();
    assert.equal(await served, 0);
    await assert.rejects(fetch(`${url}/v2/`));
    const log = out.map((l) => JSON.parse(l) as { method: string; route: string; status: number });
    assert.ok(log.some((l) => l.method === 'PUT' && l.route === 'manifest' && l.status === 201));

    const gcOut: string[] = [];
    assert.equal(await runRegistryCommand(['gc', '--root', join(dir, 'root'), '--dry-run', '--grace', '0'], { out: (l) => gcOut.push(l), err: () => {} }), 0);
    assert.match(gcOut.at(-1)!, /^would remove 0 blob\(s\), 0 bytes; kept 3; 0 stale upload\(s\)$/);

    await assert.rejects(runRegistryCommand(['serve', '--bogus'], { out: () => {}, err: () => {} }), /bogus/);
    await assert.rejects(runRegistryCommand(['serve', '--addr', 'nohost'], { out: () => {}, err: () => {} }), /HOST:PORT|root/);
    await assert.rejects(runRegistryCommand(['serve', '--root', dir, '--addr', '127.0.0.1:x'], { out: () => {}, err: () => {} }), /bad port/);
    await assert.rejects(runRegistryCommand(['frobnicate'], { out: () => {}, err: () => {} }), /unknown registry command/);
    const usage: string[] = [];
    assert.equal(await runRegistryCommand([], { out: (l) => usage.push(l), err: () => {} }), 2);
    assert.match(usage[0], /berth registry serve --addr HOST:PORT --root DIR/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
