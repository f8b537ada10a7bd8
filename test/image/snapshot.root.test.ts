// Real overlay mounts of snapshots: layers unpacked with applyLayer in overlay whiteout mode,
// a whiteout and an opaque dir seen through the mount, writes landing in the upper dir, and a
// chain of 300 layers whose absolute lowerdir list exceeds a page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requires, testName } from '../support/requires.ts';
import { applyLayer } from '../../src/image/layer/apply.ts';
import { OverlaySnapshotter } from '../../src/image/snapshot/snapshotter.ts';
import { mountAll, unmount } from '../../src/image/snapshot/mount.ts';
import { tarOf, chunks } from './support.ts';

const skip = requires('root', 'overlay');

async function withSnapshotter(fn: (s: OverlaySnapshotter, base: string) => Promise<void>): Promise<void> {
  const base = mkdtempSync(join(tmpdir(), `${testName('snap')}-`));
  const s = new OverlaySnapshotter(join(base, 'store'));
  const mounted: string[] = [];
  try {
    await fn(s, base);
  } finally {
    s.close();
    for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
      const mp = line.split(' ')[4];
      if (mp?.startsWith(base)) mounted.push(mp);
    }
    for (const mp of mounted.reverse()) await unmount(mp, { lazy: true }).catch(() => {});
    rmSync(base, { recursive: true, force: true });
  }
}

test('unpacked layers mount as overlay; whiteouts and opaque dirs hide lower files', { skip }, async () => {
  await withSnapshotter(async (s, base) => {
    const l1 = await tarOf([
      { name: 'etc/', type: 'directory', mode: 0o755 }, { name: 'etc/a', data: 'a1' }, { name: 'etc/gone', data: 'x' },
      { name: 'opq/', type: 'directory', mode: 0o755 }, { name: 'opq/old', data: 'old' },
    ]);
    const l2 = await tarOf([
      { name: 'etc/', type: 'directory', mode: 0o755 }, { name: 'etc/.wh.gone', data: '' }, { name: 'etc/b', data: 'b2' },
      { name: 'opq/', type: 'directory', mode: 0o755 }, { name: 'opq/.wh..wh..opq', data: '' }, { name: 'opq/new', data: 'new' },
    ]);
    await s.prepare('u1');
    await applyLayer(chunks(l1), s.upperDir('u1'), { whiteouts: 'overlay' });
    await s.commit('c1', 'u1');
    await s.prepare('u2', 'c1');
    await applyLayer(chunks(l2), s.upperDir('u2'), { whiteouts: 'overlay' });
    await s.commit('c2', 'u2');

    const target = join(base, 'rootfs');
    mkdirSync(target);
    await mountAll(await s.prepare('ctr', 'c2'), target);
    assert.deepEqual(readdirSync(join(target, 'etc')).sort(), ['a', 'b']);
    assert.deepEqual(readdirSync(join(target, 'opq')), ['new']);
    writeFileSync(join(target, 'etc/c'), 'c');
    await unmount(target);
    assert.equal(readFileSync(join(s.upperDir('ctr'), 'etc/c'), 'utf8'), 'c');
    assert.equal(existsSync(join(target, 'etc')), false);

    const view = join(base, 'view');
    mkdirSync(view);
    await mountAll(await s.view('v', 'c2'), view);
    assert.equal(readFileSync(join(view, 'etc/b'), 'utf8'), 'b2');
    assert.throws(() => writeFileSync(join(view, 'x'), 'x'), /EROFS|read-only/);
    await unmount(view);
    await s.remove('v');
    await s.remove('ctr');
  });
});

test('300 layers: the lowerdir list goes past a page and mounts with relative paths', { skip }, async () => {
  await withSnapshotter(async (s, base) => {
    let parent = '';
    for (let i = 0; i < 300; i++) {
      await s.prepare(`u${i}`, parent);
      writeFileSync(join(s.upperDir(`u${i}`), `f${i}`), String(i));
      await s.commit(`c${i}`, `u${i}`);
      parent = `c${i}`;
    }
    const mounts = await s.prepare('top', parent);
    assert.ok(mounts[0].options.join(',').length > 4096);
    const target = join(base, 'rootfs');
    mkdirSync(target);
    await mountAll(mounts, target);
    try {
      assert.equal(readdirSync(target).length, 300);
      assert.equal(readFileSync(join(target, 'f0'), 'utf8'), '0');
      assert.equal(readFileSync(join(target, 'f299'), 'utf8'), '299');
    } finally {
      await unmount(target);
    }
  });
});
