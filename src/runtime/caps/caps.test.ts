import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { BerthError } from '../../errors/errors.ts';
import { CAPABILITIES, DOCKER_DEFAULT_CAPS, applyCapAddDrop, capMask, capNames, capNumber, parseCapHex } from './index.ts';

test('the table matches the kernel header when it is installed', { skip: !existsSync('/usr/include/linux/capability.h') && 'no linux/capability.h' }, () => {
  const header = readFileSync('/usr/include/linux/capability.h', 'utf8');
  const defined = [...header.matchAll(/^#define\s+(CAP_[A-Z_]+)\s+(\d+)\s*$/gm)]
    .filter(([, name]) => name !== 'CAP_LAST_CAP');
  assert.ok(defined.length >= 38);
  for (const [, name, num] of defined) assert.equal(CAPABILITIES[Number(num)], name, name);
});

test('numbers at both ends of the table', () => {
  assert.equal(capNumber('CAP_CHOWN'), 0);
  assert.equal(capNumber('CAP_CHECKPOINT_RESTORE'), 40);
  assert.equal(CAPABILITIES.length, 41);
});

test('capMask accepts CAP_X, X and x', () => {
  assert.equal(capMask(['CAP_CHOWN', 'kill', 'SYS_ADMIN']), 1n | (1n << 5n) | (1n << 21n));
  assert.equal(capMask([]), 0n);
  assert.equal(capMask(['CAP_CHECKPOINT_RESTORE']), 1n << 40n);
});

test('unknown capabilities are an InvalidArgument naming the capability', () => {
  assert.throws(() => capMask(['CAP_FOO']), (e: unknown) =>
    e instanceof BerthError && e.code === 'InvalidArgument' && e.message === 'unknown capability: "CAP_FOO"');
  assert.throws(() => capMask(['foo']), /unknown capability: "CAP_FOO"/);
});

test("Docker's default set is the mask a default container shows in CapEff", () => {
  assert.equal(capMask(DOCKER_DEFAULT_CAPS), parseCapHex('00000000a80425fb'));
  assert.equal(DOCKER_DEFAULT_CAPS.length, 14);
});

test('capNames lists bits in order and round-trips', () => {
  const mask = parseCapHex('CapEff:\t00000000a80425fb');
  const names = capNames(mask);
  assert.deepEqual(names, [...DOCKER_DEFAULT_CAPS].sort((a, b) => capNumber(a) - capNumber(b)));
  assert.equal(capMask(names), mask);
  assert.deepEqual(capNames(0n), []);
  assert.deepEqual(capNames(1n << 40n | 1n << 45n), ['CAP_CHECKPOINT_RESTORE', '45']);
  assert.equal(capNames(parseCapHex('000001ffffffffff')).length, 41);
});

test('parseCapHex refuses what is not a mask', () => {
  assert.throws(() => parseCapHex('xyz'), /not a capability mask/);
  assert.throws(() => parseCapHex('00000000000000001'), /not a capability mask/);
});

test('cap-add/cap-drop follow Docker', () => {
  const base = DOCKER_DEFAULT_CAPS;
  // drop then add, names normalised, no duplicates
  assert.deepEqual(applyCapAddDrop(base, ['sys_admin', 'CHOWN'], ['net_raw', 'CAP_MKNOD']),
    [...base.filter((c) => c !== 'CAP_NET_RAW' && c !== 'CAP_MKNOD'), 'CAP_SYS_ADMIN']);
  // ALL in add: everything but the dropped
  const all = applyCapAddDrop(base, ['ALL'], ['SYS_ADMIN']);
  assert.equal(all.length, 40);
  assert.ok(!all.includes('CAP_SYS_ADMIN'));
  // ALL in drop: only the added
  assert.deepEqual(applyCapAddDrop(base, ['net_admin'], ['all']), ['CAP_NET_ADMIN']);
  // ALL in both: add wins, as in moby
  assert.equal(applyCapAddDrop(base, ['all'], ['ALL']).length, 41);
  // nothing to do
  assert.deepEqual(applyCapAddDrop(base, [], []), [...base]);
  assert.throws(() => applyCapAddDrop(base, ['CAP_NOPE'], []), /unknown capability: "CAP_NOPE"/);
  assert.throws(() => applyCapAddDrop(base, [], ['nope']), /unknown capability: "CAP_NOPE"/);
});
