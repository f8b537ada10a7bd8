// Layer apply in a worker thread (apply-thread.ts): chosen by size, same result and same errors as
// on the calling thread (corrupt gzip, diff id mismatch, a failing download, cancellation, a
// missing root), the worker's buffers handed back (a layer many times the in-flight credit).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { applyLayer, PROBE_MIN_ENTRIES, WORKER_MIN_BYTES, type ApplyOptions } from '../../src/image/layer/apply.ts';
import { activeLayerWorkers, layerWorkersStarted } from '../../src/image/layer/apply-thread.ts';
import { BerthError } from '../../src/errors/errors.ts';
import { diskUsage } from '../../src/image/snapshot/snapshotter.ts';
import { tarOf, chunks, sandbox, type Sandbox, withSandbox } from './support.ts';

const naive: ApplyOptions = { whiteouts: 'naive', chown: false };
const inWorker: ApplyOptions = { ...naive, worker: true };
const sha = (b: Uint8Array) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/**
 * Incompressible files: ~9 MiB of gzip, 16 MiB of tar (many times the worker's 4 MiB credit);
 * with `small`, 40 small files first, so that the probe sends it to a worker.
 */
async function bigLayer(small = true): Promise<{ tar: Buffer; gz: Buffer; files: Map<string, Buffer> }> {
  const files = new Map<string, Buffer>();
  if (small) for (let i = 0; i < PROBE_MIN_ENTRIES + 8; i++) files.set(`small/s${i}`, randomBytes(100 + i));
  for (let i = 0; i < 8; i++) files.set(`d${i % 3}/f${i}`, randomBytes(i === 0 ? 123 : (1 << 20) + 777 * i));
  files.set('big/one', randomBytes(8 << 20));
  const tar = await tarOf([...files].map(([name, data]) => ({ name, data })));
  return { tar, gz: gzipSync(tar, { level: 1 }), files };
}

/** The error an apply throws (or undefined). */
async function errorOf(p: Promise<unknown>): Promise<BerthError | undefined> {
  try {
    await p;
    return undefined;
  } catch (e) {
    assert.ok(e instanceof BerthError, String(e));
    return e;
  }
}

test('a layer above the size threshold is applied by a worker: same files, diff id and size as on this thread', () => withSandbox('worker', async (s) => {
  const { tar, gz, files } = await bigLayer();
  assert.ok(gz.length >= WORKER_MIN_BYTES, `${gz.length}`);
  const before = layerWorkersStarted();
  const r = await applyLayer(chunks(gz, 1 << 20), s.root, { ...naive, size: gz.length, expectDiffID: sha(tar) });
  assert.equal(layerWorkersStarted(), before + 1);
  assert.equal(activeLayerWorkers(), 0);
  assert.deepEqual(r, { diffID: sha(tar), size: tar.length, compression: 'gzip', entries: files.size, usage: diskUsage(s.root) });
  for (const [name, data] of files) assert.ok(readFileSync(join(s.root, name)).equals(data), name);
  // The same layer on this thread.
  rmSync(s.root, { recursive: true });
  const here = sandbox('worker-here');
  try {
    const r2 = await applyLayer(chunks(gz, 1 << 20), here.root, { ...naive, worker: false });
    assert.deepEqual(r2, r);
    assert.equal(layerWorkersStarted(), before + 1);
  } finally {
    here.cleanup();
  }
}));

test('a large layer of a few big files stays on this thread (the probe finds few entries in its first 4 MiB)', () => withSandbox('worker-probe', async (s) => {
  const { tar, gz, files } = await bigLayer(false);
  assert.ok(gz.length >= WORKER_MIN_BYTES, `${gz.length}`);
  const before = layerWorkersStarted();
  const r = await applyLayer(chunks(gz, 1 << 20), s.root, { ...naive, size: gz.length, expectDiffID: sha(tar) });
  assert.equal(layerWorkersStarted(), before);
  assert.equal(r.entries, files.size);
  for (const [name, data] of files) assert.ok(readFileSync(join(s.root, name)).equals(data), name);
}));

test('small or unsized layers, and a custom fs, stay on this thread', () => withSandbox('worker-small', async (s) => {
  const before = layerWorkersStarted();
  const gz = gzipSync(await tarOf([{ name: 'a', data: 'a' }]));
  await applyLayer(chunks(gz), s.root, { ...naive, size: gz.length });
  await applyLayer(chunks(gz), s.root, naive);
  const fs = { makeNodes: async () => {}, setXattrs: async () => {}, dumpXattrs: async () => new Map() };
  await applyLayer(chunks(gz), s.root, { ...naive, size: WORKER_MIN_BYTES, fs });
  assert.equal(layerWorkersStarted(), before);
}));

