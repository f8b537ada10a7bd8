import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeImageConfig, entrypointAndArgs, containerEnv, replaceOrAppendEnv } from './command.ts';
import { resolveUser } from './user.ts';
import { mergeTmpfsOptions } from './mounts.ts';

const IMG = { Env: ['PATH=/img', 'LANG=C'], Entrypoint: ['/entry'], Cmd: ['serve'], WorkingDir: '/app', User: 'app', StopSignal: 'SIGQUIT', Labels: { a: '1' } };

test('image config merge', () => {
  const m = mergeImageConfig({ Env: ['LANG=en', 'X=1'] }, IMG);
  assert.deepEqual(m.Env, ['PATH=/img', 'LANG=en', 'X=1']);
  assert.deepEqual([m.Entrypoint, m.Cmd, m.WorkingDir, m.User, m.StopSignal], [['/entry'], ['serve'], '/app', 'app', 'SIGQUIT']);
  assert.deepEqual(mergeImageConfig({ Cmd: ['x'] }, IMG).Cmd, ['x']);
  assert.deepEqual(mergeImageConfig({ Cmd: ['x'] }, IMG).Entrypoint, ['/entry']);
  const reset = mergeImageConfig({ Entrypoint: [''] }, IMG);
  assert.deepEqual([reset.Entrypoint, reset.Cmd], [[], undefined], '--entrypoint "" drops the image entrypoint and cmd');
  assert.deepEqual(mergeImageConfig({ Entrypoint: ['/x'] }, IMG).Cmd, undefined);
  assert.deepEqual(mergeImageConfig({ Labels: { b: '2', a: '3' } }, IMG).Labels, { a: '3', b: '2' });
});

test('path and args', () => {
  assert.deepEqual(entrypointAndArgs({ Entrypoint: ['/e', '-x'], Cmd: ['a'] }), { path: '/e', args: ['-x', 'a'] });
  assert.deepEqual(entrypointAndArgs({ Cmd: ['sh', '-c', 'x'] }), { path: 'sh', args: ['-c', 'x'] });
  assert.throws(() => entrypointAndArgs({}), { message: 'No command specified' });
});

test('env', () => {
  assert.deepEqual(containerEnv({ Hostname: 'h', Env: ['HOSTNAME=mine', 'Z=1'] }), ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'HOSTNAME=mine', 'Z=1']);
  assert.deepEqual(replaceOrAppendEnv(['A=1', 'B=2'], ['A', 'C=3']), ['B=2', 'C=3']);
});

test('users and groups', () => {
  const passwd = 'root:x:0:0:root:/root:/bin/sh\nbob:x:1000:1000::/home/bob:/bin/sh\n# comment\n';
  const group = 'root:x:0:\nbob:x:1000:\ndocker:x:999:bob,alice\naudio:x:29:bob\n';
  assert.deepEqual(resolveUser('', passwd, group), { uid: 0, gid: 0, additionalGids: [0], home: '/root', name: 'root' });
  assert.deepEqual(resolveUser('bob', passwd, group).additionalGids, [1000, 999, 29]);
  assert.deepEqual(resolveUser('1000', passwd, group).additionalGids, [1000, 999, 29]);
  assert.deepEqual(resolveUser('bob:root', passwd, group).additionalGids, [0], 'an explicit group drops the supplementary ones');
  assert.deepEqual(resolveUser('4000:4001', passwd, group), { uid: 4000, gid: 4001, additionalGids: [4001], home: '/', name: '' });
  assert.deepEqual(resolveUser('4000', undefined, undefined, ['5']).additionalGids, [0, 5]);
  assert.throws(() => resolveUser('bob:nogroup', passwd, group), { message: 'unable to find group nogroup: no matching entries in group file' });
  assert.throws(() => resolveUser('alice', passwd, group), { message: 'unable to find user alice: no matching entries in passwd file' });
  assert.throws(() => resolveUser('', passwd, group, ['nope']), { message: 'Unable to find group nope: no matching entries in group file' });
});

test('tmpfs option merge', () => {
  assert.deepEqual(mergeTmpfsOptions(['noexec', 'nosuid', 'nodev', 'rprivate', 'exec', 'size=1m', 'size=2m']), ['nosuid', 'nodev', 'rprivate', 'exec', 'size=2m']);
  assert.throws(() => mergeTmpfsOptions(['bogus=1']), { message: 'invalid tmpfs option ["bogus=1"]' });
});
