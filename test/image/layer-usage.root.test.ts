// The disk usage the extractor counts while it writes (extract.ts usage()) is what a du-like walk
// of the tree finds afterwards (snapshotter.ts diskUsage), on this thread and through the worker,
// and file times set at close are the headers'. A root that was not empty, or a layer that replaced
// something, gives no count (the caller walks).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { lstatSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { requires } from '../support/requires.ts';
import { applyLayer, type ApplyOptions } from '../../src/image/layer/apply.ts';
import { diskUsage } from '../../src/image/snapshot/snapshotter.ts';
import { tarOf, chunks, withSandbox } from './support.ts';

const skip = requires('root');

function layer() {
  const many = Array.from({ length: 300 }, (_, i) => ({ name: `many/entry-with-a-longish-name-${i}`, data: '' }));
  return [
    { name: 'etc/', type: 'directory' as const, mode: 0o755, mtime: 1_500_000_000 },
    { name: 'etc/empty', data: '', mtime: 1_600_000_001 },
    { name: 'etc/one', data: '1', mtime: 1_600_000_002 },
    { name: 'a/b/c/deep', data: 'x'.repeat(5000) },
    { name: 'big', data: randomBytes(70_000), mtime: 1_234_567_890 },
    { name: 'bigger', data: randomBytes(1 << 20) },
    { name: 'hard', type: 'link' as const, linkname: 'big' },
    { name: 'short', type: 'symlink' as const, linkname: 'etc/one' },
    { name: 'long', type: 'symlink' as const, linkname: `/${'l'.repeat(200)}` },
    { name: 'dev/null', type: 'char' as const, mode: 0o666, devmajor: 1, devminor: 3 },
    { name: 'run/fifo', type: 'fifo' as const, mode: 0o620 },
    { name: 'etc/.wh.gone' },
    { name: 'opq/', type: 'directory' as const },
    { name: 'opq/.wh..wh..opq' },
    { name: 'opq/new', data: 'n' },
    // An xattr this large does not fit in the inode: ext4 gives it a block of its own.
    { name: 'fat-xattr', data: 'f', xattrs: new Map([['user.big', new Uint8Array(3000).fill(7)]]) },
    ...many,
  ];
}

for (const worker of [false, true]) {
  test(`usage counted while extracting equals a walk of the result (${worker ? 'worker' : 'this thread'})`, { skip }, () => withSandbox('usage', async (s) => {
    const opts: ApplyOptions = { whiteouts: 'overlay', worker };
    const r = await applyLayer(chunks(await tarOf(layer()), 64 * 1024), s.root, opts);
    assert.ok(r.usage, 'a fresh root is counted');
    assert.deepEqual(r.usage, diskUsage(s.root));
    assert.ok(r.usage.size > (1 << 20) + 70_000 + 3 * 4096, `${r.usage.size}`);
    // Times set at close (futimes) for files, with lutimes for the rest.
    assert.equal(lstatSync(join(s.root, 'big')).mtimeMs, 1_234_567_890_000);
    assert.equal(lstatSync(join(s.root, 'hard')).mtimeMs, 1_234_567_890_000);
    assert.equal(lstatSync(join(s.root, 'etc/empty')).mtimeMs, 1_600_000_001_000);
    assert.equal(lstatSync(join(s.root, 'etc')).mtimeMs, 1_500_000_000_000);
  }));
}

test('no count when the root was not empty or the layer replaced something: the caller walks', { skip }, () => withSandbox('usage-nocount', async (s) => {
  const opts: ApplyOptions = { whiteouts: 'overlay' };
  const used = join(s.root, 'used');
  mkdirSync(used);
  writeFileSync(join(used, 'already'), 'here');
  assert.equal((await applyLayer(chunks(await tarOf([{ name: 'f', data: 'x' }])), used, opts)).usage, undefined);
  const twice = join(s.root, 'twice');
  mkdirSync(twice);
  const r = await applyLayer(chunks(await tarOf([{ name: 't', data: 'one' }, { name: 't', data: 'two' }])), twice, opts);
  assert.equal(r.usage, undefined);
}));
