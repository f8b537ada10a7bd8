import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VolumeService, type VolumeEvent } from './volume-service.ts';
import type { Mounter } from './mounter.ts';

function fakeMounter(): Mounter & { mounted: Set<string>; calls: string[][] } {
  const mounted = new Set<string>();
  const calls: string[][] = [];
  return {
    mounted, calls,
    async mount(args) { calls.push(['mount', ...args]); mounted.add(args[args.length - 1]); },
    async unmount(t) { calls.push(['umount', t]); mounted.delete(t); },
    async isMounted(t) { return mounted.has(t); },
  };
}

function setup(users: Record<string, string[]> = {}) {
  const root = mkdtempSync(join(tmpdir(), 'berth-test-volsvc-'));
  const mounter = fakeMounter();
  const events: VolumeEvent[] = [];
  const svc = new VolumeService({ root, mounter, users: (n) => users[n] ?? [], publish: (e) => events.push(e), now: () => new Date('2024-05-06T07:08:09.123Z') });
  return { root, svc, mounter, events, done: () => { svc.close(); rmSync(root, { recursive: true, force: true }); } };
}

test('create, inspect, list, remove: Docker shapes and messages', async () => {
  const { root, svc, events, done } = setup();
  try {
    const v = await svc.create({ Name: 'data', Labels: { a: 'b' }, DriverOpts: {} });
    assert.equal(v.created, true);
    assert.deepEqual(svc.inspect('data'), {
      CreatedAt: '2024-05-06T07:08:09Z', Driver: 'local', Labels: { a: 'b' }, Mountpoint: join(root, 'data', '_data'),
      Name: 'data', Options: {}, Scope: 'local',
    });
    assert.ok(existsSync(join(root, 'data', '_data')));
    assert.equal((await svc.create({ Name: 'data' })).created, false, 'an existing name is returned as is');
    const anon = await svc.create({});
    assert.match(anon.Name, /^[0-9a-f]{64}$/);
    assert.deepEqual(anon.Labels, { 'com.docker.volume.anonymous': '' });
    assert.deepEqual(svc.list().Volumes.map((x) => x.Name).sort(), [anon.Name, 'data'].sort());
    await assert.rejects(svc.create({ Name: 'x' }), /volume name is too short/);
    await assert.rejects(svc.create({ Name: 'ok', DriverOpts: { bogus: '1' } }), { message: 'create ok: invalid option: "bogus"' });
    await assert.rejects(svc.create({ Name: 'ok', Driver: 'nfs' }), { code: 'NotFound' });
    assert.throws(() => svc.inspect('nope'), { code: 'NotFound', message: 'get nope: no such volume' });
    await svc.remove('data');
    assert.ok(!existsSync(join(root, 'data')));
    await assert.rejects(svc.remove('data'), { message: 'get data: no such volume' });
    await svc.remove('data', { force: true });
    assert.deepEqual(events.map((e) => `${e.Action} ${e.Actor.ID.slice(0, 4)}`), ['create data', `create ${anon.Name.slice(0, 4)}`, 'destroy data']);
  } finally { done(); }
});

test('references: in-use conflicts list the containers; prune keeps used and named', async () => {
  const users: Record<string, string[]> = { stored: ['c2'] };
  const { svc, done } = setup(users);
  try {
    await svc.create({ Name: 'held' }, 'c1');
    await svc.create({ Name: 'stored' });
    await svc.create({ Name: 'free' });
    const anon = await svc.create({});
    const usedAnon = await svc.create({}, 'c3');
    await assert.rejects(svc.remove('held'), { code: 'Conflict', message: 'remove held: volume is in use - [c1]' });
    await assert.rejects(svc.remove('stored', { force: true }), { message: 'remove stored: volume is in use - [c2]' });
    assert.deepEqual(svc.list({ dangling: ['true'] }).Volumes.map((v) => v.Name).sort(), ['free', anon.Name].sort());
    const p = await svc.prune({}, '1.47');
    assert.deepEqual(p.VolumesDeleted, [anon.Name]);
    const p2 = await svc.prune({ all: ['true'] }, '1.47');
    assert.deepEqual(p2.VolumesDeleted, ['free']);
    svc.unref('held', 'c1');
    await svc.remove('held');
    assert.ok(svc.inUse(usedAnon.Name));
    assert.equal((await svc.prune({ all: ['true'] }, '1.47')).VolumesDeleted, null);
  } finally { done(); }
});

test('driver options: mounted at the first user, unmounted after the last; opts.json', async () => {
  const { root, svc, mounter, done } = setup();
  try {
    await svc.create({ Name: 'tmp', DriverOpts: { type: 'tmpfs', device: 'tmpfs', o: 'size=1m' } });
    assert.deepEqual(JSON.parse(readFileSync(join(root, 'tmp', 'opts.json'), 'utf8')), { MountType: 'tmpfs', MountOpts: 'size=1m', MountDevice: 'tmpfs', Quota: { Size: 0 } });
    const data = join(root, 'tmp', '_data');
    assert.equal(await svc.mount('tmp', 'c1'), data);
    await svc.mount('tmp', 'c2');
    assert.equal(mounter.calls.length, 1);
    await svc.unmount('tmp', 'c1');
    assert.ok(mounter.mounted.has(data));
    await svc.unmount('tmp', 'c2');
    assert.ok(!mounter.mounted.has(data));
    assert.deepEqual(mounter.calls, [['mount', '-t', 'tmpfs', '-o', 'size=1m', '--', 'tmpfs', data], ['umount', data]]);
    // A volume without options is never mounted.
    await svc.create({ Name: 'plain' });
    await svc.mount('plain', 'c1');
    assert.equal(mounter.calls.length, 2);
  } finally { done(); }
});

test('usage: sizes and reference counts', async () => {
  const { svc, done } = setup();
  try {
    const v = await svc.create({ Name: 'sized' }, 'c1');
    writeFileSync(join(v.Mountpoint, 'f'), Buffer.alloc(1234));
    const [u] = await svc.usage();
    assert.deepEqual(u.UsageData, { RefCount: 1, Size: 1234 });
  } finally { done(); }
});