test('plain and small tars in a worker (a last partial buffer, files across buffer boundaries)', () => withSandbox('worker-plain', async (s) => {
  const tar = await tarOf([{ name: 'x/y', data: 'hello' }, { name: 'z', data: randomBytes(300_000) }, { name: 'l', type: 'symlink', linkname: 'x/y' }]);
  const r = await applyLayer(chunks(tar, 777), s.root, { ...inWorker, expectDiffID: sha(tar) });
  assert.equal(r.compression, 'none');
  assert.equal(r.entries, 3);
  assert.equal(readFileSync(join(s.root, 'l'), 'utf8'), 'hello');
}));

test('corrupt gzip: the same error in a worker as on this thread', () => withSandbox('worker-corrupt', async (s) => {
  const { gz } = await bigLayer();
  const bad = Buffer.from(gz);
  for (let i = 4 << 20; i < (4 << 20) + 4096; i++) bad[i] ^= 0x5a;
  const there = await errorOf(applyLayer(chunks(bad, 1 << 20), s.root, inWorker));
  const here = sandbox('worker-corrupt-here');
  try {
    const mine = await errorOf(applyLayer(chunks(bad, 1 << 20), here.root, naive));
    assert.ok(there && mine);
    assert.equal(there.code, mine.code);
    assert.equal(there.message, mine.message);
  } finally {
    here.cleanup();
  }
}));

test('diff id mismatch in a worker is InvalidArgument', () => withSandbox('worker-diffid', async (s) => {
  const { gz } = await bigLayer();
  const e = await errorOf(applyLayer(chunks(gz, 1 << 20), s.root, { ...inWorker, expectDiffID: `sha256:${'0'.repeat(64)}` }));
  assert.equal(e?.code, 'InvalidArgument');
  assert.match(e!.message, /^apply layer: diff id mismatch/);
}));

test('a failing download, a cancellation and a missing root: as on this thread', () => withSandbox('worker-fail', async (s) => {
  const { gz } = await bigLayer();
  async function* failing(): AsyncGenerator<Uint8Array> {
    yield* chunks(gz.subarray(0, 3 << 20), 1 << 20);
    throw Object.assign(new Error('connection reset'), { code: 'ECONNRESET' });
  }
  const a = await errorOf(applyLayer(failing(), s.root, inWorker));
  assert.equal(a?.code, 'Internal');
  assert.equal(a?.message, 'apply layer: connection reset');

  rmSync(s.root, { recursive: true });
  mkdirSync(s.root);
  const ac = new AbortController();
  async function* slow(): AsyncGenerator<Uint8Array> {
    yield gz.subarray(0, 1 << 20);
    ac.abort();
    await new Promise((r) => setTimeout(r, 50));
    yield gz.subarray(1 << 20);
  }
  const c = await errorOf(applyLayer(slow(), s.root, { ...inWorker, signal: ac.signal }));
  assert.equal(c?.code, 'Canceled');
  rmSync(s.root, { recursive: true });

  const missing = join(s.base, 'missing');
  const there = await applyLayer(chunks(gz), missing, inWorker).then(() => undefined, (e: NodeJS.ErrnoException) => e);
  const here = await applyLayer(chunks(gz), missing, naive).then(() => undefined, (e: NodeJS.ErrnoException) => e);
  assert.equal(there?.code, 'ENOENT');
  assert.equal(there?.code, here?.code);
  assert.equal(activeLayerWorkers(), 0);
  assert.deepEqual(readdirSync(s.base).sort(), ['outside']);
  mkdirSync(s.root); // for cleanup
}));

test('at most two workers at once: a third large layer of many files, probed meanwhile, stays on this thread', () => withSandbox('worker-max', async (s) => {
  const { tar, gz } = await bigLayer();
  const roots = [0, 1, 2].map((i) => join(s.root, `r${i}`));
  roots.forEach((r) => mkdirSync(r));
  let most = 0;
  const poll = setInterval(() => { most = Math.max(most, activeLayerWorkers()); }, 1);
  const before = layerWorkersStarted();
  try {
    const rs = await Promise.all(roots.map((r) => applyLayer(chunks(gz, 1 << 20), r, { ...naive, size: gz.length, expectDiffID: sha(tar) })));
    assert.ok(rs.every((r) => r.diffID === sha(tar)));
  } finally {
    clearInterval(poll);
  }
  assert.equal(layerWorkersStarted() - before, 2);
  assert.ok(most <= 2, `${most} workers at once`);
  assert.equal(activeLayerWorkers(), 0);
}));
