// The container side of volumes (pure): -v and --mount parsing, planning of mount points with
// --volumes-from and image VOLUMEs, resolution to OCI mounts, and inspect's Mounts entries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromMountSpec, inheritMountPoints, mountPointView, mountPointsToUserMounts, parseBind, parseVolumesFrom, planMountPoints, userMountsToOci } from '../../src/container/spec/mounts.ts';

test('-v: binds, named and anonymous volumes, modes', () => {
  assert.deepEqual(parseBind('/h:/c:ro'), { destination: '/c', kind: 'bind', source: '/h', writable: false, propagation: 'rprivate', nonRecursive: false, data: '', mode: 'ro' });
  assert.deepEqual(parseBind('data:/d/'), { destination: '/d', kind: 'volume', source: 'data', writable: true, propagation: '', nonRecursive: false, data: '', mode: 'z', noCopy: false });
  const anon = parseBind('/anon');
  assert.equal(anon.kind, 'volume');
  assert.equal(anon.source, '');
  assert.equal(anon.destination, '/anon');
  assert.equal(parseBind('/anon:ro').writable, false);
  assert.equal(parseBind('data:/d:ro,nocopy').noCopy, true);
  assert.throws(() => parseBind('data'), /invalid volume specification: 'data': invalid mount config for type "volume": invalid mount path: 'data' mount path must be absolute/);
  assert.throws(() => parseBind('data:/d:bogus'), { message: 'invalid mode: bogus' });
  assert.throws(() => parseBind('a:b:c:d'), /invalid volume specification/);
  assert.throws(() => parseBind('data:/'), /destination can't be '\/'/);
});

test('--mount type=volume: options and Docker refusals', () => {
  const m = fromMountSpec({ Type: 'volume', Source: 'v', Target: '/x', VolumeOptions: { NoCopy: true, Labels: { a: 'b' }, DriverConfig: { Name: 'local', Options: { type: 'tmpfs', device: 'tmpfs' } } } });
  assert.equal(m.kind, 'volume');
  assert.equal(m.noCopy, true);
  assert.deepEqual(m.volume, { labels: { a: 'b' }, driverOpts: { type: 'tmpfs', device: 'tmpfs' }, driver: 'local' });
  assert.throws(() => fromMountSpec({ Type: 'volume', Target: '/x', ReadOnly: true }), { message: 'invalid mount config for type "volume": must not set ReadOnly mode when using anonymous volumes' });
  assert.throws(() => fromMountSpec({ Type: 'volume', Source: 'v', Target: '/x', BindOptions: {} }), /field BindOptions must not be specified/);
  assert.throws(() => fromMountSpec({ Type: 'bind', Source: '/h', Target: '/x', VolumeOptions: {} }), /field VolumeOptions must not be specified/);
  assert.equal(fromMountSpec({ Type: 'bind', Source: '/h', Target: '/x' }).mustExist, true);
});

test('planning: volumes-from overridden by own mounts, image VOLUMEs fill the gaps, duplicates refused', () => {
  const inherited = inheritMountPoints([
    { Type: 'volume', Name: 'shared', Source: '/v/shared/_data', Destination: '/s', Driver: 'local', Mode: 'z', RW: true, Propagation: '', Named: true, CopyData: true },
    { Type: 'volume', Name: 'f'.repeat(64), Source: '/v/f/_data', Destination: '/img', Driver: 'local', Mode: '', RW: true, Propagation: '', Named: false, CopyData: true },
    { Type: 'bind', Name: '', Source: '/h', Destination: '/over', Driver: '', Mode: '', RW: true, Propagation: 'rprivate' },
  ], 'ro');
  assert.ok(inherited.every((m) => !m.RW && !m.CopyData));
  const planned = planMountPoints({ binds: ['/host:/over', 'named:/n'], mounts: [{ Type: 'tmpfs', Target: '/t', TmpfsOptions: { SizeBytes: 1 << 20 } }], imageVolumes: ['/img', '/new', '/n'], inherited });
  const byDst = Object.fromEntries(planned.map((m) => [m.Destination, m]));
  assert.deepEqual(Object.keys(byDst).sort(), ['/img', '/n', '/new', '/over', '/s', '/t']);
  assert.equal(byDst['/over'].Source, '/host');
  assert.equal(byDst['/img'].Name, 'f'.repeat(64), 'an inherited volume covers the image VOLUME');
  assert.equal(byDst['/n'].Name, 'named');
  assert.deepEqual({ ...byDst['/new'] }, { Type: 'volume', Name: '', Source: '', Destination: '/new', Driver: 'local', Mode: '', RW: true, Propagation: '', Named: false, CopyData: true });
  assert.equal(byDst['/t'].TmpfsData, 'size=1m');
  assert.throws(() => planMountPoints({ binds: ['a:/x', '/h:/x'], mounts: [], imageVolumes: [], inherited: [] }), { message: 'Duplicate mount point: /x' });
  assert.throws(() => planMountPoints({ binds: ['a:/x'], mounts: [{ Type: 'volume', Target: '/x' }], imageVolumes: [], inherited: [] }), /Duplicate mount point/);
  assert.deepEqual(parseVolumesFrom('c1:ro'), { ref: 'c1', mode: 'ro' });
  assert.deepEqual(parseVolumesFrom('c1'), { ref: 'c1', mode: '' });
  assert.throws(() => parseVolumesFrom('c1:xx'), /invalid mode/);
});

test('resolution to OCI mounts and inspect entries', () => {
  const mps = planMountPoints({ binds: ['v:/data:ro', '/h:/b'], mounts: [], imageVolumes: [], inherited: [] });
  const user = mountPointsToUserMounts(mps, { v: '/vols/v/_data' });
  assert.deepEqual(userMountsToOci(user), [
    { destination: '/data', type: 'bind', source: '/vols/v/_data', options: ['rbind', 'ro', 'rprivate'] },
    { destination: '/b', type: 'bind', source: '/h', options: ['rbind', 'rprivate'] },
  ]);
  assert.throws(() => mountPointsToUserMounts(mps, {}), /no host path for volume v/);
  assert.throws(() => userMountsToOci([parseBind('v:/x')]), { code: 'NotImplemented' });
  mps[0].Source = '/vols/v/_data';
  assert.deepEqual(mountPointView(mps[0]), { Type: 'volume', Name: 'v', Source: '/vols/v/_data', Destination: '/data', Driver: 'local', Mode: 'ro', RW: false, Propagation: '' });
  assert.deepEqual(mountPointView(mps[1]), { Type: 'bind', Source: '/h', Destination: '/b', Mode: '', RW: true, Propagation: 'rprivate' });
});
