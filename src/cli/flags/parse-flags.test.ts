import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFlags, type FlagDef } from './parse-flags.ts';

const RUN: FlagDef[] = [
  { name: 'interactive', short: 'i', kind: 'bool' }, { name: 'tty', short: 't', kind: 'bool' },
  { name: 'detach', short: 'd', kind: 'bool' }, { name: 'rm', kind: 'bool' },
  { name: 'env', short: 'e', kind: 'list' }, { name: 'publish', short: 'p', kind: 'list' },
  { name: 'name', kind: 'string' }, { name: 'memory', short: 'm', kind: 'string' }, { name: 'cpu-shares', short: 'c', kind: 'int' },
];

test('bundled shorthands, repeated flags, values glued or separate, stop at the image', () => {
  const r = parseFlags(['-it', '--rm', '-e', 'A=1', '-eB=2', '-p8080:80', '--name=web', 'busybox', 'sh', '-c', 'echo -e hi'], RUN, { interspersed: false });
  assert.equal(r.flags.interactive, true);
  assert.equal(r.flags.tty, true);
  assert.equal(r.flags.rm, true);
  assert.deepEqual(r.flags.env, ['A=1', 'B=2']);
  assert.deepEqual(r.flags.publish, ['8080:80']);
  assert.equal(r.flags.name, 'web');
  assert.deepEqual(r.args, ['busybox', 'sh', '-c', 'echo -e hi']);
});

test('--rm=false, -d=false, ints', () => {
  const r = parseFlags(['--rm=false', '-d=false', '-c', '512', 'img'], RUN, { interspersed: false });
  assert.equal(r.flags.rm, false);
  assert.equal(r.flags.detach, false);
  assert.equal(r.flags['cpu-shares'], 512);
});

test('errors as the docker CLI words them', () => {
  assert.throws(() => parseFlags(['--frob', 'x'], RUN), /unknown flag: --frob/);
  assert.throws(() => parseFlags(['-z'], RUN), /unknown shorthand flag: 'z' in -z/);
  assert.throws(() => parseFlags(['--name'], RUN), /flag needs an argument: --name/);
  assert.throws(() => parseFlags(['--rm=maybe'], RUN), /invalid argument "maybe" for "--rm" flag/);
});

test('interspersed flags for commands like ps and rm', () => {
  const r = parseFlags(['a', '-d', 'b'], RUN);
  assert.deepEqual(r.args, ['a', 'b']);
  assert.equal(r.flags.detach, true);
});
