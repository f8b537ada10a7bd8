import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContentStore, sha256Of } from './content-store.ts';

function tmpStore(): { store: ContentStore; root: string; done(): void } {
  const root = mkdtempSync(join(tmpdir(), 'berth-test-content-'));
  return { store: new ContentStore(root), root, done: () => rmSync(root, { recursive: true, force: true }) };
}

async function* slow(parts: string[], calls: { n: number }): AsyncGenerator<Uint8Array> {
  calls.n++;
  for (const p of parts) {
    await new Promise((r) => setTimeout(r, 5));
    yield Buffer.from(p);
  }
}

test('ingest verifies digest and size and lands in blobs/sha256', async () => {
  const t = tmpStore();
  try {
    const data = 'hello content';
    const d = sha256Of(data);
    const info = await t.store.ingest([Buffer.from(data)], { digest: d, size: data.length });
    assert.deepEqual(info, { digest: d, size: data.length });
    assert.equal((await t.store.read(d)).toString(), data);
    assert.ok(readdirSync(join(t.root, 'content/blobs/sha256')).includes(d.slice(7)));
    const parts: Buffer[] = [];
    for await (const c of t.store.reader(d, 6)) parts.push(Buffer.from(c));
    assert.equal(Buffer.concat(parts).toString(), 'content');
  } finally { t.done(); }
});

test('digest mismatch, short and long bodies leave nothing behind', async () => {
  const t = tmpStore();
  try {
    const d = sha256Of('right');
    await assert.rejects(t.store.ingest([Buffer.from('wrong')], { digest: d }), /digest mismatch/);
    await assert.rejects(t.store.ingest([Buffer.from('righ')], { digest: d, size: 5 }), /size mismatch/);
    await assert.rejects(t.store.ingest([Buffer.from('right!')], { digest: d, size: 5 }), /more than the expected/);
    assert.equal(await t.store.has(d), false);
    assert.deepEqual(readdirSync(join(t.root, 'content/ingest')), []);
    assert.deepEqual(await t.store.list(), []);
  } finally { t.done(); }
});

test('concurrent ingests of one digest share one download', async () => {
  const t = tmpStore();
  try {
    const parts = ['a'.repeat(1000), 'b'.repeat(1000)];
    const d = sha256Of(parts.join(''));
    const calls = { n: 0 };
    const all = await Promise.all(Array.from({ length: 8 }, () => t.store.ingest(() => slow(parts, calls), { digest: d, size: 2000 })));
    assert.equal(calls.n, 1);
    for (const r of all) assert.equal(r.digest, d);
    // Present now: no source is even opened.
    await t.store.ingest(() => slow(parts, calls), { digest: d });
    assert.equal(calls.n, 1);
  } finally { t.done(); }
});

test('list, size, delete, and a crash leftover in ingest/ is cleared', async () => {
  const t = tmpStore();
  try {
    const a = await t.store.put('aaa');
    const b = await t.store.put(Buffer.alloc(10000, 1));
    const list = (await t.store.list()).sort((x, y) => x.size - y.size);
    assert.deepEqual(list, [a, b]);
    assert.ok((await t.store.size()) >= 10000);
    assert.equal(await t.store.delete(a.digest), true);
    assert.equal(await t.store.delete(a.digest), false);
    await assert.rejects(t.store.read(a.digest), { code: 'NotFound' });
    mkdirSync(join(t.root, 'content/ingest'), { recursive: true });
    writeFileSync(join(t.root, 'content/ingest/partial'), 'x');
    const again = new ContentStore(t.root);
    assert.deepEqual(readdirSync(join(t.root, 'content/ingest')), []);
    assert.deepEqual(await again.list(), [b]);
    assert.throws(() => t.store.path('sha256:xyz'), /invalid digest/);
  } finally { t.done(); }
});

test('sync() before commit: the commit waits for that flush and the blob lands as usual', async () => {
  const t = tmpStore();
  try {
    const data = Buffer.from('synced early');
    const w = await t.store.writer({ digest: sha256Of(data), size: data.length });
    await w.write(data);
    const s = w.sync();
    assert.equal(w.sync(), s);
    assert.deepEqual(await w.commit(), { digest: sha256Of(data), size: data.length });
    assert.ok((await t.store.read(sha256Of(data))).equals(data));
  } finally {
    t.done();
  }
});
