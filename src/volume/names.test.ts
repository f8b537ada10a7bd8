import { test } from 'node:test';
import assert from 'node:assert/strict';
import { anonymousVolumeName, validateVolumeName } from './names.ts';
import { mountArgs, mountOptsOf, needsMount, redactPassword, validateDriverOptions } from './driver-options.ts';

test('volume names: Docker local driver rules and messages', () => {
  for (const ok of ['ab', 'my-vol', 'a.b_c-1', '0x', 'A'.repeat(200)]) validateVolumeName(ok);
  assert.throws(() => validateVolumeName('a'), { message: 'create a: volume name is too short, names should be at least two alphanumeric characters' });
  assert.throws(() => validateVolumeName('a/b'), { message: 'create a/b: "a/b" includes invalid characters for a local volume name, only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed. If you intended to pass a host directory, use absolute path' });
  for (const bad of ['-ab', '.ab', '_ab', 'a b', 'a:b', 'é1']) assert.throws(() => validateVolumeName(bad), /includes invalid characters/, bad);
});

test('anonymous names: 64 hex from 32 bytes', () => {
  const n = anonymousVolumeName(new Uint8Array(32).fill(0xab));
  assert.equal(n, 'ab'.repeat(32));
  assert.throws(() => anonymousVolumeName(new Uint8Array(8)));
});

test('driver options: valid keys, mandatory companions, mount arguments', () => {
  validateDriverOptions(undefined);
  validateDriverOptions({});
  validateDriverOptions({ type: 'tmpfs', device: 'tmpfs', o: 'size=1m' });
  assert.throws(() => validateDriverOptions({ foo: 'x' }), { message: 'invalid option: "foo"' });
  assert.throws(() => validateDriverOptions({ type: 'tmpfs' }), { message: 'missing required option: "device"' });
  assert.throws(() => validateDriverOptions({ o: 'bind', device: '/x' }), { message: 'missing required option: "type"' });
  assert.throws(() => validateDriverOptions({ size: '1G' }), /quota/);
  assert.equal(mountOptsOf({}), undefined);
  const mo = mountOptsOf({ type: 'none', o: 'bind', device: '/srv/x' })!;
  assert.deepEqual(mo, { MountType: 'none', MountOpts: 'bind', MountDevice: '/srv/x', Quota: { Size: 0 } });
  assert.ok(needsMount(mo));
  assert.deepEqual(mountArgs(mo, '/v/_data'), ['-t', 'none', '-o', 'bind', '--', '/srv/x', '/v/_data']);
  assert.equal(redactPassword('x password=hunter2 y', { ...mo, MountOpts: 'user=a,password=hunter2' }), 'x password=******** y');
});
