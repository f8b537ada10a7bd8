import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { checkWritable, mountOf, throughMounts, tmpfsOf, tmpfsKey } from './archive.ts';

const mounts = [
  { Type: 'volume', Source: '/v/data/_data', Destination: '/data', RW: true },
  { Type: 'bind', Source: '/h/cfg', Destination: '/data/cfg/', RW: false },
  { Type: 'tmpfs', Source: '', Destination: '/scratch', RW: true },
];

test('mountOf: the deepest mount a path is at or under; prefixes must end at a slash', () => {
  assert.equal(mountOf(mounts, '/data')?.Destination, '/data');
  assert.equal(mountOf(mounts, '/data/x/y')?.Destination, '/data');
  assert.equal(mountOf(mounts, '/data/cfg/a')?.Destination, '/data/cfg/');
  assert.equal(mountOf(mounts, '/database'), undefined);
  assert.equal(mountOf(mounts, '/'), undefined);
});

test('checkWritable: dockerd\'s read-only volume and rootfs messages', () => {
  assert.doesNotThrow(() => checkWritable(mounts, true, '/data/x'));
  assert.throws(() => checkWritable(mounts, false, '/data/cfg/x'), /^.*mounted volume is marked read-only$/);
  assert.throws(() => checkWritable(mounts, true, '/tmp'), /container rootfs is marked read-only/);
  assert.doesNotThrow(() => checkWritable(mounts, false, '/tmp'));
});

test('throughMounts: into the mount source (symlinks resolved in the container first), else the rootfs; a running container\'s tmpfs through its clone', () => {
  const root = mkdtempSync(join(tmpdir(), 'berth-test-archive-'));
  try {
    mkdirSync(join(root, 'data'));
    symlinkSync('/data', join(root, 'd'));
    const at = throughMounts(root, '/rootfs', mounts, true);
    assert.equal(at('/data/'), '/v/data/_data');
    assert.equal(at('/d/x.txt'), '/v/data/_data/x.txt');
    assert.equal(at('/data/cfg/a'), '/h/cfg/a');
    assert.equal(at('/etc/passwd'), '/rootfs/etc/passwd');
    assert.throws(() => at('/scratch/'), /tmpfs at \/scratch of the running container is not reachable/);
    mkdirSync(join(root, 'scratch'));
    symlinkSync('/scratch', join(root, 's'));
    assert.equal(tmpfsOf(root, mounts, '/s/x/')?.Destination, '/scratch');
    assert.equal(tmpfsOf(root, mounts, '/data/x/'), undefined);
    const clone = mkdtempSync(join(tmpdir(), 'berth-test-archive-clone-'));
    try {
      mkdirSync(join(clone, 'sub'));
      const via = throughMounts(root, '/rootfs', mounts, true, new Map([[tmpfsKey('/scratch/'), clone]]));
      assert.equal(via('/scratch/'), clone);
      assert.equal(via('/s/sub/f'), `${clone}/sub/f`);
      assert.equal(via('/data/x'), '/v/data/_data/x');
    } finally {
      rmSync(clone, { recursive: true, force: true });
    }
    assert.equal(throughMounts(root, root, mounts, false)('/scratch/t'), `${root}/scratch/t`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
