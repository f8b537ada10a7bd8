// The local driver's `type/device/o` options with real mounts: a tmpfs volume and a bind of a
// host directory, mounted at the first user and unmounted after the last; removal never deletes
// through a mount.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requires, testName } from '../support/requires.ts';
import { VolumeService } from '../../src/volume/volume-service.ts';
import { systemMounter } from '../../src/volume/mounter.ts';

const skip = requires('root');

function fsType(target: string): string | undefined {
  const line = readFileSync('/proc/self/mountinfo', 'utf8').split('\n').find((l) => l.split(' ')[4] === target);
  return line?.split(' - ')[1]?.split(' ')[0];
}

function setup() {
  const dir = mkdtempSync(join(tmpdir(), `${testName('voldrv')}-`));
  const svc = new VolumeService({ root: join(dir, 'volumes') });
  return {
    dir, svc,
    async done() {
      svc.close();
      const left = readFileSync('/proc/self/mountinfo', 'utf8').split('\n').map((l) => l.split(' ')[4]).filter((m) => m?.startsWith(dir));
      for (const m of left.reverse()) await systemMounter.unmount(m).catch(() => {});
      rmSync(dir, { recursive: true, force: true });
      assert.deepEqual(left, [], 'no mounts left');
    },
  };
}

test('tmpfs volume: mounted for its users with its options, gone after the last', { skip }, async () => {
  const { svc, done } = setup();
  try {
    const v = await svc.create({ Name: 'tmp', DriverOpts: { type: 'tmpfs', device: 'tmpfs', o: 'size=2m,mode=1770' } });
    assert.equal(fsType(v.Mountpoint), undefined, 'not mounted at create');
    const p = await svc.mount('tmp', 'c1');
    assert.equal(fsType(p), 'tmpfs');
    const opts = readFileSync('/proc/self/mountinfo', 'utf8').split('\n').find((l) => l.split(' ')[4] === p)!;
    assert.match(opts, /size=2048k/);
    assert.match(opts, /mode=1770/);
    writeFileSync(join(p, 'f'), 'x');
    await svc.mount('tmp', 'c2');
    await svc.unmount('tmp', 'c1');
    assert.equal(fsType(p), 'tmpfs', 'still mounted for c2');
    await svc.unmount('tmp', 'c2');
    assert.equal(fsType(p), undefined);
    assert.ok(!existsSync(join(p, 'f')), 'tmpfs content went with the mount');
    await svc.mount('tmp', 'c3');
    await assert.rejects(svc.remove('tmp'), /in use - \[c3\]/);
    await svc.unmount('tmp', 'c3');
    await svc.remove('tmp');
    assert.equal(fsType(p), undefined);
  } finally { await done(); }
});

test('bind volume (type=none, o=bind): the host directory shows through; remove keeps the host files', { skip }, async () => {
  const { dir, svc, done } = setup();
  try {
    const host = join(dir, 'host');
    mkdirSync(host);
    writeFileSync(join(host, 'keep'), 'host data');
    await svc.create({ Name: 'bv', DriverOpts: { type: 'none', o: 'bind', device: host } });
    const p = await svc.mount('bv', 'c1');
    assert.equal(readFileSync(join(p, 'keep'), 'utf8'), 'host data');
    await assert.rejects(svc.remove('bv'), { message: 'remove bv: volume is in use - [c1]' });
    await svc.unmount('bv', 'c1');
    await svc.remove('bv');
    assert.equal(readFileSync(join(host, 'keep'), 'utf8'), 'host data');
    await assert.rejects(svc.create({ Name: 'bad', DriverOpts: { type: 'none', o: 'bind', device: join(dir, 'missing') } }).then(() => svc.mount('bad', 'c1')),
      /error while mounting volume '.*bad\/_data': failed to mount local volume/);
  } finally { await done(); }
});
