import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chainIds } from './chain-id.ts';
import { mountOptions, PAGE_LIMIT } from './mount.ts';
import { OverlaySnapshotter } from './snapshotter.ts';

const sha = (s: string) => `sha256:${createHash('sha256').update(s).digest('hex')}`;

test('chain ids follow the OCI image spec', () => {
  const [a, b, c] = [sha('a'), sha('b'), sha('c')];
  const ids = chainIds([a, b, c]);
  assert.equal(ids[0], a);
  assert.equal(ids[1], sha(`${a} ${b}`));
  assert.equal(ids[2], sha(`${ids[1]} ${c}`));
  assert.deepEqual(chainIds([]), []);
});

test('prepare/view/commit/remove give containerd-shaped mounts', async () => {
  const root = mkdtempSync(join(tmpdir(), 'berth-test-snap-'));
  try {
    const s = new OverlaySnapshotter(root);
    const m0 = await s.prepare('x0');
    assert.deepEqual(m0, [{ type: 'bind', source: join(s.root, '1/fs'), options: ['rbind', 'rw'] }]);
    writeFileSync(join(s.upperDir('x0'), 'f'), 'hello');
    await s.commit('c1', 'x0');
    assert.equal(existsSync(join(s.root, '1/work')), false);
    assert.deepEqual(s.mounts('c1'), [{ type: 'bind', source: join(s.root, '1/fs'), options: ['rbind', 'ro'] }]);
    const m1 = await s.prepare('x1', 'c1');
    assert.deepEqual(m1[0].options, ['index=off', `lowerdir=${join(s.root, '1/fs')}`, `upperdir=${join(s.root, '2/fs')}`, `workdir=${join(s.root, '2/work')}`]);
    await s.commit('c2', 'x1');
    const v = await s.view('v', 'c2');
    assert.deepEqual(v[0].options, ['index=off', `lowerdir=${join(s.root, '2/fs')}:${join(s.root, '1/fs')}`]);
    assert.deepEqual((await s.view('v1', 'c1'))[0], { type: 'bind', source: join(s.root, '1/fs'), options: ['rbind', 'ro'] });
    assert.equal(s.refcount('c1'), 2);
    await assert.rejects(s.remove('c1'), { code: 'Conflict' });
    await assert.rejects(s.prepare('x1b', 'nope'), { code: 'NotFound' });
    await assert.rejects(s.prepare('v'), { code: 'AlreadyExists' });
    await assert.rejects(s.commit('c3', 'c2'), { code: 'FailedPrecondition' });
    assert.ok(s.usage('c1').size >= 4096);
    for (const k of ['v', 'v1', 'c2', 'c1']) await s.remove(k);
    assert.deepEqual(s.list(), []);
    // Parallel unpack: commit with an explicit parent.
    await s.prepare('a');
    await s.prepare('b');
    await s.commit('ca', 'a');
    await s.commit('cb', 'b', { parent: 'ca' });
    assert.equal(s.stat('cb').parent, 'ca');
    s.close();
    mkdirSync(join(s.root, '999'));
    const again = new OverlaySnapshotter(root);
    assert.equal(existsSync(join(s.root, '999')), false);
    assert.equal(again.list().length, 2);
    again.close();
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('overlay options past a page use paths relative to the common parent', () => {
  const lowers = Array.from({ length: 300 }, (_, i) => `/var/lib/berth/snapshots/${300 - i}/fs`);
  const m = { type: 'overlay' as const, source: 'overlay', options: ['index=off', `lowerdir=${lowers.join(':')}`, 'upperdir=/var/lib/berth/snapshots/301/fs', 'workdir=/var/lib/berth/snapshots/301/work'] };
  const { options, cwd } = mountOptions(m);
  assert.equal(cwd, '/var/lib/berth/snapshots');
  assert.ok(options.length <= PAGE_LIMIT);
  assert.ok(options.startsWith('index=off,lowerdir=300/fs:299/fs:'));
  assert.ok(options.endsWith(',upperdir=301/fs,workdir=301/work'));
  const short = { ...m, options: ['lowerdir=/a/fs:/b/fs'] };
  assert.deepEqual(mountOptions(short), { options: 'lowerdir=/a/fs:/b/fs' });
});
